/*
 * httphdr.c - Cookie, Accept, Accept-Language and Content-Type parsing
 * (see httphdr.h).
 *
 * Owns the RFC 9110 / RFC 6265 lexing of those headers and nothing else:
 * which format or language to serve is decided by the callers. The lexer
 * works on NUL-terminated input with a cursor that only moves forward; a
 * malformed list element is skipped from where it went wrong to the next
 * comma, so no input is walked more than a constant number of times.
 * Strings handed out are copies on the caller's arena.
 */
#include "httphdr.h"

#include <string.h>

struct span {
	const char *p;
	size_t len;
};

/* One element of an Accept list. */
struct media_range {
	struct span type;
	struct span subtype;
	const char *params;	/* the parameters before the weight lie in */
	const char *params_end;	/* [params, params_end) */
	size_t nparams;
	int q;			/* weight in thousandths */
};

/* One element of an Accept-Language list. */
struct language_range {
	struct span range;	/* "*" or a language range such as "fi-FI" */
	int q;
};

/* Reads a quoted-string or token parameter value, quotes and escapes removed. */
struct value_reader {
	const char *p;
	const char *end;
};

typedef int (*element_fn)(const char **pp, void *out);

static int
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_alnum(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

/* RFC 9110 5.6.2 tchar. */
static int
is_tchar(char c)
{
	if (is_alnum(c))
		return 1;
	switch (c) {
	case '!': case '#': case '$': case '%': case '&': case '\'': case '*':
	case '+': case '-': case '.': case '^': case '_': case '`': case '|':
	case '~':
		return 1;
	default:
		return 0;
	}
}

/* HTAB, SP, VCHAR, obs-text: what may stand in a quoted-string or cookie. */
static int
is_text(char c)
{
	unsigned char u = (unsigned char)c;

	return u == '\t' || (u >= 0x20 && u != 0x7f);
}

static int
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
equal_ci(const char *a, const char *b, size_t n)
{
	size_t i = 0;

	while (i < n && lower(a[i]) == lower(b[i]))
		i++;
	return i == n;
}

static int
span_equal_ci(struct span a, struct span b)
{
	return a.len == b.len && equal_ci(a.p, b.p, a.len);
}

static int
is_star(struct span s)
{
	return s.len == 1 && s.p[0] == '*';
}

static const char *
skip_ows(const char *p)
{
	while (is_ows(*p))
		p++;
	return p;
}

/* A token at *pp, which moves past it; -1 when there is none. */
static int
parse_token(const char **pp, struct span *out)
{
	const char *p = *pp;

	while (is_tchar(*p))
		p++;
	out->p = *pp;
	out->len = (size_t)(p - *pp);
	*pp = p;
	return out->len > 0 ? 0 : -1;
}

/*
 * A quoted-string at *pp (which points at '"'). Moves past the closing
 * quote, or on failure (-1) stops at the offending byte, never past the NUL.
 */
static int
parse_quoted(const char **pp)
{
	const char *p = *pp + 1;
	int rc = -1;

	for (;;) {
		if (*p == '"') {
			p++;
			rc = 0;
			break;
		}
		if (*p == '\\') {
			if (!is_text(p[1]))
				break;
			p += 2;
		} else if (is_text(*p))
			p++;
		else
			break;
	}
	*pp = p;
	return rc;
}

/* A token or quoted-string, kept raw (quotes included) in *out. */
static int
parse_value(const char **pp, struct span *out)
{
	const char *start = *pp;
	int rc;

	if (*start == '"')
		rc = parse_quoted(pp);
	else
		rc = parse_token(pp, out);
	out->p = start;
	out->len = (size_t)(*pp - start);
	return rc;
}

/*
 * One parameter at *pp, which points at ';': ";" OWS [ name "=" value ]
 * (RFC 9110 5.6.6, which allows the empty parameter). Returns 1 for an
 * empty one, 0 with name and raw value set, -1 when malformed.
 */
static int
parse_param(const char **pp, struct span *name, struct span *value)
{
	const char *p = skip_ows(*pp + 1);
	int rc = 1;

	if (!is_tchar(*p))
		goto done;
	rc = -1;
	(void)parse_token(&p, name);
	if (*p != '=')
		goto done;
	p++;
	if (parse_value(&p, value) != 0)
		goto done;
	rc = 0;
done:
	*pp = p;
	return rc;
}

static int
parse_media_type(const char **pp, struct span *type, struct span *subtype)
{
	int rc = -1;

	if (parse_token(pp, type) != 0 || **pp != '/')
		goto done;
	(*pp)++;
	rc = parse_token(pp, subtype);
done:
	return rc;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), strictly. */
static int
parse_qvalue(struct span v, int *q)
{
	size_t i;
	int value, unit = 100, rc = -1;

	if (v.len == 0 || v.len > 5 || (v.p[0] != '0' && v.p[0] != '1'))
		goto done;
	value = (v.p[0] - '0') * 1000;
	if (v.len > 1 && v.p[1] != '.')
		goto done;
	for (i = 2; i < v.len; i++) {
		if (v.p[i] < '0' || v.p[i] > '9')
			goto done;
		value += (v.p[i] - '0') * unit;
		unit /= 10;
	}
	if (value > 1000)
		goto done;
	*q = value;
	rc = 0;
done:
	return rc;
}

static int
is_weight(struct span name)
{
	return name.len == 1 && lower(name.p[0]) == 'q';
}

static void
value_open(struct value_reader *r, struct span v)
{
	r->p = v.p;
	r->end = v.p + v.len;
	if (v.len >= 2 && v.p[0] == '"') {
		r->p++;
		r->end--;
	}
}

/*
 * The next character of the value, or -1 at its end. parse_quoted() has
 * made sure every backslash inside the quotes is followed by a character.
 */
static int
value_next(struct value_reader *r)
{
	int c = -1;

	if (r->p < r->end) {
		c = (unsigned char)*r->p++;
		if (c == '\\' && r->p < r->end)
			c = (unsigned char)*r->p++;
	}
	return c;
}

static int
value_equal_ci(struct span a, struct span b)
{
	struct value_reader ra, rb;
	int ca, cb;

	value_open(&ra, a);
	value_open(&rb, b);
	do {
		ca = value_next(&ra);
		cb = value_next(&rb);
		if (ca >= 0)
			ca = lower((char)ca);
		if (cb >= 0)
			cb = lower((char)cb);
	} while (ca == cb && ca >= 0);
	return ca == cb;
}

/*
 * Moves *pp to the next well-formed element of a comma-separated list and
 * parses it into out with parse; 0 once the list is exhausted. Empty
 * elements are skipped, and so is a malformed one, from where parse stopped
 * to the next comma.
 */
static int
list_next(const char **pp, element_fn parse, void *out)
{
	const char *p = *pp;
	int found = 0;

	for (;;) {
		while (*p == ',' || is_ows(*p))
			p++;
		if (*p == '\0')
			break;
		if (parse(&p, out) == 0) {
			found = 1;
			break;
		}
		while (*p != '\0' && *p != ',')
			p++;
	}
	*pp = p;
	return found;
}

/* ---------------------------------------------------------------- Accept */

/* media-range *( OWS ";" OWS [ parameter ] ), "q" ending the range's own. */
static int
accept_element(const char **pp, void *out)
{
	struct media_range *r = out;
	struct span name, value;
	const char *p = *pp, *ahead;
	int rc = -1, kind, weighed = 0;

	if (parse_media_type(&p, &r->type, &r->subtype) != 0)
		goto done;
	if (is_star(r->type) && !is_star(r->subtype))
		goto done;
	r->params = p;
	r->params_end = p;
	r->nparams = 0;
	r->q = 1000;
	for (;;) {
		ahead = skip_ows(p);
		if (*ahead != ';')
			break;
		p = ahead;
		kind = parse_param(&p, &name, &value);
		if (kind < 0)
			goto done;
		/* Parameters after the weight are extensions: ignored. */
		if (kind > 0 || weighed)
			continue;
		if (is_weight(name)) {
			if (parse_qvalue(value, &r->q) != 0)
				goto done;
			weighed = 1;
			continue;
		}
		r->nparams++;
		r->params_end = p;
	}
	p = skip_ows(p);
	if (*p == ',' || *p == '\0')
		rc = 0;
done:
	*pp = p;
	return rc;
}

/* Whether the parameters at params (the concrete type's) hold name=value. */
static int
has_param(const char *params, struct span name, struct span value)
{
	struct span n, v;
	const char *p = params;
	int kind, found = 0;

	for (;;) {
		p = skip_ows(p);
		if (*p != ';')
			break;
		kind = parse_param(&p, &n, &v);
		if (kind < 0)
			break;
		if (kind == 0 && span_equal_ci(n, name) && value_equal_ci(v, value)) {
			found = 1;
			break;
		}
	}
	return found;
}

/* Whether the concrete type carries every parameter the range names. */
static int
range_params_match(const struct media_range *r, const char *media_params)
{
	struct span name, value;
	const char *p = r->params;
	int kind, match = 1;

	while (match && p < r->params_end) {
		p = skip_ows(p);
		if (*p != ';')
			break;
		kind = parse_param(&p, &name, &value);
		if (kind == 0 && !has_param(media_params, name, value))
			match = 0;
	}
	return match;
}

/*
 * The weight, in thousandths, that accept gives the concrete type
 * type/subtype with parameters media_params (see httphdr_accept_q()).
 */
static int
accept_weight(const char *accept, struct span type, struct span subtype,
    const char *media_params)
{
	struct media_range r;
	const char *p = accept;
	size_t best_nparams = 0;
	int level, best_level = -1, best_q = 0, any = 0;

	if (accept == NULL)
		goto done;
	while (list_next(&p, accept_element, &r)) {
		any = 1;
		if (is_star(r.type))
			level = 0;
		else if (!span_equal_ci(r.type, type))
			continue;
		else if (is_star(r.subtype))
			level = 1;
		else if (!span_equal_ci(r.subtype, subtype))
			continue;
		else
			level = 2;
		/* Only a strictly more specific range displaces the best. */
		if (best_level >= 0 && (level < best_level ||
		    (level == best_level && r.nparams <= best_nparams)))
			continue;
		if (r.nparams > 0 && !range_params_match(&r, media_params))
			continue;
		best_level = level;
		best_nparams = r.nparams;
		best_q = r.q;
	}
done:
	/* A header without one well-formed range counts as absent. */
	if (!any)
		best_q = 1000;
	return best_q;
}

double
httphdr_accept_q(const char *accept, const char *media_type)
{
	struct span type, subtype;
	const char *p = media_type;
	double q = 0.0;

	if (media_type == NULL)
		goto done;
	if (parse_media_type(&p, &type, &subtype) != 0 || is_star(type) ||
	    is_star(subtype))
		goto done;
	q = accept_weight(accept, type, subtype, p) / 1000.0;
done:
	return q;
}

int
httphdr_prefers_xml(const char *accept)
{
	static const struct span text = { "text", 4 }, html = { "html", 4 },
	    application = { "application", 11 }, xml = { "xml", 3 };
	int html_q, xml_q, text_xml_q;

	html_q = accept_weight(accept, text, html, "");
	xml_q = accept_weight(accept, application, xml, "");
	text_xml_q = accept_weight(accept, text, xml, "");
	if (text_xml_q > xml_q)
		xml_q = text_xml_q;
	return xml_q > html_q;
}

/* ------------------------------------------------------- Accept-Language */

/*
 * ( 1*8ALPHA *( "-" 1*8alphanum ) / "*" ) [ weight ] (RFC 9110 12.5.4,
 * RFC 4647 2.1); any parameter but one "q" makes the element malformed.
 */
static int
language_element(const char **pp, void *out)
{
	struct language_range *lr = out;
	struct span name, value;
	const char *p = *pp, *ahead;
	size_t n;
	int rc = -1, kind, weighed = 0;

	lr->range.p = p;
	if (*p == '*')
		p++;
	else {
		for (n = 0; n < 8 && is_alpha(*p); n++)
			p++;
		if (n == 0 || is_alpha(*p))
			goto done;
		while (*p == '-') {
			p++;
			for (n = 0; n < 8 && is_alnum(*p); n++)
				p++;
			if (n == 0 || is_alnum(*p))
				goto done;
		}
	}
	lr->range.len = (size_t)(p - lr->range.p);
	lr->q = 1000;
	for (;;) {
		ahead = skip_ows(p);
		if (*ahead != ';')
			break;
		p = ahead;
		kind = parse_param(&p, &name, &value);
		if (kind < 0)
			goto done;
		if (kind > 0)
			continue;
		if (weighed || !is_weight(name) || parse_qvalue(value, &lr->q) != 0)
			goto done;
		weighed = 1;
	}
	p = skip_ows(p);
	if (*p == ',' || *p == '\0')
		rc = 0;
done:
	*pp = p;
	return rc;
}

/* "fi" and "fi-FI" match the tag "fi"; "fil" does not. */
static int
language_matches(struct span range, const char *tag, size_t tag_len)
{
	return range.len >= tag_len && equal_ci(range.p, tag, tag_len) &&
	    (range.len == tag_len || range.p[tag_len] == '-');
}

const char *
httphdr_accept_language(const char *header, const char *const *supported)
{
	struct language_range lr;
	const char *best = NULL, *p;
	size_t i, tag_len, position, named_position, star_position;
	size_t tag_position, best_position = 0;
	int named_q, star_q, q, best_q = 0;

	if (header == NULL || supported == NULL)
		goto done;
	/* One pass over the header per supported tag: a handful of them. */
	for (i = 0; supported[i] != NULL; i++) {
		tag_len = strlen(supported[i]);
		if (tag_len == 0)
			continue;
		named_q = star_q = -1;
		named_position = star_position = 0;
		p = header;
		for (position = 0; list_next(&p, language_element, &lr);
		    position++) {
			if (is_star(lr.range)) {
				if (lr.q > star_q) {
					star_q = lr.q;
					star_position = position;
				}
			} else if (language_matches(lr.range, supported[i],
			    tag_len) && lr.q > named_q) {
				named_q = lr.q;
				named_position = position;
			}
		}
		if (named_q >= 0) {
			q = named_q;
			tag_position = named_position;
		} else {
			q = star_q;
			tag_position = star_position;
		}
		if (q <= 0)
			continue;
		if (best == NULL || q > best_q ||
		    (q == best_q && tag_position < best_position)) {
			best = supported[i];
			best_q = q;
			best_position = tag_position;
		}
	}
done:
	return best;
}

/* ---------------------------------------------------------- Content-Type */

int
httphdr_media_param(arena *a, const char *content_type, const char *param,
    char **out)
{
	struct span type, subtype, name, value, found = { NULL, 0 }, wanted;
	struct value_reader reader;
	const char *p, *ahead;
	char *buf;
	size_t len = 0;
	int rc = HTTPHDR_EINVAL, kind, c;

	*out = NULL;
	if (content_type == NULL || param == NULL)
		goto done;
	wanted.p = param;
	wanted.len = strlen(param);
	p = skip_ows(content_type);
	if (parse_media_type(&p, &type, &subtype) != 0)
		goto done;
	for (;;) {
		ahead = skip_ows(p);
		if (*ahead == '\0')
			break;
		if (*ahead != ';')
			goto done;
		p = ahead;
		kind = parse_param(&p, &name, &value);
		if (kind < 0)
			goto done;
		if (kind == 0 && span_equal_ci(name, wanted)) {
			if (found.p != NULL)
				goto done;
			found = value;
		}
	}
	if (found.p == NULL) {
		rc = HTTPHDR_ENOTFOUND;
		goto done;
	}
	buf = arena_alloc(a, found.len + 1);
	if (buf == NULL) {
		rc = HTTPHDR_ENOMEM;
		goto done;
	}
	value_open(&reader, found);
	while ((c = value_next(&reader)) >= 0)
		buf[len++] = (char)c;
	buf[len] = '\0';
	*out = buf;
	rc = 0;
done:
	return rc;
}

int
httphdr_media_is(const char *content_type, const char *type)
{
	struct span have_type, have_subtype;
	const char *p, *slash;
	size_t type_len;
	int is = 0;

	if (content_type == NULL || type == NULL)
		goto done;
	p = skip_ows(content_type);
	if (parse_media_type(&p, &have_type, &have_subtype) != 0)
		goto done;
	p = skip_ows(p);
	if (*p != ';' && *p != '\0')
		goto done;
	slash = strchr(type, '/');
	if (slash == NULL)
		goto done;
	type_len = (size_t)(slash - type);
	is = have_type.len == type_len &&
	    equal_ci(have_type.p, type, type_len) &&
	    strlen(slash + 1) == have_subtype.len &&
	    equal_ci(have_subtype.p, slash + 1, have_subtype.len);
done:
	return is;
}

/* ---------------------------------------------------------------- Cookie */

static int
all_tchar(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && is_tchar(s[i]))
		i++;
	return i == n;
}

