/*
 * test_multipart.c - unit tests for core/multipart.c.
 *
 * A recorder turns the callbacks into an outcome (the parts, their data, the
 * final code and message) so that feeding one body in different chunkings
 * can be compared. Scenario bodies come first, harness next, tests last.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "arena.h"
#include "multipart.h"
#include "strbuf.h"

/* ------------------------------------------------------------ scenarios */

#define B "XyZ"
#define WEBKIT "----WebKitFormBoundary7MA4YWxkTrZu0gW"
#define LIT(s) s, sizeof(s) - 1

/*
 * File data made to look like the delimiter: CR, LF, "--", partial and
 * LF-only boundaries, a near miss on the last byte, NUL and high bytes, and
 * a trailing CR right before the real delimiter. Split literals keep hex
 * escapes from swallowing the next character.
 */
#define FILE_DATA \
	"\x89PNG\r\n\x1a\n\x00\x01\x02" "--\r\n-\r\r\n\r\n--" \
	"\r\n------WebKitFormBoundary7MA4" "\xff\xfe\r" \
	"x\n" "--" WEBKIT "\r\n" \
	"\r\n--" "----WebKitFormBoundary7MA4YWxkTrZu0gX" "--\r\n" \
	"\r\n-" "--" WEBKIT "\r\n\r\r\r\n\r\n-" "\x00" "end\r"

static const char file_data[] = FILE_DATA;

static const char body_simple[] =
	"--" B "\r\n"
	"Content-Disposition: form-data; name=\"title\"\r\n"
	"\r\n"
	"Hello, world\r\n"
	"--" B "\r\n"
	"Content-Disposition: form-data; name=\"count\"\r\n"
	"\r\n"
	"42\r\n"
	"--" B "--\r\n";

static const char body_file[] =
	"--" WEBKIT "\r\n"
	"Content-Disposition: form-data; name=\"note\"\r\n"
	"\r\n"
	"a picture\r\n"
	"--" WEBKIT "\r\n"
	"Content-Disposition: form-data; name=\"upload\"; filename=\"p.png\"\r\n"
	"Content-Type: image/png\r\n"
	"\r\n"
	FILE_DATA "\r\n"
	"--" WEBKIT "--\r\n";

static const char body_preamble[] =
	"This preamble is ignored, even --" B " not after a CRLF.\r\n"
	"\r\n-- " B "\r\n"
	"--" B " \t \r\n"
	"Content-Disposition: form-data; name=\"a\"\r\n"
	"\r\n"
	"1\r\n"
	"--" B "\t\r\n"
	"Content-Disposition: form-data; name=\"b\"\r\n"
	"\r\n"
	"2\r\n"
	"--" B "--  then an epilogue\r\n--" B "\r\nnot a part\r\n";

static const char body_empty_parts[] =
	"\r\n--" B "\r\n"
	"Content-Disposition: form-data; name=\"empty\"\r\n"
	"\r\n"
	"\r\n--" B "\r\n"
	"Content-Disposition: form-data; name=\"file\"; filename=\"\"\r\n"
	"Content-Type: application/octet-stream\r\n"
	"\r\n"
	"\r\n--" B "--";

static const char body_lookalike[] =
	"--" B "\r\n"
	"Content-Disposition: form-data; name=\"text\"\r\n"
	"\r\n"
	"x--" B "\r\n"
	"\n--" B "\r\n"
	"\r\n-" B "\r\n"
	"\r\n--XyY\r\n"
	"\r\n--Xy\r\n"
	"\t--" B "--\r\n"
	"\r\n-\r\n--" B "\r\n"
	"Content-Disposition: form-data; name=\"t2\"\r\n"
	"\r\n"
	"\r\r\r\n--" B "--";

static const char body_zero_parts[] = "--" B "--\r\n";

static const char body_truncated_data[] =
	"--" B "\r\n"
	"Content-Disposition: form-data; name=\"a\"\r\n"
	"\r\n"
	"cut short\r\n--" B;

static const char body_truncated_headers[] =
	"--" B "\r\n"
	"Content-Disposition: form-data; name=\"a\"\r\n";

static const char body_delimiter_junk[] =
	"--" B "\r\n"
	"Content-Disposition: form-data; name=\"a\"\r\n"
	"\r\n"
	"1\r\n"
	"--" B "X\r\n"
	"more\r\n"
	"--" B "--\r\n";

static const char body_bad_header[] =
	"--" B "\r\n"
	"Content-Disposition: form-data; name=\"a\"\r\n"
	"\r\n"
	"1\r\n"
	"--" B "\r\n"
	"Content-Disposition: form-data;\n name=\"b\"\r\n"
	"\r\n"
	"2\r\n"
	"--" B "--\r\n";

static const char body_three_parts[] =
	"--" B "\r\n"
	"Content-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
	"--" B "\r\n"
	"Content-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n"
	"--" B "\r\n"
	"Content-Disposition: form-data; name=\"c\"\r\n\r\n3\r\n"
	"--" B "--\r\n";

static const char body_garbage[] =
	"\xde\xad\xbe\xef\r\n\r\n-\r-\n--\r\n--X\r\n--Xy\x00Z\r\n\r\n--"
	"garbage\xff--" B "--";

static const multipart_limits limits_two_parts = { 2, 0, 0 };
static const multipart_limits limits_small_header = { 0, 64, 0 };

struct scenario {
	const char *title;
	const char *boundary;
	const char *body;
	size_t len;
	const multipart_limits *limits;
	int expect_rc;
	size_t expect_parts;	/* part_begin calls */
};

