// The JavaScript automerge-repo client against a real `cosos relay` (DESIGN section 3): the npm
// `@automerge/automerge-repo` 2.5.6 with `@automerge/automerge-repo-network-websocket` must sync
// through it unchanged. Run by tests/sync_js.rs, which starts the relay, pushes an artifact from a
// device with `cosos sync`, and checks the device side afterwards.
//
// Environment:
//   RELAY_URL       ws://127.0.0.1:PORT/sync
//   TOKEN           a token of the artifact's workspace
//   OTHER_TOKEN     a token of another workspace of the same relay
//   ARTIFACT_URL    automerge:<id> of an artifact the device pushed
//   EXPECTED_KIND   its kind
//   EXPECTED_TITLE  its title
//   NEW_TITLE       the title this script writes into it
//
// Prints one JSON object per step on stdout, each with a "step" key, and exits 0 when every step
// passed; on the first failure it prints "FAIL <step>: <reason>" on stderr and exits 1.

import { Repo, isImmutableString, splice, updateText } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";

// A hang must fail the run long before cargo's or CI's timeouts; a normal run takes ~2 seconds.
const WATCHDOG_MS = 45_000;
// How long one condition (a document arriving, a change propagating) may take.
const WAIT_MS = 10_000;

function env(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`relay_interop.mjs: set ${name}`);
    process.exit(2);
  }
  return value;
}

const RELAY_URL = env("RELAY_URL");
const TOKEN = env("TOKEN");
const OTHER_TOKEN = env("OTHER_TOKEN");
const ARTIFACT_URL = env("ARTIFACT_URL");
const EXPECTED_KIND = env("EXPECTED_KIND");
const EXPECTED_TITLE = env("EXPECTED_TITLE");
const NEW_TITLE = env("NEW_TITLE");

let step = "setup";
const repos = [];

class StepFailure extends Error {}

function fail(reason) {
  throw new StepFailure(reason);
}

function report(fields) {
  console.log(JSON.stringify({ step, ...fields }));
}

/** A client as a browser tab would make it: websocket only, no storage, the default share policy
 * (a client must announce what it creates, or the relay never learns of it). */
function client(token) {
  const url = `${RELAY_URL}?token=${encodeURIComponent(token)}`;
  const repo = new Repo({ network: [new WebSocketClientAdapter(url, 500)] });
  repos.push(repo);
  return repo;
}

function close(repo) {
  const i = repos.indexOf(repo);
  if (i >= 0) repos.splice(i, 1);
  for (const adapter of repo.networkSubsystem.adapters) adapter.disconnect();
}

