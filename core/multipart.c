/*
 * multipart.c - streaming multipart/form-data parser (see multipart.h).
 *
 * Owns the parser: the delimiter "\r\n--boundary", a buffer for one part's
 * header block and one for the values decoded from it, all allocated once
 * on the caller's arena at create time and reused part after part. Part
 * data is never copied: it goes to part_data straight from the caller's
 * chunk, or from the delimiter itself for held-back bytes that turned out
 * not to be one. Does not own the callbacks' context, nor decide what the
 * fields mean.
 */
#include "multipart.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum multipart_state {
	MULTIPART_STATE_BODY,		/* preamble or part data: find a delimiter */
	MULTIPART_STATE_AFTER_BOUNDARY,	/* first byte after the boundary */
	MULTIPART_STATE_CLOSE_DASH,	/* "-" seen: the second one closes */
	MULTIPART_STATE_PADDING,	/* spaces and tabs before the CRLF */
	MULTIPART_STATE_LINE_END,	/* CR seen: LF must follow */
	MULTIPART_STATE_HEADERS,	/* a part's header block */
	MULTIPART_STATE_EPILOGUE,	/* after the close delimiter: ignored */
};

/* The Content-Disposition parameters that are kept. */
enum multipart_param {
	MULTIPART_PARAM_NAME,
	MULTIPART_PARAM_FILENAME,
	MULTIPART_PARAM_COUNT
};

static const char *const multipart_param_names[MULTIPART_PARAM_COUNT] = {
	[MULTIPART_PARAM_NAME] = "name",
	[MULTIPART_PARAM_FILENAME] = "filename",
};

struct multipart_parser {
	multipart_callbacks cb;
	void *ctx;
	multipart_limits limits;

	char *delimiter;	/* "\r\n--" boundary, NUL-terminated */
	size_t delimiter_len;
	size_t matched;		/* delimiter bytes matched and held back */
	enum multipart_state state;
	int in_part;		/* part_begin called, part_end not yet */
	size_t nparts;		/* parts started, counting the current one */

	char *header_buf;	/* header lines, each NUL-terminated */
	size_t header_len;
	size_t header_raw;	/* bytes of the block seen, CRLFs included */
	size_t header_lines;
	size_t line_len;	/* bytes of the current line so far */
	int header_cr;		/* the previous header byte was CR */

	char *value_buf;	/* decoded values handed to part_begin */
	size_t value_len;
	size_t buf_size;	/* of header_buf and value_buf each */

	int error;
	char message[128];
};

/* The per-part view of the header block while it is being parsed. */
struct multipart_headers {
	const char *param[MULTIPART_PARAM_COUNT];
	const char *content_type;
	int have_disposition;
};

typedef int (*multipart_header_fn)(multipart_parser *p,
    struct multipart_headers *h, const char *value, size_t len);

static int multipart_parse_disposition(multipart_parser *p,
    struct multipart_headers *h, const char *s, size_t len);
static int multipart_parse_content_type(multipart_parser *p,
    struct multipart_headers *h, const char *s, size_t len);

/* The headers that mean something; any other is ignored. */
static const struct {
	const char *name;
	multipart_header_fn parse;
} multipart_header_table[] = {
	{ "content-disposition", multipart_parse_disposition },
	{ "content-type", multipart_parse_content_type },
};

static int multipart_fail(multipart_parser *p, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records the first error on the handle and returns its code. */
static int
multipart_fail(multipart_parser *p, int code, const char *fmt, ...)
{
	va_list ap;

	if (p->error == 0) {
		p->error = code;
		va_start(ap, fmt);
		vsnprintf(p->message, sizeof(p->message), fmt, ap);
		va_end(ap);
	}
	return p->error;
}

/* RFC 2046 bchars. Written out rather than isalnum() so no locale applies. */
static int
multipart_is_bchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("'()+_,-./:=? ", c));
}

/* RFC 7230 tchar. */
static int
multipart_is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

static int
multipart_is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Does s[0..len) equal the lower-case literal lit, ignoring ASCII case? */
static int
multipart_ascii_ieq(const char *s, size_t len, const char *lit)
{
	size_t i;
	unsigned char c;

	if (strlen(lit) != len)
		return 0;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (c != (unsigned char)lit[i])
			return 0;
	}
	return 1;
}