static const struct scenario scenarios[] = {
	{ "simple", B, LIT(body_simple), NULL, 0, 2 },
	{ "file", WEBKIT, LIT(body_file), NULL, 0, 2 },
	{ "preamble", B, LIT(body_preamble), NULL, 0, 2 },
	{ "empty parts", B, LIT(body_empty_parts), NULL, 0, 2 },
	{ "lookalike", B, LIT(body_lookalike), NULL, 0, 2 },
	{ "zero parts", B, LIT(body_zero_parts), NULL, 0, 0 },
	{ "empty body", B, "", 0, NULL, MULTIPART_ETRUNCATED, 0 },
	{ "truncated data", B, LIT(body_truncated_data), NULL,
	  MULTIPART_ETRUNCATED, 1 },
	{ "truncated headers", B, LIT(body_truncated_headers), NULL,
	  MULTIPART_ETRUNCATED, 0 },
	{ "delimiter junk", B, LIT(body_delimiter_junk), NULL,
	  MULTIPART_ESYNTAX, 1 },
	{ "bad header", B, LIT(body_bad_header), NULL, MULTIPART_EHEADER, 1 },
	{ "too many", B, LIT(body_three_parts), &limits_two_parts,
	  MULTIPART_ETOOMANY, 2 },
	{ "header limit", WEBKIT, LIT(body_file), &limits_small_header,
	  MULTIPART_EHEADER, 1 },
	{ "garbage", B, LIT(body_garbage), NULL, MULTIPART_ETRUNCATED, 0 },
};

#define NSCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

/* ------------------------------------------------------------ harness */

#define MAX_RECORDED 8
#define MAX_KEPT_DATA (64 * 1024)

struct recorded_part {
	char *name;
	char *filename;		/* NULL when none */
	char *content_type;	/* NULL when absent */
	strbuf data;		/* the first MAX_KEPT_DATA bytes */
	size_t nbytes;
	uint64_t hash;		/* FNV-1a of all the data */
	int ended;
};

struct outcome {
	arena *arena;		/* the recorded strings and data */
	int rc;
	char message[160];
	size_t begins;
	size_t ends;
	size_t data_bytes;
	int in_part;
	size_t nrecorded;
	struct recorded_part parts[MAX_RECORDED];
	size_t fail_begin_at;	/* 1-based part whose callback fails; 0: none */
	size_t fail_data_at;
	size_t fail_end_at;
	size_t parser_growth;	/* arena bytes the parser took after create */
};

static uint64_t
fnv1a(uint64_t hash, const char *data, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		hash ^= (unsigned char)data[i];
		hash *= 0x100000001b3ULL;
	}
	return hash;
}

static int
record_begin(void *ctx, const char *name, const char *filename,
    const char *content_type)
{
	struct outcome *o = ctx;
	struct recorded_part *rp;

	assert_false(o->in_part);
	assert_non_null(name);
	assert_true(name[0] != '\0');
	o->in_part = 1;
	o->begins++;
	if (o->begins <= MAX_RECORDED) {
		rp = &o->parts[o->nrecorded++];
		rp->name = arena_strdup(o->arena, name);
		rp->filename = filename ? arena_strdup(o->arena, filename) : NULL;
		rp->content_type = content_type ?
		    arena_strdup(o->arena, content_type) : NULL;
		strbuf_init(&rp->data, o->arena, 0);
		rp->hash = 0xcbf29ce484222325ULL;
	}
	return o->begins == o->fail_begin_at ? -1 : 0;
}

static int
record_data(void *ctx, const char *data, size_t n)
{
	struct outcome *o = ctx;
	struct recorded_part *rp;
	size_t keep;

	assert_true(o->in_part);
	assert_true(n > 0);	/* the parser never passes empty chunks */
	o->data_bytes += n;
	if (o->begins <= MAX_RECORDED) {
		rp = &o->parts[o->begins - 1];
		keep = rp->nbytes < MAX_KEPT_DATA ? MAX_KEPT_DATA - rp->nbytes : 0;
		strbuf_append(&rp->data, data, n < keep ? n : keep);
		assert_false(strbuf_failed(&rp->data));
		rp->nbytes += n;
		rp->hash = fnv1a(rp->hash, data, n);
	}
	return o->begins == o->fail_data_at ? -1 : 0;
}

static int
record_end(void *ctx)
{
	struct outcome *o = ctx;

	assert_true(o->in_part);
	o->in_part = 0;
	o->ends++;
	if (o->begins <= MAX_RECORDED)
		o->parts[o->begins - 1].ended = 1;
	return o->begins == o->fail_end_at ? -1 : 0;
}

static const multipart_callbacks recorder = {
	record_begin, record_data, record_end
};

static void
outcome_init(struct outcome *o)
{
	memset(o, 0, sizeof(*o));
	o->arena = arena_create(4096);
	assert_non_null(o->arena);
}

static void
outcome_free(struct outcome *o)
{
	arena_destroy(o->arena);
	o->arena = NULL;
}

/*
 * Feeds body: first `first` bytes, then chunks of `chunk` bytes (0: all
 * the rest at once). Every feed after an error must repeat that error, and
 * finish must too. Records the code, message and arena growth in o.
 */
static void
run(struct outcome *o, const char *boundary, const char *body, size_t len,
    const multipart_limits *limits, size_t first, size_t chunk)
{
	arena *pa;
	multipart_parser *p;
	const char *error = "unset";
	size_t pos = 0, step, before;
	int rc, first_rc = 0;

	pa = arena_create(4096);
	assert_non_null(pa);
	p = multipart_create(pa, boundary, limits, &recorder, o, &error);
	assert_non_null(p);
	assert_null(error);
	assert_string_equal(multipart_error(p), "");
	before = arena_used(pa);
	step = first < len ? first : len;
	for (;;) {
		rc = multipart_feed(p, body + pos, step);
		assert_true(rc <= 0);
		if (first_rc == 0)
			first_rc = rc;
		else
			assert_int_equal(rc, first_rc);
		pos += step;
		if (pos >= len)
			break;
		step = chunk == 0 || chunk > len - pos ? len - pos : chunk;
	}
	rc = multipart_finish(p);
	if (first_rc != 0)
		assert_int_equal(rc, first_rc);
	assert_int_equal(multipart_finish(p), rc);
	assert_int_equal(multipart_feed(p, "x", 1), rc == 0 ? 0 : rc);
	o->rc = rc;
	snprintf(o->message, sizeof(o->message), "%s", multipart_error(p));
	if (rc != 0)
		assert_true(o->message[0] != '\0');
	else
		assert_string_equal(o->message, "");
	o->parser_growth = arena_used(pa) - before;
	arena_destroy(pa);
}

