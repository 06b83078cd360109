/*
 * test_httphdr.c - unit tests for core/httphdr.c: Cookie, Accept (q-value
 * negotiation, real browser headers), Accept-Language and Content-Type
 * parameters, with malformed and oversized headers. Cases are tables; the
 * long-header tests check every parser copes with 100 KB of hostile
 * input, in bounded memory.
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
#include "httphdr.h"

#define LONG_HEADER	(100 * 1024)

/* Real Accept headers of the browsers visitors use (2023-2024). */
#define ACCEPT_CHROME "text/html,application/xhtml+xml,application/xml;q=0.9," \
	"image/avif,image/webp,image/apng,*/*;q=0.8," \
	"application/signed-exchange;v=b3;q=0.7"
#define ACCEPT_FIREFOX "text/html,application/xhtml+xml,application/xml;q=0.9," \
	"image/avif,image/webp,*/*;q=0.8"
#define ACCEPT_FIREFOX_OLD "text/html,application/xhtml+xml," \
	"application/xml;q=0.9,*/*;q=0.8"
#define ACCEPT_SAFARI "text/html,application/xhtml+xml,application/xml;q=0.9," \
	"*/*;q=0.8"
#define ACCEPT_EDGE ACCEPT_CHROME
#define ACCEPT_IE11 "text/html, application/xhtml+xml, image/jxr, */*"
#define ACCEPT_IE8 "image/gif, image/jpeg, image/pjpeg, " \
	"application/x-ms-application, application/xaml+xml, " \
	"application/x-ms-xbap, */*"
#define ACCEPT_CURL "*/*"

static const char *const languages[] = {
	"en", "it", "lt", "pl", "fr", "nl", "fi", NULL
};

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

/* A header of exactly LONG_HEADER bytes: unit repeated, then tail. */
static char *
repeat(const char *unit, const char *tail)
{
	size_t unit_len = strlen(unit), tail_len = strlen(tail), n = 0;
	char *s = malloc(LONG_HEADER + 1);

	assert_non_null(s);
	while (n + unit_len + tail_len <= LONG_HEADER) {
		memcpy(s + n, unit, unit_len);
		n += unit_len;
	}
	memcpy(s + n, tail, tail_len);
	s[n + tail_len] = '\0';
	return s;
}

/* ---------------------------------------------------------------- Cookie */

#define MAX_COOKIES 16

struct cookies {
	size_t count;
	size_t total;
	const char *name[MAX_COOKIES];
	const char *value[MAX_COOKIES];
	size_t stop_after;
	int stop_with;
};

static int
collect(void *ctx, const char *name, size_t name_len, const char *value,
    size_t value_len)
{
	struct cookies *c = ctx;

	assert_int_equal(strlen(name), name_len);
	assert_int_equal(strlen(value), value_len);
	if (c->count < MAX_COOKIES) {
		c->name[c->count] = name;
		c->value[c->count] = value;
		c->count++;
	}
	c->total++;
	if (c->stop_after != 0 && c->total == c->stop_after)
		return c->stop_with;
	return 0;
}

static int
cookies(arena *a, const char *header, struct cookies *c)
{
	memset(c, 0, sizeof(*c));
	return httphdr_cookies(a, header, collect, c);
}

static void
assert_cookie(const struct cookies *c, size_t i, const char *name,
    const char *value)
{
	assert_true(i < c->count);
	assert_string_equal(c->name[i], name);
	assert_string_equal(c->value[i], value);
}

static void
test_cookies_basic(void **state)
{
	arena *a = *state;
	struct cookies c;

	assert_int_equal(cookies(a, "a=1; b=\"x y\"; c=", &c), 0);
	assert_int_equal(c.count, 3);
	assert_cookie(&c, 0, "a", "1");
	assert_cookie(&c, 1, "b", "x y");
	assert_cookie(&c, 2, "c", "");

	assert_int_equal(cookies(a,
	    "__Host-labnet_session=3q2-7w_Ab; lang=it; csrf=a%2Fb==", &c), 0);
	assert_int_equal(c.count, 3);
	assert_cookie(&c, 0, "__Host-labnet_session", "3q2-7w_Ab");
	assert_cookie(&c, 1, "lang", "it");
	assert_cookie(&c, 2, "csrf", "a%2Fb==");	/* no decoding */

	/* Duplicates all come through, in order. */
	assert_int_equal(cookies(a, "s=new; s=old", &c), 0);
	assert_int_equal(c.count, 2);
	assert_cookie(&c, 0, "s", "new");
	assert_cookie(&c, 1, "s", "old");
}

