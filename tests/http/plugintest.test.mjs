// `labnet plugin-test`: a plugin tested without nginx, against a
// throw-away PostgreSQL cluster the command makes and removes itself. The
// installed core (a DESTDIR `make install`) tests the stock plugins and the
// example partner plugin built with pkg-config (they pass, exit 0), and
// tests/plugins/brokenplug, whose routes crash, leak, answer 500 to a
// hostile value and break their own schema (each reported, exit 1). The
// labs plugin's fixtures (plugins/labs/fixtures.ini) sign in as an editor
// and an admin (`user = ...`) to post its edit forms, and read its
// signed-in pages as XML, valid against its schema.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { BUILD, ROOT, SAN } from './lib/stack.mjs';

let work;
let dest;
let labnet;

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

async function config(name, plugins, extra = '') {
  const file = path.join(work, `${name}.conf`);
  await writeFile(file, `[core]
base_url = http://127.0.0.1:8080
listen = ${work}/unused.sock
${process.getuid() === 0 ? 'user = www-data\n' : ''}plugin_dir = ${dest}/usr/lib/labnet/plugins
share_dir = ${dest}/usr/share/labnet
plugins = ${plugins}
database = dbname=unused
migrate_database = dbname=unused
app_role = labnet_app
log_level = warn
${extra}`);
  return file;
}

