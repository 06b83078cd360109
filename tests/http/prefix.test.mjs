// A site served under a path prefix (base_url http://host/labnet): pages,
// links, redirects and static files all carry the prefix; paths outside it
// are not the site's.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useStack } from './lib/stack.mjs';

const PREFIX = '/labnet';
const stack = useStack({ plugins: ['hello'], env: { BASE_PATH: PREFIX } });

test('the stack URL carries the prefix, and pages answer under it', async () => {
  assert.ok(stack.url.endsWith(PREFIX), stack.url);
  const res = await stack.get('/fi/hello/ada');
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<h1>Hei, ada!<\/h1>/);
  // Every absolute link is under the prefix.
  const origin = new URL(stack.url).origin;
  const links = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(links.length > 10);
  for (const link of links) {
    if (link.startsWith('#')) continue;
    assert.ok(link.startsWith(`${origin}${PREFIX}/`), link);
  }
  assert.match(html, new RegExp(`<link rel="canonical" href="${origin}${PREFIX}/fi/hello/ada">`));
});

test('static files and redirects carry the prefix', async () => {
  const css = await stack.get('/static/labnet.css');
  assert.equal(css.status, 200);
  await css.arrayBuffer();
  const res = await stack.get('/-/lang/nl?next=/hello/ada');
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `${stack.url}/nl/hello/ada`);
});

test('the home page under the prefix', async () => {
  for (const path of ['/', '/fi', '/fi/']) {
    const res = await stack.get(path);
    assert.equal(res.status, 200, path);
    await res.arrayBuffer();
  }
});