static void
test_cookies_whitespace(void **state)
{
	arena *a = *state;
	struct cookies c;

	assert_int_equal(cookies(a, "  a = 1 ;b=2\t;\tc =\t\" q \" ;  ", &c), 0);
	assert_int_equal(c.count, 3);
	assert_cookie(&c, 0, "a", "1");
	assert_cookie(&c, 1, "b", "2");
	assert_cookie(&c, 2, "c", " q ");	/* inside quotes it stays */

	assert_int_equal(cookies(a, "a=x y", &c), 0);
	assert_cookie(&c, 0, "a", "x y");
}

static void
test_cookies_malformed_pieces(void **state)
{
	arena *a = *state;
	struct cookies c;

	assert_int_equal(cookies(a,
	    "novalue; =x; a b=1; ok=1; q=\"open; r=close\"; \"=1; c=3", &c), 0);
	assert_int_equal(c.count, 3);
	assert_cookie(&c, 0, "ok", "1");
	assert_cookie(&c, 1, "r", "close\"");	/* only a leading quote pairs */
	assert_cookie(&c, 2, "c", "3");

	/* Control characters make a value malformed; the rest survives. */
	assert_int_equal(cookies(a, "a=x\x01y; b=2; c=x\ty; d=\x7f; e=5", &c), 0);
	assert_int_equal(c.count, 2);
	assert_cookie(&c, 0, "b", "2");
	assert_cookie(&c, 1, "e", "5");

	/* Separators in a name are not allowed; '=' in a value is. */
	assert_int_equal(cookies(a, "a,b=1; a(b)=2; a=b=c; x\"=1; \xc3\xa9=1",
	    &c), 0);
	assert_int_equal(c.count, 1);
	assert_cookie(&c, 0, "a", "b=c");

	/* Quotes: a lone one is unbalanced, an empty pair is "". */
	assert_int_equal(cookies(a, "a=\"; b=\"\"; c=\"x; d=x\"", &c), 0);
	assert_int_equal(c.count, 2);
	assert_cookie(&c, 0, "b", "");
	assert_cookie(&c, 1, "d", "x\"");

	/* UTF-8 and other high bytes pass untouched. */
	assert_int_equal(cookies(a, "city=\xc5\x81\xc3\xb3" "d\xc5\xba", &c), 0);
	assert_cookie(&c, 0, "city", "\xc5\x81\xc3\xb3" "d\xc5\xba");
}

static void
test_cookies_empty(void **state)
{
	static const char *const empty[] = {
		"", ";", ";;;", "   ", " ; ; ", "=", "=;=", "a", "a;b;c",
	};
	arena *a = *state;
	struct cookies c;
	size_t i;

	assert_int_equal(cookies(a, NULL, &c), 0);
	assert_int_equal(c.total, 0);
	for (i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		assert_int_equal(cookies(a, empty[i], &c), 0);
		if (c.total != 0)
			fail_msg("\"%s\" gave %zu cookies", empty[i], c.total);
	}
}

static void
test_cookies_callback_stops(void **state)
{
	arena *a = *state;
	struct cookies c;

	memset(&c, 0, sizeof(c));
	c.stop_after = 2;
	c.stop_with = -9;
	assert_int_equal(httphdr_cookies(a, "a=1; b=2; c=3", collect, &c), -9);
	assert_int_equal(c.total, 2);
}

static void
test_cookies_strings_outlive_the_header(void **state)
{
	arena *a = *state;
	struct cookies c;
	char header[] = "sid=abc; lang=fi";

	assert_int_equal(cookies(a, header, &c), 0);
	memset(header, 'x', strlen(header));
	assert_cookie(&c, 0, "sid", "abc");
	assert_cookie(&c, 1, "lang", "fi");
}

static void
test_cookies_long_headers(void **state)
{
	arena *a = *state;
	struct cookies c;
	size_t used_before;
	char *h;

	h = repeat("a=1;", "last=yes");
	used_before = arena_used(a);
	assert_int_equal(cookies(a, h, &c), 0);
	assert_int_equal(c.total, (LONG_HEADER - 8) / 4 + 1);
	assert_true(arena_used(a) - used_before <= LONG_HEADER + 1 + 16);
	free(h);

	h = repeat(";", "");
	assert_int_equal(cookies(a, h, &c), 0);
	assert_int_equal(c.total, 0);
	free(h);

	h = repeat("=", "");
	assert_int_equal(cookies(a, h, &c), 0);
	assert_int_equal(c.total, 0);
	free(h);

	h = repeat(" ", "a=\"");
	assert_int_equal(cookies(a, h, &c), 0);
	assert_int_equal(c.total, 0);
	free(h);

	h = repeat("\"", "");
	h[0] = 'v';
	h[1] = '=';
	assert_int_equal(cookies(a, h, &c), 0);
	assert_int_equal(c.total, 1);
	assert_int_equal(strlen(c.value[0]), LONG_HEADER - 4);
	free(h);

}