static size_t
multipart_skip_ows(const char *s, size_t len, size_t pos)
{
	while (pos < len && multipart_is_ows(s[pos]))
		pos++;
	return pos;
}

static size_t
multipart_token_end(const char *s, size_t len, size_t pos)
{
	while (pos < len && multipart_is_tchar((unsigned char)s[pos]))
		pos++;
	return pos;
}

multipart_parser *
multipart_create(arena *a, const char *boundary, const multipart_limits *limits,
    const multipart_callbacks *cb, void *ctx, const char **error)
{
	multipart_parser *p = NULL;
	const char *why = NULL;
	multipart_limits lim = { 0, 0, 0 };
	size_t blen, i;

	if (a == NULL || boundary == NULL) {
		why = "no arena or no boundary";
		goto fail;
	}
	blen = strnlen(boundary, MULTIPART_BOUNDARY_MAX + 1);
	if (blen == 0) {
		why = "empty boundary";
		goto fail;
	}
	if (blen > MULTIPART_BOUNDARY_MAX) {
		why = "boundary longer than 70 characters";
		goto fail;
	}
	for (i = 0; i < blen; i++)
		if (!multipart_is_bchar((unsigned char)boundary[i])) {
			why = "boundary has a character outside RFC 2046 bchars";
			goto fail;
		}
	if (boundary[blen - 1] == ' ') {
		why = "boundary ends with a space";
		goto fail;
	}

	if (limits != NULL)
		lim = *limits;
	if (lim.max_parts == 0)
		lim.max_parts = MULTIPART_DEFAULT_MAX_PARTS;
	if (lim.max_header_bytes == 0)
		lim.max_header_bytes = MULTIPART_DEFAULT_MAX_HEADER_BYTES;
	if (lim.max_headers == 0)
		lim.max_headers = MULTIPART_DEFAULT_MAX_HEADERS;
	if (lim.max_header_bytes > MULTIPART_MAX_HEADER_BYTES_CAP) {
		why = "max_header_bytes above MULTIPART_MAX_HEADER_BYTES_CAP";
		goto fail;
	}

	p = arena_calloc(a, 1, sizeof(*p));
	if (p == NULL) {
		why = "out of memory";
		goto fail;
	}
	if (cb != NULL)
		p->cb = *cb;
	p->ctx = ctx;
	p->limits = lim;
	p->delimiter_len = 4 + blen;
	p->delimiter = arena_alloc(a, p->delimiter_len + 1);
	/*
	 * Values decode to no more bytes than they take in the block (with a
	 * NUL instead of at least "name="), so one block's size bounds both.
	 */
	p->buf_size = lim.max_header_bytes + 1;
	p->header_buf = arena_alloc(a, p->buf_size);
	p->value_buf = arena_alloc(a, p->buf_size);
	if (p->delimiter == NULL || p->header_buf == NULL ||
	    p->value_buf == NULL) {
		why = "out of memory";
		goto fail;
	}
	memcpy(p->delimiter, "\r\n--", 4);
	memcpy(p->delimiter + 4, boundary, blen);
	p->delimiter[p->delimiter_len] = '\0';
	/* As if the body began with CRLF: a delimiter at the very start needs none. */
	p->matched = 2;
	p->state = MULTIPART_STATE_BODY;
	p->message[0] = '\0';

fail:
	if (why != NULL)
		p = NULL;
	if (error != NULL)
		*error = why;
	return p;
}

/* Passes data on to the current part; preamble bytes go nowhere. */
static int
multipart_emit(multipart_parser *p, const char *data, size_t n)
{
	int rc = 0;

	if (!p->in_part || n == 0 || p->cb.part_data == NULL)
		goto done;
	if (p->cb.part_data(p->ctx, data, n) != 0)
		rc = multipart_fail(p, MULTIPART_ECALLBACK,
		    "part %zu: part_data callback failed", p->nparts);
done:
	return rc;
}

