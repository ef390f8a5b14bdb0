// The onboarding of a new founder in real headless Chromium, once with JavaScript and once
// without: welcome, quick context, prompt, the artifact, the dashboard, then notes and a next
// action that must survive a reload. Run by tests/browser_onboarding.rs, which starts one
// `cosos serve` per pass because "/" only leads to onboarding on an empty workspace.
//
// Environment:
//   COSOS_URL        base URL of a fresh server for the pass with JavaScript
//   COSOS_URL_NOJS   base URL of another fresh server for the pass without JavaScript
//   SCREENSHOT_DIR   where the PNGs go (created if missing)
//   CHROMIUM         the browser binary (default /usr/bin/chromium)
// Exits non-zero with the reason on the first failure, page error or console error.

import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { chromium } from "playwright-core";

const PROMPT = "We're at $12k MRR and want to hit $50k by June 2027";
const TITLE = "Path to $50k MRR by June 2027";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
// A hang must fail the run long before a CI job times out; a normal run takes seconds.
const WATCHDOG_MS = 110_000;

function env(name, fallback) {
  const value = process.env[name] ?? fallback;
  if (!value) {
    console.error(`onboarding.mjs: set ${name}`);
    process.exit(2);
  }
  return value;
}

const passes = [
  { name: "js", url: env("COSOS_URL"), javaScriptEnabled: true },
  { name: "nojs", url: env("COSOS_URL_NOJS"), javaScriptEnabled: false },
];
const shots = env("SCREENSHOT_DIR");
const executablePath = env("CHROMIUM", "/usr/bin/chromium");