/* ---------------------------------------------------------------- Accept */

struct q_case {
	const char *accept;
	const char *media_type;
	double q;
};

static const struct q_case q_cases[] = {
	/* Absent, empty, or without one well-formed range: all acceptable. */
	{ NULL, "text/html", 1.0 },
	{ "", "text/csv", 1.0 },
	{ "  ,  , ", "text/csv", 1.0 },
	{ "garbage", "text/html", 1.0 },
	{ "application/xml;q=1.5", "application/xml", 1.0 },
	{ "*/*", "text/calendar", 1.0 },
	{ "*/*;q=0.1", "text/csv", 0.1 },
	{ "text/html", "text/html", 1.0 },
	{ "text/html", "text/csv", 0.0 },
	{ "text/html", "application/xml", 0.0 },
	{ "text/*;q=0.5", "text/html", 0.5 },
	{ "text/*;q=0.5", "application/xml", 0.0 },
	/* The most specific range wins, whatever the order or the q. */
	{ "text/*, text/html;q=0", "text/html", 0.0 },
	{ "text/*, text/html;q=0", "text/plain", 1.0 },
	{ "text/html;q=0.2, text/*;q=0.9, */*", "text/html", 0.2 },
	{ "*/*;q=0.3, text/*;q=0.6", "text/csv", 0.6 },
	{ "*/*;q=0.3, text/*;q=0.6", "image/png", 0.3 },
	{ "text/csv;q=0, */*", "text/csv", 0.0 },
	/* Equal ranges: the first counts. */
	{ "text/html;q=0.4, text/html;q=0.9", "text/html", 0.4 },
	/* Case-insensitive type, subtype, and q. */
	{ "TEXT/HTML;Q=0.7", "text/html", 0.7 },
	{ "text/html;q=0.7", "Text/Html", 0.7 },
	/* RFC 7231 5.3.2, with parameters in ranges and in the media type. */
	{ "text/*;q=0.3, text/html;q=0.7, text/html;level=1, "
	  "text/html;level=2;q=0.4, */*;q=0.5", "text/html;level=1", 1.0 },
	{ "text/*;q=0.3, text/html;q=0.7, text/html;level=1, "
	  "text/html;level=2;q=0.4, */*;q=0.5", "text/html", 0.7 },
	{ "text/*;q=0.3, text/html;q=0.7, text/html;level=1, "
	  "text/html;level=2;q=0.4, */*;q=0.5", "text/plain", 0.3 },
	{ "text/*;q=0.3, text/html;q=0.7, text/html;level=1, "
	  "text/html;level=2;q=0.4, */*;q=0.5", "image/jpeg", 0.5 },
	{ "text/*;q=0.3, text/html;q=0.7, text/html;level=1, "
	  "text/html;level=2;q=0.4, */*;q=0.5", "text/html;level=2", 0.4 },
	{ "text/*;q=0.3, text/html;q=0.7, text/html;level=1, "
	  "text/html;level=2;q=0.4, */*;q=0.5", "text/html;level=3", 0.7 },
	/* Parameter values compare after unquoting, case-insensitively. */
	{ "text/plain;format=\"flowed\";q=0.6, text/plain;q=0.2",
	  "text/plain;format=Flowed", 0.6 },
	{ "text/plain;a=1;b=2;q=0.6, text/plain;a=1;q=0.4",
	  "text/plain;b=2;a=1", 0.6 },
	{ "text/plain;a=1;b=2;q=0.6, text/plain;a=1;q=0.4",
	  "text/plain;a=1", 0.4 },
	{ "text/calendar;charset=utf-8", "text/calendar", 0.0 },
	/* Strict weights. */
	{ "text/html;q=1", "text/html", 1.0 },
	{ "text/html;q=1.", "text/html", 1.0 },
	{ "text/html;q=1.000", "text/html", 1.0 },
	{ "text/html;q=0", "text/html", 0.0 },
	{ "text/html;q=0.", "text/html", 0.0 },
	{ "text/html;q=0.001", "text/html", 0.001 },
	{ "text/html;q=0.999", "text/html", 0.999 },
	{ "text/html;q=0.5", "text/html", 0.5 },
	{ "text/html ; q=0.5", "text/html", 0.5 },
	{ "text/html;\tq=0.5\t", "text/html", 0.5 },
	/* Malformed weights: the range is skipped, the wildcard answers. */
	{ "text/html;q=1.5, */*;q=0.1", "text/html", 0.1 },
	{ "text/html;q=1.001, */*;q=0.1", "text/html", 0.1 },
	{ "text/html;q=2, */*;q=0.1", "text/html", 0.1 },
	{ "text/html;q=0.0001, */*;q=0.1", "text/html", 0.1 },
	{ "text/html;q=-1, */*;q=0.1", "text/html", 0.1 },
	{ "text/html;q=.5, */*;q=0.1", "text/html", 0.1 },
	{ "text/html;q=, */*;q=0.1", "text/html", 0.1 },
	{ "text/html;q=\"0.5\", */*;q=0.1", "text/html", 0.1 },
	{ "text/html;q=0.5x, */*;q=0.1", "text/html", 0.1 },
	{ "text/html;q = 0.5, */*;q=0.1", "text/html", 0.1 },
	{ "text/html;q=0,5, */*;q=0.1", "text/html", 0.0 },	/* q=0, then "5" */
	{ "text/html;q=1e0, */*;q=0.1", "text/html", 0.1 },
	{ "text/html;q=00.5, */*;q=0.1", "text/html", 0.1 },
	/* Extension parameters after the weight are ignored. */
	{ "text/html;q=0.5;ext=1", "text/html", 0.5 },
	{ "text/html;q=0.5;q=0.9", "text/html", 0.5 },
	/* Empty parameters are allowed (RFC 9110 5.6.6). */
	{ "text/html;;q=0.5", "text/html", 0.5 },
	{ "text/html;", "text/html", 1.0 },
	/* Malformed ranges are skipped. */
	{ "text, */*;q=0.1", "text/html", 0.1 },
	{ "text/, */*;q=0.1", "text/html", 0.1 },
	{ "/html, */*;q=0.1", "text/html", 0.1 },
	{ "*/html, */*;q=0.1", "text/html", 0.1 },
	{ "text/html garbage, */*;q=0.1", "text/html", 0.1 },
	{ "text / html, */*;q=0.1", "text/html", 0.1 },
	{ "text/html;level, */*;q=0.1", "text/html", 0.1 },
	/* An open quote runs to the end: nothing well-formed is left. */
	{ "text/html;a=\"open, */*;q=0.1", "text/html", 1.0 },
	{ "text/html;a=\"x\x01\", */*;q=0.1", "text/html", 0.1 },
	/* A comma inside quotes does not split the list. */
	{ "text/html;a=\"x,text/csv\", */*;q=0.1", "text/csv", 0.1 },
	{ "text/html;a=\"x\\\",text/csv\", */*;q=0.1", "text/csv", 0.1 },
	/* The media type asked about is checked too. */
	{ "*/*", "text", 0.0 },
	{ "*/*", "text/*", 0.0 },
	{ "*/*", "*/*", 0.0 },
	{ "*/*", "", 0.0 },
	{ NULL, "nonsense", 0.0 },
};