static int
multipart_end_part(multipart_parser *p)
{
	int rc = 0;

	if (!p->in_part)
		goto done;
	p->in_part = 0;
	if (p->cb.part_end != NULL && p->cb.part_end(p->ctx) != 0)
		rc = multipart_fail(p, MULTIPART_ECALLBACK,
		    "part %zu: part_end callback failed", p->nparts);
done:
	return rc;
}

/* A delimiter line is complete: a new part's headers follow. */
static int
multipart_start_headers(multipart_parser *p)
{
	int rc = 0;

	if (p->nparts >= p->limits.max_parts) {
		rc = multipart_fail(p, MULTIPART_ETOOMANY,
		    "more than %zu parts", p->limits.max_parts);
		goto done;
	}
	p->nparts++;
	p->header_len = 0;
	p->header_raw = 0;
	p->header_lines = 0;
	p->line_len = 0;
	p->header_cr = 0;
	p->state = MULTIPART_STATE_HEADERS;
done:
	return rc;
}

/*
 * Scans part data (or the preamble) from data[*pos], passing on every byte
 * that cannot start a delimiter. Stops after a whole delimiter, or at the
 * end of the chunk with the bytes that might still be one held back.
 * Because the delimiter starts with CR and the boundary cannot contain one,
 * the held bytes are always a prefix of the delimiter, and on a mismatch the
 * only possible new start is the mismatching byte itself: no window buffer
 * and no backtracking are needed.
 */
static int
multipart_scan_body(multipart_parser *p, const char *data, size_t n,
    size_t *pos)
{
	size_t i = *pos;
	const char *cr;
	int rc = 0;

	while (i < n) {
		if (p->matched == 0) {
			cr = memchr(data + i, '\r', n - i);
			if (cr == NULL) {
				rc = multipart_emit(p, data + i, n - i);
				i = n;
				goto done;
			}
			rc = multipart_emit(p, data + i, (size_t)(cr - data) - i);
			if (rc != 0)
				goto done;
			i = (size_t)(cr - data) + 1;
			p->matched = 1;
			continue;
		}
		if (data[i] == p->delimiter[p->matched]) {
			i++;
			if (++p->matched == p->delimiter_len) {
				p->matched = 0;
				p->state = MULTIPART_STATE_AFTER_BOUNDARY;
				goto done;
			}
			continue;
		}
		/* Not a delimiter after all: the held bytes were data. */
		rc = multipart_emit(p, p->delimiter, p->matched);
		p->matched = 0;
		if (rc != 0)
			goto done;
		if (data[i] == '\r') {
			p->matched = 1;
			i++;
		}
	}
done:
	*pos = i;
	return rc;
}

/* One byte of what follows a boundary: "--", or padding and CRLF. */
static int
multipart_delimiter_byte(multipart_parser *p, char c)
{
	int rc = 0;

	switch (p->state) {
	case MULTIPART_STATE_AFTER_BOUNDARY:
		if (c == '-')
			p->state = MULTIPART_STATE_CLOSE_DASH;
		else if (multipart_is_ows(c))
			p->state = MULTIPART_STATE_PADDING;
		else if (c == '\r')
			p->state = MULTIPART_STATE_LINE_END;
		else
			rc = multipart_fail(p, MULTIPART_ESYNTAX,
			    "boundary followed by other than CRLF or \"--\" "
			    "(after part %zu)", p->nparts);
		break;
	case MULTIPART_STATE_CLOSE_DASH:
		if (c != '-') {
			rc = multipart_fail(p, MULTIPART_ESYNTAX,
			    "boundary followed by a single \"-\" (after part %zu)",
			    p->nparts);
			break;
		}
		rc = multipart_end_part(p);
		p->state = MULTIPART_STATE_EPILOGUE;
		break;
	case MULTIPART_STATE_PADDING:
		if (c == '\r')
			p->state = MULTIPART_STATE_LINE_END;
		else if (!multipart_is_ows(c))
			rc = multipart_fail(p, MULTIPART_ESYNTAX,
			    "boundary padding followed by other than CRLF "
			    "(after part %zu)", p->nparts);
		break;
	case MULTIPART_STATE_LINE_END:
		if (c != '\n') {
			rc = multipart_fail(p, MULTIPART_ESYNTAX,
			    "CR without LF after boundary (after part %zu)",
			    p->nparts);
			break;
		}
		rc = multipart_end_part(p);
		if (rc == 0)
			rc = multipart_start_headers(p);
		break;
	default:
		rc = multipart_fail(p, MULTIPART_ESYNTAX, "internal state error");
		break;
	}
	return rc;
}

