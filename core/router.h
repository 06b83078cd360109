/*
 * router.h - the route table: patterns compiled at load, matched per request.
 *
 * Owns compiled patterns and matching. Literal segments beat parameters
 * ("/labs/map" before "/labs/{slug}"); typed parameters ({id:int},
 * {s:slug}) beat untyped ones. Knows nothing of plugins beyond an opaque
 * owner pointer and name. Entries live on the arena given to router_add().
 */
#ifndef LABNET_ROUTER_H
#define LABNET_ROUTER_H

#include <stddef.h>

#include "arena.h"
#include "labnet/labnet.h"

enum seg_kind { SEG_TEXT = 0, SEG_SLUG = 1, SEG_INT = 2, SEG_LITERAL = 3 };

struct route_seg {
	enum seg_kind kind;
	const char *text;		/* the literal, or the parameter's name */
};

struct route_entry {
	const ln_route *route;
	void *owner;			/* the plugin */
	const char *owner_name;
	struct route_seg *segs;
	size_t nsegs;
	void *view;			/* compiled HTML view, set by the loader */
	void **format_views;		/* one per route->formats entry */
};

struct router {
	struct route_entry **entries;
	size_t count, cap;
};

#define ROUTER_ENOTFOUND	(-1)
#define ROUTER_EMETHOD		(-2)
#define ROUTER_ENOMEM		(-3)	/* out of memory: no answer about the path */

struct route_match {
	const struct route_entry *entry;
	const char *suffix;		/* "xml" when matched as /x.xml */
	unsigned allow;			/* ROUTER_EMETHOD: methods the path takes */
	const char **names;		/* path parameters, nparams of them */
	const char **values;
	size_t nparams;
};

/* Compile and add; on a bad pattern or a route another owner already
 * claims, -1 with the reason (naming both owners) in err. */
int router_add(arena *a, struct router *r, const ln_route *route, void *owner,
    const char *owner_name, char *err, size_t errlen);

/* Match a normalised path. A last segment "x.s" is x in format s when the
 * route serves s (xml, or one of its formats), else the name "x.s".
 * Returns 0, ROUTER_ENOTFOUND, ROUTER_EMETHOD or ROUTER_ENOMEM. Values are
 * on a. */
int router_match(const struct router *r, arena *a, const char *path,
    unsigned method_bit, struct route_match *m);

/* Whether value is a valid slug: [a-z0-9-]{2,80}. */
int router_is_slug(const char *value);

/* "GET, HEAD, POST" for an Allow header; on a. */
const char *router_allow_header(arena *a, unsigned methods);

/* The pattern text of a method bit set, "GET POST". On a. */
const char *router_methods_text(arena *a, unsigned methods, const char *sep);

#endif
