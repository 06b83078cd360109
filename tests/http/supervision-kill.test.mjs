// Supervision under fire: 64 connections of load through nginx while a
// worker is SIGKILLed every 5 seconds. Each kill may cost at most the
// requests that worker had in flight (one per request thread); a
// replacement serves within a second; the log names the route the killed
// worker was serving. LABNET_LOAD_SECONDS shortens the run (default 30 s,
// 15 s under the sanitizers).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load, loadSeconds, summary } from './lib/load.mjs';
import { childrenOf, logLines, sleep, waitFor } from './lib/procs.mjs';
import { deadline, SAN, useStack } from './lib/stack.mjs';

const THREADS = 2;
// The render cache off, and every request naps 5 ms (the sleepy test
// plugin): 64 connections then keep every request thread busy, so a kill
// always finds a worker serving a route. With the fast hello page the
// workers were idle a third of the time, and a run could kill only idle
// ones (CI saw it under the sanitizers, 2 kills in 15 s).
const stack = useStack({
  plugins: ['hello'],
  testPlugins: ['sleepy'],
  core: { workers: 2, threads: THREADS, render_cache: 0 },
});
const LOAD_PATH = '/sleepy/nap?ms=5';

test('SIGKILL a worker every 5 s under load: failures bounded, replaced at once', { timeout: deadline(180000) }, async () => {
  const seconds = loadSeconds(SAN ? 15 : 30);
  const master = Number(stack.env.LABNET_PID);
  const started = Date.now();
  const run = load(`${stack.url}${LOAD_PATH}`, { connections: 64, seconds, pause: 20 });
  const killed = [];
  // On a fixed schedule (reading /proc takes its time under load), and
  // never in the last seconds, so every kill happens under load.
  for (let at = 5; at <= seconds - 3; at += 5) {
    await sleep(Math.max(0, started + at * 1000 - Date.now()));
    const workers = await childrenOf(master);
    assert.ok(workers.length >= 1, 'a worker to kill');
    const victim = workers[killed.length % workers.length].pid;
    process.kill(victim, 'SIGKILL');
    killed.push({ pid: victim, at: Date.now() });
  }
  const result = await run;
  console.log(`load: ${summary(result)}`);
  assert.ok(result.total > 0);
  assert.ok(result.failed <= killed.length * THREADS,
    `${result.failed} failed for ${killed.length} kills x ${THREADS} threads: ${JSON.stringify(result.byStatus)}`);

  // The last death may still be on its way to the log.
  const lastPid = killed.at(-1).pid;
  const logText = await waitFor(async () => {
    const text = await stack.log();
    return text.includes(`worker ${lastPid} died`) ? text : '';
  }, deadline(5000)) || await stack.log();
  const lines = logLines(logText);
  let named = 0;
  for (const { pid, at } of killed) {
    const deathIndex = lines.findIndex((l) => l.text.includes(`worker ${pid} died on signal 9 (Killed)`));
    assert.ok(deathIndex >= 0, `the death of ${pid} is logged:\n${logText.slice(-3000)}`);
    if (/while serving GET \/sleepy\/nap \(plugin sleepy, request [0-9a-f]+\)/.test(lines[deathIndex].text)) named++;
    // The replacement: the master's next "worker N started", then that
    // worker's own "serving" line.
    const started = lines.slice(deathIndex).find((l) => l.pid === master && /worker \d+ started/.test(l.text));
    assert.ok(started, `a replacement for ${pid}:\n${logText.slice(-3000)}`);
    const newPid = Number(/worker (\d+) started/.exec(started.text)[1]);
    const serving = lines.find((l) => l.pid === newPid && /worker serving/.test(l.text));
    assert.ok(serving, `replacement ${newPid} serves:\n${logText.slice(-3000)}`);
    assert.ok(serving.at - at <= deadline(1000),
      `replacement ${newPid} served ${serving.at - at} ms after the kill`);
  }
  // Every worker is busy under this load: each death names the route,
  // with its plugin and the request id.
  assert.equal(named, killed.length, 'the log names the route of every killed worker');
  const res = await stack.get('/hello/after');
  assert.equal(res.status, 200);
});