const watchdog = setTimeout(() => {
  console.error(`FAIL: the browser flow did not finish within ${WATCHDOG_MS / 1000} s`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

function log(pass, text) {
  console.log(`[${pass}] ${text}`);
}

// Page errors and console errors are collected per pass and fail it at every step boundary,
// so the failure names the step that caused them.
function watch(page, errors) {
  page.on("pageerror", (e) => errors.push(`page error on ${page.url()}: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const source = m.location()?.url;
    errors.push(`console error on ${page.url()}: ${m.text()}${source ? ` (${source})` : ""}`);
  });
}

async function step(pass, errors, label, fn) {
  const started = performance.now();
  try {
    await fn();
  } catch (e) {
    throw new Error(`${pass.name} pass, step "${label}": ${e.message}`, { cause: e });
  }
  assert.deepEqual(errors, [], `${pass.name} pass, step "${label}": errors were logged`);
  log(pass.name, `ok  ${label} (${Math.round(performance.now() - started)} ms)`);
}

async function shot(page, pass, name) {
  await page.screenshot({ path: join(shots, `${pass.name}-${name}.png`), fullPage: true });
}

async function text(page) {
  return page.locator("main").innerText();
}

async function run(browser, pass) {
  const errors = [];
  const context = await browser.newContext({
    viewport: DESKTOP,
    javaScriptEnabled: pass.javaScriptEnabled,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  watch(page, errors);
  let artifactUrl;

  await step(pass, errors, "a new workspace opens on the welcome step", async () => {
    await page.goto(pass.url + "/");
    assert.match(new URL(page.url()).pathname, /^\/onboarding$/, "/ leads to onboarding");
    await page.getByRole("button", { name: "Get started" }).waitFor();
    await shot(page, pass, "01-welcome");
  });

  await step(pass, errors, "Get started, then choose a stage and a goal", async () => {
    await page.getByRole("button", { name: "Get started" }).click();
    await page.waitForURL(/step=context/);
    await page.getByRole("radio", { name: /^Seed\b/ }).check();
    await page.getByRole("radio", { name: /^Grow revenue\b/ }).check();
    await shot(page, pass, "02-context");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(/step=prompt/);
    const query = new URL(page.url()).searchParams;
    assert.equal(query.get("stage"), "seed");
    assert.equal(query.get("goal"), "grow-revenue");
  });

  await step(pass, errors, "type the prompt and Generate", async () => {
    await page.getByLabel("Your prompt").fill(PROMPT);
    await shot(page, pass, "03-prompt");
    // With JavaScript, app.js generates through the JSON API; without, the form posts.
    const api = pass.javaScriptEnabled
      ? page.waitForResponse((r) => r.url().endsWith("/api/v1/artifacts/generate"))
      : null;
    await Promise.all([
      page.waitForURL(/\/artifacts\/[^/?]+$/),
      page.getByRole("button", { name: "Generate" }).click(),
    ]);
    if (api) assert.equal((await api).status(), 201, "the JSON API created the artifact");
    artifactUrl = page.url();
  });

  await step(pass, errors, "the artifact shows the numbers, the 2027 milestones and the chart", async () => {
    await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    const body = await text(page);
    for (const expected of [
      "12,000",
      "50,000",
      "January 2027",
      "March 2027",
      "June 2027",
      "Stage: Seed",
      "Goal: Grow revenue",
      PROMPT,
    ]) {
      assert.ok(body.includes(expected), `the artifact page shows ${JSON.stringify(expected)}`);
    }
    const milestones = page.locator("table", { hasText: "Target MRR" }).locator("tbody tr");
    assert.equal(await milestones.count(), 7, "seven monthly milestones, December to June");
    const chart = page.locator(".chart-figure svg");
    assert.equal(await chart.count(), 1, "one SVG chart");
    const box = await chart.boundingBox();
    assert.ok(box && box.width > 200 && box.height > 100, `the chart is visible (${JSON.stringify(box)})`);
    await shot(page, pass, "04-artifact");
  });

  await step(pass, errors, "the artifact page at phone size", async () => {
    const phone = await browser.newContext({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      javaScriptEnabled: pass.javaScriptEnabled,
    });
    try {
      const small = await phone.newPage();
      watch(small, errors);
      await small.goto(artifactUrl);
      await small.getByRole("heading", { level: 1, name: TITLE }).waitFor();
      // Nothing but the tables, which scroll inside themselves, may be wider than the screen.
      const overflow = await small.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(overflow <= PHONE.width, `the page fits the phone's width (scrollWidth ${overflow})`);
      await small.screenshot({ path: join(shots, `${pass.name}-05-artifact-phone.png`), fullPage: true });
    } finally {
      await phone.close();
    }
  });

  await step(pass, errors, "the dashboard lists the artifact", async () => {
    // "/" goes to the dashboard once the workspace has an artifact.
    await page.goto(pass.url + "/");
    assert.match(new URL(page.url()).pathname, /^\/dashboard$/);
    const card = page.locator(".artifact-card", { hasText: TITLE });
    assert.equal(await card.count(), 1, "one card for the artifact");
    const href = await card.getByRole("link", { name: TITLE }).getAttribute("href");
    assert.equal(new URL(href, pass.url).href, artifactUrl);
    await shot(page, pass, "06-dashboard");
    await card.getByRole("link", { name: TITLE }).click();
    await page.waitForURL(artifactUrl);
  });

  const notes = `Board wants this weekly (${pass.name}).\nSecond line.`;
  await step(pass, errors, "notes persist across a reload", async () => {
    await page.getByRole("textbox", { name: "Notes", exact: true }).fill(notes);
    await page.getByRole("button", { name: "Save notes" }).click();
    await page.waitForURL(/saved=notes/);
    await page.getByRole("status").filter({ hasText: "Notes saved." }).waitFor();
    await page.goto(artifactUrl);
    assert.equal(await page.getByRole("textbox", { name: "Notes", exact: true }).inputValue(), notes);
  });

  await step(pass, errors, "a ticked next action persists across a reload", async () => {
    const first = page.locator("#actions-form input[type=checkbox]").first();
    assert.equal(await first.isChecked(), false, "the first next action starts unticked");
    await first.check();
    if (pass.javaScriptEnabled) {
      // app.js saves the tick in place and hides the submit button.
      const save = page.getByRole("button", { name: "Save next actions", includeHidden: true });
      assert.equal(await save.isVisible(), false, "with JavaScript the save button is hidden");
      await page.locator("#actions-status").filter({ hasText: "Saved." }).waitFor();
    } else {
      await page.getByRole("button", { name: "Save next actions" }).click();
      await page.waitForURL(/saved=actions/);
    }
    await page.goto(artifactUrl);
    const after = page.locator("#actions-form input[type=checkbox]");
    assert.equal(await after.first().isChecked(), true, "the tick survived the reload");
    assert.equal(await after.nth(1).isChecked(), false, "the other actions are untouched");
    assert.equal(await page.getByRole("textbox", { name: "Notes", exact: true }).inputValue(), notes);
    await shot(page, pass, "07-artifact-edited");
  });

  await context.close();
}

async function main() {
  await mkdir(shots, { recursive: true });
  const started = performance.now();
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  log("all", `Chromium ${browser.version()} up in ${Math.round(performance.now() - started)} ms`);
  try {
    for (const pass of passes) {
      const t = performance.now();
      await run(browser, pass);
      log(pass.name, `pass done in ${Math.round(performance.now() - t)} ms`);
    }
  } finally {
    await browser.close();
  }
  log("all", `flow done in ${Math.round(performance.now() - started)} ms; screenshots in ${shots}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`FAIL: ${e.message}`);
    // The message already holds the cause's text; add only where in this script it happened.
    const at = (e.cause?.stack ?? "").split("\n").filter((l) => l.includes("onboarding.mjs"));
    if (at.length) console.error(at.join("\n"));
    process.exit(1);
  },
);
