/*
 * fuzz_path.c - request path normalisation (url_normalize_path).
 *
 * Checks the shape url.h promises: a result starts with '/', has no empty,
 * "." or ".." segment, no trailing '/' unless it is "/", no NUL, strict
 * UTF-8; and normalising a result that holds no '%' again changes nothing.
 */
#include "fuzz.h"

#include "arena.h"
#include "url.h"

static void
check_shape(const char *path)
{
	const char *seg = path + 1, *end;
	size_t len = strlen(path), seg_len;

	FUZZ_CHECK(path[0] == '/');
	FUZZ_CHECK(url_utf8_valid(path, len));
	if (len == 1)
		return;
	FUZZ_CHECK(path[len - 1] != '/');
	for (;;) {
		end = strchr(seg, '/');
		seg_len = end != NULL ? (size_t)(end - seg) : strlen(seg);
		FUZZ_CHECK(seg_len > 0);
		FUZZ_CHECK(!(seg_len == 1 && seg[0] == '.'));
		FUZZ_CHECK(!(seg_len == 2 && seg[0] == '.' && seg[1] == '.'));
		if (end == NULL)
			break;
		seg = end + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a;
	char *out = NULL, *again = NULL;
	int rc;

	a = arena_create(4096);
	FUZZ_CHECK(a != NULL);
	rc = url_normalize_path(a, (const char *)data, size, &out);
	if (rc == 0) {
		FUZZ_CHECK(out != NULL);
		FUZZ_CHECK(strlen(out) <= size + 1);
		check_shape(out);
		if (strchr(out, '%') == NULL) {
			FUZZ_CHECK(url_normalize_path(a, out, strlen(out),
			    &again) == 0);
			FUZZ_CHECK(strcmp(out, again) == 0);
		}
	} else {
		FUZZ_CHECK(out == NULL);
		FUZZ_CHECK(rc == URL_EBADESCAPE || rc == URL_ESLASH ||
		    rc == URL_ENUL || rc == URL_EUTF8 || rc == URL_EABOVEROOT);
	}
	arena_destroy(a);
	return 0;
}
