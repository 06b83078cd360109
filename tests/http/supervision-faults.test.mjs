// Faults in plugin code: a handler that outlasts request_timeout gets its
// worker killed and replaced (the log names the route); a POST whose worker
// is killed mid-request writes at most one row (nginx does not send it
// again); a plugin whose route crashes workers is quarantined after
// quarantine_crashes crashes: its routes answer 503 while every other
// plugin answers all requests, and before that each crash costs at most
// the crashed worker's requests in flight. A reload lifts the quarantine.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load, summary } from './lib/load.mjs';
import { childrenOf, sleep, waitFor } from './lib/procs.mjs';
import { deadline, SAN, useStack } from './lib/stack.mjs';

const THREADS = 2;
const CRASHES = 3;
const stack = useStack({
  plugins: ['hello'],
  testPlugins: ['crashy', 'sleepy'],
  core: { workers: 2, threads: THREADS, request_timeout: 2, quarantine_crashes: CRASHES, quarantine_window: 120 },
});

async function status(path, opts) {
  const res = opts ? await stack.request(opts.method, path, opts) : await stack.get(path);
  await res.arrayBuffer();
  return res;
}

test('a request past request_timeout: it fails, its worker is replaced, the next succeeds', { timeout: deadline(60000) }, async () => {
  const master = Number(stack.env.LABNET_PID);
  const before = (await childrenOf(master)).map((w) => w.pid);
  const started = Date.now();
  const res = await status('/sleepy/nap?ms=20000');
  assert.ok(res.status >= 500, `the stuck request fails (${res.status})`);
  assert.ok(Date.now() - started < deadline(10000), 'well before the handler would have finished');
  const log = await waitFor(async () => {
    const text = await stack.log();
    return /has run for more than request_timeout/.test(text) ? text : '';
  }, deadline(5000));
  assert.match(log, /worker \d+: GET \/sleepy\/nap \(plugin sleepy, request [0-9a-f]+\) has run for more than request_timeout = 2 s; killing the worker/);
  const now = await waitFor(async () => {
    const list = (await childrenOf(master)).map((w) => w.pid);
    return list.length === 2 && list.some((pid) => !before.includes(pid)) ? list : null;
  }, deadline(5000));
  assert.ok(now, 'a replacement worker runs');
  assert.equal((await status('/sleepy/nap?ms=0')).status, 200);
  assert.equal((await status('/hello/next')).status, 200);
});

test('a POST whose worker is killed mid-request writes at most one row', { timeout: deadline(60000) }, async () => {
  const master = Number(stack.env.LABNET_PID);
  const label = `killed-${Date.now()}`;
  const pending = stack.request('POST', '/sleepy/write', {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ label, ms: '1500' }),
  }).then(async (res) => { await res.arrayBuffer(); return res.status; }, () => 'error');
  // The row is committed before the handler naps; kill every worker then.
  await waitFor(async () => Number(await stack.psql(`SELECT count(*) FROM sleepy.writes WHERE label = '${label}'`)) > 0, deadline(5000), 20);
  for (const w of await childrenOf(master)) process.kill(w.pid, 'SIGKILL');
  const answer = await pending;
  assert.notEqual(answer, 200, 'the client does not get a success');
  await sleep(deadline(1500));
  assert.equal(await stack.psql(`SELECT count(*) FROM sleepy.writes WHERE label = '${label}'`), '1');
  assert.equal((await status('/hello/after-post')).status, 200);
});

test('a crashing plugin is quarantined; the others keep answering', { timeout: deadline(120000) }, async () => {
  // Load on hello throughout; the crashes land on other requests.
  const during = load(`${stack.url}/hello/during`, { connections: 16, seconds: SAN ? 9 : 6, pause: 5 });
  await sleep(500);
  const answers = [];
  for (let i = 0; i < CRASHES; i++) {
    answers.push((await status('/crashy/boom')).status);
    await sleep(SAN ? 600 : 300);
  }
  const result = await during;
  console.log(`load during crashes: ${summary(result)}`);
  for (const code of answers) assert.ok(code >= 500, `a crash answers an error (${code})`);
  // Each crash may take the other request its worker was serving.
  assert.ok(result.failed <= CRASHES * (THREADS - 1),
    `${result.failed} hello requests failed for ${CRASHES} crashes`);
  const log = await waitFor(async () => {
    const text = await stack.log();
    return /plugin crashy quarantined/.test(text) ? text : '';
  }, deadline(5000));
  // The worker's other thread may be listed first, serving hello.
  assert.match(log, /died on signal 6 \(Aborted\) while serving (?:[^\n]*; )?GET \/crashy\/boom \(plugin crashy, request [0-9a-f]+\) <- crashed here/);
  assert.match(log, /plugin crashy quarantined: its code crashed 3 workers within 120 s/);

  const boom = await stack.get('/crashy/boom');
  assert.equal(boom.status, 503);
  assert.ok(boom.headers.get('retry-after'));
  assert.match(await boom.text(), /Service Unavailable|503/);
  assert.equal((await status('/crashy/ok')).status, 503);
  const metrics = await (await stack.get('/-/metrics')).text();
  assert.match(metrics, /^labnet_plugin_quarantined\{plugin="crashy"\} 1$/m);
  assert.match(metrics, /^labnet_plugin_quarantined\{plugin="hello"\} 0$/m);

  // Once quarantined, the other plugins answer every request, even with
  // crashy's routes hammered alongside.
  const after = await load(`${stack.url}/hello/after`, {
    connections: 16, seconds: SAN ? 6 : 4, pause: 5,
    paths: ['/hello/after', '/crashy/boom', '/sleepy/nap?ms=1'],
    ok: (code) => code === 200 || code === 503,
  });
  console.log(`load after quarantine: ${summary(after)}`);
  assert.equal(after.failed, 0, JSON.stringify(after.byStatus));
  assert.ok(!(after.byStatus['503'] > 0 && after.byStatus['200'] === undefined));

  // A reload switches it on again.
  process.kill(Number(stack.env.LABNET_PID), 'SIGHUP');
  const ok = await waitFor(async () => (await status('/crashy/ok')).status === 200, deadline(10000), 200);
  assert.ok(ok, 'crashy serves again after a reload');
});