static int
same_string(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* NULL if a and b are the same, else what differs. */
static const char *
outcome_diff(const struct outcome *a, const struct outcome *b)
{
	const struct recorded_part *pa, *pb;
	size_t i;

	if (a->rc != b->rc)
		return "result code";
	if (strcmp(a->message, b->message) != 0)
		return "message";
	if (a->begins != b->begins || a->ends != b->ends)
		return "number of parts";
	if (a->data_bytes != b->data_bytes)
		return "total data bytes";
	for (i = 0; i < a->nrecorded; i++) {
		pa = &a->parts[i];
		pb = &b->parts[i];
		if (!same_string(pa->name, pb->name) ||
		    !same_string(pa->filename, pb->filename) ||
		    !same_string(pa->content_type, pb->content_type))
			return "part names";
		if (pa->nbytes != pb->nbytes || pa->hash != pb->hash ||
		    pa->data.len != pb->data.len ||
		    (pa->data.len != 0 &&
		    memcmp(pa->data.data, pb->data.data, pa->data.len) != 0))
			return "part data";
		if (pa->ended != pb->ended)
			return "part end";
	}
	return NULL;
}

static void
assert_same(const struct outcome *want, const struct outcome *got,
    const char *title, const char *how, size_t arg)
{
	const char *diff = outcome_diff(want, got);

	if (diff != NULL)
		fail_msg("%s: feeding %s %zu gives a different %s (%d \"%s\" vs "
		    "%d \"%s\")", title, how, arg, diff, want->rc, want->message,
		    got->rc, got->message);
}

/* Runs a body fed whole; the caller frees o. */
static void
run_whole(struct outcome *o, const char *boundary, const char *body,
    size_t len, const multipart_limits *limits)
{
	outcome_init(o);
	run(o, boundary, body, len, limits, len, 0);
}

static void
assert_part(const struct outcome *o, size_t i, const char *name,
    const char *filename, const char *content_type, const char *data,
    size_t len)
{
	const struct recorded_part *rp;

	assert_true(i < o->nrecorded);
	rp = &o->parts[i];
	assert_string_equal(rp->name, name);
	if (filename == NULL)
		assert_null(rp->filename);
	else
		assert_string_equal(rp->filename, filename);
	if (content_type == NULL)
		assert_null(rp->content_type);
	else
		assert_string_equal(rp->content_type, content_type);
	assert_int_equal(rp->nbytes, len);
	assert_int_equal(rp->data.len, len);
	if (len != 0)
		assert_memory_equal(rp->data.data, data, len);
	assert_true(rp->ended);
}

/* "--" B CRLF, the header block, the data, CRLF "--" B "--" CRLF. */
static char *
one_part_body(arena *a, const char *headers, size_t headers_len,
    const char *data, size_t *len)
{
	strbuf sb;

	strbuf_init(&sb, a, 0);
	strbuf_puts(&sb, "--" B "\r\n");
	strbuf_append(&sb, headers, headers_len);
	strbuf_puts(&sb, data);
	strbuf_puts(&sb, "\r\n--" B "--\r\n");
	assert_false(strbuf_failed(&sb));
	*len = sb.len;
	return sb.data;
}

/* xorshift64: a fixed, portable sequence for the generated tests. */
static uint64_t
next_random(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* ------------------------------------------------------------ tests */

static void
test_bad_boundaries(void **state)
{
	static const char *const bad[] = {
		"", "a\"b", "a;b", "a\rb", "a\nb", "a\tb", "\xc3\xa9t\xc3\xa9",
		"trailing ", "back\\slash", "a*b", "semi;colon", "<tag>",
		"12345678901234567890123456789012345678901234567890123456789012345678901",
	};
	arena *a = arena_create(1024);
	const char *error;
	size_t i;

	(void)state;
	assert_non_null(a);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		error = NULL;
		if (multipart_create(a, bad[i], NULL, &recorder, NULL,
		    &error) != NULL)
			fail_msg("boundary \"%s\" accepted", bad[i]);
		assert_non_null(error);
		/* error may be NULL when the caller does not want it */
		assert_null(multipart_create(a, bad[i], NULL, NULL, NULL, NULL));
	}
	error = NULL;
	assert_null(multipart_create(a, NULL, NULL, &recorder, NULL, &error));
	assert_non_null(error);
	error = NULL;
	assert_null(multipart_create(a, B, &(multipart_limits){ 0,
	    MULTIPART_MAX_HEADER_BYTES_CAP + 1, 0 }, &recorder, NULL, &error));
	assert_non_null(error);
	arena_destroy(a);
}

static void
test_good_boundaries(void **state)
{
	static const char *const good[] = {
		"a", WEBKIT, "'()+_,-./:=? x", "--", "a b",
		"1234567890123456789012345678901234567890123456789012345678901234567890",
	};
	arena *a = arena_create(1024);
	struct outcome o;
	const char *error;
	char body[512];
	size_t i;
	int n;

	(void)state;
	assert_non_null(a);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		error = "unset";
		assert_non_null(multipart_create(a, good[i], NULL, NULL, NULL,
		    &error));
		assert_null(error);
		/* And each one works end to end, fed whole and byte by byte. */
		n = snprintf(body, sizeof(body), "--%s\r\nContent-Disposition: "
		    "form-data; name=\"f\"\r\n\r\n-- %s\r\n--%s--", good[i],
		    good[i], good[i]);
		assert_true(n > 0 && (size_t)n < sizeof(body));
		run_whole(&o, good[i], body, (size_t)n, NULL);
		assert_int_equal(o.rc, 0);
		assert_int_equal(o.begins, 1);
		outcome_free(&o);
		outcome_init(&o);
		run(&o, good[i], body, (size_t)n, NULL, 0, 1);
		assert_int_equal(o.rc, 0);
		assert_int_equal(o.begins, 1);
		outcome_free(&o);
	}
	arena_destroy(a);
}

static void
test_simple_fields(void **state)
{
	struct outcome o;

	(void)state;
	run_whole(&o, B, LIT(body_simple), NULL);
	assert_int_equal(o.rc, 0);
	assert_int_equal(o.begins, 2);
	assert_int_equal(o.ends, 2);
	assert_part(&o, 0, "title", NULL, NULL, LIT("Hello, world"));
	assert_part(&o, 1, "count", NULL, NULL, LIT("42"));
	assert_int_equal(o.parser_growth, 0);
	outcome_free(&o);
}

