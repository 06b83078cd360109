// The labs directory (issue 5), editing: /labs/new (a new lab waits as
// pending), /labs/{slug}/edit for the lab's editors and admins, field
// errors that keep what was typed and save nothing, CSRF, revisions,
// renames that leave a 301, and script or SQL payloads stored as typed
// and shown escaped. Demo data: the seven partners.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useStack } from './lib/stack.mjs';
import { FAST_HASH, addUser, browser, signIn } from './lib/accounts.mjs';

const stack = useStack({
  plugins: ['hello', 'labs'],
  testPlugins: ['probe'],
  demo: true,
  core: { ...FAST_HASH },
});

const count = async (sql) => Number(await stack.psql(sql));

/** A complete, valid form; fields overridden by `changes`. */
function labForm(slug, changes = {}) {
  return {
    slug, name: `Lab ${slug}`, institution: 'Test University', kind: 'fab-lab',
    country: 'IT', city: 'Milano', address: 'Via Roma 1', latitude: '45.4642',
    longitude: '9.19', website: 'https://example.org/', email: 'lab@example.org',
    phone: '+39 02 123 4567', description: 'A lab for tests.', equipment: 'Lasers',
    disciplines: '', facilities: '', languages: 'en it', ...changes,
  };
}

const users = {};

async function signedIn(email, role = 'editor') {
  users[email] = await addUser(stack, email, role);
  const client = browser(stack);
  const res = await signIn(client, email);
  assert.equal(res.status, 303, `sign in ${email}`);
  return client;
}

let admin;
let alice;
let bob;

test('setup: an admin and two editors', async () => {
  admin = await signedIn('admin@example.org', 'admin');
  alice = await signedIn('alice@example.org');
  bob = await signedIn('bob@example.org');
});

test('visitors are sent to sign in; the form carries the CSRF token', async () => {
  const res = await stack.get('/labs/new');
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /\/sign-in\?next=/);
  const form = await alice.get('/labs/new');
  assert.equal(form.status, 200);
  const html = await form.text();
  assert.match(html, /<form method="post" action="[^"]*\/en\/labs\/new"/);
  assert.match(html, /name="csrf" value="[0-9a-f]{32}"/);
  assert.match(form.headers.get('cache-control'), /no-store/);
});

test('a new lab waits as pending, its creator edits it, it is not public', async () => {
  const res = await alice.post('/labs/new', labForm('alice-lab'));
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /\/labs\/alice-lab\/edit$/);
  assert.equal(await stack.psql("SELECT status FROM labs.labs WHERE slug = 'alice-lab'"), 'pending');
  assert.equal((await stack.get('/labs/alice-lab')).status, 404);
  assert.doesNotMatch(await (await stack.get('/labs.xml')).text(), /alice-lab/);
  const edit = await alice.get('/labs/alice-lab/edit');
  assert.equal(edit.status, 200);
  assert.match(await edit.text(), /value="Lab alice-lab"/);
  assert.equal(await count(`SELECT count(*) FROM labs.revisions r JOIN labs.labs l ON l.id = r.lab_id
    WHERE l.slug = 'alice-lab' AND r.action = 'create' AND r.user_id = ${users['alice@example.org']}`), 1);
});

test('the optional fields left empty are saved empty, lists as empty lists', async () => {
  const empty = {
    city: '', address: '', latitude: '', longitude: '', website: '', email: '', phone: '',
    description: '', equipment: '', disciplines: '', facilities: '', languages: '',
  };
  const res = await alice.post('/labs/new', labForm('sparse-lab', empty));
  assert.equal(res.status, 303, 'saved');
  await res.arrayBuffer();
  assert.equal(await stack.psql(`SELECT concat_ws('|', languages, disciplines, facilities,
    coalesce(website, 'null'), coalesce(latitude::text, 'null')) FROM labs.labs WHERE slug = 'sparse-lab'`),
  '{}|{}|{}|null|null');
  // And emptied again on an edit of a lab that had them.
  assert.equal((await alice.post('/labs/sparse-lab/edit', labForm('sparse-lab'))).status, 303);
  assert.equal((await alice.post('/labs/sparse-lab/edit', labForm('sparse-lab', empty))).status, 303);
  assert.equal(await stack.psql("SELECT languages FROM labs.labs WHERE slug = 'sparse-lab'"), '{}');
});

