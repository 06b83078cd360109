// The XSLT sandbox: views run with file and network access forbidden and a
// document loader that loads nothing at transform time. The xsltprobe test
// plugin's views try document() on a local file (absolute, plain, relative
// to the view), on a URL and on a URI from the input, and exsl:document to
// write a file; the page must come out without any of it (or as a 500),
// and nothing may be written. Imports are resolved at start-up only: a view
// importing /etc/passwd (the xsltimport test plugin) is refused by
// `labnet check`, so no request ever runs it.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { useStack } from './lib/stack.mjs';

const stack = useStack({ plugins: ['hello'], testPlugins: ['xsltprobe'] });

/** Lines of a local file worth looking for in a page (empty if unreadable). */
function telltales(file) {
  try {
    return readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l.length >= 6);
  } catch {
    return [];
  }
}

const SECRETS = [...telltales('/etc/passwd'), ...telltales('/etc/hostname')];

/** Asserts body shows none of the local files' lines. */
function assertNoLeak(body) {
  assert.ok(SECRETS.length > 0, 'no telltale lines found in /etc/passwd');
  for (const line of SECRETS) {
    assert.ok(!body.includes(line), `the page shows a line of a local file: ${line}`);
  }
  assert.doesNotMatch(body, /root:[^:]*:0:0:/);
}

test('document() of local files and URLs reads nothing at transform time', async () => {
  const res = await stack.get('/xsltprobe/document');
  const body = await res.text();
  assert.ok(res.status === 200 || res.status === 500, `status ${res.status}`);
  assertNoLeak(body);
  if (res.status === 200) {
    // Rendered to the end, every attempt empty, not even the view itself.
    assert.match(body, /<p id="done">rendered<\/p>/);
    for (const id of ['absolute', 'plain-path', 'relative', 'hostname', 'url', 'from-data']) {
      assert.match(body, new RegExp(`<p id="${id}"\\s*/?>(</p>)?`), `#${id} is not empty`);
    }
    assert.match(body, /<p id="view-itself">0<\/p>/);
  }
});

test('the same in XML and in another language: nothing read either', async () => {
  for (const url of ['/xsltprobe/document.xml', '/fi/xsltprobe/document']) {
    const res = await stack.get(url);
    assertNoLeak(await res.text());
  }
});

test('exsl:document cannot write a file from a view', async () => {
  const dir = await mkdtemp('/tmp/lnxslt.');
  await chmod(dir, 0o777); // so that only the sandbox can stop the worker's user
  const target = path.join(dir, 'written-by-a-view');
  try {
    const res = await stack.get(`/xsltprobe/write?target=${encodeURIComponent(target)}`);
    await res.arrayBuffer();
    assert.ok(res.status === 200 || res.status === 500, `status ${res.status}`);
    assert.equal(existsSync(target), false, 'the view wrote a file');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the site keeps serving after the probes', async () => {
  const res = await stack.get('/hello/world');
  assert.equal(res.status, 200);
  await res.arrayBuffer();
});

test('a view importing /etc/passwd is refused at start-up by labnet check', async () => {
  const dir = await mkdtemp('/tmp/lnconf.');
  await chmod(dir, 0o755);
  try {
    const base = await readFile(stack.env.CONF, 'utf8');
    const conf = path.join(dir, 'labnet.conf');
    await writeFile(conf, base.replace(/^plugins = (.*)$/m, 'plugins = $1 xsltimport') +
      `\n[xsltimport]\nlibrary = ${stack.env.TEST_PLUGIN_DIR}/xsltimport.so\n`);
    await chmod(conf, 0o644);
    const r = await stack.labnet(['-c', conf, 'check']);
    assert.notEqual(r.code, 0, `check should fail:\n${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /import\.xsl/);
    assertNoLeak(r.stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
