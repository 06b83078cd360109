// `labnet migrate`: pending files applied in order, once, each in its own
// transaction and recorded in core.migrations; a rerun does nothing; a
// failing file is rolled back whole and named with PostgreSQL's error.

import assert from 'node:assert/strict';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { useStack } from './lib/stack.mjs';

const stack = useStack({ plugins: ['hello'], testPlugins: ['probe'] });

test('the stack came up migrated: each plugin in its own schema, recorded once', async () => {
  const rows = await stack.psql('SELECT plugin, version, name FROM core.migrations ORDER BY plugin, version', { owner: true });
  assert.match(rows, /^hello\|1\|001_names\.sql$/m);
  assert.match(rows, /^probe\|1\|001_items\.sql$/m);
  const schemas = await stack.psql("SELECT string_agg(nspname, ' ' ORDER BY nspname) FROM pg_namespace WHERE nspname IN ('core', 'hello', 'probe')");
  assert.equal(schemas, 'core hello probe');
  assert.equal(await stack.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'hello' AND tablename = 'names'"), '1');
});

test('a second migrate applies nothing', async () => {
  const before = await stack.psql('SELECT count(*), max(applied_at) FROM core.migrations', { owner: true });
  const r = await stack.labnet(['migrate']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /applied/);
  assert.match(r.stdout, /migrations are up to date/);
  assert.equal(await stack.psql('SELECT count(*), max(applied_at) FROM core.migrations', { owner: true }), before);
});

test('a failing migration is rolled back whole and named; fixed, it applies', async () => {
  // A copy of probe's data root with two more migrations: 002 is fine,
  // 003 creates a table and then fails.
  const root = await mkdtemp('/tmp/lnmig.');
  await chmod(root, 0o755);
  const sqlDir = path.join(root, 'tests/plugins/probe/sql');
  try {
    await mkdir(sqlDir, { recursive: true, mode: 0o755 });
    for (const dir of ['tests', 'tests/plugins', 'tests/plugins/probe', 'tests/plugins/probe/sql']) {
      await chmod(path.join(root, dir), 0o755);
    }
    await copyFile(path.join(stack.env.SHARE, 'tests/plugins/probe/sql/001_items.sql'), path.join(sqlDir, '001_items.sql'));
    await writeFile(path.join(sqlDir, '002_notes.sql'), 'CREATE TABLE notes (id bigserial PRIMARY KEY, body text);\n');
    await writeFile(path.join(sqlDir, '003_broken.sql'), 'CREATE TABLE half_done (i int);\nSELECT no_such_function();\n');
    for (const f of ['001_items.sql', '002_notes.sql', '003_broken.sql']) await chmod(path.join(sqlDir, f), 0o644);
    const conf = path.join(root, 'labnet.conf');
    const base = await readFile(stack.env.CONF, 'utf8');
    await writeFile(conf, base.replace(/^\[probe\]\n/m, `[probe]\nroot = ${root}\n`));
    await chmod(conf, 0o644);

    const r = await stack.labnet(['-c', conf, 'migrate']);
    assert.notEqual(r.code, 0);
    assert.match(r.stdout, /probe: applied 002_notes\.sql/);
    assert.match(r.stdout, /003_broken\.sql: ERROR: {1,2}function no_such_function\(\) does not exist/);
    assert.match(r.stdout, /003_broken\.sql: rolled back; nothing of it was applied/);
    assert.equal(await stack.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'probe' AND tablename = 'half_done'"), '0');
    assert.equal(await stack.psql("SELECT string_agg(version::text, ',' ORDER BY version) FROM core.migrations WHERE plugin = 'probe'", { owner: true }), '1,2');
    // The runtime role got rights on the new table through default privileges.
    await stack.psql("INSERT INTO probe.notes (body) VALUES ('x')");

    await writeFile(path.join(sqlDir, '003_broken.sql'), 'CREATE TABLE half_done (i int);\n');
    const fixed = await stack.labnet(['-c', conf, 'migrate']);
    assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
    assert.match(fixed.stdout, /probe: applied 003_broken\.sql/);
    assert.doesNotMatch(fixed.stdout, /applied 00[12]/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a misnamed migration file is refused before anything runs', async () => {
  const root = await mkdtemp('/tmp/lnmig.');
  await chmod(root, 0o755);
  const sqlDir = path.join(root, 'tests/plugins/probe/sql');
  try {
    await mkdir(sqlDir, { recursive: true });
    for (const dir of ['tests', 'tests/plugins', 'tests/plugins/probe', 'tests/plugins/probe/sql']) {
      await chmod(path.join(root, dir), 0o755);
    }
    await writeFile(path.join(sqlDir, '2_oops.sql'), 'SELECT 1;\n');
    await chmod(path.join(sqlDir, '2_oops.sql'), 0o644);
    const conf = path.join(root, 'labnet.conf');
    const base = await readFile(stack.env.CONF, 'utf8');
    await writeFile(conf, base.replace(/^\[probe\]\n/m, `[probe]\nroot = ${root}\n`));
    await chmod(conf, 0o644);
    const r = await stack.labnet(['-c', conf, 'migrate']);
    assert.notEqual(r.code, 0);
    assert.match(r.stdout + r.stderr, /2_oops\.sql: not a migration name \(NNN_name\.sql\)/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
