// The partner SDK end to end: `make install` into a DESTDIR, the example
// partner plugin (examples/opencalls) built out of tree with only
// `pkg-config --cflags labnet-plugin` from that install, then the
// installed core (not the build tree) loads it, migrates its schema,
// serves its pages and lets it fill the home page's home.blocks slot and a
// lab's lab.sidebar slot on the labs plugin's page.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { BUILD, ROOT, SAN, startStack } from './lib/stack.mjs';

let work;
let stack;

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

before(async () => {
  work = await mkdtemp('/tmp/lnsdk.');
  await chmod(work, 0o755);
  const dest = path.join(work, 'dest');
  // The same build as the rest of the suite: with SAN=1 for build-san, so
  // make never relinks it without the sanitizer flags.
  run('make', ['-s', 'install', `BUILD=${BUILD}`, ...(SAN ? ['SAN=1'] : []), `DESTDIR=${dest}`, 'PREFIX=/usr']);
  const pcPath = path.join(dest, 'usr/lib/pkgconfig');
  // Everything an operator and a partner need is in the install.
  for (const file of ['usr/bin/labnet', 'usr/include/labnet/labnet.h', 'usr/lib/labnet/plugins/hello.so',
    'usr/lib/systemd/system/labnet.service', 'usr/lib/systemd/system/labnet.socket',
    'usr/share/doc/labnet/plugin-guide.md', 'usr/share/doc/labnet/labnet.conf',
    'usr/share/labnet/core/views/layout.xsl', 'usr/share/labnet/sql/hello/001_names.sql']) {
    assert.ok(existsSync(path.join(dest, file)), `make install puts ${file}`);
  }
  // Only the installed SDK: no -I into the source tree.
  const cflags = run('pkg-config', ['--cflags', 'labnet-plugin'], { PKG_CONFIG_PATH: pcPath });
  assert.match(cflags, new RegExp(`-I${dest}/usr/lib/pkgconfig/\\.\\./\\.\\./include`));
  assert.doesNotMatch(cflags, /core\/include/);
  const so = path.join(work, 'opencalls.so');
  run('make', ['-s', '-C', 'examples/opencalls', `OUT=${so}`], { PKG_CONFIG_PATH: pcPath });
  // The plugin's data as a partner would install it, readable by the workers.
  const root = path.join(work, 'opencalls');
  for (const dir of ['views', 'messages', 'sql']) {
    await cp(path.join(ROOT, 'examples/opencalls', dir), path.join(root, dir), { recursive: true });
  }
  spawnSync('chmod', ['-R', 'u=rwX,go=rX', work]);
  stack = await startStack({
    plugins: ['hello', 'labs', 'opencalls'],
    demo: true,
    env: { INSTALLED: path.join(dest, 'usr') },
    conf: { opencalls: { library: so, root, home_limit: '2' } },
  });
  await stack.psql(`
    INSERT INTO opencalls.calls (slug, title, kind, organiser, deadline, body, url, lab) VALUES
      ('makers-residency', 'Makers in residence 2027', 'residency', 'Metropolia', current_date + 30, 'Three months in the lab.', 'https://example.org/apply', 'metropolia-innovation-lab'),
      ('circular-design', 'Circular design challenge', 'challenge', 'Istituto Europeo di Design', current_date + 10, 'Design out waste.', NULL, 'ied-milano'),
      ('seed-grant', 'Seed grants for social innovation', 'grant', 'VSL Socialinių inovacijų centras', current_date + 60, 'Up to 5000 EUR.', NULL, NULL),
      ('closed-call', 'A call that has closed', 'call', 'SDMI', current_date - 1, 'Too late.', NULL, 'metropolia-innovation-lab')`, { owner: true });
}, { timeout: 240000 });

after(async () => {
  if (stack) await stack.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

test('the installed core serves, and check lists the out-of-tree plugin', async () => {
  assert.equal(stack.env.LABNET, path.join(stack.dir, 'app/bin/labnet'));
  const staged = await readFile(stack.env.LABNET);
  const installed = await readFile(path.join(work, 'dest/usr/bin/labnet'));
  assert.ok(staged.equals(installed), 'the stack runs the installed binary');
  const r = await stack.labnet(['check']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^opencalls\s+1\.0\.0\s+\S*opencalls\.so$/m);
});

test('its migrations ran in a schema of its own name', async () => {
  assert.equal(await stack.psql("SELECT string_agg(version::text, ',' ORDER BY version) FROM core.migrations WHERE plugin = 'opencalls'", { owner: true }), '1,2');
});

test('the list: open calls only, soonest deadline first, filtered by a declared choice', async () => {
  const html = await (await stack.get('/calls')).text();
  const titles = [...html.matchAll(/<a href="[^"]*\/en\/calls\/([a-z-]+)">/g)].map((m) => m[1]);
  assert.deepEqual(titles, ['circular-design', 'makers-residency', 'seed-grant']);
  const grants = await (await stack.get('/calls?kind=grant&format=xml')).text();
  assert.match(grants, /<calls kind="grant"><call slug="seed-grant">/);
  assert.equal((grants.match(/<call /g) ?? []).length, 1);
  const bad = await stack.get('/calls?kind=lottery');
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /kind/);
});

test('a call in every language, and 404 for an unknown one', async () => {
  const fi = await (await stack.get('/fi/calls/makers-residency')).text();
  assert.match(fi, /<h1>Makers in residence 2027<\/h1>/);
  assert.match(fi, /Residenssi/);
  assert.match(fi, /Järjestäjä: Metropolia/);
  const lt = await (await stack.get('/lt/calls/seed-grant')).text();
  assert.match(lt, /Dotacija/);
  assert.match(lt, /Organizatorius: VSL Socialinių inovacijų centras/);
  const missing = await stack.get('/calls/no-such-call');
  assert.equal(missing.status, 404);
  await missing.arrayBuffer();
});

test('it fills the home page slot with its config (home_limit = 2)', async () => {
  const home = await (await stack.get('/?format=xml')).text();
  const part = home.match(/<slot name="home\.blocks">.*(<part plugin="opencalls">.*?<\/part>)/)?.[1] ?? '';
  assert.match(part, /^<part plugin="opencalls"><heading>Open calls<\/heading><list>/);
  assert.equal((part.match(/<item>/g) ?? []).length, 2);
  const it = await (await stack.get('/it/')).text();
  assert.match(it, /<section class="slot-part" data-plugin="opencalls"[^>]*><h2[^>]*>Bandi aperti<\/h2>/);
  assert.match(it, /<a href="[^"]*\/it\/calls\/circular-design">Circular design challenge<\/a>/);
});

test("it fills a lab's lab.sidebar with that lab's open calls, and nothing for another lab", async () => {
  const fi = await (await stack.get('/fi/labs/metropolia-innovation-lab')).text();
  assert.match(fi, /<section class="slot-part" data-plugin="opencalls"[^>]*><h2[^>]*>Tämän laboratorion avoimet haut<\/h2><ul><li><a href="[^"]*\/fi\/calls\/makers-residency">Makers in residence 2027<\/a><\/li><\/ul><\/section>/);
  assert.doesNotMatch(fi, /closed-call/);
  const xml = await (await stack.get('/labs/ied-milano.xml')).text();
  assert.match(xml, /<part plugin="opencalls"><heading>Open calls from this lab<\/heading><list><item><link href="\/calls\/circular-design">/);
  const other = await (await stack.get('/labs/sdmi')).text();
  assert.doesNotMatch(other, /data-plugin="opencalls"/);
});
