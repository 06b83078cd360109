// The labs directory (issue 5), public side: search with accents, facets
// with counts (OR within a facet, AND across), keyset pages, a lab's
// profile with the lab.sidebar slot, 301 from an old slug, 404, HEAD and
// ETag, and what the database refuses. Demo data: the seven partners
// (conf/demo/020_labs.sql); more rows are added here through psql.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from './lib/procs.mjs';
import { deadline, useStack } from './lib/stack.mjs';

const stack = useStack({ plugins: ['hello', 'labs'], testPlugins: ['labaside'], demo: true });

const PARTNERS = ['edln', 'hva-makerslab', 'ied-milano', 'media-dizajn',
  'metropolia-innovation-lab', 'sdmi', 'socialiniu-inovaciju-centras'];

/** The list as XML: slugs in order, total, facets, next link. */
async function list(query = '') {
  const res = await stack.get(`/labs.xml${query ? `?${query}` : ''}`);
  assert.equal(res.status, 200, `GET /labs.xml?${query}`);
  const xml = await res.text();
  const slugs = [...xml.matchAll(/<lab id="\d+" slug="([^"]+)"/g)].map((m) => m[1]);
  const total = Number(/<labs[^>]* total="(\d+)"/.exec(xml)?.[1]);
  const facets = {};
  for (const [, name, body] of xml.matchAll(/<facet name="([a-z]+)">(.*?)<\/facet>/gs)) {
    facets[name] = {};
    for (const [, key, count] of body.matchAll(/<value key="([^"]+)" count="(\d+)"/g)) {
      facets[name][key] = Number(count);
    }
  }
  const next = /<next after="(\d+)"/.exec(xml)?.[1];
  return { xml, slugs, total, facets, next };
}

test('the directory lists the published partners, by name', async () => {
  const { slugs, total } = await list();
  assert.equal(total, 7);
  assert.deepEqual([...slugs].sort(), PARTNERS);
  const res = await stack.get('/labs');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  const html = await res.text();
  assert.match(html, /<h1>Find a lab<\/h1>/);
  assert.match(html, /href="[^"]*\/en\/labs\/hva-makerslab">HvA Makerslab<\/a>/);
});

test('search ignores accents and case, and matches word prefixes', async () => {
  for (const q of ['Socialiniu', 'socialinių', 'SOCIALINIŲ inovacijų', 'inovaciju']) {
    const { slugs } = await list(`q=${encodeURIComponent(q)}`);
    assert.deepEqual(slugs, ['socialiniu-inovaciju-centras'], q);
  }
  assert.deepEqual((await list('q=metro+hels')).slugs, ['metropolia-innovation-lab']);
  assert.deepEqual((await list('q=amsterdam')).slugs, ['hva-makerslab']);
  assert.deepEqual((await list('q=nothing-like-this')).slugs, []);
  // Vocabulary terms are found by their labels in every language.
  const printing = ['hva-makerslab', 'ied-milano', 'metropolia-innovation-lab'];
  for (const q of ['stampa 3d', '3D-tulostus', '3d printing', 'druk 3d']) {
    assert.deepEqual([...(await list(`q=${encodeURIComponent(q)}`)).slugs].sort(), printing, q);
  }
  assert.deepEqual((await list('q=Suomi')).slugs, ['metropolia-innovation-lab']);
  assert.deepEqual((await list('q=lietuva')).slugs, ['socialiniu-inovaciju-centras']);
  // Punctuation alone is no query: everything.
  assert.equal((await list('q=%22%27%26%7C')).total, 7);
});

test('facets count each value with the other facets applied', async () => {
  const all = await list();
  assert.deepEqual(all.facets.country, { FI: 1, FR: 1, IT: 2, LT: 1, NL: 1, PL: 1 });
  assert.equal(all.facets.kind['design-studio'], 2);
  assert.equal(all.facets.facility['3d-printing'], 3);
  assert.equal(all.facets.discipline['digital-education'], 3);

  const italy = await list('country=IT');
  assert.deepEqual([...italy.slugs].sort(), ['edln', 'ied-milano']);
  // Its own facet keeps the other countries' counts (ticking one adds them).
  assert.deepEqual(italy.facets.country, all.facets.country);
  // The other facets count only Italian labs.
  assert.deepEqual(italy.facets.kind, { 'design-studio': 1, other: 1 });
});

