/*
 * test_i18n.c - languages, PO catalog loading, lookup and placeholders.
 *
 * Each test writes its catalogs into a fresh temporary directory: a full
 * set of seven files built from a small default, with the file under test
 * replaced. The directory is removed by the teardown.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "i18n.h"

struct fixture {
	char root[64];		/* mkdtemp directory */
	char dirs[2][96];	/* catalog directories under it */
	arena *arena;
	char err[512];
};

/* A catalog every language gets unless a test writes its own. */
static const char default_catalog[] =
    "msgid \"\"\n"
    "msgstr \"\"\n"
    "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
    "\n"
    "msgid \"site.name\"\n"
    "msgstr \"Labnet\"\n";

static void
write_file(const char *dir, const char *lang, const char *text)
{
	char path[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.po", dir, lang);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* All seven catalogs of dir: the default, except lang which gets text. */
static void
write_set(const char *dir, const char *lang, const char *text)
{
	size_t i;

	for (i = 0; i18n_languages[i] != NULL; i++)
		write_file(dir, i18n_languages[i],
		    lang != NULL && strcmp(lang, i18n_languages[i]) == 0 ?
		    text : default_catalog);
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	size_t i;

	if (fx == NULL)
		return -1;
	snprintf(fx->root, sizeof(fx->root), "/tmp/labnet-i18n-XXXXXX");
	if (mkdtemp(fx->root) == NULL)
		return -1;
	for (i = 0; i < 2; i++) {
		snprintf(fx->dirs[i], sizeof(fx->dirs[i]), "%s/d%zu", fx->root, i);
		if (mkdir(fx->dirs[i], 0700) < 0)
			return -1;
	}
	fx->arena = arena_create(4096);
	if (fx->arena == NULL)
		return -1;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	char path[160];
	size_t i, d;

	for (d = 0; d < 2; d++) {
		for (i = 0; i18n_languages[i] != NULL; i++) {
			snprintf(path, sizeof(path), "%s/%s.po", fx->dirs[d],
			    i18n_languages[i]);
			unlink(path);
		}
		rmdir(fx->dirs[d]);
	}
	rmdir(fx->root);
	arena_destroy(fx->arena);
	free(fx);
	return 0;
}

/* Load the first directory only. */
static i18n_set *
load_one(struct fixture *fx)
{
	const char *dirs[] = { fx->dirs[0], NULL };

	return i18n_load(fx->arena, dirs, fx->err, sizeof(fx->err));
}

/* The error names this file and line ("d0/fi.po:4:"). */
static void
assert_error_at(struct fixture *fx, const char *file_line, const char *words)
{
	char where[160];

	snprintf(where, sizeof(where), "%s/%s", fx->dirs[0], file_line);
	if (strstr(fx->err, where) == NULL || strstr(fx->err, words) == NULL)
		fail_msg("error \"%s\" should name %s and say \"%s\"", fx->err,
		    where, words);
}

/* ------------------------------------------------------------- tests */

static void
test_languages(void **state)
{
	(void)state;
	assert_string_equal(i18n_languages[0], "en");
	assert_string_equal(i18n_languages[6], "fi");
	assert_null(i18n_languages[I18N_NLANG]);
	assert_true(i18n_is_language("lt"));
	assert_false(i18n_is_language("de"));
	assert_false(i18n_is_language("FI"));
	assert_false(i18n_is_language(""));
	assert_false(i18n_is_language(NULL));
	assert_int_equal(i18n_language_index("pl"), 3);
	assert_string_equal(i18n_autonym("en"), "English");
	assert_string_equal(i18n_autonym("it"), "Italiano");
	assert_string_equal(i18n_autonym("lt"), "Lietuvių");
	assert_string_equal(i18n_autonym("pl"), "Polski");
	assert_string_equal(i18n_autonym("fr"), "Français");
	assert_string_equal(i18n_autonym("nl"), "Nederlands");
	assert_string_equal(i18n_autonym("fi"), "Suomi");
	assert_null(i18n_autonym("xx"));
}

static void
test_escapes(void **state)
{
	struct fixture *fx = *state;
	i18n_set *set;

	write_set(fx->dirs[0], "en",
	    "msgid \"site.name\"\nmsgstr \"Labnet\"\n"
	    "msgid \"t.escapes\"\n"
	    "msgstr \"tab\\there\\nquote \\\"q\\\" back\\\\slash\"\n");
	set = load_one(fx);
	assert_non_null(set);
	assert_string_equal(i18n_get(set, "en", "t.escapes"),
	    "tab\there\nquote \"q\" back\\slash");
}

static void
test_multiline_comments_context(void **state)
{
	struct fixture *fx = *state;
	i18n_set *set;

	write_set(fx->dirs[0], "fi",
	    "# Finnish translation\r\n"
	    "msgid \"\"\r\n"
	    "msgstr \"\"\r\n"
	    "\"Language: fi\\n\"\r\n"
	    "\"Content-Type: text/plain; charset=UTF-8\\n\"\r\n"
	    "\r\n"
	    "#. shown in the header\r\n"
	    "#: core/views/layout.xsl:40\r\n"
	    "#, c-format\r\n"
	    "msgctxt \"header\"\r\n"
	    "msgid \"site.\"\r\n"
	    "\"name\"\r\n"
	    "msgstr \"\"\r\n"
	    "\"Lab\"\r\n"
	    "   \"net \"\t\r\n"
	    "\"Suomi\"\r\n"
	    "#~ msgid \"old.key\"\r\n"
	    "#~ msgstr \"vanha\"\r\n");
	set = load_one(fx);
	assert_non_null(set);
	assert_string_equal(i18n_get(set, "fi", "site.name"), "Labnet Suomi");
	assert_null(i18n_get(set, "fi", "old.key"));
	assert_int_equal(i18n_count(set), 1);
}

static void
test_fallback_to_english(void **state)
{
	struct fixture *fx = *state;
	i18n_set *set;

	write_set(fx->dirs[0], "en",
	    "msgid \"site.name\"\nmsgstr \"Labnet\"\n"
	    "msgid \"a.untranslated\"\nmsgstr \"Only English\"\n"
	    "msgid \"a.empty\"\nmsgstr \"Empty elsewhere\"\n"
	    "msgid \"a.fuzzy\"\nmsgstr \"Fuzzy elsewhere\"\n");
	write_file(fx->dirs[0], "nl",
	    "msgid \"site.name\"\nmsgstr \"Labnet NL\"\n"
	    "msgid \"a.empty\"\nmsgstr \"\"\n"
	    "#, fuzzy\nmsgid \"a.fuzzy\"\nmsgstr \"Misschien\"\n");
	set = load_one(fx);
	assert_non_null(set);
	assert_string_equal(i18n_get(set, "nl", "site.name"), "Labnet NL");
	assert_string_equal(i18n_get(set, "nl", "a.untranslated"),
	    "Only English");
	assert_string_equal(i18n_get(set, "nl", "a.empty"), "Empty elsewhere");
	assert_string_equal(i18n_get(set, "nl", "a.fuzzy"), "Fuzzy elsewhere");
	assert_string_equal(i18n_get(set, "de", "site.name"), "Labnet");
	assert_string_equal(i18n_get(set, NULL, "site.name"), "Labnet");
	assert_null(i18n_get(set, "nl", "no.such.key"));
	assert_null(i18n_get(set, "nl", NULL));
	assert_null(i18n_get(NULL, "nl", "site.name"));
}

static void
test_two_directories(void **state)
{
	struct fixture *fx = *state;
	const char *dirs[] = { fx->dirs[0], fx->dirs[1], NULL };
	i18n_set *set;

	write_set(fx->dirs[0], NULL, NULL);
	/* A plugin's catalogs: its own keys; translations may lag behind. */
	write_file(fx->dirs[1], "en",
	    "msgid \"hello.greeting\"\nmsgstr \"Hello, {1}!\"\n");
	write_file(fx->dirs[1], "it", "");
	write_file(fx->dirs[1], "lt",
	    "msgid \"hello.greeting\"\nmsgstr \"Labas, {1}!\"\n");
	write_file(fx->dirs[1], "pl", "");
	write_file(fx->dirs[1], "fr", "# nothing translated yet\n");
	write_file(fx->dirs[1], "nl", "");
	write_file(fx->dirs[1], "fi", "");
	set = i18n_load(fx->arena, dirs, fx->err, sizeof(fx->err));
	assert_non_null(set);
	assert_string_equal(i18n_get(set, "lt", "hello.greeting"),
	    "Labas, {1}!");
	assert_string_equal(i18n_get(set, "fi", "hello.greeting"),
	    "Hello, {1}!");
	assert_string_equal(i18n_get(set, "fi", "site.name"), "Labnet");
	assert_int_equal(i18n_count(set), 2);
}

static void
test_missing_file(void **state)
{
	struct fixture *fx = *state;
	char path[160];

	write_set(fx->dirs[0], NULL, NULL);
	snprintf(path, sizeof(path), "%s/lt.po", fx->dirs[0]);
	assert_int_equal(unlink(path), 0);
	assert_null(load_one(fx));
	assert_error_at(fx, "lt.po: cannot open", "No such file");
}

static void
test_syntax_errors(void **state)
{
	static const struct {
		const char *text;
		const char *where;
		const char *words;
	} cases[] = {
		{ "msgid \"site.name\"\nmsgstr \"Labnet\"\n\nmsgid \"x\n",
		    "fi.po:4:", "unterminated" },
		{ "msgid \"site.name\"\nmsgstr Labnet\n",
		    "fi.po:2:", "expected a quoted string" },
		{ "msgid \"site.name\"\nmsgstr \"a\\qb\"\n",
		    "fi.po:2:", "unknown escape" },
		{ "msgid \"site.name\"\nmsgstr \"a\" b\n",
		    "fi.po:2:", "after the closing quote" },
		{ "msgid \"site.name\"\nmsgid \"x\"\nmsgstr \"\"\n",
		    "fi.po:2:", "msgid without msgstr" },
		{ "msgid \"site.name\"\n\n\n",
		    "fi.po:1:", "msgid without msgstr" },
		{ "msgstr \"x\"\n", "fi.po:1:", "msgstr without a msgid" },
		{ "\"dangling\"\n", "fi.po:1:", "string without msgid" },
		{ "msgid \"site.name\"\nmsgstr \"x\"\nmsgtxt \"y\"\n",
		    "fi.po:3:", "expected msgctxt" },
		{ "msgid \"site.name\"\nmsgid_plural \"names\"\n"
		    "msgstr[0] \"x\"\n", "fi.po:2:", "plural forms" },
		{ "msgid \"Hello world\"\nmsgstr \"Moi\"\n",
		    "fi.po:1:", "not a symbolic key" },
		{ "msgid \"\"\nmsgstr \"Content-Type: text/plain; "
		    "charset=ISO-8859-1\\n\"\n", "fi.po:1:", "must be UTF-8" },
		{ "msgid \"\"\nmsgstr \"Language: sv\\n\"\n",
		    "fi.po:1:", "Language: sv" },
		{ "msgid \"site.name\"\nmsgstr \"Labnet\"\n"
		    "msgid \"only.here\"\nmsgstr \"Vain täällä\"\n",
		    "fi.po:3:", "not in the en.po" },
	};
	struct fixture *fx = *state;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_set(fx->dirs[0], "fi", cases[i].text);
		if (load_one(fx) != NULL)
			fail_msg("case %zu loaded: %s", i, cases[i].text);
		assert_error_at(fx, cases[i].where, cases[i].words);
	}
}

static void
test_duplicate_key(void **state)
{
	struct fixture *fx = *state;
	const char *dirs[] = { fx->dirs[0], fx->dirs[1], NULL };

	write_set(fx->dirs[0], "pl",
	    "msgid \"site.name\"\nmsgstr \"Labnet\"\n\n"
	    "msgctxt \"other\"\nmsgid \"site.name\"\nmsgstr \"Labnet 2\"\n");
	assert_null(load_one(fx));
	assert_error_at(fx, "pl.po:5:", "duplicate key \"site.name\"");
	assert_non_null(strstr(fx->err, "pl.po:1)"));

	/* The same key in a second directory is a clash too. */
	write_set(fx->dirs[0], NULL, NULL);
	write_set(fx->dirs[1], NULL, NULL);
	assert_null(i18n_load(fx->arena, dirs, fx->err, sizeof(fx->err)));
	assert_non_null(strstr(fx->err, fx->dirs[1]));
	assert_non_null(strstr(fx->err, "duplicate key"));
	assert_non_null(strstr(fx->err, fx->dirs[0]));
}

static void
test_english_text_required(void **state)
{
	struct fixture *fx = *state;

	write_set(fx->dirs[0], "en", "msgid \"site.name\"\nmsgstr \"\"\n");
	assert_null(load_one(fx));
	assert_error_at(fx, "en.po:1:", "no English text");
}

static void
test_invalid_utf8(void **state)
{
	static const char *const bad[] = {
		"\xc3\x28",		/* bad continuation */
		"\xc0\xaf",		/* overlong '/' */
		"\xed\xa0\x80",		/* surrogate */
		"\xf4\x90\x80\x80",	/* past U+10FFFF */
		"\xe2\x82",		/* truncated */
		"\xff",
	};
	struct fixture *fx = *state;
	char text[160];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "msgid \"site.name\"\nmsgstr \"\"\n"
		    "\"ok \"\n\"bad %s\"\n", bad[i]);
		write_set(fx->dirs[0], "fr", text);
		if (load_one(fx) != NULL)
			fail_msg("invalid UTF-8 case %zu loaded", i);
		assert_error_at(fx, "fr.po:4:", "invalid UTF-8");
	}
	/* Valid multi-byte text of every length loads. */
	write_set(fx->dirs[0], "fr", "msgid \"site.name\"\n"
	    "msgstr \"Fran\xc3\xa7" "ais \xe2\x82\xac \xf0\x9f\x94\xac\"\n");
	assert_non_null(load_one(fx));
}

