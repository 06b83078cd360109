/*
 * url.h - decoding of what arrives in a URL or a form body: strict UTF-8
 * checks, percent-decoding, request path normalisation and
 * application/x-www-form-urlencoded parsing.
 *
 * Every function is pure apart from allocating on the caller's arena; what it
 * hands out lives until that arena is destroyed. Input is untrusted: every
 * function takes an explicit length, never reads past it, and runs in time
 * linear in it. Failures are the negative URL_E* codes below, meant to become
 * a 400 (URL_ENOMEM: a 500).
 */
#ifndef LABNET_URL_H
#define LABNET_URL_H

#include <stddef.h>

#include "arena.h"

#define URL_EBADESCAPE	(-1)	/* '%' not followed by two hex digits */
#define URL_ENUL	(-2)	/* a NUL byte, raw or decoded from %00 */
#define URL_EUTF8	(-3)	/* decoded bytes are not strict UTF-8 */
#define URL_EABOVEROOT	(-4)	/* a ".." that would climb above "/" */
#define URL_ESLASH	(-5)	/* an encoded slash (%2F) inside a path segment */
#define URL_ENOMEM	(-6)	/* the arena could not allocate */

/*
 * 1 if s[0..n) is strict UTF-8 (RFC 3629): no overlong forms, no surrogates
 * (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence; else 0.
 * NUL bytes are valid UTF-8 here: refusing them is the caller's business.
 */
int url_utf8_valid(const char *s, size_t n);

/*
 * Percent-decodes s[0..n) onto the arena; with plus_is_space, '+' becomes
 * ' ' (the form rule; paths keep '+'). *out is NUL-terminated and *out_len
 * (may be NULL) is the decoded length, which can differ from strlen(*out)
 * since %00 decodes to a NUL byte: callers decide whether that is allowed.
 * Returns 0, URL_EBADESCAPE or URL_ENOMEM; on failure *out is NULL.
 */
int url_decode(arena *a, const char *s, size_t n, int plus_is_space,
    char **out, size_t *out_len);

/*
 * Normalises a raw request path (no query string) to the path the router
 * sees: each segment is percent-decoded ('+' stays '+'), repeated slashes
 * collapse, "." segments go, ".." removes the segment before it. "%2e%2e"
 * counts as "..", since that is what it means once decoded. The result
 * starts with '/', ends without '/' unless it is "/" itself, and is
 * NUL-terminated on the arena. A path that does not start with '/' is
 * read as if it did.
 *
 * Returns 0, or the first problem found scanning left to right:
 * URL_EBADESCAPE, URL_ESLASH (decoded '/' in a segment), URL_ENUL,
 * URL_EUTF8, URL_EABOVEROOT, URL_ENOMEM. On failure *out is NULL.
 */
int url_normalize_path(arena *a, const char *raw, size_t n, char **out);

/*
 * Called once per key/value pair, in input order. Both strings are decoded,
 * NUL-terminated, valid UTF-8 without NUL bytes, and owned by the arena
 * given to url_parse_form() (they stay valid after it returns). Return 0 to
 * go on; anything else stops parsing and becomes url_parse_form()'s result.
 */
typedef int (*url_pair_fn)(void *ctx, const char *key, size_t key_len,
    const char *value, size_t value_len);

/*
 * Parses a query string or an application/x-www-form-urlencoded body:
 * pieces separated by '&' (empty pieces are skipped), each split at its
 * first '=' (so "a==b" is key "a", value "=b"; "a" alone has value ""; "=b"
 * has key ""), '+' decoded as space. s may be NULL when n is 0.
 *
 * Returns 0, the callback's non-zero result, URL_EBADESCAPE, URL_ENUL,
 * URL_EUTF8 or URL_ENOMEM. Pairs before a bad one have already been passed
 * on, so a caller that fails the request on error must not act on them
 * until this returns 0. Uses at most n + 1 bytes of the arena.
 */
int url_parse_form(arena *a, const char *s, size_t n, url_pair_fn fn,
    void *ctx);

/*
 * A copy of a decoded local URL (path and query) fit for a Location header
 * or an href: bytes outside printable ASCII, spaces, quotes and angle
 * brackets become %XX; everything else, including / ? & = #, is kept.
 * NULL on OOM.
 */
char *url_escape_unsafe(arena *a, const char *s);

#endif