test('values of one facet are ORed, facets are ANDed', async () => {
  const or = await list('country=IT&country=NL');
  assert.deepEqual([...or.slugs].sort(), ['edln', 'hva-makerslab', 'ied-milano']);
  const and = await list('country=IT&country=NL&kind=fab-lab');
  assert.deepEqual(and.slugs, ['hva-makerslab']);
  const disciplines = await list('discipline=health-care&discipline=fashion-design');
  assert.deepEqual([...disciplines.slugs].sort(), ['hva-makerslab', 'ied-milano', 'metropolia-innovation-lab']);
  const both = await list('discipline=health-care&facility=usability-lab');
  assert.deepEqual(both.slugs, ['metropolia-innovation-lab']);
  assert.equal(both.total, 1);
  // With text search too.
  assert.deepEqual((await list('q=design&country=PL')).slugs, ['media-dizajn']);
  // A selected value with no lab stays in its facet, counted 0.
  const empty = await list('country=SE');
  assert.equal(empty.total, 0);
  assert.equal(empty.facets.country.SE, 0);
});

test('filters are checked: a bad value is a 400 naming the parameter', async () => {
  for (const query of ['country=xx', 'country=ZZ', 'kind=castle', 'sort=random',
    'after=0', 'limit=1000', 'discipline=%3Cscript%3E']) {
    const res = await stack.get(`/labs?${query}`);
    assert.equal(res.status, 400, query);
  }
});

test('the filters form shows counts and keeps what is ticked', async () => {
  const html = await (await stack.get('/labs?country=IT&q=design')).text();
  assert.match(html, /<input type="checkbox" name="country" value="IT" id="facet-country-IT" checked>/);
  assert.match(html, /<label for="facet-country-IT">Italy <span class="labs-count">\(1\)<\/span><\/label>/);
  assert.match(html, /<input type="search" id="labs-q" name="q" value="design"/);
  // Labels in the page's language, from the shared vocabulary.
  const fi = await (await stack.get('/fi/labs')).text();
  assert.match(fi, />Italia <span class="labs-count">\(2\)/);
  assert.match(fi, />Teollinen muotoilu <span/);
  assert.match(fi, /<h1>Löydä laboratorio<\/h1>/);
});

test('keyset pages: no lab twice, none left out, in both orders', async () => {
  const added = await stack.psql('SELECT labs.seed_synthetic(53)', { owner: true });
  assert.equal(added, '53');
  for (const sort of ['name', 'newest']) {
    const seen = [];
    let after;
    let pages = 0;
    do {
      const page = await list(`sort=${sort}&limit=7${after ? `&after=${after}` : ''}`);
      assert.ok(page.slugs.length <= 7);
      seen.push(...page.slugs);
      assert.equal(page.total, 60);
      after = page.next;
      pages++;
    } while (after && pages < 20);
    assert.equal(pages, 9, sort);
    assert.equal(seen.length, 60, sort);
    assert.equal(new Set(seen).size, 60, sort);
  }
  // The next link keeps the filters.
  const html = await (await stack.get('/labs?kind=fab-lab&limit=2')).text();
  assert.match(html, /rel="next" href="[^"]*\/en\/labs\?kind=fab-lab&amp;limit=2&amp;after=\d+"/);
  await stack.psql("DELETE FROM labs.labs WHERE slug LIKE 'synthetic-lab-%'", { owner: true });
});

test('a profile shows the lab, its position and contacts', async () => {
  const res = await stack.get('/labs/metropolia-innovation-lab');
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<h1>Metropolia Innovation Lab<\/h1>/);
  assert.match(html, /Latitude 60.2236, longitude 25.0781/);
  assert.match(html, /<a href="https:\/\/www.metropolia.fi" rel="external">/);
  assert.match(html, />Health and care<\/a>/);
  assert.match(html, />Usability lab<\/a>/);
  assert.match(html, /<li lang="fi">Suomi<\/li>/);
  const lt = await (await stack.get('/lt/labs/socialiniu-inovaciju-centras')).text();
  assert.match(lt, /<h2>Disciplinos<\/h2>/);
  assert.match(lt, />Socialinės inovacijos</);
});

test('other plugins fill the lab.sidebar slot', async () => {
  const html = await (await stack.get('/labs/sdmi')).text();
  assert.match(html, /<div class="slot" data-slot="lab.sidebar"><section class="slot-part" data-plugin="labaside"[^>]*><h2[^>]*>Coming up at this lab<\/h2><ul><li><a href="[^"]*\/en\/events\/open-day">Open day of sdmi<\/a><\/li><\/ul><\/section><\/div>/);
});

