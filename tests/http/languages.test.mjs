// Languages through real nginx: /{lang}/... serves that language; an
// unprefixed URL serves the stored choice (cookie), else Accept-Language,
// else English, and says so in Vary; /-/lang/{lang} stores the choice and
// goes back, without leaving the site; hreflang and canonical links point at
// the prefixed URLs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useStack } from './lib/stack.mjs';
import { htmlTags, htmlText, utf8, xpath } from './lib/xml.mjs';

// ------------------------------------------------------------ scenario

// The hello page for the name "x" in each language the site speaks, from
// plugins/hello/messages/<lang>.po, and the 404 title from
// core/messages/<lang>.po.
const GREETINGS = {
  en: 'Hello, x!',
  it: 'Ciao, x!',
  lt: 'Labas, x!',
  pl: 'Cześć, x!',
  fr: 'Bonjour, x\u00a0!',
  nl: 'Hallo, x!',
  fi: 'Hei, x!',
};
const LANGS = Object.keys(GREETINGS);

// [Accept-Language, the language an unprefixed page is served in].
const ACCEPT_LANGUAGE = [
  ['fr-CH, fr;q=0.9', 'fr'],
  ['fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5', 'fr'],
  ['de-DE, nl;q=0.5', 'nl'],           // the first the site speaks
  ['en;q=0.3, lt;q=0.7', 'lt'],        // by weight, not by order
  ['PL', 'pl'],                        // case does not matter
  ['fil, fi-FI;q=0.2', 'fi'],          // "fil" is Filipino, not Finnish
  ['de, es', 'en'],                    // none it speaks: English
  ['fi;q=0, *', 'en'],                 // Finnish refused, anything else
  ['it;q=nonsense, pl;q=0.1', 'pl'],   // a malformed element counts for nothing
];

// next= values and where the language choice must send the visitor (after
// base_url). None of them may leave the site.
const NEXT = [
  ['/hello/x', '/lt/hello/x'],
  ['/hello/x?format=xml', '/lt/hello/x?format=xml'],
  ['/fi/hello/x', '/lt/hello/x'],      // a prefix in next is replaced
  ['/hello/žmogus', '/lt/hello/%C5%BEmogus'],
  ['/hello/a b', '/lt/hello/a%20b'],
  ['/hello/"<x>"', '/lt/hello/%22%3Cx%3E%22'],
  ['//evil.example/x', '/lt/'],
  ['/\\evil.example/x', '/lt/'],
  ['https://evil.example/', '/lt/'],
  ['javascript:alert(1)', '/lt/'],
  ['', '/lt/'],
];

// ------------------------------------------------------------ tests

const stack = useStack({ plugins: ['hello'], testPlugins: ['probe'] });

function vary(res) {
  return (res.headers.get('vary') ?? '').split(/\s*,\s*/).map((v) => v.toLowerCase());
}

/** GET an HTML page and what tells its language. */
async function page(path, headers = {}) {
  const res = await stack.get(path, { Accept: 'text/html', ...headers });
  const html = await utf8(res);
  assert.equal(res.status, 200, `${path}: ${html}`);
  const root = htmlTags(html, 'html')[0];
  return {
    res,
    html,
    contentLanguage: res.headers.get('content-language'),
    htmlLang: root?.lang,
    h1: htmlText(html, 'h1'),
    links: htmlTags(html, 'link'),
  };
}

for (const lang of LANGS) {
  test(`/${lang}/hello/x is in ${lang}`, async () => {
    // Neither a cookie nor Accept-Language overrides the prefix.
    const got = await page(`/${lang}/hello/x`, {
      'Accept-Language': lang === 'fr' ? 'it' : 'fr',
      Cookie: `lang=${lang === 'lt' ? 'pl' : 'lt'}`,
    });
    assert.equal(got.contentLanguage, lang);
    assert.equal(got.htmlLang, lang);
    assert.equal(got.h1, GREETINGS[lang]);
    assert.match(htmlText(got.html, 'title'), new RegExp(`^${GREETINGS[lang]}`));
    // The prefix fixes the language: the page varies on the format only.
    assert.ok(vary(got.res).includes('accept'));
    assert.ok(!vary(got.res).includes('accept-language'));
    assert.ok(!vary(got.res).includes('cookie'));
  });
}

test('the handler sees the language and the path without its prefix', async () => {
  const res = await stack.get('/pl/probe/echo');
  const body = await utf8(res);
  assert.equal(res.status, 200);
  assert.equal(xpath(body, 'string(/echo/lang)'), 'pl');
  assert.equal(xpath(body, 'string(/echo/path)'), '/probe/echo');
});

test('/fi is the home page in Finnish', async () => {
  for (const path of ['/fi', '/fi/']) {
    const got = await page(path);
    assert.equal(got.contentLanguage, 'fi');
    assert.equal(got.htmlLang, 'fi');
  }
});

test('an error page speaks the language of its URL', async () => {
  const res = await stack.get('/fi/no-such-page', { Accept: 'text/html' });
  const html = await utf8(res);
  assert.equal(res.status, 404);
  assert.equal(res.headers.get('content-language'), 'fi');
  assert.equal(htmlTags(html, 'html')[0].lang, 'fi');
  assert.equal(htmlText(html, 'h1'), 'Sivua ei löytynyt');
});

