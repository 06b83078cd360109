// Response headers through real nginx: every answer the core gives, error
// pages included, carries a Content-Type with charset and the security
// headers; public pages are revalidated by ETag (304), error pages and
// answers to POST are never stored; a handler cannot inject or override
// headers, nor redirect off the site; a 500 leaks nothing and is logged
// with nginx's request id.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { rawGet } from './lib/raw.mjs';
import { deadline, useStack } from './lib/stack.mjs';
import { utf8, xpath } from './lib/xml.mjs';

// ------------------------------------------------------------ scenario

const MAX_BODY = 4096;

// Requests for every status the core answers with: [name, method, path,
// options, status]. 503 (the database gone) has a test of its own, last.
const RESPONSES = [
  ['a page', 'GET', '/hello/x', {}, 200],
  ['a page as XML', 'GET', '/hello/x.xml', {}, 200],
  ['the home page', 'GET', '/fi/', {}, 200],
  ['a handler without a view', 'GET', '/probe/items/7', {}, 200],
  ['an answer to POST', 'POST', '/probe/echo', { body: new URLSearchParams({ q: 'x' }) }, 200],
  ['bad input', 'GET', '/probe/echo?n=abc', {}, 400],
  ['bad input, as XML', 'GET', '/probe/echo?n=abc', { headers: { Accept: 'application/xml' } }, 400],
  ['bad encoding', 'GET', '/probe/echo?q=%C3%28', {}, 400],
  // A browser is sent to /sign-in instead (accounts.test.mjs).
  ['a page for admins', 'GET', '/probe/private', { headers: { Accept: 'application/xml' } }, 401],
  ['no such page', 'GET', '/no-such-page', {}, 404],
  ['a wrong method', 'POST', '/hello/x', {}, 405],
  ['a body too large', 'POST', '/probe/echo', {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `q=${'x'.repeat(MAX_BODY)}`,
  }, 413],
  ['a query too long', 'GET', `/probe/echo?q=${'x'.repeat(5000)}`, {}, 414], // nginx takes 8K
  ['a failing handler', 'GET', '/probe/fail', {}, 500],
  ['a failing handler, as XML', 'GET', '/probe/fail.xml', {}, 500],
];

// Public pages and their ETag behaviour.
const PUBLIC_PAGES = ['/hello/x', '/hello/x.xml', '/', '/fi/hello/x', '/probe/items/new'];

// Headers a handler asks for that must not be sent (see probe.c's
// teapot_header): name -> a value that must not appear.
const REFUSED_HEADERS = ['X-Probe', 'X-Probe-Ctl', 'X-Accel-Redirect'];

// ln_redirect() targets: [to, Location after base_url, or null: refused].
const REDIRECTS = [
  ['/probe/items/new', '/probe/items/new'],
  ['/hello/a b/é', '/hello/a%20b/%C3%A9'],
  ['@BASE@/hello/x?y=1', '/hello/x?y=1'],
  ['@BASE@', ''],
  ['@BASE@.evil.example/', null],      // base_url as a prefix of another host
  ['@BASE@@evil.example/', null],
  ['//evil.example/', null],
  ['/\\evil.example/', null],
  ['https://evil.example/', null],
];

// ------------------------------------------------------------ helpers

const stack = useStack({
  plugins: ['hello'],
  testPlugins: ['probe'],
  core: { max_body: '4K', max_param_len: '1K' },
});

/** Fail unless res has the headers every response must carry. */
function assertSecurityHeaders(res, what) {
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what);
  assert.match(res.headers.get('referrer-policy') ?? '',
    /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/, what);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /(^|;)\s*default-src [^;]+/, `${what}: CSP ${csp}`);
  assert.match(csp, /(^|;)\s*frame-ancestors ('none'|'self')(;|$)/, `${what}: CSP ${csp}`);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*/, `${what}: CSP ${csp}`);
}

function assertContentType(res, what) {
  assert.match(res.headers.get('content-type') ?? '',
    /^(text\/html|application\/xml); charset=utf-8$/i, what);
}