static void
test_file_binary(void **state)
{
	struct outcome o;

	(void)state;
	run_whole(&o, WEBKIT, LIT(body_file), NULL);
	assert_int_equal(o.rc, 0);
	assert_int_equal(o.begins, 2);
	assert_part(&o, 0, "note", NULL, NULL, LIT("a picture"));
	assert_part(&o, 1, "upload", "p.png", "image/png", file_data,
	    sizeof(file_data) - 1);
	outcome_free(&o);
}

static void
test_empty_parts(void **state)
{
	struct outcome o;

	(void)state;
	run_whole(&o, B, LIT(body_empty_parts), NULL);
	assert_int_equal(o.rc, 0);
	assert_int_equal(o.begins, 2);
	assert_int_equal(o.ends, 2);
	assert_part(&o, 0, "empty", NULL, NULL, "", 0);
	assert_part(&o, 1, "file", "", "application/octet-stream", "", 0);
	assert_int_equal(o.data_bytes, 0);
	outcome_free(&o);
}

static void
test_empty_body(void **state)
{
	struct outcome o;

	(void)state;
	run_whole(&o, B, "", 0, NULL);
	assert_int_equal(o.rc, MULTIPART_ETRUNCATED);
	assert_int_equal(o.begins, 0);
	outcome_free(&o);

	/* Only the close delimiter: a valid form with no fields. */
	run_whole(&o, B, LIT(body_zero_parts), NULL);
	assert_int_equal(o.rc, 0);
	assert_int_equal(o.begins, 0);
	outcome_free(&o);
}

static void
test_preamble_epilogue_padding(void **state)
{
	struct outcome o;

	(void)state;
	run_whole(&o, B, LIT(body_preamble), NULL);
	assert_int_equal(o.rc, 0);
	assert_int_equal(o.begins, 2);
	assert_part(&o, 0, "a", NULL, NULL, LIT("1"));
	assert_part(&o, 1, "b", NULL, NULL, LIT("2"));
	outcome_free(&o);
}

static void
test_lookalike_in_data(void **state)
{
	static const char want[] =
		"x--" B "\r\n"
		"\n--" B "\r\n"
		"\r\n-" B "\r\n"
		"\r\n--XyY\r\n"
		"\r\n--Xy\r\n"
		"\t--" B "--\r\n"
		"\r\n-";
	struct outcome o;

	(void)state;
	run_whole(&o, B, LIT(body_lookalike), NULL);
	assert_int_equal(o.rc, 0);
	assert_int_equal(o.begins, 2);
	assert_part(&o, 0, "text", NULL, NULL, LIT(want));
	assert_part(&o, 1, "t2", NULL, NULL, LIT("\r\r"));
	outcome_free(&o);
}

static void
test_truncated(void **state)
{
	static const struct {
		const char *body;
		size_t len;
		size_t begins;
		size_t ends;
	} cases[] = {
		{ LIT("no boundary at all\r\n"), 0, 0 },
		{ LIT("--" B), 0, 0 },
		{ LIT("--" B " "), 0, 0 },
		{ LIT("--" B "-"), 0, 0 },
		{ LIT("--" B "\r"), 0, 0 },
		{ LIT("--" B "\r\n"), 0, 0 },
		{ LIT("--" B "\r\nContent-Disposition: form-data; name=a\r\n\r"),
		  0, 0 },
		{ LIT("--" B "\r\nContent-Disposition: form-data; name=a\r\n\r\n"),
		  1, 0 },
		{ LIT(body_truncated_data), 1, 0 },
		{ LIT(body_truncated_headers), 0, 0 },
		/* A whole part, then its delimiter but never the close one:
		 * the delimiter line ends the part, the body is still cut. */
		{ LIT("--" B "\r\nContent-Disposition: form-data; name=a\r\n\r\n"
		      "v\r\n--" B "\r\n"), 1, 1 },
	};
	struct outcome o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_whole(&o, B, cases[i].body, cases[i].len, NULL);
		if (o.rc != MULTIPART_ETRUNCATED)
			fail_msg("case %zu: %d \"%s\"", i, o.rc, o.message);
		assert_int_equal(o.begins, cases[i].begins);
		assert_int_equal(o.ends, cases[i].ends);
		outcome_free(&o);
	}
}

static void
test_delimiter_junk(void **state)
{
	static const struct {
		const char *body;
		size_t len;
	} cases[] = {
		{ LIT(body_delimiter_junk) },
		{ LIT("--" B "x\r\n") },
		{ LIT("--" B "-x") },
		{ LIT("--" B " x\r\n") },
		{ LIT("--" B "\rx") },
		{ LIT("--" B " \r\r\n") },
		{ LIT("preamble\r\n--" B "\n") },
	};
	struct outcome o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_whole(&o, B, cases[i].body, cases[i].len, NULL);
		if (o.rc != MULTIPART_ESYNTAX)
			fail_msg("case %zu: %d \"%s\"", i, o.rc, o.message);
		assert_int_equal(o.ends, 0);
		outcome_free(&o);
	}
}

static void
test_garbage(void **state)
{
	char noise[4096];
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	struct outcome o;
	size_t i;

	(void)state;
	run_whole(&o, B, LIT(body_garbage), NULL);
	assert_int_equal(o.rc, MULTIPART_ETRUNCATED);
	assert_int_equal(o.begins, 0);
	outcome_free(&o);

	for (i = 0; i < sizeof(noise); i++)
		noise[i] = (char)next_random(&seed);
	run_whole(&o, B, noise, sizeof(noise), NULL);
	assert_int_equal(o.rc, MULTIPART_ETRUNCATED);
	assert_int_equal(o.begins, 0);
	outcome_free(&o);

	/* A real boundary, then noise where headers should be. */
	memcpy(noise, "--" B "\r\n", 7);
	run_whole(&o, B, noise, sizeof(noise), NULL);
	assert_int_equal(o.rc, MULTIPART_EHEADER);
	assert_int_equal(o.begins, 0);
	outcome_free(&o);
}

