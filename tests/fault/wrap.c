/*
 * wrap.c - allocation-failure injection for the fault build (make fault).
 *
 * Linked only into build-fault/labnet and build-fault/tests/fault/cached,
 * with `-Wl,--wrap=X` for every X that has a __wrap_X below (the Makefile
 * reads the list from this file), so the core's calls to X come here;
 * calls made inside libxml2, libxslt, libpq and the plugins' own objects
 * do not. While dispatch_serve() runs, each such call is a fault point,
 * numbered from 1; LABNET_FAULT_AT=N makes point N fail the way the real
 * function fails (NULL, -1, 0, a PGRES_FATAL_ERROR result), and every
 * other call goes through. Labnet's allocations are the
 * arena's calls and malloc and friends (the arena's blocks among them);
 * what libxml2 allocates through the hooks the core gives xmlMemSetup() is
 * never failed: libxml2 is not built to survive that, so its calls fail
 * instead. Holds no memory; reports on stderr, lines starting "labnet-fault:".
 *
 *   LABNET_FAULT_AT=N        fail point N (unset or 0: count only)
 *   LABNET_FAULT_SKIP=N      leave the process's first N dispatch_serve()
 *                            calls unarmed: no points, no report (the
 *                            driver tests/fault/cached.c sets 1, so that
 *                            the request that fills the render cache runs
 *                            untouched and its repeat, a hit, is counted)
 *   LABNET_FAULT_VERBOSE=1   print the failing point's stack
 *   LABNET_FAULT_SITES=1     print every point and its four innermost
 *                            callers (to pick one case per call site, see
 *                            tests/fault/run)
 */
#include <execinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <libxml/tree.h>
#include <libxml/xmlmemory.h>
#include <libxml/xpath.h>
#include <libxslt/transform.h>
#include <libxslt/variables.h>
#include <libxslt/xsltutils.h>
#include <sanitizer/common_interface_defs.h>

#include "arena.h"
#include "dispatch.h"

static int fault_armed;			/* inside dispatch_serve() */
static int fault_in_xml_hook;		/* inside libxml2's allocator */
static unsigned long fault_passed;	/* points passed while armed */
static unsigned long fault_at;		/* the point to fail; 0: none */
static unsigned long fault_calls;	/* dispatch_serve() calls so far */
static int fault_verbose, fault_sites;

/*
 * Whether this call, the next fault point, is the one to fail. symbol
 * names the wrapped function in the report.
 */
static int
fault_now(const char *symbol)
{
	void *frames[6];
	int n, i;

	if (!fault_armed || fault_in_xml_hook)
		return 0;
	fault_passed++;
	if (fault_sites) {
		/* frames: here, the wrapper, its caller and two above. */
		n = backtrace(frames, 6);
		fprintf(stderr, "labnet-fault: site %lu %s", fault_passed, symbol);
		for (i = 2; i < n; i++)
			fprintf(stderr, " %p", frames[i]);
		fputc('\n', stderr);
	}
	if (fault_passed != fault_at)
		return 0;
	fprintf(stderr, "labnet-fault: failing point %lu: %s\n", fault_passed,
	    symbol);
	if (fault_verbose)
		__sanitizer_print_stack_trace();
	return 1;
}

static unsigned long
fault_env(const char *name)
{
	const char *s = getenv(name);

	return s ? strtoul(s, NULL, 10) : 0;
}

/* ------------------------------------------------ the request's bounds */

int __real_dispatch_serve(const struct site *, struct db_conn *, char *const *,
    request_reader, void *, render_write_fn, void *, struct dispatch_result *);
int __wrap_dispatch_serve(const struct site *, struct db_conn *, char *const *,
    request_reader, void *, render_write_fn, void *, struct dispatch_result *);

int
__wrap_dispatch_serve(const struct site *site, struct db_conn *db,
    char *const *envp, request_reader reader, void *reader_ctx,
    render_write_fn write, void *write_ctx, struct dispatch_result *result)
{
	int rc;

	if (++fault_calls <= fault_env("LABNET_FAULT_SKIP"))
		return __real_dispatch_serve(site, db, envp, reader, reader_ctx,
		    write, write_ctx, result);
	fault_at = fault_env("LABNET_FAULT_AT");
	fault_verbose = fault_env("LABNET_FAULT_VERBOSE") != 0;
	fault_sites = fault_env("LABNET_FAULT_SITES") != 0;
	fault_passed = 0;
	fault_armed = 1;
	rc = __real_dispatch_serve(site, db, envp, reader, reader_ctx, write,
	    write_ctx, result);
	fault_armed = 0;
	fprintf(stderr, "labnet-fault: passed %lu points\n", fault_passed);
	return rc;
}

