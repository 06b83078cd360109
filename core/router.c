/*
 * router.c - compile route patterns and match paths (see router.h).
 *
 * Matching is a scan over the compiled entries with a specificity score per
 * segment; the table is small (tens of routes), and the scan touches no
 * memory but the entries. Nothing here allocates except the match's
 * parameter arrays, on the request arena.
 */
#include "router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SEGS 32

static const struct {
	unsigned bit;
	const char *name;
} router_method_names[] = {
	{ LN_GET, "GET" }, { LN_POST, "POST" }, { LN_PUT, "PUT" },
	{ LN_PATCH, "PATCH" }, { LN_DELETE, "DELETE" },
};

#define NMETHODS (sizeof(router_method_names) / sizeof(router_method_names[0]))

int
router_is_slug(const char *value)
{
	size_t len = strlen(value);

	return len >= 2 && len <= 80 &&
	    strspn(value, "abcdefghijklmnopqrstuvwxyz0123456789-") == len;
}

static int
is_int(const char *value)
{
	size_t len = strlen(value);

	return len >= 1 && len <= 18 && strspn(value, "0123456789") == len;
}

static int
literal_valid(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-' || s[i] == '_' || s[i] == '.' || s[i] == '~'))
			return 0;
	return n > 0;
}

static int
param_name_valid(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 32 || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_'))
			return 0;
	return 1;
}

/* Splits "/a/{b:int}" into segments; -1 with a reason on a bad pattern. */
static int
pattern_compile(arena *a, const char *pattern, struct route_entry *e,
    const char **why)
{
	struct route_seg segs[MAX_SEGS];
	const char *p = pattern, *start, *colon;
	size_t n = 0, len, name_len;

	if (pattern == NULL || pattern[0] != '/') {
		*why = "a pattern must start with /";
		return -1;
	}
	while (*p == '/' && p[1] != '\0') {
		start = ++p;
		while (*p && *p != '/')
			p++;
		len = (size_t)(p - start);
		if (n == MAX_SEGS) {
			*why = "too many segments";
			return -1;
		}
		if (len > 2 && start[0] == '{' && start[len - 1] == '}') {
			colon = memchr(start, ':', len);
			name_len = colon ? (size_t)(colon - start - 1) : len - 2;
			if (!param_name_valid(start + 1, name_len)) {
				*why = "a parameter name must be [a-z][a-z0-9_]*";
				return -1;
			}
			segs[n].kind = SEG_TEXT;
			if (colon != NULL) {
				if ((size_t)(start + len - 1 - colon - 1) == 3 &&
				    strncmp(colon + 1, "int", 3) == 0)
					segs[n].kind = SEG_INT;
				else if ((size_t)(start + len - 1 - colon - 1) == 4 &&
				    strncmp(colon + 1, "slug", 4) == 0)
					segs[n].kind = SEG_SLUG;
				else {
					*why = "a parameter type must be int or slug";
					return -1;
				}
			}
			segs[n].text = arena_strndup(a, start + 1, name_len);
		} else {
			if (!literal_valid(start, len)) {
				*why = "a literal segment must be [a-z0-9._~-]+";
				return -1;
			}
			segs[n].kind = SEG_LITERAL;
			segs[n].text = arena_strndup(a, start, len);
		}
		if (segs[n].text == NULL) {
			*why = "out of memory";
			return -1;
		}
		n++;
	}
	if (*p != '\0' && !(p[0] == '/' && p[1] == '\0' && n == 0)) {
		*why = "a pattern must not end with / or hold empty segments";
		return -1;
	}
	e->segs = arena_calloc(a, n ? n : 1, sizeof(*e->segs));
	if (e->segs == NULL) {
		*why = "out of memory";
		return -1;
	}
	memcpy(e->segs, segs, n * sizeof(*segs));
	e->nsegs = n;
	return 0;
}

/* Two entries have the same shape when they match exactly the same paths. */
static int
same_shape(const struct route_entry *x, const struct route_entry *y)
{
	size_t i;

	if (x->nsegs != y->nsegs)
		return 0;
	for (i = 0; i < x->nsegs; i++) {
		if (x->segs[i].kind != y->segs[i].kind)
			return 0;
		if (x->segs[i].kind == SEG_LITERAL &&
		    strcmp(x->segs[i].text, y->segs[i].text) != 0)
			return 0;
	}
	return 1;
}

