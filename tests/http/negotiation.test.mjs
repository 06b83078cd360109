// Format negotiation through real nginx: browsers get HTML, a client that
// ranks XML above HTML (Accept, ?format=xml or a .xml suffix) gets the
// handler's document as XML, error pages included; responses say they vary
// on Accept; and every XML answer is well-formed, whatever the input.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useStack } from './lib/stack.mjs';
import { assertWellFormed, utf8, xpath } from './lib/xml.mjs';

// ------------------------------------------------------------ scenario

// What browsers send for a page they navigate to.
const BROWSERS = {
  chrome: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
  firefox: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
  safari: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'old firefox': 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'no header': null,
  curl: '*/*',
};

// Accept headers and the type they get.
const ACCEPTS = [
  ['application/xml', 'application/xml'],
  ['text/xml', 'application/xml'],
  ['application/xml;q=0.9, text/html;q=0.8', 'application/xml'],
  ['text/html;q=0.5, application/xml', 'application/xml'],
  ['application/*', 'application/xml'],
  ['text/html;q=0.9, application/xml;q=0.9', 'text/html'],  // ties go to HTML
  ['text/*', 'text/html'],
  ['application/json', 'text/html'],                         // neither: HTML
  ['application/xml;q=0, */*', 'text/html'],                 // XML refused
  ['garbage;;;', 'text/html'],
];

// Pages with a view, each asked for in both formats.
const PAGES = ['/hello/x', '/', '/fi/hello/x'];

// Requests whose error page must come as XML when XML is asked for:
// [method, path, status].
const ERRORS = [
  ['GET', '/no-such-page', 404],
  ['GET', '/probe/items/A_B', 404],
  ['POST', '/hello/x', 405],
  ['GET', '/probe/echo?n=abc', 400],
  ['GET', '/probe/echo?q=%C3%28', 400],
  ['GET', '/probe/private', 401],
  ['GET', '/probe/fail', 500],
];

// Values that must still give well-formed XML: [path, the text expected].
const AWKWARD = [
  ['/hello/%3Cb%3E%26%22%27%5D%5D%3E.xml', '<b>&"\']]>'],   // markup characters
  ['/hello/caf%C3%A9%20%F0%9F%A7%AA.xml', 'café 🧪'],       // beyond the BMP
  ['/hello/a%01b%1Fc%7Fd.xml', 'a\ufffdb\ufffdc\u007fd'],   // C0 controls cannot stand in XML
  ['/hello/%EF%BF%BEx.xml', '\ufffdx'],                      // U+FFFE neither
];

// ------------------------------------------------------------ tests

const stack = useStack({ plugins: ['hello'], testPlugins: ['probe'] });

function varies(res, header) {
  const vary = (res.headers.get('vary') ?? '').split(/\s*,\s*/).map((v) => v.toLowerCase());
  return vary.includes(header.toLowerCase());
}

for (const [browser, accept] of Object.entries(BROWSERS)) {
  test(`${browser} gets HTML`, async () => {
    for (const path of PAGES) {
      const res = await stack.get(path, accept ? { Accept: accept } : {});
      const body = await utf8(res);
      assert.equal(res.status, 200, `${path}: ${body}`);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.match(body, /^<!DOCTYPE html>\n<html lang="[a-z]{2}">/);
      assert.ok(varies(res, 'Accept'), `${path}: Vary: ${res.headers.get('vary')}`);
    }
  });
}

for (const [accept, type] of ACCEPTS) {
  test(`Accept: ${accept} gets ${type}`, async () => {
    const res = await stack.get('/hello/x', { Accept: accept });
    const body = await utf8(res);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), `${type}; charset=utf-8`);
    if (type === 'application/xml') {
      assertWellFormed(body);
      assert.equal(xpath(body, 'string(/hello/name)'), 'x');
    }
    assert.ok(varies(res, 'Accept'));
  });
}

test('?format=xml gets XML, even from a browser', async () => {
  for (const path of PAGES) {
    const res = await stack.get(`${path}?format=xml`, { Accept: BROWSERS.chrome });
    const body = await utf8(res);
    assert.equal(res.status, 200, body);
    assert.equal(res.headers.get('content-type'), 'application/xml; charset=utf-8');
    assertWellFormed(body);
    assert.ok(varies(res, 'Accept'));
  }
});

test('?format=html gets HTML, even when Accept asks for XML', async () => {
  const res = await stack.get('/hello/x?format=html', { Accept: 'application/xml' });
  assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(await utf8(res), /^<!DOCTYPE html>/);
});

