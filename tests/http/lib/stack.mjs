// tests/http/lib/stack.mjs — harness for the HTTP tests: each test file starts
// its own private stack (PostgreSQL + Labnet core + nginx, see tools/stack) in
// a throw-away directory, talks to it over real HTTP, and stops it in after().
//
//   import { useStack } from './lib/stack.mjs';
//   const stack = useStack({ plugins: ['hello'] });   // before()/after() hooks
//   test('...', async () => { const res = await stack.get('/'); ... });
//
// or, by hand: `const stack = await startStack(opts)` ... `await stack.stop()`.
// Environment: LABNET_BUILD (build dir, default "build"), LABNET_SAN=1 (a
// sanitizer build: longer deadlines, reports fail the stop), LABNET_TMP
// (parent of the stack dirs, default /tmp), LABNET_KEEP_STACKS=1 (leave the
// stack dirs behind for a post-mortem). No npm dependencies: Node 18+.

import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';

/** The checkout's root directory. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** True when the tests run against the sanitizer build. */
export const SAN = process.env.LABNET_SAN === '1';
/** Build directory the stacks run (relative to ROOT unless absolute). */
export const BUILD = process.env.LABNET_BUILD || 'build';

const STACK_TOOL = path.join(ROOT, 'tools', 'stack');
const KEEP_DIRS = process.env.LABNET_KEEP_STACKS === '1';

/** A time budget in ms, tripled under the (slower) sanitizer build. */
export function deadline(ms) {
  return SAN ? ms * 3 : ms;
}

// Stacks started and not yet stopped: stopped at exit if a test file forgot
// (or crashed before its after() hook).
const liveStacks = new Set();
process.on('exit', () => {
  for (const dir of liveStacks) {
    spawnSync(STACK_TOOL, ['down', dir], { stdio: 'ignore', timeout: deadline(60000) });
  }
});

/**
 * Run a program; always resolves with { code, signal, stdout, stderr }.
 * `input` is written to its stdin; past `timeout` ms it is killed.
 */
function run(file, args, { env = process.env, input, timeout = deadline(60000) } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeout);
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let stderr = Buffer.concat(err).toString();
      if (timedOut) stderr += `\n[killed after ${timeout} ms]`;
      resolve({ code, signal, stdout: Buffer.concat(out).toString(), stderr });
    });
    child.stdin.on('error', () => {}); // the program may exit without reading
    child.stdin.end(input ?? '');
  });
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Parse stack.env's KEY=value lines into an object. */
function parseEnv(text) {
  const env = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) env[match[1]] = match[2];
  }
  return env;
}

/** Lines for an INI section body from a string, or from { key: value }. */
function iniLines(value) {
  if (value == null) return '';
  if (typeof value === 'string') return value;
  return Object.entries(value).map(([key, v]) => `${key} = ${v}`).join('\n');
}

/** Text of INI sections from a string, or from { section: { key: value } }. */
function iniSections(value) {
  if (value == null) return '';
  if (typeof value === 'string') return value;
  return Object.entries(value)
    .map(([section, body]) => `[${section}]\n${iniLines(body)}`)
    .join('\n\n');
}

/**
 * Start a stack and wait until /-/health answers through nginx.
 *
 * opts.plugins      plugin names (array or space-separated), default "hello"
 * opts.testPlugins  names of test plugins (tests/plugins/<name>.c) to load too
 * opts.core         extra [core] lines: string or { key: value } (replaces
 *                   the default of the same key)
 * opts.conf         extra sections: string or { section: { key: value } }
 * opts.demo         load conf/demo/*.sql
 * opts.env          more environment for tools/stack
 *
 * In opts.core and opts.conf, @DIR@ @SHARE@ @PLUGIN_DIR@ @TEST_PLUGIN_DIR@
 * @BUILD@ @PORT@ are replaced by tools/stack.
 */
export async function startStack(opts = {}) {
  const plugins = [].concat(opts.plugins ?? ['hello']).join(' ').split(/\s+/).filter(Boolean);
  const testPlugins = [].concat(opts.testPlugins ?? []);
  const conf = [
    iniSections(opts.conf),
    ...testPlugins.map((name) => `[${name}]\nlibrary = @TEST_PLUGIN_DIR@/${name}.so`),
  ].filter(Boolean).join('\n\n');

  const parent = process.env.LABNET_TMP || '/tmp';
  const dir = await mkdtemp(path.join(parent, 'lnt.'));
  await chmod(dir, 0o755); // postgres and www-data must reach it
  liveStacks.add(dir);

  let up;
  let port;
  for (let attempt = 1; attempt <= 3; attempt++) {
    port = await freePort();
    const env = {
      ...process.env,
      PORT: String(port),
      BUILD,
      PLUGINS: [...plugins, ...testPlugins].join(' '),
      EXTRA_CORE: iniLines(opts.core),
      EXTRA_CONF: conf,
      FAST: '1',
      KEEP: '0',
      DEMO: opts.demo ? '1' : '0',
      SAN: SAN ? '1' : '0',
      ...(opts.env ?? {}),
    };
    up = await run(STACK_TOOL, ['up', dir], { env, timeout: deadline(180000) });
    // Another process may take the port between freePort() and nginx's bind.
    if (up.code === 0 || !/Address already in use/.test(up.stderr)) break;
  }
  if (up.code !== 0) {
    await run(STACK_TOOL, ['down', dir]);
    liveStacks.delete(dir);
    if (!KEEP_DIRS) await rm(dir, { recursive: true, force: true });
    throw new Error(`tools/stack up failed (exit ${up.code ?? up.signal}):\n${up.stderr}${up.stdout}`);
  }
  const env = parseEnv(await readFile(path.join(dir, 'stack.env'), 'utf8'));
  return makeHandle(dir, env);
}