static void
test_accept_q_table(void **state)
{
	const struct q_case *c;
	size_t i;
	double q;

	(void)state;
	for (i = 0; i < sizeof(q_cases) / sizeof(q_cases[0]); i++) {
		c = &q_cases[i];
		q = httphdr_accept_q(c->accept, c->media_type);
		if (q < c->q - 1e-9 || q > c->q + 1e-9)
			fail_msg("Accept \"%s\" for %s: q %g, expected %g",
			    c->accept != NULL ? c->accept : "(null)",
			    c->media_type, q, c->q);
	}
	assert_true(httphdr_accept_q("text/html", NULL) == 0.0);
}

static void
test_accept_q_browsers(void **state)
{
	(void)state;
	assert_true(httphdr_accept_q(ACCEPT_CHROME, "text/html") == 1.0);
	assert_true(httphdr_accept_q(ACCEPT_CHROME, "application/xml") == 0.9);
	assert_true(httphdr_accept_q(ACCEPT_CHROME, "text/xml") == 0.8);
	assert_true(httphdr_accept_q(ACCEPT_CHROME, "text/csv") == 0.8);
	assert_true(httphdr_accept_q(ACCEPT_CHROME, "image/webp") == 1.0);
	assert_true(httphdr_accept_q(ACCEPT_CHROME,
	    "application/signed-exchange") == 0.8);
	assert_true(httphdr_accept_q(ACCEPT_CHROME,
	    "application/signed-exchange;v=b3") == 0.7);
	assert_true(httphdr_accept_q(ACCEPT_CURL, "text/calendar") == 1.0);
}