static void
test_many_keys(void **state)
{
	struct fixture *fx = *state;
	char *text, key[32], expect[32];
	size_t len = 0, cap = 2000 * 64, i;
	i18n_set *set;

	text = malloc(cap);
	assert_non_null(text);
	len += (size_t)snprintf(text, cap, "msgid \"site.name\"\n"
	    "msgstr \"Labnet\"\n");
	for (i = 0; i < 2000; i++)
		len += (size_t)snprintf(text + len, cap - len,
		    "msgid \"k.%zu\"\nmsgstr \"v%zu\"\n", i, i);
	write_set(fx->dirs[0], "en", text);
	free(text);
	set = load_one(fx);
	assert_non_null(set);
	assert_int_equal(i18n_count(set), 2001);
	for (i = 0; i < 2000; i++) {
		snprintf(key, sizeof(key), "k.%zu", i);
		snprintf(expect, sizeof(expect), "v%zu", i);
		assert_string_equal(i18n_get(set, "it", key), expect);
	}
}

static void
test_format(void **state)
{
	struct fixture *fx = *state;
	const char *args[] = { "world", "Labnet", NULL };
	char *out;

	assert_int_equal(i18n_format(fx->arena, "Hello, {1}!", args, 2, &out),
	    0);
	assert_string_equal(out, "Hello, world!");
	assert_int_equal(i18n_format(fx->arena, "{2} says {1} to {1}", args, 2,
	    &out), 0);
	assert_string_equal(out, "Labnet says world to world");
	/* Missing, zero, NULL and huge placeholders become empty. */
	assert_int_equal(i18n_format(fx->arena, "[{3}][{0}][{4}]", args, 3,
	    &out), 0);
	assert_string_equal(out, "[][][]");
	assert_int_equal(i18n_format(fx->arena, "[{999999999}]", args, 2,
	    &out), 0);
	assert_string_equal(out, "[]");
	/* Escapes and stray braces. */
	assert_int_equal(i18n_format(fx->arena, "{{1} is {1}", args, 1, &out),
	    0);
	assert_string_equal(out, "{1} is world");
	assert_int_equal(i18n_format(fx->arena, "{x} {} {1 } a}b {", args, 1,
	    &out), 0);
	assert_string_equal(out, "{x} {} {1 } a}b {");
	assert_int_equal(i18n_format(fx->arena, "{1234567890}", args, 1, &out),
	    0);
	assert_string_equal(out, "{1234567890}");
	assert_int_equal(i18n_format(fx->arena, "", args, 0, &out), 0);
	assert_string_equal(out, "");
	assert_int_equal(i18n_format(fx->arena, "{1}", NULL, 0, &out), 0);
	assert_string_equal(out, "");
	assert_int_equal(i18n_format(fx->arena, NULL, args, 1, &out), -1);
	assert_null(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_languages),
		cmocka_unit_test_setup_teardown(test_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multiline_comments_context,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_fallback_to_english, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_two_directories, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_syntax_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_key, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_english_text_required,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_utf8, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_many_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_format, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
