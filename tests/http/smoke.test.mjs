// The smallest end-to-end check: a real stack (PostgreSQL + core + nginx)
// comes up, answers its health check through nginx, serves static files from
// nginx and answers 404 for what no route matches.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { useStack } from './lib/stack.mjs';

const stack = useStack({ plugins: ['hello'] });

test('/-/health answers 200 through nginx', async () => {
  const res = await stack.get('/-/health');
  assert.equal(res.status, 200);
  await res.arrayBuffer();
});

test('/static/labnet.css is served by nginx', async () => {
  const css = path.join(stack.env.SHARE, 'core', 'views', 'static', 'labnet.css');
  assert.ok(existsSync(css), 'the site stylesheet is staged');
  const res = await stack.get('/static/labnet.css');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/css/);
  assert.equal(await res.text(), await readFile(css, 'utf8'));
});

test('an unknown path answers 404', async () => {
  const res = await stack.get('/no-such-page-anywhere');
  assert.equal(res.status, 404);
  await res.arrayBuffer();
});

test('the navigation shows only the sections whose plugin is loaded', async () => {
  const html = await (await stack.get('/hello/x')).text();
  const nav = html.match(/<nav class="site-nav"[^>]*>.*?<\/nav>/s)?.[0] ?? '';
  assert.ok(nav.length > 0, 'the main navigation is there');
  // Only hello is loaded here: no link to a labs, resources or events page
  // that would answer 404.
  assert.doesNotMatch(nav, /\/labs"|\/resources"|\/events"/);
});