struct xml_case {
	const char *accept;
	int prefers_xml;
};

static const struct xml_case xml_cases[] = {
	{ ACCEPT_CHROME, 0 },
	{ ACCEPT_EDGE, 0 },
	{ ACCEPT_FIREFOX, 0 },
	{ ACCEPT_FIREFOX_OLD, 0 },
	{ ACCEPT_SAFARI, 0 },
	{ ACCEPT_IE11, 0 },
	{ ACCEPT_IE8, 0 },
	{ ACCEPT_CURL, 0 },
	{ NULL, 0 },
	{ "", 0 },
	{ "   ", 0 },
	{ "garbage", 0 },
	{ "application/xml", 1 },
	{ "text/xml", 1 },
	{ "APPLICATION/XML", 1 },
	{ "application/xml, text/html;q=0.5", 1 },
	{ "text/html;q=0.5, application/xml", 1 },
	{ "text/xml;q=0.6, text/html;q=0.5", 1 },
	{ "application/xml;q=0.2, text/xml;q=0.9, text/html;q=0.5", 1 },
	{ "application/*", 1 },
	{ "application/*;q=0.9, text/*;q=0.8", 1 },
	{ "text/*;q=0.5, application/xml", 1 },
	{ "text/*, text/html;q=0.1", 1 },	/* text/xml through the wildcard */
	{ "application/xml, */*;q=0.1", 1 },
	/* Ties go to HTML. */
	{ "text/html, application/xml", 0 },
	{ "application/xml, text/html", 0 },
	{ "application/xml;q=0.9, text/html;q=0.9", 0 },
	{ "application/xml;q=0, text/html;q=0", 0 },
	{ "text/*", 0 },
	{ "*/*;q=0.5", 0 },
	{ "application/xml;q=0", 0 },
	{ "application/xml;q=0, */*", 0 },
	{ "text/*, application/xml;q=0.5", 0 },
	{ "application/xhtml+xml", 0 },
	{ "application/json", 0 },
	/* A malformed XML range is as good as absent. */
	{ "application/xml;q=1.5, text/html;q=0.5", 0 },
	{ "application/xml;q=abc", 0 },
	{ "application/xml;q=0.9;, text/html;q=0.5", 1 },
	{ "application/xml garbage, text/html;q=0.5", 0 },
	/* A parameter-carrying range does not match the bare type. */
	{ "application/xml;charset=utf-8", 0 },
};

static void
test_prefers_xml_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(xml_cases) / sizeof(xml_cases[0]); i++) {
		if (httphdr_prefers_xml(xml_cases[i].accept) !=
		    xml_cases[i].prefers_xml)
			fail_msg("Accept \"%s\": expected %d",
			    xml_cases[i].accept != NULL ? xml_cases[i].accept :
			    "(null)", xml_cases[i].prefers_xml);
	}
}

static void
test_accept_long_headers(void **state)
{
	static const struct {
		const char *unit;
		const char *tail;
		double html_q;
		int prefers_xml;
	} cases[] = {
		{ "image/png;q=0.1, ", "application/xml", 0.0, 1 },
		{ "text/html;q=0.1, ", "application/xml", 0.1, 1 },
		{ "a/b;p=\"", "\", text/html", 1.0, 0 },
		{ "a/b;p=\",", "text/html", 1.0, 0 },
		{ ",a/b;p=\"", "text/html", 0.0, 0 },
		{ "\"", "", 1.0, 0 },
		{ ";", "", 1.0, 0 },
		{ ",", "application/xml", 0.0, 1 },
		{ " ", "", 1.0, 0 },
		{ "text/html;a=b", "", 1.0, 0 },
		{ "text/html;a=b;", "q=0.5", 1.0, 0 },
		{ "*/*;a=1", ";q=0.5, application/xml", 0.0, 1 },
		{ "\\", "", 1.0, 0 },
		{ "a/b;p=\"\\", "\"", 1.0, 0 },
		{ "t/s;q=0.5;", "", 1.0, 0 },
		{ "text/", "html", 1.0, 0 },
	};
	double q;
	size_t i;
	char *h;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		h = repeat(cases[i].unit, cases[i].tail);
		q = httphdr_accept_q(h, "text/html");
		if (q != cases[i].html_q ||
		    httphdr_prefers_xml(h) != cases[i].prefers_xml)
			fail_msg("long header %zu (\"%s\"...): html q %g",
			    i, cases[i].unit, q);
		(void)httphdr_accept_q(h, "text/html;a=b;c=d");
		free(h);
	}
}

/* ------------------------------------------------------- Accept-Language */

