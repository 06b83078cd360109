// The sign-in rate limit through the real stack: kept in PostgreSQL, per
// account and per client address (X-Forwarded-For from the trusted local
// proxy stands for different visitors). Back-off from the third failure
// of an account, and from half the limit of an address (1 s, 2 s ...), then
// 429 with Retry-After until the window has passed; then it recovers.
// Windows are short here so the test can wait them out.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useStack } from './lib/stack.mjs';
import { FAST_HASH, PASSWORD, addUser, browser, signIn } from './lib/accounts.mjs';

const WINDOW = 4;
const stack = useStack({
  plugins: ['hello'],
  testPlugins: ['probe'],
  core: { ...FAST_HASH, login_window: WINDOW, login_max_failures: 4, login_max_failures_addr: 4 },
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let visitor = 0;
/** A client from a new address each time. */
const fresh = () => browser(stack, { headers: { 'X-Forwarded-For': `203.0.113.${++visitor}` } });

test('per account: back-off, then 429 with Retry-After, then it recovers', async () => {
  await addUser(stack, 'target@example.org');
  for (let i = 1; i <= 3; i++) {
    const res = await signIn(fresh(), 'target@example.org', `wrong password ${i}`);
    assert.equal(res.status, 200, `failure ${i} shows the form again`);
  }
  // Back-off: after the third failure, the next try must wait a second,
  // whatever the address it comes from.
  const early = await signIn(fresh(), 'target@example.org', 'wrong password 4');
  assert.equal(early.status, 429);
  const wait = Number(early.headers.get('retry-after'));
  assert.ok(wait >= 1 && wait <= 2, `Retry-After ${wait}`);
  await sleep(wait * 1000 + 100);
  assert.equal((await signIn(fresh(), 'target@example.org', 'wrong password 4')).status, 200);
  // Four failures in the window: even the right password waits.
  const limited = await signIn(fresh(), 'TARGET@example.org', PASSWORD);
  assert.equal(limited.status, 429);
  const retry = Number(limited.headers.get('retry-after'));
  assert.ok(retry >= 1 && retry <= WINDOW, `Retry-After ${retry}`);
  assert.match(await limited.text(), /Too many|429/i);
  // Another account is not affected.
  await addUser(stack, 'bystander@example.org');
  assert.equal((await signIn(fresh(), 'bystander@example.org')).status, 303);

  await sleep(retry * 1000 + 200);
  assert.equal((await signIn(fresh(), 'target@example.org')).status, 303, 'recovered after the window');
  assert.equal(await stack.psql("SELECT count(*) FROM core.login_attempts WHERE account = 'target@example.org'"), '0',
    'a successful sign-in forgets the failures');
});

test('per client address: back-off, then the address limit, whatever the accounts', async () => {
  const from = { headers: { 'X-Forwarded-For': '192.0.2.99' } };
  for (let i = 1; i <= 3; i++) {
    const res = await signIn(browser(stack, from), `nobody${i}@example.org`, 'wrong password');
    assert.equal(res.status, 200, `failure ${i}`);
  }
  // Half the address limit (here: from the third failure on) starts its
  // back-off, although each account has failed only once.
  const early = await signIn(browser(stack, from), 'nobody4@example.org', 'wrong password');
  assert.equal(early.status, 429, 'the address waits');
  const wait = Number(early.headers.get('retry-after'));
  assert.ok(wait >= 1 && wait <= 2, `Retry-After ${wait}`);
  await sleep(wait * 1000 + 100);
  assert.equal((await signIn(browser(stack, from), 'nobody4@example.org', 'wrong password')).status, 200,
    'after the back-off, a try is judged again');
  const limited = await signIn(browser(stack, from), 'bystander@example.org');
  assert.equal(limited.status, 429, 'the address is limited, even for a right password');
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  // Another address signs in at once.
  assert.equal((await signIn(fresh(), 'bystander@example.org')).status, 303);
  await sleep(WINDOW * 1000 + 200);
  assert.equal((await signIn(browser(stack, from), 'bystander@example.org')).status, 303, 'recovered');
});
