/*
 * fuzz_router.c - the router's matcher (router_match) over a fixed table
 * with literal, int, slug and text segments, literal dots and formats.
 *
 * Input: one byte choosing the method, then a raw path, which goes through
 * url_normalize_path first as in a real request. Checks that a match obeys
 * its route: method allowed, parameters typed as declared, a suffix only
 * for a format the route serves; and that 405 comes only with an Allow set.
 */
#include "fuzz.h"

#include "arena.h"
#include "router.h"
#include "url.h"

static int
handler(ln_request *req)
{
	(void)req;
	return 0;
}

static const ln_format csv[] = {
	{ "csv", "text/csv", "csv", "x.xsl" },
	{ NULL, NULL, NULL, NULL },
};
static const ln_format ics[] = {
	{ "ics", "text/calendar", "ics", "x.xsl" },
	{ "csv", "text/csv", "csv", "x.xsl" },
	{ NULL, NULL, NULL, NULL },
};

static const ln_route routes[] = {
	{ LN_GET, "/", handler, NULL, 0, 0, NULL, NULL, NULL },
	{ LN_GET, "/labs", handler, NULL, 0, 0, NULL, csv, NULL },
	{ LN_GET, "/labs/map", handler, NULL, 0, 0, NULL, NULL, NULL },
	{ LN_GET, "/labs/new", handler, NULL, 0, 0, NULL, NULL, NULL },
	{ LN_POST, "/labs/new", handler, NULL, 0, 0, NULL, NULL, NULL },
	{ LN_GET, "/labs/{slug:slug}", handler, NULL, 0, 0, NULL, csv, NULL },
	{ LN_GET | LN_POST, "/labs/{slug:slug}/edit", handler, NULL, 0, 0, NULL,
	    NULL, NULL },
	{ LN_GET, "/events/{id:int}", handler, NULL, 0, 0, NULL, ics, NULL },
	{ LN_GET, "/events/feed.ics", handler, NULL, 0, 0, NULL, NULL, NULL },
	{ LN_DELETE, "/events/{id:int}", handler, NULL, 0, 0, NULL, NULL, NULL },
	{ LN_GET, "/hello/{name}", handler, NULL, 0, 0, NULL, NULL, NULL },
	{ LN_PUT | LN_PATCH, "/a/{x}/{y:int}/{z:slug}/b", handler, NULL, 0, 0,
	    NULL, NULL, NULL },
	{ LN_GET, "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/0/1/2/3"
	    "/4/{last}", handler, NULL, 0, 0, NULL, NULL, NULL },
};

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

static const unsigned methods[] = { LN_GET, LN_POST, LN_PUT, LN_PATCH,
    LN_DELETE };

static arena *table_arena;
static struct router table;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[256];
	size_t i;

	(void)argc;
	(void)argv;
	table_arena = arena_create(16384);
	FUZZ_CHECK(table_arena != NULL);
	for (i = 0; i < NROUTES; i++)
		if (router_add(table_arena, &table, &routes[i], NULL, "fuzz", err,
		    sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			abort();
		}
	return 0;
}

static int
serves(const ln_route *route, const char *suffix)
{
	const ln_format *f;

	if (strcmp(suffix, "xml") == 0)
		return 1;
	for (f = route->formats; f && f->suffix; f++)
		if (strcmp(f->suffix, suffix) == 0)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct route_match m;
	const struct route_entry *e;
	unsigned method;
	char *path = NULL;
	size_t i, k, nparams = 0;
	arena *a;
	int rc;

	if (size == 0)
		return 0;
	method = methods[data[0] % (sizeof(methods) / sizeof(methods[0]))];
	a = arena_create(4096);
	FUZZ_CHECK(a != NULL);
	if (url_normalize_path(a, (const char *)data + 1, size - 1, &path) != 0)
		goto done;
	rc = router_match(&table, a, path, method, &m);
	if (rc == ROUTER_EMETHOD) {
		FUZZ_CHECK(m.allow != 0 && (m.allow & method) == 0);
		goto done;
	}
	if (rc == ROUTER_ENOTFOUND || rc == ROUTER_ENOMEM)
		goto done;
	FUZZ_CHECK(rc == 0);
	e = m.entry;
	FUZZ_CHECK(e != NULL && (e->route->methods & method) != 0);
	if (m.suffix != NULL)
		FUZZ_CHECK(serves(e->route, m.suffix));
	for (i = 0, k = 0; i < e->nsegs; i++) {
		if (e->segs[i].kind == SEG_LITERAL)
			continue;
		nparams++;
		FUZZ_CHECK(k < m.nparams);
		FUZZ_CHECK(strcmp(m.names[k], e->segs[i].text) == 0);
		FUZZ_CHECK(m.values[k][0] != '\0');
		FUZZ_CHECK(strchr(m.values[k], '/') == NULL);
		if (e->segs[i].kind == SEG_SLUG)
			FUZZ_CHECK(router_is_slug(m.values[k]));
		if (e->segs[i].kind == SEG_INT)
			FUZZ_CHECK(strspn(m.values[k], "0123456789") ==
			    strlen(m.values[k]));
		k++;
	}
	FUZZ_CHECK(nparams == m.nparams);
done:
	arena_destroy(a);
	return 0;
}
