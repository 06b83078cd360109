/*
 * fuzz_i18n.c - PO catalog parsing (i18n_load) and message formatting
 * (i18n_format).
 *
 * Input: up to seven PO files separated by NUL bytes, written as en.po,
 * it.po, ... into a scratch directory (a language without a piece gets an
 * empty file), then loaded as one catalog directory. Checks that a loaded
 * set answers lookups with NUL-terminated strings, that a refusal comes
 * with a message, and formats the first file's text as a message with
 * placeholders.
 */
#include "fuzz.h"

#include <fcntl.h>
#include <unistd.h>

#include "arena.h"
#include "i18n.h"

static char dir[] = "/tmp/labnet-fuzz-i18n.XXXXXX";

static void
remove_dir(void)
{
	char path[sizeof(dir) + 8];
	int i;

	for (i = 0; i < I18N_NLANG; i++) {
		snprintf(path, sizeof(path), "%s/%s.po", dir, i18n_languages[i]);
		unlink(path);
	}
	rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	FUZZ_CHECK(mkdtemp(dir) != NULL);
	atexit(remove_dir);
	return 0;
}

static void
write_file(int lang, const uint8_t *data, size_t size)
{
	char path[sizeof(dir) + 8];
	int fd;

	snprintf(path, sizeof(path), "%s/%s.po", dir, i18n_languages[lang]);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FUZZ_CHECK(fd >= 0);
	FUZZ_CHECK(size == 0 || write(fd, data, size) == (ssize_t)size);
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const args[] = { "one", NULL, "three" };
	const char *dirs[] = { dir, NULL }, *text;
	const uint8_t *rest = data, *nul;
	size_t left = size, piece;
	char err[512], *formatted = NULL, *message;
	i18n_set *set;
	arena *a;
	int lang;

	for (lang = 0; lang < I18N_NLANG; lang++) {
		nul = left > 0 ? memchr(rest, '\0', left) : NULL;
		piece = nul != NULL ? (size_t)(nul - rest) : left;
		write_file(lang, rest, piece);
		rest += piece;
		left -= piece;
		if (nul != NULL) {
			rest++;
			left--;
		}
	}
	a = arena_create(4096);
	FUZZ_CHECK(a != NULL);
	err[0] = '\0';
	set = i18n_load(a, dirs, err, sizeof(err));
	if (set != NULL) {
		for (lang = 0; lang < I18N_NLANG; lang++) {
			text = i18n_get(set, i18n_languages[lang], "a.key");
			FUZZ_CHECK(text == NULL || strlen(text) < size + 1);
		}
		(void)i18n_count(set);
	} else
		FUZZ_CHECK(err[0] != '\0');

	nul = memchr(data, '\0', size);
	message = fuzz_cstr(data, nul != NULL ? (size_t)(nul - data) : size);
	FUZZ_CHECK(i18n_format(a, message, args, 3, &formatted) == 0);
	FUZZ_CHECK(formatted != NULL);
	free(message);
	arena_destroy(a);
	return 0;
}
