/*
 * test_url.c - unit tests for core/url.c: strict UTF-8, percent-decoding,
 * path normalisation and form parsing, normal cases and hostile ones.
 * Cases are tables; long-input tests check the parsers cope with 100 KB of
 * hostile input, in bounded memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "url.h"

#define LONG_INPUT	(100 * 1024)

static int
setup_arena(void **state)
{
	*state = arena_create(4096);
	return *state == NULL ? -1 : 0;
}

static int
teardown_arena(void **state)
{
	arena_destroy(*state);
	return 0;
}

/* ---------------------------------------------------------------- UTF-8 */

struct utf8_case {
	const char *bytes;
	size_t len;
	int valid;
};

#define U(lit, valid) { lit, sizeof(lit) - 1, valid }

static const struct utf8_case utf8_cases[] = {
	U("", 1),
	U("hello", 1),
	U("\x00", 1),				/* NUL is UTF-8; callers refuse it */
	U("\x7f", 1),
	U("caf\xc3\xa9", 1),			/* é, 2 bytes */
	U("\xc2\x80", 1),			/* U+0080, smallest 2-byte */
	U("\xdf\xbf", 1),			/* U+07FF */
	U("\xe2\x82\xac", 1),			/* €, 3 bytes */
	U("\xe0\xa0\x80", 1),			/* U+0800, smallest 3-byte */
	U("\xed\x9f\xbf", 1),			/* U+D7FF, just below surrogates */
	U("\xee\x80\x80", 1),			/* U+E000, just above */
	U("\xef\xbf\xbf", 1),			/* U+FFFF */
	U("\xf0\x9f\x98\x80", 1),		/* 😀, 4 bytes */
	U("\xf0\x90\x80\x80", 1),		/* U+10000, smallest 4-byte */
	U("\xf4\x8f\xbf\xbf", 1),		/* U+10FFFF, the last */
	U("\xc5\x81\xc3\xb3" "d\xc5\xba", 1),	/* Łódź */
	U("\xc0\xaf", 0),			/* overlong '/' */
	U("\xc1\xbf", 0),			/* overlong */
	U("\xc0\x80", 0),			/* overlong NUL */
	U("\xe0\x80\xaf", 0),			/* overlong '/', 3 bytes */
	U("\xe0\x9f\xbf", 0),			/* overlong U+07FF */
	U("\xf0\x80\x80\xaf", 0),		/* overlong '/', 4 bytes */
	U("\xf0\x8f\xbf\xbf", 0),		/* overlong U+FFFF */
	U("\xed\xa0\x80", 0),			/* U+D800, high surrogate */
	U("\xed\xbf\xbf", 0),			/* U+DFFF, low surrogate */
	U("\xed\xa0\xbd\xed\xb8\x80", 0),	/* CESU-8 surrogate pair */
	U("\xf4\x90\x80\x80", 0),		/* U+110000 */
	U("\xf5\x80\x80\x80", 0),
	U("\xf8\x88\x80\x80\x80", 0),		/* old 5-byte form */
	U("\xfe", 0),
	U("\xff", 0),
	U("\x80", 0),				/* lone continuation */
	U("a\xbf", 0),
	U("\xc3", 0),				/* truncated 2-byte */
	U("\xe2\x82", 0),			/* truncated 3-byte */
	U("\xf0\x9f\x98", 0),			/* truncated 4-byte */
	U("\xe2\x82" "a", 0),			/* bad continuation */
	U("\xf0\x9f\x98" "a", 0),
	U("\xc3\xc3\xa9", 0),
};

static void
test_utf8_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(utf8_cases) / sizeof(utf8_cases[0]); i++) {
		if (url_utf8_valid(utf8_cases[i].bytes, utf8_cases[i].len) !=
		    utf8_cases[i].valid)
			fail_msg("utf8 case %zu: expected %d", i,
			    utf8_cases[i].valid);
	}
}