int
router_add(arena *a, struct router *r, const ln_route *route, void *owner,
    const char *owner_name, char *err, size_t errlen)
{
	struct route_entry *e, **grown;
	const char *why = NULL;
	size_t i;

	if (route->handler == NULL || route->methods == 0 ||
	    (route->methods & ~(unsigned)(LN_GET | LN_POST | LN_PUT | LN_PATCH |
	    LN_DELETE)) != 0) {
		snprintf(err, errlen, "route %s of plugin %s needs a handler and "
		    "known methods", route->pattern ? route->pattern : "(null)",
		    owner_name);
		return -1;
	}
	e = arena_calloc(a, 1, sizeof(*e));
	if (e == NULL)
		goto oom;
	e->route = route;
	e->owner = owner;
	e->owner_name = owner_name;
	if (pattern_compile(a, route->pattern, e, &why) < 0) {
		snprintf(err, errlen, "route %s of plugin %s: %s",
		    route->pattern ? route->pattern : "(null)", owner_name, why);
		return -1;
	}
	for (i = 0; i < r->count; i++)
		if (same_shape(r->entries[i], e) &&
		    (r->entries[i]->route->methods & route->methods) != 0) {
			snprintf(err, errlen, "route %s %s is claimed by both plugin %s "
			    "(%s) and plugin %s (%s)",
			    router_methods_text(a, r->entries[i]->route->methods &
			    route->methods, " "), route->pattern,
			    r->entries[i]->owner_name, r->entries[i]->route->pattern,
			    owner_name, route->pattern);
			return -1;
		}
	if (r->count == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 32;

		grown = arena_calloc(a, cap, sizeof(*grown));
		if (grown == NULL)
			goto oom;
		if (r->count)
			memcpy(grown, r->entries, r->count * sizeof(*grown));
		r->entries = grown;
		r->cap = cap;
	}
	r->entries[r->count++] = e;
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
	return -1;
}

/*
 * Whether e matches the path's segments; if so, its specificity in *out:
 * two bits per segment, so MAX_SEGS (32) segments fill exactly 64 bits of an
 * unsigned score (a signed one overflowed at 32: found by
 * tests/fuzz/fuzz_router).
 */
static int
entry_score(const struct route_entry *e, char **parts, size_t nparts,
    unsigned long long *out)
{
	unsigned long long score = 0;
	size_t i;

	if (e->nsegs != nparts)
		return 0;
	for (i = 0; i < nparts; i++) {
		switch (e->segs[i].kind) {
		case SEG_LITERAL:
			if (strcmp(e->segs[i].text, parts[i]) != 0)
				return 0;
			break;
		case SEG_INT:
			if (!is_int(parts[i]))
				return 0;
			break;
		case SEG_SLUG:
			if (!router_is_slug(parts[i]))
				return 0;
			break;
		case SEG_TEXT:
			break;
		}
		score = score * 4 + (unsigned long long)e->segs[i].kind;
	}
	*out = score;
	return 1;
}

/* Whether e answers in the format named by suffix: XML always, else one
 * of the route's declared formats. */
static int
entry_serves(const struct route_entry *e, const char *suffix)
{
	const ln_format *f;

	if (strcmp(suffix, "xml") == 0)
		return 1;
	for (f = e->route->formats; f && f->suffix; f++)
		if (strcmp(f->suffix, suffix) == 0)
			return 1;
	return 0;
}

/* Best entry for these segments, its score in *best_score; ORs into *allow
 * every method they take. With a suffix, only entries that serve that
 * format count: /hello/j.doe is a name with a dot, /hello/j.xml is j as
 * XML. */
