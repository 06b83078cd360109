/*
 * fuzz_cookies.c - the Cookie header (httphdr_cookies).
 *
 * Checks what httphdr.h promises: names are non-empty RFC 9110 tokens,
 * values carry no control character, both NUL-terminated at the given
 * lengths, and the parse uses at most strlen(header) + 1 arena bytes.
 */
#include "fuzz.h"

#include "arena.h"
#include "httphdr.h"

static int
is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

static int
cookie_pair(void *ctx, const char *name, size_t name_len, const char *value,
    size_t value_len)
{
	size_t i, *count = ctx;

	FUZZ_CHECK(name_len > 0);
	FUZZ_CHECK(strlen(name) == name_len);
	FUZZ_CHECK(strlen(value) == value_len);
	for (i = 0; i < name_len; i++)
		FUZZ_CHECK(is_tchar(name[i]));
	FUZZ_CHECK(!fuzz_has_ctl(value, value_len));
	(*count)++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *header = fuzz_cstr(data, size);
	size_t count = 0, before;
	arena *a;

	a = arena_create(4096);
	FUZZ_CHECK(a != NULL);
	before = arena_used(a);
	FUZZ_CHECK(httphdr_cookies(a, header, cookie_pair, &count) == 0);
	FUZZ_CHECK(arena_used(a) - before <= strlen(header) + 1 + 16);
	arena_destroy(a);
	free(header);
	return 0;
}