/* Starts a decoded value in value_buf; see multipart_value_put/_end. */
static size_t
multipart_value_begin(const multipart_parser *p)
{
	return p->value_len;
}

static int
multipart_value_put(multipart_parser *p, char c)
{
	int rc = 0;

	/* Keep room for the NUL. Cannot trigger given the sizes; checked anyway. */
	if (p->value_len + 1 >= p->buf_size) {
		rc = multipart_fail(p, MULTIPART_EHEADER,
		    "part %zu: header values too long", p->nparts);
		goto done;
	}
	p->value_buf[p->value_len++] = c;
done:
	return rc;
}

/* NUL-terminates the value begun at start and hands it out in *value. */
static int
multipart_value_end(multipart_parser *p, size_t start, const char **value)
{
	int rc = 0;

	if (p->value_len >= p->buf_size) {
		rc = multipart_fail(p, MULTIPART_EHEADER,
		    "part %zu: header values too long", p->nparts);
		goto done;
	}
	p->value_buf[p->value_len++] = '\0';
	*value = p->value_buf + start;
done:
	return rc;
}

/*
 * A parameter value at s[*pos]: a token or a quoted string with backslash
 * escapes, decoded into value_buf. *value gets the NUL-terminated result.
 */
static int
multipart_param_value(multipart_parser *p, const char *s, size_t len,
    size_t *pos, const char **value)
{
	size_t i = *pos, start = multipart_value_begin(p), end;
	int rc = 0;

	if (i < len && s[i] == '"') {
		for (i++; i < len && s[i] != '"'; i++) {
			if (s[i] == '\\' && ++i == len)
				break;
			rc = multipart_value_put(p, s[i]);
			if (rc != 0)
				goto done;
		}
		if (i == len) {
			rc = multipart_fail(p, MULTIPART_EHEADER,
			    "part %zu: unterminated quoted string", p->nparts);
			goto done;
		}
		i++;
	} else {
		end = multipart_token_end(s, len, i);
		if (end == i) {
			rc = multipart_fail(p, MULTIPART_EHEADER,
			    "part %zu: empty or invalid parameter value",
			    p->nparts);
			goto done;
		}
		for (; i < end; i++) {
			rc = multipart_value_put(p, s[i]);
			if (rc != 0)
				goto done;
		}
	}
	rc = multipart_value_end(p, start, value);
done:
	*pos = i;
	return rc;
}

static int
multipart_param_slot(const char *name, size_t len)
{
	int i;

	for (i = 0; i < MULTIPART_PARAM_COUNT; i++)
		if (multipart_ascii_ieq(name, len, multipart_param_names[i]))
			return i;
	return -1;
}

/* form-data *( OWS ";" OWS token OWS "=" OWS ( token / quoted-string ) ) */
static int
multipart_parse_disposition(multipart_parser *p, struct multipart_headers *h,
    const char *s, size_t len)
{
	size_t pos, start, mark;
	const char *value = NULL;
	int slot, rc = 0;

	if (h->have_disposition) {
		rc = multipart_fail(p, MULTIPART_EHEADER,
		    "part %zu: repeated Content-Disposition", p->nparts);
		goto done;
	}
	h->have_disposition = 1;
	pos = multipart_token_end(s, len, 0);
	if (!multipart_ascii_ieq(s, pos, "form-data")) {
		rc = multipart_fail(p, MULTIPART_EHEADER,
		    "part %zu: Content-Disposition is not form-data", p->nparts);
		goto done;
	}
	for (;;) {
		pos = multipart_skip_ows(s, len, pos);
		if (pos == len)
			break;
		if (s[pos] != ';') {
			rc = multipart_fail(p, MULTIPART_EHEADER,
			    "part %zu: malformed Content-Disposition", p->nparts);
			goto done;
		}
		pos = multipart_skip_ows(s, len, pos + 1);
		if (pos == len)
			break;	/* a trailing ";" is harmless */
		start = pos;
		pos = multipart_token_end(s, len, pos);
		if (pos == start) {
			rc = multipart_fail(p, MULTIPART_EHEADER,
			    "part %zu: malformed Content-Disposition parameter",
			    p->nparts);
			goto done;
		}
		slot = multipart_param_slot(s + start, pos - start);
		pos = multipart_skip_ows(s, len, pos);
		if (pos == len || s[pos] != '=') {
			rc = multipart_fail(p, MULTIPART_EHEADER,
			    "part %zu: Content-Disposition parameter without "
			    "value", p->nparts);
			goto done;
		}
		pos = multipart_skip_ows(s, len, pos + 1);
		mark = p->value_len;
		rc = multipart_param_value(p, s, len, &pos, &value);
		if (rc != 0)
			goto done;
		if (slot < 0) {
			/* Unknown, or filename*: parsed for syntax, not kept. */
			p->value_len = mark;
			continue;
		}
		if (h->param[slot] != NULL) {
			rc = multipart_fail(p, MULTIPART_EHEADER,
			    "part %zu: repeated Content-Disposition parameter",
			    p->nparts);
			goto done;
		}
		h->param[slot] = value;
	}
done:
	return rc;
}

