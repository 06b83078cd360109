// The labs directory in a real browser: search and filter with the form,
// open a profile, and reach the map's markers from the keyboard. No
// console errors or CSP violations on the way.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useStack } from '../http/lib/stack.mjs';
import { openPage, useBrowser } from './lib/browser.mjs';

const stack = useStack({ plugins: ['hello', 'labs'], demo: true });
const chrome = useBrowser();

test('search, tick filters, open a profile', async () => {
  const { context, page, problems } = await openPage(chrome.browser);
  try {
    await page.goto(`${stack.url}/labs`);
    assert.equal(await page.locator('h1').textContent(), 'Find a lab');
    assert.equal(await page.locator('.labs-item').count(), 7);
    // Tick two countries (OR) and submit the form.
    await page.getByLabel(/^Italy/).check();
    await page.getByLabel(/^Netherlands/).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/country=IT&country=NL/);
    assert.equal(await page.locator('.labs-item').count(), 3);
    assert.match(await page.locator('#labs-results-heading').textContent(), /3/);
    // Narrow down with a second facet (AND).
    await page.getByLabel(/^Fab lab/).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/kind=fab-lab/);
    assert.equal(await page.locator('.labs-item').count(), 1);
    // Search without accents finds the Lithuanian centre.
    await page.goto(`${stack.url}/labs`);
    await page.getByLabel('Search', { exact: true }).fill('socialiniu inovaciju');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/q=socialiniu/);
    await page.getByRole('link', { name: 'Socialinių inovacijų centras' }).click();
    await page.waitForURL(/\/labs\/socialiniu-inovaciju-centras$/);
    assert.equal(await page.locator('h1').textContent(), 'Socialinių inovacijų centras');
    assert.ok(await page.getByRole('link', { name: 'Social innovation' }).isVisible());
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('map markers are links the keyboard reaches, named after their lab', async () => {
  const { context, page, problems } = await openPage(chrome.browser);
  try {
    await page.goto(`${stack.url}/labs/map`);
    const markers = page.locator('svg a');
    assert.equal(await markers.count(), 7);
    // Tab from the intro's last link into the map: the first marker.
    await page.getByRole('link', { name: 'The labs as a list' }).focus();
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    assert.equal(first, 'European Digital Learning Network, Milano');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
      'HvA Makerslab, Amsterdam');
    // The marker's accessible name is what a screen reader announces.
    assert.ok(await page.getByRole('link', { name: 'Metropolia Innovation Lab, Helsinki' }).isVisible());
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/labs\/hva-makerslab$/);
    assert.equal(await page.locator('h1').textContent(), 'HvA Makerslab');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
