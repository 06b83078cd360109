/*
 * fuzz.h - what every libFuzzer harness in tests/fuzz/ shares.
 *
 * A harness is one file, tests/fuzz/fuzz_<name>.c, defining
 * LLVMFuzzerTestOneInput (and LLVMFuzzerInitialize if it needs set-up); the
 * Makefile finds it, builds it with ASan + UBSan against the core, and runs
 * it on tests/fuzz/corpus/<name>/ with tests/fuzz/<name>.dict if present.
 * Harnesses check the parser's documented contract, not only "no crash":
 * FUZZ_CHECK aborts, so libFuzzer saves the input that broke a promise.
 * Everything an iteration allocates is freed before it returns, so that
 * LeakSanitizer can point at a parser that leaks.
 */
#ifndef LABNET_FUZZ_H
#define LABNET_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A broken promise: say which, and abort so libFuzzer keeps the input. */
#define FUZZ_CHECK(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: check failed: %s\n",	\
			    __FILE__, __LINE__, #cond);			\
			abort();					\
		}							\
	} while (0)

/* A NUL-terminated malloc'd copy of the input (headers, paths are C strings).
 * The caller frees it. Aborts on OOM: that is the harness's, not the input's. */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	FUZZ_CHECK(s != NULL);
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * Splits the input at the first occurrence of sep: *head gets a
 * NUL-terminated malloc'd copy of what precedes it, and the rest (after the
 * separator; empty when there is none) stays in *data / *size.
 */
static inline char *
fuzz_take(const uint8_t **data, size_t *size, char sep)
{
	const uint8_t *end = memchr(*data, sep, *size);
	size_t n = end != NULL ? (size_t)(end - *data) : *size;
	char *head = fuzz_cstr(*data, n);

	*data += n;
	*size -= n;
	if (end != NULL) {
		(*data)++;
		(*size)--;
	}
	return head;
}

/* Whether s[0..n) has a NUL or another byte below 0x20 but tab, or DEL. */
static inline int
fuzz_has_ctl(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') ||
		    (unsigned char)s[i] == 0x7f)
			return 1;
	return 0;
}

#endif
