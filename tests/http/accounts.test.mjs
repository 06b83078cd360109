// Accounts through the real stack (DESIGN section 6): the CLI, sign-in and
// sign-out, no session fixation, CSRF on every state-changing request,
// cookie flags, password rules, invitation and reset links, disabled users,
// per-object rights, data export and account deletion, the audit trail,
// and 401 vs redirect vs 403. The rate limit has its own file
// (accounts-ratelimit), and so does the Secure flag (accounts-https).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { test } from 'node:test';
import { deadline, useStack } from './lib/stack.mjs';
import {
  FAST_HASH, PASSWORD, addUser, browser, csrfOf, linkOf, sessionCookie, signIn,
} from './lib/accounts.mjs';

const MAIL = `/tmp/labnet-test-mail-${process.pid}-${Date.now()}`;
const stack = useStack({
  plugins: ['hello'],
  testPlugins: ['probe'],
  core: { ...FAST_HASH, sendmail: `/usr/bin/dd of=${MAIL} status=none` },
});

const count = async (sql) => Number(await stack.psql(sql));

let adminId;
let editorId;

test('labnet user add/list/passwd/disable, with the password from standard input', async () => {
  adminId = await addUser(stack, 'Admin@Example.org', 'admin', PASSWORD, 'Ada Admin');
  editorId = await addUser(stack, 'editor@example.org', 'editor', PASSWORD, 'Eddie Editor');
  const list = await stack.labnet(['user', 'list']);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /Admin@Example\.org\s+admin\s+active/);
  assert.match(list.stdout, /editor@example\.org\s+editor\s+active/);

  // Email is unique whatever its case.
  const again = await stack.labnet(['user', 'add', '--email', 'ADMIN@example.org', '--name', 'X', '--role', 'editor'],
    { input: `${PASSWORD}\n` });
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already has an account/);
  const bad = await stack.labnet(['user', 'add', '--email', 'x@example.org', '--name', 'X', '--role', 'root'],
    { input: `${PASSWORD}\n` });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /admin or editor/);
  const usage = await stack.labnet(['user']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /labnet user add/);

  // The hash is argon2id; the password itself is nowhere.
  const hash = await stack.psql(`SELECT password_hash FROM core.users WHERE id = ${adminId}`);
  assert.match(hash, /^\$argon2id\$/);
  assert.equal(await count(`SELECT count(*) FROM core.users WHERE password_hash LIKE '%${PASSWORD}%'`), 0);

  const passwd = await stack.labnet(['user', 'passwd', '--email', 'temp@example.org'], { input: `${PASSWORD}\n` });
  assert.equal(passwd.code, 1, 'no such account');
  assert.match(passwd.stderr, /no account/);
  const empty = await stack.labnet(['user', 'add', '--email', 'empty@example.org', '--name', 'E'], { input: '' });
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /no password given/);
});

/** Run a command on a terminal (script(1) gives it a pty), answering each
 * prompt when it appears; resolves with { code, out } (what the terminal showed). */
