#!/usr/bin/env node
// bench/bench.mjs - `make bench`: Labnet against its peers, side by side in
// one run on this machine, as ratios (the machine is shared and noisy, so
// absolute figures mean little; ratios within a run do).
//
//   node bench/bench.mjs [--quick] [--passes N] [--seconds S]
//                        [--connections C] [--processes P] [--labs N]
//                        [--sweep 2,4,8] [--sweep-seconds S]
//   node bench/bench.mjs --scale [--sizes 1000,100000,1000000]
//                        [--scale-seconds S]
//
// It starts its own stack (PostgreSQL, nginx, Labnet with the hello and
// labs plugins and the demo data: tools/stack), adds --labs generated labs
// (`labnet seed labs N`), a second Labnet on the same database with the
// render cache off (`render_cache = 0`: every view is a first view), a
// bare libfcgi program (bench/peers/fcgi_static.c), PHP-FPM (pm static,
// opcache) serving a 2 KB page and the labs list written in PHP
// (bench/peers/labs.php, same SQL, same HTML), and a second nginx for the
// peers with the same settings as the stack's. It measures every target
// with wrk in interleaved passes at a fixed connection count and the same
// process count; targets that stand for many pages (a lab profile, a
// search) cycle through 100 paths with a wrk Lua script. For each run it
// also reads the CPU time of the nginx, backend and PostgreSQL processes
// from /proc, giving CPU microseconds per request. A shorter sweep then
// runs each backend at 2, 4 and 8 processes and reports its best.
//
// --scale instead seeds the database to each size in turn and measures,
// with one client connection and the render cache off, the latency (p50,
// p95) of the list, a lab profile, a search and a faceted list.
//
// Results go to BUILD/bench/ (results.json, results.tsv, sweep.tsv,
// requests.svg; scale.json, scale.tsv, scale.svg; charts when gnuplot is
// installed). Everything listens on 127.0.0.1 only, and every run is
// bounded in time.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync,
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
function listOption(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1].split(',').map(Number) : fallback;
}
const QUICK = process.argv.includes('--quick');
const SCALE = process.argv.includes('--scale');
const SETTINGS = {
  passes: option('passes', QUICK ? 1 : 3),
  seconds: option('seconds', QUICK ? 2 : 8),
  connections: option('connections', QUICK ? 16 : 32),
  processes: option('processes', 2),
  threads: 2, // wrk's own threads
  // Generated labs on top of the 7 of the demo data, for the wrk runs.
  labs: option('labs', QUICK ? 300 : 2000),
  // Process counts of the sweep, and the length of its single pass.
  sweep: listOption('sweep', QUICK ? [4] : [2, 4, 8]),
  sweepSeconds: option('sweep-seconds', QUICK ? 1 : 4),
  // --scale: data set sizes (labs in all), and time per target and size.
  sizes: listOption('sizes', [1000, 100000, 1000000]),
  scaleSeconds: option('scale-seconds', QUICK ? 2 : 15),
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
  child.on('error', () => {}); // reported by waitFor
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

/** Resident set (KiB) of each Labnet worker under a master: the labnet
 * processes whose parent is a labnet process too. */
function workerRss(pids) {
  const comm = (pid) => { try { return readFileSync(`/proc/${pid}/comm`, 'utf8').trim(); } catch { return ''; } };
  const out = [];
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm(pid) !== 'labnet' || comm(ppid) !== 'labnet') continue;
      const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) out.push({ pid, kib: Number(m[1]) });
    } catch { /* exited */ }
  }
  return out;
}

/** Requests a Labnet site has served, from its /-/metrics (all workers). */
async function served(url) {
  // The pool's kept-alive connection may have been closed by nginx while
  // wrk ran: a request that fails that way is sent once more.
  const get = async () => (await fetch(`${url}/-/metrics`)).text();
  const text = await get().catch(get);
  return [...text.matchAll(/^labnet_requests_total\{[^}]*\} (\d+)$/gm)]
    .reduce((sum, m) => sum + Number(m[1]), 0);
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

/** The search mix: 100 terms a visitor might type, fixed. "design" alone
 * matches most labs (the disciplines' labels); the rest are places with
 * and without their accents, lab names, words of the descriptions, labels
 * in other languages, prefixes, and words that match nothing. */
