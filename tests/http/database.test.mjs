// The database layer through the real stack: a stopped or hung PostgreSQL
// gives 503 with Retry-After quickly, and once it is back the same core
// (no restart, no worker death) answers 200 again; the runtime role cannot
// change the schema; transactions commit or roll back as asked.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deadline, useStack } from './lib/stack.mjs';
import { browser } from './lib/accounts.mjs';

const TIMEOUTS = { connect_timeout: 2, statement_timeout: 2 };
// The render cache off: every request runs its handler and reaches the
// database (with it on, a cached page is served through an outage).
const stack = useStack({ plugins: ['hello'], testPlugins: ['probe'], core: { ...TIMEOUTS, render_cache: 0 } });

/** GET path; resolves with { status, ms, retryAfter }. */
async function timedGet(path) {
  const started = Date.now();
  const res = await stack.get(path);
  await res.arrayBuffer();
  return { status: res.status, ms: Date.now() - started, retryAfter: res.headers.get('retry-after') };
}

/** Poll path until it answers want, within ms; returns the attempts made. */
async function until(path, want, ms) {
  const end = Date.now() + ms;
  let last;
  let attempts = 0;
  while (Date.now() < end) {
    attempts++;
    last = await timedGet(path);
    if (last.status === want) return attempts;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${path} still answers ${last?.status} after ${ms} ms`);
}

async function workerDeaths() {
  return ((await stack.log()).match(/worker \d+ (died|exited with)/g) ?? []).length;
}

test('a stopped database gives 503 with Retry-After, quickly; back, 200 with the same core', async () => {
  assert.equal((await timedGet('/hello/ada')).status, 200);
  const deathsBefore = await workerDeaths();
  await stack.pgStop();
  try {
    for (const path of ['/hello/ada', '/hello/grace', '/-/health']) {
      const r = await timedGet(path);
      assert.equal(r.status, 503, `${path} while the database is stopped`);
      assert.equal(r.retryAfter, '5');
      // Bounded by connect_timeout (2 s) plus slack, never a hang.
      assert.ok(r.ms < deadline(5000), `${path} took ${r.ms} ms`);
    }
  } finally {
    await stack.pgStart();
  }
  await until('/hello/ada', 200, deadline(10000));
  // Another worker's connection may still wait out its one-second retry
  // interval after the failures above: poll, do not expect it at once.
  await until('/-/health', 200, deadline(5000));
  assert.equal(await workerDeaths(), deathsBefore, 'no worker died or was restarted');
  assert.match(await stack.log(), /reconnected to the database/);
});

test('a hung database (SIGSTOP) gives 503 within the statement timeout; resumed, 200', async () => {
  assert.equal((await timedGet('/hello/ada')).status, 200);
  const deathsBefore = await workerDeaths();
  await stack.pgPause();
  try {
    const results = await Promise.all([timedGet('/hello/ada'), timedGet('/hello/bob'), timedGet('/-/health')]);
    for (const r of results) {
      assert.equal(r.status, 503);
      // statement_timeout 2 s + 1 s client margin, or connect_timeout 2 s.
      assert.ok(r.ms < deadline(6000), `took ${r.ms} ms`);
    }
  } finally {
    await stack.pgResume();
  }
  await until('/hello/ada', 200, deadline(15000));
  assert.equal(await workerDeaths(), deathsBefore);
});

test('the runtime role cannot create or alter tables or schemas', async () => {
  for (const sql of [
    'CREATE TABLE hello.intruder (i int)',
    'CREATE TABLE public.intruder (i int)',
    'CREATE SCHEMA intruder',
    'ALTER TABLE hello.names ADD COLUMN evil text',
    'DROP TABLE hello.names',
    'CREATE TABLE core.intruder (i int)',
  ]) {
    await assert.rejects(stack.psql(sql), /permission denied|must be owner/, sql);
  }
  // ...but it can read and write its data.
  await stack.psql("INSERT INTO hello.names (name, note) VALUES ('runtime', 'can write')");
  assert.equal(await stack.psql("SELECT note FROM hello.names WHERE name = 'runtime'"), 'can write');
});

test('a known name shows its note: a prepared statement over the migration', async () => {
  await stack.psql("INSERT INTO hello.names (name, note) VALUES ('Ada', 'wrote the first program')", { owner: true });
  const res = await stack.get('/hello/Ada?format=xml');
  assert.equal(res.status, 200);
  const xml = await res.text();
  assert.match(xml, /<known>true<\/known>/);
  assert.match(xml, /<note>wrote the first program<\/note>/);
  // Input is a parameter, never SQL: a quote is just a name.
  const odd = await stack.get(`/hello/${encodeURIComponent("x' OR '1'='1")}?format=xml`);
  assert.equal(odd.status, 200);
  assert.match(await odd.text(), /<known>false<\/known>/);
});

test('a transaction commits, or rolls back and writes nothing', async () => {
  const count = async () => Number((await (await stack.get('/probe/items?format=xml')).text()).match(/<items>(\d+)<\/items>/)[1]);
  const before = await count();
  // POSTs carry the session's CSRF token, as a form would.
  const client = browser(stack);
  const ok = await client.post('/probe/items?format=xml', { label: 'kept' });
  assert.equal(ok.status, 200, await ok.text());
  assert.equal(await count(), before + 1);
  const failed = await client.post('/probe/items', { label: 'dropped', fail: '1' });
  assert.equal(failed.status, 409);
  await failed.arrayBuffer();
  assert.equal(await count(), before + 1);
  assert.equal(await stack.psql("SELECT count(*) FROM probe.items WHERE label = 'dropped'"), '0');
  const missing = await client.post('/probe/items', {});
  assert.equal(missing.status, 400);
  assert.match(await missing.text(), /label/);
  assert.equal(await count(), before + 1);
});