/** Wait until GET path answers `status` (the database coming back). */
async function waitFor(path, status, ms) {
  const until = Date.now() + ms;
  for (;;) {
    const res = await stack.get(path);
    await res.arrayBuffer();
    if (res.status === status) return;
    if (Date.now() > until) assert.fail(`${path} still answers ${res.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// ------------------------------------------------------------ tests

for (const [name, method, target, options, status] of RESPONSES) {
  test(`${name} (${status}) has a typed body and the security headers`, async () => {
    const res = await stack.request(method, target, options);
    const body = await utf8(res);
    assert.equal(res.status, status, body.slice(0, 500));
    assertContentType(res, name);
    assertSecurityHeaders(res, name);
    assert.equal(res.headers.get('content-length'), String(Buffer.byteLength(body)));
    if (status >= 400) {
      assert.equal(res.headers.get('cache-control'), 'no-store', 'an error is never stored');
      assert.equal(res.headers.get('etag'), null);
    }
    if (method === 'POST' && status === 200) {
      assert.match(res.headers.get('cache-control'), /no-store/);
      assert.equal(res.headers.get('etag'), null);
    }
  });
}

test('HTML pages hold no inline script or style, which the CSP would block', async () => {
  for (const target of ['/hello/x', '/', '/no-such-page', '/probe/fail']) {
    const res = await stack.get(target);
    const html = await utf8(res);
    assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/i, target);
    assert.doesNotMatch(html, /<style[\s>]/i, target);
    assert.doesNotMatch(html, /\sstyle="/i, target);
    assert.doesNotMatch(html, /\son[a-z]+="/i, target);
    assert.doesNotMatch(html, /href="javascript:/i, target);
  }
});

test('a redirect carries the security headers and is not stored', async () => {
  const res = await stack.get('/-/lang/fi?next=/hello/x');
  await res.arrayBuffer();
  assert.equal(res.status, 303);
  assertSecurityHeaders(res, 'redirect');
  assert.match(res.headers.get('cache-control'), /no-store/);
});

for (const target of PUBLIC_PAGES) {
  test(`${target} has an ETag, no-cache, and answers 304 to If-None-Match`, async () => {
    const res = await stack.get(target);
    const body = await utf8(res);
    assert.equal(res.status, 200);
    const etag = res.headers.get('etag');
    assert.match(etag ?? '', /^"[^"]+"$/, 'a strong ETag');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    // The same page gives the same ETag.
    const again = await stack.get(target);
    assert.equal(await utf8(again), body);
    assert.equal(again.headers.get('etag'), etag);

    for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
      const cached = await rawGet(stack.env.PORT, target, { headers: { 'If-None-Match': inm } });
      assert.equal(cached.status, 304, `If-None-Match: ${inm}`);
      assert.equal(cached.body.length, 0, '304 has no body');
      assert.equal(cached.headers.etag, etag);
      assert.equal(cached.headers['cache-control'], 'no-cache');
      assert.equal(cached.headers['x-content-type-options'], 'nosniff');
    }
    const stale = await stack.get(target, { 'If-None-Match': '"something-else"' });
    assert.equal(stale.status, 200);
    assert.equal(await utf8(stale), body);
  });
}

test('a changed page gets a new ETag', async () => {
  const first = await stack.get('/hello/etag-one');
  const second = await stack.get('/hello/etag-two');
  await first.arrayBuffer();
  await second.arrayBuffer();
  assert.notEqual(first.headers.get('etag'), second.headers.get('etag'));
  const res = await stack.get('/hello/etag-two', { 'If-None-Match': first.headers.get('etag') });
  assert.equal(res.status, 200);
  await res.arrayBuffer();
});

test('error pages never answer 304, whatever If-None-Match says', async () => {
  const res = await stack.get('/no-such-page', { 'If-None-Match': '*' });
  assert.equal(res.status, 404);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  await res.arrayBuffer();
});

test('a handler cannot send a header with CR LF, controls, or one the core owns', async () => {
  const res = await rawGet(stack.env.PORT, '/probe/header');
  const body = res.body.toString();
  assert.equal(res.status, 200, body);
  assert.equal(xpath(body, 'string(/header/refused)'), 'true');
  for (const name of ['X-Probe-Ctl', 'Status', 'Content-Length', 'X-Accel-Redirect', 'Location']) {
    assert.equal(xpath(body, `string(/header/try[@name="${name}"])`), 'refused', name);
  }
  for (const name of REFUSED_HEADERS) assert.equal(res.headers[name.toLowerCase()], undefined, name);
  assert.equal(res.headers['set-cookie'], undefined, 'no injected cookie');
  assert.equal(res.headers.location, undefined);
  assert.equal(res.raw.filter(([name]) => name === 'content-length').length, 1);
  assert.equal(res.headers['content-length'], String(res.body.length));
  // What a handler may set arrives as set, tab included.
  assert.equal(xpath(body, 'string(/header/try[@name="X-Probe-Ok"])'), 'set');
  assert.equal(res.headers['x-probe-ok'], 'yes\tit is');
});

for (const [to, location] of REDIRECTS) {
  test(`ln_redirect to ${to} ${location === null ? 'is refused' : 'stays on the site'}`, async () => {
    const target = to.replace('@BASE@', stack.url);
    const res = await stack.get(`/probe/redirect?to=${encodeURIComponent(target)}`);
    await res.arrayBuffer();
    if (location === null) {
      assert.equal(res.status, 500);
      assert.equal(res.headers.get('location'), null);
    } else {
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), `${stack.url}${location}`);
      assertSecurityHeaders(res, 'redirect');
    }
  });
}

test('/probe/private answers 401 before the handler runs', async () => {
  const res = await stack.get('/probe/private', { Accept: 'application/xml' });
  const body = await utf8(res);
  assert.equal(res.status, 401);
  assert.equal(xpath(body, 'string(/error/@status)'), '401');
  assert.equal(xpath(body, 'count(/item)'), '0', 'the handler did not run');
  assert.equal(res.headers.get('cache-control'), 'no-store');
});

test('a 500 says what happened, not why', async () => {
  const html = await stack.get('/probe/fail');
  const page = await utf8(html);
  assert.equal(html.status, 500);
  assert.match(page, /<title>Something went wrong/);
  assert.doesNotMatch(page, /handler|\(-7\)|failed \(|EINTERNAL|probe\.c|\.so\b/);
  const xml = await stack.get('/probe/fail', { Accept: 'application/xml' });
  const doc = await utf8(xml);
  assert.equal(xml.status, 500);
  assert.equal(xpath(doc, 'string(/error/@status)'), '500');
  assert.equal(xpath(doc, 'count(/error/*)'), '0', 'no message on a 500');
});

test("the core logs a 500 with nginx's request id and the plugin", async () => {
  const trace = randomUUID();
  const res = await stack.get(`/probe/fail?trace=${trace}`);
  await res.arrayBuffer();
  assert.equal(res.status, 500);
  // nginx writes $request_id into its access log (rid=...).
  const accessLog = path.join(stack.dir, 'nginx', 'access.log');
  let line;
  const until = Date.now() + deadline(5000);
  while (!(line = (await readFile(accessLog, 'utf8')).split('\n').find((l) => l.includes(trace)))) {
    if (Date.now() > until) assert.fail(`no access log line for ${trace}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const rid = /rid=([0-9a-f]{32})/.exec(line)?.[1];
  assert.ok(rid, line);
  const logged = (await stack.log()).split('\n').filter((l) => l.includes(`req=${rid}`));
  assert.equal(logged.length, 1, `one log line for request ${rid}`);
  assert.match(logged[0], /\berror\b/);
  assert.match(logged[0], /plugin=probe/);
  assert.match(logged[0], /GET \/probe\/fail: 500/);
});

test("a handler sees nginx's request id", async () => {
  const trace = randomUUID();
  const res = await stack.get(`/probe/echo?trace=${trace}`);
  const body = await utf8(res);
  const accessLog = path.join(stack.dir, 'nginx', 'access.log');
  let line;
  const until = Date.now() + deadline(5000);
  while (!(line = (await readFile(accessLog, 'utf8')).split('\n').find((l) => l.includes(trace)))) {
    if (Date.now() > until) assert.fail(`no access log line for ${trace}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(xpath(body, 'string(/echo/request-id)'), /rid=([0-9a-f]{32})/.exec(line)[1]);
});

// What nginx answers by itself, before the core sees the request, carries
// the security headers too (tools/stack and nginx.conf.example add them
// only where the core has not).
const NGINX_ERRORS = [
  ['a path above the root', '/../etc/passwd', 400],
  ['a NUL in the path', '/hello/%00', 400],
  ['a request line over 8K', `/probe/echo?q=${'x'.repeat(9000)}`, 414],
];

for (const [name, target, status] of NGINX_ERRORS) {
  test(`nginx's own ${status} (${name}) has the security headers and a charset`, async () => {
    const res = await rawGet(stack.env.PORT, target);
    assert.equal(res.status, status);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(res.headers['content-security-policy'] ?? '', /frame-ancestors 'none'/);
    assert.ok(res.headers['referrer-policy']);
    assert.match(res.headers['content-type'] ?? '', /charset=utf-8/i);
  });
}

test('a core response gets each security header once, not doubled by nginx', async () => {
  const res = await rawGet(stack.env.PORT, '/hello/x');
  assert.equal(res.status, 200);
  for (const name of ['x-content-type-options', 'content-security-policy', 'referrer-policy']) {
    assert.doesNotMatch(res.headers[name], /,/, `${name}: ${res.headers[name]}`);
  }
  assert.equal(res.raw.filter(([n]) => n === 'content-security-policy').length, 1);
});

// Last: this one stops the database.
test('503 while the database is down carries the headers and Retry-After', async () => {
  await stack.pgStop();
  try {
    // A page no one has asked for: nothing the render cache could answer.
    const res = await stack.get('/hello/database-down');
    const body = await utf8(res);
    assert.equal(res.status, 503, body.slice(0, 300));
    assertContentType(res, '503');
    assertSecurityHeaders(res, '503');
    assert.match(res.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.doesNotMatch(body, /could not connect|PostgreSQL|libpq|socket/i);
  } finally {
    await stack.pgStart();
  }
  await waitFor('/hello/x', 200, deadline(20000));
});
