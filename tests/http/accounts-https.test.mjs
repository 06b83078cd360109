// A site whose base_url is https:// sends its session cookie with Secure
// (the plain-HTTP case is in accounts.test.mjs), and under a path prefix the
// cookie's Path is the prefix.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useStack } from './lib/stack.mjs';

const stack = useStack({
  plugins: ['hello'],
  core: { base_url: 'https://labnet.example.org/labnet' },
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
