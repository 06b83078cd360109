// max_requests recycling under load: each worker asks to retire after
// max_requests, a replacement starts and accepts, and only then the old
// one finishes its requests and exits; 64 connections see no failure.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load, loadSeconds, summary } from './lib/load.mjs';
import { deadline, SAN, useStack } from './lib/stack.mjs';

const stack = useStack({ plugins: ['hello'], core: { workers: 2, threads: 2, max_requests: 300 } });

test('max_requests recycling under load: no request fails', { timeout: deadline(120000) }, async () => {
  const seconds = loadSeconds(SAN ? 15 : 10);
  const result = await load(`${stack.url}/hello/recycle`, { connections: 64, seconds, pause: 20 });
  console.log(`load: ${summary(result)}`);
  assert.ok(result.total > 1500, `enough requests to recycle several times (${result.total})`);
  assert.equal(result.failed, 0, JSON.stringify(result.byStatus));
  const metrics = await (await stack.get('/-/metrics')).text();
  const recycled = Number(/^labnet_worker_restarts_total\{cause="max_requests"\} (\d+)$/m.exec(metrics)[1]);
  assert.ok(recycled >= 2, `workers were recycled (${recycled})`);
  assert.match(await stack.log(), /worker \d+ exited after max_requests/);
  assert.doesNotMatch(await stack.log(), /died on signal/);
});