test('an empty ?format= is no format at all', async () => {
  const res = await stack.get('/hello/x?format=', { Accept: BROWSERS.firefox });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
  await res.arrayBuffer();
});

test('?format=bogus answers 400, as HTML or as XML', async () => {
  const html = await stack.get('/hello/x?format=bogus', { Accept: BROWSERS.safari });
  const page = await utf8(html);
  assert.equal(html.status, 400);
  assert.equal(html.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(page, /unknown format &quot;bogus&quot;|unknown format "bogus"/);
  const xml = await stack.get('/hello/x?format=bogus', { Accept: 'application/xml' });
  const doc = await utf8(xml);
  assert.equal(xml.status, 400);
  assert.equal(xml.headers.get('content-type'), 'application/xml; charset=utf-8');
  assert.equal(xpath(doc, 'string(/error/@status)'), '400');
  assert.equal(xpath(doc, 'string(/error/message)'), 'unknown format "bogus"');
});

test('the HTML and XML forms of a page have different ETags', async () => {
  // One URL, two representations (Vary: Accept): a cache must not answer a
  // conditional request for one with the other.
  const html = await stack.get('/hello/x', { Accept: 'text/html' });
  const xml = await stack.get('/hello/x', { Accept: 'application/xml' });
  await html.arrayBuffer();
  await xml.arrayBuffer();
  assert.ok(html.headers.get('etag') && xml.headers.get('etag'));
  assert.notEqual(html.headers.get('etag'), xml.headers.get('etag'));
  const cross = await stack.get('/hello/x', {
    Accept: 'application/xml', 'If-None-Match': html.headers.get('etag'),
  });
  assert.equal(cross.status, 200);
  await cross.arrayBuffer();
});

for (const [method, path, status] of ERRORS) {
  test(`${method} ${path}: a ${status} comes as <error status="${status}"> when XML is asked`, async () => {
    const asks = [
      [{ Accept: 'application/xml' }, path],
      [{ Accept: BROWSERS.chrome }, `${path}${path.includes('?') ? '&' : '?'}format=xml`],
    ];
    // A .xml suffix asks too, where the path can carry one.
    if (!path.includes('?')) asks.push([{ Accept: BROWSERS.chrome }, `${path}.xml`]);
    for (const [headers, target] of asks) {
      const res = await stack.request(method, target, { headers });
      const body = await utf8(res);
      assert.equal(res.status, status, `${target}: ${body}`);
      assert.equal(res.headers.get('content-type'), 'application/xml; charset=utf-8', target);
      assertWellFormed(body, target);
      assert.equal(xpath(body, 'name(/*)'), 'error');
      assert.equal(xpath(body, 'string(/error/@status)'), String(status));
      assert.ok(varies(res, 'Accept'), target);
    }
    // And a browser gets the HTML error page, or for a page that needs a
    // session, a redirect to the sign-in form.
    const res = await stack.request(method, path, { headers: { Accept: BROWSERS.chrome } });
    if (status === 401) {
      assert.equal(res.status, 303);
      assert.equal(new URL(res.headers.get('location')).pathname, '/sign-in');
      return;
    }
    assert.equal(res.status, status);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(await utf8(res), /^<!DOCTYPE html>/);
  });
}

for (const [path, expected] of AWKWARD) {
  test(`${path} is well-formed XML holding ${JSON.stringify(expected)}`, async () => {
    const res = await stack.get(path);
    const body = await utf8(res);
    assert.equal(res.status, 200, body);
    assertWellFormed(body);
    assert.equal(xpath(body, 'string(/hello/name)'), expected);
  });
}

test('an error message cut inside a character is still well-formed XML', async () => {
  // A parameter name of 301 bytes is too long; the message quotes 64 bytes
  // of it, which ends in the middle of "é".
  const name = `a${'é'.repeat(150)}`;
  const res = await stack.get(`/probe/echo?${encodeURIComponent(name)}=1`, { Accept: 'application/xml' });
  const body = await utf8(res);
  assert.equal(res.status, 400);
  assertWellFormed(body);
  assert.match(xpath(body, 'string(/error/message)'), /^parameter aé+\ufffd? is too long/);
});

test('text a handler echoes with control characters is well-formed XML', async () => {
  const res = await stack.get('/probe/echo?q=bell%07tab%09cr%0Dlf%0Aesc%1B');
  const body = await utf8(res);
  assert.equal(res.status, 200);
  assertWellFormed(body);
  assert.equal(xpath(body, 'string(/echo/param[@name="q"])'), 'bell\ufffdtab\tcr\rlf\nesc\ufffd');
});
