/*
 * fuzz_media.c - media type parameters (httphdr_media_param, as used for a
 * multipart boundary) and httphdr_media_is.
 *
 * Input: the parameter name, a newline, then the Content-Type. Checks the
 * out-pointer contract and that a found value is NUL-terminated within
 * the header's length.
 */
#include "fuzz.h"

#include "arena.h"
#include "httphdr.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *param = fuzz_take(&data, &size, '\n');
	char *content_type = fuzz_cstr(data, size);
	char *value = NULL;
	arena *a;
	int rc;

	a = arena_create(4096);
	FUZZ_CHECK(a != NULL);
	rc = httphdr_media_param(a, content_type, param, &value);
	if (rc == 0) {
		FUZZ_CHECK(value != NULL);
		FUZZ_CHECK(strlen(value) <= strlen(content_type));
	} else {
		FUZZ_CHECK(value == NULL);
		FUZZ_CHECK(rc == HTTPHDR_ENOTFOUND || rc == HTTPHDR_EINVAL);
	}
	rc = httphdr_media_param(a, content_type, "boundary", &value);
	FUZZ_CHECK(rc == 0 || rc == HTTPHDR_ENOTFOUND || rc == HTTPHDR_EINVAL);
	rc = httphdr_media_is(content_type, "multipart/form-data");
	FUZZ_CHECK(rc == 0 || rc == 1);
	rc = httphdr_media_is(content_type, "application/x-www-form-urlencoded");
	FUZZ_CHECK(rc == 0 || rc == 1);
	arena_destroy(a);
	free(content_type);
	free(param);
	return 0;
}
