// Request parsing through real nginx: query, urlencoded and multipart
// parameters reach the handler decoded; declared parameters are validated
// (400 naming the parameter) and undeclared ones dropped; the input limits
// of [core] hold (413, 400, 414); bad encodings and paths that climb above
// the root are refused with 400; uploads arrive intact. After every bad
// request the site still serves. The probe's /probe/echo (GET and POST,
// declared side-effect free) reports what its handler was handed.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { rawGet, rawRequest } from './lib/raw.mjs';
import { useStack } from './lib/stack.mjs';
import { utf8, xpath } from './lib/xml.mjs';

// ------------------------------------------------------------ scenario

// Input limits of this stack's [core] (nginx's client_max_body_size is 10m,
// so every limit below is the core's to enforce).
const LIMITS = { max_body: 64 * 1024, max_params: 12, max_param_len: 300, max_parts: 10 };

// Values that must reach the handler exactly as typed.
const TYPED = {
  q: 'café au lait & more = 100% «ok»',
  n: '7',
  tag: ['a-b', 'c-d'],
  colour: 'green',
  day: '2024-02-29',
  flag: 'on',
};

// [query, the parameter the 400 must name]: the declared parameters of
// /probe/echo are q (text, 100 bytes), n (int 1..50), tag (slug, repeated),
// colour (red, green, blue), day (date) and flag (bool).
const INVALID = [
  ['n=abc', 'n'],
  ['n=99', 'n'],
  ['n=0', 'n'],
  ['n=%2B5', 'n'],          // "+5": digits only
  ['n=%205', 'n'],          // " 5"
  ['n=1e3', 'n'],
  ['colour=pink', 'colour'],
  ['colour=RED', 'colour'],
  ['day=2026-02-30', 'day'],
  ['day=2025-02-29', 'day'], // not a leap year
  ['day=2026-13-01', 'day'],
  ['day=2026-1--01', 'day'], // dashes where digits go
  ['day=26-01-01', 'day'],
  ['tag=Bad_Tag', 'tag'],
  ['tag=ok&tag=x', 'tag'],   // one character is not a slug
  [`q=${'x'.repeat(101)}`, 'q'],
  [`q=${'%C3%A9'.repeat(51)}`, 'q'], // 51 characters, 102 bytes: the limit is bytes
  ['flag=maybe', 'flag'],
  ['n=1&n=2', 'n'],          // not declared repeated
  ['colour=red&colour=red', 'colour'],
];

// [query, what the handler gets]: edge values that are valid.
const VALID = [
  [`q=${'x'.repeat(100)}`, { q: 'x'.repeat(100) }],
  [`q=${'%C3%A9'.repeat(50)}`, { q: 'é'.repeat(50) }],
  ['n=1&day=2000-02-29&flag=false&colour=blue', { n: '1', day: '2000-02-29', flag: 'false', colour: 'blue' }],
  ['n=50&tag=x1&tag=y2&tag=z3', { n: '50', tag: ['x1', 'y2', 'z3'] }],
];

// Query strings whose encoding is refused before any plugin runs.
const BAD_QUERIES = [
  'q=%C3%28',          // invalid UTF-8 sequence
  'q=%C0%AF',          // overlong "/"
  'q=%E0%80%AF',       // overlong, three bytes
  'q=%ED%A0%80',       // a surrogate
  'q=%F4%90%80%80',    // above U+10FFFF
  'q=%FF',
  'q=a%00b',           // NUL
  '%C3%28=1',          // in a name too
  'undeclared=%C3%28', // undeclared parameters are still checked
  'q=%zz',             // bad percent-escapes
  'q=%4',
  'q=100%',
];

// Paths refused with 400, whether nginx or the core sees them first.
const BAD_PATHS = [
  '/../x',
  '/a/../../b',
  '/%2e%2e/x',
  '/hello/%2E%2E/%2e%2e/x',
  '/hello/%C3%28',       // invalid UTF-8 in a path segment
  '/hello/%C0%AF',
  '/hello/\xff',         // a raw byte that is not UTF-8
  '/hello/a%00b',
  '/hello/a%2Fb',        // an encoded slash inside a segment
  '/hello/%zz',
];