static void
test_utf8_length_is_respected(void **state)
{
	(void)state;
	/* The valid prefix of a longer buffer is valid; cut inside, not. */
	assert_int_equal(url_utf8_valid("\xe2\x82\xac\xff", 3), 1);
	assert_int_equal(url_utf8_valid("\xe2\x82\xac", 2), 0);
	assert_int_equal(url_utf8_valid("\xf0\x9f\x98\x80", 1), 0);
	assert_int_equal(url_utf8_valid(NULL, 0), 1);
}

/* ---------------------------------------------------------- url_decode */

static void
test_decode_basic(void **state)
{
	arena *a = *state;
	char *out;
	size_t len;

	assert_int_equal(url_decode(a, "a%20b%2fc%2F", 12, 0, &out, &len), 0);
	assert_string_equal(out, "a b/c/");
	assert_int_equal(len, 6);
	assert_int_equal(url_decode(a, "%41%4a%4A%7e", 12, 0, &out, &len), 0);
	assert_string_equal(out, "AJJ~");
	assert_int_equal(url_decode(a, "", 0, 1, &out, &len), 0);
	assert_string_equal(out, "");
	assert_int_equal(len, 0);
	assert_int_equal(url_decode(a, NULL, 0, 1, &out, NULL), 0);
	assert_string_equal(out, "");
	/* Only the given length is read. */
	assert_int_equal(url_decode(a, "abc%zz", 3, 0, &out, &len), 0);
	assert_string_equal(out, "abc");
	assert_int_equal(url_decode(a, "caf%C3%A9", 9, 0, &out, &len), 0);
	assert_string_equal(out, "caf\xc3\xa9");
}

static void
test_decode_plus(void **state)
{
	arena *a = *state;
	char *out;
	size_t len;

	assert_int_equal(url_decode(a, "a+b%2B", 6, 1, &out, &len), 0);
	assert_string_equal(out, "a b+");
	assert_int_equal(url_decode(a, "a+b%2B", 6, 0, &out, &len), 0);
	assert_string_equal(out, "a+b+");
}

static void
test_decode_nul_reports_length(void **state)
{
	arena *a = *state;
	char *out;
	size_t len;

	assert_int_equal(url_decode(a, "a%00b", 5, 0, &out, &len), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(out, "a\0b", 4);
}

static void
test_decode_bad_escapes(void **state)
{
	static const struct {
		const char *s;
		size_t len;
	} bad[] = {
#define B(lit) { lit, sizeof(lit) - 1 }
		B("%"), B("%4"), B("a%"), B("a%4"), B("%zz"), B("%4g"), B("%g4"),
		B("%%"), B("%%41"), B("%-1"), B("% 41"), B("%\x00" "0"),
		B("abc%2"), B("%0x1"),
#undef B
	};
	arena *a = *state;
	char *out;
	size_t i, len;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		out = (char *)1;
		len = 99;
		if (url_decode(a, bad[i].s, bad[i].len, 0, &out, &len) !=
		    URL_EBADESCAPE)
			fail_msg("bad escape case %zu decoded", i);
		assert_null(out);
		assert_int_equal(len, 0);
	}
	/* An escape cut by the length is as bad as one cut by the end. */
	assert_int_equal(url_decode(a, "%41", 2, 0, &out, &len),
	    URL_EBADESCAPE);
}

static void
test_decode_enomem(void **state)
{
	arena *a = *state;
	char *out = (char *)1;

	/* The buffer size overflows before a byte of s is read. */
	assert_int_equal(url_decode(a, "x", SIZE_MAX, 0, &out, NULL),
	    URL_ENOMEM);
	assert_null(out);
	assert_int_equal(url_decode(a, "x", SIZE_MAX - 1, 0, &out, NULL),
	    URL_ENOMEM);
	assert_null(out);
}

/* --------------------------------------------------- url_normalize_path */

struct path_case {
	const char *raw;
	int rc;
	const char *want;	/* when rc is 0 */
};

