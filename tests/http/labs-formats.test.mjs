// The labs directory's formats: XML valid against the plugin's RELAX NG
// schema, CSV (RFC 4180, formula cells neutralised), GeoJSON (RFC 7946),
// all with the list's filters applied; by suffix and by Accept.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT, useStack } from './lib/stack.mjs';

const stack = useStack({ plugins: ['hello', 'labs'], testPlugins: ['labaside'], demo: true });
const SCHEMA = path.join(ROOT, 'plugins/labs/schema/labs.rng');

/** xmllint --relaxng on text; { ok, output }. */
function validate(xml) {
  const dir = mkdtempSync(path.join(tmpdir(), 'labs-rng-'));
  try {
    const file = path.join(dir, 'doc.xml');
    writeFileSync(file, xml);
    const run = spawnSync('xmllint', ['--noout', '--relaxng', SCHEMA, file], { encoding: 'utf8' });
    return { ok: run.status === 0, output: run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** RFC 4180 parser: rows of cells; throws on a malformed file. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let i = 0;
  for (;;) {
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new Error('unterminated quoted cell');
        cell += text.slice(i, quote);
        i = quote + 1;
        if (text[i] === '"') { cell += '"'; i++; } else break;
      }
    } else {
      const end = text.slice(i).search(/[,\r\n"]/);
      const stop = end < 0 ? text.length : i + end;
      if (text[stop] === '"') throw new Error(`bare quote at ${stop}`);
      cell = text.slice(i, stop);
      i = stop;
    }
    row.push(cell);
    if (text[i] === ',') { i++; continue; }
    if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
      if (i === text.length) return rows;
      continue;
    }
    if (i === text.length) throw new Error('the last line has no CRLF');
    throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
}

async function csv(query = '') {
  const res = await stack.get(`/labs.csv${query}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
  const rows = parseCsv(await res.text());
  const header = rows.shift();
  return rows.map((r) => {
    assert.equal(r.length, header.length);
    return Object.fromEntries(header.map((h, k) => [h, r[k]]));
  });
}

test('/labs.xml and /labs/{slug}.xml are valid against the shipped schema', async () => {
  for (const url of ['/labs.xml', '/labs.xml?country=IT&country=FI&kind=fab-lab&q=lab',
    '/labs.xml?limit=2', '/labs.xml?sort=newest&limit=3&after=2', '/fi/labs.xml?discipline=engineering',
    '/labs/hva-makerslab.xml', '/lt/labs/socialiniu-inovaciju-centras.xml', '/labs/sdmi?format=xml']) {
    const res = await stack.get(url);
    assert.equal(res.status, 200, url);
    assert.equal(res.headers.get('content-type'), 'application/xml; charset=utf-8');
    const { ok, output } = validate(await res.text());
    assert.ok(ok, `${url}: ${output}`);
  }
  // The schema is no rubber stamp: a wrong document fails.
  assert.equal(validate('<labs><query><sort>random</sort></query></labs>').ok, false);
  assert.equal(validate('<lab-profile><lab id="1" slug="Bad Slug"/></lab-profile>').ok, false);
});

test('/labs.csv: RFC 4180, every match, the filters applied', async () => {
  const all = await csv();
  assert.equal(all.length, 7);
  const hva = all.find((r) => r.slug === 'hva-makerslab');
  assert.equal(hva.address, 'Wibautstraat 3b, 1091 GH Amsterdam');
  assert.equal(hva.latitude, '52.3594');
  assert.equal(hva.country, 'NL');
  assert.equal(hva.facilities, '3d-printing; cnc-milling; electronics; laser-cutting; woodworking');
  assert.match(hva.url, /\/labs\/hva-makerslab$/);
  // Quotes inside cells are doubled and survive.
  assert.ok(all.some((r) => r.description.includes("university's")));
  const filtered = await csv('?country=IT&country=NL&kind=fab-lab');
  assert.deepEqual(filtered.map((r) => r.slug), ['hva-makerslab']);
  // A page's limit= does not apply to an export (export_max does: see
  // labs-export.test.mjs).
  assert.equal((await csv('?limit=1')).length, 7);
  assert.deepEqual((await csv('?q=socialiniu')).map((r) => r.slug), ['socialiniu-inovaciju-centras']);
});

test('/labs.csv neutralises cells that a spreadsheet would run as formulas', async () => {
  await stack.psql(`INSERT INTO labs.labs (slug, name, institution, city, address, kind, country,
      latitude, longitude, status)
    VALUES ('formula-lab', '=HYPERLINK("http://evil.example","x")', '+1+cmd|'' /C calc''!A0',
      '-2+3', '@SUM(A1:A2)', 'other', 'ES', -33.5, -70.25, 'published')`);
  const [row] = await csv('?country=ES');
  assert.equal(row.name, `'=HYPERLINK("http://evil.example","x")`);
  assert.equal(row.institution, `'+1+cmd|' /C calc'!A0`);
  assert.equal(row.city, "'-2+3");
  assert.equal(row.address, "'@SUM(A1:A2)");
  // Numbers stay numbers, negative ones included.
  assert.equal(row.latitude, '-33.5');
  assert.equal(row.longitude, '-70.25');
  await stack.psql("DELETE FROM labs.labs WHERE slug = 'formula-lab'");
});

test('/labs.geojson: an RFC 7946 FeatureCollection with the filters applied', async () => {
  await stack.psql(`INSERT INTO labs.labs (slug, name, kind, country, status)
    VALUES ('nowhere-lab', 'Lab "without" a place </script>', 'makerspace', 'EE', 'published')`);
  const res = await stack.get('/labs.geojson');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/geo+json');
  const text = await res.text();
  assert.doesNotMatch(text, /<\/script>/);
  const doc = JSON.parse(text);
  assert.equal(doc.type, 'FeatureCollection');
  assert.equal(doc.features.length, 8);
  for (const f of doc.features) {
    assert.equal(f.type, 'Feature');
    assert.equal(typeof f.properties, 'object');
    if (f.geometry === null) continue;
    assert.equal(f.geometry.type, 'Point');
    const [lon, lat] = f.geometry.coordinates;
    assert.equal(f.geometry.coordinates.length, 2);
    assert.ok(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90);
  }
  const metropolia = doc.features.find((f) => f.id === 'metropolia-innovation-lab');
  assert.deepEqual(metropolia.geometry.coordinates, [25.0781, 60.2236]);
  assert.deepEqual(metropolia.properties.facilities,
    ['3d-printing', 'electronics', 'rapid-prototyping', 'usability-lab', 'virtual-reality']);
  const nowhere = doc.features.find((f) => f.id === 'nowhere-lab');
  assert.equal(nowhere.geometry, null);
  assert.equal(nowhere.properties.name, 'Lab "without" a place </script>');
  const filtered = JSON.parse(await (await stack.get('/labs.geojson?facility=usability-lab')).text());
  assert.deepEqual(filtered.features.map((f) => f.id).sort(), ['metropolia-innovation-lab', 'sdmi']);
  await stack.psql("DELETE FROM labs.labs WHERE slug = 'nowhere-lab'");
});

test('formats by Accept; HEAD and ETag on an export; unknown suffixes 404', async () => {
  const byAccept = await stack.get('/labs?country=FI', { Accept: 'text/csv' });
  assert.equal(byAccept.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.match(byAccept.headers.get('vary'), /Accept/);
  const geo = await stack.get('/labs', { Accept: 'application/geo+json, text/html;q=0.5' });
  assert.equal(geo.headers.get('content-type'), 'application/geo+json');
  const browser = await stack.get('/labs', { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
  assert.match(browser.headers.get('content-type'), /^text\/html/);
  const get = await stack.get('/labs.csv');
  const head = await stack.request('HEAD', '/labs.csv');
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('etag'), get.headers.get('etag'));
  assert.equal(await head.text(), '');
  assert.equal((await stack.get('/labs.csv', { 'If-None-Match': get.headers.get('etag') })).status, 304);
  assert.equal((await stack.get('/labs.ics')).status, 404);
  assert.equal((await stack.get('/labs/sdmi.csv')).status, 404);
});
