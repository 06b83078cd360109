// The render cache (issue 7, DESIGN section 8): public pages for visitors
// are kept per worker and served again without running the handler, until
// the data changes. A write through any worker is visible on the very next
// request through every worker; a write from elsewhere (psql, another
// host) arrives by the NOTIFY of a trigger on every plugin table; a reload
// empties the cache; nothing that depends on a session, a cookie, a
// request header or the client address is ever stored or served to
// someone else. Two workers of two threads each, so requests spread over
// both caches.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from './lib/procs.mjs';
import { deadline, useStack } from './lib/stack.mjs';
import { FAST_HASH, addUser, browser, signIn } from './lib/accounts.mjs';

const stack = useStack({
  plugins: ['hello', 'labs'],
  testPlugins: ['probe'],
  demo: true,
  core: { ...FAST_HASH, workers: 2, threads: 2 },
});

// Enough requests that both workers (two threads each) answer some.
const SPREAD = 12;

async function metric(name) {
  const text = await (await stack.get('/-/metrics')).text();
  const match = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
  assert.ok(match, `metric ${name}`);
  return Number(match[1]);
}

async function bodies(path, headers = {}) {
  const out = [];
  for (let i = 0; i < SPREAD; i++) {
    const res = await stack.get(path, headers);
    assert.equal(res.status, 200, path);
    out.push(await res.text());
  }
  return out;
}

/** The item count /probe/items.xml shows, once per request of `bodies`. */
const itemCounts = async () => (await bodies('/probe/items.xml'))
  .map((text) => /<items>(\d+)<\/items>/.exec(text)[1]);

const labName = (slug) => stack.psql(`SELECT name FROM labs.labs WHERE slug = '${slug}'`);

let admin;

test('setup: an admin, signed in', async () => {
  await addUser(stack, 'admin@example.org', 'admin', undefined, 'Ada Admin');
  admin = browser(stack);
  assert.equal((await signIn(admin, 'admin@example.org')).status, 303);
});

test('repeat views come from the cache, byte for byte, with one ETag', async () => {
  const hits = await metric('labnet_render_cache_hits_total');
  const seen = new Set();
  const etags = new Set();
  for (let i = 0; i < SPREAD; i++) {
    const res = await stack.get('/en/labs');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    etags.add(res.headers.get('etag'));
    seen.add(await res.text());
  }
  assert.equal(seen.size, 1, 'every view is the same page');
  assert.equal(etags.size, 1, 'with the same ETag');
  // At most one miss per worker thread before each cache holds the page.
  assert.ok(await metric('labnet_render_cache_hits_total') - hits >= SPREAD - 4,
    'most views were hits');
  assert.ok(await metric('labnet_render_cache_entries') >= 1);
});

test('If-None-Match answers 304 from the cache; HEAD gets the headers only', async () => {
  const first = await stack.get('/en/labs/ied-milano');
  const etag = first.headers.get('etag');
  const body = await first.text();
  await bodies('/en/labs/ied-milano');
  const hits = await metric('labnet_render_cache_hits_total');
  for (let i = 0; i < 4; i++) {
    const res = await stack.get('/en/labs/ied-milano', { 'If-None-Match': etag });
    assert.equal(res.status, 304);
    assert.equal(res.headers.get('etag'), etag);
    assert.equal(await res.text(), '');
  }
  const head = await stack.request('HEAD', '/en/labs/ied-milano');
  assert.equal(head.status, 200);
  assert.equal(Number(head.headers.get('content-length')), Buffer.byteLength(body));
  assert.equal(head.headers.get('etag'), etag);
  assert.ok(await metric('labnet_render_cache_hits_total') - hits >= 3);
});

test('a write through one worker shows on the very next request through every worker', async () => {
  const before = await itemCounts();
  assert.equal(new Set(before).size, 1);
  const version = await metric('labnet_data_version');
  const res = await admin.post('/probe/items', { label: 'cached-write' });
  assert.equal(res.status, 200);
  await res.arrayBuffer();
  // No wait: the version changed before the POST was answered.
  const after = await itemCounts();
  assert.deepEqual(new Set(after), new Set([String(Number(before[0]) + 1)]), after.join(' '));
  assert.ok(await metric('labnet_data_version') > version);
});