static void
test_too_many_parts(void **state)
{
	struct outcome o;

	(void)state;
	run_whole(&o, B, LIT(body_three_parts), &limits_two_parts);
	assert_int_equal(o.rc, MULTIPART_ETOOMANY);
	assert_int_equal(o.begins, 2);
	assert_int_equal(o.ends, 2);
	assert_non_null(strstr(o.message, "more than 2 parts"));
	outcome_free(&o);

	/* Exactly at the limit is fine. */
	run_whole(&o, B, LIT(body_three_parts),
	    &(multipart_limits){ 3, 0, 0 });
	assert_int_equal(o.rc, 0);
	assert_int_equal(o.begins, 3);
	assert_part(&o, 2, "c", NULL, NULL, LIT("3"));
	outcome_free(&o);
}

static void
test_ten_thousand_parts(void **state)
{
	static const char part[] = "--" B "\r\n"
	    "Content-Disposition: form-data; name=\"f\"\r\n\r\nv\r\n";
	const size_t nparts = 10000, partlen = sizeof(part) - 1;
	const multipart_limits limits = { 1000, 0, 0 };
	arena *a = arena_create(64 * 1024);
	struct outcome o;
	struct timespec t0, t1;
	multipart_parser *p;
	strbuf sb;
	size_t i, pos, failed_at = 0;
	double seconds;
	int rc = 0;

	(void)state;
	assert_non_null(a);
	strbuf_init(&sb, a, 0);
	for (i = 0; i < nparts; i++)
		strbuf_append(&sb, part, partlen);
	strbuf_puts(&sb, "--" B "--\r\n");
	assert_false(strbuf_failed(&sb));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_whole(&o, B, sb.data, sb.len, &limits);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(o.rc, MULTIPART_ETOOMANY);
	assert_int_equal(o.begins, 1000);
	assert_int_equal(o.ends, 1000);
	assert_int_equal(o.data_bytes, 1000);
	assert_non_null(strstr(o.message, "more than 1000 parts"));
	assert_int_equal(o.parser_growth, 0);
	seconds = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(seconds < 2.0);	/* generous: it takes milliseconds */
	outcome_free(&o);

	/*
	 * The parser stops at the delimiter line that would open part 1001,
	 * not at the end of the body: fed in 1 KiB chunks, the error comes in
	 * the chunk holding that line, and the chunks after it cost nothing.
	 */
	outcome_init(&o);
	p = multipart_create(a, B, &limits, &recorder, &o, NULL);
	assert_non_null(p);
	for (pos = 0; pos < sb.len; pos += 1024) {
		rc = multipart_feed(p, sb.data + pos,
		    sb.len - pos < 1024 ? sb.len - pos : 1024);
		if (rc != 0 && failed_at == 0)
			failed_at = pos;
	}
	assert_int_equal(rc, MULTIPART_ETOOMANY);
	/* The LF ending "--" B CRLF of part 1001 is where it stops. */
	assert_true(failed_at <= 1000 * partlen + 6);
	assert_true(failed_at + 1024 > 1000 * partlen + 6);
	assert_int_equal(multipart_finish(p), MULTIPART_ETOOMANY);
	assert_int_equal(o.begins, 1000);
	outcome_free(&o);

	/* With room for all of them, all 10,000 come through. */
	run_whole(&o, B, sb.data, sb.len, &(multipart_limits){ 10000, 0, 0 });
	assert_int_equal(o.rc, 0);
	assert_int_equal(o.begins, nparts);
	assert_int_equal(o.ends, nparts);
	assert_int_equal(o.parser_growth, 0);
	outcome_free(&o);
	arena_destroy(a);
}

/* A header block of exactly total bytes, blank line included. */
static char *
header_block_of(arena *a, size_t total, size_t *len)
{
	static const char head[] = "Content-Disposition: form-data; name=\"";
	static const char tail[] = "\"\r\n\r\n";
	size_t fill = total - (sizeof(head) - 1) - (sizeof(tail) - 1);
	char *block = arena_alloc(a, total + 1);

	assert_non_null(block);
	memcpy(block, head, sizeof(head) - 1);
	memset(block + sizeof(head) - 1, 'n', fill);
	memcpy(block + sizeof(head) - 1 + fill, tail, sizeof(tail) - 1);
	block[total] = '\0';
	*len = total;
	return block;
}

static void
test_header_too_large(void **state)
{
	const multipart_limits limits = { 0, 64, 0 };
	arena *a = arena_create(4096);
	struct outcome o;
	char *block, *body;
	size_t block_len, len, i;
	multipart_parser *p;
	size_t before;

	(void)state;
	assert_non_null(a);
	/* 64 bytes exactly: accepted, fed whole and byte by byte. */
	block = header_block_of(a, 64, &block_len);
	body = one_part_body(a, block, block_len, "v", &len);
	run_whole(&o, B, body, len, &limits);
	assert_int_equal(o.rc, 0);
	assert_int_equal(strlen(o.parts[0].name), 64 - 38 - 5);
	outcome_free(&o);
	outcome_init(&o);
	run(&o, B, body, len, &limits, 0, 1);
	assert_int_equal(o.rc, 0);
	outcome_free(&o);

	/* 65 bytes: refused. */
	block = header_block_of(a, 65, &block_len);
	body = one_part_body(a, block, block_len, "v", &len);
	run_whole(&o, B, body, len, &limits);
	assert_int_equal(o.rc, MULTIPART_EHEADER);
	assert_int_equal(o.begins, 0);
	assert_non_null(strstr(o.message, "longer than 64 bytes"));
	outcome_free(&o);

	/* The default limit, and a block that never ends: refused early, with
	 * no memory taken whatever is fed after. */
	block = header_block_of(a, 9000, &block_len);
	body = one_part_body(a, block, block_len, "v", &len);
	run_whole(&o, B, body, len, NULL);
	assert_int_equal(o.rc, MULTIPART_EHEADER);
	outcome_free(&o);

	p = multipart_create(a, B, NULL, NULL, NULL, NULL);
	assert_non_null(p);
	before = arena_used(a);
	assert_int_equal(multipart_feed(p, LIT("--" B "\r\nX-Long: ")), 0);
	for (i = 0; i < 8192 && multipart_feed(p, block + 40, 1000) == 0; i++)
		;
	assert_int_equal(i, 8);
	assert_int_equal(multipart_feed(p, "a", 1), MULTIPART_EHEADER);
	assert_int_equal(arena_used(a), before);
	arena_destroy(a);
}

