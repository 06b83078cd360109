// The labs exports in parts: at most export_max labs an answer ([labs]
// export_max, here 3 of the 7 demo labs); when more match, the answer
// carries `Link: <...after=ID>; rel="next"` (RFC 8288) to the rest, with the
// same filters and order, and a script that follows the links gets every
// lab once. Pages (HTML, XML) keep their own limit.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { useStack } from './lib/stack.mjs';

const stack = useStack({ plugins: ['hello', 'labs'], demo: true, conf: { labs: { export_max: 3 } } });

/** The URL of a Link header's rel="next", or null. */
function nextLink(res) {
  const link = res.headers.get('link');
  if (link === null) return null;
  const match = /^<([^>]+)>; rel="next"$/.exec(link);
  assert.ok(match, `Link: ${link}`);
  return match[1];
}

/** Follow an export from path to its end: the bodies, in order. */
async function follow(first) {
  const bodies = [];
  let url = first;
  while (url !== null) {
    assert.ok(bodies.length < 10, 'the links end');
    const res = await stack.get(url.replace(/^https?:\/\/[^/]+/, ''));
    assert.equal(res.status, 200, url);
    bodies.push(await res.text());
    url = nextLink(res);
  }
  return bodies;
}

const csvSlugs = (text) => text.trim().split('\r\n').slice(1).map((line) => line.split(',')[0]);

test('a CSV export in parts of export_max, linked to the end, every lab once', async () => {
  const first = await stack.get('/labs.csv');
  assert.equal(first.status, 200);
  assert.equal(csvSlugs(await first.text()).length, 3, 'export_max labs');
  assert.match(nextLink(first), /\/labs\.csv\?after=\d+$/);
  const parts = await follow('/labs.csv');
  assert.deepEqual(parts.map((p) => csvSlugs(p).length), [3, 3, 1]);
  const slugs = parts.flatMap(csvSlugs);
  assert.equal(new Set(slugs).size, 7, slugs.join(' '));
  const names = await stack.psql("SELECT slug FROM labs.labs WHERE status = 'published' ORDER BY sort_name, id");
  assert.deepEqual(slugs, names.split('\n'), 'in the list order');
});

test('the links keep the filters and the order; GeoJSON too', async () => {
  const newest = (await follow('/labs.csv?sort=newest')).flatMap(csvSlugs);
  const expected = await stack.psql("SELECT slug FROM labs.labs WHERE status = 'published' ORDER BY created_at DESC, id DESC");
  assert.deepEqual(newest, expected.split('\n'));
  const first = await stack.get('/labs.geojson?kind=fab-lab&kind=university-lab&kind=living-lab&kind=design-studio&kind=makerspace&kind=other');
  assert.match(nextLink(first), /\/labs\.geojson\?(kind=[a-z-]+&){6}after=\d+$/);
  const features = (await follow('/labs.geojson?kind=fab-lab&kind=university-lab&kind=living-lab&kind=design-studio&kind=makerspace&kind=other'))
    .flatMap((text) => JSON.parse(text).features.map((f) => f.id));
  assert.equal(new Set(features).size, 7);
  // The last part has no link; a page (HTML, XML) has its own limit and none.
  const page = await stack.get('/labs.xml');
  assert.equal(page.headers.get('link'), null);
  assert.equal((await page.text()).match(/<lab /g).length, 7);
});

test('export_max out of range stops the plugin at start, naming the key', async () => {
  const conf = await readFile(stack.env.CONF, 'utf8');
  const bad = path.join(stack.dir, 'bad-export.conf');
  await writeFile(bad, conf.replace(/^export_max = 3$/m, 'export_max = 0'));
  const result = spawnSync(stack.env.LABNET, ['-c', bad, 'check'], { encoding: 'utf8' });
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /export_max must be 1 to 1000000, not "0"/);
  assert.match(result.stderr, /plugin labs failed to start/);
});
