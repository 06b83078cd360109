// tests/http/lib/load.mjs — a small, bounded load generator for the HTTP
// tests: `connections` clients, each sending one request after another over
// its own keep-alive connection to a loopback URL, for `seconds`. Counts
// answers by status; a connection error or a timeout counts as a failure
// (status "error"). Loopback only and bounded (at most 256 connections, 120
// seconds, 10 s per request), so a test can never flood anything. `pause`
// ms between a connection's requests keeps the CPU for the stacks of the
// other test files running alongside: the tests check correctness under
// concurrency, not speed.
//
//   const run = load(stack.url + '/hello/x', { connections: 64, seconds: 30 });
//   ... (kill things while it runs) ...
//   const r = await run;   // { total, ok, failed, byStatus, failures, rate }

import http from 'node:http';

const MAX_CONNECTIONS = 256;
const MAX_SECONDS = 120;

/** Seconds for a load run: LABNET_LOAD_SECONDS when set, else `fallback`. */
export function loadSeconds(fallback) {
  const value = Number(process.env.LABNET_LOAD_SECONDS);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * Run the load; resolves when it is over. `paths` (one or an array the
 * clients take turns with) default to the URL's own. `ok(status)` decides
 * success (default: 200). Failures are remembered with their time since
 * the start (the first 1000), so a test can line them up with its actions.
 */
export function load(url, { connections = 16, seconds = 5, paths, pause = 0,
  ok = (status) => status === 200, headers = {} } = {}) {
  const base = new URL(url);
  if (base.hostname !== '127.0.0.1' && base.hostname !== 'localhost') {
    throw new Error(`load(): loopback only, not ${base.hostname}`);
  }
  if (!(connections >= 1 && connections <= MAX_CONNECTIONS)) {
    throw new Error(`load(): 1..${MAX_CONNECTIONS} connections`);
  }
  if (!(seconds > 0 && seconds <= MAX_SECONDS)) throw new Error(`load(): 0..${MAX_SECONDS} s`);
  const list = [].concat(paths ?? [base.pathname + base.search]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const started = Date.now();
  const end = started + seconds * 1000;
  const result = { total: 0, ok: 0, failed: 0, byStatus: {}, failures: [], seconds };

  const once = (path) => new Promise((resolve) => {
    const req = http.request({
      host: base.hostname, port: base.port, path, agent, headers, timeout: 10000,
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(String(res.statusCode)));
      res.on('error', () => resolve('error'));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve('error'));
    req.end();
  });

  const client = async (n) => {
    let i = n;
    while (Date.now() < end) {
      const path = list[i++ % list.length];
      const status = await once(path);
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
      result.total++;
      result.byStatus[status] = (result.byStatus[status] ?? 0) + 1;
      if (status !== 'error' && ok(Number(status))) {
        result.ok++;
      } else {
        result.failed++;
        if (result.failures.length < 1000) {
          result.failures.push({ at: Date.now() - started, status, path });
        }
      }
    }
  };

  return Promise.all(Array.from({ length: connections }, (_, n) => client(n)))
    .then(() => {
      agent.destroy();
      result.rate = Math.round(result.total / seconds);
      return result;
    });
}

/** One line for the test's output: the counts and the first failures. */
export function summary(result) {
  return JSON.stringify({ ...result, failures: result.failures.slice(0, 10) });
}