static void
test_too_many_header_lines(void **state)
{
	static const char three[] =
		"Content-Disposition: form-data; name=\"a\"\r\n"
		"X-One: 1\r\n"
		"X-Two: 2\r\n"
		"\r\n";
	static const char four[] =
		"Content-Disposition: form-data; name=\"a\"\r\n"
		"X-One: 1\r\n"
		"X-Two: 2\r\n"
		"X-Three: 3\r\n"
		"\r\n";
	const multipart_limits limits = { 0, 0, 3 };
	arena *a = arena_create(4096);
	struct outcome o;
	char *body;
	size_t len;

	(void)state;
	assert_non_null(a);
	body = one_part_body(a, LIT(three), "v", &len);
	run_whole(&o, B, body, len, &limits);
	assert_int_equal(o.rc, 0);
	outcome_free(&o);

	body = one_part_body(a, LIT(four), "v", &len);
	run_whole(&o, B, body, len, &limits);
	assert_int_equal(o.rc, MULTIPART_EHEADER);
	assert_non_null(strstr(o.message, "more than 3 header lines"));
	outcome_free(&o);
	arena_destroy(a);
}

static void
test_header_refusals(void **state)
{
#define CD "Content-Disposition: form-data"
	static const struct {
		const char *block;
		size_t len;
	} bad[] = {
		{ LIT("\r\n") },
		{ LIT("Content-Type: text/plain\r\n\r\n") },
		{ LIT(CD "\r\n\r\n") },
		{ LIT(CD "; filename=\"a.txt\"\r\n\r\n") },
		{ LIT(CD "; name=\"\"\r\n\r\n") },
		{ LIT("Content-Disposition: attachment; name=\"a\"\r\n\r\n") },
		{ LIT("Content-Disposition: form-datax; name=\"a\"\r\n\r\n") },
		{ LIT("Content-Disposition: ; name=\"a\"\r\n\r\n") },
		{ LIT(CD ";\r\n name=\"a\"\r\n\r\n") },
		{ LIT(CD "; name=\"a\"\r\nX-A: 1\r\n\tcontinued\r\n\r\n") },
		{ LIT(" " CD "; name=\"a\"\r\n\r\n") },
		{ LIT(CD "; name=\"a\0b\"\r\n\r\n") },
		{ LIT(CD "; name=\"a\"\r\nX-A: \0\r\n\r\n") },
		{ LIT(CD "; name=\"a\rb\"\r\n\r\n") },
		{ LIT(CD "; name=\"a\nb\"\r\n\r\n") },
		{ LIT(CD "; name=\"a\"\n\n") },
		{ LIT(CD "; name=\"a\"\r\n\n") },
		{ LIT(CD "; name=\"a\"\r\r\n\r\n") },
		{ LIT(CD "; name=\"a\x01\"\r\n\r\n") },
		{ LIT(CD "; name=\"a\x1b[31m\"\r\n\r\n") },
		{ LIT(CD "; name=\"a\x7f\"\r\n\r\n") },
		{ LIT("Content-Disposition form-data; name=\"a\"\r\n\r\n") },
		{ LIT("Content-Disposition : form-data; name=\"a\"\r\n\r\n") },
		{ LIT(": form-data; name=\"a\"\r\n\r\n") },
		{ LIT("Content Disposition: form-data; name=\"a\"\r\n\r\n") },
		{ LIT(CD "; name=\"a\"\r\n" CD "; name=\"b\"\r\n\r\n") },
		{ LIT(CD "; name=\"a\"; name=\"b\"\r\n\r\n") },
		{ LIT(CD "; name=\"a\"; NAME=\"a\"\r\n\r\n") },
		{ LIT(CD "; name=\"a\"; filename=\"x\"; filename=\"y\"\r\n\r\n") },
		{ LIT(CD "; name=\"a\r\n\r\n") },
		{ LIT(CD "; name=\"a\\\r\n\r\n") },
		{ LIT(CD "; name=; filename=\"x\"\r\n\r\n") },
		{ LIT(CD "; name\r\n\r\n") },
		{ LIT(CD "; =\"a\"\r\n\r\n") },
		{ LIT(CD "; name=\"a\" filename=\"b\"\r\n\r\n") },
		{ LIT(CD "; name=a b\r\n\r\n") },
		{ LIT(CD "; name=a\"b\"\r\n\r\n") },
		{ LIT(CD "; name=\"a\"\r\nContent-Type: a/b\r\n"
		      "Content-Type: c/d\r\n\r\n") },
		{ LIT(CD "; name=\"a\"\r\nContent-Type:  \t \r\n\r\n") },
	};
#undef CD
	arena *a = arena_create(4096);
	struct outcome o;
	char *body;
	size_t len, i;

	(void)state;
	assert_non_null(a);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		body = one_part_body(a, bad[i].block, bad[i].len, "v", &len);
		run_whole(&o, B, body, len, NULL);
		if (o.rc != MULTIPART_EHEADER || o.begins != 0)
			fail_msg("header case %zu accepted: %d \"%s\"", i, o.rc,
			    o.message);
		outcome_free(&o);
	}
	arena_destroy(a);
}