test('an unknown or unpublished lab is 404; a bad slug too', async () => {
  assert.equal((await stack.get('/labs/no-such-lab')).status, 404);
  assert.equal((await stack.get('/labs/Not_A_Slug')).status, 404);
  await stack.psql(`INSERT INTO labs.labs (slug, name, kind, country, status)
    VALUES ('draft-lab', 'A draft', 'other', 'IT', 'draft')`, { owner: true });
  assert.equal((await stack.get('/labs/draft-lab')).status, 404);
  assert.equal((await list('q=draft')).total, 0);
});

test('a renamed lab answers 301 from its old slug, in the same format', async () => {
  await stack.psql(`INSERT INTO labs.labs (slug, name, kind, country, status)
    VALUES ('old-name-lab', 'Renamed Lab', 'fab-lab', 'FI', 'published')`, { owner: true });
  await stack.psql("UPDATE labs.labs SET slug = 'new-name-lab' WHERE slug = 'old-name-lab'", { owner: true });
  const res = await stack.get('/labs/old-name-lab');
  assert.equal(res.status, 301);
  assert.match(res.headers.get('location'), /\/labs\/new-name-lab$/);
  const xml = await stack.get('/labs/old-name-lab.xml');
  assert.equal(xml.status, 301);
  assert.match(xml.headers.get('location'), /\/labs\/new-name-lab\.xml$/);
  assert.equal((await stack.get('/labs/new-name-lab')).status, 200);
  // In the language of the page asked for.
  const fi = await stack.get('/fi/labs/old-name-lab');
  assert.equal(fi.status, 301);
  assert.match(fi.headers.get('location'), /\/fi\/labs\/new-name-lab$/);
  // Renamed twice: both old names lead to the current one.
  await stack.psql("UPDATE labs.labs SET slug = 'newest-name-lab' WHERE slug = 'new-name-lab'", { owner: true });
  assert.match((await stack.get('/labs/old-name-lab')).headers.get('location'), /\/labs\/newest-name-lab$/);
  assert.match((await stack.get('/labs/new-name-lab')).headers.get('location'), /\/labs\/newest-name-lab$/);
  await stack.psql("DELETE FROM labs.labs WHERE slug = 'newest-name-lab'", { owner: true });
});

test('HEAD and ETag on the list', async () => {
  const get = await stack.get('/labs?country=FI');
  const etag = get.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  assert.equal(get.headers.get('cache-control'), 'no-cache');
  const head = await stack.request('HEAD', '/labs?country=FI');
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('etag'), etag);
  assert.equal((await head.text()), '');
  const again = await stack.get('/labs?country=FI', { 'If-None-Match': etag });
  assert.equal(again.status, 304);
  // A change to the data changes the tag (a write from psql reaches the
  // render caches by the trigger's NOTIFY: a moment later, not at once).
  await stack.psql("UPDATE labs.labs SET city = 'Helsinki (Myllypuro)' WHERE slug = 'metropolia-innovation-lab'", { owner: true });
  const changed = await waitFor(async () => {
    const res = await stack.get('/labs?country=FI', { 'If-None-Match': etag });
    await res.arrayBuffer();
    return res.status === 200 ? res : null;
  }, deadline(5000), 20);
  assert.ok(changed, 'a new ETag after the change');
  await stack.psql("UPDATE labs.labs SET city = 'Helsinki' WHERE slug = 'metropolia-innovation-lab'", { owner: true });
});

test('script and SQL payloads are stored as typed and shown escaped', async () => {
  const name = '<script>alert("x")</script> & Co';
  const description = "'; DROP TABLE labs.labs; -- <img src=x onerror=alert(1)>";
  await stack.psql(`INSERT INTO labs.labs (slug, name, description, kind, country, status)
    VALUES ('payload-lab', $n$${name}$n$, $d$${description}$d$, 'other', 'FR', 'published')`);
  assert.equal(await stack.psql("SELECT name FROM labs.labs WHERE slug = 'payload-lab'"), name);
  const html = await (await stack.get('/labs/payload-lab')).text();
  assert.ok(html.includes('&lt;script&gt;alert("x")&lt;/script&gt; &amp; Co'));
  assert.ok(html.includes("'; DROP TABLE labs.labs; -- &lt;img src=x onerror=alert(1)&gt;"));
  assert.doesNotMatch(html, /<script>|<img src=x/);
  const listed = await (await stack.get('/labs?q=drop+table')).text();
  assert.ok(listed.includes('&lt;script&gt;alert'));
  assert.equal(await stack.psql('SELECT count(*) > 0 FROM labs.labs'), 't');
  await stack.psql("DELETE FROM labs.labs WHERE slug = 'payload-lab'");
});