test('a handler that writes and then fails still drops the cached pages', async () => {
  // The row is written in autocommit before the handler answers 500: it
  // stays, so the pages made before it must go although the handler failed.
  const before = await itemCounts();
  assert.equal(new Set(before).size, 1);
  const version = await stack.dataVersion();
  const res = await admin.post('/probe/write-then-fail', { label: 'written-then-failed' });
  assert.equal(res.status, 500);
  await res.arrayBuffer();
  // No wait: the version changed before the failure was answered.
  const after = await itemCounts();
  assert.deepEqual(new Set(after), new Set([String(Number(before[0]) + 1)]), after.join(' '));
  assert.ok(await stack.dataVersion() > version, 'the data version moved');
  assert.equal(await stack.psql("SELECT count(*) FROM probe.items WHERE label = 'written-then-failed'"), '1');
});

test('a sign-in, right or wrong, keeps the cached pages (LN_KEEP_CACHE)', async () => {
  // Signing in writes only the session and the audit trail, which no
  // public page shows: a stream of wrong passwords must not keep every
  // cache cold. The same visitor's pages stay hits before and after.
  await (await stack.get('/en/labs')).arrayBuffer();
  const version = await stack.dataVersion();
  const hits = await metric('labnet_render_cache_hits_total');
  const visitor = browser(stack);
  for (const password of ['not the password at all', undefined]) {
    const res = await signIn(visitor, 'admin@example.org', password);
    assert.equal(res.status, password ? 200 : 303, 'wrong, then right');
    await res.arrayBuffer();
  }
  const out = await admin.post('/sign-out', {});
  assert.equal(out.status, 303);
  await out.arrayBuffer();
  assert.equal(await stack.dataVersion(), version, 'the data version stayed');
  await bodies('/en/labs');
  assert.ok(await metric('labnet_render_cache_hits_total') - hits >= SPREAD - 1,
    'the pages made before the sign-ins are still served');
  admin = visitor;
});

test('an edit of a lab shows at once on its page and in the list, in every language', async () => {
  await bodies('/en/labs/ied-milano');
  await bodies('/fi/labs');
  const form = await admin.get('/labs/ied-milano/edit');
  assert.equal(form.status, 200);
  const html = await form.text();
  const fields = {};
  for (const m of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields[m[1]] = m[2];
  for (const m of html.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</g)) fields[m[1]] = m[2];
  for (const m of html.matchAll(/<select[^>]*name="([^"]+)"[^>]*>[\s\S]*?<option[^>]*value="([^"]*)"[^>]*selected/g)) fields[m[1]] = m[2];
  const checked = [...html.matchAll(/<input[^>]*type="checkbox"[^>]*name="([^"]+)"[^>]*value="([^"]*)"[^>]*checked/g)];
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (k !== 'csrf') body.set(k, v.replace(/&amp;/g, '&'));
  for (const [, k, v] of checked) body.append(k, v);
  body.set('name', 'IED Milano (renamed while cached)');
  body.set('csrf', await admin.csrf());
  const res = await admin.request('POST', '/labs/ied-milano/edit', { body });
  assert.equal(res.status, 303, await res.text());
  assert.equal(await labName('ied-milano'), 'IED Milano (renamed while cached)');
  for (const page of await bodies('/en/labs/ied-milano')) assert.match(page, /renamed while cached/);
  for (const page of await bodies('/fi/labs')) assert.match(page, /renamed while cached/);
});

test('a write from outside Labnet (psql, another host) arrives by the trigger\'s NOTIFY', async () => {
  await bodies('/en/labs/media-dizajn');
  const version = await metric('labnet_data_version');
  await stack.psql("UPDATE labs.labs SET name = 'Media Dizajn, from psql' WHERE slug = 'media-dizajn'",
    { settle: false });
  const fresh = await waitFor(async () => (await bodies('/en/labs/media-dizajn'))
    .every((page) => /Media Dizajn, from psql/.test(page)), deadline(5000), 20);
  assert.ok(fresh, 'every worker dropped its pages after the notification');
  assert.ok(await metric('labnet_data_version') > version);
  // Another Labnet host writes the same way; a hand-made NOTIFY does too.
  const before = await metric('labnet_data_version');
  await stack.psql("NOTIFY labnet_data, 'another-host'");
  assert.ok(await waitFor(async () => await metric('labnet_data_version') > before, deadline(5000), 20));
});