/** The object startStack() returns: url, dir, env (stack.env) and the helpers below. */
function makeHandle(dir, env) {
  const url = env.URL;
  let stopped = false;

  const stackCommand = async (command) => {
    const result = await run(STACK_TOOL, [command, dir]);
    if (result.code !== 0) {
      throw new Error(`tools/stack ${command} failed:\n${result.stderr}`);
    }
  };

  const handle = {
    url,
    dir,
    env,

    /** GET `urlPath`; redirects are returned, not followed. */
    get(urlPath, headers = {}) {
      return handle.request('GET', urlPath, { headers });
    },

    /** Any request; body as string, Buffer, URLSearchParams or FormData. */
    request(method, urlPath, { headers = {}, body } = {}) {
      return fetch(url + urlPath, {
        method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(deadline(30000)),
      });
    },

    /**
     * Run SQL as labnet_app (or labnet_owner); resolves with psql's stdout.
     * A write to a plugin's tables (or the vocabulary) reaches the workers'
     * render caches by a trigger's NOTIFY, a moment after the commit: unless
     * `settle` is false, wait (bounded) until the data version has moved, so
     * that the next request sees the write, as it would from Labnet itself.
     */
    async psql(sql, { owner = false, settle = true } = {}) {
      const writes = settle &&
        /\b(insert\s+into|update|delete\s+from|truncate)\s+(?!core\.(?!vocab))/i.test(sql);
      const before = writes ? await handle.dataVersion() : null;
      const args = [
        '-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1',
        '-h', env.PGHOST, '-p', env.PGPORT,
        '-U', owner ? 'labnet_owner' : 'labnet_app', '-d', 'labnet', '-f', '-',
      ];
      const result = await run(path.join(env.PGBIN, 'psql'), args, { input: sql });
      if (result.code !== 0) throw new Error(`psql failed: ${result.stderr}`);
      if (before !== null) {
        const end = Date.now() + deadline(5000);
        while (Date.now() < end && ((await handle.dataVersion()) ?? Infinity) <= before) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
      return result.stdout.replace(/\n$/, '');
    },

    /** labnet_data_version from /-/metrics, or null when it cannot be read. */
    async dataVersion() {
      try {
        const res = await fetch(`${url}/-/metrics`);
        const text = await res.text();
        const match = /^labnet_data_version (\d+)$/m.exec(text);
        return res.status === 200 && match ? Number(match[1]) : null;
      } catch {
        return null;
      }
    },

    /** Stop / start PostgreSQL (the core stays up). */
    pgStop: () => stackCommand('pg-stop'),
    pgStart: () => stackCommand('pg-start'),
    /** Freeze / thaw PostgreSQL (SIGSTOP/SIGCONT): a hung database. */
    pgPause: () => stackCommand('pg-pause'),
    pgResume: () => stackCommand('pg-resume'),

    /** Everything the core has logged so far. */
    log: () => readFile(env.LOG, 'utf8'),

    /** Run the staged binary with -c CONF and `args`: { code, stdout, stderr }. */
    labnet(args = [], { input, timeout } = {}) {
      const runEnv = { ...process.env };
      if (env.ASAN_OPTIONS) runEnv.ASAN_OPTIONS = env.ASAN_OPTIONS;
      if (env.UBSAN_OPTIONS) runEnv.UBSAN_OPTIONS = env.UBSAN_OPTIONS;
      return run(env.LABNET, ['-c', env.CONF, ...args], { env: runEnv, input, timeout });
    },

    /**
     * Stop the stack and remove its directory. Safe to call twice and after
     * a partial failure; rejects when the sanitizers left reports (printed
     * in the error).
     */
    async stop() {
      if (stopped) return;
      stopped = true;
      const result = await run(STACK_TOOL, ['down', dir], { timeout: deadline(120000) });
      liveStacks.delete(dir);
      if (!KEEP_DIRS) await rm(dir, { recursive: true, force: true });
      if (result.code !== 0) {
        throw new Error(`tools/stack down failed (exit ${result.code ?? result.signal}):\n${result.stderr}`);
      }
    },
  };
  return handle;
}

/**
 * Start a stack in before() and stop it in after(); returns an object that
 * takes the stack's methods and fields once before() has run.
 */
export function useStack(opts = {}) {
  const stack = {};
  before(async () => {
    Object.assign(stack, await startStack(opts));
  }, { timeout: deadline(240000) });
  after(async () => {
    if (stack.stop) await stack.stop();
  });
  return stack;
}