test('the database refuses what the edit forms will refuse', async () => {
  const insert = (columns, values) => stack.psql(
    `INSERT INTO labs.labs (slug, name, kind, country${columns}) VALUES ('bad-lab', 'Bad', 'other', ${values})`);
  const refused = [
    ["", "'XX'"], // unknown country
    ["", "'it'"],
    [', latitude, longitude', "'IT', 91, 9"],
    [', latitude, longitude', "'IT', 45, -181"],
    [', latitude', "'IT', 45"], // latitude without longitude
    [', website', "'IT', 'javascript:alert(1)'"],
    [', website', "'IT', 'ftp://example.org/'"],
    [', website', "'IT', 'https://exa mple.org/'"],
    [', email', "'IT', 'not-an-address'"],
    [', description', `'IT', repeat('x', 10001)`],
    [', disciplines', "'IT', ARRAY['alchemy']"],
    [', facilities', "'IT', ARRAY['teleporter']"],
    [', languages', "'IT', ARRAY['english']"],
    [', status', "'IT', 'deleted'"],
  ];
  for (const [columns, values] of refused) {
    await assert.rejects(insert(columns, values), /violates|unknown/, `${columns} ${values}`);
  }
  await assert.rejects(stack.psql(`INSERT INTO labs.labs (slug, name, kind, country)
    VALUES ('bad-lab', '${'n'.repeat(201)}', 'other', 'IT')`), /violates/);
  await assert.rejects(stack.psql(`INSERT INTO labs.labs (slug, name, kind, country)
    VALUES ('ied-milano', 'Duplicate', 'other', 'IT')`), /duplicate key/);
  await assert.rejects(stack.psql(`INSERT INTO labs.labs (slug, name, kind, country)
    VALUES ('map', 'Reserved', 'other', 'IT')`), /violates/);
  assert.equal(await stack.psql("SELECT count(*) FROM labs.labs WHERE slug IN ('bad-lab', 'map')"), '0');
});

test('the map: an SVG over the basemap, a named link per lab, and the list', async () => {
  await stack.psql(`INSERT INTO labs.labs (slug, name, city, kind, country, latitude, longitude, status)
    VALUES ('far-lab', 'Far Lab', 'Santiago', 'other', 'CL', -33.45, -70.66, 'published')`, { owner: true });
  const res = await stack.get('/labs/map');
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 \d+ \d+" role="group" aria-label="Map of Europe with the labs of the network">/);
  // The basemap is built from Natural Earth at build time (npm).
  assert.match(html, /<path d="M[0-9 .LMZ-]+Z" fill=/);
  assert.match(html, /<a href="[^"]*\/en\/labs\/ied-milano" id="lab-ied-milano" aria-label="IED Milano Design Lab, Milano"><title>IED Milano Design Lab, Milano<\/title><circle cx="[\d.]+" cy="[\d.]+"/);
  assert.equal((html.match(/<circle /g) ?? []).length, 7);
  // Every lab is in the list, the one outside the frame marked as such.
  assert.match(html, /Far Lab<\/a> · Santiago, Chile \(not on the map\)/);
  assert.equal((html.match(/<li><a href="[^"]*\/labs\/[a-z0-9-]+">/g) ?? []).length, 8);
  // The profile links to its marker.
  const profile = await (await stack.get('/labs/ied-milano')).text();
  assert.match(profile, /href="[^"]*\/en\/labs\/map#lab-ied-milano"/);
  await stack.psql("DELETE FROM labs.labs WHERE slug = 'far-lab'", { owner: true });
});

test('the home page shows the newest labs and the way into the directory', async () => {
  const html = await (await stack.get('/')).text();
  assert.match(html, /<section class="slot-part" data-plugin="labs"[^>]*><h2[^>]*>Labs of the network<\/h2><p>Newest in the directory:<\/p><ul><li><a href="[^"]*\/en\/labs\/metropolia-innovation-lab">Metropolia Innovation Lab<\/a><\/li>/);
  assert.match(html, /<a href="[^"]*\/en\/labs">Find a lab by country, discipline or equipment<\/a>/);
  const it = await (await stack.get('/it/')).text();
  assert.match(it, />I laboratori della rete</);
});

test('with the labs plugin loaded, every page links to the directory', async () => {
  const html = await (await stack.get('/fi/')).text();
  const nav = html.match(/<nav class="site-nav"[^>]*>.*?<\/nav>/s)?.[0] ?? '';
  assert.match(nav, /<a href="[^"]*\/fi\/labs"[^>]*>Laboratoriot<\/a>/);
  assert.doesNotMatch(nav, /\/resources"|\/events"/);
});