static void
test_header_parsing(void **state)
{
	static const struct {
		const char *block;
		const char *name;
		const char *filename;
		const char *content_type;
	} good[] = {
		{ "CONTENT-DISPOSITION: FORM-DATA; NAME=\"Field\"; "
		  "FileName=\"a.txt\"\r\ncontent-TYPE: text/plain; charset=utf-8"
		  "\r\n\r\n", "Field", "a.txt", "text/plain; charset=utf-8" },
		{ "Content-Disposition: form-data; name=field1; filename=a.txt"
		  "\r\n\r\n", "field1", "a.txt", NULL },
		{ "Content-Disposition: form-data; name=\"a\\\"b\\\\c\"; "
		  "filename=\"C:\\dir\\f.txt\"\r\n\r\n", "a\"b\\c", "C:dirf.txt",
		  NULL },
		{ "Content-Disposition: form-data; name=\"f\"; "
		  "filename*=UTF-8''%e2%82%ac.txt\r\n\r\n", "f", NULL, NULL },
		{ "Content-Disposition: form-data; name=\"f\"; "
		  "filename*=\"UTF-8''x.txt\"; filename=\"euro.txt\"\r\n\r\n",
		  "f", "euro.txt", NULL },
		{ "Content-Disposition: form-data; foo=bar; name=\"x\"; "
		  "baz=\"q;\\\"uux\"\r\n\r\n", "x", NULL, NULL },
		{ "Content-Disposition:form-data ;name = \"x\" ;\t\r\n\r\n", "x",
		  NULL, NULL },
		{ "X-Whatever: stuff\r\nContent-Transfer-Encoding: base64\r\n"
		  "Content-Disposition: form-data; name=\"x\"\r\nX-Empty:\r\n\r\n",
		  "x", NULL, NULL },
		{ "Content-Type:   image/png  \t\r\n"
		  "Content-Disposition: form-data; name=\"img\"; "
		  "filename=\"r\xc3\xa9sum\xc3\xa9 \\\"1\\\";.png\"\r\n\r\n",
		  "img", "r\xc3\xa9sum\xc3\xa9 \"1\";.png", "image/png" },
		{ "Content-Disposition: form-data; name=\"tab\tin\"\r\n\r\n",
		  "tab\tin", NULL, NULL },
	};
	arena *a = arena_create(4096);
	struct outcome o;
	char *body;
	size_t len, i;

	(void)state;
	assert_non_null(a);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		body = one_part_body(a, good[i].block, strlen(good[i].block),
		    "data", &len);
		run_whole(&o, B, body, len, NULL);
		if (o.rc != 0)
			fail_msg("header case %zu refused: %d \"%s\"", i, o.rc,
			    o.message);
		assert_int_equal(o.begins, 1);
		assert_part(&o, 0, good[i].name, good[i].filename,
		    good[i].content_type, LIT("data"));
		outcome_free(&o);
	}
	arena_destroy(a);
}

static void
test_callback_errors(void **state)
{
	struct outcome o;

	(void)state;
	outcome_init(&o);
	o.fail_begin_at = 2;
	run(&o, B, LIT(body_simple), NULL, sizeof(body_simple) - 1, 0);
	assert_int_equal(o.rc, MULTIPART_ECALLBACK);
	assert_int_equal(o.begins, 2);
	assert_int_equal(o.ends, 1);
	assert_int_equal(o.data_bytes, strlen("Hello, world"));
	assert_non_null(strstr(o.message, "part_begin"));
	outcome_free(&o);

	outcome_init(&o);
	o.fail_data_at = 1;
	run(&o, B, LIT(body_simple), NULL, 0, 1);
	assert_int_equal(o.rc, MULTIPART_ECALLBACK);
	assert_int_equal(o.begins, 1);
	assert_int_equal(o.ends, 0);
	assert_int_equal(o.data_bytes, 1);	/* byte by byte: stopped at once */
	assert_non_null(strstr(o.message, "part_data"));
	outcome_free(&o);

	outcome_init(&o);
	o.fail_end_at = 1;
	run(&o, B, LIT(body_simple), NULL, sizeof(body_simple) - 1, 0);
	assert_int_equal(o.rc, MULTIPART_ECALLBACK);
	assert_int_equal(o.begins, 1);
	assert_int_equal(o.ends, 1);
	assert_non_null(strstr(o.message, "part_end"));
	outcome_free(&o);

	/* The close delimiter's part_end failing counts too. */
	outcome_init(&o);
	o.fail_end_at = 2;
	run(&o, B, LIT(body_simple), NULL, sizeof(body_simple) - 1, 0);
	assert_int_equal(o.rc, MULTIPART_ECALLBACK);
	assert_int_equal(o.ends, 2);
	outcome_free(&o);
}

static void
test_sticky_errors(void **state)
{
	arena *a = arena_create(4096);
	struct outcome o;
	multipart_parser *p;
	char message[160];

	(void)state;
	assert_non_null(a);
	outcome_init(&o);
	p = multipart_create(a, B, NULL, &recorder, &o, NULL);
	assert_non_null(p);
	assert_int_equal(multipart_feed(p, LIT("--" B "!")), MULTIPART_ESYNTAX);
	snprintf(message, sizeof(message), "%s", multipart_error(p));
	assert_int_equal(multipart_feed(p, LIT(body_simple)), MULTIPART_ESYNTAX);
	assert_int_equal(multipart_feed(p, NULL, 0), MULTIPART_ESYNTAX);
	assert_int_equal(multipart_finish(p), MULTIPART_ESYNTAX);
	assert_string_equal(multipart_error(p), message);
	assert_int_equal(o.begins, 0);
	outcome_free(&o);

	/* A truncated finish is sticky too. */
	p = multipart_create(a, B, NULL, NULL, NULL, NULL);
	assert_non_null(p);
	assert_int_equal(multipart_feed(p, NULL, 0), 0);
	assert_int_equal(multipart_finish(p), MULTIPART_ETRUNCATED);
	assert_int_equal(multipart_feed(p, LIT(body_simple)),
	    MULTIPART_ETRUNCATED);
	assert_int_equal(multipart_finish(p), MULTIPART_ETRUNCATED);
	arena_destroy(a);
}

static void
test_null_callbacks(void **state)
{
	arena *a = arena_create(4096);
	multipart_parser *p;

	(void)state;
	assert_non_null(a);
	p = multipart_create(a, WEBKIT, NULL, NULL, NULL, NULL);
	assert_non_null(p);
	assert_int_equal(multipart_feed(p, LIT(body_file)), 0);
	assert_int_equal(multipart_finish(p), 0);
	p = multipart_create(a, B, NULL, &(multipart_callbacks){ 0 }, NULL,
	    NULL);
	assert_non_null(p);
	assert_int_equal(multipart_feed(p, LIT(body_simple)), 0);
	assert_int_equal(multipart_finish(p), 0);
	arena_destroy(a);
}

/*
 * The central property: however a body is cut into chunks, the parts, their
 * data, the code and the message are exactly those of feeding it whole.
 */