static const struct path_case path_cases[] = {
	{ "/", 0, "/" },
	{ "", 0, "/" },
	{ "//", 0, "/" },
	{ "/labs", 0, "/labs" },
	{ "/labs/", 0, "/labs" },
	{ "/labs/fablab-torino/edit", 0, "/labs/fablab-torino/edit" },
	{ "//a///b/", 0, "/a/b" },
	{ "/a/./b/.", 0, "/a/b" },
	{ "/./", 0, "/" },
	{ "/.", 0, "/" },
	{ "/a/../b", 0, "/b" },
	{ "/a/..", 0, "/" },
	{ "/a/../", 0, "/" },
	{ "/a/b/c/../../d", 0, "/a/d" },
	{ "/a/b/../c/./d/..", 0, "/a/c" },
	{ "/a//..//b", 0, "/b" },
	{ "/...", 0, "/..." },
	{ "/a/.../b", 0, "/a/.../b" },
	{ "/..a/a..", 0, "/..a/a.." },
	{ "/.hidden", 0, "/.hidden" },
	{ "/%2e", 0, "/" },
	{ "/a/%2E%2e", 0, "/" },
	{ "/a/.%2e/b", 0, "/b" },
	{ "/a+b", 0, "/a+b" },
	{ "/a%20b", 0, "/a b" },
	{ "/a%2bb", 0, "/a+b" },
	{ "/caf%C3%A9", 0, "/caf\xc3\xa9" },
	{ "/caf\xc3\xa9", 0, "/caf\xc3\xa9" },
	{ "/%F0%9F%98%80/x", 0, "/\xf0\x9f\x98\x80/x" },
	{ "/%F4%8F%BF%BF", 0, "/\xf4\x8f\xbf\xbf" },
	{ "labs/x", 0, "/labs/x" },
	{ "/a?b", 0, "/a?b" },		/* no query here: '?' is data */
	{ "/..", URL_EABOVEROOT, NULL },
	{ "/../", URL_EABOVEROOT, NULL },
	{ "..", URL_EABOVEROOT, NULL },
	{ "/a/../../b", URL_EABOVEROOT, NULL },
	{ "/a/b/../../..", URL_EABOVEROOT, NULL },
	{ "/./..", URL_EABOVEROOT, NULL },
	{ "/%2e%2e/x", URL_EABOVEROOT, NULL },
	{ "/%2E%2E", URL_EABOVEROOT, NULL },
	{ "/.%2e/etc/passwd", URL_EABOVEROOT, NULL },
	{ "//../x", URL_EABOVEROOT, NULL },
	{ "/a%2Fb", URL_ESLASH, NULL },
	{ "/a%2fb", URL_ESLASH, NULL },
	{ "/%2F", URL_ESLASH, NULL },
	{ "/..%2F..%2Fetc", URL_ESLASH, NULL },
	{ "/a/%2e%2e%2f", URL_ESLASH, NULL },
	{ "/a%00", URL_ENUL, NULL },
	{ "/%00/x", URL_ENUL, NULL },
	{ "/a%C0%AF", URL_EUTF8, NULL },
	{ "/%C0%AE%C0%AE/x", URL_EUTF8, NULL },	/* overlong ".." */
	{ "/%ED%A0%80", URL_EUTF8, NULL },
	{ "/%F4%90%80%80", URL_EUTF8, NULL },
	{ "/%E2%82", URL_EUTF8, NULL },
	{ "/%FF", URL_EUTF8, NULL },
	{ "/\xc0\xaf", URL_EUTF8, NULL },	/* raw bytes too */
	{ "/a%zz", URL_EBADESCAPE, NULL },
	{ "/a%4", URL_EBADESCAPE, NULL },
	{ "/a%", URL_EBADESCAPE, NULL },
	{ "/a%/b", URL_EBADESCAPE, NULL },	/* the escape ends at the slash */
	/* The first problem, left to right, is the one reported. */
	{ "/..%zz", URL_EBADESCAPE, NULL },
	{ "/../%zz", URL_EABOVEROOT, NULL },
	{ "/%zz/..", URL_EBADESCAPE, NULL },
};