function typeOf(value) {
  if (isImmutableString(value)) return "ImmutableString";
  return typeof value;
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** `repo.find` on a fresh client until it resolves: in automerge-repo 2.x find rejects on
 * `doc-unavailable` and a repo caches that answer, so each attempt uses a new connection. */
async function findWithRetry(token, url) {
  const started = Date.now();
  let attempts = 0;
  let lastError;
  while (Date.now() - started < WAIT_MS) {
    attempts += 1;
    const repo = client(token);
    try {
      const left = Math.max(1, WAIT_MS - (Date.now() - started));
      const handle = await repo.find(url, { signal: AbortSignal.timeout(left) });
      return { repo, handle, attempts, ms: Date.now() - started };
    } catch (e) {
      lastError = e;
      close(repo);
      await sleep(Math.min(100 * attempts, 500));
    }
  }
  fail(`${url} not found within ${WAIT_MS} ms after ${attempts} attempts: ${lastError}`);
}

/** Resolves once `predicate(handle.doc())` holds, checking on every change of the handle. */
async function waitFor(handle, predicate, what) {
  const started = Date.now();
  const holds = () => {
    try {
      return predicate(handle.doc());
    } catch {
      return false;
    }
  };
  if (holds()) return Date.now() - started;
  await new Promise((resolve, reject) => {
    const onChange = () => {
      if (holds()) {
        done();
        resolve();
      }
    };
    const timer = setTimeout(() => {
      done();
      reject(new StepFailure(`${what} not seen within ${WAIT_MS} ms; the document is ${JSON.stringify(handle.doc())}`));
    }, WAIT_MS);
    const done = () => {
      clearTimeout(timer);
      handle.off("change", onChange);
    };
    handle.on("change", onChange);
  });
  return Date.now() - started;
}

async function main() {
  // 1. A JS client of the workspace reads the artifact the device pushed.
  step = "read";
  const reader = await findWithRetry(TOKEN, ARTIFACT_URL);
  const doc = reader.handle.doc();
  // Rust writes `cosos` and `kind` as scalar strings, which automerge 3 hands to JS as
  // ImmutableString objects; `title` is Automerge text, a plain JS string.
  report({
    cosos: String(doc.cosos),
    kind: String(doc.kind),
    kind_type: typeOf(doc.kind),
    title: doc.title,
    title_type: typeOf(doc.title),
    attempts: reader.attempts,
    ms: reader.ms,
  });
  if (String(doc.cosos) !== "artifact") fail(`root key cosos is ${JSON.stringify(doc.cosos)}, not "artifact"`);
  if (String(doc.kind) !== EXPECTED_KIND) fail(`kind is ${JSON.stringify(doc.kind)}, not ${JSON.stringify(EXPECTED_KIND)}`);
  if (doc.title !== EXPECTED_TITLE) fail(`title is ${JSON.stringify(doc.title)}, not ${JSON.stringify(EXPECTED_TITLE)}`);

  // 2. It edits the title as Automerge text; a second client of the workspace sees the edit
  // through the relay, so the relay has it before this script exits.
  step = "edit";
  reader.handle.change(d => {
    updateText(d, ["title"], NEW_TITLE);
  });
  if (reader.handle.doc().title !== NEW_TITLE) fail(`the local edit did not apply: ${reader.handle.doc().title}`);
  const checker = await findWithRetry(TOKEN, ARTIFACT_URL);
  const editMs = await waitFor(checker.handle, d => d.title === NEW_TITLE, "the new title on a second client");
  report({
    title_on_second_client: checker.handle.doc().title,
    kind: String(checker.handle.doc().kind),
    ms: editMs,
  });
  close(checker.repo);
  close(reader.repo);

  // 3. Two clients of the workspace share a document of their own through the relay.
  step = "pair";
  const one = client(TOKEN);
  const mine = one.create({ origin: "client 1", log: ["created by 1"] });
  mine.change(d => {
    d.text = "hello";
  });
  const two = await findWithRetry(TOKEN, mine.url);
  const seenByTwo = await waitFor(
    two.handle,
    d => d.origin === "client 1" && d.text === "hello" && d.log?.length === 1,
    "client 1's document on client 2",
  );
  const twoSaw = { origin: two.handle.doc().origin, text: two.handle.doc().text };
  two.handle.change(d => {
    splice(d, ["text"], 5, 0, ", world");
    d.log.push("changed by 2");
  });
  const seenByOne = await waitFor(
    mine,
    d => d.text === "hello, world" && d.log?.length === 2,
    "client 2's change on client 1",
  );
  report({
    url: mine.url,
    on_client_2: twoSaw,
    on_client_1: { text: mine.doc().text, log: [...mine.doc().log] },
    find_attempts: two.attempts,
    ms: { find: two.ms, to_client_2: seenByTwo, to_client_1: seenByOne },
  });

  // 4. A client of another workspace learns nothing: neither the artifact nor the document of
  // step 3, though it knows their URLs. find must reject with "unavailable", promptly.
  step = "other_workspace";
  const results = {};
  for (const [name, url] of [
    ["artifact", ARTIFACT_URL],
    ["client_doc", mine.url],
  ]) {
    const outsider = client(OTHER_TOKEN);
    const started = Date.now();
    let outcome;
    try {
      const handle = await outsider.find(url, { signal: AbortSignal.timeout(WAIT_MS) });
      outcome = { found: true, doc: handle.doc() };
    } catch (e) {
      outcome = { found: false, error: `${e.name}: ${e.message}` };
    }
    outcome.ms = Date.now() - started;
    results[name] = outcome;
    close(outsider);
  }
  report(results);
  for (const [name, outcome] of Object.entries(results)) {
    if (outcome.found) fail(`another workspace's client read the ${name}: ${JSON.stringify(outcome.doc)}`);
    if (!/unavailable/.test(outcome.error)) fail(`${name}: expected doc-unavailable, got ${outcome.error} after ${outcome.ms} ms`);
  }
  close(one);
  close(two.repo);
}

const watchdog = setTimeout(() => {
  console.error(`FAIL ${step}: still running after ${WATCHDOG_MS} ms`);
  process.exit(1);
}, WATCHDOG_MS);

try {
  await main();
  step = "done";
  report({ ok: true });
  clearTimeout(watchdog);
  for (const repo of [...repos]) close(repo);
  process.exit(0);
} catch (e) {
  console.error(`FAIL ${step}: ${e instanceof StepFailure ? e.message : e?.stack ?? e}`);
  for (const repo of [...repos]) close(repo);
  process.exit(1);
}
