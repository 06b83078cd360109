// Signing in and out in a real browser: the form (with its hidden CSRF
// token) works as a visitor uses it, lands on the page asked for, the
// header shows who is signed in, and sign-out (a form button) ends it;
// no console errors or CSP violations (form-action 'self') on the way.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useStack } from '../http/lib/stack.mjs';
import { FAST_HASH, PASSWORD, addUser } from '../http/lib/accounts.mjs';
import { openPage, useBrowser } from './lib/browser.mjs';

const stack = useStack({ plugins: ['hello'], testPlugins: ['probe'], core: FAST_HASH });
const chrome = useBrowser();

test('sign in through the form, see the account, sign out', async () => {
  await addUser(stack, 'browser@example.org', 'admin', PASSWORD, 'Bea Browser');
  const { context, page, problems } = await openPage(chrome.browser, { locale: 'en-GB' });
  try {
    // A page that needs a session sends the visitor to the form, and back.
    await page.goto(`${stack.url}/account`);
    assert.equal(new URL(page.url()).pathname, '/sign-in');
    await page.getByLabel('Email address').fill('browser@example.org');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/(en\/)?account$/);
    assert.equal(await page.locator('h1').textContent(), 'Your account');
    const banner = page.getByRole('banner');
    assert.equal(await banner.getByRole('link', { name: 'Bea Browser' }).count(), 1);
    assert.equal(await banner.getByRole('link', { name: 'Administration' }).count(), 1);
    // The session cookie is not readable by scripts (HttpOnly).
    assert.equal(await page.evaluate(() => document.cookie.includes('labnet_session')), false);

    await page.goto(`${stack.url}/admin/users`);
    assert.equal(await page.locator('h1').textContent(), 'Users');
    assert.equal(await page.getByRole('cell', { name: 'browser@example.org' }).count(), 1);

    await banner.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${stack.url}/en/`);
    assert.equal(await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).count(), 1);
    await page.goto(`${stack.url}/account`);
    assert.equal(new URL(page.url()).pathname, '/sign-in');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
