#!/usr/bin/env node
// bench/bench.mjs - `make bench`: Labnet against its peers, side by side in
// one run on this machine, as ratios (the machine is shared and noisy, so
// absolute figures mean little; ratios within a run do).
//
//   node bench/bench.mjs [--quick] [--passes N] [--seconds S]
//                        [--connections C] [--processes P]
//
// It starts its own stack (PostgreSQL, nginx, Labnet: tools/stack), a bare
// libfcgi program (bench/peers/fcgi_static.c), PHP-FPM (pm static, opcache)
// and a second nginx for the peers with the same settings as the stack's,
// then measures every target with wrk in interleaved passes at a fixed
// connection count and the same process count. For each run it also reads
// the CPU time of the nginx, backend and PostgreSQL processes from /proc,
// giving CPU microseconds per request. Results go to BUILD/bench/
// (results.json, results.tsv, and a chart when gnuplot is installed).
// Everything listens on 127.0.0.1 only, and every run is bounded in time.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync,
  readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = path.resolve(ROOT, process.env.BUILD || 'build');

// ------------------------------------------------------------- settings

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const QUICK = process.argv.includes('--quick');
const SETTINGS = {
  passes: option('passes', QUICK ? 1 : 3),
  seconds: option('seconds', QUICK ? 2 : 8),
  connections: option('connections', QUICK ? 16 : 32),
  processes: option('processes', 2),
  threads: 2, // wrk's own threads
};

// The 2 KB page every peer serves: byte for byte what fcgi_static.c and
// page.php produce.
function peerPage() {
  const prefix = '<!DOCTYPE html><title>peer</title><p>';
  let page = prefix + 'Labnet. '.repeat(Math.floor((2047 - prefix.length) / 8));
  return page.padEnd(2047, ' ') + '\n';
}

// ----------------------------------------------------------- processes

const started = [];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: ROOT, ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

