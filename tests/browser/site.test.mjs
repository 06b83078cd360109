// What a visitor sees, in a real browser (Debian's chromium): the language
// switcher remembers a choice, the skip link works from the keyboard, pages
// load with no console errors or CSP violations, and the page structure is
// what assistive technology relies on.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useStack } from '../http/lib/stack.mjs';
import { openPage, useBrowser } from './lib/browser.mjs';

const stack = useStack({ plugins: ['hello'], demo: true });
const chrome = useBrowser();

// Pages every test visits, in several languages.
const PAGES = ['/', '/hello/Milano', '/fi/hello/Helsinki', '/lt/hello/Vilnius', '/it/no-such-page'];

test('the language switcher changes the language and remembers it', async () => {
  const { context, page, problems } = await openPage(chrome.browser, { locale: 'en-GB' });
  try {
    await page.goto(`${stack.url}/hello/Helsinki`);
    assert.equal(await page.locator('h1').textContent(), 'Hello, Helsinki!');
    await page.getByRole('link', { name: 'Suomi' }).click();
    await page.waitForURL(`${stack.url}/fi/hello/Helsinki`);
    assert.equal(await page.locator('h1').textContent(), 'Hei, Helsinki!');
    assert.equal(await page.locator('html').getAttribute('lang'), 'fi');
    // The choice is remembered: an address without a prefix is Finnish now,
    // although the browser still asks for English.
    await page.goto(`${stack.url}/hello/Helsinki`);
    assert.equal(await page.locator('h1').textContent(), 'Hei, Helsinki!');
    assert.equal(await page.getByRole('link', { name: 'Suomi' }).getAttribute('aria-current'), 'true');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("the browser's language is used when nothing was chosen", async () => {
  const { context, page } = await openPage(chrome.browser, { locale: 'pl-PL' });
  try {
    await page.goto(`${stack.url}/hello/Warszawa`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'pl');
    assert.match(await page.locator('h1').textContent(), /Warszawa/);
  } finally {
    await context.close();
  }
});

test('the skip link is the first stop for the keyboard and moves focus to the content', async () => {
  const { context, page } = await openPage(chrome.browser);
  try {
    await page.goto(`${stack.url}/hello/Roma`);
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    assert.equal(await focused.getAttribute('href'), '#main');
    assert.ok(await focused.isVisible(), 'the focused skip link is visible');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
  } finally {
    await context.close();
  }
});

for (const path of PAGES) {
  test(`${path}: no console errors or CSP violations; one h1, a title, a lang, landmarks`, async () => {
    const { context, page, problems } = await openPage(chrome.browser, {
      expectError: path.includes('no-such-page') ? 404 : null,
    });
    try {
      await page.goto(`${stack.url}${path}`);
      assert.equal(await page.locator('h1').count(), 1);
      assert.ok((await page.title()).length > 0);
      assert.match(await page.locator('html').getAttribute('lang'), /^(en|it|lt|pl|fr|nl|fi)$/);
      for (const landmark of ['banner', 'main', 'contentinfo']) {
        assert.equal(await page.getByRole(landmark).count(), 1, landmark);
      }
      assert.ok(await page.getByRole('navigation').count() >= 2, 'main and language navigation');
      // Every link has an accessible name.
      const unnamed = await page.locator('a').evaluateAll((links) => links
        .filter((a) => !(a.textContent.trim() || a.getAttribute('aria-label')))
        .map((a) => a.outerHTML));
      assert.deepEqual(unnamed, []);
      // The stylesheet loaded (the CSP allows 'self' only).
      assert.ok(await page.evaluate(() => document.styleSheets.length >= 1));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}