static void
test_normalize_table(void **state)
{
	arena *a = *state;
	const struct path_case *c;
	char *out;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(path_cases) / sizeof(path_cases[0]); i++) {
		c = &path_cases[i];
		out = (char *)1;
		rc = url_normalize_path(a, c->raw, strlen(c->raw), &out);
		if (rc != c->rc)
			fail_msg("\"%s\": rc %d, expected %d", c->raw, rc, c->rc);
		if (c->rc != 0) {
			assert_null(out);
			continue;
		}
		assert_non_null(out);
		if (strcmp(out, c->want) != 0)
			fail_msg("\"%s\": got \"%s\", expected \"%s\"", c->raw,
			    out, c->want);
	}
}

static void
test_normalize_raw_nul(void **state)
{
	arena *a = *state;
	char *out;

	assert_int_equal(url_normalize_path(a, "/a\0b", 4, &out), URL_ENUL);
	assert_null(out);
	assert_int_equal(url_normalize_path(a, "/a\0", 3, &out), URL_ENUL);
	/* Only n bytes are read: the path ends before the NUL. */
	assert_int_equal(url_normalize_path(a, "/a/\0", 3, &out), 0);
	assert_string_equal(out, "/a");
	assert_int_equal(url_normalize_path(a, "/labs/x/../y", 8, &out), 0);
	assert_string_equal(out, "/labs/x");
}

static void
test_normalize_enomem(void **state)
{
	arena *a = *state;
	char *out = (char *)1;

	assert_int_equal(url_normalize_path(a, "/", SIZE_MAX, &out),
	    URL_ENOMEM);
	assert_null(out);
	assert_int_equal(url_normalize_path(a, "/", SIZE_MAX - 2, &out),
	    URL_ENOMEM);
	assert_null(out);
}

static void
test_normalize_long_inputs(void **state)
{
	arena *a = *state;
	char *raw, *out;
	size_t i, n;
	int rc;

	raw = malloc(LONG_INPUT + 8);
	assert_non_null(raw);

	/* Many segments, then climbing all the way back down. */
	n = 0;
	while (n + 4 < LONG_INPUT / 2) {
		memcpy(raw + n, "/ab", 3);
		n += 3;
	}
	i = n / 3;
	while (i-- > 0) {
		memcpy(raw + n, "/..", 3);
		n += 3;
	}
	memcpy(raw + n, "/x", 2);
	n += 2;
	rc = url_normalize_path(a, raw, n, &out);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "/x");
	memcpy(raw + n, "/../..", 6);
	assert_int_equal(url_normalize_path(a, raw, n + 6, &out),
	    URL_EABOVEROOT);

	/* Only slashes; then only escapes; then one enormous segment. */
	memset(raw, '/', LONG_INPUT);
	assert_int_equal(url_normalize_path(a, raw, LONG_INPUT, &out), 0);
	assert_string_equal(out, "/");
	for (n = 0; n + 3 <= LONG_INPUT; n += 3)
		memcpy(raw + n, "%41", 3);
	assert_int_equal(url_normalize_path(a, raw, n, &out), 0);
	assert_int_equal(strlen(out), n / 3 + 1);
	memset(raw, 'a', LONG_INPUT);
	raw[0] = '/';
	assert_int_equal(url_normalize_path(a, raw, LONG_INPUT, &out), 0);
	assert_int_equal(strlen(out), LONG_INPUT);
	for (n = 0; n + 2 <= LONG_INPUT; n += 2)
		memcpy(raw + n, "/.", 2);
	assert_int_equal(url_normalize_path(a, raw, n, &out), 0);
	assert_string_equal(out, "/");

	free(raw);
}

/* ------------------------------------------------------- url_parse_form */