const SEARCH_TERMS = [
  'design', 'Milano', 'Torino', 'bologna', 'Napoli', 'Forlì', 'forli', 'Paris', 'Lyon',
  'Besançon', 'besancon', 'Orléans', 'Nîmes', 'Berlin', 'München', 'munchen', 'Köln',
  'Düsseldorf', 'Lübeck', 'Madrid', 'Barcelona', 'Málaga', 'Córdoba', 'A Coruña',
  'Lisboa', 'Porto', 'Évora', 'Warszawa', 'Kraków', 'krakow', 'Łódź', 'lodz', 'Gdańsk',
  'Poznań', 'Vilnius', 'Kaunas', 'Klaipėda', 'Šiauliai', 'siauliai', 'Helsinki',
  'Tampere', 'Oulu', 'Jyväskylä', 'Amsterdam', 'Rotterdam', 'Utrecht', 'Eindhoven',
  'Stockholm', 'Göteborg', 'Malmö', 'Umeå', 'Praha', 'Brno', 'České Budějovice',
  'København', 'Aarhus', 'Wien', 'Graz', 'Bruxelles', 'Gent', 'Liège', 'Tallinn',
  'Tartu', 'Dublin', 'Budapest', 'Cluj', 'Thessaloníki', 'Ångström', 'Élan', 'Kūryba',
  'Łąka', 'Nœud', 'Płomień', 'Saulė', 'Øresund', 'Žalia', 'fablab', 'makerspace',
  'living lab', 'hub', 'sensors', 'prototype', 'circular', 'open hardware',
  'stampa 3d', '3D-tulostus', 'Suomi', 'Italia', 'sustainability', 'Politecnico',
  'universitetas', 'Hochschule', 'metro hels', 'hva makers', 'Socialinių',
  'quasar', 'zeppelin', 'robotics', 'xylophone', 'nanotech',
];

/** Faceted lists for --scale: one to three filters each. */
const FACETED = [
  'country=IT', 'country=PL&kind=fab-lab', 'kind=living-lab', 'discipline=engineering',
  'facility=3d-printing&facility=laser-cutting', 'country=FI&discipline=health-care',
  'kind=makerspace&facility=electronics', 'country=FR&country=BE', 'discipline=sustainability&kind=other',
  'country=LT&facility=coworking', 'country=DE&kind=university-lab&discipline=computer-science',
  'facility=virtual-reality', 'country=ES&facility=woodworking', 'discipline=architecture',
  'kind=design-studio&discipline=fashion-design', 'country=NL', 'facility=media-studio&kind=other',
  'country=SE&discipline=interaction-design', 'country=CZ&country=AT', 'facility=sound-studio',
].map((q) => `/labs?${q}`);

const enc = (term) => encodeURIComponent(term).replace(/%20/g, '+');
const SEARCH_PATHS = SEARCH_TERMS.map((t) => `/labs?q=${enc(t)}`);

/** Run SQL on the stack's database as the owner role; rows as arrays. */
function sql(env, text) {
  const out = run(path.join(env.PGBIN, 'psql'), ['-X', '-A', '-t', '-q', '-F', '\t',
    '-v', 'ON_ERROR_STOP=1', '-h', env.PGHOST, '-p', env.PGPORT, '-U', 'labnet_owner',
    '-d', 'labnet', '-c', text]);
  return out.split('\n').filter(Boolean).map((l) => l.split('\t'));
}

/** `labnet seed labs n` on the stack; seconds it took. */
function seed(env, n) {
  if (n <= 0) return 0;
  const started = Date.now();
  run(env.LABNET, ['-c', env.CONF, 'seed', 'labs', String(n)], { timeout: 3600000 });
  return (Date.now() - started) / 1000;
}

/** 100 slugs of published labs spread over the table. */
function profilePaths(env) {
  return sql(env, "SELECT slug FROM labs.labs WHERE status = 'published' "
    + 'ORDER BY hashint4(id::integer), id LIMIT 100').map(([slug]) => `/labs/${slug}`);
}

/** Wait until process pid has exited. */
async function gone(pid, ms = 20000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return;
    } catch { return; }
    await new Promise((r) => setTimeout(r, 50));
  }
  try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
}

/** A backend started in its own session, its output appended to log,
 * stopped with its group. */
