/*
 * fuzz_labs_validate.c - the labs plugin's field checks
 * (plugins/labs/validate.c, compiled in as its unit test does).
 *
 * Input: one byte choosing the check, then the value (for a position:
 * latitude, a newline, longitude). Checks that an accepted value is what
 * validate.h promises and matches the CHECK constraint of
 * sql/labs/001_labs.sql (the same regular expressions, through POSIX
 * regex), so that what the plugin accepts the database accepts too; and
 * that a refusal says why.
 */
#include "fuzz.h"

#include <locale.h>
#include <math.h>
#include <regex.h>

#include "url.h"

#include "../../plugins/labs/validate.c"

/* The constraints of sql/labs/001_labs.sql, as POSIX extended regexes. */
static const struct {
	const char *pattern;
	int flags;
} constraints[] = {
	{ "^[a-z0-9-]{2,80}$", 0 },
	{ "^[A-Z]{2}$", 0 },
	{ "^https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?"
	  "([/?#][^[:space:]]*)?$", REG_ICASE },
	{ "^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$", 0 },
	{ "^\\+?[0-9(][0-9 ()./-]{3,38}$", 0 },
};

enum { RE_SLUG, RE_COUNTRY, RE_WEBSITE, RE_EMAIL, RE_PHONE, RE_COUNT };

static regex_t compiled[RE_COUNT];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int i;

	(void)argc;
	(void)argv;
	/* The test databases are initdb --locale=C.UTF-8: classes such as
	 * [:space:] then cover Unicode spaces, and so must ours. */
	FUZZ_CHECK(setlocale(LC_CTYPE, "C.UTF-8") != NULL);
	for (i = 0; i < RE_COUNT; i++)
		FUZZ_CHECK(regcomp(&compiled[i], constraints[i].pattern,
		    REG_EXTENDED | REG_NOSUB | constraints[i].flags) == 0);
	return 0;
}

/* Whether the database would take s. */
static int
db_accepts(int re, const char *s)
{
	return regexec(&compiled[re], s, 0, NULL, 0) == 0;
}

static int
all_in(const char *s, const char *set)
{
	return strspn(s, set) == strlen(s);
}

/* UTF-8 code points in s, as PostgreSQL's length() counts them. */
static size_t
code_points(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void
check_one(int which, const char *s, const char *rest)
{
	static const char lower_digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	const char *why = NULL;
	double lat = 0, lon = 0;
	int present = 0, rc = -1;
	size_t len = strlen(s);

	switch (which) {
	case 0:
		if ((rc = labs_check_slug(s, &why)) == 0)
			FUZZ_CHECK(db_accepts(RE_SLUG, s) && strcmp(s, "map") != 0 &&
			    strcmp(s, "new") != 0);
		break;
	case 1:
		if ((rc = labs_check_country(s, &why)) == 0)
			FUZZ_CHECK(db_accepts(RE_COUNTRY, s));
		break;
	case 2:
		if ((rc = labs_check_term_key(s, &why)) == 0)
			FUZZ_CHECK(len >= 1 && len <= 60 && s[0] != '-' &&
			    all_in(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ-abcdefghijklmnopqrstuvwxyz0123456789"));
		break;
	case 3:
		if ((rc = labs_check_language(s, &why)) == 0)
			FUZZ_CHECK(len == 2 && all_in(s, lower_digits) &&
			    !all_in(s, "0123456789") && s[0] >= 'a' && s[1] >= 'a');
		break;
	case 4:
		if ((rc = labs_check_position(s, rest, &lat, &lon, &present,
		    &why)) == 0 && present)
			FUZZ_CHECK(isfinite(lat) && isfinite(lon) && lat >= -90 &&
			    lat <= 90 && lon >= -180 && lon <= 180);
		if (rc == 0 && !present)
			FUZZ_CHECK(s[0] == '\0' && rest[0] == '\0');
		break;
	case 5:
		if ((rc = labs_check_website(s, &why)) == 0 && len > 0)
			FUZZ_CHECK(code_points(s) <= 500 &&
			    db_accepts(RE_WEBSITE, s));
		break;
	case 6:
		if ((rc = labs_check_email(s, &why)) == 0 && len > 0)
			FUZZ_CHECK(code_points(s) <= 254 &&
			    db_accepts(RE_EMAIL, s));
		break;
	case 7:
		if ((rc = labs_check_phone(s, &why)) == 0 && len > 0)
			FUZZ_CHECK(db_accepts(RE_PHONE, s));
		break;
	default:
		if ((rc = labs_check_text(s, 20, which & 1, &why)) == 0)
			FUZZ_CHECK(code_points(s) <= 20);
		break;
	}
	/* A refusal is -1, or -2 for a position whose longitude is at fault. */
	if (rc != 0)
		FUZZ_CHECK((rc == -1 || (rc == -2 && which == 4)) && why != NULL &&
		    why[0] != '\0');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *value, *rest;
	int which;

	if (size == 0)
		return 0;
	which = data[0] % 10;
	data++;
	size--;
	/* Values reach the checks only after the core's UTF-8 check. */
	if (!url_utf8_valid((const char *)data, size))
		return 0;
	value = fuzz_take(&data, &size, '\n');
	rest = fuzz_cstr(data, size);
	check_one(which, value, rest);
	free(rest);
	free(value);
	return 0;
}