#define MAX_PAIRS 16

struct pairs {
	size_t count;
	size_t total;		/* pairs seen, also past MAX_PAIRS */
	const char *key[MAX_PAIRS];
	size_t key_len[MAX_PAIRS];
	const char *value[MAX_PAIRS];
	size_t value_len[MAX_PAIRS];
	size_t stop_after;	/* 0: never stop */
	int stop_with;
};

static int
collect(void *ctx, const char *key, size_t key_len, const char *value,
    size_t value_len)
{
	struct pairs *p = ctx;

	/* The contract: NUL-terminated, lengths agree. */
	assert_int_equal(strlen(key), key_len);
	assert_int_equal(strlen(value), value_len);
	if (p->count < MAX_PAIRS) {
		p->key[p->count] = key;
		p->key_len[p->count] = key_len;
		p->value[p->count] = value;
		p->value_len[p->count] = value_len;
		p->count++;
	}
	p->total++;
	if (p->stop_after != 0 && p->total == p->stop_after)
		return p->stop_with;
	return 0;
}

static int
parse(arena *a, const char *s, struct pairs *p)
{
	memset(p, 0, sizeof(*p));
	return url_parse_form(a, s, strlen(s), collect, p);
}

static void
assert_pair(const struct pairs *p, size_t i, const char *key,
    const char *value)
{
	assert_true(i < p->count);
	assert_string_equal(p->key[i], key);
	assert_string_equal(p->value[i], value);
}

static void
test_form_basic(void **state)
{
	arena *a = *state;
	struct pairs p;

	assert_int_equal(parse(a, "a=1&b=2&a=3", &p), 0);
	assert_int_equal(p.count, 3);
	assert_pair(&p, 0, "a", "1");
	assert_pair(&p, 1, "b", "2");
	assert_pair(&p, 2, "a", "3");

	assert_int_equal(parse(a, "q=fab+lab%21&lang=it&type=lab&type=makerspace",
	    &p), 0);
	assert_int_equal(p.count, 4);
	assert_pair(&p, 0, "q", "fab lab!");
	assert_pair(&p, 3, "type", "makerspace");
}

static void
test_form_empty_and_odd_pieces(void **state)
{
	arena *a = *state;
	struct pairs p;

	assert_int_equal(parse(a, "", &p), 0);
	assert_int_equal(p.total, 0);
	memset(&p, 0, sizeof(p));
	assert_int_equal(url_parse_form(a, NULL, 0, collect, &p), 0);
	assert_int_equal(p.total, 0);
	assert_int_equal(parse(a, "&", &p), 0);
	assert_int_equal(p.total, 0);
	assert_int_equal(parse(a, "&&&", &p), 0);
	assert_int_equal(p.total, 0);

	assert_int_equal(parse(a, "&&a=1&&b=2&&", &p), 0);
	assert_int_equal(p.count, 2);
	assert_pair(&p, 0, "a", "1");
	assert_pair(&p, 1, "b", "2");

	assert_int_equal(parse(a, "a", &p), 0);
	assert_int_equal(p.count, 1);
	assert_pair(&p, 0, "a", "");
	assert_int_equal(p.value_len[0], 0);

	assert_int_equal(parse(a, "flag&a=", &p), 0);
	assert_int_equal(p.count, 2);
	assert_pair(&p, 0, "flag", "");
	assert_pair(&p, 1, "a", "");

	assert_int_equal(parse(a, "a==b", &p), 0);
	assert_int_equal(p.count, 1);
	assert_pair(&p, 0, "a", "=b");

	assert_int_equal(parse(a, "=b", &p), 0);
	assert_int_equal(p.count, 1);
	assert_pair(&p, 0, "", "b");

	assert_int_equal(parse(a, "=", &p), 0);
	assert_int_equal(p.count, 1);
	assert_pair(&p, 0, "", "");

	assert_int_equal(parse(a, "a=1=2=3&b", &p), 0);
	assert_pair(&p, 0, "a", "1=2=3");
	assert_pair(&p, 1, "b", "");

	/* ';' is not a separator (WHATWG), just data. */
	assert_int_equal(parse(a, "a=1;b=2", &p), 0);
	assert_int_equal(p.count, 1);
	assert_pair(&p, 0, "a", "1;b=2");
}