static void
test_split_equivalence(void **state)
{
	static const size_t chunks[] = { 1, 2, 3, 5, 7, 13, 64 };
	const struct scenario *s;
	struct outcome whole, cut;
	size_t i, k, c;

	(void)state;
	for (i = 0; i < NSCENARIOS; i++) {
		s = &scenarios[i];
		run_whole(&whole, s->boundary, s->body, s->len, s->limits);
		if (whole.rc != s->expect_rc || whole.begins != s->expect_parts)
			fail_msg("%s: got %d \"%s\" with %zu parts", s->title,
			    whole.rc, whole.message, whole.begins);
		for (k = 0; k <= s->len; k++) {
			outcome_init(&cut);
			run(&cut, s->boundary, s->body, s->len, s->limits, k, 0);
			assert_same(&whole, &cut, s->title, "split at", k);
			outcome_free(&cut);
		}
		for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
			outcome_init(&cut);
			run(&cut, s->boundary, s->body, s->len, s->limits, 0,
			    chunks[c]);
			assert_same(&whole, &cut, s->title, "in chunks of",
			    chunks[c]);
			outcome_free(&cut);
		}
		outcome_free(&whole);
	}
}

/*
 * Mutated scenarios (bytes changed, dropped or repeated, biased towards the
 * bytes that matter) must still parse the same in any chunking, and never
 * crash or trip the sanitizers.
 */
static void
test_mutations(void **state)
{
	static const char interesting[] = "\r\n- \t\"\\;=:\0XyZ";
	uint64_t seed = 0x2545f4914f6cdd1dULL;
	const struct scenario *s;
	struct outcome whole, cut;
	char buf[2048];
	size_t iter, m, len, at, k;

	(void)state;
	for (iter = 0; iter < 3000; iter++) {
		s = &scenarios[next_random(&seed) % NSCENARIOS];
		if (s->len == 0 || s->len > sizeof(buf) / 2)
			continue;
		memcpy(buf, s->body, s->len);
		len = s->len;
		for (m = 1 + next_random(&seed) % 3; m > 0; m--) {
			at = next_random(&seed) % len;
			switch (next_random(&seed) % 4) {
			case 0:
				buf[at] = (char)next_random(&seed);
				break;
			case 1:
				buf[at] = interesting[next_random(&seed) %
				    (sizeof(interesting) - 1)];
				break;
			case 2:
				if (len > 1) {
					memmove(buf + at, buf + at + 1,
					    len - at - 1);
					len--;
				}
				break;
			default:
				k = 1 + next_random(&seed) % 16;
				if (k > len - at)
					k = len - at;
				if (len + k <= sizeof(buf)) {
					memmove(buf + at + k, buf + at, len - at);
					len += k;
				}
				break;
			}
		}
		run_whole(&whole, s->boundary, buf, len, s->limits);
		outcome_init(&cut);
		run(&cut, s->boundary, buf, len, s->limits, 0, 1);
		assert_same(&whole, &cut, s->title, "mutation byte by byte", iter);
		outcome_free(&cut);
		for (m = 0; m < 4; m++) {
			k = next_random(&seed) % (len + 1);
			outcome_init(&cut);
			run(&cut, s->boundary, buf, len, s->limits, k,
			    1 + next_random(&seed) % 32);
			assert_same(&whole, &cut, s->title, "mutation chunked",
			    iter);
			outcome_free(&cut);
		}
		outcome_free(&whole);
	}
}

/*
 * Memory does not grow with the body: 8 MiB of delimiter-like noise in one
 * file part, fed in 4 KiB chunks, takes no arena memory after create, and
 * every byte comes out.
 */
static void
test_constant_memory(void **state)
{
	static const char head[] = "--" WEBKIT "\r\n"
	    "Content-Disposition: form-data; name=\"big\"; filename=\"b\"\r\n"
	    "\r\n";
	static const char tail[] = "\r\n--" WEBKIT "--\r\n";
	static const char pieces[][24] = {
		"\r", "\n", "\r\n", "--", "\r\n--", "\r\n------WebKit",
		"\r\n------WebKitFormBo", "x",
	};
	const size_t data_len = 8u << 20;
	arena *a = arena_create(64 * 1024);
	struct outcome o;
	uint64_t seed = 42, hash = 0xcbf29ce484222325ULL;
	char *body, *data;
	size_t len, pos, n;
	const char *piece;

	(void)state;
	assert_non_null(a);
	len = sizeof(head) - 1 + data_len + sizeof(tail) - 1;
	body = arena_alloc(a, len);
	assert_non_null(body);
	memcpy(body, head, sizeof(head) - 1);
	data = body + sizeof(head) - 1;
	for (pos = 0; pos < data_len; pos += n) {
		piece = pieces[next_random(&seed) %
		    (sizeof(pieces) / sizeof(pieces[0]))];
		n = strlen(piece);
		if (n > data_len - pos)
			n = data_len - pos;
		memcpy(data + pos, piece, n);
	}
	memcpy(data + data_len, tail, sizeof(tail) - 1);
	hash = fnv1a(hash, data, data_len);

	outcome_init(&o);
	run(&o, WEBKIT, body, len, NULL, 4096, 4096);
	assert_int_equal(o.rc, 0);
	assert_int_equal(o.begins, 1);
	assert_int_equal(o.data_bytes, data_len);
	assert_true(o.parts[0].hash == hash);
	assert_int_equal(o.parser_growth, 0);
	outcome_free(&o);
	arena_destroy(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_boundaries),
		cmocka_unit_test(test_good_boundaries),
		cmocka_unit_test(test_simple_fields),
		cmocka_unit_test(test_file_binary),
		cmocka_unit_test(test_empty_parts),
		cmocka_unit_test(test_empty_body),
		cmocka_unit_test(test_preamble_epilogue_padding),
		cmocka_unit_test(test_lookalike_in_data),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_delimiter_junk),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_too_many_parts),
		cmocka_unit_test(test_ten_thousand_parts),
		cmocka_unit_test(test_header_too_large),
		cmocka_unit_test(test_too_many_header_lines),
		cmocka_unit_test(test_header_refusals),
		cmocka_unit_test(test_header_parsing),
		cmocka_unit_test(test_callback_errors),
		cmocka_unit_test(test_sticky_errors),
		cmocka_unit_test(test_null_callbacks),
		cmocka_unit_test(test_split_equivalence),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_constant_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
