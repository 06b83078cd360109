// /-/metrics: Prometheus text that counts what was served (by plugin,
// route and status class), a latency histogram, requests in flight,
// restarts, database counters and quarantine flags; /-/health and
// /-/metrics answer only the configured status_clients (403 otherwise).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useStack } from './lib/stack.mjs';

const stack = useStack({ plugins: ['hello'] });

async function metrics(headers) {
  const res = await stack.get('/-/metrics', headers);
  return { res, text: await res.text() };
}

function value(text, series) {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('/-/metrics counts requests by plugin, route and status', async () => {
  const before = await metrics();
  assert.equal(before.res.status, 200);
  assert.equal(before.res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  assert.match(before.res.headers.get('cache-control'), /no-store/);
  const series = 'labnet_requests_total{plugin="hello",route="/hello/{name}",status="2xx"}';
  const missing = 'labnet_requests_total{plugin="core",route="unmatched",status="4xx"}';
  const ok0 = value(before.text, series) ?? 0;
  const nf0 = value(before.text, missing) ?? 0;
  for (let i = 0; i < 5; i++) await (await stack.get(`/hello/m${i}`)).arrayBuffer();
  await (await stack.get('/no/such/page')).arrayBuffer();
  const { text } = await metrics();
  assert.equal(value(text, series), ok0 + 5);
  assert.equal(value(text, missing), nf0 + 1);
});

test('/-/metrics has every family, with HELP and TYPE', async () => {
  const { text } = await metrics();
  for (const [name, type] of [
    ['labnet_requests_total', 'counter'],
    ['labnet_request_duration_seconds', 'histogram'],
    ['labnet_requests_in_flight', 'gauge'],
    ['labnet_worker_restarts_total', 'counter'],
    ['labnet_database_errors_total', 'counter'],
    ['labnet_database_reconnects_total', 'counter'],
    ['labnet_plugin_quarantined', 'gauge'],
  ]) {
    assert.match(text, new RegExp(`^# HELP ${name} .+$`, 'm'));
    assert.match(text, new RegExp(`^# TYPE ${name} ${type}$`, 'm'));
  }
  // The histogram: cumulative buckets ending in +Inf = _count.
  const buckets = [...text.matchAll(/^labnet_request_duration_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)]
    .map((m) => Number(m[2]));
  assert.ok(buckets.length >= 2);
  for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i] >= buckets[i - 1]);
  assert.equal(buckets.at(-1), value(text, 'labnet_request_duration_seconds_count'));
  assert.ok(value(text, 'labnet_requests_in_flight') >= 1, 'this request is in flight');
  assert.equal(value(text, 'labnet_plugin_quarantined{plugin="hello"}'), 0);
  assert.equal(value(text, 'labnet_worker_restarts_total{cause="crash"}'), 0);
  // Every sample line is NAME{labels} VALUE or NAME VALUE.
  for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
    assert.match(line, /^[a-z_]+(\{([a-z_]+="([^"\\\n]|\\["\\n])*",?)*\})? [0-9.e+-]+$/, line);
  }
});

test('/-/health and /-/metrics answer 403 to other clients', async () => {
  // The stack trusts 127.0.0.1 as a proxy, so this is the client address.
  const away = { 'X-Forwarded-For': '203.0.113.9' };
  for (const path of ['/-/metrics', '/-/health']) {
    const res = await stack.get(path, away);
    assert.equal(res.status, 403, path);
    await res.arrayBuffer();
  }
  const res = await stack.get('/-/health');
  assert.equal(res.status, 200);
  await res.arrayBuffer();
});
