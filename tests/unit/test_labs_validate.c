/*
 * test_labs_validate.c - unit tests for the labs plugin's field checks
 * (plugins/labs/validate.c, compiled in here: the plugin is a shared
 * object, its checks are pure). Each table pairs input with the verdict
 * the database constraint of sql/labs/001_labs.sql gives too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../plugins/labs/validate.c"

struct verdict {
	const char *value;
	int ok;
};

static void
check_table(int (*fn)(const char *, const char **), const struct verdict *t,
    size_t n)
{
	const char *why;
	size_t i;

	for (i = 0; i < n; i++) {
		why = NULL;
		if ((fn(t[i].value, &why) == 0) != t[i].ok)
			fail_msg("\"%s\": expected %s", t[i].value,
			    t[i].ok ? "accepted" : "refused");
		if (!t[i].ok)
			assert_non_null(why);
	}
}

#define TABLE(fn, t) check_table(fn, t, sizeof(t) / sizeof(t[0]))

static void
test_slug(void **state)
{
	static const struct verdict t[] = {
		{ "ied-milano", 1 }, { "a1", 1 }, { "x", 0 }, { "", 0 },
		{ "Upper", 0 }, { "with space", 0 }, { "under_score", 0 },
		{ "map", 0 }, { "new", 0 }, { "maps", 1 }, { "ünï", 0 },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1 },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0 },
	};

	(void)state;
	TABLE(labs_check_slug, t);
}

static void
test_country(void **state)
{
	static const struct verdict t[] = {
		{ "IT", 1 }, { "LT", 1 }, { "FI", 1 }, { "GB", 1 }, { "AD", 1 },
		{ "ZW", 1 }, { "XX", 0 }, { "UK", 0 }, { "EU", 0 }, { "it", 0 },
		{ "I", 0 }, { "ITA", 0 }, { "", 0 }, { "I1", 0 },
	};

	(void)state;
	TABLE(labs_check_country, t);
}

static void
test_term_key_and_language(void **state)
{
	static const struct verdict keys[] = {
		{ "industrial-design", 1 }, { "3d-printing", 1 }, { "IT", 1 },
		{ "-x", 0 }, { "", 0 }, { "a b", 0 }, { "<script>", 0 },
		{ "é", 0 },
	};
	static const struct verdict langs[] = {
		{ "en", 1 }, { "fi", 1 }, { "EN", 0 }, { "eng", 0 }, { "e", 0 },
	};

	(void)state;
	TABLE(labs_check_term_key, keys);
	TABLE(labs_check_language, langs);
}

static void
test_position(void **state)
{
	static const struct {
		const char *lat, *lon;
		int ok, present;
	} t[] = {
		{ "45.4627", "9.2077", 1, 1 }, { "-90", "180", 1, 1 },
		{ "90.0", "-180.0", 1, 1 }, { "", "", 1, 0 }, { NULL, NULL, 1, 0 },
		{ "90.0001", "0", 0, 0 }, { "-91", "0", 0, 0 },
		{ "0", "180.5", 0, 0 }, { "0", "-181", 0, 0 },
		{ "45", "", 0, 0 }, { "", "9", 0, 0 },
		{ "nan", "0", 0, 0 }, { "inf", "0", 0, 0 }, { "0x10", "0", 0, 0 },
		{ " 45", "9", 0, 0 }, { "45,5", "9", 0, 0 }, { "1e1", "9", 0, 0 },
		{ "-", "9", 0, 0 }, { ".", "9", 0, 0 },
	};
	double lat, lon;
	const char *why;
	int present;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		why = NULL;
		if ((labs_check_position(t[i].lat, t[i].lon, &lat, &lon, &present,
		    &why) == 0) != t[i].ok)
			fail_msg("%s, %s: expected %s", t[i].lat ? t[i].lat : "NULL",
			    t[i].lon ? t[i].lon : "NULL", t[i].ok ? "accepted" : "refused");
		if (t[i].ok)
			assert_int_equal(present, t[i].present);
	}
	/* The field at fault: -1 the latitude, -2 the longitude. */
	assert_int_equal(labs_check_position("91", "0", &lat, &lon, &present, &why), -1);
	assert_int_equal(labs_check_position("0", "181", &lat, &lon, &present, &why), -2);
	assert_int_equal(labs_check_position("x", "0", &lat, &lon, &present, &why), -1);
	assert_int_equal(labs_check_position("0", "x", &lat, &lon, &present, &why), -2);
	assert_int_equal(labs_check_position("", "9", &lat, &lon, &present, &why), -1);
	assert_int_equal(labs_check_position("45", "", &lat, &lon, &present, &why), -2);
	assert_int_equal(labs_check_position("60.2236", "25.0781", &lat, &lon,
	    &present, &why), 0);
	assert_true(lat > 60.2235 && lat < 60.2237 && lon > 25.078 && lon < 25.0782);
}