struct language_case {
	const char *header;
	const char *want;	/* NULL: none supported */
};

static const struct language_case language_cases[] = {
	{ "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "fr" },
	{ "fi-FI", "fi" },
	{ "fi-FI, en;q=0.5", "fi" },
	{ "it", "it" },
	{ "IT", "it" },
	{ "En-Gb", "en" },
	{ "lt-LT,lt;q=0.9,en-US;q=0.8,en;q=0.7", "lt" },
	{ "pl-PL,pl;q=0.9", "pl" },
	{ "nl-BE;q=0.9, en;q=0.5", "nl" },
	{ "de", NULL },
	{ "de-DE, es;q=0.9", NULL },
	{ "de, *;q=0.5", "en" },		/* "*": the first supported */
	{ "*", "en" },
	{ "en;q=0, *", "it" },			/* not the one refused */
	{ "en;q=0, it;q=0, *;q=0.3", "lt" },
	{ "*;q=0", NULL },
	{ "*;q=0.5, pl;q=0.4", "en" },
	{ "*;q=0.3, pl;q=0.4", "pl" },
	{ "en;q=0", NULL },
	{ "en-GB;q=0, en;q=0.5", "en" },	/* highest range naming it */
	/* Ties go to the earlier range in the header. */
	{ "nl, fr", "nl" },
	{ "fr, nl", "fr" },
	{ "fr;q=0.8, nl;q=0.8", "fr" },
	{ "*, fi", "en" },			/* the star came first */
	{ "fi, *", "fi" },
	{ "en-GB;q=0.5, it;q=0.6", "it" },
	{ "it;q=0.5, en-GB;q=0.5", "it" },
	/* A range must equal the tag or extend it with '-'. */
	{ "fil", NULL },
	{ "english", NULL },
	{ "fr_FR", NULL },			/* malformed, skipped */
	{ "fr_FR, nl;q=0.1", "nl" },
	/* Strict weights; malformed ranges skipped. */
	{ "it;q=abc, pl;q=0.1", "pl" },
	{ "it;q=1.5", NULL },
	{ "it;q=0.0001, pl;q=0.001", "pl" },
	{ "it;Q=0.2, pl;q=0.1", "it" },
	{ "it;q=0.5;q=0.6, pl;q=0.1", "pl" },
	{ "it;level=1, pl;q=0.1", "pl" },
	{ "it ; q=0.2 , pl;q=0.1", "it" },
	{ "abcdefghi, pl;q=0.1", "pl" },	/* primary subtag > 8 letters */
	{ "en-abcdefghi, pl;q=0.1", "pl" },
	{ "en-, pl;q=0.1", "pl" },
	{ "-en, pl;q=0.1", "pl" },
	{ "en--us, pl;q=0.1", "pl" },
	{ "zh-Hant-TW, fr-x-private;q=0.1", "fr" },
	{ ",, ,fr,,", "fr" },
	{ "", NULL },
	{ "   ", NULL },
	{ NULL, NULL },
};

static void
test_accept_language_table(void **state)
{
	const struct language_case *c;
	const char *got;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(language_cases) / sizeof(language_cases[0]); i++) {
		c = &language_cases[i];
		got = httphdr_accept_language(c->header, languages);
		if ((got == NULL) != (c->want == NULL) ||
		    (got != NULL && strcmp(got, c->want) != 0))
			fail_msg("Accept-Language \"%s\": got %s, expected %s",
			    c->header != NULL ? c->header : "(null)",
			    got != NULL ? got : "(none)",
			    c->want != NULL ? c->want : "(none)");
	}
}

static void
test_accept_language_supported_list(void **state)
{
	static const char *const two[] = { "it", "nl", NULL };
	static const char *const none[] = { NULL };
	static const char *const odd[] = { "", "fi", NULL };

	(void)state;
	/* The pointer handed back is the caller's own. */
	assert_ptr_equal(httphdr_accept_language("fi", languages), languages[6]);
	assert_ptr_equal(httphdr_accept_language(
	    "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", two), two[0]);
	assert_ptr_equal(httphdr_accept_language("nl;q=0.1, *;q=0.05", two),
	    two[1]);
	assert_null(httphdr_accept_language("*", none));
	assert_null(httphdr_accept_language("fi", NULL));
	assert_ptr_equal(httphdr_accept_language("*", odd), odd[1]);
}