function pluginTest(conf, args) {
  const r = spawnSync(labnet, ['-c', conf, 'plugin-test', ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: 180000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function summary(out) {
  const m = out.match(/^(\d+) passed, (\d+) failed$/m);
  assert.ok(m, `no summary line in:\n${out}`);
  return { passed: Number(m[1]), failed: Number(m[2]) };
}

before(async () => {
  work = await mkdtemp('/tmp/lnpt-test.');
  await chmod(work, 0o755);
  dest = path.join(work, 'dest');
  run('make', ['-s', 'install', `BUILD=${BUILD}`, ...(SAN ? ['SAN=1'] : []), `DESTDIR=${dest}`, 'PREFIX=/usr']);
  labnet = path.join(dest, 'usr/bin/labnet');
  const pcPath = path.join(dest, 'usr/lib/pkgconfig');
  // The example, as a partner builds and ships it: the .so beside its data.
  const oc = path.join(work, 'opencalls');
  await mkdir(oc);
  run('make', ['-s', '-C', 'examples/opencalls', `OUT=${oc}/opencalls.so`], { PKG_CONFIG_PATH: pcPath });
  for (const dir of ['views', 'messages', 'sql']) {
    await cp(path.join(ROOT, 'examples/opencalls', dir), path.join(oc, dir), { recursive: true });
  }
  // brokenplug's data (its schema) under a root of its own.
  const broken = path.join(work, 'broken');
  await cp(path.join(ROOT, 'tests/plugins/brokenplug'), path.join(broken, 'tests/plugins/brokenplug'), { recursive: true });
  // BUILD may be absolute (tools/run-suite passes it so) or relative.
  await cp(path.resolve(ROOT, BUILD, 'tests/plugins/brokenplug.so'), path.join(broken, 'brokenplug.so'));
  spawnSync('chmod', ['-R', 'u=rwX,go=rX', work]);
}, { timeout: 240000 });

after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

test('the stock hello plugin passes, and the cluster is gone afterwards', { timeout: 180000 }, async () => {
  const before = (await readdir('/tmp')).filter((f) => f.startsWith('lnpt.'));
  const r = pluginTest(await config('hello', 'hello'), [`${dest}/usr/lib/labnet/plugins/hello.so`]);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /^ok {4}migrations of the core and hello$/m);
  assert.match(r.out, /^ok {4}view \/hello\/\{name\} \(hello\.xsl\): GET \/hello\/test-slug -> 200$/m);
  assert.match(r.out, /^ok {4}hostile \/hello\/\{name\} path: no 5xx$/m);
  assert.match(r.out, /^ok {4}leak GET \/hello\/test-slug: \d+ bytes per request/m);
  assert.equal(summary(r.out).failed, 0);
  const left = (await readdir('/tmp')).filter((f) => f.startsWith('lnpt.') && !before.includes(f));
  assert.deepEqual(left, [], 'the throw-away cluster was removed');
});

test('the stock labs plugin passes its fixtures, its XML valid against schema/labs.rng', { timeout: 180000 }, async () => {
  const r = pluginTest(await config('labs', 'hello labs'),
    [`${dest}/usr/lib/labnet/plugins/labs.so`, 'plugins/labs/fixtures.ini']);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /^ok {4}schema \S+\/labs\.rng loads$/m);
  assert.match(r.out, /^ok {4}schema \/labs: <labs> is valid$/m);
  // A response longer than 4 kB is checked too (the map with its basemap).
  assert.match(r.out, /^ok {4}schema \/labs\/map: <labs-map> is valid$/m);
  assert.match(r.out, /^ok {4}hostile \/labs \?q= no 5xx$/m);
  assert.match(r.out, /^ok {4}view \/labs\/\{slug:slug\} \(lab\.xsl\): GET \/labs\/test-slug -> 404$/m);
  // One account per role, made and signed in once for the run.
  assert.match(r.out, /^ok {4}user editor: plugin-test-editor-[0-9a-f]{8}@plugin-test\.invalid \(id \d+\) signed in through \/sign-in$/m);
  assert.match(r.out, /^ok {4}user admin: plugin-test-admin-[0-9a-f]{8}@plugin-test\.invalid \(id \d+\) signed in through \/sign-in$/m);
  // A visitor is asked to sign in; a wrong token and a missing right are 403.
  assert.match(r.out, /^ok {4}fixture \[a visitor may not propose a lab\]: POST \/labs\/new -> 401$/m);
  assert.match(r.out, /^ok {4}fixture \[a form from another site is refused\]: POST \/labs\/seeded-lab\/edit as admin -> 403$/m);
  assert.match(r.out, /^ok {4}fixture \[an editor without the right may not change it\]: POST \/labs\/seeded-lab\/edit as editor -> 403$/m);
  // The forms post, with the session's CSRF token, and change the lab.
  assert.match(r.out, /^ok {4}fixture \[an admin proposes a lab\]: POST \/labs\/new as admin -> 303$/m);
  assert.match(r.out, /^ok {4}fixture \[an admin renames it\]: POST \/labs\/seeded-lab\/edit as admin -> 303$/m);
  assert.match(r.out, /^ok {4}fixture \[the rename shows\]: xpath \/lab-profile\/lab\/name = 'Seeded lab, renamed'$/m);
  // :user_id in sql: the editor given the right (core.editors) may edit.
  assert.match(r.out, /^ok {4}fixture \[an editor given the right changes it\]: POST \/labs\/seeded-lab\/edit as editor -> 303$/m);
  assert.match(r.out, /^ok {4}fixture \[the editor's change shows\]: xpath \/lab-profile\/lab\/name = 'Kept by its editor'$/m);
  // The signed-in pages are asked for as XML and valid against labs.rng:
  // the form (with what was typed and its field errors), the history, the queue.
  assert.match(r.out, /^ok {4}schema a signed-in user gets an empty form: <lab-form> is valid$/m);
  assert.match(r.out, /^ok {4}schema a form with mistakes comes back with its errors: <lab-form> is valid$/m);
  assert.match(r.out, /^ok {4}fixture \[a form with mistakes comes back with its errors\]: xpath \/lab-form\/form\/field\[@name = 'country'\]\[\. = 'XX'\]\/@error$/m);
  assert.match(r.out, /^ok {4}schema its editor sees its history: <lab-history> is valid$/m);
  assert.match(r.out, /^ok {4}schema the admins' queue lists it: <labs-pending> is valid$/m);
  assert.equal(summary(r.out).failed, 0);
});

test("a visitor's POST to a public form without a token is 403", { timeout: 180000 }, async () => {
  const fixtures = path.join(work, 'visitor-post.ini');
  await writeFile(fixtures, '[a visitor signs in without the form]\nmethod = POST\npath = /sign-in\n'
    + 'param = email=someone@example.org\nparam = password=not-a-password\nstatus = 403\n');
  const r = pluginTest(await config('visitor-post', 'hello labs'), [`${work}/opencalls/opencalls.so`, fixtures]);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /^ok {4}fixture \[a visitor signs in without the form\]: POST \/sign-in -> 403$/m);
  assert.doesNotMatch(r.out, /^(ok|FAIL) {2,4}user /m, 'no account is made when no fixture asks for one');
});

test('a fixture file with a wrong user, or :user_id without one, is refused at file:line', async () => {
  const wrong = path.join(work, 'wrong-user.ini');
  await writeFile(wrong, '[as whom?]\npath = /calls\nuser = root\nstatus = 200\n');
  let r = pluginTest(await config('wrong-user', 'hello labs'), [`${work}/opencalls/opencalls.so`, wrong]);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, new RegExp(`^FAIL {2}fixtures ${wrong}:3: user is editor or admin, not "root"$`, 'm'));
  assert.deepEqual(summary(r.out), { passed: 0, failed: 1 });
  const noUser = path.join(work, 'no-user.ini');
  await writeFile(noUser, '[seeds a right]\npath = /calls\n'
    + "sql = INSERT INTO core.editors (plugin, object_key, user_id) VALUES ('opencalls', 'x', :user_id)\n");
  r = pluginTest(await config('no-user', 'hello labs'), [`${work}/opencalls/opencalls.so`, noUser]);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, new RegExp(`^FAIL {2}fixtures ${noUser}:3: sql uses :user_id, but \\[seeds a right\\] has no user$`, 'm'));
  const unknown = path.join(work, 'unknown-key.ini');
  await writeFile(unknown, '[typo]\npath = /calls\nstatsu = 200\n');
  r = pluginTest(await config('unknown-key', 'hello labs'), [`${work}/opencalls/opencalls.so`, unknown]);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, new RegExp(`^FAIL {2}fixtures ${unknown}:3: unknown key "statsu"`, 'm'));
});

