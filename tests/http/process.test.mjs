// The process model: workers run as the configured user, the socket has the
// configured mode and group, a killed worker is logged and replaced while
// the site keeps serving, and the same binary serves one request as CGI.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { test } from 'node:test';
import { deadline, useStack } from './lib/stack.mjs';

const stack = useStack({ plugins: ['hello'] });

/** Children of the master, from /proc. */
async function workers() {
  const master = Number(stack.env.LABNET_PID);
  const out = [];
  const { readdir } = await import('node:fs/promises');
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      if (Number(status.match(/^PPid:\s+(\d+)/m)[1]) === master) {
        out.push({ pid: Number(pid), uid: Number(status.match(/^Uid:\s+(\d+)/m)[1]) });
      }
    } catch { /* gone */ }
  }
  return out;
}

test('workers run as the configured user, never root', { skip: process.getuid() !== 0 && 'needs root' }, async () => {
  const list = await workers();
  assert.equal(list.length, 2);
  const wwwData = Number((await readFile('/etc/passwd', 'utf8')).match(/^www-data:x:(\d+):/m)[1]);
  for (const w of list) assert.equal(w.uid, wwwData, `worker ${w.pid}`);
});

test('the unix socket has mode 0660 and the web server group', async () => {
  const conf = await readFile(stack.env.CONF, 'utf8');
  const socket = conf.match(/^listen = (.*)$/m)[1];
  const st = await stat(socket);
  assert.ok(st.isSocket());
  assert.equal(st.mode & 0o777, 0o660);
  if (process.getuid() === 0) {
    const gid = Number((await readFile('/etc/group', 'utf8')).match(/^www-data:x:(\d+):/m)[1]);
    assert.equal(st.gid, gid);
  }
});

test('a killed worker is logged and replaced; the site keeps serving', async () => {
  const before = await workers();
  const victim = before[0].pid;
  process.kill(victim, 'SIGKILL');
  const end = Date.now() + deadline(5000);
  let now = [];
  while (Date.now() < end) {
    now = await workers();
    if (now.length === 2 && !now.some((w) => w.pid === victim)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(now.length, 2, 'two workers again');
  assert.ok(!now.some((w) => w.pid === victim));
  assert.match(await stack.log(), new RegExp(`worker ${victim} died on signal 9 \\(Killed\\)`));
  for (let i = 0; i < 10; i++) {
    const res = await stack.get('/hello/again');
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  }
});

test('run as a CGI program, the binary serves one request', async () => {
  const env = {
    ...process.env,
    GATEWAY_INTERFACE: 'CGI/1.1',
    REQUEST_METHOD: 'GET',
    REQUEST_URI: '/fi/hello/cgi',
    QUERY_STRING: '',
    REMOTE_ADDR: '127.0.0.1',
  };
  const child = spawn(stack.env.LABNET, ['-c', stack.env.CONF], { env });
  const chunks = [];
  child.stdout.on('data', (c) => chunks.push(c));
  const code = await new Promise((resolve) => child.on('close', resolve));
  const out = Buffer.concat(chunks).toString();
  assert.equal(code, 0);
  assert.match(out, /^Status: 200 OK\r\n/);
  assert.match(out, /\r\nContent-Language: fi\r\n/);
  assert.match(out, /<h1>Hei, cgi!<\/h1>/);
});
