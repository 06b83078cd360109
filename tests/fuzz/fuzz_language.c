/*
 * fuzz_language.c - the Accept-Language header (httphdr_accept_language)
 * against the site's seven languages.
 *
 * Checks that the answer is NULL or a pointer from the supported list, and
 * that the choice does not depend on the header's letter case.
 */
#include "fuzz.h"

#include "httphdr.h"
#include "i18n.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *header = fuzz_cstr(data, size), *upper;
	const char *best, *best_upper;
	size_t i;
	int found = 0;

	best = httphdr_accept_language(header, i18n_languages);
	if (best != NULL) {
		for (i = 0; i18n_languages[i] != NULL; i++)
			found |= best == i18n_languages[i];
		FUZZ_CHECK(found);
	}
	upper = fuzz_cstr(data, size);
	for (i = 0; i < size; i++)
		if (upper[i] >= 'a' && upper[i] <= 'z')
			upper[i] = (char)(upper[i] - 'a' + 'A');
	best_upper = httphdr_accept_language(upper, i18n_languages);
	FUZZ_CHECK(best == best_upper);
	FUZZ_CHECK(httphdr_accept_language(header, (const char *const[]){ NULL }) ==
	    NULL);
	free(upper);
	free(header);
	return 0;
}