test('the example partner plugin, built with pkg-config, passes its fixtures', { timeout: 180000 }, async () => {
  const r = pluginTest(await config('opencalls', 'hello labs'),
    [`${work}/opencalls/opencalls.so`, 'examples/opencalls/fixtures.ini']);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /^ok {4}fixture \[three open calls and a closed one\]: xpath count\(\/calls\/call\) = 3$/m);
  assert.match(r.out, /^ok {4}fixture \[filtered by kind\]: xpath \/calls\/call\/kind = 'grant'$/m);
  assert.match(r.out, /^ok {4}fixture \[an unknown kind is refused\]: GET \/calls -> 400$/m);
  assert.match(r.out, /^ok {4}hostile \/calls \?kind= no 5xx$/m);
  const { passed, failed } = summary(r.out);
  assert.equal(failed, 0);
  assert.ok(passed >= 20, `${passed} checks`);
});

test('a wrong expectation in a fixture fails the run', { timeout: 180000 }, async () => {
  const fixtures = path.join(work, 'wrong.ini');
  await writeFile(fixtures, '[expects too much]\npath = /calls\nstatus = 200\nxpath = count(/calls/call) = 7\n');
  const r = pluginTest(await config('wrong', 'hello labs'), [`${work}/opencalls/opencalls.so`, fixtures]);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, /^FAIL {2}fixture \[expects too much\]: xpath count\(\/calls\/call\) = 7 is false$/m);
  assert.equal(summary(r.out).failed, 1);
});

test('the broken plugin: crash, leak, a 500 for a hostile value, XML off its schema', { timeout: 180000 }, async () => {
  const r = pluginTest(await config('broken', 'hello', `[brokenplug]\nroot = ${work}/broken\n`),
    [`${work}/broken/brokenplug.so`, 'tests/plugins/brokenplug.ini']);
  assert.equal(r.code, 1, r.out + r.err);
  // The tester survives the crash and names the request; under ASan the
  // sanitizer ends the child with an exit status instead of the signal.
  assert.match(r.out, /^FAIL {2}crash \[crash\]: GET \/broken\/crash (died on signal 11 \(Segmentation fault\)|ended the process \(exit \d+\))$/m);
  assert.match(r.out, /^FAIL {2}leak \[leak\]: \d+ bytes per request over 40 requests \(the heap grows\)$/m);
  assert.match(r.out, /^FAIL {2}descriptors GET \/broken\/fdleak: (3\d|4\d) left open over 40 requests$/m);
  assert.match(r.out, /^ok {4}descriptors GET \/broken\/fine: 0 left open/m);
  assert.match(r.out, /^FAIL {2}hostile \/broken\/echo \?q= .*script->500/m);
  assert.match(r.out, /^FAIL {2}schema shape: <broken> matches none of the plugin's schema\/\*\.rng$/m);
  // What it does right is still reported as passing.
  assert.match(r.out, /^ok {4}fixture \[fine\]: xpath \/broken\/item = 'fine'$/m);
  assert.match(r.out, /^ok {4}schema \/broken\/fine: <broken> is valid$/m);
  assert.match(r.out, /^ok {4}leak GET \/broken\/fine: /m);
  assert.ok(summary(r.out).failed >= 4);
});