static void
test_accept_language_long_headers(void **state)
{
	static const struct {
		const char *unit;
		const char *tail;
		const char *want;
	} cases[] = {
		{ "de;q=0.9, ", "fi;q=0.1", "fi" },
		{ "en-GB-oxendict-abcdefgh;q=0.001, ", "nl;q=0.002", "nl" },
		{ "a", ", it", "it" },
		{ ",", "pl", "pl" },
		{ ";", "", NULL },
		{ "\"", ", lt", "lt" },
		{ "fr;q=0.5;", "", NULL },
		{ "x-", "", NULL },
		{ "*;q=0, ", "", NULL },
	};
	const char *got;
	size_t i;
	char *h;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		h = repeat(cases[i].unit, cases[i].tail);
		got = httphdr_accept_language(h, languages);
		if ((got == NULL) != (cases[i].want == NULL) ||
		    (got != NULL && strcmp(got, cases[i].want) != 0))
			fail_msg("long header %zu (\"%s\"...): got %s", i,
			    cases[i].unit, got != NULL ? got : "(none)");
		free(h);
	}
}

/* ---------------------------------------------------------- Content-Type */

struct param_case {
	const char *content_type;
	const char *param;
	int rc;
	const char *want;
};

static const struct param_case param_cases[] = {
	{ "multipart/form-data; boundary=\"abc\"", "boundary", 0, "abc" },
	{ "multipart/form-data; boundary=abc", "boundary", 0, "abc" },
	{ "multipart/form-data; BOUNDARY=abc", "boundary", 0, "abc" },
	{ "multipart/form-data; boundary=abc", "Boundary", 0, "abc" },
	{ "multipart/form-data;boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
	  "boundary", 0, "----WebKitFormBoundary7MA4YWxkTrZu0gW" },
	{ "multipart/form-data; charset=utf-8; boundary=x", "boundary", 0, "x" },
	{ "multipart/form-data; boundary=x; charset=utf-8", "charset", 0,
	  "utf-8" },
	{ "  text/plain ;  charset=UTF-8  ", "charset", 0, "UTF-8" },
	{ "text/plain;\tcharset=UTF-8\t", "charset", 0, "UTF-8" },
	{ "multipart/form-data; boundary=\"a b;c,d=e\"", "boundary", 0,
	  "a b;c,d=e" },
	{ "multipart/form-data; boundary=\"a\\\"b\\\\c\"", "boundary", 0,
	  "a\"b\\c" },
	{ "multipart/form-data; boundary=\"\"", "boundary", 0, "" },
	{ "multipart/form-data; boundary=x;", "boundary", 0, "x" },
	{ "multipart/form-data;; boundary=x", "boundary", 0, "x" },
	{ "multipart/form-data; boundary=\"caf\xc3\xa9\"", "boundary", 0,
	  "caf\xc3\xa9" },
	{ "multipart/form-data", "boundary", HTTPHDR_ENOTFOUND, NULL },
	{ "multipart/form-data; charset=x", "boundary", HTTPHDR_ENOTFOUND, NULL },
	{ "multipart/form-data; boundaryx=1", "boundary", HTTPHDR_ENOTFOUND,
	  NULL },
	{ "multipart/form-data; boundary=a; boundary=b", "boundary",
	  HTTPHDR_EINVAL, NULL },
	{ "multipart/form-data; boundary=a; BOUNDARY=a", "boundary",
	  HTTPHDR_EINVAL, NULL },
	{ "multipart", "boundary", HTTPHDR_EINVAL, NULL },
	{ "", "boundary", HTTPHDR_EINVAL, NULL },
	{ "multipart/form-data boundary=x", "boundary", HTTPHDR_EINVAL, NULL },
	{ "multipart/form-data; boundary", "boundary", HTTPHDR_EINVAL, NULL },
	{ "multipart/form-data; boundary=", "boundary", HTTPHDR_EINVAL, NULL },
	{ "multipart/form-data; boundary =x", "boundary", HTTPHDR_EINVAL, NULL },
	{ "multipart/form-data; boundary= x", "boundary", HTTPHDR_EINVAL, NULL },
	{ "multipart/form-data; boundary=\"abc", "boundary", HTTPHDR_EINVAL,
	  NULL },
	{ "multipart/form-data; boundary=\"a\\", "boundary", HTTPHDR_EINVAL,
	  NULL },
	{ "multipart/form-data; boundary=\"a\x01\"", "boundary",
	  HTTPHDR_EINVAL, NULL },
	{ "multipart/form-data; boundary=a b", "boundary", HTTPHDR_EINVAL,
	  NULL },
	{ "multipart/form-data; boundary=x, text/plain", "boundary",
	  HTTPHDR_EINVAL, NULL },
	/* A malformed parameter anywhere spoils the header. */
	{ "multipart/form-data; boundary=x; junk", "boundary", HTTPHDR_EINVAL,
	  NULL },
};

