/*
 * validate.h - the labs plugin's field checks: pure functions, no request,
 * no database. The list's filter parameters use them as ln_validators now;
 * the edit forms will use them for field-level errors. Each mirrors a
 * constraint of sql/labs/001_labs.sql, so a value they accept is one the
 * database accepts (the database stays the last word). Each returns 0, or
 * -1 with *why set to a static English reason.
 */
#ifndef LABS_VALIDATE_H
#define LABS_VALIDATE_H

#include <stddef.h>

/* [a-z0-9-]{2,80}, and not a word the plugin uses as a page ("map"). */
int labs_check_slug(const char *s, const char **why);
/* An ISO 3166-1 alpha-2 code, upper case, that the standard assigns. */
int labs_check_country(const char *s, const char **why);
/* A vocabulary key: [A-Za-z0-9][A-Za-z0-9-]{0,59}. */
int labs_check_term_key(const char *s, const char **why);
/* An ISO 639-1 language code: two lower-case letters. */
int labs_check_language(const char *s, const char **why);
/* Decimal degrees: both given or both empty; latitude in [-90, 90],
 * longitude in [-180, 180]. On success *lat and *lon hold the values and
 * *present says whether there were any. A refusal is -1 when the
 * latitude is at fault (wrong, or the one missing) and -2 when the
 * longitude is, so a form can show the error on the right field. */
int labs_check_position(const char *lat, const char *lon, double *latitude,
    double *longitude, int *present, const char **why);
/* An absolute http:// or https:// URL with a host name, no spaces, at most
 * 500 bytes. Empty is allowed (no website). */
int labs_check_website(const char *s, const char **why);
/* local@domain.tld, no spaces, at most 254 bytes; empty is allowed. */
int labs_check_email(const char *s, const char **why);
/* A phone number: optional +, then a digit or "(", then digits, spaces
 * and ( ) . / -, 4 to 39 characters in all; empty is allowed. */
int labs_check_phone(const char *s, const char **why);
/* Text of at most max characters (UTF-8 code points, as PostgreSQL's
 * length() counts); required: not empty or only white space. */
int labs_check_text(const char *s, size_t max, int required, const char **why);

#endif