test('an unprefixed page without Accept-Language is English', async () => {
  const got = await page('/hello/x');
  assert.equal(got.contentLanguage, 'en');
  assert.equal(got.htmlLang, 'en');
  assert.equal(got.h1, GREETINGS.en);
});

for (const [header, lang] of ACCEPT_LANGUAGE) {
  test(`Accept-Language: ${header} gets ${lang}`, async () => {
    const got = await page('/hello/x', { 'Accept-Language': header });
    assert.equal(got.contentLanguage, lang);
    assert.equal(got.htmlLang, lang);
    assert.equal(got.h1, GREETINGS[lang]);
  });
}

test('an unprefixed page varies on Accept, Accept-Language and Cookie', async () => {
  for (const headers of [{}, { 'Accept-Language': 'fr' }, { Cookie: 'lang=fi' }]) {
    const got = await page('/hello/x', headers);
    for (const name of ['accept', 'accept-language', 'cookie']) {
      assert.ok(vary(got.res).includes(name), `Vary: ${got.res.headers.get('vary')}`);
    }
  }
});

test('/-/lang/lt stores the choice and goes back to the page in Lithuanian', async () => {
  const res = await stack.get('/-/lang/lt?next=/hello/x');
  await res.arrayBuffer();
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `${stack.url}/lt/hello/x`);
  const cookie = res.headers.get('set-cookie');
  assert.match(cookie, /^lang=lt;/);
  assert.match(cookie, /; Path=\/(;|$)/);
  assert.match(cookie, /; SameSite=Lax(;|$)/);
  assert.match(cookie, /; Max-Age=\d{6,}(;|$)/, 'the choice outlives the session');
  assert.doesNotMatch(cookie, /Secure/, 'a plain-http base_url sets no Secure cookie');
  assert.match(res.headers.get('cache-control'), /no-store/);

  // The prefixed page it points at.
  const target = await page(new URL(res.headers.get('location')).pathname);
  assert.equal(target.h1, GREETINGS.lt);

  // Later, unprefixed pages come in Lithuanian, whatever Accept-Language says.
  const later = await page('/hello/x', {
    Cookie: cookie.split(';')[0],
    'Accept-Language': 'en',
  });
  assert.equal(later.contentLanguage, 'lt');
  assert.equal(later.htmlLang, 'lt');
  assert.equal(later.h1, GREETINGS.lt);
});

test('a stored choice the site does not speak is ignored', async () => {
  const got = await page('/hello/x', { Cookie: 'lang=xx', 'Accept-Language': 'nl' });
  assert.equal(got.contentLanguage, 'nl');
});

test('the language switcher on a page leads to the page in that language', async () => {
  const english = await page('/hello/x');
  const finnish = english.html.match(/<a href="([^"]*\/-\/lang\/fi\?[^"]*)"/);
  assert.ok(finnish, 'the page links to its Finnish version');
  const href = finnish[1].replace(/&amp;/g, '&');
  const res = await stack.get(new URL(href).pathname + new URL(href).search);
  await res.arrayBuffer();
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `${stack.url}/fi/hello/x`);
});

test('/-/lang/xx (a language the site does not speak) answers 404', async () => {
  for (const path of ['/-/lang/xx?next=/hello/x', '/-/lang/de', '/-/lang/EN']) {
    const res = await stack.get(path);
    await res.arrayBuffer();
    assert.equal(res.status, 404, path);
    assert.equal(res.headers.get('set-cookie'), null);
  }
});

for (const [next, location] of NEXT) {
  test(`/-/lang/lt?next=${next} goes to ${location}`, async () => {
    const res = await stack.get(`/-/lang/lt?next=${encodeURIComponent(next)}`);
    await res.arrayBuffer();
    assert.equal(res.status, 303);
    const target = res.headers.get('location');
    assert.equal(target, `${stack.url}${location}`);
    assert.equal(new URL(target).host, new URL(stack.url).host);
    assert.match(target, /^[\x21-\x7e]+$/, 'a Location is printable ASCII');
  });
}

test('a non-ASCII next comes back as the page it names', async () => {
  const res = await stack.get(`/-/lang/lt?next=${encodeURIComponent('/hello/žmogus')}`);
  await res.arrayBuffer();
  const got = await page(new URL(res.headers.get('location')).pathname);
  assert.equal(got.h1, 'Labas, žmogus!');
});

for (const [path, headers, lang] of [
  ['/fi/hello/x', {}, 'fi'],
  ['/hello/x', { 'Accept-Language': 'nl' }, 'nl'],
  ['/hello/x', { Cookie: 'lang=it' }, 'it'],
]) {
  test(`${path} (${lang}) links its seven languages and x-default, canonical /${lang}/`, async () => {
    const got = await page(path, headers);
    const alternates = got.links.filter((l) => l.rel === 'alternate' && l.hreflang);
    const byLang = Object.fromEntries(alternates.map((l) => [l.hreflang, l.href]));
    assert.deepEqual(Object.keys(byLang).sort(), [...LANGS, 'x-default'].sort());
    assert.equal(alternates.length, LANGS.length + 1, 'one link per language');
    for (const code of LANGS) assert.equal(byLang[code], `${stack.url}/${code}/hello/x`);
    assert.equal(byLang['x-default'], `${stack.url}/hello/x`);
    const canonical = got.links.filter((l) => l.rel === 'canonical');
    assert.equal(canonical.length, 1);
    assert.equal(canonical[0].href, `${stack.url}/${lang}/hello/x`);
  });
}