/* ------------------------------------- libxml2's allocator, never failed */

static xmlFreeFunc hook_free;
static xmlMallocFunc hook_malloc;
static xmlReallocFunc hook_realloc;
static xmlStrdupFunc hook_strdup;

static void
shim_free(void *p)
{
	fault_in_xml_hook++;
	hook_free(p);
	fault_in_xml_hook--;
}

static void *
shim_malloc(size_t n)
{
	void *p;

	fault_in_xml_hook++;
	p = hook_malloc(n);
	fault_in_xml_hook--;
	return p;
}

static void *
shim_realloc(void *old, size_t n)
{
	void *p;

	fault_in_xml_hook++;
	p = hook_realloc(old, n);
	fault_in_xml_hook--;
	return p;
}

static char *
shim_strdup(const char *s)
{
	char *p;

	fault_in_xml_hook++;
	p = hook_strdup(s);
	fault_in_xml_hook--;
	return p;
}

int __real_xmlMemSetup(xmlFreeFunc, xmlMallocFunc, xmlReallocFunc,
    xmlStrdupFunc);
int __wrap_xmlMemSetup(xmlFreeFunc, xmlMallocFunc, xmlReallocFunc,
    xmlStrdupFunc);

/* The core's hooks, each run with faults off. */
int
__wrap_xmlMemSetup(xmlFreeFunc f, xmlMallocFunc m, xmlReallocFunc r,
    xmlStrdupFunc s)
{
	hook_free = f;
	hook_malloc = m;
	hook_realloc = r;
	hook_strdup = s;
	return __real_xmlMemSetup(shim_free, shim_malloc, shim_realloc,
	    shim_strdup);
}

/* ------------------------------------------------ Labnet's allocations */

/*
 * WRAP(ret, name, params, args, failure): a wrapper that returns failure
 * at its fault point and otherwise calls the real function.
 */
