// A site whose base_url is https:// sends its session cookie with Secure
// (the plain-HTTP case is in accounts.test.mjs), and under a path prefix the
// cookie's Path is the prefix and the sign-in redirects keep it. Its mail
// command fails, which the admin is told.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useStack } from './lib/stack.mjs';
import { FAST_HASH, addUser, browser, linkOf, signIn } from './lib/accounts.mjs';

const stack = useStack({
  plugins: ['hello'],
  testPlugins: ['probe'],
  core: { base_url: 'https://labnet.example.org/labnet', sendmail: '/bin/false', ...FAST_HASH },
  env: { BASE_PATH: '/labnet' },
});

test('the session cookie is Secure, HttpOnly, SameSite=Lax, with the prefix as Path', async () => {
  const res = await stack.get('/sign-in');
  assert.equal(res.status, 200);
  const line = res.headers.getSetCookie().find((c) => c.startsWith('labnet_session='));
  assert.ok(line, 'a pre-login session for the form');
  assert.match(line, /; Secure/);
  assert.match(line, /; HttpOnly/);
  assert.match(line, /; SameSite=Lax/);
  assert.match(line, /; Path=\/labnet(;|$)/);
  assert.equal(res.headers.get('cache-control'), 'private, no-store');
});

test('under the prefix: the redirect to sign-in and back keep it', async () => {
  const res = await stack.get('/account');
  assert.equal(res.status, 303);
  const to = new URL(res.headers.get('location'));
  assert.equal(to.origin + to.pathname, 'https://labnet.example.org/labnet/sign-in');
  assert.equal(to.searchParams.get('next'), '/account');
  const xml = await stack.get('/account', { Accept: 'application/xml' });
  assert.match(xml.headers.get('www-authenticate'), /form-action="\/labnet\/sign-in"/);
});

test('a failing mail command: the link is still shown, and the admin is told', async () => {
  await addUser(stack, 'admin@example.org', 'admin');
  const admin = browser(stack);
  const signedIn = await signIn(admin, 'admin@example.org');
  assert.equal(signedIn.headers.get('location'), 'https://labnet.example.org/labnet/account');
  const res = await admin.post('/admin/invite', { email: 'p@example.org', name: 'P Partner', role: 'editor' });
  assert.equal(res.status, 200);
  const page = await res.text();
  assert.match(linkOf(page), /^https:\/\/labnet\.example\.org\/labnet\/invite\/[0-9a-f]{32}$/);
  assert.match(page, /Sending it by email failed/);
  assert.match(await stack.log(), /sendmail: \/bin\/false exited with 1/);
});
