/*
 * fuzz_form.c - query strings and application/x-www-form-urlencoded bodies
 * (url_parse_form), and url_decode on the same bytes.
 *
 * Checks what url.h promises: every pair comes out NUL-terminated, without
 * NUL bytes, as strict UTF-8; parsing uses at most n + 1 bytes of the arena;
 * decoding never grows a string.
 */
#include "fuzz.h"

#include "arena.h"
#include "url.h"

struct form_seen {
	size_t pairs;
};

static int
form_pair(void *ctx, const char *key, size_t key_len, const char *value,
    size_t value_len)
{
	struct form_seen *seen = ctx;

	FUZZ_CHECK(strlen(key) == key_len);
	FUZZ_CHECK(strlen(value) == value_len);
	FUZZ_CHECK(url_utf8_valid(key, key_len));
	FUZZ_CHECK(url_utf8_valid(value, value_len));
	seen->pairs++;
	/* A callback may stop the parse; its code must come back as is. */
	return seen->pairs == 1000 ? 7 : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form_seen seen = { 0 };
	const char *s = (const char *)data;
	arena *a;
	size_t before, decoded_len;
	char *decoded;
	int rc, plus;

	a = arena_create(4096);
	FUZZ_CHECK(a != NULL);
	before = arena_used(a);
	rc = url_parse_form(a, s, size, form_pair, &seen);
	FUZZ_CHECK(rc == 0 || rc == 7 || rc == URL_EBADESCAPE ||
	    rc == URL_ENUL || rc == URL_EUTF8);
	/* n + 1 bytes, plus the arena's alignment of that one allocation. */
	FUZZ_CHECK(arena_used(a) - before <= size + 1 + 16);

	for (plus = 0; plus <= 1; plus++) {
		rc = url_decode(a, s, size, plus, &decoded, &decoded_len);
		if (rc == 0) {
			FUZZ_CHECK(decoded != NULL);
			FUZZ_CHECK(decoded_len <= size);
			FUZZ_CHECK(decoded[decoded_len] == '\0');
		} else {
			FUZZ_CHECK(rc == URL_EBADESCAPE);
			FUZZ_CHECK(decoded == NULL);
		}
	}
	arena_destroy(a);
	return 0;
}