static void
test_website(void **state)
{
	static const struct verdict t[] = {
		{ "https://www.ied.it", 1 }, { "http://example.org/a?b=c#d", 1 },
		{ "HTTPS://EXAMPLE.ORG", 1 }, { "https://example.org:8443/", 1 },
		{ "", 1 },
		{ "javascript:alert(1)", 0 }, { "ftp://example.org/", 0 },
		{ "//example.org", 0 }, { "example.org", 0 }, { "https://", 0 },
		{ "https://exa mple.org", 0 }, { "https://example.org/a b", 0 },
		{ "https://.example.org", 0 }, { "https://example.org:", 0 },
		{ "https://example.org:123456", 0 }, { "https://user@example.org", 0 },
		{ "http://example.org\n", 0 }, { "data:text/html,x", 0 },
		/* Unicode spaces the database's [:space:] refuses, NBSP, C1. */
		{ "https://a.b/\xe2\x80\x83", 0 }, { "https://a.b/\xe3\x80\x80x", 0 },
		{ "https://a.b/\xc2\xa0", 0 }, { "https://a.b/\xc2\x85", 0 },
		{ "https://a.b/\xe1\x9a\x80", 0 }, { "https://a.b/\xe2\x81\x9f", 0 },
		{ "https://a.b/caf\xc3\xa9", 1 },
	};
	char long_url[520];

	(void)state;
	TABLE(labs_check_website, t);
	memset(long_url, 'a', sizeof(long_url) - 1);
	long_url[sizeof(long_url) - 1] = '\0';
	memcpy(long_url, "https://", 8);
	assert_int_not_equal(labs_check_website(long_url, &(const char *){ NULL }), 0);
}

static void
test_email_and_phone(void **state)
{
	static const struct verdict mail[] = {
		{ "info@ied.it", 1 }, { "a.b+c@sub.example.org", 1 }, { "", 1 },
		{ "no-at.example.org", 0 }, { "@example.org", 0 }, { "a@b", 0 },
		{ "a@@b.org", 0 }, { "a b@c.org", 0 }, { "a@b.", 0 }, { "a@.b", 0 },
		{ "lab@uni\xe3\x80\x80.example.org", 0 }, { "a\xe2\x80\xa8" "b@c.org", 0 },
	};
	static const struct verdict phone[] = {
		{ "+39 02 123 4567", 1 }, { "(020) 595 1234", 1 }, { "+358-9-7424", 1 },
		{ "", 1 }, { "123", 0 }, { "+", 0 }, { "call me", 0 },
		{ "+39 02 <b>", 0 }, { "-1234", 0 },
	};

	(void)state;
	TABLE(labs_check_email, mail);
	TABLE(labs_check_phone, phone);
}

static void
test_text(void **state)
{
	const char *why;
	char many[300];

	(void)state;
	assert_int_equal(labs_check_text("Lab", 200, 1, &why), 0);
	assert_int_not_equal(labs_check_text("", 200, 1, &why), 0);
	assert_int_not_equal(labs_check_text(" \t\n", 200, 1, &why), 0);
	assert_int_equal(labs_check_text("", 200, 0, &why), 0);
	/* Characters, not bytes: 200 two-byte letters fit in 200. */
	memset(many, 0, sizeof(many));
	for (int i = 0; i < 100; i++)
		memcpy(many + 2 * i, "ų", 2);
	assert_int_equal(labs_check_text(many, 100, 1, &why), 0);
	assert_int_not_equal(labs_check_text(many, 99, 1, &why), 0);
	/* Script and SQL are text like any other: stored as typed. */
	assert_int_equal(labs_check_text("<script>alert(1)</script>", 200, 1, &why), 0);
	assert_int_equal(labs_check_text("'; DROP TABLE labs; --", 200, 1, &why), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slug),
		cmocka_unit_test(test_country),
		cmocka_unit_test(test_term_key_and_language),
		cmocka_unit_test(test_position),
		cmocka_unit_test(test_website),
		cmocka_unit_test(test_email_and_phone),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