static void
test_form_decoding(void **state)
{
	arena *a = *state;
	struct pairs p;

	assert_int_equal(parse(a, "a+b=c+d%20e&x%2By=%2B%26%3D", &p), 0);
	assert_pair(&p, 0, "a b", "c d e");
	assert_pair(&p, 1, "x+y", "+&=");

	assert_int_equal(parse(a, "city=%C5%81%C3%B3d%C5%BA&e=%E2%82%AC&s=%F0%9F%98%80",
	    &p), 0);
	assert_pair(&p, 0, "city", "\xc5\x81\xc3\xb3" "d\xc5\xba");
	assert_pair(&p, 1, "e", "\xe2\x82\xac");
	assert_pair(&p, 2, "s", "\xf0\x9f\x98\x80");

	/* Raw UTF-8 (a browser sends it escaped, but nothing forbids it). */
	assert_int_equal(parse(a, "q=caf\xc3\xa9", &p), 0);
	assert_pair(&p, 0, "q", "caf\xc3\xa9");
}

static void
test_form_errors(void **state)
{
	static const struct {
		const char *input;
		int rc;
		size_t delivered;	/* pairs passed on before the error */
	} cases[] = {
		{ "a=%", URL_EBADESCAPE, 0 },
		{ "a=%4", URL_EBADESCAPE, 0 },
		{ "a=%zz", URL_EBADESCAPE, 0 },
		{ "%zz=1", URL_EBADESCAPE, 0 },
		{ "%=1", URL_EBADESCAPE, 0 },
		{ "a=1&b=%", URL_EBADESCAPE, 1 },
		{ "a=%&b=2", URL_EBADESCAPE, 0 },
		{ "a=%00", URL_ENUL, 0 },
		{ "a%00=1", URL_ENUL, 0 },
		{ "a=x%00y", URL_ENUL, 0 },
		{ "%00", URL_ENUL, 0 },
		{ "ok=1&a=%C0%AF", URL_EUTF8, 1 },
		{ "a=%ED%A0%80", URL_EUTF8, 0 },
		{ "%ED%A0%80=x", URL_EUTF8, 0 },
		{ "a=%F4%90%80%80", URL_EUTF8, 0 },
		{ "a=%E2%82", URL_EUTF8, 0 },
		{ "a=%FF", URL_EUTF8, 0 },
		{ "a=\xc0\xaf", URL_EUTF8, 0 },
	};
	arena *a = *state;
	struct pairs p;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rc = parse(a, cases[i].input, &p);
		if (rc != cases[i].rc || p.total != cases[i].delivered)
			fail_msg("\"%s\": rc %d after %zu pairs, expected %d after %zu",
			    cases[i].input, rc, p.total, cases[i].rc,
			    cases[i].delivered);
	}
}

static void
test_form_raw_nul(void **state)
{
	arena *a = *state;
	struct pairs p;

	memset(&p, 0, sizeof(p));
	assert_int_equal(url_parse_form(a, "a=x\0y", 5, collect, &p), URL_ENUL);
	assert_int_equal(p.total, 0);
	/* n, not the terminator, bounds the input. */
	memset(&p, 0, sizeof(p));
	assert_int_equal(url_parse_form(a, "a=1&b=%", 3, collect, &p), 0);
	assert_int_equal(p.count, 1);
	assert_pair(&p, 0, "a", "1");
}

