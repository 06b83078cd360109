/*
 * multipart.h - streaming multipart/form-data parser for untrusted request
 * bodies (RFC 7578 on top of RFC 2046 section 5.1).
 *
 * The body is fed in chunks of any size, down to one byte; parts come out
 * through callbacks, their data as soon as it cannot be part of a delimiter.
 * Memory is fixed by multipart_create() (the delimiter, one header buffer and
 * one value buffer, each bounded by the limits): the parser never allocates
 * while parsing, however long the body or however many parts it has.
 * Everything lives on the arena given to multipart_create(); nothing is freed.
 *
 * What is accepted, and what is refused:
 *  - The delimiter is CRLF "--" boundary; one at the very start of the body
 *    needs no CRLF. Preamble and epilogue are ignored. Spaces and tabs after
 *    a boundary, before its CRLF, are transport padding. A delimiter followed
 *    by anything else (the boundary inside the data, which RFC 2046 forbids
 *    the sender) is MULTIPART_ESYNTAX, never data.
 *  - Part headers: names compared case-insensitively; each line "name: value"
 *    with a token name; NUL, a CR or LF on its own, any other control byte
 *    but HT, and folded (obs-fold) lines are refused. Content-Disposition must
 *    be form-data with a non-empty name="..."; filename="..." is optional.
 *    Parameter values are tokens or quoted strings, where a backslash escapes
 *    the next byte (so an old browser's filename="C:\dir\f" comes out as
 *    "C:dirf"). filename*= (RFC 5987) is ignored: RFC 7578 section 4.2 forbids
 *    senders to use it. Unknown parameters and unknown headers (including
 *    Content-Transfer-Encoding, deprecated by RFC 7578) are ignored; a
 *    repeated Content-Disposition, Content-Type, name or filename is refused.
 *    All header errors are MULTIPART_EHEADER.
 */
#ifndef LABNET_MULTIPART_H
#define LABNET_MULTIPART_H

#include <stddef.h>

#include "arena.h"

/* Failure codes; 0 is success. */
#define MULTIPART_ESYNTAX	(-1)	/* bad framing around a delimiter */
#define MULTIPART_EHEADER	(-2)	/* bad, too large or too many part headers */
#define MULTIPART_ETOOMANY	(-3)	/* more than max_parts parts */
#define MULTIPART_ETRUNCATED	(-4)	/* body ended before the close delimiter */
#define MULTIPART_ENOMEM	(-5)	/* kept for callers' code tables: feed never
				   allocates, create reports OOM as NULL */
#define MULTIPART_ECALLBACK	(-6)	/* a callback returned non-zero */

/* Used for a limit given as 0 (or for all of them when limits is NULL). */
#define MULTIPART_DEFAULT_MAX_PARTS		1000
#define MULTIPART_DEFAULT_MAX_HEADER_BYTES	8192
#define MULTIPART_DEFAULT_MAX_HEADERS		16
/* max_header_bytes above this is refused by multipart_create(). */
#define MULTIPART_MAX_HEADER_BYTES_CAP		(1024 * 1024)

#define MULTIPART_BOUNDARY_MAX	70

typedef struct multipart_parser multipart_parser;

typedef struct multipart_limits {
	size_t max_parts;	/* more parts: MULTIPART_ETOOMANY */
	size_t max_header_bytes; /* one part's header block, every byte counted
				    (CRLFs and the blank line too): EHEADER */
	size_t max_headers;	/* header lines in one part: EHEADER */
} multipart_limits;

/*
 * Any callback may be NULL. A non-zero return stops the parser with
 * MULTIPART_ECALLBACK. Callbacks must not call back into the parser.
 *
 * part_begin: name is the form field (never NULL nor empty), filename is NULL
 * when the part has none, content_type is NULL when the header is absent
 * (RFC 7578: then text/plain). The three strings are decoded and
 * NUL-terminated, but live in the parser's own buffer and are valid only
 * until part_begin returns: the buffer is reused by the next part, which is
 * what keeps memory constant. Copy them (arena_strdup) to keep them. The
 * filename is whatever the client sent: never use it as a path.
 *
 * part_data: the part's bytes, in order, in chunks of any size (not
 * NUL-terminated, possibly containing NUL). The pointer is valid only during
 * the call.
 *
 * part_end: the part is complete. It is not called for a part cut short by
 * an error: after any error the parser calls nothing more.
 */
typedef struct multipart_callbacks {
	int (*part_begin)(void *ctx, const char *name, const char *filename,
	    const char *content_type);
	int (*part_data)(void *ctx, const char *data, size_t n);
	int (*part_end)(void *ctx);
} multipart_callbacks;

/*
 * A parser on arena a. boundary is the raw boundary parameter already
 * extracted (and unquoted) from Content-Type: 1..70 RFC 2046 bchars, not
 * ending in a space. limits may be NULL (defaults); a zero field takes its
 * default. cb may be NULL (the body is then only checked). ctx is passed to
 * the callbacks and not owned.
 *
 * Returns NULL on a bad boundary, bad limits or OOM, with *error (if error
 * is not NULL) set to a static message; on success *error is set to NULL.
 */
multipart_parser *multipart_create(arena *a, const char *boundary,
    const multipart_limits *limits, const multipart_callbacks *cb, void *ctx,
    const char **error);

/*
 * Feeds the next n bytes of the body (n may be 0). Returns 0, or a negative
 * MULTIPART_E* code with the message kept on the parser. Errors are sticky:
 * after one, every further feed or finish returns the same code and calls
 * no callback. Bytes after the close delimiter are ignored.
 */
int multipart_feed(multipart_parser *p, const char *data, size_t n);

/*
 * The end of the body. Returns 0 only if the close delimiter was seen; else
 * MULTIPART_ETRUNCATED (sticky), or the earlier error.
 */
int multipart_finish(multipart_parser *p);

/* The message for the parser's error, "" if none. Owned by the parser. */
const char *multipart_error(const multipart_parser *p);

#endif
