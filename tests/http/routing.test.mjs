// Routing through real nginx: which route serves a path (literal segments
// beat typed parameters, an int beats a slug), typed parameters that refuse
// a value (404), 405 with an Allow header naming the path's methods, HEAD
// served as GET without a body, and format suffixes (.xml gives XML, an
// unknown one 404). The probe plugin (tests/plugins/probe.c) reports the
// route that served it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rawGet } from './lib/raw.mjs';
import { useStack } from './lib/stack.mjs';
import { assertWellFormed, utf8, xpath } from './lib/xml.mjs';

// ------------------------------------------------------------ scenario

// [path, route the probe reports, path parameters it was handed]. The
// probe declares /probe/items/new, /probe/items/export.csv,
// /probe/items/{id:int} and /probe/items/{slug:slug}.
const ROUTED = [
  ['/probe/items/new', 'new', {}],                  // literal beats int and slug
  ['/probe/items/42', 'item', { id: '42' }],        // "42" is a slug too: int wins
  ['/probe/items/7', 'item', { id: '7' }],          // one digit: no slug
  ['/probe/items/lab-7', 'slug', { slug: 'lab-7' }],
  ['/probe/items/abc', 'slug', { slug: 'abc' }],    // {id:int} refuses "abc"
  ['/probe/items/newer', 'slug', { slug: 'newer' }], // a literal matches whole
  ['/probe/items/export.csv', 'export', {}],        // literal with a dot beats slug + .csv
  ['/probe/items/export.xml', 'slug', { slug: 'export' }], // .xml: the slug, as XML
  ['/probe/items/new/', 'new', {}],                 // a trailing slash is the same page
  ['/probe/items/%6Eew', 'new', {}],                // segments are matched decoded
];

// Paths no route takes: 404.
const NOT_FOUND = [
  '/probe/items/A_B',                  // neither an int nor a slug
  '/probe/items/x',                    // a slug has 2 characters at least ...
  `/probe/items/${'a'.repeat(81)}`,    // ... and 80 at most
  '/probe/items/Lab-7',                // slugs are lower case
  '/probe/items/42/more',              // more segments than any pattern
  '/probe',
  '/hello',
  '/no-such-page-anywhere',
];

// A format suffix the matched route does not serve, where the whole name
// cannot match either (ints and slugs hold no dot): 404.
const UNKNOWN_SUFFIX = ['/probe/items/42.csv', '/probe/items/new.ics', '/probe/items/abc.json'];

// [method, path, the methods Allow must list].
const NOT_ALLOWED = [
  ['POST', '/hello/x', ['GET', 'HEAD']],
  ['DELETE', '/hello/x', ['GET', 'HEAD']],
  ['OPTIONS', '/hello/x', ['GET', 'HEAD']],
  ['POST', '/hello/x.xml', ['GET', 'HEAD']],
  ['GET', '/probe/submit', ['POST']],                // a POST-only route
  ['HEAD', '/probe/submit', ['POST']],
  ['DELETE', '/probe/items', ['GET', 'HEAD', 'POST']], // two routes, one path
  ['PUT', '/probe/echo', ['GET', 'HEAD', 'POST']],
];

// Pages HEAD must mirror.
const HEAD_PAGES = ['/hello/x', '/hello/x.xml', '/probe/items/42', '/'];

// ------------------------------------------------------------ tests

const stack = useStack({ plugins: ['hello'], testPlugins: ['probe'] });

/** Route and parameters the probe reports for `path`, after checking 200. */
async function probeRoute(path) {
  const res = await stack.get(path);
  const body = await utf8(res);
  assert.equal(res.status, 200, `${path}: ${body}`);
  assert.match(res.headers.get('content-type'), /^application\/xml; charset=utf-8$/i);
  return {
    route: xpath(body, 'string(/item/route)'),
    id: xpath(body, 'string(/item/id)'),
    slug: xpath(body, 'string(/item/slug)'),
  };
}

for (const [path, route, params] of ROUTED) {
  test(`${path} is served by the ${route} route`, async () => {
    const got = await probeRoute(path);
    assert.equal(got.route, route);
    assert.equal(got.id, params.id ?? '');
    assert.equal(got.slug, params.slug ?? '');
  });
}

