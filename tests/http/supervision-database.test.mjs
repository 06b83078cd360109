// PostgreSQL stopped for 10 s under load: pages answer 503 with
// Retry-After (quickly, not after a hang), no worker dies, and within 5 s
// of the restart every request succeeds again, with nothing restarted.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load, summary } from './lib/load.mjs';
import { childrenOf, sleep } from './lib/procs.mjs';
import { deadline, useStack } from './lib/stack.mjs';

// The render cache off: every request reaches the database (with it on,
// the cached hello page is served through the outage).
const stack = useStack({ plugins: ['hello'], core: { workers: 2, threads: 2, render_cache: 0 } });

test('the database gone for 10 s under load: 503 + Retry-After, no crash, then 100%', { timeout: deadline(180000) }, async () => {
  const master = Number(stack.env.LABNET_PID);
  const workersBefore = (await childrenOf(master)).map((w) => w.pid).sort();
  const during = load(`${stack.url}/hello/outage`, {
    connections: 64, seconds: 14, pause: 20, ok: (code) => code === 200 || code === 503,
  });
  await sleep(1000);
  await stack.pgStop();
  const down = Date.now();
  // While it is down: a 503 that says when to come back.
  const res = await stack.get('/hello/down');
  assert.equal(res.status, 503);
  assert.ok(Number(res.headers.get('retry-after')) > 0, 'Retry-After');
  await res.arrayBuffer();
  await sleep(Math.max(0, 10000 - (Date.now() - down)));
  await stack.pgStart();
  const up = Date.now();
  const outage = await during;
  console.log(`load during the outage: ${summary(outage)}`);
  assert.equal(outage.failed, 0, `only 200 or 503: ${JSON.stringify(outage.byStatus)}`);
  assert.ok(outage.byStatus['503'] > 0, 'the outage was seen');

  // From 5 s after the restart on, everything succeeds.
  await sleep(Math.max(0, deadline(5000) - (Date.now() - up)));
  const after = await load(`${stack.url}/hello/back`, { connections: 64, seconds: 3, pause: 20 });
  console.log(`load after the restart: ${summary(after)}`);
  assert.equal(after.failed, 0, JSON.stringify(after.byStatus));

  const log = await stack.log();
  assert.doesNotMatch(log, /died on signal|exited with status/);
  assert.deepEqual((await childrenOf(master)).map((w) => w.pid).sort(), workersBefore, 'the same workers');
  const metrics = await (await stack.get('/-/metrics')).text();
  assert.ok(Number(/^labnet_database_errors_total (\d+)$/m.exec(metrics)[1]) > 0);
  assert.ok(Number(/^labnet_database_reconnects_total (\d+)$/m.exec(metrics)[1]) > 0);
});