test('the cache is real: a write nothing reports stays unseen until a reload empties it', async () => {
  await bodies('/en/labs/media-dizajn');
  // Behind every trigger's back (the owner can switch them off).
  await stack.psql(`ALTER TABLE labs.labs DISABLE TRIGGER labnet_data_changed;
    UPDATE labs.labs SET name = 'Media Dizajn, unreported' WHERE slug = 'media-dizajn';
    ALTER TABLE labs.labs ENABLE TRIGGER labnet_data_changed`, { owner: true, settle: false });
  for (const page of await bodies('/en/labs/media-dizajn')) {
    assert.doesNotMatch(page, /unreported/, 'the cached page is served');
  }
  const generation = await metric('labnet_generation');
  process.kill(Number(stack.env.LABNET_PID), 'SIGHUP');
  assert.ok(await waitFor(async () => await metric('labnet_generation') > generation &&
    (await bodies('/en/labs/media-dizajn')).every((page) => /unreported/.test(page)),
  deadline(15000), 200), 'the new generation starts with empty caches');
});

test('a vocabulary label edited in the database shows on the next pages', async () => {
  for (const page of await bodies('/it/labs')) assert.match(page, /Design industriale/);
  await stack.psql(`UPDATE core.vocab_labels SET label = 'Disegno industriale'
    WHERE scheme = 'discipline' AND key = 'industrial-design' AND lang = 'it'`, { owner: true });
  const fresh = await waitFor(async () => (await bodies('/it/labs'))
    .every((page) => /Disegno industriale/.test(page) && !/Design industriale/.test(page)), deadline(5000), 20);
  assert.ok(fresh, 'the label changed on every worker');
  // The signed-in admin's pages are never cached, but the workers' copies
  // of the vocabulary are shared: they too have the new label.
  assert.match(await (await admin.get('/it/labs?sort=name')).text(), /Disegno industriale/);
  await stack.psql(`UPDATE core.vocab_labels SET label = 'Design industriale'
    WHERE scheme = 'discipline' AND key = 'industrial-design' AND lang = 'it'`, { owner: true });
});

test('a signed-in user never gets a cached page, and none of theirs is kept', async () => {
  const visitor = await bodies('/en/labs?sort=name');
  for (const page of visitor) assert.doesNotMatch(page, /Ada Admin/);
  const stores = await metric('labnet_render_cache_stores_total');
  for (let i = 0; i < SPREAD; i++) {
    const res = await admin.get('/en/labs?sort=name');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('cache-control'), /private, no-store/);
    assert.match(await res.text(), /Ada Admin/);
  }
  // A page no visitor has asked for yet, seen by the admin only.
  for (let i = 0; i < 4; i++) assert.match(await (await admin.get('/en/labs?q=milano')).text(), /Ada Admin/);
  assert.equal(await metric('labnet_render_cache_stores_total'), stores, 'nothing stored for a session');
  for (const page of await bodies('/en/labs?q=milano')) assert.doesNotMatch(page, /Ada Admin/);
});

test('a page that starts a session, or reads a header or the address, is never shared', async () => {
  // ln_csrf_token() starts a pre-login session: each visitor its own.
  const tokens = new Set();
  for (let i = 0; i < SPREAD; i++) {
    const res = await stack.get('/probe/csrf.xml');
    assert.ok(res.headers.get('set-cookie'), 'a session cookie');
    tokens.add(/<token>([0-9a-f]{32})<\/token>/.exec(await res.text())[1]);
  }
  assert.equal(tokens.size, SPREAD, 'a token per visitor');
  // The echo handler reads User-Agent and the client address.
  for (let i = 0; i < SPREAD; i++) {
    const text = await (await stack.get('/probe/echo.xml', { 'User-Agent': `agent-${i}` })).text();
    assert.match(text, new RegExp(`<user-agent>agent-${i}</user-agent>`));
  }
});

test('/-/health is never cached: it reports the database as it is now', async () => {
  assert.equal((await stack.get('/-/health')).status, 200);
  await stack.pgStop();
  try {
    const res = await stack.get('/-/health');
    assert.equal(res.status, 503);
  } finally {
    await stack.pgStart();
  }
  assert.ok(await waitFor(async () => (await stack.get('/-/health')).status === 200, deadline(15000), 200));
});