static void
test_form_callback_stops(void **state)
{
	arena *a = *state;
	struct pairs p;

	memset(&p, 0, sizeof(p));
	p.stop_after = 2;
	p.stop_with = 7;
	assert_int_equal(url_parse_form(a, "a=1&b=2&c=3", 11, collect, &p), 7);
	assert_int_equal(p.total, 2);

	memset(&p, 0, sizeof(p));
	p.stop_after = 1;
	p.stop_with = -42;
	assert_int_equal(url_parse_form(a, "a=1&b=%", 7, collect, &p), -42);
	assert_int_equal(p.total, 1);
}

static void
test_form_strings_outlive_the_call(void **state)
{
	arena *a = *state;
	struct pairs first, second;
	char input[] = "name=Fab+Lab&city=Torino";

	assert_int_equal(url_parse_form(a, input, strlen(input), collect,
	    (memset(&first, 0, sizeof(first)), &first)), 0);
	/* The strings are copies on the arena, not views into the input. */
	memset(input, 'x', strlen(input));
	assert_int_equal(parse(a, "name=other", &second), 0);
	assert_pair(&first, 0, "name", "Fab Lab");
	assert_pair(&first, 1, "city", "Torino");
}

static void
test_form_enomem(void **state)
{
	arena *a = *state;
	struct pairs p;

	memset(&p, 0, sizeof(p));
	assert_int_equal(url_parse_form(a, "a", SIZE_MAX, collect, &p),
	    URL_ENOMEM);
	assert_int_equal(url_parse_form(a, "a", SIZE_MAX - 1, collect, &p),
	    URL_ENOMEM);
	assert_int_equal(p.total, 0);
}

static void
test_form_long_inputs(void **state)
{
	arena *a = *state;
	struct pairs p;
	char *s;
	size_t n, used_before;

	s = malloc(LONG_INPUT + 1);
	assert_non_null(s);

	/* 50 000 one-letter pairs: the arena use stays within n + 1 (+align). */
	for (n = 0; n + 2 <= LONG_INPUT; n += 2)
		memcpy(s + n, "a&", 2);
	memset(&p, 0, sizeof(p));
	used_before = arena_used(a);
	assert_int_equal(url_parse_form(a, s, n, collect, &p), 0);
	assert_int_equal(p.total, n / 2);
	assert_true(arena_used(a) - used_before <= n + 1 + 16);

	memset(s, '&', LONG_INPUT);
	memset(&p, 0, sizeof(p));
	assert_int_equal(url_parse_form(a, s, LONG_INPUT, collect, &p), 0);
	assert_int_equal(p.total, 0);

	memset(s, '=', LONG_INPUT);
	memset(&p, 0, sizeof(p));
	assert_int_equal(url_parse_form(a, s, LONG_INPUT, collect, &p), 0);
	assert_int_equal(p.total, 1);
	assert_int_equal(p.value_len[0], LONG_INPUT - 1);

	for (n = 0; n + 3 <= LONG_INPUT; n += 3)
		memcpy(s + n, "%2B", 3);
	memset(&p, 0, sizeof(p));
	assert_int_equal(url_parse_form(a, s, n, collect, &p), 0);
	assert_int_equal(p.key_len[0], n / 3);

	/* A bad escape at the very end is still found. */
	memset(s, 'a', LONG_INPUT);
	s[LONG_INPUT - 1] = '%';
	memset(&p, 0, sizeof(p));
	assert_int_equal(url_parse_form(a, s, LONG_INPUT, collect, &p),
	    URL_EBADESCAPE);

	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_table),
		cmocka_unit_test(test_utf8_length_is_respected),
		cmocka_unit_test_setup_teardown(test_decode_basic, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_decode_plus, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_decode_nul_reports_length, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_decode_bad_escapes, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_decode_enomem, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_normalize_table, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_normalize_raw_nul, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_normalize_enomem, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_normalize_long_inputs, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_form_basic, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_form_empty_and_odd_pieces, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_form_decoding, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_form_errors, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_form_raw_nul, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_form_callback_stops, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_form_strings_outlive_the_call, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_form_enomem, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_form_long_inputs, setup_arena, teardown_arena),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