/* Anything but control characters (HTAB included) may stand in a value. */
static int
cookie_value_ok(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && is_text(s[i]) && s[i] != '\t')
		i++;
	return i == n;
}

int
httphdr_cookies(arena *a, const char *header, httphdr_pair_fn fn, void *ctx)
{
	const char *next, *piece, *end, *eq, *name_end, *value, *value_end;
	char *buf = NULL, *name_copy, *value_copy;
	size_t used = 0, name_len, value_len;
	int rc = 0;

	if (header == NULL || *header == '\0')
		goto done;
	/*
	 * A piece "n=v" copies to n, NUL, v, NUL: at most its length + 1,
	 * and pieces are separated by ';', so strlen + 1 covers them all.
	 */
	buf = arena_alloc(a, strlen(header) + 1);
	if (buf == NULL) {
		rc = HTTPHDR_ENOMEM;
		goto done;
	}
	next = header;
	while (*next != '\0') {
		end = strchrnul(next, ';');
		piece = skip_ows(next);		/* stops at ';' at the latest */
		next = *end != '\0' ? end + 1 : end;

		eq = memchr(piece, '=', (size_t)(end - piece));
		if (eq == NULL)
			continue;
		name_end = eq;
		while (name_end > piece && is_ows(name_end[-1]))
			name_end--;
		name_len = (size_t)(name_end - piece);
		if (name_len == 0 || !all_tchar(piece, name_len))
			continue;
		value = skip_ows(eq + 1);
		value_end = end;
		while (value_end > value && is_ows(value_end[-1]))
			value_end--;
		if (value < value_end && *value == '"') {
			if (value_end - value < 2 || value_end[-1] != '"')
				continue;
			value++;
			value_end--;
		}
		value_len = (size_t)(value_end - value);
		if (!cookie_value_ok(value, value_len))
			continue;

		name_copy = buf + used;
		memcpy(name_copy, piece, name_len);
		name_copy[name_len] = '\0';
		value_copy = name_copy + name_len + 1;
		memcpy(value_copy, value, value_len);
		value_copy[value_len] = '\0';
		used += name_len + value_len + 2;
		rc = fn(ctx, name_copy, name_len, value_copy, value_len);
		if (rc != 0)
			goto done;
	}
done:
	return rc;
}