#define WRAP(ret, name, params, args, failure)				\
	ret __real_##name params;					\
	ret __wrap_##name params;					\
	ret								\
	__wrap_##name params						\
	{								\
		if (fault_now(#name))					\
			return failure;					\
		return __real_##name args;				\
	}

WRAP(void *, malloc, (size_t n), (n), NULL)
WRAP(void *, calloc, (size_t count, size_t size), (count, size), NULL)
WRAP(void *, realloc, (void *p, size_t n), (p, n), NULL)
WRAP(char *, strdup, (const char *s), (s), NULL)
/* The arena's calls fail as a real failure does: the arena records it. */
#define WRAP_ARENA(ret, name, params, args)				\
	ret __real_##name params;					\
	ret __wrap_##name params;					\
	ret								\
	__wrap_##name params						\
	{								\
		if (fault_now(#name)) {					\
			arena_note_failure(a);				\
			return NULL;					\
		}							\
		return __real_##name args;				\
	}

WRAP_ARENA(void *, arena_alloc, (arena *a, size_t n), (a, n))
WRAP_ARENA(void *, arena_calloc, (arena *a, size_t count, size_t size),
    (a, count, size))
WRAP_ARENA(char *, arena_strndup, (arena *a, const char *s, size_t n),
    (a, s, n))
WRAP_ARENA(char *, arena_strdup, (arena *a, const char *s), (a, s))
WRAP_ARENA(char *, arena_vprintf, (arena *a, const char *fmt, va_list ap),
    (a, fmt, ap))

char *__wrap_arena_printf(arena *a, const char *fmt, ...);

char *
__wrap_arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	if (fault_now("arena_printf")) {
		arena_note_failure(a);
		return NULL;
	}
	va_start(ap, fmt);
	p = __real_arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

int __real_arena_cleanup(arena *, void (*)(void *), void *);
int __wrap_arena_cleanup(arena *, void (*)(void *), void *);

/* As the real one does when it cannot register: run the cleanup now. */
int
__wrap_arena_cleanup(arena *a, void (*fn)(void *), void *data)
{
	if (fault_now("arena_cleanup")) {
		arena_note_failure(a);
		fn(data);
		return -1;
	}
	return __real_arena_cleanup(a, fn, data);
}

/* ------------------------------------------------------------- libxml2 */

WRAP(xmlDocPtr, xmlNewDoc, (const xmlChar *version), (version), NULL)
WRAP(xmlNodePtr, xmlNewDocNode, (xmlDocPtr doc, xmlNsPtr ns,
    const xmlChar *name, const xmlChar *content), (doc, ns, name, content),
    NULL)
WRAP(xmlNodePtr, xmlNewChild, (xmlNodePtr parent, xmlNsPtr ns,
    const xmlChar *name, const xmlChar *content), (parent, ns, name, content),
    NULL)
WRAP(xmlNodePtr, xmlNewTextChild, (xmlNodePtr parent, xmlNsPtr ns,
    const xmlChar *name, const xmlChar *content), (parent, ns, name, content),
    NULL)
WRAP(xmlAttrPtr, xmlSetProp, (xmlNodePtr node, const xmlChar *name,
    const xmlChar *value), (node, name, value), NULL)
WRAP(xmlChar *, xmlGetProp, (const xmlNode *node, const xmlChar *name),
    (node, name), NULL)
WRAP(xmlChar *, xmlNodeGetContent, (const xmlNode *node), (node), NULL)
WRAP(xmlChar *, xmlStrdup, (const xmlChar *s), (s), NULL)
WRAP(xmlParserCtxtPtr, xmlNewParserCtxt, (void), (), NULL)
WRAP(xmlDocPtr, xmlCtxtReadMemory, (xmlParserCtxtPtr ctxt, const char *buffer,
    int size, const char *url, const char *encoding, int options),
    (ctxt, buffer, size, url, encoding, options), NULL)
WRAP(xmlChar *, xmlXPathCastToString, (xmlXPathObjectPtr val), (val), NULL)
WRAP(xmlXPathObjectPtr, xmlXPathNewString, (const xmlChar *val), (val), NULL)
WRAP(xmlChar *, xmlXPathPopString, (xmlXPathParserContextPtr ctxt), (ctxt),
    NULL)

void __real_xmlDocDumpFormatMemoryEnc(xmlDocPtr, xmlChar **, int *,
    const char *, int);
void __wrap_xmlDocDumpFormatMemoryEnc(xmlDocPtr, xmlChar **, int *,
    const char *, int);

void
__wrap_xmlDocDumpFormatMemoryEnc(xmlDocPtr doc, xmlChar **mem, int *size,
    const char *encoding, int format)
{
	if (fault_now("xmlDocDumpFormatMemoryEnc")) {
		*mem = NULL;
		*size = 0;
		return;
	}
	__real_xmlDocDumpFormatMemoryEnc(doc, mem, size, encoding, format);
}

/* ------------------------------------------------------------- libxslt */

WRAP(xsltTransformContextPtr, xsltNewTransformContext,
    (xsltStylesheetPtr style, xmlDocPtr doc), (style, doc), NULL)
WRAP(int, xsltQuoteUserParams, (xsltTransformContextPtr ctxt,
    const char **params), (ctxt, params), -1)
WRAP(xmlDocPtr, xsltApplyStylesheetUser, (xsltStylesheetPtr style,
    xmlDocPtr doc, const char **params, const char *output, FILE *profile,
    xsltTransformContextPtr userCtxt),
    (style, doc, params, output, profile, userCtxt), NULL)

int __real_xsltSaveResultToString(xmlChar **, int *, xmlDocPtr,
    xsltStylesheetPtr);
int __wrap_xsltSaveResultToString(xmlChar **, int *, xmlDocPtr,
    xsltStylesheetPtr);

int
__wrap_xsltSaveResultToString(xmlChar **text, int *len, xmlDocPtr result,
    xsltStylesheetPtr style)
{
	if (fault_now("xsltSaveResultToString")) {
		*text = NULL;
		*len = 0;
		return -1;
	}
	return __real_xsltSaveResultToString(text, len, result, style);
}

/* --------------------------------------------------------------- libpq */

WRAP(PGconn *, PQconnectdbParams, (const char *const *keys,
    const char *const *values, int expand_dbname),
    (keys, values, expand_dbname), NULL)
WRAP(int, PQsendQuery, (PGconn *conn, const char *query), (conn, query), 0)
WRAP(int, PQsendPrepare, (PGconn *conn, const char *name, const char *query,
    int nparams, const Oid *types), (conn, name, query, nparams, types), 0)
WRAP(int, PQsendQueryPrepared, (PGconn *conn, const char *name, int nparams,
    const char *const *values, const int *lengths, const int *formats,
    int result_format),
    (conn, name, nparams, values, lengths, formats, result_format), 0)
WRAP(int, PQconsumeInput, (PGconn *conn), (conn), 0)

PGresult *__real_PQgetResult(PGconn *);
PGresult *__wrap_PQgetResult(PGconn *);

/*
 * A result that failed: the real one is read and dropped, so the
 * connection stays in step, and the caller gets PGRES_FATAL_ERROR. The end
 * of the results (NULL) is no fault point.
 */
PGresult *
__wrap_PQgetResult(PGconn *conn)
{
	PGresult *res = __real_PQgetResult(conn);

	if (res == NULL || !fault_now("PQgetResult"))
		return res;
	PQclear(res);
	return PQmakeEmptyPGresult(conn, PGRES_FATAL_ERROR);
}