// ------------------------------------------------------------ helpers

const stack = useStack({
  plugins: ['hello'],
  testPlugins: ['probe'],
  core: {
    max_body: '64K',
    max_params: LIMITS.max_params,
    max_param_len: LIMITS.max_param_len,
    max_parts: LIMITS.max_parts,
  },
});

const XML = { Accept: 'application/xml' };

/** What /probe/echo reports: { method, params: { name: [values] }, upload }. */
function readEcho(body) {
  const count = Number(xpath(body, 'count(/echo/param)'));
  const params = {};
  for (let i = 1; i <= count; i++) {
    const name = xpath(body, `string(/echo/param[${i}]/@name)`);
    (params[name] ??= []).push(xpath(body, `string(/echo/param[${i}])`));
  }
  const upload = Number(xpath(body, 'count(/echo/upload)')) === 0 ? null : {
    filename: xpath(body, 'string(/echo/upload/@filename)'),
    type: xpath(body, 'string(/echo/upload/@type)'),
    size: Number(xpath(body, 'string(/echo/upload/@size)')),
    head: xpath(body, 'string(/echo/upload/@head)'),
    fnv1a: xpath(body, 'string(/echo/upload/@fnv1a)'),
  };
  return { method: xpath(body, 'string(/echo/method)'), params, upload };
}

/** Send to /probe/echo; resolve with the echo after checking 200. */
async function echo(method, query = '', body = undefined, headers = {}) {
  const res = await stack.request(method, `/probe/echo${query ? `?${query}` : ''}`, { body, headers });
  const text = await utf8(res);
  assert.equal(res.status, 200, text);
  return readEcho(text);
}

/** The same parameters as TYPED, as the handler should report them. */
function expectedTyped() {
  return Object.fromEntries(Object.entries(TYPED).map(([k, v]) => [k, [].concat(v)]));
}

function typedParams() {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(TYPED)) {
    for (const v of [].concat(value)) params.append(name, v);
  }
  params.append('undeclared', 'never-echoed');
  return params;
}

/** Fail unless the answer is a 4xx from the core, with its message. */
async function assertRefused(res, status, pattern) {
  const text = await utf8(res);
  assert.equal(res.status, status, text);
  if (pattern) {
    assert.match(xpath(text, 'string(/error/message)'), pattern);
    assert.equal(xpath(text, 'string(/error/@status)'), String(status));
  }
}

/** The site still answers: health and a page. */
async function assertStillServes() {
  const health = await stack.get('/-/health');
  assert.equal(health.status, 200);
  await health.arrayBuffer();
  const page = await stack.get('/hello/after');
  assert.equal(page.status, 200);
  await page.arrayBuffer();
}

