// The static export in real headless Chromium, opened from file:// with every network request
// refused: the index, a link to an artifact and its SVG chart, the injected title shown as text,
// the board book printed to PDF, and the encrypted export refusing a wrong passphrase and opening
// with the right one. Run by tests/export_browser.rs.
//
// Environment:
//   SITE_DIR     a plain export (deep inside a temporary folder)
//   LOCKED_DIR   an export encrypted with PASSPHRASE
//   PASSPHRASE   its passphrase
//   OUT_DIR      where the PDF and screenshots go
//   TRACKER      the MRR tracker's title;  INJECTED  the injected title;  NAME  the workspace name
//   CHROMIUM     the browser binary (default /usr/bin/chromium)
// Exits non-zero with the reason on the first failure, page error, console error, dialog or
// network request.

import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const WATCHDOG_MS = 110_000;

function env(name, fallback) {
  const value = process.env[name] ?? fallback;
  if (!value) {
    console.error(`export.mjs: set ${name}`);
    process.exit(2);
  }
  return value;
}

const site = env("SITE_DIR");
const locked = env("LOCKED_DIR");
const passphrase = env("PASSPHRASE");
const out = env("OUT_DIR");
const tracker = env("TRACKER");
const injected = env("INJECTED");
const name = env("NAME");
const executablePath = env("CHROMIUM", "/usr/bin/chromium");
const url = (dir, path) => pathToFileURL(join(dir, path)).href;

const watchdog = setTimeout(() => {
  console.error(`FAIL: the browser flow did not finish within ${WATCHDOG_MS / 1000} s`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

const errors = [];

function watch(page) {
  page.on("pageerror", (e) => errors.push(`page error on ${page.url()}: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console error on ${page.url()}: ${m.text()}`);
  });
  page.on("dialog", async (d) => {
    errors.push(`a ${d.type()} dialog opened on ${page.url()}: ${d.message()}`);
    await d.dismiss();
  });
}

async function step(label, fn) {
  const started = performance.now();
  try {
    await fn();
  } catch (e) {
    throw new Error(`step "${label}": ${e.message}`, { cause: e });
  }
  assert.deepEqual(errors, [], `step "${label}": errors were logged`);
  console.log(`ok  ${label} (${Math.round(performance.now() - started)} ms)`);
}

async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(20_000);
  // Nothing may leave the machine: every request that is not a local file is refused and fails.
  await context.route(
    (u) => u.protocol !== "file:" && u.protocol !== "data:",
    (route) => {
      errors.push(`network request to ${route.request().url()}`);
      return route.abort();
    },
  );
  const page = await context.newPage();
  watch(page);
  return { context, page };
}

async function plain(browser) {
  const { context, page } = await newPage(browser);

  await step("the index opens from file:// with its stylesheet", async () => {
    await page.goto(url(site, "index.html"));
    await page.getByRole("heading", { level: 1, name }).waitFor();
    assert.equal(await page.locator(".artifact-card").count(), 7, "a card per artifact");
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(background, "rgb(249, 250, 251)", "assets/style.css applies");
    // The injected title is text: the card shows it literally and nothing ran.
    await page.locator(".artifact-card h2", { hasText: injected }).waitFor();
    await page.screenshot({ path: join(out, "01-index.png"), fullPage: true });
  });

  await step("a card leads to the MRR tracker and its SVG chart", async () => {
    await Promise.all([
      page.waitForURL(/\/artifacts\/[^/]+\/index\.html$/),
      page.getByRole("link", { name: tracker }).click(),
    ]);
    await page.getByRole("heading", { level: 1, name: tracker }).waitFor();
    const chart = page.locator(".chart-figure svg").first();
    const box = await chart.boundingBox();
    assert.ok(box && box.width > 200 && box.height > 100, `the chart is drawn (${JSON.stringify(box)})`);
    assert.match(await chart.locator("desc").textContent(), /Actual MRR was/, "with the Stripe actuals");
    await page.screenshot({ path: join(out, "02-tracker.png"), fullPage: true });
  });

  await step("relative links lead back to the index and to the injected artifact", async () => {
    await page.getByRole("link", { name: "← All artifacts" }).click();
    await page.getByRole("heading", { level: 1, name }).waitFor();
    await page.locator(".artifact-card h2 a", { hasText: injected }).click();
    const title = await page.locator("article h1").textContent();
    assert.equal(title, injected, "the title is shown as text");
    assert.equal(await page.locator("article img, article script").count(), 0, "no element came from it");
  });

  await step("the board book prints to a PDF with a page per artifact", async () => {
    await page.goto(url(site, "board-book.html"));
    await page.getByRole("heading", { name: "Contents" }).waitFor();
    assert.equal(await page.locator(".book-artifact").count(), 7);
    assert.equal(await page.locator(".book-artifact svg").count(), 3, "MRR path, funnel, cohorts");
    await page.emulateMedia({ media: "print" });
    const path = join(out, "board-book.pdf");
    await page.pdf({ path, printBackground: true, preferCSSPageSize: true });
    const pdf = await readFile(path);
    assert.equal(pdf.subarray(0, 5).toString(), "%PDF-", "a PDF");
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.ok(pages >= 8, `a cover and at least a page per artifact (${pages} pages)`);
    console.log(`    board-book.pdf: ${pages} pages, ${pdf.length} bytes`);
  });

  await context.close();
}

async function encrypted(browser) {
  const { context, page } = await newPage(browser);
  const unlock = async (value) => {
    await page.getByLabel("Passphrase").fill(value);
    await page.getByRole("button", { name: "Unlock" }).click();
  };

  await step("an encrypted page asks for the passphrase and shows nothing else", async () => {
    await page.goto(url(locked, "index.html"));
    await page.getByRole("heading", { level: 1, name: "This page is protected" }).waitFor();
    assert.ok(!(await page.content()).includes(name), "the workspace name is not in the page");
    await page.screenshot({ path: join(out, "03-locked.png") });
  });

  await step("a wrong passphrase is refused with a clear message", async () => {
    await unlock("not the passphrase");
    await page.locator("#unlock-status", { hasText: "Wrong passphrase" }).waitFor();
    await page.getByRole("heading", { level: 1, name: "This page is protected" }).waitFor();
    await page.screenshot({ path: join(out, "04-wrong-passphrase.png") });
  });

  await step("the right passphrase shows the content", async () => {
    await unlock(passphrase);
    await page.getByRole("heading", { level: 1, name }).waitFor();
    assert.equal(await page.locator(".artifact-card").count(), 7);
    await page.screenshot({ path: join(out, "05-unlocked.png"), fullPage: true });
  });

  await step("the next encrypted page opens with the key kept for this tab", async () => {
    await Promise.all([
      page.waitForURL(/\/artifacts\/\d+\/index\.html$/),
      page.getByRole("link", { name: tracker }).click(),
    ]);
    await page.getByRole("heading", { level: 1, name: tracker }).waitFor();
    assert.equal(await page.locator(".chart-figure svg").count(), 1);
  });

  await context.close();
}

async function main() {
  await mkdir(out, { recursive: true });
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  console.log(`Chromium ${browser.version()}`);
  try {
    await plain(browser);
    await encrypted(browser);
  } finally {
    await browser.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`FAIL: ${e.message}`);
    const at = (e.cause?.stack ?? "").split("\n").filter((l) => l.includes("export.mjs"));
    if (at.length) console.error(at.join("\n"));
    process.exit(1);
  },
);
