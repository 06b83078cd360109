// tests/browser/lib/browser.mjs - Debian's chromium, headless, driven by
// playwright-core (pinned in ../package.json: the last release that runs on
// Debian 12's Node 18). One browser per test file, a fresh context (no
// cookies) per test. Console errors and CSP violations are collected so a
// test can assert a page produced none.

import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const EXECUTABLE = process.env.LABNET_CHROMIUM || '/usr/bin/chromium';

// Flags a sandboxed machine without network or GPU needs; see
// .library/env: background networking must be off on this closed network.
const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-dev-shm-usage',
];

/** Launch in before(), close in after(); returns { browser } once started. */
export function useBrowser() {
  const handle = {};
  before(async () => {
    handle.browser = await chromium.launch({ executablePath: EXECUTABLE, args: ARGS, headless: true });
  });
  after(async () => {
    if (handle.browser) await handle.browser.close();
  });
  return handle;
}

/**
 * A new page in a fresh context; `problems` collects console errors, page
 * errors and failed requests, so a test can assert there were none.
 * expectError: the status of a page that is an error page on purpose (its
 * console line is then not a problem).
 */
export async function openPage(browser, { locale = 'en-GB', expectError = null } = {}) {
  const context = await browser.newContext({ locale, viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    // Failed loads are reported here too (the favicon, which Playwright
    // does not surface as a response); the page itself may be an error
    // page on purpose, so a test passes `expectStatus` for it.
    if (msg.type() === 'error' && !(expectError && /status of (\d+)/.exec(msg.text())?.[1] === String(expectError))) {
      problems.push(`console: ${msg.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  // Subresources that fail (the page itself may be an error page on purpose).
  page.on('response', (res) => {
    if (res.status() >= 400 && res.request().resourceType() !== 'document') {
      problems.push(`${res.status()}: ${res.url()}`);
    }
  });
  return { context, page, problems };
}
