// Reloads under load: SIGHUP every 2 s while 64 connections run through
// nginx loses no request; then a plugin replaced (by rename, as an upgrade
// should be) with a broken build (an ABI mismatch) fails the reload's
// check: the old generation keeps serving, the log says why, and again no
// request fails. LABNET_LOAD_SECONDS shortens the run (default 30 s, 15 s
// under the sanitizers).

import assert from 'node:assert/strict';
import { copyFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { load, loadSeconds, summary } from './lib/load.mjs';
import { sleep, waitFor } from './lib/procs.mjs';
import { deadline, SAN, useStack } from './lib/stack.mjs';

const stack = useStack({ plugins: ['hello'], core: { workers: 2, threads: 2 } });

async function generation() {
  const res = await stack.get('/-/metrics');
  const text = await res.text();
  return Number(/^labnet_generation (\d+)$/m.exec(text)[1]);
}

test('SIGHUP every 2 s under load: no request fails', { timeout: deadline(180000) }, async () => {
  const seconds = loadSeconds(SAN ? 15 : 30);
  const master = Number(stack.env.LABNET_PID);
  const before = await generation();
  const run = load(`${stack.url}/hello/reload`, { connections: 64, seconds, pause: 20 });
  let hups = 0;
  for (let at = 2; at < seconds; at += 2) {
    await sleep(2000);
    process.kill(master, 'SIGHUP');
    hups++;
  }
  const result = await run;
  console.log(`load: ${summary(result)}`);
  assert.ok(result.total > 0);
  assert.equal(result.failed, 0, JSON.stringify(result.byStatus));
  const after = await waitFor(async () => {
    const now = await generation();
    return now > before ? now : 0;
  }, deadline(10000));
  assert.ok(after > before, `generation ${before} -> ${after} after ${hups} SIGHUPs`);
  assert.match(await stack.log(), /reload: generation \d+ serving; generation \d+ finishes/);
});

test('a plugin replaced by a broken build: the reload fails, the old generation serves', { timeout: deadline(120000) }, async () => {
  const master = Number(stack.env.LABNET_PID);
  // Let a reload still under way from the test above finish first.
  await sleep(deadline(2000));
  const before = await generation();
  // Installed by rename, as the README says: a loaded .so is never
  // overwritten in place.
  const target = path.join(stack.env.PLUGIN_DIR, 'hello.so');
  const staged = path.join(stack.env.PLUGIN_DIR, '.hello.so.new');
  await copyFile(path.join(stack.env.TEST_PLUGIN_DIR, 'badabi.so'), staged);
  await rename(staged, target);
  const run = load(`${stack.url}/hello/broken`, { connections: 64, seconds: SAN ? 6 : 4, pause: 20 });
  await sleep(1000);
  process.kill(master, 'SIGHUP');
  const result = await run;
  assert.equal(result.failed, 0, JSON.stringify(result.byStatus));
  const log = await waitFor(async () => {
    const text = await stack.log();
    return /reload failed/.test(text) ? text : '';
  }, deadline(10000));
  assert.match(log, /hello\.so: plugin ABI 99, this host speaks ABI/, 'the check names the plugin and the ABI');
  assert.match(log, /reload failed: the new configuration or a plugin did not pass its check .*keeps serving/);
  assert.equal(await generation(), before);
  const res = await stack.get('/hello/still');
  assert.equal(res.status, 200);
});
