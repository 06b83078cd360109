// tests/http/crawler.test.mjs — a crawler over the site as a visitor and as
// an admin (issue 8): from the home page, /labs, /labs/map and /sign-in
// (and /account, /admin/users for the admin), in two languages, following
// same-site links up to a bounded number of pages. Every response, errors
// included, carries the security headers and a Content-Type with a charset
// when it is text; every POST form carries the session's CSRF token in a
// hidden `csrf` field, and no GET form, no URL and no other place in a page
// carries the token.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deadline, useStack } from './lib/stack.mjs';
import { FAST_HASH, addUser, browser, signIn } from './lib/accounts.mjs';

const stack = useStack({
  plugins: ['hello', 'labs'],
  testPlugins: ['probe'],
  demo: true,
  core: { ...FAST_HASH },
});

const MAX_PAGES = 150;
const LANGUAGES = ['en', 'fi'];
const ADMIN = 'crawler-admin@example.org';

// Pages that answer errors on purpose, so that the error paths are crawled
// too: 404, 400 (a bad parameter), 401 (an admin page), 500 (the probe).
const ERROR_PAGES = ['/no-such-page', '/en/labs?limit=x', '/probe/private', '/probe/fail', '/labs/no-such-lab'];

const decode = (text) => text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
  .replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** The attributes of a start tag's text, lower-case names, values decoded. */
function attributes(tag) {
  const out = {};
  for (const m of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    out[m[1].toLowerCase()] = decode(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

/** The forms of a page: [{ method, action, inputs: [{ name, type, value }] }]. */
function formsOf(html) {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map((m) => {
    const form = attributes(m[1]);
    return {
      method: (form.method || 'get').toLowerCase(),
      action: form.action ?? '',
      inputs: [...m[2].matchAll(/<(?:input|button|textarea|select)\b([^>]*)>/gi)].map((i) => attributes(i[1])),
    };
  });
}

/** Every URL a page names (href, src, action), decoded. */
function urlsOf(html) {
  return [...html.matchAll(/\s(?:href|src|action)\s*=\s*"([^"]*)"/gi)].map((m) => decode(m[1]));
}

/** Problems with a response's headers, as strings. */
function headerProblems(res) {
  const problems = [];
  const csp = res.headers.get('content-security-policy') ?? '';
  if (!/frame-ancestors 'none'/.test(csp)) problems.push(`CSP without frame-ancestors: ${JSON.stringify(csp)}`);
  if (res.headers.get('x-content-type-options') !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff');
  if (!res.headers.get('referrer-policy')) problems.push('no Referrer-Policy');
  const type = res.headers.get('content-type') ?? '';
  const hasBody = !(res.status === 204 || res.status === 304 || (res.status >= 300 && res.status < 400));
  // JSON (application/json, application/geo+json) is UTF-8 by definition
  // and its registration has no charset parameter (RFC 8259, RFC 7946).
  const text = /^text\/|xml|javascript/.test(type);
  if (hasBody && !type) problems.push('no Content-Type');
  if (text && !/;\s*charset=utf-8/i.test(type)) problems.push(`Content-Type without charset: ${type}`);
  return problems;
}

/**
 * Crawl from `seeds` through `client`, at most MAX_PAGES responses. Returns
 * { failures, pages, forms } where forms counts the POST forms checked.
 */
async function crawl(client, seeds) {
  const base = stack.url;
  const seen = new Set();
  const queue = [...seeds];
  const failures = [];
  let pages = 0;
  let postForms = 0;
  const tokens = new Map(); // session -> its CSRF token, from the probe

  const tokenOf = async () => {
    if (!tokens.has(client.session)) tokens.set(client.session, await client.csrf());
    return tokens.get(client.session);
  };
  const local = (url) => {
    if (url.startsWith('#') || url.startsWith('mailto:') || url.startsWith('data:')) return null;
    const absolute = new URL(url, base + '/');
    if (absolute.origin !== new URL(base).origin) return null;
    return absolute.pathname + absolute.search;
  };

  while (queue.length && pages < MAX_PAGES) {
    const path = queue.shift();
    if (seen.has(path)) continue;
    seen.add(path);
    const res = await client.get(path);
    pages++;
    const where = `${res.status} ${path}`;
    for (const problem of headerProblems(res)) failures.push(`${where}: ${problem}`);
    const body = await res.text();
    const location = res.headers.get('location');
    if (location) {
      if (/csrf/i.test(location)) failures.push(`${where}: Location carries a csrf token: ${location}`);
      const next = local(location);
      if (next) queue.push(next);
    }
    if (!/text\/html/.test(res.headers.get('content-type') ?? '')) continue;

    const forms = formsOf(body);
    const token = forms.some((f) => f.method === 'post') || client.session ? await tokenOf() : undefined;
    for (const form of forms) {
      const csrf = form.inputs.filter((i) => i.name === 'csrf');
      if (form.method === 'post') {
        postForms++;
        if (csrf.length !== 1 || csrf[0].type !== 'hidden' || csrf[0].value !== token) {
          failures.push(`${where}: POST form ${form.action} has csrf ${JSON.stringify(csrf)}, session token ${token}`);
        }
      } else if (csrf.length) {
        failures.push(`${where}: GET form ${form.action} carries a csrf field`);
      }
    }
    for (const url of urlsOf(body)) {
      if (/csrf/i.test(url) || (token && url.includes(token))) failures.push(`${where}: URL carries a csrf token: ${url}`);
      const next = local(url);
      if (next && !seen.has(next)) queue.push(next);
    }
    // The token appears in the page only as the value of POST forms' fields.
    if (token) {
      const uses = body.split(token).length - 1;
      const fields = forms.filter((f) => f.method === 'post').length;
      if (uses !== fields) failures.push(`${where}: the token appears ${uses} times for ${fields} POST forms`);
    }
  }
  return { failures, pages, postForms };
}

const seedsFor = (paths) => [
  ...LANGUAGES.flatMap((lang) => paths.map((p) => `/${lang}${p}`)),
  ...ERROR_PAGES,
];

test('a visitor: security headers everywhere, CSRF tokens only in POST forms', { timeout: deadline(120000) }, async (t) => {
  const visitor = browser(stack);
  const { failures, pages, postForms } = await crawl(visitor, seedsFor(['/', '/labs', '/labs/map', '/sign-in']));
  t.diagnostic(`${pages} pages, ${postForms} POST forms`);
  assert.deepEqual(failures, []);
  assert.ok(pages >= 40, `only ${pages} pages crawled`);
  assert.ok(postForms >= 2, `only ${postForms} POST forms seen (the sign-in forms)`);
});

test('an admin: the same over the account and admin pages', { timeout: deadline(120000) }, async (t) => {
  await addUser(stack, ADMIN, 'admin');
  await addUser(stack, 'crawler-editor@example.org', 'editor');
  const admin = browser(stack);
  assert.equal((await signIn(admin, ADMIN)).status, 303);
  const { failures, pages, postForms } = await crawl(admin,
    seedsFor(['/account', '/admin/users', '/', '/labs', '/labs/map', '/sign-in']));
  t.diagnostic(`${pages} pages, ${postForms} POST forms`);
  assert.deepEqual(failures, []);
  assert.ok(pages >= 40, `only ${pages} pages crawled`);
  // The account page and the user list have POST forms (password, roles).
  assert.ok(postForms >= 6, `only ${postForms} POST forms seen`);
  // Still signed in: the crawl followed no link that signs out.
  assert.match(await (await admin.get('/probe/csrf.xml')).text(), /crawler-admin@example.org/);
});
