// tests/http/lib/xml.mjs — reading what the core answers.
//
// XML goes through xmllint (package libxml2-utils, which tools/deps installs
// for the tests): it checks that a document is well-formed and evaluates
// XPath on it, so the tests read documents the way a client would.
// HTML pages are HTML5, which libxml2's parser does not know; the few
// elements the tests look at are read by a small scanner over the
// serializer's output (double-quoted attributes).
//
//   await utf8(res)                   the body, failing on bytes not UTF-8
//   assertWellFormed(text)            throws with xmllint's message if not
//   xpath(text, 'string(/a/@b)')      the result of an XPath expression
//   htmlTags(html, 'link')            [{ rel: 'canonical', href: ... }, ...]
//   htmlText(html, 'h1')              text of the first <h1>, tags removed

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

function xmllint(args, input) {
  const result = spawnSync('xmllint', ['--nonet', ...args, '-'], { input, encoding: 'utf8' });
  if (result.error) {
    throw new Error(`xmllint could not run (install libxml2-utils): ${result.error.message}`);
  }
  return result;
}

/**
 * The body of a fetch() response as text, failing on bytes that are not
 * UTF-8: res.text() would replace them, hiding the fault from the parser.
 */
export async function utf8(res) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await res.arrayBuffer());
  } catch (error) {
    assert.fail(`${res.url}: the body is not UTF-8 (${error.message})`);
  }
}

/** Fail the test unless `text` is a well-formed XML document. */
export function assertWellFormed(text, what = 'the response') {
  const result = xmllint(['--noout'], text);
  assert.equal(result.status, 0, `${what} is not well-formed XML:\n${result.stderr}\n${text}`);
}

/** The string value of XPath `expr` (use string(), count() ...) on `text`. */
export function xpath(text, expr) {
  assertWellFormed(text);
  const result = xmllint(['--xpath', expr], text);
  // xmllint says "XPath set is empty" (exit 10) for an empty node-set.
  if (result.status === 10) return '';
  assert.equal(result.status, 0, `xmllint --xpath ${expr} failed:\n${result.stderr}`);
  // xmllint ends its output with one newline of its own.
  return result.stdout.replace(/\n$/, '');
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
    if (name[0] === '#') {
      return String.fromCodePoint(name[1] === 'x' || name[1] === 'X'
        ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10));
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Every <name ...> start tag in `html`, as an object of its attributes. */
export function htmlTags(html, name) {
  const tags = [];
  const tagPattern = new RegExp(`<${name}(\\s[^>]*)?>`, 'gi');
  for (const match of html.matchAll(tagPattern)) {
    const attributes = {};
    for (const attr of (match[1] ?? '').matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?/g)) {
      attributes[attr[1].toLowerCase()] = decodeEntities(attr[2] ?? '');
    }
    tags.push(attributes);
  }
  return tags;
}

/** The text inside the first <name>...</name> of `html`, or null. */
export function htmlText(html, name) {
  const match = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'i').exec(html);
  return match ? decodeEntities(match[1].replace(/<[^>]*>/g, '')) : null;
}
