// tests/http/lib/accounts.mjs — helpers for tests that sign in: a client
// that keeps the session cookie like a browser, CSRF tokens from forms and
// from the probe plugin, and users made with `labnet user add`.
//
//   const alice = browser(stack);
//   await addUser(stack, 'alice@example.org', 'editor');
//   await signIn(alice, 'alice@example.org');
//   const res = await alice.post('/probe/items', { label: 'x' });  // csrf added

/** Cheap password hashing for test stacks (the default is INTERACTIVE). */
export const FAST_HASH = { password_opslimit: 1, password_memlimit: '1M' };

/** The password every test user gets unless told otherwise. */
export const PASSWORD = 'correct horse battery staple 42';

/** The value of the labnet_session cookie a response sets: a string, '' when
 * it expires the cookie, undefined when it does not touch it. */
export function sessionCookie(res) {
  for (const line of res.headers.getSetCookie()) {
    const match = /^labnet_session=([^;]*)/.exec(line);
    if (match) return /Max-Age=0/i.test(line) ? '' : match[1];
  }
  return undefined;
}

/** The first hidden csrf field of an HTML page. */
export function csrfOf(html) {
  const match = /name="csrf" value="([0-9a-f]{32})"/.exec(html);
  return match ? match[1] : undefined;
}

/**
 * A client with a cookie jar for labnet_session. get/post return the fetch
 * Response (redirects not followed); post adds the session's CSRF token
 * unless `csrf: null` or another value is given.
 */
export function browser(stack, { headers: extra = {} } = {}) {
  const client = {
    session: undefined,
    async request(method, path, { headers = {}, body } = {}) {
      const all = { ...extra, ...headers };
      if (client.session) all.cookie = `labnet_session=${client.session}`;
      const res = await stack.request(method, path, { headers: all, body });
      const set = sessionCookie(res);
      if (set !== undefined) client.session = set || undefined;
      return res;
    },
    get(path, headers = {}) {
      return client.request('GET', path, { headers });
    },
    /** The session's CSRF token, through the probe plugin. */
    async csrf() {
      const res = await client.get('/probe/csrf.xml');
      const match = /<token>([0-9a-f]{32})<\/token>/.exec(await res.text());
      return match[1];
    },
    async post(path, fields = {}, { csrf, headers = {} } = {}) {
      const body = new URLSearchParams(fields);
      const token = csrf === undefined ? await client.csrf() : csrf;
      if (token !== null) body.set('csrf', token);
      return client.request('POST', path, { headers, body });
    },
  };
  return client;
}

/** `labnet user add`; resolves with the new user's id. */
export async function addUser(stack, email, role = 'editor', password = PASSWORD, name = 'Test Person') {
  const result = await stack.labnet(['user', 'add', '--email', email, '--name', name, '--role', role],
    { input: `${password}\n` });
  if (result.code !== 0) throw new Error(`user add ${email}: ${result.stderr}`);
  return Number(await stack.psql(`SELECT id FROM core.users WHERE lower(email) = lower('${email}')`));
}

/** Sign in through the form, as a browser does; resolves with the POST's response. */
export async function signIn(client, email, password = PASSWORD, next) {
  const form = await client.get('/sign-in');
  const token = csrfOf(await form.text());
  const fields = { email, password, csrf: token };
  if (next) fields.next = next;
  return client.request('POST', '/sign-in', { body: new URLSearchParams(fields) });
}

/** The one-time link on a <link-issued> page. */
export function linkOf(html) {
  const match = /class="one-time-link"><a href="([^"]+)"/.exec(html);
  return match ? match[1] : undefined;
}
