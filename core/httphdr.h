/*
 * httphdr.h - parsers for the request headers the core reads itself:
 * Cookie, Accept (format negotiation), Accept-Language and Content-Type.
 *
 * Headers are untrusted NUL-terminated strings. Every parser walks its input
 * once with a cursor that only moves forward (no recursion, no backtracking),
 * so any header costs time linear in its length, and never reads past the
 * terminator. Nothing here allocates except where an arena is passed in;
 * what it hands out lives until that arena is destroyed.
 *
 * Weights (RFC 9110 12.4.2) are parsed strictly: "0", "0.", "0.5", "0.001",
 * "1", "1.000"; the name "q" in any case; no spaces around '=', no quotes.
 * A list element with a malformed weight, or malformed in any other way, is
 * skipped as if absent: it neither grants nor refuses anything.
 */
#ifndef LABNET_HTTPHDR_H
#define LABNET_HTTPHDR_H

#include <stddef.h>

#include "arena.h"

#define HTTPHDR_ENOMEM		(-1)	/* the arena could not allocate */
#define HTTPHDR_EINVAL		(-2)	/* the header does not parse */
#define HTTPHDR_ENOTFOUND	(-3)	/* the header parses, the parameter is absent */

/*
 * Called once per cookie, in header order (duplicates included: the first
 * is the one with the most specific path). name and value are
 * NUL-terminated, owned by the arena given to httphdr_cookies(), and stay
 * valid after it returns. Return 0 to go on; anything else stops parsing and
 * becomes httphdr_cookies()'s result.
 */
typedef int (*httphdr_pair_fn)(void *ctx, const char *name, size_t name_len,
    const char *value, size_t value_len);

/*
 * Parses a Cookie header ("a=1; b=\"x y\"; c="), tolerating spaces and tabs
 * around names, values and separators. One pair of double quotes around a
 * value is removed. A piece without '=', with an empty name or a name that
 * is not an RFC 9110 token, with an unbalanced quote, or with a control
 * character in its value is skipped; the rest of the header still counts.
 * NULL or "" calls nothing. Returns 0, the callback's result, or
 * HTTPHDR_ENOMEM. Uses at most strlen(header) + 1 bytes of the arena.
 */
int httphdr_cookies(arena *a, const char *header, httphdr_pair_fn fn,
    void *ctx);

/*
 * The weight an Accept header gives to a concrete media_type ("text/csv",
 * or with parameters: "text/plain;format=flowed"), per RFC 9110 12.5.1: the
 * most specific matching range wins (an exact type/subtype over a wildcard
 * subtype over the full wildcard; among equals, the range with more
 * parameters, all of which media_type must
 * carry with equal values, compared case-insensitively; on a tie, the first
 * in the header). Returns 0.0 when no range matches, 1.0 when the header is
 * NULL, empty or has no well-formed element (treated as absent), and 0.0
 * when media_type itself is malformed or contains a wildcard.
 */
double httphdr_accept_q(const char *accept, const char *media_type);

/*
 * 1 when the Accept header weighs application/xml or text/xml strictly above
 * text/html, else 0: a missing header, the full wildcard (curl), browsers
 * that list XML below HTML and every tie give 0, so HTML wins ties.
 */
int httphdr_prefers_xml(const char *accept);

/*
 * The tag from supported (a NULL-terminated list of primary language tags:
 * "en", "it", ...) that the Accept-Language header weighs highest, or NULL
 * when none is acceptable (the caller falls back to its default).
 * A range matches a tag when it equals it or extends it ("fi-FI" matches
 * "fi"; "fil" does not), case-insensitively; several ranges naming one tag
 * give it their highest weight. "*" gives its weight to every supported tag
 * no range names. q=0 excludes. Ties go to the range earlier in the header,
 * then to the tag earlier in supported. Returns a pointer from supported.
 */
const char *httphdr_accept_language(const char *header,
    const char *const *supported);

/*
 * Copies the value of parameter param (name compared case-insensitively) of
 * a Content-Type such as `multipart/form-data; boundary="abc"` onto the
 * arena, quotes and backslash escapes removed, NUL-terminated. Returns 0,
 * HTTPHDR_ENOTFOUND, HTTPHDR_ENOMEM, or HTTPHDR_EINVAL when the header does
 * not parse as type/subtype *( OWS ";" OWS [ name=value ] ) or names the
 * parameter twice (two readers could pick different ones). On failure *out
 * is NULL. The value may be empty: callers check what they need.
 */
int httphdr_media_param(arena *a, const char *content_type, const char *param,
    char **out);

/*
 * 1 when content_type's type/subtype equals type ("multipart/form-data"),
 * case-insensitively, parameters ignored; 0 otherwise or when malformed.
 */
int httphdr_media_is(const char *content_type, const char *type);

#endif
