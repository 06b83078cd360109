// The client address: nginx's REMOTE_ADDR, unless it is a configured
// trusted proxy, in which case the rightmost X-Forwarded-For hop that is not
// itself a trusted proxy. An untrusted sender's X-Forwarded-For is ignored.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useStack } from './lib/stack.mjs';

// nginx on 127.0.0.1 is the proxy in front of the core here.
const trusting = useStack({ plugins: ['hello'], testPlugins: ['probe'], core: { trusted_proxies: '127.0.0.1 10.0.0.2' } });
const trustingNobody = useStack({ plugins: ['hello'], testPlugins: ['probe'], core: { trusted_proxies: '192.0.2.99' } });

// [X-Forwarded-For sent, client the core must see behind a trusted nginx]
const FORWARDED = [
  [null, '127.0.0.1'],
  ['203.0.113.7', '203.0.113.7'],
  ['198.51.100.1, 203.0.113.7', '203.0.113.7'],       // rightmost hop wins
  ['203.0.113.7, 10.0.0.2', '203.0.113.7'],           // a trusted hop is skipped
  ['2001:db8::1', '2001:db8::1'],
  ['<script>', '127.0.0.1'],                          // not an address
];

async function client(stack, xff) {
  const headers = { Accept: 'application/xml' };
  if (xff !== null) headers['X-Forwarded-For'] = xff;
  const res = await stack.get('/probe/echo', headers);
  const xml = await res.text();
  return xml.match(/<client>([^<]*)<\/client>/)?.[1];
}

for (const [xff, want] of FORWARDED) {
  test(`behind a trusted proxy, X-Forwarded-For ${JSON.stringify(xff)} gives ${want}`, async () => {
    assert.equal(await client(trusting, xff), want);
  });
}

test('when nginx is not a trusted proxy, X-Forwarded-For is ignored', async () => {
  assert.equal(await client(trustingNobody, '203.0.113.7'), '127.0.0.1');
  assert.equal(await client(trustingNobody, null), '127.0.0.1');
});
