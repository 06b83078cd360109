/*
 * validate.c - field checks of the labs plugin (see validate.h). Pure
 * functions over NUL-terminated UTF-8 strings; unit-tested in
 * tests/unit/test_labs_validate.c.
 */
#include "validate.h"

#include <stdlib.h>
#include <string.h>

/* ISO 3166-1 alpha-2, sorted: the assigned codes (from Debian's iso-codes,
 * the same list sql/core/050_vocabulary.sql loads). */
static const char iso_countries[] =
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW";

static int
refuse(const char **why, const char *reason)
{
	*why = reason;
	return -1;
}

int
labs_check_slug(const char *s, const char **why)
{
	size_t n = strlen(s);

	if (n < 2 || n > 80 ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") != n)
		return refuse(why, "must be 2 to 80 of a-z, 0-9 and -");
	if (strcmp(s, "map") == 0 || strcmp(s, "new") == 0)
		return refuse(why, "is a reserved word");
	return 0;
}

int
labs_check_country(const char *s, const char **why)
{
	size_t i;

	if (strlen(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z')
		return refuse(why, "must be an ISO 3166-1 code such as IT");
	for (i = 0; iso_countries[i] != '\0'; i += 2)
		if (iso_countries[i] == s[0] && iso_countries[i + 1] == s[1])
			return 0;
	return refuse(why, "is not an assigned ISO 3166-1 country code");
}

int
labs_check_term_key(const char *s, const char **why)
{
	static const char allowed[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
	size_t n = strlen(s);

	if (n < 1 || n > 60 || s[0] == '-' || strspn(s, allowed) != n)
		return refuse(why, "is not a vocabulary key");
	return 0;
}

int
labs_check_language(const char *s, const char **why)
{
	if (strlen(s) != 2 || s[0] < 'a' || s[0] > 'z' || s[1] < 'a' || s[1] > 'z')
		return refuse(why, "must be an ISO 639-1 code such as fi");
	return 0;
}

/* A decimal number: optional sign, digits, optional fraction; nothing else
 * (strtod alone would take "nan", "inf", hex and leading spaces). */
static int
parse_degrees(const char *s, double *out)
{
	const char *p = s;
	size_t digits;
	char *end;

	if (*p == '-' || *p == '+')
		p++;
	digits = strspn(p, "0123456789");
	p += digits;
	if (*p == '.') {
		p++;
		digits += strspn(p, "0123456789");
		p += strspn(p, "0123456789");
	}
	if (digits == 0 || digits > 20 || *p != '\0')
		return -1;
	*out = strtod(s, &end);
	return *end == '\0' ? 0 : -1;
}

int
labs_check_position(const char *lat, const char *lon, double *latitude,
    double *longitude, int *present, const char **why)
{
	int have_lat = lat != NULL && lat[0] != '\0';
	int have_lon = lon != NULL && lon[0] != '\0';

	*present = 0;
	if (!have_lat && !have_lon)
		return 0;
	if (have_lat != have_lon)
		return refuse(why, "needs both latitude and longitude") -
		    (have_lat ? 1 : 0);
	if (parse_degrees(lat, latitude) < 0)
		return refuse(why, "must be decimal degrees such as 45.4642");
	if (parse_degrees(lon, longitude) < 0)
		return refuse(why, "must be decimal degrees such as 45.4642") - 1;
	if (*latitude < -90.0 || *latitude > 90.0)
		return refuse(why, "latitude must be between -90 and 90");
	if (*longitude < -180.0 || *longitude > 180.0)
		return refuse(why, "longitude must be between -180 and 180") - 1;
	*present = 1;
	return 0;
}

/*
 * Whether s holds a space or a control character, Unicode ones included:
 * the database's [^[:space:]] in a C.UTF-8 cluster refuses U+1680,
 * U+2000..U+200A, U+2028, U+2029, U+205F and U+3000 too, so a value that
 * passes here must not hold them (else the form would pass and the INSERT
 * fail: a 500 instead of a field error). Also refused: C1 controls, NBSP
 * and the other no-break spaces, which no address needs either.
 */
static int
has_space_or_control(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p <= 0x20 || *p == 0x7f)
			return 1;
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0xa0)
			return 1;	/* U+0080..U+009F controls, U+00A0 */
		if (p[0] == 0xe1 && p[1] == 0x9a && p[2] == 0x80)
			return 1;	/* U+1680 */
		if (p[0] == 0xe2 && p[1] == 0x80 &&
		    ((p[2] >= 0x80 && p[2] <= 0x8a) || p[2] == 0xa8 ||
		    p[2] == 0xa9 || p[2] == 0xaf))
			return 1;	/* U+2000..U+200A, U+2028, U+2029, U+202F */
		if (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f)
			return 1;	/* U+205F */
		if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80)
			return 1;	/* U+3000 */
	}
	return 0;
}

int
labs_check_website(const char *s, const char **why)
{
	static const char host_chars[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-";
	const char *host, *p;
	size_t n;

	if (s[0] == '\0')
		return 0;
	if (strlen(s) > 500)
		return refuse(why, "is longer than 500 characters");
	if (strncasecmp(s, "https://", 8) == 0)
		host = s + 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		host = s + 7;
	else
		return refuse(why, "must start with http:// or https://");
	if (has_space_or_control(s))
		return refuse(why, "must not contain spaces");
	n = strspn(host, host_chars);
	if (n == 0 || host[0] == '.' || host[0] == '-' || host[n - 1] == '.' ||
	    host[n - 1] == '-')
		return refuse(why, "must name a host");
	p = host + n;
	if (*p == ':') {
		n = strspn(p + 1, "0123456789");
		if (n < 1 || n > 5)
			return refuse(why, "has a bad port");
		p += 1 + n;
	}
	if (*p != '\0' && *p != '/' && *p != '?' && *p != '#')
		return refuse(why, "must name a host");
	return 0;
}

int
labs_check_email(const char *s, const char **why)
{
	const char *at, *dot;

	if (s[0] == '\0')
		return 0;
	if (strlen(s) > 254)
		return refuse(why, "is longer than 254 characters");
	at = strchr(s, '@');
	if (has_space_or_control(s) || at == NULL || at == s ||
	    strchr(at + 1, '@') != NULL)
		return refuse(why, "must be an address like name@example.org");
	dot = strrchr(at + 1, '.');
	if (dot == NULL || dot == at + 1 || dot[1] == '\0')
		return refuse(why, "must be an address like name@example.org");
	return 0;
}

int
labs_check_phone(const char *s, const char **why)
{
	const char *p = s;
	size_t n;

	if (s[0] == '\0')
		return 0;
	if (*p == '+')
		p++;
	n = strlen(p);
	if (((*p < '0' || *p > '9') && *p != '(') || n < 4 || n > 39 ||
	    strspn(p, "0123456789 ()./-") != n)
		return refuse(why, "must be a phone number like +39 02 123 4567");
	return 0;
}

int
labs_check_text(const char *s, size_t max, int required, const char **why)
{
	const unsigned char *p;
	size_t chars = 0;
	int blank = 1;

	for (p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xC0) != 0x80)
			chars++;
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			blank = 0;
	}
	if (required && blank)
		return refuse(why, "is required");
	if (chars > max)
		return refuse(why, "is too long");
	return 0;
}