/** FNV-1a, 32 bits, as the probe computes it. */
function fnv1a(bytes) {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

// ------------------------------------------------------------ parameters

test('query parameters reach the handler decoded', async () => {
  const got = await echo('GET', typedParams().toString());
  assert.equal(got.method, 'GET');
  assert.deepEqual(got.params, expectedTyped());
});

test('urlencoded form parameters reach the handler decoded', async () => {
  const got = await echo('POST', '', typedParams());
  assert.equal(got.method, 'POST');
  assert.deepEqual(got.params, expectedTyped());
});

test('multipart form fields reach the handler decoded', async () => {
  const form = new FormData();
  for (const [name, value] of typedParams()) form.append(name, value);
  form.append('q2', 'ignored');
  const got = await echo('POST', '', form);
  assert.deepEqual(got.params, expectedTyped());
  assert.equal(got.upload, null);
});

test('a multipart text field keeps its line breaks and characters', async () => {
  const form = new FormData();
  const text = 'line one\r\nline two\tü – 日本\r\n';
  form.append('q', text);
  const got = await echo('POST', '', form);
  assert.deepEqual(got.params.q, [text]);
});

test('query and body parameters both count, the query first', async () => {
  const got = await echo('POST', 'tag=from-query', new URLSearchParams({ tag: 'from-body' }));
  assert.deepEqual(got.params.tag, ['from-query', 'from-body']);
});

test('plus is a space in a query, %2B is a plus', async () => {
  const got = await echo('GET', 'q=a+b%2Bc');
  assert.deepEqual(got.params.q, ['a b+c']);
});

test('undeclared parameters never reach the handler', async () => {
  const res = await stack.get('/probe/echo?undeclared=secret-query&q=x&also=secret-too');
  const text = await utf8(res);
  assert.equal(res.status, 200);
  assert.doesNotMatch(text, /secret/);
  assert.deepEqual(readEcho(text).params, { q: ['x'] });
  const form = new FormData();
  form.append('undeclared', 'secret-multipart');
  const posted = await stack.request('POST', '/probe/echo', { body: form });
  assert.doesNotMatch(await utf8(posted), /secret/);
});

test('an empty value of a typed parameter is no value at all', async () => {
  // A form posts untouched number and date fields as "n=" and "day=": the
  // handler must not be handed "" where it was promised a number or a date.
  const got = await echo('GET', 'n=&day=&colour=&flag=&tag=&q=');
  assert.deepEqual(got.params, { q: [''] });
});

for (const [query, name] of INVALID) {
  test(`${query.slice(0, 40)} answers 400 naming ${name}`, async () => {
    const res = await stack.get(`/probe/echo?${query}`, XML);
    await assertRefused(res, 400, new RegExp(`^parameter ${name} `));
  });
}

for (const [query, expected] of VALID) {
  test(`${query.slice(0, 40)} is valid`, async () => {
    const got = await echo('GET', query);
    assert.deepEqual(got.params, Object.fromEntries(
      Object.entries(expected).map(([k, v]) => [k, [].concat(v)])));
  });
}

test('the 400 page names the parameter for a visitor too', async () => {
  const res = await stack.get('/probe/echo?colour=pink', { Accept: 'text/html' });
  const text = await utf8(res);
  assert.equal(res.status, 400);
  assert.match(res.headers.get('content-type'), /^text\/html; charset=utf-8$/i);
  assert.match(text, /<p class="error-message">parameter colour is not one of the allowed values<\/p>/);
});

// ------------------------------------------------------------ limits

test('a body over max_body answers 413 from the core', async () => {
  const bodies = [
    ['application/x-www-form-urlencoded', `q=${'x'.repeat(LIMITS.max_body)}`],
    ['text/plain', 'y'.repeat(LIMITS.max_body + 1)],
    ['application/octet-stream', randomBytes(2 * 1024 * 1024)],
  ];
  for (const [type, body] of bodies) {
    const res = await stack.request('POST', '/probe/echo', {
      headers: { ...XML, 'Content-Type': type },
      body,
    });
    await assertRefused(res, 413, /larger than 65536 bytes/);
  }
  const form = new FormData();
  form.append('file', new Blob([randomBytes(LIMITS.max_body)]), 'big.bin');
  const res = await stack.request('POST', '/probe/echo', { headers: XML, body: form });
  await assertRefused(res, 413, /larger than/);
  await assertStillServes();
});

test('a value of exactly max_param_len is read', async () => {
  const params = new URLSearchParams({ q: 'ok' });
  params.append('pad', 'z'.repeat(LIMITS.max_param_len)); // undeclared: read, then dropped
  const got = await echo('POST', '', params);
  assert.deepEqual(got.params, { q: ['ok'] });
});

test('a body just under max_body is read whole', async () => {
  const bytes = randomBytes(LIMITS.max_body - 1024); // the rest is multipart framing
  const form = new FormData();
  form.append('file', new Blob([bytes]), 'nearly.bin');
  const got = await echo('POST', '', form);
  assert.equal(got.upload.size, bytes.length);
  assert.equal(got.upload.fnv1a, fnv1a(bytes));
});

test('more than max_params parameters answer 400', async () => {
  const many = Array.from({ length: LIMITS.max_params + 1 }, (_, i) => `p${i}=${i}`);
  await assertRefused(await stack.get(`/probe/echo?${many.join('&')}`, XML), 400,
    /too many parameters \(at most 12\)/);
  await assertRefused(await stack.request('POST', '/probe/echo', {
    headers: { ...XML, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: many.join('&'),
  }), 400, /too many parameters/);
  // The limit spans query and body together.
  await assertRefused(await stack.request('POST', `/probe/echo?${many.slice(0, 6).join('&')}`, {
    headers: { ...XML, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: many.slice(6).join('&'),
  }), 400, /too many parameters/);
  // Exactly max_params is fine.
  await echo('GET', many.slice(0, LIMITS.max_params).join('&'));
  await assertStillServes();
});

test('a value over max_param_len answers 400', async () => {
  const long = 'v'.repeat(LIMITS.max_param_len + 1);
  await assertRefused(await stack.get(`/probe/echo?undeclared=${long}`, XML), 400,
    /parameter undeclared is too long \(at most 300 bytes\)/);
  await assertRefused(await stack.request('POST', '/probe/echo', {
    headers: XML, body: new URLSearchParams({ undeclared: long }),
  }), 400, /too long/);
  const form = new FormData();
  form.append('undeclared', long);
  await assertRefused(await stack.request('POST', '/probe/echo', { headers: XML, body: form }),
    400, /too large/);
  await assertStillServes();
});

test('a query string over four times max_param_len answers 414', async () => {
  const query = Array.from({ length: 5 }, (_, i) => `p${i}=${'w'.repeat(250)}`).join('&');
  const res = await stack.get(`/probe/echo?${query}`, XML);
  await assertRefused(res, 414, /too long/);
  await assertStillServes();
});

// ------------------------------------------------------------ encodings

for (const query of BAD_QUERIES) {
  test(`query ${query} answers 400`, async () => {
    await assertRefused(await stack.get(`/probe/echo?${query}`, XML), 400,
      /query string (is not valid UTF-8|contains a NUL|has a bad percent-escape)/);
    await assertStillServes();
  });
}

test('raw bytes that are not UTF-8 in a query answer 400', async () => {
  const res = await rawGet(stack.env.PORT, '/probe/echo?q=\xc3\x28', { headers: XML });
  assert.equal(res.status, 400);
  assert.match(xpath(res.body.toString(), 'string(/error/message)'), /not valid UTF-8/);
  await assertStillServes();
});

test('bad encodings in a urlencoded body answer 400', async () => {
  for (const body of ['q=%C3%28', 'q=%C0%AF', 'q=a%00b', 'q=%zz', '%FF=1']) {
    await assertRefused(await stack.request('POST', '/probe/echo', {
      headers: { ...XML, 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    }), 400, /the form (is not valid UTF-8|contains a NUL|has a bad percent-escape)/);
  }
  await assertStillServes();
});

test('a multipart text field that is not UTF-8 answers 400', async () => {
  const boundary = 'labnetTestBoundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="q"\r\n\r\n`),
    Buffer.from([0x61, 0xc3, 0x28]),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  await assertRefused(await stack.request('POST', '/probe/echo', {
    headers: { ...XML, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    body,
  }), 400, /field q is not valid UTF-8 text/);
  await assertStillServes();
});

for (const path of BAD_PATHS) {
  test(`path ${JSON.stringify(path)} answers 400`, async () => {
    // Raw: fetch() would resolve dot segments and encode bytes itself.
    const res = await rawGet(stack.env.PORT, path, { headers: XML });
    assert.equal(res.status, 400, res.body.toString());
    await assertStillServes();
  });
}

// ------------------------------------------------------------ multipart

test('an uploaded file arrives intact: size, name, type and bytes', async () => {
  const bytes = randomBytes(40 * 1024); // several 16 KB reads, and binary
  bytes.set(Buffer.from('\r\n--\r\n--labnet\r\n'), 1000); // delimiter look-alikes
  const form = new FormData();
  form.append('q', 'with a file');
  form.append('file', new Blob([bytes], { type: 'application/pdf' }), 'résumé 2026.pdf');
  const got = await echo('POST', '', form);
  assert.deepEqual(got.params, { q: ['with a file'] });
  assert.deepEqual(got.upload, {
    filename: 'résumé 2026.pdf',
    type: 'application/pdf',
    size: bytes.length,
    head: bytes.subarray(0, 16).toString('hex'),
    fnv1a: fnv1a(bytes),
  });
});

test('an empty file and a file without a type arrive as such', async () => {
  const form = new FormData();
  form.append('file', new Blob([]), 'empty.txt');
  let got = await echo('POST', '', form);
  assert.equal(got.upload.size, 0);
  assert.equal(got.upload.filename, 'empty.txt');
  assert.equal(got.upload.head, '');
  const boundary = 'x-no-type';
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\n` +
    `\x00\x01\x02\r\n--${boundary}--\r\n`;
  got = await echo('POST', '', Buffer.from(body, 'latin1'),
    { 'Content-Type': `multipart/form-data; boundary="${boundary}"` });
  assert.equal(got.upload.type, 'application/octet-stream');
  assert.equal(got.upload.head, '000102');
});

test('a multipart body sent in pieces, the way a browser sends it, arrives whole', async () => {
  const boundary = '----WebKitFormBoundaryT9vGZxPp4ZkCzJ1a';
  const file = randomBytes(3000);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="q"\r\n\r\n`),
    Buffer.from('grüße aus Kaunas'),
    Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="tag"\r\n\r\nkaunas-2026`),
    Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.png"\r\nContent-Type: image/png\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const head = Buffer.from([
    'POST /probe/echo HTTP/1.1',
    'Host: 127.0.0.1',
    'Connection: close',
    'Accept: application/xml',
    `Content-Type: multipart/form-data; boundary=${boundary}`,
    `Content-Length: ${body.length}`,
    '', '',
  ].join('\r\n'));
  // Cut inside the first boundary, inside a header, and inside the file.
  const cuts = [0, 7, 60, 150, 1000, body.length - 20, body.length];
  const pieces = [head];
  for (let i = 1; i < cuts.length; i++) pieces.push(body.subarray(cuts[i - 1], cuts[i]));
  const res = await rawRequest(stack.env.PORT, pieces);
  assert.equal(res.status, 200, res.body.toString());
  const got = readEcho(res.body.toString());
  assert.deepEqual(got.params, { q: ['grüße aus Kaunas'], tag: ['kaunas-2026'] });
  assert.deepEqual(got.upload, {
    filename: 'scan.png', type: 'image/png', size: file.length,
    head: file.subarray(0, 16).toString('hex'), fnv1a: fnv1a(file),
  });
});

test('more than max_parts parts answer 400', async () => {
  const form = new FormData();
  for (let i = 0; i <= LIMITS.max_parts; i++) form.append(`part${i}`, String(i));
  await assertRefused(await stack.request('POST', '/probe/echo', { headers: XML, body: form }),
    400, /too many parts \(at most 10\)/);
  const fewer = new FormData();
  for (let i = 0; i < LIMITS.max_parts; i++) fewer.append(`part${i}`, String(i));
  await echo('POST', '', fewer);
  await assertStillServes();
});

test('malformed multipart bodies answer 400', async () => {
  const part = 'Content-Disposition: form-data; name="q"\r\n\r\nvalue';
  const cases = [
    // [Content-Type, body, message]
    ['multipart/form-data', `--b\r\n${part}\r\n--b--\r\n`, /without a boundary/],
    ['multipart/form-data; boundary=', `--\r\n${part}\r\n----\r\n`, /boundary/],
    ['multipart/form-data; boundary=b', `--b\r\n${part}`, /malformed multipart body/],   // truncated
    ['multipart/form-data; boundary=b', `--b\r\n${part}\r\n--b`, /malformed multipart body/],
    ['multipart/form-data; boundary=b', `--other\r\n${part}\r\n--other--\r\n`, /malformed multipart body/],
    ['multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n', /malformed multipart body/],
    ['multipart/form-data; boundary=b', `--b\r\nno header line\r\n\r\nx\r\n--b--\r\n`, /malformed multipart body/],
  ];
  for (const [type, body, message] of cases) {
    const res = await stack.request('POST', '/probe/echo', {
      headers: { ...XML, 'Content-Type': type },
      body,
    });
    await assertRefused(res, 400, message);
  }
  await assertStillServes();
});

// ------------------------------------------------------------ afterwards

test('no worker died on any of that input', async () => {
  await assertStillServes();
  assert.doesNotMatch(await stack.log(), /died on signal|exited with status/);
});
