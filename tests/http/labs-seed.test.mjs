// `labnet seed` (issue 7): the kinds a site offers, generated labs made by
// the plugin's labs.labnet_seed(n), and that they show in the directory
// like any other lab: only the published ones, with facet counts that
// agree with the table, searchable, and each with a working profile.
// Demo data: the seven partners (conf/demo/020_labs.sql).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useStack } from './lib/stack.mjs';

const stack = useStack({ plugins: ['hello', 'labs'], demo: true });

/** Facet counts of /labs.xml?query: { facet: { key: count } } and total. */
async function facets(query = '') {
  const res = await stack.get(`/labs.xml${query ? `?${query}` : ''}`);
  assert.equal(res.status, 200, `GET /labs.xml?${query}`);
  const xml = await res.text();
  const out = { total: Number(/<labs[^>]* total="(\d+)"/.exec(xml)?.[1]) };
  for (const [, name, body] of xml.matchAll(/<facet name="([a-z]+)">(.*?)<\/facet>/gs)) {
    out[name] = {};
    for (const [, key, count] of body.matchAll(/<value key="([^"]+)" count="(\d+)"/g)) {
      out[name][key] = Number(count);
    }
  }
  return { xml, ...out };
}

/** The same counts computed by SQL over the published labs matching where. */
async function expected(where = 'true') {
  const rows = await stack.psql(`
    WITH p AS (SELECT * FROM labs.labs WHERE status = 'published' AND ${where})
    SELECT 'country', country, count(*) FROM p GROUP BY country
    UNION ALL SELECT 'kind', kind, count(*) FROM p GROUP BY kind
    UNION ALL SELECT 'discipline', d, count(*) FROM p, unnest(disciplines) d GROUP BY d
    UNION ALL SELECT 'facility', f, count(*) FROM p, unnest(facilities) f GROUP BY f
    UNION ALL SELECT 'total', '', count(*) FROM p`, { owner: true });
  const out = { country: {}, kind: {}, discipline: {}, facility: {} };
  for (const line of rows.split('\n')) {
    const [facet, key, count] = line.split('|');
    if (facet === 'total') out.total = Number(count);
    else out[facet][key] = Number(count);
  }
  return out;
}

test('labnet seed lists the kinds and refuses what it cannot do', async () => {
  const kinds = await stack.labnet(['seed']);
  assert.equal(kinds.code, 0, kinds.stderr);
  assert.equal(kinds.stdout.trim(), 'labs');
  const unknown = await stack.labnet(['seed', 'hello', '10']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no kind "hello"/);
  for (const bad of [['seed', 'labs'], ['seed', 'labs', '0'], ['seed', 'labs', '-5'], ['seed', 'labs', '1x']]) {
    const res = await stack.labnet(bad);
    assert.equal(res.code, 2, bad.join(' '));
    assert.match(res.stderr, /usage: labnet seed/);
  }
  assert.equal(await stack.psql('SELECT count(*) FROM labs.labs', { owner: true }), '7');
});

/** Wait (bounded) until the workers have heard of a write made outside
 * them (the render caches learn it by NOTIFY, a moment after the commit). */
async function settled(before) {
  const end = Date.now() + 5000;
  while (Date.now() < end && ((await stack.dataVersion()) ?? Infinity) <= before) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('seeded labs are varied, valid, and appear in /labs with the right facet counts', async () => {
  await facets(); // a cached first page, which the seeding must replace
  const version = await stack.dataVersion();
  const res = await stack.labnet(['seed', 'labs', '400']);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /^labs: added 400 records in [\d.]+ s$/m);
  // A second call adds more rather than colliding on slugs.
  const more = await stack.labnet(['seed', 'labs', '100']);
  assert.equal(more.code, 0, more.stderr);
  assert.equal(await stack.psql('SELECT count(*) FROM labs.labs', { owner: true }), '507');
  await settled(version);

  // Varied: countries, kinds, statuses, accents; and valid by the
  // trigger's rules (known terms, sets in order), which it skipped.
  const [countries, kinds, statuses, accented, unsorted, unknown] = (await stack.psql(`
    SELECT count(DISTINCT country), count(DISTINCT kind), count(DISTINCT status),
           count(*) FILTER (WHERE core.search_fold(name) <> lower(name)),
           count(*) FILTER (WHERE disciplines <> ARRAY(SELECT DISTINCT d FROM unnest(disciplines) d ORDER BY d)
                               OR facilities <> ARRAY(SELECT DISTINCT f FROM unnest(facilities) f ORDER BY f)),
           count(*) FILTER (WHERE NOT core.vocab_has('country', country)
                               OR NOT core.vocab_has_all('discipline', disciplines)
                               OR NOT core.vocab_has_all('facility', facilities)
                               OR cardinality(disciplines) = 0 OR cardinality(facilities) = 0)
    FROM labs.labs`, { owner: true })).split('|').map(Number);
  assert.ok(countries >= 15, `${countries} countries`);
  assert.equal(kinds, 6);
  assert.equal(statuses, 4);
  assert.ok(accented > 50, `${accented} names with accents`);
  assert.equal(unsorted, 0);
  assert.equal(unknown, 0);
  // The trigger is on again: a bad row is still refused.
  await assert.rejects(stack.psql(`UPDATE labs.labs SET country = 'XX'
    WHERE id = (SELECT max(id) FROM labs.labs)`, { owner: true }), /unknown country/);

  // The directory counts what the table holds, filters or not.
  const all = await facets();
  const want = await expected();
  assert.ok(want.total > 400 && want.total < 507, `${want.total} published`);
  assert.equal(all.total, want.total);
  for (const name of ['country', 'kind', 'discipline', 'facility']) {
    assert.deepEqual(all[name], want[name], name);
  }
  const some = await facets('country=PL&kind=fab-lab&kind=makerspace');
  const wantSome = await expected("country = 'PL' AND kind IN ('fab-lab', 'makerspace')");
  assert.equal(some.total, wantSome.total);
  assert.deepEqual(some.discipline, wantSome.discipline);
  assert.deepEqual(some.facility, wantSome.facility);

  // Searchable by a city with or without its accent, and by a term label.
  const lodz = await expected("city = 'Łódź'");
  assert.ok(lodz.total > 0);
  assert.equal((await facets('q=lodz')).total, lodz.total);
  assert.equal((await facets(`q=${encodeURIComponent('Łódź')}`)).total, lodz.total);
  const printing = await expected("'3d-printing' = ANY (facilities)");
  assert.ok((await facets(`q=${encodeURIComponent('stampa 3d')}`)).total >= printing.total);

  // A published seeded lab has a profile; a draft one is not shown.
  const [published, draft] = (await stack.psql(`
    SELECT (SELECT slug FROM labs.labs WHERE status = 'published' ORDER BY id DESC LIMIT 1),
           (SELECT slug FROM labs.labs WHERE status = 'draft' ORDER BY id DESC LIMIT 1)`,
  { owner: true })).split('|');
  const page = await stack.get(`/labs/${published}`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<h1>[^<]+<\/h1>/);
  assert.equal((await stack.get(`/labs/${draft}`)).status, 404);
});
