// Slots: one plugin adds XML to another plugin's page without either knowing
// the other. slotfill fills the hello page's hello.aside slot; slotfail adds
// something and then fails, so its part must be left out and logged while
// the page still renders.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useStack } from './lib/stack.mjs';

const stack = useStack({ plugins: ['hello'], testPlugins: ['slotfill', 'slotfail'] });

test('a filler adds its part to another plugin page; a failing one is left out', async () => {
  const res = await stack.get('/hello/ada');
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<section class="slot-part" data-plugin="slotfill"[^>]*><h2[^>]*>From slotfill<\/h2><p>slotfill saw ada<\/p><\/section>/);
  assert.doesNotMatch(html, /slotfail/);
  assert.match(await stack.log(), /slot hello\.aside: filler of plugin slotfail failed/);
});

test('the slot in the XML: one <slot>, one <part> per successful filler', async () => {
  const xml = await (await stack.get('/hello/ada.xml')).text();
  assert.match(xml, /<slot name="hello\.aside"><part plugin="slotfill"><heading>From slotfill<\/heading><p>slotfill saw ada<\/p><\/part><\/slot>/);
  assert.equal((xml.match(/<part /g) ?? []).length, 1);
});

test('what a filler writes is text: markup in the subject is escaped', async () => {
  const html = await (await stack.get(`/hello/${encodeURIComponent('<b onclick="x()">&')}`)).text();
  assert.match(html, /slotfill saw &lt;b onclick="x\(\)"&gt;&amp;</);
  assert.doesNotMatch(html, /<b onclick/);
});