test('an editor of lab A cannot edit lab B; an admin can edit any', async () => {
  assert.equal((await bob.post('/labs/new', labForm('bob-lab'))).status, 303);
  assert.equal((await alice.get('/labs/bob-lab/edit')).status, 403);
  const res = await alice.post('/labs/bob-lab/edit', labForm('bob-lab', { name: 'Taken over' }));
  assert.equal(res.status, 403);
  assert.equal(await stack.psql("SELECT name FROM labs.labs WHERE slug = 'bob-lab'"), 'Lab bob-lab');
  assert.equal((await admin.get('/labs/bob-lab/edit')).status, 200);
  assert.equal((await admin.get('/labs/ied-milano/edit')).status, 200);
  assert.equal((await alice.get('/labs/ied-milano/edit')).status, 403);
  assert.equal((await alice.get('/labs/no-such-lab/edit')).status, 404);
});

test('field errors keep what was typed and save nothing', async () => {
  const cases = [
    ['country', { country: 'XX' }, /ISO 3166-1/],
    ['latitude', { latitude: '91', longitude: '10' }, /between -90 and 90/],
    ['longitude', { latitude: '45', longitude: '-181' }, /between -180 and 180/],
    ['longitude', { latitude: '45', longitude: '' }, /both/],
    ['latitude', { latitude: '', longitude: '9' }, /both/],
    ['website', { website: 'javascript:alert(1)' }, /http:\/\/ or https:\/\//],
    ['website', { website: 'ftp://example.org/' }, /http:\/\/ or https:\/\//],
    ['name', { name: 'x'.repeat(201) }, /too long/],
    ['description', { description: 'ü'.repeat(10001) }, /too long/],
    ['slug', { slug: 'ied-milano' }, /already has this address/],
    ['slug', { slug: 'Bad Slug' }, /a-z, 0-9/],
    ['email', { email: 'nobody' }, /name@example\.org/],
    ['name', { name: '   ' }, /required/],
  ];
  const before = await count('SELECT count(*) FROM labs.labs');
  const revisions = await count('SELECT count(*) FROM labs.revisions');
  for (const [field, change, reason] of cases) {
    const fields = labForm('error-lab', change);
    const res = await alice.post('/labs/new', fields);
    assert.equal(res.status, 200, field);
    const html = await res.text();
    assert.match(html, /class="form-error"/, field);
    const error = new RegExp(`id="lab-${field}-error">([^<]*)<`).exec(html);
    assert.ok(error, `${field}: ${JSON.stringify(change)}`);
    assert.match(error[1], reason, field);
    // What was typed comes back (short values; escaped as the serializer does).
    if (field !== 'description' && fields[field].length < 100) {
      const typed = fields[field].replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
      assert.ok(html.includes(`value="${typed}"`), `${field} kept`);
    }
    assert.ok(html.includes('value="Lab error-lab"') || field === 'name', 'other fields kept');
  }
  // The same on edit.
  const res = await alice.post('/labs/alice-lab/edit', labForm('alice-lab', { country: 'ZZ', city: 'Kept City' }));
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /id="lab-country-error"/);
  assert.match(html, /value="Kept City"/);
  assert.equal(await count('SELECT count(*) FROM labs.labs'), before);
  assert.equal(await count('SELECT count(*) FROM labs.revisions'), revisions);
  assert.equal(await stack.psql("SELECT city FROM labs.labs WHERE slug = 'alice-lab'"), 'Milano');
});

test('errors are translated', async () => {
  const res = await alice.post('/fi/labs/new', labForm('error-lab', { country: 'XX' }));
  assert.equal(res.status, 200);
  assert.match(await res.text(), /id="lab-country-error">Anna ISO 3166-1 -maakoodi/);
});

test('without the CSRF token: 403 and nothing saved', async () => {
  const before = await count('SELECT count(*) FROM labs.labs');
  assert.equal((await alice.post('/labs/new', labForm('csrf-lab'), { csrf: null })).status, 403);
  assert.equal((await alice.post('/labs/new', labForm('csrf-lab'), { csrf: '0'.repeat(32) })).status, 403);
  assert.equal((await alice.post('/labs/alice-lab/edit', labForm('alice-lab', { city: 'Forged' }),
    { csrf: null })).status, 403);
  assert.equal(await count('SELECT count(*) FROM labs.labs'), before);
  assert.equal(await stack.psql("SELECT city FROM labs.labs WHERE slug = 'alice-lab'"), 'Milano');
});

test('a change writes a revision of what changed; a rename answers 301', async () => {
  const res = await alice.post('/labs/alice-lab/edit',
    labForm('alice-renamed', { name: 'Lab alice-lab', city: 'Torino', disciplines: 'industrial-design' }));
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /\/labs\/alice-renamed\/edit$/);
  const changes = JSON.parse(await stack.psql(`SELECT r.changes FROM labs.revisions r
    JOIN labs.labs l ON l.id = r.lab_id WHERE l.slug = 'alice-renamed' AND r.action = 'update'`));
  assert.deepEqual(changes.city, { old: 'Milano', new: 'Torino' });
  assert.deepEqual(changes.slug, { old: 'alice-lab', new: 'alice-renamed' });
  assert.deepEqual(changes.disciplines, { old: [], new: ['industrial-design'] });
  assert.equal(changes.name, undefined);
  const old = await alice.get('/labs/alice-lab/edit');
  assert.equal(old.status, 301);
  assert.match(old.headers.get('location'), /\/labs\/alice-renamed\/edit$/);
  // Renaming a published lab: the old public address answers 301.
  assert.equal((await admin.post('/labs/sdmi/edit', await formOf(admin, 'sdmi', { slug: 'sdmi-paris' }))).status, 303);
  const moved = await stack.get('/labs/sdmi');
  assert.equal(moved.status, 301);
  assert.match(moved.headers.get('location'), /\/labs\/sdmi-paris$/);
  assert.equal((await stack.get('/labs/sdmi-paris')).status, 200);
});