static const struct route_entry *
router_best(const struct router *r, char **parts, size_t nparts,
    const char *suffix, unsigned method_bit, unsigned *allow,
    unsigned long long *best_score)
{
	const struct route_entry *best = NULL;
	unsigned long long score;
	size_t i;

	*best_score = 0;
	for (i = 0; i < r->count; i++) {
		if (!entry_score(r->entries[i], parts, nparts, &score) ||
		    (suffix != NULL && !entry_serves(r->entries[i], suffix)))
			continue;
		*allow |= r->entries[i]->route->methods;
		if ((r->entries[i]->route->methods & method_bit) &&
		    (best == NULL || score > *best_score)) {
			best = r->entries[i];
			*best_score = score;
		}
	}
	return best;
}

int
router_match(const struct router *r, arena *a, const char *path,
    unsigned method_bit, struct route_match *m)
{
	char *parts[MAX_SEGS + 2], *copy, *dot = NULL, *last;
	const struct route_entry *e = NULL, *whole;
	unsigned allow = 0;
	unsigned long long score = 0, whole_score;
	size_t n = 0, i, k;
	char *p;

	memset(m, 0, sizeof(*m));
	if ((copy = arena_strdup(a, path)) == NULL)
		return ROUTER_ENOMEM;
	/* Split in place: "/a/b" -> "a", "b". */
	for (p = copy; *p == '/' && p[1] != '\0' && n <= MAX_SEGS; ) {
		*p++ = '\0';
		parts[n++] = p;
		while (*p && *p != '/')
			p++;
	}
	if (*p == '/' && n > 0)
		*p = '\0';
	if (n > MAX_SEGS)
		return ROUTER_ENOTFOUND;
	/*
	 * "/labs/x.xml": the name without its format suffix, and the whole
	 * name. The suffix wins ties ("/hello/{name}" serves x.xml as XML)
	 * when the route serves that format,
	 * but a more specific match of the whole name beats it: a literal
	 * "/events/feed.ics" is not "/events/{slug}" in the ics format.
	 */
	if (n > 0) {
		last = parts[n - 1];
		dot = strrchr(last, '.');
		if (dot != NULL && dot != last && dot[1] != '\0' &&
		    strspn(dot + 1, "abcdefghijklmnopqrstuvwxyz") == strlen(dot + 1)) {
			*dot = '\0';
			e = router_best(r, parts, n, dot + 1, method_bit, &allow,
			    &score);
			*dot = '.';
		}
	}
	whole = router_best(r, parts, n, NULL, method_bit, &allow, &whole_score);
	if (e != NULL && (whole == NULL || score >= whole_score)) {
		*dot = '\0';
		m->suffix = dot + 1;
	} else
		e = whole;
	if (e == NULL) {
		if (allow) {
			m->allow = allow;
			return ROUTER_EMETHOD;
		}
		return ROUTER_ENOTFOUND;
	}
	m->entry = e;
	for (i = 0; i < e->nsegs; i++)
		if (e->segs[i].kind != SEG_LITERAL)
			m->nparams++;
	if (m->nparams > 0) {
		m->names = arena_calloc(a, m->nparams, sizeof(*m->names));
		m->values = arena_calloc(a, m->nparams, sizeof(*m->values));
		if (m->names == NULL || m->values == NULL)
			return ROUTER_ENOMEM;
		for (i = 0, k = 0; i < e->nsegs; i++)
			if (e->segs[i].kind != SEG_LITERAL) {
				m->names[k] = e->segs[i].text;
				m->values[k++] = parts[i];
			}
	}
	return 0;
}

const char *
router_methods_text(arena *a, unsigned methods, const char *sep)
{
	char buf[64] = "";
	size_t i;

	for (i = 0; i < NMETHODS; i++)
		if (methods & router_method_names[i].bit) {
			if (buf[0])
				strcat(buf, sep);
			strcat(buf, router_method_names[i].name);
		}
	return arena_strdup(a, buf);
}

const char *
router_allow_header(arena *a, unsigned methods)
{
	char buf[64] = "";
	size_t i;

	for (i = 0; i < NMETHODS; i++)
		if (methods & router_method_names[i].bit) {
			if (buf[0])
				strcat(buf, ", ");
			strcat(buf, router_method_names[i].name);
			if (router_method_names[i].bit == LN_GET)
				strcat(buf, ", HEAD");
		}
	return arena_strdup(a, buf);
}
