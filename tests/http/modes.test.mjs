// The ways `labnet serve` can be handed its socket, each serving the same
// site: TCP host:port, a socket inherited on fd 0 from spawn-fcgi
// (listen = -), systemd socket activation (LISTEN_FDS/LISTEN_PID on fd 3,
// by systemd-socket-activate), and a plain CGI run (no socket at all).
// Each talks FastCGI (or CGI) directly, next to the stack's own core.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { fcgiRequest, getParams } from './lib/fcgi.mjs';
import { sleep, waitFor } from './lib/procs.mjs';
import { deadline, freePort, useStack } from './lib/stack.mjs';

const stack = useStack({ plugins: ['hello'] });
const running = new Set();
const ROOT = process.getuid() === 0;

after(async () => {
  for (const child of running) child.kill('SIGKILL');
});

function has(program) {
  return spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
}

/** A copy of the stack's configuration with another listen value. */
async function confWith(name, listen) {
  const text = (await readFile(stack.env.CONF, 'utf8'))
    .replace(/^listen = .*$/m, `listen = ${listen}`);
  const file = path.join(stack.dir, name);
  await writeFile(file, text, { mode: 0o644 });
  return file;
}

/** Start a server program; its output is collected for the assertions. */
function start(file, args, env = {}) {
  const child = spawn(file, args, {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.output = '';
  child.stdout.on('data', (d) => { child.output += d; });
  child.stderr.on('data', (d) => { child.output += d; });
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  running.add(child);
  return child;
}

/** SIGTERM `child` and wait: the master drains and exits 0. */
async function stop(child) {
  child.kill('SIGTERM');
  const { code } = await child.exited;
  running.delete(child);
  assert.equal(code, 0, child.output);
}

/** Ask `address` for /fi/hello/<who> until it answers (the server may still start). */
async function askHello(address, who) {
  let out;
  const ok = await waitFor(async () => {
    try {
      out = await fcgiRequest(address, getParams(`/fi/hello/${who}`), { timeout: deadline(5000) });
      return true;
    } catch {
      return false;
    }
  }, deadline(20000), 200);
  assert.ok(ok, `no answer from ${JSON.stringify(address)}`);
  assert.match(out, /^Status: 200 OK\r\n/);
  assert.match(out, new RegExp(`<h1>Hei, ${who}!</h1>`));
}

test('TCP host:port serves the site', { timeout: deadline(60000) }, async () => {
  const port = await freePort();
  const conf = await confWith('tcp.conf', `127.0.0.1:${port}`);
  const child = start(stack.env.LABNET, ['-c', conf, 'serve']);
  await askHello({ host: '127.0.0.1', port }, 'tcp');
  await stop(child);
  assert.match(child.output, new RegExp(`listening on 127\\.0\\.0\\.1:${port}`));
});

test('spawn-fcgi: the socket inherited on fd 0 (listen = -)', { timeout: deadline(60000) }, async () => {
  assert.ok(has('spawn-fcgi'), 'spawn-fcgi is installed (tools/deps test)');
  const socket = path.join(stack.dir, 'run', 'spawned.sock');
  const conf = await confWith('spawned.conf', '-');
  // -n: spawn-fcgi binds, then execs labnet in its own place.
  const child = start('spawn-fcgi', ['-n', '-s', socket, '-M', '0660',
    ...(ROOT ? ['-u', 'www-data', '-g', 'www-data'] : []),
    '--', stack.env.LABNET, '-c', conf, 'serve']);
  await askHello({ path: socket }, 'spawned');
  await stop(child);
  assert.match(child.output, /listening on the socket inherited on fd 0/);
});

test('systemd socket activation: LISTEN_FDS on fd 3', { timeout: deadline(60000) }, async () => {
  assert.ok(has('systemd-socket-activate'), 'systemd-socket-activate is installed (package systemd, tools/deps test)');
  const socket = path.join(stack.dir, 'run', 'activated.sock');
  // The listen value is not used: a passed socket wins over it.
  const conf = await confWith('activated.conf', path.join(stack.dir, 'run', 'unused.sock'));
  const child = start('systemd-socket-activate', ['-l', socket, stack.env.LABNET, '-c', conf, 'serve']);
  await waitFor(async () => {
    try { return (await import('node:fs')).statSync(socket).isSocket(); } catch { return false; }
  }, deadline(10000), 100);
  await askHello({ path: socket }, 'activated');
  await stop(child);
  assert.match(child.output, /listening on the socket systemd passed \(fd 3\)/);
});

test('listen = - without a socket on fd 0 is refused with the reason', async () => {
  const conf = await confWith('nosocket.conf', '-');
  const result = spawnSync(stack.env.LABNET, ['-c', conf, 'serve'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: deadline(30000) });
  assert.equal(result.status, 1);
  assert.match(result.stderr.toString(), /listen = -, but fd 0 is not a listening socket/);
});

test('CGI: no socket, one request, exit', async () => {
  const result = spawnSync(stack.env.LABNET, ['-c', stack.env.CONF], {
    env: { ...process.env, ...getParams('/fi/hello/cgi') },
    timeout: deadline(30000),
  });
  assert.equal(result.status, 0, result.stderr.toString());
  assert.match(result.stdout.toString(), /^Status: 200 OK\r\n/);
  assert.match(result.stdout.toString(), /<h1>Hei, cgi!<\/h1>/);
  await sleep(0);
});