/** The edit form's current values, with changes. */
async function formOf(client, slug, changes = {}) {
  const html = await (await client.get(`/labs/${slug}/edit`)).text();
  const fields = {};
  for (const [, name, value] of html.matchAll(/<input type="text" id="lab-[a-z]+" name="([a-z]+)" value="([^"]*)"/g)) {
    fields[name] = decode(value);
  }
  for (const [, name, value] of html.matchAll(/<textarea id="lab-[a-z]+" name="([a-z]+)"[^>]*>([^<]*)<\/textarea>/g)) {
    fields[name] = decode(value);
  }
  fields.kind = /<option value="([a-z-]+)" selected/.exec(html)[1];
  return { ...fields, ...changes };
}

function decode(s) {
  return s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

test('script and SQL payloads are stored as typed and shown escaped', async () => {
  const name = '<script>alert("x")</script> Robert\'); DROP TABLE labs.labs;--';
  const description = '<img src=x onerror=alert(1)> & \' OR 1=1 --';
  const res = await alice.post('/labs/new', labForm('payload-lab', { name, description }));
  assert.equal(res.status, 303);
  assert.equal(await stack.psql("SELECT name FROM labs.labs WHERE slug = 'payload-lab'"), name);
  assert.equal(await stack.psql("SELECT description FROM labs.labs WHERE slug = 'payload-lab'"), description);
  const html = await (await alice.get('/labs/payload-lab/edit')).text();
  assert.doesNotMatch(html, /<script>alert/);
  assert.doesNotMatch(html, /<img src=x/);
  assert.match(html, /&lt;script&gt;alert\(/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt; &amp; ' OR 1=1 --/);
  // The round trip keeps it exactly.
  assert.equal((await alice.post('/labs/payload-lab/edit', await formOf(alice, 'payload-lab'))).status, 303);
  assert.equal(await stack.psql("SELECT name FROM labs.labs WHERE slug = 'payload-lab'"), name);
});

test('the admins\' queue: approve publishes, reject sends back; only admins', async () => {
  assert.equal((await alice.get('/labs-pending')).status, 403);
  const queue = await admin.get('/labs-pending');
  assert.equal(queue.status, 200);
  const html = await queue.text();
  assert.match(html, /id="pending-alice-renamed"/);
  assert.match(html, /id="pending-bob-lab"/);
  assert.match(html, /<form method="post" action="[^"]*\/labs\/bob-lab\/status"[^>]*><input type="hidden" name="csrf" value="[0-9a-f]{32}"/);
  // An editor may not approve their own lab.
  assert.equal((await alice.post('/labs/alice-renamed/status', { action: 'approve' })).status, 403);
  assert.equal((await stack.get('/labs/alice-renamed')).status, 404);
  const approved = await admin.post('/labs/alice-renamed/status', { action: 'approve' });
  assert.equal(approved.status, 303);
  assert.match(approved.headers.get('location'), /\/labs-pending$/);
  assert.equal((await stack.get('/labs/alice-renamed')).status, 200);
  assert.match(await (await stack.get('/labs.xml')).text(), /slug="alice-renamed"/);
  // Approving twice is a conflict, and writes nothing.
  assert.equal((await admin.post('/labs/alice-renamed/status', { action: 'approve' })).status, 409);
  assert.equal((await admin.post('/labs/bob-lab/status', { action: 'reject' })).status, 303);
  assert.equal(await stack.psql("SELECT status FROM labs.labs WHERE slug = 'bob-lab'"), 'draft');
  assert.doesNotMatch(await (await admin.get('/labs-pending')).text(), /pending-bob-lab|pending-alice-renamed/);
  // A rejected lab's editor may submit it again; it is back in the queue.
  assert.match(await (await bob.get('/labs/bob-lab/edit')).text(), /name="action" value="submit"/);
  assert.equal((await alice.post('/labs/bob-lab/status', { action: 'submit' })).status, 403);
  assert.equal((await bob.post('/labs/bob-lab/status', { action: 'submit' })).status, 303);
  assert.equal(await stack.psql("SELECT status FROM labs.labs WHERE slug = 'bob-lab'"), 'pending');
  assert.match(await (await admin.get('/labs-pending')).text(), /id="pending-bob-lab"/);
  assert.equal((await bob.post('/labs/bob-lab/status', { action: 'submit' })).status, 409);
  // Without the token nothing happens.
  assert.equal((await admin.post('/labs/payload-lab/status', { action: 'approve' }, { csrf: null })).status, 403);
  assert.equal(await stack.psql("SELECT status FROM labs.labs WHERE slug = 'payload-lab'"), 'pending');
});

test('archive hides the lab; an admin restores it', async () => {
  assert.equal((await bob.post('/labs/alice-renamed/status', { action: 'archive' })).status, 403);
  const res = await alice.post('/labs/alice-renamed/status', { action: 'archive' });
  assert.equal(res.status, 303);
  assert.equal((await stack.get('/labs/alice-renamed')).status, 404);
  assert.doesNotMatch(await (await stack.get('/labs.xml')).text(), /alice-renamed/);
  assert.doesNotMatch(await (await stack.get('/labs/map')).text(), /alice-renamed/);
  assert.match(await (await alice.get('/labs/alice-renamed/edit')).text(), /class="lab-status">Status: archived/);
  assert.equal((await alice.post('/labs/alice-renamed/status', { action: 'restore' })).status, 403);
  assert.equal((await admin.post('/labs/alice-renamed/status', { action: 'restore' })).status, 303);
  assert.equal((await stack.get('/labs/alice-renamed')).status, 200);
});

test('the history shows who changed what, newest first, escaped', async () => {
  assert.equal((await bob.get('/labs/alice-renamed/history')).status, 403);
  const res = await alice.get('/labs/alice-renamed/history');
  assert.equal(res.status, 200);
  const html = await res.text();
  const actions = [...html.matchAll(/class="lab-revision-action">([^<]+)</g)].map((m) => m[1]);
  assert.deepEqual(actions, ['Restored', 'Archived', 'Approved', 'Edited', 'Proposed']);
  assert.match(html, /UTC, Test Person/);
  assert.match(html, /<th scope="row">city<\/th><td class="lab-change-old">Milano<\/td><td class="lab-change-new">Torino<\/td>/);
  assert.match(html, /<th scope="row">status<\/th><td class="lab-change-old">pending<\/td><td class="lab-change-new">published<\/td>/);
  // Only the fields of the form: no column the database derives (search terms, sort key).
  const fields = [...html.matchAll(/<th scope="row">([^<]+)<\/th><td class="lab-change-old">/g)].map((m) => m[1]);
  for (const field of fields) assert.doesNotMatch(field, /^(search|terms_text|sort_name|created_at|updated_at|id)$/, field);
  assert.ok(fields.includes('city'));
  const old = await alice.get('/labs/alice-lab/history');
  assert.equal(old.status, 301);
  // A POST to the old slug is sent on to the same action, keeping its
  // method and form (308), and changes nothing itself.
  for (const [action, fields] of [['status', { action: 'archive' }], ['edit', labForm('alice-renamed')]]) {
    const moved = await alice.post(`/labs/alice-lab/${action}`, fields);
    assert.equal(moved.status, 308, action);
    assert.match(moved.headers.get('location'), new RegExp(`/labs/alice-renamed/${action}$`));
  }
  assert.equal(await stack.psql("SELECT status FROM labs.labs WHERE slug = 'alice-renamed'"), 'published');
  const payload = await (await alice.get('/labs/payload-lab/history')).text();
  assert.doesNotMatch(payload, /<script>alert/);
  assert.match(payload, /&lt;script&gt;alert/);
  // In every language.
  assert.match(await (await alice.get('/it/labs/alice-renamed/history')).text(), /Approvato/);
});
