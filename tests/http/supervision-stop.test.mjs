// Stopping and crash loops. SIGTERM under load: the master stops
// accepting, requests in flight finish with their answer, and everything
// exits. A crash loop (more than crash_loop_deaths deaths within
// crash_loop_window seconds) slows respawning down and is logged, while
// the site keeps serving.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load, summary } from './lib/load.mjs';
import { alive, childrenOf, sleep, waitFor } from './lib/procs.mjs';
import { deadline, SAN, useStack } from './lib/stack.mjs';

const stack = useStack({
  plugins: ['hello'],
  testPlugins: ['crashy', 'sleepy'],
  core: { workers: 2, threads: 2, crash_loop_deaths: 2, crash_loop_window: 30, quarantine_crashes: 0 },
});

async function get(path) {
  try {
    const res = await stack.get(path);
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 'error';
  }
}

test('a crash loop slows respawning down, is logged, and the site keeps serving', { timeout: deadline(90000) }, async () => {
  const master = Number(stack.env.LABNET_PID);
  const codes = [];
  for (let i = 0; i < 4; i++) codes.push(await get('/crashy/boom'));
  for (const code of codes) assert.notEqual(code, 200);
  const log = await waitFor(async () => {
    const text = await stack.log();
    return /workers died within 30 s: respawning more slowly; serving with the workers that are left/.test(text) ? text : '';
  }, deadline(5000));
  assert.ok(log, 'the crash loop is logged');
  // Respawning goes on, one worker per interval: the site serves again.
  const back = await waitFor(async () => (await get('/hello/loop')) === 200, deadline(15000), 200);
  assert.ok(back, 'the site serves during the back-off');
  const workers = await waitFor(async () => (await childrenOf(master)).length >= 2, deadline(20000), 200);
  assert.ok(workers, 'both workers are back');
  const metrics = await (await stack.get('/-/metrics')).text();
  assert.ok(Number(/^labnet_worker_restarts_total\{cause="crash"\} (\d+)$/m.exec(metrics)[1]) >= 4);
});

test('SIGTERM under load: requests in flight finish, then everything exits', { timeout: deadline(90000) }, async () => {
  const master = Number(stack.env.LABNET_PID);
  const workers = (await childrenOf(master)).map((w) => w.pid);
  const during = load(`${stack.url}/hello/stop`, { connections: 16, seconds: SAN ? 6 : 4, pause: 5,
    ok: (code) => code === 200 || code === 502 || code === 504 });
  // Slow requests in flight when the signal comes: they must get answers.
  const naps = [1, 2].map(() => get('/sleepy/nap?ms=1500'));
  await sleep(deadline(500));
  process.kill(master, 'SIGTERM');
  for (const code of await Promise.all(naps)) assert.equal(code, 200, 'a request in flight finished');
  const result = await during;
  console.log(`load across SIGTERM: ${summary(result)}`);
  assert.ok(result.byStatus['200'] > 0);
  const gone = await waitFor(async () => !(await alive(master)), deadline(15000), 100);
  assert.ok(gone, 'the master exited');
  for (const pid of workers) assert.equal(await alive(pid), false, `worker ${pid} exited`);
  const log = await stack.log();
  assert.match(log, /stopping: letting workers finish their requests/);
  assert.match(log, /info .*stopped$/m);
  assert.doesNotMatch(log, /still busy after/);
});