function service(cmd, args, log) {
  const fd = openSync(log, 'a');
  const child = background(cmd, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  return {
    pid: child.pid,
    async stop() {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      await gone(child.pid);
    },
  };
}

async function setUp(dir) {
  const root = process.getuid() === 0;
  const peers = path.join(dir, 'peers');
  mkdirSync(peers, { recursive: true });
  chmodSync(dir, 0o755);
  chmodSync(peers, 0o755);
  writeFileSync(path.join(peers, 'static.html'), peerPage());
  for (const file of ['page.php', 'labs.php']) {
    copyFileSync(path.join(ROOT, 'bench/peers', file), path.join(peers, file));
    chmodSync(path.join(peers, file), 0o644);
  }
  chmodSync(path.join(peers, 'static.html'), 0o644);

  // Labnet, through tools/stack, with the demo data and generated labs.
  const stackDir = path.join(dir, 'stack');
  mkdirSync(stackDir, { mode: 0o755 });
  const labnetPort = await freePort();
  run(path.join(ROOT, 'tools/stack'), ['up', stackDir], {
    env: { ...process.env, PORT: String(labnetPort), BUILD, WORKERS: String(SETTINGS.processes),
      PLUGINS: 'hello labs', FAST: '1', DEMO: '1' },
  });
  const env = Object.fromEntries(readFileSync(path.join(stackDir, 'stack.env'), 'utf8')
    .split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const seeded = SCALE ? 0 : seed(env, SETTINGS.labs);
  // Statistics for every table now, as autovacuum would give them a minute
  // later: a fresh database plans the vocabulary query (249 countries)
  // as nested loops without them, 20 ms instead of 0.5 ms.
  sql(env, 'ANALYZE');

  // Is the render cache in this build? (Its key is unknown before it.)
  const stackConf = readFileSync(env.CONF, 'utf8');
  const probe = path.join(stackDir, 'probe.conf');
  writeFileSync(probe, stackConf.replace(/^\[core\]$/m, '[core]\nrender_cache = 0'));
  chmodSync(probe, 0o644);
  const probed = spawnSync(env.LABNET, ['-c', probe, 'check'], { encoding: 'utf8' });
  const renderCache = probed.status === 0;
  if (!renderCache && !/unknown key "render_cache"/.test(probed.stderr)) {
    throw new Error(`labnet check of ${probe} failed:\n${probed.stderr}`);
  }

  /** A Labnet instance of its own on the same database: socket sock,
   * `workers` processes, the render cache off when cacheOff (and known). */
  const labnet = (name, workers, { cacheOff = false, core = '' } = {}) => {
    const conf = path.join(stackDir, `${name}.conf`);
    const sock = path.join(env.DIR, 'run', `${name}.sock`);
    let text = stackConf.replace(/^listen = .*$/m, `listen = ${sock}`)
      .replace(/^workers = .*$/m, `workers = ${workers}`);
    const extra = [cacheOff && renderCache ? 'render_cache = 0' : '', core].filter(Boolean).join('\n');
    for (const line of extra.split('\n').filter(Boolean)) {
      const key = line.split('=')[0].trim();
      text = text.replace(new RegExp(`^${key} = .*\\n`, 'm'), '');
    }
    if (extra) text = text.replace(/^\[core\]$/m, `[core]\n${extra}`);
    writeFileSync(conf, text);
    chmodSync(conf, 0o644);
    return service(env.LABNET, ['-c', conf, 'serve'], path.join(stackDir, `${name}.log`));
  };
  const sockOf = (name) => path.join(env.DIR, 'run', `${name}.sock`);

  // The peers, restartable at another process count for the sweep.
  const fcgiSock = path.join(peers, 'fcgi.sock');
  const fcgi = (n) => service(path.join(BUILD, 'bench/fcgi_static'), [fcgiSock, String(n)],
    path.join(peers, 'fcgi.log'));
  const php = (n) => {
    writeFileSync(path.join(peers, 'php-fpm.conf'), [
      '[global]', `pid = ${peers}/php-fpm.pid`, `error_log = ${peers}/php-fpm.log`,
      '[bench]', ...(root ? ['user = www-data', 'group = www-data', 'listen.owner = www-data',
        'listen.group = www-data'] : []),
      `listen = ${peers}/php.sock`, 'listen.mode = 0660', 'pm = static',
      `pm.max_children = ${n}`, 'php_admin_value[opcache.enable] = 1',
      'php_admin_value[opcache.validate_timestamps] = 0', '',
    ].join('\n'));
    return service(phpFpm(), ['-y', path.join(peers, 'php-fpm.conf'), '-F'], path.join(peers, 'php-fpm.out'));
  };

  // A second nginx for the peers, set up like the stack's: one server for
  // the static file, libfcgi and PHP, one for each extra Labnet.
  const peerPort = await freePort();
  const coldPort = await freePort();
  const sweepPort = await freePort();
  const ngx = path.join(peers, 'nginx');
  mkdirSync(path.join(ngx, 'tmp'), { recursive: true });
  if (root) run('chown', ['-R', 'www-data:www-data', path.join(ngx, 'tmp')]);
  const fastcgi = (sock, params = '') => `
            fastcgi_pass unix:${sock};
            fastcgi_keep_conn off;
            fastcgi_read_timeout 900s;
            fastcgi_param REQUEST_METHOD $request_method;
            fastcgi_param REQUEST_URI $request_uri;
            fastcgi_param DOCUMENT_URI $document_uri;
            fastcgi_param SCRIPT_NAME "";
            fastcgi_param QUERY_STRING $query_string;
            fastcgi_param CONTENT_TYPE $content_type;
            fastcgi_param CONTENT_LENGTH $content_length;
            fastcgi_param REMOTE_ADDR $remote_addr;
            fastcgi_param SERVER_NAME $server_name;
            fastcgi_param SERVER_PORT $server_port;
            fastcgi_param SERVER_PROTOCOL $server_protocol;
            ${params}`;
  const labnetServer = (port, sock) => `
        server {
            listen 127.0.0.1:${port};
            location / { ${fastcgi(sock, 'fastcgi_param GATEWAY_INTERFACE CGI/1.1;')} }
        }`;
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
            location = /fcgi { ${fastcgi(fcgiSock)} }
            location = /php { ${fastcgi(path.join(peers, 'php.sock'),
    `fastcgi_param SCRIPT_FILENAME ${path.join(peers, 'page.php')};`)} }
            location = /labs { ${fastcgi(path.join(peers, 'php.sock'),
    `fastcgi_param SCRIPT_FILENAME ${path.join(peers, 'labs.php')};
            fastcgi_param LABNET_PGHOST ${env.PGHOST};
            fastcgi_param LABNET_BASE ${env.URL};`)} }
        }
        ${labnetServer(coldPort, sockOf('cold'))}
        ${labnetServer(sweepPort, sockOf('sweep'))}
    }`);
  run('nginx', ['-c', path.join(ngx, 'nginx.conf'), '-p', `${ngx}/`, '-e', path.join(ngx, 'error.log')]);
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const coldUrl = `http://127.0.0.1:${coldPort}`;
  const sweepUrl = `http://127.0.0.1:${sweepPort}`;

  const nginxPid = (file) => Number(readFileSync(file, 'utf8').trim());
  const pgPid = Number(readFileSync(path.join(env.PGDATA, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const peerNginx = () => family(nginxPid(path.join(ngx, 'nginx.pid')));
  const stackNginx = () => family(nginxPid(path.join(stackDir, 'nginx/nginx.pid')));
  const db = () => family(pgPid);

  // What runs now, by role; the sweep restarts them at other counts.
  const live = {};
  const startAll = async (n, { sweep = false } = {}) => {
    for (const s of Object.values(live)) await s.stop();
    live.fcgi = fcgi(n);
    live.php = php(n);
    live.cold = labnet('cold', n, { cacheOff: true, core: SCALE ? 'statement_timeout = 600' : '' });
    if (sweep) live.sweep = labnet('sweep', n);
    const urls = [`${peerUrl}/static.html`, `${peerUrl}/fcgi`, `${peerUrl}/php`, `${peerUrl}/labs`,
      `${coldUrl}/-/health`, ...(sweep ? [`${sweepUrl}/-/health`] : [])];
    for (const u of urls) await waitFor(u, SCALE ? 900000 : 30000);
  };
  await startAll(SETTINGS.processes);

  const profiles = SCALE ? [] : profilePaths(env);
  const common = sql(env, "SELECT count(*) FILTER (WHERE search @@ core.search_query('design')), "
    + "count(*) FROM labs.labs WHERE status = 'published'")[0].map(Number);
  const backend = (name) => () => family(live[name].pid);
  const labnetMain = () => family(Number(env.LABNET_PID));
  return {
    env,
    // Each Labnet site of the run: its URL and its processes, for the
    // workers' memory after the passes.
    sites: [
      { name: 'render cache on', url: env.URL, pids: labnetMain },
      { name: 'render cache off', url: coldUrl, pids: backend('cold') },
    ],
    stackDir,
    seeded,
    renderCache,
    startAll,
    coldUrl,
    labs: { published: common[1], design_share: common[0] / common[1] },
    stop: async () => {
      for (const s of Object.values(live)) await s.stop();
    },
    peerNginxPid: () => nginxPid(path.join(ngx, 'nginx.pid')),
    targets: [
      { name: 'nginx static 2 KB', url: `${peerUrl}/static.html`, nginx: peerNginx, backend: () => [] },
      { name: 'bare libfcgi 2 KB', url: `${peerUrl}/fcgi`, nginx: peerNginx, backend: backend('fcgi') },
      { name: 'PHP-FPM 2 KB', url: `${peerUrl}/php`, nginx: peerNginx, backend: backend('php') },
      { name: 'PHP labs list', url: `${peerUrl}/labs`, nginx: peerNginx, backend: backend('php'), db },
      { name: 'Labnet hello', url: `${env.URL}/hello/world`, nginx: stackNginx, backend: labnetMain, db },
      { name: 'Labnet labs first view', url: `${coldUrl}/labs`, nginx: peerNginx, backend: backend('cold'), db },
      { name: 'Labnet labs repeat view', url: `${env.URL}/labs`, nginx: stackNginx, backend: labnetMain, db },
      { name: 'Labnet lab profile', url: coldUrl, paths: profiles, nginx: peerNginx, backend: backend('cold'), db },
      { name: 'Labnet labs search', url: coldUrl, paths: SEARCH_PATHS, nginx: peerNginx, backend: backend('cold'), db },
    ],
    // The sweep's targets, at each process count: every backend's.
    sweepTargets: [
      { name: 'bare libfcgi 2 KB', url: `${peerUrl}/fcgi`, nginx: peerNginx, backend: backend('fcgi') },
      { name: 'PHP-FPM 2 KB', url: `${peerUrl}/php`, nginx: peerNginx, backend: backend('php') },
      { name: 'PHP labs list', url: `${peerUrl}/labs`, nginx: peerNginx, backend: backend('php'), db },
      { name: 'Labnet hello', url: `${sweepUrl}/hello/world`, nginx: peerNginx, backend: backend('sweep'), db },
      { name: 'Labnet labs first view', url: `${coldUrl}/labs`, nginx: peerNginx, backend: backend('cold'), db },
      { name: 'Labnet labs repeat view', url: `${sweepUrl}/labs`, nginx: peerNginx, backend: backend('sweep'), db },
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

let scripts = 0;
/** A wrk Lua script that cycles through paths (none: the URL's own) and
 * prints the 50th, 95th and 99th percentiles of latency, in µs. */
function wrkScript(paths) {
  const file = path.join(os.tmpdir(), `lnb-wrk-${process.pid}-${scripts++}.lua`);
  writeFileSync(file, `${paths && paths.length ? `local paths = { ${paths.map((p) => JSON.stringify(p)).join(', ')} }
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
` : ''}done = function(summary, latency, requests)
  io.write(string.format("LNB-LATENCY %d %d %d\\n", latency:percentile(50),
    latency:percentile(95), latency:percentile(99)))
end
`);
  return file;
}

function wrk(target, seconds, connections = SETTINGS.connections) {
  const script = wrkScript(target.paths);
  let out;
  try {
    out = execFileSync('wrk', ['-t', String(Math.min(SETTINGS.threads, connections)), '-c', String(connections),
      '-d', `${seconds}s`, '--timeout', '5s', '-s', script, target.url],
    { encoding: 'utf8', timeout: (seconds + 30) * 1000 });
  } finally {
    rmSync(script, { force: true });
  }
  const num = (re) => Number((out.match(re) ?? [])[1] ?? NaN);
  const requests = num(/(\d+) requests in/);
  const errors = (num(/Non-2xx or 3xx responses: (\d+)/) || 0)
    + ['connect', 'read', 'write', 'timeout'].reduce((sum, k) => sum
      + (Number((out.match(new RegExp(`${k} (\\d+)`)) ?? [])[1]) || 0), 0);
  const lat = (out.match(/LNB-LATENCY (\d+) (\d+) (\d+)/) ?? []).slice(1).map((x) => Number(x) / 1000);
  return {
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    p50: lat[0] ?? NaN,
    p95: lat[1] ?? NaN,
    p99: lat[2] ?? NaN,
    requests,
    errors,
  };
}

function measure(target, seconds = SETTINGS.seconds) {
  const groups = { nginx: target.nginx(), backend: target.backend(), db: target.db ? target.db() : [] };
  const before = Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, cpuSeconds(pids)]));
  const result = wrk(target, seconds);
  for (const [k, pids] of Object.entries(groups)) {
    const used = cpuSeconds(pids) - before[k];
    result[`cpu_${k}_us`] = result.requests > 0 ? (used * 1e6) / result.requests : NaN;
  }
  return result;
}

/** Warm a target: every path of its mix once, or its URL 50 times; fails
 * on an answer that is not 200. */
async function warm(target) {
  const urls = target.paths ? target.paths.map((p) => target.url + p) : Array(50).fill(target.url);
  for (const u of urls) {
    const res = await fetch(u);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${target.name}: ${u} answered ${res.status}`);
  }
}

const median = (xs) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};

/**
 * Instructions per request for a path, counted by callgrind inside
 * icount_serve() only: bench/icount.c serves it N times in-process through
 * the workers' dispatch_serve(), after one warm-up request it does not count.
 * Runs as the workers' user so it loads plugins as a worker would.
 */
function instructions(dir, conf, urlPath, n, cached = false) {
  const work = path.join(dir, 'callgrind');
  mkdirSync(work, { recursive: true });
  copyFileSync(path.join(BUILD, 'bench/icount'), path.join(work, 'icount'));
  chmodSync(work, 0o755);
  chmodSync(path.join(work, 'icount'), 0o755);
  const asWorker = process.getuid() === 0 ? ['runuser', '-u', 'www-data', '--'] : [];
  if (process.getuid() === 0) run('chown', ['www-data', work]);
  const args = [...asWorker, 'valgrind', '--tool=callgrind', `--callgrind-out-file=${work}/out`,
    '--toggle-collect=icount_serve', path.join(work, 'icount'), conf, urlPath, String(n),
    ...(cached ? ['cached'] : [])];
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

const fmt = (x, d = 0) => (x === undefined || x === null || Number.isNaN(x) ? '-' : x.toFixed(d));

function report(targets, results, setup) {
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
  const rps = (name) => rows.find((r) => r.target === name).rps;
  const ratios = [
    { ratio: 'Labnet hello / bare libfcgi', value: rps('Labnet hello') / rps('bare libfcgi 2 KB'), target: 1.3 },
    { ratio: 'labs first view / PHP labs', value: rps('Labnet labs first view') / rps('PHP labs list'), target: 2 },
    { ratio: 'labs repeat view / libfcgi', value: rps('Labnet labs repeat view') / rps('bare libfcgi 2 KB'), target: 0.8 },
    { ratio: 'Labnet hello / PHP-FPM 2 KB', value: rps('Labnet hello') / rps('PHP-FPM 2 KB'), target: null },
    { ratio: 'bare libfcgi / nginx static', value: rps('bare libfcgi 2 KB') / rps('nginx static 2 KB'), target: null },
  ];
  console.log(`\nmachine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB; `
    + `${SETTINGS.processes} backend processes, ${SETTINGS.connections} connections, `
    + `${SETTINGS.passes} x ${SETTINGS.seconds} s passes${QUICK ? ' (quick)' : ''}`);
  console.log(`data: ${setup.labs.published} published labs (${SETTINGS.labs} generated, seeded in `
    + `${setup.seeded.toFixed(1)} s); "design" matches ${(setup.labs.design_share * 100).toFixed(0)}% of them; `
    + `render cache ${setup.renderCache ? 'in this build (first views: render_cache = 0)' : 'NOT in this build: first and repeat views are both uncached'}`);
  console.log(`${'target'.padEnd(24)} ${'req/s (median)'.padStart(15)} ${'passes'.padEnd(20)} `
    + `${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'nginx µs'.padStart(9)} ${'backend µs'.padStart(11)} `
    + `${'pg µs'.padStart(7)} ${'errors'.padStart(6)}`);
  for (const r of rows) {
    console.log(`${r.target.padEnd(24)} ${fmt(r.rps).padStart(15)} ${r.passes.join(' ').padEnd(20)} `
      + `${fmt(r.p50, 2).padStart(7)} ${fmt(r.p99, 2).padStart(7)} ${fmt(r.nginx_us, 1).padStart(9)} `
      + `${fmt(r.backend_us, 1).padStart(11)} ${fmt(r.db_us, 1).padStart(7)} ${String(r.errors).padStart(6)}`);
  }
  console.log('');
  for (const r of ratios) {
    const verdict = r.target === null ? '' : (r.value >= r.target ? `  (target ≥ ${r.target}: met)` : `  (target ≥ ${r.target}: MISSED)`);
    console.log(`${r.ratio.padEnd(32)} ${fmt(r.value, 2)}${verdict}`);
  }
  return { rows, ratios, labs: setup.labs, render_cache: setup.renderCache };
}

/** Each backend at every process count of the sweep, one pass each. */
async function sweep(setup) {
  const runs = [];
  for (const n of SETTINGS.sweep) {
    await setup.startAll(n, { sweep: true });
    for (const t of setup.sweepTargets) await warm(t);
    for (const t of setup.sweepTargets) {
      const r = measure(t, SETTINGS.sweepSeconds);
      runs.push({ target: t.name, processes: n, ...r });
      process.stderr.write(`sweep ${n} processes: ${t.name}: ${Math.round(r.rps)} req/s\n`);
    }
  }
  const best = setup.sweepTargets.map((t) => {
    const mine = runs.filter((r) => r.target === t.name);
    const top = mine.reduce((a, b) => (b.rps > a.rps ? b : a));
    return { target: t.name, rps: top.rps, processes: top.processes,
      by_processes: Object.fromEntries(mine.map((r) => [r.processes, Math.round(r.rps)])),
      errors: mine.reduce((s, r) => s + r.errors, 0) };
  });
  console.log(`\nsweep: one pass of ${SETTINGS.sweepSeconds} s at ${SETTINGS.sweep.join(', ')} processes; best of each`);
  console.log(`${'target'.padEnd(24)} ${SETTINGS.sweep.map((n) => `${n} proc`.padStart(9)).join(' ')} ${'best'.padStart(9)}`);
  for (const b of best) {
    console.log(`${b.target.padEnd(24)} ${SETTINGS.sweep.map((n) => fmt(b.by_processes[n]).padStart(9)).join(' ')} `
      + `${`${fmt(b.rps)} @${b.processes}`.padStart(9)}`);
  }
  const at = (name) => best.find((b) => b.target === name).rps;
  const ratios = [
    { ratio: 'best: hello / libfcgi', value: at('Labnet hello') / at('bare libfcgi 2 KB'), target: 1.3 },
    { ratio: 'best: labs first view / PHP labs', value: at('Labnet labs first view') / at('PHP labs list'), target: 2 },
    { ratio: 'best: labs repeat / libfcgi', value: at('Labnet labs repeat view') / at('bare libfcgi 2 KB'), target: 0.8 },
  ];
  for (const r of ratios) {
    console.log(`${r.ratio.padEnd(32)} ${fmt(r.value, 2)}  (target ≥ ${r.target}: ${r.value >= r.target ? 'met' : 'MISSED'})`);
  }
  return { runs, best, ratios };
}

function plot(commands) {
  return spawnSync('gnuplot', ['-e', commands.join('; ')]).status === 0;
}

function write(out, summary, results) {
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'results.json'), JSON.stringify({
    date: new Date().toISOString(), settings: SETTINGS, quick: QUICK,
    machine: { cores: os.cpus().length, memory_gib: Math.round(os.totalmem() / 2 ** 30), cpu: os.cpus()[0]?.model },
    summary, runs: results,
  }, null, 2));
  const header = ['target', 'pass', 'rps', 'p50_ms', 'p95_ms', 'p99_ms', 'cpu_nginx_us', 'cpu_backend_us', 'cpu_db_us', 'errors'];
  writeFileSync(path.join(out, 'results.tsv'), [header.join('\t'), ...results.map((r) => [r.target, r.pass,
    r.rps, r.p50, r.p95, r.p99, r.cpu_nginx_us, r.cpu_backend_us, r.cpu_db_us, r.errors].join('\t'))].join('\n') + '\n');
  if (summary.sweep) {
    writeFileSync(path.join(out, 'sweep.tsv'), ['target\tprocesses\trps\tp50_ms\tp99_ms\terrors',
      ...summary.sweep.runs.map((r) => [r.target, r.processes, r.rps, r.p50, r.p99, r.errors].join('\t'))].join('\n') + '\n');
  }
  let chart = false;
  if (spawnSync('gnuplot', ['--version']).status === 0) {
    const data = path.join(out, 'summary.dat');
    writeFileSync(data, summary.rows.map((r) => `"${r.target}" ${r.rps}`).join('\n') + '\n');
    chart = plot([
      `set terminal svg size 1000,480 font 'sans,12'`, `set output '${path.join(out, 'requests.svg')}'`,
      `set title 'Requests per second through nginx (median of ${SETTINGS.passes} passes)'`,
      'set style fill solid 0.8', 'set boxwidth 0.6', 'set yrange [0:*]', 'set grid ytics',
      'set xtics rotate by -30', 'set bmargin 8',
      'unset key', `plot '${data}' using 0:2:xtic(1) with boxes lc rgb '#143a63'`,
    ]);
  }
  console.log(`results: ${path.relative(ROOT, out)}/results.json, results.tsv${summary.sweep ? ', sweep.tsv' : ''}${chart ? ', requests.svg' : ''}`);
}

// ------------------------------------------------------------- scale

/** Latencies (ms) of GET url+path over paths in turn, one at a time, for
 * `seconds` and at least once through the whole mix (and 5 requests),
 * after a warm-up of up to 3. */
async function sequential(url, paths, seconds) {
  // Kept-alive connections may have been closed by nginx while seeding
  // blocked this process: a request that fails that way at once is sent
  // again, up to three times (the pool may hold more than one such).
  const get = async (p, again = 3) => {
    const t0 = process.hrtime.bigint();
    let res;
    try {
      res = await fetch(url + p, { signal: AbortSignal.timeout(900000) });
      await res.arrayBuffer();
    } catch (error) {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (again > 0 && ms < 1000) return get(p, again - 1);
      throw new Error(`${url}${p} failed after ${ms.toFixed(0)} ms: ${error.cause?.message ?? error.message}`);
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (res.status !== 200) throw new Error(`${url}${p} answered ${res.status} after ${ms.toFixed(0)} ms`);
    return ms;
  };
  for (const p of paths.slice(0, 3)) await get(p);
  const times = [];
  const end = Date.now() + seconds * 1000;
  for (let i = 0; Date.now() < end || times.length < Math.max(5, paths.length); i++) times.push(await get(paths[i % paths.length]));
  times.sort((a, b) => a - b);
  const pct = (q) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
  return { requests: times.length, p50: pct(0.5), p95: pct(0.95) };
}

async function scale(setup) {
  const { env } = setup;
  const results = [];
  let total = Number(sql(env, 'SELECT count(*) FROM labs.labs')[0][0]);
  for (const size of SETTINGS.sizes) {
    const seconds = seed(env, size - total);
    total = Number(sql(env, 'SELECT count(*) FROM labs.labs')[0][0]);
    const kinds = {
      list: ['/labs'],
      detail: profilePaths(env),
      search: SEARCH_PATHS,
      faceted: FACETED,
    };
    process.stderr.write(`scale: ${total} labs (seeded in ${seconds.toFixed(1)} s)\n`);
    for (const [kind, paths] of Object.entries(kinds)) {
      const r = await sequential(setup.coldUrl, paths, SETTINGS.scaleSeconds);
      results.push({ size: total, seed_seconds: seconds, kind, ...r });
      process.stderr.write(`scale ${total}: ${kind}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (${r.requests} requests)\n`);
    }
  }
  console.log(`\nscale: one connection, render cache ${setup.renderCache ? 'off' : 'not in this build'}, `
    + `${SETTINGS.scaleSeconds} s per kind and size (latency in ms)`);
  console.log(`${'labs'.padStart(9)} ${'seed s'.padStart(7)} ${['list', 'detail', 'search', 'faceted']
    .map((k) => `${k} p50/p95`.padStart(19)).join(' ')}`);
  for (const size of [...new Set(results.map((r) => r.size))]) {
    const at = results.filter((r) => r.size === size);
    console.log(`${String(size).padStart(9)} ${fmt(at[0].seed_seconds, 1).padStart(7)} ${at.map((r) =>
      `${fmt(r.p50, 1)} / ${fmt(r.p95, 1)}`.padStart(19)).join(' ')}`);
  }
  const out = path.join(BUILD, 'bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'scale.json'), JSON.stringify({ date: new Date().toISOString(),
    settings: SETTINGS, render_cache_off: setup.renderCache, results }, null, 2));
  writeFileSync(path.join(out, 'scale.tsv'), ['size\tkind\trequests\tp50_ms\tp95_ms\tseed_seconds',
    ...results.map((r) => [r.size, r.kind, r.requests, r.p50, r.p95, r.seed_seconds].join('\t'))].join('\n') + '\n');
  let chart = false;
  if (spawnSync('gnuplot', ['--version']).status === 0) {
    const plots = [];
    ['list', 'detail', 'search', 'faceted'].forEach((kind, i) => {
      const data = path.join(out, `scale-${kind}.dat`);
      writeFileSync(data, results.filter((r) => r.kind === kind).map((r) => `${r.size} ${r.p50} ${r.p95}`).join('\n') + '\n');
      plots.push(`'${data}' using 1:2 with linespoints lt ${i + 1} lw 2 title '${kind} p50'`,
        `'${data}' using 1:3 with linespoints lt ${i + 1} dt 2 title '${kind} p95'`);
    });
    chart = plot([
      `set terminal svg size 900,500 font 'sans,12'`, `set output '${path.join(out, 'scale.svg')}'`,
      "set title 'Latency against size (one connection, render cache off)'",
      'set logscale xy', "set xlabel 'labs'", "set ylabel 'ms'", 'set grid', 'set key left top',
      `plot ${plots.join(', ')}`,
    ]);
  }
  console.log(`results: ${path.relative(ROOT, out)}/scale.json, scale.tsv${chart ? ', scale.svg' : ''}`);
}

// --------------------------------------------------------------- main

async function main() {
  for (const tool of ['wrk', 'nginx', 'valgrind']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} not found: run tools/deps bench`);
  }
  const dir = mkdtempSync('/tmp/lnb.');
  let setup;
  try {
    setup = await setUp(dir);
    if (SCALE) {
      await scale(setup);
      return;
    }
    const { targets } = setup;
    // Warm every target (opcache, prepared statements, page cache).
    for (const t of targets) await warm(t);
    const results = [];
    for (let pass = 1; pass <= SETTINGS.passes; pass++) {
      for (const t of targets) {
        const r = measure(t);
        results.push({ target: t.name, pass, ...r });
        process.stderr.write(`pass ${pass}: ${t.name}: ${Math.round(r.rps)} req/s\n`);
      }
    }
    const summary = report(targets, results, setup);
    // Real workers after the passes (threads, render cache, the request
    // mix above), before the sweep restarts them.
    summary.worker_rss = [];
    for (const site of setup.sites) {
      const workers = workerRss(site.pids());
      const requests = await served(site.url);
      const max = Math.max(...workers.map((w) => w.kib));
      summary.worker_rss.push({ site: site.name, requests, workers: workers.length, max_kib: max });
      console.log(`${'worker RSS after the passes'.padEnd(32)} ${site.name}: ${workers.length} workers, `
        + `${requests} requests served, largest ${(max / 1024).toFixed(1)} MiB (target ≤ 16)`);
    }
    summary.sweep = await sweep(setup);
    const conf = path.join(setup.stackDir, 'labnet.conf');
    const perRequest = instructions(dir, conf, '/hello/world', QUICK ? 20 : 200);
    if (perRequest !== null) {
      // The labs list as a first view (every request queries and renders)
      // and as a repeat view (from the render cache), and hello's repeat view.
      summary.instructions = {
        '/hello/world': perRequest,
        '/hello/world (cached)': instructions(dir, conf, '/hello/world', QUICK ? 20 : 2000, true),
        '/labs': instructions(dir, conf, '/labs', QUICK ? 5 : 50),
        '/labs (cached)': instructions(dir, conf, '/labs', QUICK ? 20 : 2000, true),
      };
      for (const [what, count] of Object.entries(summary.instructions)) {
        console.log(`${'instructions per request (callgrind)'.padEnd(32)} ${what}: ${count}`);
      }
      const mem = memory(dir, path.join(setup.stackDir, 'labnet.conf'), '/hello/world', QUICK ? 5000 : 100000);
      summary.memory = { '/hello/world': mem };
      console.log(`${'RSS over requests (in-process)'.padEnd(32)} /hello/world: ${mem.requests} requests, `
        + `${(mem.end_kib / 1024).toFixed(1)} MiB at the end (target ≤ 16), `
        + `${(mem.growth_second_half * 100).toFixed(2)}% growth over the second half (target ≤ 2%)`);
    }
    write(path.join(BUILD, 'bench'), summary, results);
    const failed = [...summary.rows, ...summary.sweep.best].filter((r) => r.errors > 0);
    if (failed.length) {
      console.log(`errors during the runs: ${[...new Set(failed.map((r) => r.target))].join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    if (setup) await setup.stop();
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
  console.error(`bench: ${error.message}${error.cause ? ` (${error.cause.message ?? error.cause})` : ''}`);
  process.exitCode = 1;
});