static void
test_media_param_table(void **state)
{
	arena *a = *state;
	const struct param_case *c;
	char *out;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(param_cases) / sizeof(param_cases[0]); i++) {
		c = &param_cases[i];
		out = (char *)1;
		rc = httphdr_media_param(a, c->content_type, c->param, &out);
		if (rc != c->rc)
			fail_msg("\"%s\" %s: rc %d, expected %d",
			    c->content_type, c->param, rc, c->rc);
		if (c->rc != 0) {
			assert_null(out);
			continue;
		}
		if (strcmp(out, c->want) != 0)
			fail_msg("\"%s\" %s: got \"%s\", expected \"%s\"",
			    c->content_type, c->param, out, c->want);
	}
	out = (char *)1;
	assert_int_equal(httphdr_media_param(a, NULL, "boundary", &out),
	    HTTPHDR_EINVAL);
	assert_null(out);
}

static void
test_media_param_long_headers(void **state)
{
	arena *a = *state;
	char *h, *out;

	h = repeat("; a=b", "; boundary=end");
	memcpy(h, "a/b  ", 5);
	assert_int_equal(httphdr_media_param(a, h, "boundary", &out), 0);
	assert_string_equal(out, "end");
	free(h);

	h = repeat("\\\"", "\"");
	memcpy(h, "a/b;boundary=\"", 14);
	assert_int_equal(httphdr_media_param(a, h, "boundary", &out), 0);
	free(h);

	h = repeat(";", "");
	memcpy(h, "a/b", 3);
	assert_int_equal(httphdr_media_param(a, h, "boundary", &out),
	    HTTPHDR_ENOTFOUND);
	free(h);

	h = repeat("a", "");
	assert_int_equal(httphdr_media_param(a, h, "boundary", &out),
	    HTTPHDR_EINVAL);
	free(h);
}

struct media_is_case {
	const char *content_type;
	const char *type;
	int is;
};

static const struct media_is_case media_is_cases[] = {
	{ "application/x-www-form-urlencoded",
	  "application/x-www-form-urlencoded", 1 },
	{ "Application/X-WWW-Form-Urlencoded; charset=UTF-8",
	  "application/x-www-form-urlencoded", 1 },
	{ "multipart/form-data; boundary=x", "multipart/form-data", 1 },
	{ "multipart/form-data;boundary=x", "MULTIPART/FORM-DATA", 1 },
	{ " text/html ", "text/html", 1 },
	{ "text/html ;charset=utf-8", "text/html", 1 },
	{ "text/html;", "text/html", 1 },
	{ "text/html", "text/plain", 0 },
	{ "text/htmlx", "text/html", 0 },
	{ "text/html", "text/htmlx", 0 },
	{ "text/html", "text/htm", 0 },
	{ "texts/html", "text/html", 0 },
	{ "text/html", "texts/html", 0 },
	{ "text/html garbage", "text/html", 0 },
	{ "text / html", "text/html", 0 },
	{ "text/html, text/plain", "text/html", 0 },
	{ "text", "text", 0 },
	{ "text/html", "text", 0 },
	{ "", "text/html", 0 },
	{ "text/html", "", 0 },
	{ "text/*", "text/html", 0 },
};

static void
test_media_is_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(media_is_cases) / sizeof(media_is_cases[0]); i++) {
		if (httphdr_media_is(media_is_cases[i].content_type,
		    media_is_cases[i].type) != media_is_cases[i].is)
			fail_msg("\"%s\" is %s: expected %d",
			    media_is_cases[i].content_type,
			    media_is_cases[i].type, media_is_cases[i].is);
	}
	assert_int_equal(httphdr_media_is(NULL, "text/html"), 0);
	assert_int_equal(httphdr_media_is("text/html", NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cookies_basic, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_cookies_whitespace, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_cookies_malformed_pieces, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_cookies_empty, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_cookies_callback_stops, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_cookies_strings_outlive_the_header, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_cookies_long_headers, setup_arena, teardown_arena),
		cmocka_unit_test(test_accept_q_table),
		cmocka_unit_test(test_accept_q_browsers),
		cmocka_unit_test(test_prefers_xml_table),
		cmocka_unit_test(test_accept_long_headers),
		cmocka_unit_test(test_accept_language_table),
		cmocka_unit_test(test_accept_language_supported_list),
		cmocka_unit_test(test_accept_language_long_headers),
		cmocka_unit_test_setup_teardown(test_media_param_table, setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(test_media_param_long_headers, setup_arena, teardown_arena),
		cmocka_unit_test(test_media_is_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
