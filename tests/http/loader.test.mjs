// The plugin loader and the configuration: every refusal named in the issue
// gives one clear line naming the file and the reason, through the real
// `labnet check` against the staged test plugins; `labnet routes` lists the
// routes; a config typo is named with file:line.

import assert from 'node:assert/strict';
import { chmod, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { useStack } from './lib/stack.mjs';

const stack = useStack({ plugins: ['hello'] });

// Each case: the plugins to load, extra config text, and what stderr must say.
const REFUSALS = [
  { name: 'ABI mismatch', plugins: 'hello badabi', expect: /badabi\.so: plugin ABI 99, this host speaks ABI 1/ },
  { name: 'host API range', plugins: 'hello badapi', expect: /badapi\.so: plugin needs host API 99\.\.0, this host provides API 4/ },
  { name: 'missing descriptor', plugins: 'hello nodesc', expect: /nodesc\.so: plugin nodesc has no descriptor/ },
  { name: 'missing dependency', plugins: 'hello needsdep', expect: /needsdep\.so: plugin needsdep depends on plugin nosuch, which is not loaded/ },
  { name: 'route claimed twice', plugins: 'hello clash', expect: /route GET \/hello\/\{who\} is claimed by both plugin hello \(\/hello\/\{name\}\) and plugin clash/ },
  { name: 'duplicate name', plugins: 'hello hello', expect: /plugin name "hello" is also used by/ },
  { name: 'name differs from descriptor', plugins: 'hello other', sections: '[other]\nlibrary = @HELLO@\n', expect: /configured as plugin "other" but its descriptor says "hello"/ },
  { name: 'relative path', plugins: 'hello probe', sections: '[probe]\nlibrary = probe.so\n', expect: /probe\.so: plugin probe must be given as an absolute path/ },
  { name: 'missing file', plugins: 'hello ghost', expect: /ghost\.so: plugin ghost: No such file or directory/ },
  { name: 'unknown key in a plugin section', plugins: 'hello probe', sections: '[probe]\nlibrary = @TEST@/probe.so\nmotto = ok\nmottto = typo\n', expect: /:\d+: unknown key "mottto" in \[probe\]/ },
  { name: 'section of no loaded plugin', plugins: 'hello', sections: '[labs]\nx = 1\n', expect: /:\d+: section \[labs\] names no loaded plugin/ },
  { name: 'unknown core key', plugins: 'hello', core: 'wokers = 4', expect: /labnet\.conf:\d+: unknown key "wokers" in \[core\]/ },
  { name: 'bad core value', plugins: 'hello', core: 'threads = many', expect: /:\d+: threads: expected a whole number/ },
];

/** A copy of the stack's config with another plugin list and extra text. */
async function configWith(dir, { plugins, sections = '', core = '' }) {
  const base = await readFile(stack.env.CONF, 'utf8');
  const hello = path.join(stack.env.PLUGIN_DIR, 'hello.so');
  let text = base.replace(/^plugins = .*$/m, `plugins = ${plugins}`);
  // Keep only [core]: each case brings its own plugin sections.
  text = text.slice(0, text.search(/^\[(?!core\])/m) === -1 ? text.length : text.search(/^\[(?!core\])/m));
  if (core) text = text.replace(/^\[core\]\n/m, `[core]\n${core}\n`);
  text += '\n' + sections.replaceAll('@HELLO@', hello).replaceAll('@TEST@', stack.env.TEST_PLUGIN_DIR);
  for (const name of plugins.split(' ')) {
    if (!sections.includes(`[${name}]`) && name !== 'hello' && name !== 'ghost' && name !== 'other') {
      text += `\n[${name}]\nlibrary = ${stack.env.TEST_PLUGIN_DIR}/${name}.so\n`;
    }
  }
  const file = path.join(dir, 'labnet.conf');
  await writeFile(file, text);
  await chmod(file, 0o644);
  return file;
}

async function tmpdir() {
  const dir = await mkdtemp('/tmp/lnconf.');
  await chmod(dir, 0o755);
  return dir;
}

for (const c of REFUSALS) {
  test(`labnet check refuses: ${c.name}`, async () => {
    const dir = await tmpdir();
    try {
      const conf = await configWith(dir, c);
      const r = await stack.labnet(['-c', conf, 'check']);
      assert.notEqual(r.code, 0, `check should fail:\n${r.stdout}${r.stderr}`);
      assert.match(r.stderr, c.expect);
      // One line naming the problem, not a cascade.
      const lines = r.stderr.split('\n').filter((l) => l.trim() && !/^\s*$/.test(l));
      assert.ok(lines.length <= 3, `too much output:\n${r.stderr}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test('a group- or world-writable plugin file is refused', async () => {
  const dir = await tmpdir();
  try {
    const so = path.join(dir, 'hello.so');
    await copyFile(path.join(stack.env.PLUGIN_DIR, 'hello.so'), so);
    await chmod(so, 0o666);
    const conf = await configWith(dir, { plugins: 'hello', sections: `[hello]\nlibrary = ${so}\n` });
    const r = await stack.labnet(['-c', conf, 'check']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /hello\.so: plugin hello is group- or world-writable \(mode 0666\); refusing to load it/);
    await chmod(so, 0o644);
    const ok = await stack.labnet(['-c', conf, 'check']);
    assert.equal(ok.code, 0, ok.stderr);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('labnet check passes the stack config and lists the plugins', async () => {
  const r = await stack.labnet(['check']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^core\s+\S+\s+\(built in\)$/m);
  assert.match(r.stdout, /^hello\s+1\.0\.0\s+\/\S+hello\.so$/m);
  assert.match(r.stdout, /OK \(2 plugins, \d+ routes, \d+ messages\)/);
});

test('labnet routes lists every route with plugin, access and parameters', async () => {
  const r = await stack.labnet(['routes']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^GET\s+\/hello\/\{name\}\s+hello\s+public\s+yes/m);
  assert.match(r.stdout, /^GET\s+\/-\/lang\/\{lang\}\s+core\s+public\s+yes\s+next:text<=2048$/m);
  const json = await stack.labnet(['routes', '--json']);
  assert.equal(json.code, 0, json.stderr);
  const routes = JSON.parse(json.stdout);
  const hello = routes.find((x) => x.pattern === '/hello/{name}');
  assert.deepEqual(
    { plugin: hello.plugin, methods: hello.methods, access: hello.access, safe: hello.side_effect_free, view: hello.view },
    { plugin: 'hello', methods: 'GET', access: 'public', safe: true, view: 'hello.xsl' },
  );
  const lang = routes.find((x) => x.pattern === '/-/lang/{lang}');
  assert.deepEqual(lang.params, [{ name: 'next', type: 'text', required: false, repeated: false, max_len: 2048 }]);
});

test('labnet with an unknown command says so and exits 2', async () => {
  const r = await stack.labnet(['frobnicate']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command "frobnicate"/);
});