function onTerminal(command, answers) {
  return new Promise((resolve) => {
    const child = spawn('script', ['-qec', command, '/dev/null']);
    const pending = [...answers];
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), deadline(30000));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      while (pending.length && out.includes(pending[0][0])) child.stdin.write(pending.shift()[1]);
      if (!pending.length) child.stdin.end();
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

test('on a terminal, the password is asked twice and never echoed', async () => {
  const quote = (s) => `'${s.replace(/'/g, "'\\''")}'`;
  const command = [stack.env.LABNET, '-c', stack.env.CONF, 'user', 'add', '--email', 'tty@example.org',
    '--name', 'Terry Terminal'].map(quote).join(' ');
  const typed = 'Quiet-Typing-Meadow-12';
  const ok = await onTerminal(command, [['New password:', `${typed}\n`], ['Again:', `${typed}\n`]]);
  assert.equal(ok.code, 0, ok.out);
  assert.match(ok.out, /New password: .*\n.*Again: /s);
  assert.ok(!ok.out.includes(typed), 'not echoed');
  assert.equal((await signIn(browser(stack), 'tty@example.org', typed)).status, 303);
  const differ = await onTerminal(command.replace('tty@', 'tty2@'),
    [['New password:', `${typed}\n`], ['Again:', 'Something-Else-Entirely-3\n']]);
  assert.equal(differ.code, 1);
  assert.match(differ.out, /passwords differ/);
});

test('labnet user passwd sets a new password and ends the user\'s sessions', async () => {
  await addUser(stack, 'cli@example.org');
  const client = browser(stack);
  assert.equal((await signIn(client, 'cli@example.org')).status, 303);
  const res = await stack.labnet(['user', 'passwd', '--email', 'CLI@example.org'], { input: 'Marble-Falcon-Ribbon-88\n' });
  assert.equal(res.code, 0, res.stderr);
  assert.equal((await client.get('/probe/mine.xml')).status, 401);
  assert.equal((await signIn(browser(stack), 'cli@example.org')).status, 200);
  assert.equal((await signIn(browser(stack), 'cli@example.org', 'Marble-Falcon-Ribbon-88')).status, 303);
  const weak = await stack.labnet(['user', 'passwd', '--email', 'cli@example.org'], { input: 'password1234\n' });
  assert.equal(weak.code, 1);
});

test('sessions end after session_idle without a request, and at their absolute expiry', async () => {
  const id = await addUser(stack, 'idle@example.org');
  const idle = browser(stack);
  await signIn(idle, 'idle@example.org');
  await stack.psql(`UPDATE core.sessions SET last_seen_at = now() - interval '7201 seconds' WHERE user_id = ${id}`);
  assert.equal((await idle.get('/probe/mine.xml')).status, 401);
  const old = browser(stack);
  await signIn(old, 'idle@example.org');
  await stack.psql(`UPDATE core.sessions SET last_seen_at = now() - interval '7000 seconds' WHERE user_id = ${id}`);
  assert.equal((await old.get('/probe/mine.xml')).status, 200, 'a request keeps it alive');
  assert.equal(await count(`SELECT count(*) FROM core.sessions WHERE user_id = ${id} AND last_seen_at > now() - interval '1 minute'`), 1,
    'last_seen_at moved on');
  await stack.psql(`UPDATE core.sessions SET expires_at = now() - interval '1 second' WHERE user_id = ${id}`);
  assert.equal((await old.get('/probe/mine.xml')).status, 401);
});

test('a hash made with other limits is redone at sign-in', async () => {
  const id = await addUser(stack, 'rehash@example.org');
  // PASSWORD hashed with opslimit 2, memlimit 2M; the stack uses 1 and 1M.
  const dearer = '$argon2id$v=19$m=2048,t=2,p=1$ncSB9GPZSAP9LauDgCy+vg$/a3Swy6Aw1EjNBJRRmpPPUwustx4l0Zb/arwkB9o5cQ';
  await stack.psql(`UPDATE core.users SET password_hash = '${dearer}' WHERE id = ${id}`);
  assert.equal((await signIn(browser(stack), 'rehash@example.org')).status, 303);
  const hash = await stack.psql(`SELECT password_hash FROM core.users WHERE id = ${id}`);
  assert.match(hash, /^\$argon2id\$v=19\$m=1024,t=1,/);
  assert.equal(await count(`SELECT count(*) FROM core.audit WHERE action = 'sign-in' AND subject_id = ${id} AND detail = 'rehashed'`), 1);
  assert.equal((await signIn(browser(stack), 'rehash@example.org')).status, 303, 'the new hash works');
});

test('password rules: 12 to 128 characters, and not weak by the dictionary check', async () => {
  const tryAdd = (email, password) => stack.labnet(['user', 'add', '--email', email, '--name', 'Rule Test'],
    { input: `${password}\n` });
  const short = await tryAdd('short@example.org', 'Xy7#kq2!Lp');
  assert.equal(short.code, 1);
  assert.match(short.stderr, /shorter than 12/);
  const long = await tryAdd('long@example.org', 'q'.repeat(129));
  assert.equal(long.code, 1);
  const weak = await tryAdd('weak@example.org', 'password1234');
  assert.equal(weak.code, 1);
  assert.match(weak.stderr, /too easy to guess/);
  const same = await tryAdd('weak@example.org', 'weak@example.org');
  assert.equal(same.code, 1);
  assert.equal(await count("SELECT count(*) FROM core.users WHERE email IN ('short@example.org', 'long@example.org', 'weak@example.org')"), 0);
  const fine = await tryAdd('fine@example.org', 'Wobbly-Lantern-Quartz-91');
  assert.equal(fine.code, 0, fine.stderr);
});

test('sign in and out; the pre-login session is useless after sign-in (no fixation)', async () => {
  const alice = browser(stack);
  const form = await alice.get('/sign-in');
  assert.equal(form.status, 200);
  assert.equal(form.headers.get('cache-control'), 'private, no-store');
  const preLogin = alice.session;
  assert.match(preLogin, /^[0-9a-f]{32}$/, 'the form starts a pre-login session for its CSRF token');
  const html = await form.text();
  const token = csrfOf(html);
  assert.ok(token);

  const res = await alice.request('POST', '/sign-in', {
    body: new URLSearchParams({ email: 'EDITOR@example.org', password: PASSWORD, csrf: token, next: '/hello/x?a=1' }),
  });
  assert.equal(res.status, 303);
  assert.equal(new URL(res.headers.get('location')).pathname, '/hello/x');
  assert.notEqual(alice.session, preLogin, 'a new token on sign-in');
  const me = await (await alice.get('/probe/csrf.xml')).text();
  assert.match(me, /<user>editor@example.org<\/user>/);

  // The old token no longer names any session.
  const fixated = await stack.get('/probe/csrf.xml', { cookie: `labnet_session=${preLogin}` });
  assert.doesNotMatch(await fixated.text(), /<user>/);
  assert.equal(await count('SELECT count(*) FROM core.sessions WHERE user_id IS NOT NULL AND user_id = ' + editorId), 1);
  // Stored hashed: the token itself is not in the table.
  assert.equal(await count(`SELECT count(*) FROM core.sessions WHERE token_hash = '${alice.session}'`), 0);

  // A signed-in page is never cached, and shows who is signed in.
  const home = await alice.get('/');
  assert.equal(home.headers.get('cache-control'), 'private, no-store');
  assert.match(await home.text(), /Eddie Editor/);

  const session = alice.session;
  const out = await alice.post('/sign-out');
  assert.equal(out.status, 303);
  assert.equal(alice.session, undefined, 'the cookie is expired');
  const after = await stack.get('/probe/mine.xml', { cookie: `labnet_session=${session}` });
  assert.equal(after.status, 401, 'the session ended on the server');
  assert.equal(await count('SELECT count(*) FROM core.sessions WHERE user_id = ' + editorId), 0);
});

test('a wrong password shows the form again and signs nobody in', async () => {
  const mallory = browser(stack, { headers: { 'X-Forwarded-For': '198.51.100.7' } });
  const res = await signIn(mallory, 'editor@example.org', 'not the password at all');
  assert.equal(res.status, 200);
  assert.match(await res.text(), /email address or the password is wrong/);
  const unknown = await signIn(mallory, 'nobody@example.org', 'not the password at all');
  assert.equal(unknown.status, 200);
  assert.equal(await count("SELECT count(*) FROM core.audit WHERE action = 'sign-in.failure' AND client_addr = '198.51.100.7'"), 2,
    'failures are audited with the client address');
});

test('cookie flags: HttpOnly, SameSite=Lax, Path=/, no Secure on a plain-HTTP site', async () => {
  const res = await stack.get('/sign-in');
  const line = res.headers.getSetCookie().find((c) => c.startsWith('labnet_session='));
  assert.match(line, /; HttpOnly/);
  assert.match(line, /; SameSite=Lax/);
  assert.match(line, /; Path=\//);
  assert.doesNotMatch(line, /Secure/);
});

test('CSRF: a missing or wrong token is 403 and writes nothing; the header works too', async () => {
  const eddie = browser(stack);
  await signIn(eddie, 'editor@example.org');
  const items = () => count('SELECT count(*) FROM probe.items');
  const before = await items();
  const missing = await eddie.post('/probe/items', { label: 'no token' }, { csrf: null });
  assert.equal(missing.status, 403);
  const wrong = await eddie.post('/probe/items', { label: 'wrong token' }, { csrf: '0'.repeat(32) });
  assert.equal(wrong.status, 403);
  const other = browser(stack);
  const foreign = await eddie.post('/probe/items', { label: 'another session' }, { csrf: await other.csrf() });
  assert.equal(foreign.status, 403);
  assert.equal(await items(), before, 'nothing was written');
  assert.equal(await count("SELECT count(*) FROM probe.items WHERE label LIKE '%token%' OR label = 'another session'"), 0);

  const ok = await eddie.post('/probe/items', { label: 'with token' });
  assert.equal(ok.status, 200);
  const header = await eddie.request('POST', '/probe/items', {
    headers: { 'X-CSRF-Token': await eddie.csrf() },
    body: new URLSearchParams({ label: 'with header' }),
  });
  assert.equal(header.status, 200);
  // A multipart form (one with a file input) carries the field the same way.
  const form = new FormData();
  form.set('label', 'multipart');
  form.set('csrf', await eddie.csrf());
  assert.equal((await eddie.request('POST', '/probe/items', { body: form })).status, 200);
  assert.equal(await items(), before + 3);

  // Without any session, a POST has no token to match either.
  const visitor = await stack.request('POST', '/probe/items', { body: new URLSearchParams({ label: 'visitor' }) });
  assert.equal(visitor.status, 403);
  // Login CSRF: the sign-in form itself needs the pre-login session's token.
  const forged = await stack.request('POST', '/sign-in', {
    body: new URLSearchParams({ email: 'editor@example.org', password: PASSWORD }),
  });
  assert.equal(forged.status, 403);
  assert.equal(sessionCookie(forged), undefined);
});

test('a POST to a side-effect-free route (LN_SAFE) needs no token', async () => {
  const res = await stack.request('POST', '/probe/echo?format=xml', { body: new URLSearchParams({ q: 'hi' }) });
  assert.equal(res.status, 200);
  assert.match(await res.text(), /<param name="q">hi<\/param>/);
});

test('401 for XML, a redirect to sign-in for HTML, 403 for too little', async () => {
  const html = await stack.get('/probe/private?x=1&y=2');
  assert.equal(html.status, 303);
  const to = new URL(html.headers.get('location'));
  assert.equal(to.pathname, '/sign-in');
  assert.equal(to.searchParams.get('next'), '/probe/private?x=1&y=2');
  const fi = await stack.get('/fi/probe/private');
  assert.equal(new URL(fi.headers.get('location')).pathname, '/fi/sign-in');

  const xml = await stack.get('/probe/private', { Accept: 'application/xml' });
  assert.equal(xml.status, 401);
  assert.match(xml.headers.get('www-authenticate'), /^Cookie realm="Labnet"/);
  assert.match(await xml.text(), /<error status="401">/);

  const eddie = browser(stack);
  await signIn(eddie, 'editor@example.org');
  const forbidden = await eddie.get('/probe/private');
  assert.equal(forbidden.status, 403);
  assert.equal((await eddie.get('/admin/users')).status, 403);
  assert.equal((await eddie.get('/admin/audit')).status, 403);
  assert.equal((await eddie.get('/probe/mine')).status, 200);

  // After signing in, the redirect's next= brings the visitor back.
  const back = browser(stack);
  const signedIn = await signIn(back, 'admin@example.org', PASSWORD, to.searchParams.get('next'));
  assert.equal(new URL(signedIn.headers.get('location')).pathname, '/probe/private');
  assert.equal((await back.get('/probe/private')).status, 200);
  // A next= to another host is not followed.
  const offsite = await signIn(browser(stack), 'admin@example.org', PASSWORD, '//evil.example/');
  assert.equal(new URL(offsite.headers.get('location')).pathname, '/account');
});

test('an editor of object A cannot change object B; admins may change both', async () => {
  const admin = browser(stack);
  await signIn(admin, 'admin@example.org');
  const grant = await admin.post('/probe/objects/lab-a/editors', { user: String(editorId) });
  assert.equal(grant.status, 200);
  assert.equal(await count(`SELECT count(*) FROM core.editors WHERE plugin = 'probe' AND object_key = 'lab-a' AND user_id = ${editorId}`), 1);

  const eddie = browser(stack);
  await signIn(eddie, 'editor@example.org');
  assert.equal((await eddie.post('/probe/objects/lab-a')).status, 200);
  const denied = await eddie.post('/probe/objects/lab-b');
  assert.equal(denied.status, 403);
  assert.equal(await count("SELECT count(*) FROM probe.items WHERE label = 'edit:lab-b'"), 0);
  assert.equal((await admin.post('/probe/objects/lab-b')).status, 200);
  // Editors cannot grant themselves rights.
  assert.equal((await eddie.post('/probe/objects/lab-b/editors', { user: String(editorId) })).status, 403);

  const revoke = await admin.post('/probe/objects/lab-a/editors', { user: String(editorId), revoke: '1' });
  assert.equal(revoke.status, 200);
  assert.equal((await eddie.post('/probe/objects/lab-a')).status, 403);
  assert.ok(await count("SELECT count(*) FROM core.audit WHERE action IN ('right.grant', 'right.revoke')") >= 2);
});

test('a disabled user\'s sessions stop working at once (admin page and CLI)', async () => {
  const victimId = await addUser(stack, 'disabled@example.org');
  const victim = browser(stack);
  await signIn(victim, 'disabled@example.org');
  assert.equal((await victim.get('/probe/mine.xml')).status, 200);
  const admin = browser(stack);
  await signIn(admin, 'admin@example.org');
  const res = await admin.post(`/admin/users/${victimId}/disable`, { disabled: '1' });
  assert.equal(res.status, 303);
  assert.equal((await victim.get('/probe/mine.xml')).status, 401);
  assert.equal((await signIn(browser(stack), 'disabled@example.org')).status, 200, 'the form again: no sign-in');
  // Enabled again, the user can sign in; the CLI disables too.
  assert.equal((await admin.post(`/admin/users/${victimId}/disable`, { disabled: '0' })).status, 303);
  const again = browser(stack);
  assert.equal((await signIn(again, 'disabled@example.org')).status, 303);
  const cli = await stack.labnet(['user', 'disable', '--email', 'DISABLED@example.org']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal((await again.get('/probe/mine.xml')).status, 401);
  // Even a session the database still holds stops working when the user is disabled.
  await stack.labnet(['user', 'enable', '--email', 'disabled@example.org']);
  const third = browser(stack);
  await signIn(third, 'disabled@example.org');
  await stack.psql(`UPDATE core.users SET disabled = true WHERE id = ${victimId}`);
  assert.equal((await third.get('/probe/mine.xml')).status, 401);
  // Admins cannot disable themselves.
  assert.equal((await admin.post(`/admin/users/${adminId}/disable`, { disabled: '1' })).status, 409);
});

test('changing the password: rules, the current password, and every other session ends', async () => {
  const id = await addUser(stack, 'changer@example.org');
  const first = browser(stack);
  const second = browser(stack);
  await signIn(first, 'changer@example.org');
  await signIn(second, 'changer@example.org');
  const wrong = await first.post('/account/password', { current: 'wrong password here', password: 'Velvet-Otter-Compass-77' });
  assert.match(await wrong.text(), /current password is wrong/);
  const short = await first.post('/account/password', { current: PASSWORD, password: 'short' });
  assert.match(await short.text(), /shorter than 12/);
  const weak = await first.post('/account/password', { current: PASSWORD, password: 'password1234' });
  assert.match(await weak.text(), /too easy to guess/);
  const before = first.session;
  const ok = await first.post('/account/password', { current: PASSWORD, password: 'Velvet-Otter-Compass-77' });
  assert.equal(ok.status, 303);
  assert.notEqual(first.session, before, 'a new session on password change');
  assert.equal((await first.get('/probe/mine.xml')).status, 200);
  assert.equal((await second.get('/probe/mine.xml')).status, 401, 'the other session ended');
  assert.equal((await signIn(browser(stack), 'changer@example.org')).status, 200, 'old password refused');
  assert.equal((await signIn(browser(stack), 'changer@example.org', 'Velvet-Otter-Compass-77')).status, 303);
  assert.equal(await count(`SELECT count(*) FROM core.audit WHERE action = 'password.change' AND subject_id = ${id}`), 1);
});

test('an invitation link sets the password once, is mailed, and expires', async () => {
  const admin = browser(stack);
  await signIn(admin, 'admin@example.org');
  const form = await admin.get('/admin/invite');
  assert.equal(form.status, 200);
  const res = await admin.post('/admin/invite', { email: 'partner@example.org', name: 'Pat Partner', role: 'editor' });
  assert.equal(res.status, 200);
  const page = await res.text();
  const link = linkOf(page);
  assert.match(link, /\/invite\/[0-9a-f]{32}$/);
  assert.match(page, /also been sent by email/);
  const mail = await readFile(MAIL, 'utf8');
  assert.match(mail, /^To: partner@example.org$/m);
  assert.match(mail, /^Subject: Your invitation to Labnet$/m);
  assert.ok(mail.includes(link), 'the mail carries the link');
  await rm(MAIL, { force: true });
  assert.match((await stack.labnet(['user', 'list'])).stdout, /partner@example.org\s+editor\s+invited/);
  // The same address cannot be invited twice.
  assert.match(await (await admin.post('/admin/invite', { email: 'PARTNER@example.org', name: 'P', role: 'editor' })).text(),
    /already has an account/);

  const path = new URL(link).pathname;
  const pat = browser(stack);
  const welcome = await pat.get(path);
  assert.equal(welcome.status, 200);
  const html = await welcome.text();
  assert.match(html, /Welcome, Pat Partner/);
  const weak = await pat.request('POST', path, { body: new URLSearchParams({ password: 'password1234', csrf: csrfOf(html) }) });
  assert.match(await weak.text(), /too easy to guess/);
  const set = await pat.post(path, { password: 'Granite-Heron-Lamp-2031' });
  assert.equal(set.status, 303);
  assert.match((await (await pat.get('/probe/csrf.xml')).text()), /<user>partner@example.org<\/user>/);
  // Once only.
  assert.equal((await browser(stack).get(path)).status, 410);
  assert.equal((await browser(stack).post(path, { password: 'Another-Fine-Password-9' })).status, 410);
  assert.equal((await signIn(browser(stack), 'partner@example.org', 'Granite-Heron-Lamp-2031')).status, 303);

  // An expired link does nothing.
  const late = await admin.post('/admin/invite', { email: 'late@example.org', name: 'Late Comer', role: 'editor' });
  const latePath = new URL(linkOf(await late.text())).pathname;
  await stack.psql("UPDATE core.tokens SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM core.users WHERE email = 'late@example.org')");
  assert.equal((await browser(stack).get(latePath)).status, 410);
  assert.equal((await browser(stack).post(latePath, { password: 'Granite-Heron-Lamp-2031' })).status, 410);
  assert.equal(await count("SELECT count(*) FROM core.users WHERE email = 'late@example.org' AND password_hash IS NULL"), 1);
  assert.equal((await browser(stack).get('/invite/' + 'f'.repeat(32))).status, 410);
});

test('a reset link sets a new password once; the admin sees it', async () => {
  const id = await addUser(stack, 'forgetful@example.org');
  const admin = browser(stack);
  await signIn(admin, 'admin@example.org');
  const list = await (await admin.get('/admin/users')).text();
  assert.match(list, /forgetful@example.org/);
  const res = await admin.post(`/admin/users/${id}/reset`);
  assert.equal(res.status, 200);
  const path = new URL(linkOf(await res.text())).pathname;
  assert.match(path, /^\/reset\/[0-9a-f]{32}$/);
  const user = browser(stack);
  assert.equal((await user.post(path, { password: 'Saffron-Kettle-Orbit-56' })).status, 303);
  assert.equal((await browser(stack).post(path, { password: 'Saffron-Kettle-Orbit-57' })).status, 410);
  assert.equal((await signIn(browser(stack), 'forgetful@example.org')).status, 200, 'the old password is gone');
  assert.equal((await signIn(browser(stack), 'forgetful@example.org', 'Saffron-Kettle-Orbit-56')).status, 303);
  // An expired reset link.
  const again = await admin.post(`/admin/users/${id}/reset`);
  const expired = new URL(linkOf(await again.text())).pathname;
  await stack.psql(`UPDATE core.tokens SET expires_at = now() - interval '1 second' WHERE user_id = ${id} AND used_at IS NULL`);
  assert.equal((await browser(stack).get(expired)).status, 410);
});

test('admins change roles; the audit trail shows sign-ins, failures and changes', async () => {
  const admin = browser(stack);
  await signIn(admin, 'admin@example.org');
  const id = await addUser(stack, 'promoted@example.org');
  assert.equal((await admin.post(`/admin/users/${id}/role`, { role: 'admin' })).status, 303);
  assert.equal(await stack.psql(`SELECT role FROM core.users WHERE id = ${id}`), 'admin');
  assert.equal((await admin.post(`/admin/users/${adminId}/role`, { role: 'editor' })).status, 409);
  const audit = await admin.get('/admin/audit');
  assert.equal(audit.status, 200);
  const html = await audit.text();
  for (const action of ['sign-in', 'sign-in.failure', 'role.change', 'user.disable', 'invite', 'right.grant']) {
    assert.match(html, new RegExp(`<code>${action.replace('.', '\\.')}</code>`), action);
  }
  assert.match(html, /127\.0\.0\.1|198\.51\.100\.7/, 'client addresses are shown');
  // Addresses older than audit_addr_days are cleared on the next write,
  // and before the audit page shows anything.
  const age = "UPDATE core.audit SET at = now() - interval '31 days' WHERE id = (SELECT min(id) FROM core.audit WHERE client_addr IS NOT NULL)";
  const old = "SELECT count(*) FROM core.audit WHERE at < now() - interval '30 days' AND client_addr IS NOT NULL";
  await stack.psql(age);
  assert.equal(await count(old), 1);
  await signIn(browser(stack), 'admin@example.org');
  assert.equal(await count(old), 0);
  await stack.psql(age);
  assert.equal((await admin.get('/admin/audit')).status, 200);
  assert.equal(await count(old), 0);
});

test('a user downloads their data as JSON and deletes their account; their records stay', async () => {
  const id = await addUser(stack, 'leaving@example.org', 'editor', PASSWORD, 'Lee Leaving');
  const lee = browser(stack);
  await signIn(lee, 'leaving@example.org');
  const data = await lee.get('/account/data');
  assert.equal(data.status, 200);
  assert.equal(data.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(data.headers.get('cache-control'), 'private, no-store');
  assert.match(data.headers.get('content-disposition'), /attachment/);
  const json = await data.json();
  assert.equal(json.user.email, 'leaving@example.org');
  assert.equal(json.user.name, 'Lee Leaving');
  assert.ok(json.audit.some((e) => e.action === 'sign-in'));
  assert.equal(json.sessions.length, 1);
  assert.equal((await stack.get('/account/data', { Accept: 'application/xml' })).status, 401);

  await signIn(browser(stack), 'leaving@example.org', 'a failed attempt');
  const wrong = await lee.post('/account/delete', { current: 'not my password' });
  assert.match(await wrong.text(), /current password is wrong/);
  const gone = await lee.post('/account/delete', { current: PASSWORD });
  assert.equal(gone.status, 303);
  assert.equal(lee.session, undefined);
  const row = await stack.psql(`SELECT coalesce(email, '-') || '|' || display_name || '|' || (deleted_at IS NOT NULL) FROM core.users WHERE id = ${id}`);
  assert.equal(row, '-|former member|true', 'the row stays for what they published, without personal data');
  assert.equal(await count(`SELECT count(*) FROM core.sessions WHERE user_id = ${id}`), 0);
  assert.equal(await count("SELECT count(*) FROM core.audit WHERE detail = 'leaving@example.org'"), 0,
    'the audit keeps its entries, without the address');
  assert.ok(await count(`SELECT count(*) FROM core.audit WHERE subject_id = ${id}`) >= 2);
  assert.equal((await signIn(browser(stack), 'leaving@example.org')).status, 200);
  // The address is free again.
  await addUser(stack, 'leaving@example.org');
});

test('the last administrator cannot delete their account', async () => {
  await addUser(stack, 'last@example.org', 'admin');
  const last = browser(stack);
  await signIn(last, 'last@example.org');
  const others = "(SELECT id FROM core.users WHERE role = 'admin' AND email <> 'last@example.org')";
  await stack.psql(`UPDATE core.users SET disabled = true WHERE id IN ${others}`);
  try {
    const refused = await last.post('/account/delete', { current: PASSWORD });
    assert.equal(refused.status, 409);
    assert.equal(await count("SELECT count(*) FROM core.users WHERE email = 'last@example.org'"), 1);
  } finally {
    await stack.psql(`UPDATE core.users SET disabled = false WHERE id IN ${others}`);
  }
  assert.equal((await last.post('/account/delete', { current: PASSWORD })).status, 303, 'with another admin, it may go');
});

test('the pages speak the visitor\'s language', async () => {
  const fi = await (await stack.get('/fi/sign-in')).text();
  assert.match(fi, /<h1>Kirjaudu sisään<\/h1>/);
  const pl = await (await stack.get('/pl/sign-in')).text();
  assert.match(pl, /<h1>Zaloguj się<\/h1>/);
});