test('dot segments inside the site are resolved before routing', async () => {
  // fetch() would resolve them itself: send the path as written.
  const res = await rawGet(stack.env.PORT, '/probe/./items/../items/new');
  assert.equal(res.status, 200, res.body.toString());
  assert.equal(xpath(res.body.toString(), 'string(/item/route)'), 'new');
});

for (const path of NOT_FOUND) {
  test(`${path.slice(0, 60)} answers 404`, async () => {
    const res = await stack.get(path);
    const body = await utf8(res);
    assert.equal(res.status, 404, body);
    assert.match(res.headers.get('content-type'), /^text\/html; charset=utf-8$/i);
    assert.match(body, /<title>[^<]*Page not found/);
  });
}

for (const path of UNKNOWN_SUFFIX) {
  test(`unknown format suffix ${path} answers 404`, async () => {
    const res = await stack.get(path);
    await res.arrayBuffer();
    assert.equal(res.status, 404);
  });
}

test('a dot in a name is part of the name unless the route serves that format', async () => {
  const page = await stack.get('/hello/j.doe');
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<h1>Hello, j\.doe!<\/h1>/);
  const xml = await stack.get('/hello/j.doe.xml');
  assert.equal(xml.status, 200);
  assert.match(xml.headers.get('content-type'), /^application\/xml/);
  assert.match(await xml.text(), /<name>j\.doe<\/name>/);
});

for (const [method, path, allowed] of NOT_ALLOWED) {
  test(`${method} ${path} answers 405 with Allow: ${allowed.join(', ')}`, async () => {
    const res = await stack.request(method, path);
    const body = await utf8(res);
    assert.equal(res.status, 405, body);
    const allow = (res.headers.get('allow') ?? '').split(/\s*,\s*/).filter(Boolean);
    assert.deepEqual(allow.sort(), [...allowed].sort());
    if (method === 'HEAD') assert.equal(body, '');
  });
}

test('a method that a route takes is served, not 405', async () => {
  const get = await stack.request('GET', '/probe/items');
  assert.equal(get.status, 200);
  assert.match(xpath(await utf8(get), 'string(/count/items)'), /^\d+$/);
  const post = await stack.request('POST', '/probe/submit', {
    body: new URLSearchParams({ q: 'posted' }),
  });
  const body = await utf8(post);
  assert.equal(post.status, 200, body);
  assert.equal(xpath(body, 'string(/echo/param[@name="q"])'), 'posted');
});

for (const path of HEAD_PAGES) {
  test(`HEAD ${path} is GET without a body`, async () => {
    const get = await rawGet(stack.env.PORT, path);
    const head = await rawGet(stack.env.PORT, path, { method: 'HEAD' });
    assert.equal(get.status, 200, get.body.toString());
    assert.equal(head.status, 200);
    assert.ok(get.body.length > 0);
    assert.equal(head.body.length, 0, 'HEAD carries no body');
    assert.equal(head.headers['content-length'], String(get.body.length));
    assert.equal(head.headers['content-type'], get.headers['content-type']);
    assert.ok(get.headers.etag, 'a public page has an ETag');
    assert.equal(head.headers.etag, get.headers.etag);
  });
}

test('HEAD of a missing page answers 404 without a body', async () => {
  const head = await rawGet(stack.env.PORT, '/no-such-page-anywhere', { method: 'HEAD' });
  assert.equal(head.status, 404);
  assert.equal(head.body.length, 0);
});

test('/hello/world.xml is the hello page as XML', async () => {
  const res = await stack.get('/hello/world.xml');
  const body = await utf8(res);
  assert.equal(res.status, 200, body);
  assert.match(res.headers.get('content-type'), /^application\/xml; charset=utf-8$/i);
  assertWellFormed(body);
  assert.equal(xpath(body, 'name(/*)'), 'hello');
  assert.equal(xpath(body, 'string(/hello/name)'), 'world');
  // The same document as ?format=xml asks for.
  const asked = await stack.get('/hello/world?format=xml');
  assert.equal(await utf8(asked), body);
  // Without the suffix, a browser gets HTML.
  const html = await stack.get('/hello/world', { Accept: 'text/html' });
  assert.match(html.headers.get('content-type'), /^text\/html; charset=utf-8$/i);
  assert.match(await utf8(html), /^<!DOCTYPE html>/);
});
