// Backup and restore as README's operations section says: pg_dump of the
// one database (as its owner), restored into a fresh cluster of a new
// stack (pg_restore before migrations, which then find nothing to do),
// serves the same pages and the same data.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, test } from 'node:test';
import { deadline, startStack, useStack } from './lib/stack.mjs';

const stack = useStack({ plugins: ['hello'], testPlugins: ['sleepy'] });
let restored;

after(async () => {
  if (restored) await restored.stop();
});

/** Status and body, with the stack's own address (its port) taken out. */
async function page(s, uri) {
  const res = await s.get(uri);
  return { status: res.status, body: (await res.text()).replaceAll(s.url, 'SITE') };
}

test('pg_dump, then pg_restore into a fresh cluster: the same pages', { timeout: deadline(240000) }, async () => {
  await stack.psql("INSERT INTO hello.names (name, note) VALUES ('Grace', 'found the first bug')", { owner: true });
  const res = await stack.request('POST', '/sleepy/write', {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ label: 'kept by the backup' }),
  });
  assert.equal(res.status, 200);
  await res.arrayBuffer();

  const dump = path.join(stack.dir, 'labnet.dump');
  const result = spawnSync(path.join(stack.env.PGBIN, 'pg_dump'), [
    '-Fc', '-h', stack.env.PGHOST, '-p', stack.env.PGPORT, '-U', 'labnet_owner',
    '-f', dump, 'labnet',
  ], { timeout: deadline(60000) });
  assert.equal(result.status, 0, result.stderr.toString());

  restored = await startStack({ plugins: ['hello'], testPlugins: ['sleepy'], env: { RESTORE: dump } });
  // Everything was in the dump: the migrations had nothing left to apply.
  assert.doesNotMatch(await readMigrateLog(restored), /: applied /);
  for (const uri of ['/hello/Grace', '/fi/hello/Grace?format=xml', '/hello/nobody', '/']) {
    const [a, b] = [await page(stack, uri), await page(restored, uri)];
    assert.equal(b.status, 200, uri);
    assert.equal(b.body, a.body, uri);
  }
  assert.match((await page(restored, '/hello/Grace?format=xml')).body, /<note>found the first bug<\/note>/);
  assert.equal(await restored.psql("SELECT count(*) FROM sleepy.writes WHERE label = 'kept by the backup'"), '1');
});

async function readMigrateLog(s) {
  const { readFile } = await import('node:fs/promises');
  return readFile(path.join(s.dir, 'migrate.log'), 'utf8').catch(() => '');
}
