/*
 * request.h - one HTTP request as the core sees it (struct ln_request).
 *
 * request.c turns FastCGI parameters and a body stream into a request:
 * method, normalised path, language prefix, query and form parameters,
 * uploads, headers, cookies, client address and request id, all on the
 * request's arena. It owns parsing and the input limits, not routing or
 * rendering. Layers above (router, db, render, worker) fill the rest.
 */
#ifndef LABNET_REQUEST_H
#define LABNET_REQUEST_H

#include <stddef.h>

#include "arena.h"
#include "config.h"
#include "labnet/labnet.h"

struct plugin;
struct route_entry;
struct db_conn;
struct site;
struct account_session;
struct vocab_scheme;
struct cache_entry;

struct req_pair {
	struct req_pair *next;
	const char *name;
	const char *value;
	size_t len;
};

struct req_upload {
	struct req_upload *next;
	ln_upload upload;
};

/* Reads up to n body bytes into buf; returns bytes read, 0 at end, -1 on error. */
typedef long (*request_reader)(void *ctx, char *buf, size_t n);

enum response_format { FORMAT_HTML, FORMAT_XML, FORMAT_EXTRA };

struct ln_request {
	arena *arena;
	const struct site *site;
	struct db_conn *db;		/* the request thread's connection */

	/* Input. */
	const char *method;
	unsigned method_bit;		/* LN_GET...; HEAD counts as LN_GET */
	int is_head;
	const char *uri;		/* as received */
	const char *path;		/* normalised, language prefix removed */
	const char *query;		/* raw, "" when none */
	const char *lang;
	int lang_in_path;		/* the URL carried /xx/ */
	const char *content_type;
	size_t content_length;
	struct req_pair *headers;	/* name as "accept-language" */
	struct req_pair *cookies;
	struct req_pair *params;	/* query, then body, in order */
	size_t nparams;
	struct req_upload *uploads;
	const char *client_addr;
	const char *request_id;
	const char *format_suffix;	/* "xml", "csv" from /x.csv, or NULL */

	/* Routing. */
	const struct route_entry *route;
	struct plugin *plugin;		/* whose code runs now */
	struct req_pair *path_params;

	/* Response. */
	int status;
	const char *error;		/* message for the error page / log */
	xmlDocPtr doc;
	struct req_pair *out_headers;
	const char *location;
	enum response_format format;
	const ln_format *extra_format;
	int db_status;
	int depends_on_session;
	/* A body other than a document (a JSON download), served as is. */
	const char *raw_body;
	size_t raw_len;
	const char *raw_type;

	/* Accounts (accounts.h): the session, once looked up. */
	struct account_session *session;

	/* The vocabulary schemes read so far (vocab.c). */
	struct vocab_scheme *vocab;

	/* Render cache (cache.h): the key when this page may be served from
	 * and kept in the cache, the data version it was looked up at, the
	 * entry that answers it (a hit), and whether the page depends on more
	 * than its key (a header, cookie or address its handler read). */
	const char *cache_key;
	size_t cache_key_len;
	unsigned long long cache_version;
	struct cache_entry *cached;
	int no_store;
};

/* Language codes the site speaks; defined in i18n.c. */

/*
 * Fill req from FastCGI params (envp, NULL-terminated "NAME=value") and the
 * body reader. On bad input returns -1 with req->status (400, 413) and
 * req->error set; the request can still be answered. The arena must already
 * be on req.
 */
int request_parse(struct ln_request *req, const struct config *cfg,
    char *const *envp, request_reader reader, void *reader_ctx);

/* The value of a FastCGI param from envp, or NULL. */
const char *request_env(char *const *envp, const char *name);

/* Set the status and message; returns LN_EINVAL for 4xx, LN_EINTERNAL else. */
int request_fail(struct ln_request *req, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* p, after making the request a 500 ("out of memory") when p is NULL: for
 * the SDK's allocations, so that a handler cannot serve half a page. */
void *request_oom(struct ln_request *req, void *p);

/* Add a response header after checking name and value; -1 if refused. */
int request_add_header(struct ln_request *req, const char *name,
    const char *value);

/* A request header by lower-case name, or NULL: the core's own reads,
 * which, unlike a plugin's ln_header(), do not make a page uncacheable. */
const char *request_header(const struct ln_request *req, const char *name);

/* First pair named name in list, or NULL. */
const struct req_pair *request_pair(const struct req_pair *list,
    const char *name);

/* Whether addr is in the NULL-terminated list. */
int request_addr_trusted(const char *const *list, const char *addr);

#endif