static int
multipart_parse_content_type(multipart_parser *p, struct multipart_headers *h,
    const char *s, size_t len)
{
	size_t start = multipart_value_begin(p), i;
	int rc = 0;

	if (h->content_type != NULL) {
		rc = multipart_fail(p, MULTIPART_EHEADER,
		    "part %zu: repeated Content-Type", p->nparts);
		goto done;
	}
	if (len == 0) {
		rc = multipart_fail(p, MULTIPART_EHEADER,
		    "part %zu: empty Content-Type", p->nparts);
		goto done;
	}
	for (i = 0; i < len; i++) {
		rc = multipart_value_put(p, s[i]);
		if (rc != 0)
			goto done;
	}
	rc = multipart_value_end(p, start, &h->content_type);
done:
	return rc;
}

/* One "name: value" line, NUL-free and without its CRLF. */
static int
multipart_parse_header_line(multipart_parser *p, struct multipart_headers *h,
    const char *line, size_t len)
{
	size_t colon, start, end, i;
	int rc = 0;

	colon = multipart_token_end(line, len, 0);
	if (colon == 0 || colon == len || line[colon] != ':') {
		rc = multipart_fail(p, MULTIPART_EHEADER,
		    "part %zu: malformed header line", p->nparts);
		goto done;
	}
	start = multipart_skip_ows(line, len, colon + 1);
	end = len;
	while (end > start && multipart_is_ows(line[end - 1]))
		end--;
	for (i = 0; i < sizeof(multipart_header_table) /
	    sizeof(multipart_header_table[0]); i++)
		if (multipart_ascii_ieq(line, colon,
		    multipart_header_table[i].name)) {
			rc = multipart_header_table[i].parse(p, h,
			    line + start, end - start);
			break;
		}
done:
	return rc;
}

/* The header block is complete: check it and open the part. */
static int
multipart_begin_part(multipart_parser *p)
{
	struct multipart_headers h;
	size_t pos = 0, len;
	int rc = 0;

	memset(&h, 0, sizeof(h));
	p->value_len = 0;
	while (pos < p->header_len) {
		len = strlen(p->header_buf + pos);
		rc = multipart_parse_header_line(p, &h, p->header_buf + pos, len);
		if (rc != 0)
			goto done;
		pos += len + 1;
	}
	if (!h.have_disposition) {
		rc = multipart_fail(p, MULTIPART_EHEADER,
		    "part %zu: no Content-Disposition", p->nparts);
		goto done;
	}
	if (h.param[MULTIPART_PARAM_NAME] == NULL ||
	    h.param[MULTIPART_PARAM_NAME][0] == '\0') {
		rc = multipart_fail(p, MULTIPART_EHEADER,
		    "part %zu: no field name", p->nparts);
		goto done;
	}
	p->in_part = 1;
	p->matched = 0;
	p->state = MULTIPART_STATE_BODY;
	if (p->cb.part_begin != NULL &&
	    p->cb.part_begin(p->ctx, h.param[MULTIPART_PARAM_NAME],
	    h.param[MULTIPART_PARAM_FILENAME], h.content_type) != 0)
		rc = multipart_fail(p, MULTIPART_ECALLBACK,
		    "part %zu: part_begin callback failed", p->nparts);
done:
	return rc;
}

