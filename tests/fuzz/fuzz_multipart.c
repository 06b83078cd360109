/*
 * fuzz_multipart.c - the streaming multipart/form-data parser.
 *
 * Input: a flags byte (bit 0: tight limits), two bytes choosing split
 * points, the boundary up to a newline, then the body. The body is parsed
 * three ways: fed whole, fed one byte at a time, and fed in three chunks cut
 * at the chosen points. All three must give the same parts (names,
 * filenames, types, data) and the same result and message, or the harness
 * aborts: a streaming parser must not care where the network cut the body.
 */
#include "fuzz.h"

#include "arena.h"
#include "multipart.h"

/* What one parse produced, as a flat record that can be compared. */
struct outcome {
	char *log;
	size_t len, cap;
	int in_part;
	int rc;
	char message[128];
};

static void
log_put(struct outcome *o, const void *data, size_t n)
{
	char *grown;

	if (o->len + n > o->cap) {
		o->cap = (o->len + n) * 2 + 64;
		grown = realloc(o->log, o->cap);
		FUZZ_CHECK(grown != NULL);
		o->log = grown;
	}
	memcpy(o->log + o->len, data, n);
	o->len += n;
}

/* A string field: its length first, so that records cannot run together. */
static void
log_string(struct outcome *o, const char *s)
{
	size_t n = s != NULL ? strlen(s) + 1 : 0;

	log_put(o, &n, sizeof(n));
	if (s != NULL)
		log_put(o, s, n);
}

static int
on_begin(void *ctx, const char *name, const char *filename,
    const char *content_type)
{
	struct outcome *o = ctx;

	FUZZ_CHECK(!o->in_part);
	FUZZ_CHECK(name != NULL && name[0] != '\0');
	o->in_part = 1;
	log_put(o, "B", 1);
	log_string(o, name);
	log_string(o, filename);
	log_string(o, content_type);
	return 0;
}

/* Data bytes are logged as they come: the record does not show how the
 * parser chunked them, only what they were. */
static int
on_data(void *ctx, const char *data, size_t n)
{
	struct outcome *o = ctx;

	FUZZ_CHECK(o->in_part);
	FUZZ_CHECK(n > 0);
	log_put(o, data, n);
	return 0;
}

static int
on_end(void *ctx)
{
	struct outcome *o = ctx;

	FUZZ_CHECK(o->in_part);
	o->in_part = 0;
	log_put(o, "E", 1);
	return 0;
}

static const multipart_callbacks callbacks = { on_begin, on_data, on_end };

/*
 * Parses body fed in the chunks that cuts[0..ncuts) delimit (increasing
 * offsets), or one byte at a time when bytewise.
 */
static void
parse(const char *boundary, const multipart_limits *limits, const char *body,
    size_t size, const size_t *cuts, size_t ncuts, int bytewise,
    struct outcome *o)
{
	multipart_parser *p;
	const char *why = NULL;
	size_t pos = 0, next, i = 0;
	arena *a;
	int rc = 0;

	memset(o, 0, sizeof(*o));
	a = arena_create(4096);
	FUZZ_CHECK(a != NULL);
	p = multipart_create(a, boundary, limits, &callbacks, o, &why);
	FUZZ_CHECK(p != NULL && why == NULL);
	while (rc == 0 && pos < size) {
		if (bytewise)
			next = pos + 1;
		else if (i < ncuts)
			next = cuts[i++];
		else
			next = size;
		rc = multipart_feed(p, body + pos, next - pos);
		pos = next;
	}
	if (rc == 0)
		rc = multipart_finish(p);
	/* Errors are sticky. */
	if (rc != 0) {
		FUZZ_CHECK(multipart_feed(p, "x", 1) == rc);
		FUZZ_CHECK(multipart_finish(p) == rc);
		FUZZ_CHECK(multipart_error(p)[0] != '\0');
	}
	o->rc = rc;
	snprintf(o->message, sizeof(o->message), "%s", multipart_error(p));
	arena_destroy(a);
}

static void
check_same(const struct outcome *x, const struct outcome *y)
{
	if (x->rc != y->rc || strcmp(x->message, y->message) != 0 ||
	    x->len != y->len || (x->len > 0 && memcmp(x->log, y->log, x->len) != 0)) {
		fprintf(stderr, "chunking changed the outcome: %d \"%s\" (%zu "
		    "bytes of parts) vs %d \"%s\" (%zu)\n", x->rc, x->message,
		    x->len, y->rc, y->message, y->len);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const multipart_limits tight = { 3, 96, 3 };
	struct outcome whole, bytes, cut;
	const multipart_limits *limits;
	const char *why = NULL;
	char *boundary, *body;
	size_t cuts[2];
	arena *a;

	if (size < 3)
		return 0;
	limits = (data[0] & 1) ? &tight : NULL;
	cuts[0] = data[1];
	cuts[1] = data[2];
	data += 3;
	size -= 3;
	boundary = fuzz_take(&data, &size, '\n');
	body = fuzz_cstr(data, size);

	/* A refused boundary must be refused with a reason, and nothing else. */
	a = arena_create(1024);
	FUZZ_CHECK(a != NULL);
	if (multipart_create(a, boundary, limits, &callbacks, NULL, &why) == NULL) {
		FUZZ_CHECK(why != NULL);
		arena_destroy(a);
		goto done;
	}
	arena_destroy(a);

	/* Cut points from the input bytes, scaled into the body, ascending. */
	cuts[0] = size > 0 ? cuts[0] * size / 256 : 0;
	cuts[1] = size > 0 ? cuts[1] * size / 256 : 0;
	if (cuts[0] > cuts[1]) {
		size_t t = cuts[0];

		cuts[0] = cuts[1];
		cuts[1] = t;
	}
	parse(boundary, limits, body, size, NULL, 0, 0, &whole);
	parse(boundary, limits, body, size, NULL, 0, 1, &bytes);
	parse(boundary, limits, body, size, cuts, 2, 0, &cut);
	check_same(&whole, &bytes);
	check_same(&whole, &cut);
	free(whole.log);
	free(bytes.log);
	free(cut.log);
done:
	free(body);
	free(boundary);
	return 0;
}