function background(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], detached: true, ...opts });
  started.push(child);
  return child;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch { /* not yet */ }
    if (Date.now() > end) throw new Error(`${url} did not answer within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** pid and every descendant, from /proc. */
function family(pid) {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!parents.has(ppid)) parents.set(ppid, []);
      parents.get(ppid).push(Number(entry));
    } catch { /* gone */ }
  }
  const out = [];
  const queue = [Number(pid)];
  while (queue.length) {
    const p = queue.shift();
    out.push(p);
    queue.push(...(parents.get(p) ?? []));
  }
  return out;
}

/** CPU seconds (user + system) used so far by a set of pids. */
function cpuSeconds(pids) {
  const hz = 100; // USER_HZ on Linux
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch { /* exited */ }
  }
  return ticks / hz;
}

// --------------------------------------------------------------- setup

async function setUp(dir) {
  const peers = path.join(dir, 'peers');
  mkdirSync(peers, { recursive: true });
  chmodSync(dir, 0o755);
  chmodSync(peers, 0o755);
  writeFileSync(path.join(peers, 'static.html'), peerPage());
  copyFileSync(path.join(ROOT, 'bench/peers/page.php'), path.join(peers, 'page.php'));
  chmodSync(path.join(peers, 'static.html'), 0o644);
  chmodSync(path.join(peers, 'page.php'), 0o644);

  // Labnet, through tools/stack.
  const stackDir = path.join(dir, 'stack');
  mkdirSync(stackDir, { mode: 0o755 });
  const labnetPort = await freePort();
  run(path.join(ROOT, 'tools/stack'), ['up', stackDir], {
    env: { ...process.env, PORT: String(labnetPort), BUILD, WORKERS: String(SETTINGS.processes),
      PLUGINS: 'hello', FAST: '1', DEMO: '1' },
  });
  const env = Object.fromEntries(readFileSync(path.join(stackDir, 'stack.env'), 'utf8')
    .split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

  // The bare libfcgi program.
  const fcgi = background(path.join(BUILD, 'bench/fcgi_static'),
    [path.join(peers, 'fcgi.sock'), String(SETTINGS.processes)]);

  // PHP-FPM, pm static with as many children as Labnet has workers.
  const root = process.getuid() === 0;
  writeFileSync(path.join(peers, 'php-fpm.conf'), [
    '[global]', `pid = ${peers}/php-fpm.pid`, `error_log = ${peers}/php-fpm.log`,
    '[bench]', ...(root ? ['user = www-data', 'group = www-data', 'listen.owner = www-data',
      'listen.group = www-data'] : []),
    `listen = ${peers}/php.sock`, 'listen.mode = 0660', 'pm = static',
    `pm.max_children = ${SETTINGS.processes}`, 'php_admin_value[opcache.enable] = 1',
    'php_admin_value[opcache.validate_timestamps] = 0', '',
  ].join('\n'));
  const php = background(phpFpm(), ['-y', path.join(peers, 'php-fpm.conf'), '-F']);

  // A second nginx for the peers, set up like the stack's.
  const peerPort = await freePort();
  const ngx = path.join(peers, 'nginx');
  mkdirSync(path.join(ngx, 'tmp'), { recursive: true });
  if (root) run('chown', ['-R', 'www-data:www-data', path.join(ngx, 'tmp')]);
  const fastcgi = (sock, script = '') => `
            fastcgi_pass unix:${sock};
            fastcgi_keep_conn off;
            fastcgi_param REQUEST_METHOD $request_method;
            fastcgi_param REQUEST_URI $request_uri;
            fastcgi_param QUERY_STRING $query_string;
            fastcgi_param REMOTE_ADDR $remote_addr;
            fastcgi_param SERVER_PROTOCOL $server_protocol;
            ${script ? `fastcgi_param SCRIPT_FILENAME ${script};` : ''}`;
  writeFileSync(path.join(ngx, 'nginx.conf'), `
    ${root ? 'user www-data www-data;' : ''}
    worker_processes 1;
    pid ${ngx}/nginx.pid;
    error_log ${ngx}/error.log warn;
    events { worker_connections 1024; }
    http {
        access_log ${ngx}/access.log;
        client_body_temp_path ${ngx}/tmp;
        fastcgi_temp_path ${ngx}/tmp;
        default_type text/html;
        server {
            listen 127.0.0.1:${peerPort};
            location = /static.html { root ${peers}; }
            location = /fcgi { ${fastcgi(path.join(peers, 'fcgi.sock'))} }
            location = /php { ${fastcgi(path.join(peers, 'php.sock'), path.join(peers, 'page.php'))} }
        }
    }`);
  run('nginx', ['-c', path.join(ngx, 'nginx.conf'), '-p', `${ngx}/`, '-e', path.join(ngx, 'error.log')]);
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  for (const p of ['/static.html', '/fcgi', '/php']) await waitFor(peerUrl + p);

  const nginxPid = (file) => Number(readFileSync(file, 'utf8').trim());
  const pgPid = Number(readFileSync(path.join(env.PGDATA, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const peerNginx = () => family(nginxPid(path.join(ngx, 'nginx.pid')));
  const stackNginx = () => family(nginxPid(path.join(stackDir, 'nginx/nginx.pid')));
  return {
    stackDir,
    peerNginxPid: () => nginxPid(path.join(ngx, 'nginx.pid')),
    targets: [
      { name: 'nginx static 2 KB', url: `${peerUrl}/static.html`, nginx: peerNginx, backend: () => [] },
      { name: 'bare libfcgi 2 KB', url: `${peerUrl}/fcgi`, nginx: peerNginx, backend: () => family(fcgi.pid) },
      { name: 'PHP-FPM 2 KB', url: `${peerUrl}/php`, nginx: peerNginx, backend: () => family(php.pid) },
      { name: 'Labnet hello', url: `${env.URL}/hello/world`, nginx: stackNginx,
        backend: () => family(Number(env.LABNET_PID)), db: () => family(pgPid) },
    ],
  };
}

function phpFpm() {
  for (const name of ['php-fpm8.2', 'php-fpm']) {
    const p = `/usr/sbin/${name}`;
    if (existsSync(p)) return p;
  }
  throw new Error('php-fpm not found: run tools/deps bench');
}

// ---------------------------------------------------------- measuring

function wrk(url) {
  const out = execFileSync('wrk', ['-t', String(SETTINGS.threads), '-c', String(SETTINGS.connections),
    '-d', `${SETTINGS.seconds}s`, '--latency', '--timeout', '5s', url],
  { encoding: 'utf8', timeout: (SETTINGS.seconds + 30) * 1000 });
  const num = (re) => Number((out.match(re) ?? [])[1] ?? NaN);
  const ms = (re) => {
    const m = out.match(re);
    if (!m) return NaN;
    return Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000 }[m[2]] ?? NaN);
  };
  const requests = num(/(\d+) requests in/);
  const errors = (num(/Non-2xx or 3xx responses: (\d+)/) || 0)
    + ['connect', 'read', 'write', 'timeout'].reduce((sum, k) => sum
      + (Number((out.match(new RegExp(`${k} (\\d+)`)) ?? [])[1]) || 0), 0);
  return {
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    p50: ms(/50%\s+([\d.]+)(us|ms|s)/),
    p99: ms(/99%\s+([\d.]+)(us|ms|s)/),
    requests,
    errors,
  };
}

function measure(target) {
  const groups = { nginx: target.nginx(), backend: target.backend(), db: target.db ? target.db() : [] };
  const before = Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, cpuSeconds(pids)]));
  const result = wrk(target.url);
  for (const [k, pids] of Object.entries(groups)) {
    const used = cpuSeconds(pids) - before[k];
    result[`cpu_${k}_us`] = result.requests > 0 ? (used * 1e6) / result.requests : NaN;
  }
  return result;
}

const median = (xs) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};

/**
 * Instructions per request for a path, counted by callgrind inside
 * dispatch_serve() only (bench/icount.c serves it N times in-process).
 * Runs as the workers' user so it loads plugins as a worker would.
 */
function instructions(dir, conf, urlPath, n) {
  if (spawnSync('sh', ['-c', 'command -v valgrind']).status !== 0) return null;
  const work = path.join(dir, 'callgrind');
  mkdirSync(work, { recursive: true });
  copyFileSync(path.join(BUILD, 'bench/icount'), path.join(work, 'icount'));
  chmodSync(work, 0o755);
  chmodSync(path.join(work, 'icount'), 0o755);
  const asWorker = process.getuid() === 0 ? ['runuser', '-u', 'www-data', '--'] : [];
  if (process.getuid() === 0) run('chown', ['www-data', work]);
  const args = [...asWorker, 'valgrind', '--tool=callgrind', `--callgrind-out-file=${work}/out`,
    '--toggle-collect=dispatch_serve', path.join(work, 'icount'), conf, urlPath, String(n)];
  const r = spawnSync(args[0], args.slice(1), { encoding: 'utf8', timeout: 600000 });
  const collected = Number((r.stderr.match(/Collected : (\d+)/) ?? [])[1]);
  if (r.status !== 0 || Number.isNaN(collected)) {
    throw new Error(`callgrind run of ${urlPath} failed:\n${r.stdout}${r.stderr}`);
  }
  return Math.round(collected / n);
}

/**
 * Memory of a worker-like process over many requests: bench/icount serves
 * the path n times in-process and reports its RSS after the first request,
 * halfway and at the end (KiB).
 */
function memory(dir, conf, urlPath, n) {
  const work = path.join(dir, 'callgrind');
  if (!existsSync(path.join(work, 'icount'))) return null;
  const asWorker = process.getuid() === 0 ? ['runuser', '-u', 'www-data', '--'] : [];
  const args = [...asWorker, path.join(work, 'icount'), conf, urlPath, String(n)];
  const r = spawnSync(args[0], args.slice(1), { encoding: 'utf8', timeout: 900000 });
  const m = r.stdout.match(/RSS KiB: first (\d+), half (\d+), end (\d+)/);
  if (r.status !== 0 || !m) throw new Error(`memory run of ${urlPath} failed:\n${r.stdout}${r.stderr}`);
  const [first, half, end] = m.slice(1).map(Number);
  return { requests: n, first_kib: first, half_kib: half, end_kib: end,
    growth_second_half: (end - half) / half };
}

// ------------------------------------------------------------ report

function report(targets, results) {
  const rows = targets.map((t) => {
    const runs = results.filter((r) => r.target === t.name);
    return {
      target: t.name,
      passes: runs.map((r) => Math.round(r.rps)),
      rps: median(runs.map((r) => r.rps)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      nginx_us: median(runs.map((r) => r.cpu_nginx_us)),
      backend_us: median(runs.map((r) => r.cpu_backend_us)),
      db_us: median(runs.map((r) => r.cpu_db_us)),
      errors: runs.reduce((s, r) => s + r.errors, 0),
    };
  });
  const by = (name) => rows.find((r) => r.target === name);
  const ratios = [
    { ratio: 'Labnet hello / bare libfcgi', value: by('Labnet hello').rps / by('bare libfcgi 2 KB').rps, target: 1.3 },
    { ratio: 'Labnet hello / PHP-FPM 2 KB', value: by('Labnet hello').rps / by('PHP-FPM 2 KB').rps, target: null },
    { ratio: 'bare libfcgi / nginx static', value: by('bare libfcgi 2 KB').rps / by('nginx static 2 KB').rps, target: null },
  ];
  const fmt = (x, d = 0) => (Number.isNaN(x) ? '-' : x.toFixed(d));
  console.log(`\nmachine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB; `
    + `${SETTINGS.processes} backend processes, ${SETTINGS.connections} connections, `
    + `${SETTINGS.passes} x ${SETTINGS.seconds} s passes${QUICK ? ' (quick)' : ''}`);
  console.log(`${'target'.padEnd(20)} ${'req/s (median)'.padStart(15)} ${'passes'.padEnd(24)} `
    + `${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'nginx µs'.padStart(9)} ${'backend µs'.padStart(11)} `
    + `${'pg µs'.padStart(6)} ${'errors'.padStart(6)}`);
  for (const r of rows) {
    console.log(`${r.target.padEnd(20)} ${fmt(r.rps).padStart(15)} ${r.passes.join(' ').padEnd(24)} `
      + `${fmt(r.p50, 2).padStart(7)} ${fmt(r.p99, 2).padStart(7)} ${fmt(r.nginx_us, 1).padStart(9)} `
      + `${fmt(r.backend_us, 1).padStart(11)} ${fmt(r.db_us, 1).padStart(6)} ${String(r.errors).padStart(6)}`);
  }
  console.log('');
  for (const r of ratios) {
    const verdict = r.target === null ? '' : (r.value >= r.target ? `  (target ≥ ${r.target}: met)` : `  (target ≥ ${r.target}: MISSED)`);
    console.log(`${r.ratio.padEnd(32)} ${fmt(r.value, 2)}${verdict}`);
  }
  return { rows, ratios };
}

function write(out, summary, results) {
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'results.json'), JSON.stringify({
    date: new Date().toISOString(), settings: SETTINGS, quick: QUICK,
    machine: { cores: os.cpus().length, memory_gib: Math.round(os.totalmem() / 2 ** 30), cpu: os.cpus()[0]?.model },
    summary, runs: results,
  }, null, 2));
  const header = ['target', 'pass', 'rps', 'p50_ms', 'p99_ms', 'cpu_nginx_us', 'cpu_backend_us', 'cpu_db_us', 'errors'];
  writeFileSync(path.join(out, 'results.tsv'), [header.join('\t'), ...results.map((r) => [r.target, r.pass,
    r.rps, r.p50, r.p99, r.cpu_nginx_us, r.cpu_backend_us, r.cpu_db_us, r.errors].join('\t'))].join('\n') + '\n');
  const gnuplot = spawnSync('gnuplot', ['--version']);
  if (gnuplot.status === 0) {
    const data = path.join(out, 'summary.dat');
    writeFileSync(data, summary.rows.map((r) => `"${r.target}" ${r.rps}`).join('\n') + '\n');
    spawnSync('gnuplot', ['-e', [
      `set terminal svg size 800,420 font 'sans,12'`, `set output '${path.join(out, 'requests.svg')}'`,
      `set title 'Requests per second through nginx (median of ${SETTINGS.passes} passes)'`,
      'set style fill solid 0.8', 'set boxwidth 0.6', 'set yrange [0:*]', 'set grid ytics',
      'unset key', `plot '${data}' using 0:2:xtic(1) with boxes lc rgb '#143a63'`,
    ].join('; ')]);
  }
  console.log(`results: ${path.relative(ROOT, out)}/results.json, results.tsv${gnuplot.status === 0 ? ', requests.svg' : ''}`);
}

// --------------------------------------------------------------- main

async function main() {
  for (const tool of ['wrk', 'nginx']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} not found: run tools/deps bench`);
  }
  const dir = mkdtempSync('/tmp/lnb.');
  let setup;
  try {
    setup = await setUp(dir);
    const { targets } = setup;
    // Warm every target (opcache, prepared statements, page cache).
    for (const t of targets) for (let i = 0; i < 50; i++) await (await fetch(t.url)).arrayBuffer();
    const results = [];
    for (let pass = 1; pass <= SETTINGS.passes; pass++) {
      for (const t of targets) {
        const r = measure(t);
        results.push({ target: t.name, pass, ...r });
        process.stderr.write(`pass ${pass}: ${t.name}: ${Math.round(r.rps)} req/s\n`);
      }
    }
    const summary = report(targets, results);
    const perRequest = instructions(dir, path.join(setup.stackDir, 'labnet.conf'), '/hello/world',
      QUICK ? 20 : 200);
    if (perRequest !== null) {
      summary.instructions = { '/hello/world': perRequest };
      console.log(`${'instructions per request (callgrind)'.padEnd(32)} /hello/world: ${perRequest}`);
      const mem = memory(dir, path.join(setup.stackDir, 'labnet.conf'), '/hello/world', QUICK ? 5000 : 100000);
      summary.memory = { '/hello/world': mem };
      console.log(`${'RSS over requests (in-process)'.padEnd(32)} /hello/world: ${mem.requests} requests, `
        + `${(mem.end_kib / 1024).toFixed(1)} MiB at the end (target ≤ 16), `
        + `${(mem.growth_second_half * 100).toFixed(2)}% growth over the second half (target ≤ 2%)`);
    }
    write(path.join(BUILD, 'bench'), summary, results);
    const failed = summary.rows.filter((r) => r.errors > 0);
    if (failed.length) {
      console.log(`errors during the runs: ${failed.map((r) => r.target).join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    for (const child of started) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      try { process.kill(child.pid, 'SIGTERM'); } catch { /* gone */ }
    }
    if (setup) {
      try { process.kill(setup.peerNginxPid(), 'SIGQUIT'); } catch { /* gone */ }
      spawnSync(path.join(ROOT, 'tools/stack'), ['down', setup.stackDir], { stdio: 'inherit' });
    } else if (existsSync(path.join(dir, 'stack'))) {
      spawnSync(path.join(ROOT, 'tools/stack'), ['down', path.join(dir, 'stack')], { stdio: 'inherit' });
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench: ${error.message}`);
  process.exitCode = 1;
});