/*
 * Collects a header block from data[*pos], checking each byte as it comes
 * so that a bad or oversized block is refused without being buffered.
 * Lines are stored NUL-terminated (the CRLF dropped), so the stored bytes
 * never exceed the raw bytes counted against max_header_bytes.
 */
static int
multipart_scan_headers(multipart_parser *p, const char *data, size_t n,
    size_t *pos)
{
	size_t i = *pos;
	unsigned char c;
	const char *what = NULL;
	int rc = 0;

	while (i < n) {
		c = (unsigned char)data[i++];
		if (++p->header_raw > p->limits.max_header_bytes) {
			rc = multipart_fail(p, MULTIPART_EHEADER,
			    "part %zu: header block longer than %zu bytes",
			    p->nparts, p->limits.max_header_bytes);
			goto done;
		}
		if (p->header_cr) {
			if (c != '\n') {
				what = "CR without LF";
				goto refuse;
			}
			p->header_cr = 0;
			if (p->line_len == 0) {
				rc = multipart_begin_part(p);
				goto done;
			}
			if (++p->header_lines > p->limits.max_headers) {
				rc = multipart_fail(p, MULTIPART_EHEADER,
				    "part %zu: more than %zu header lines",
				    p->nparts, p->limits.max_headers);
				goto done;
			}
			if (p->header_len >= p->buf_size) {
				what = "overflow";
				goto refuse;
			}
			p->header_buf[p->header_len++] = '\0';
			p->line_len = 0;
			continue;
		}
		if (c == '\r') {
			p->header_cr = 1;
			continue;
		}
		if (c == '\n')
			what = "LF without CR";
		else if (c == '\0')
			what = "NUL";
		else if ((c < 0x20 && c != '\t') || c == 0x7f)
			what = "control character";
		else if (p->line_len == 0 && multipart_is_ows((char)c))
			what = "folded line or leading whitespace";
		else if (p->header_len >= p->buf_size - 1)
			what = "overflow";
		if (what != NULL)
			goto refuse;
		p->header_buf[p->header_len++] = (char)c;
		p->line_len++;
	}
	goto done;
refuse:
	rc = multipart_fail(p, MULTIPART_EHEADER, "part %zu: %s in header",
	    p->nparts, what);
done:
	*pos = i;
	return rc;
}

int
multipart_feed(multipart_parser *p, const char *data, size_t n)
{
	size_t pos = 0;
	int rc = p->error;

	while (rc == 0 && pos < n) {
		switch (p->state) {
		case MULTIPART_STATE_BODY:
			rc = multipart_scan_body(p, data, n, &pos);
			break;
		case MULTIPART_STATE_HEADERS:
			rc = multipart_scan_headers(p, data, n, &pos);
			break;
		case MULTIPART_STATE_EPILOGUE:
			pos = n;
			break;
		default:
			rc = multipart_delimiter_byte(p, data[pos++]);
			break;
		}
	}
	return rc;
}

int
multipart_finish(multipart_parser *p)
{
	int rc = p->error;

	if (rc != 0)
		goto done;
	switch (p->state) {
	case MULTIPART_STATE_EPILOGUE:
		break;
	case MULTIPART_STATE_BODY:
		if (p->in_part)
			rc = multipart_fail(p, MULTIPART_ETRUNCATED,
			    "body ends inside part %zu", p->nparts);
		else
			rc = multipart_fail(p, MULTIPART_ETRUNCATED,
			    "body ends before the first boundary");
		break;
	case MULTIPART_STATE_HEADERS:
		rc = multipart_fail(p, MULTIPART_ETRUNCATED,
		    "body ends inside the headers of part %zu", p->nparts);
		break;
	default:
		rc = multipart_fail(p, MULTIPART_ETRUNCATED,
		    "body ends inside a boundary line (after part %zu)",
		    p->nparts);
		break;
	}
done:
	return rc;
}

const char *
multipart_error(const multipart_parser *p)
{
	return p->message;
}
