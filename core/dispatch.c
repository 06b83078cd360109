/*
 * dispatch.c - the way of a request (DESIGN section 1), and the SDK calls
 * that describe the plugin whose code is running.
 *
 * Creates the request arena, and destroys it once, after the response is
 * written: every PGresult, xmlDoc and buffer of the request goes with it.
 * Decisions here, in order: input errors, route (404/405), format, the
 * session, access (401/303/403), the CSRF token (403), declared
 * parameters, then the handler. Whatever fails becomes an error
 * page; nothing here ends the process.
 */
#include "dispatch.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "accounts.h"
#include "cache.h"
#include "dataver.h"
#include "httphdr.h"
#include "log.h"
#include "params.h"
#include "router.h"
#include "scoreboard.h"
#include "strbuf.h"
#include "writer.h"
#include "xmlmem.h"

#define REQUEST_ARENA_BLOCK 16384
/* The methods that change state: CSRF-checked, and a change of the data. */
#define UNSAFE_METHODS (LN_POST | LN_PUT | LN_PATCH | LN_DELETE)

static int
dispatch_path_params(struct ln_request *req, const struct route_match *m)
{
	struct req_pair *p, **tail = &req->path_params;
	size_t i;

	for (i = 0; i < m->nparams; i++) {
		p = arena_calloc(req->arena, 1, sizeof(*p));
		if (p == NULL)
			return -1;
		p->name = m->names[i];
		p->value = m->values[i];
		p->len = strlen(m->values[i]);
		*tail = p;
		tail = &p->next;
	}
	return 0;
}

/*
 * The format of an error page answered before (or instead of) the route's
 * own choice: a 404, a 405, bad input, an unknown ?format=. A client that
 * asked for XML (a .xml path, ?format=xml, or an Accept ranking XML above
 * HTML) gets <error status="..."/> as XML, which it can parse.
 */
static void
dispatch_error_format(struct ln_request *req)
{
	const char *last, *piece;
	size_t len;

	if (req->format != FORMAT_HTML)
		return;
	last = strrchr(req->path, '/');
	len = last ? strlen(last) : 0;
	if (len > 5 && strcmp(last + len - 4, ".xml") == 0) {
		req->format = FORMAT_XML;
		return;
	}
	/* The raw query: parsing may have stopped before "format". */
	for (piece = req->query; *piece != '\0'; piece += len) {
		len = strcspn(piece, "&");
		if (len == 10 && strncmp(piece, "format=xml", 10) == 0) {
			req->format = FORMAT_XML;
			return;
		}
		if (piece[len] == '&')
			len++;
	}
	if (httphdr_prefers_xml(request_header(req, "accept")))
		req->format = FORMAT_XML;
}

/* A declared format whose media type Accept ranks strictly above HTML
 * (a client asking for text/csv); ties, wildcards and no Accept keep HTML. */
static void
dispatch_accept_extra(struct ln_request *req)
{
	const char *accept = request_header(req, "accept");
	const ln_format *f;
	double html, best = 0.0, q;

	if (accept == NULL || req->route == NULL)
		return;
	html = httphdr_accept_q(accept, "text/html");
	for (f = req->route->route->formats; f && f->suffix; f++) {
		q = httphdr_accept_q(accept, f->media_type);
		if (q > html && q > best) {
			best = q;
			req->format = FORMAT_EXTRA;
			req->extra_format = f;
		}
	}
}

/* XML on request (suffix, ?format=xml, or an Accept ranking it above HTML),
 * a declared extra format by suffix, else HTML. An empty ?format= is the
 * same as none. */
static int
dispatch_format(struct ln_request *req, const char *suffix)
{
	const struct req_pair *p;
	const ln_format *f;

	if (suffix != NULL) {
		if (strcmp(suffix, "xml") == 0) {
			req->format = FORMAT_XML;
			return 0;
		}
		for (f = req->route ? req->route->route->formats : NULL;
		    f && f->suffix; f++)
			if (strcmp(f->suffix, suffix) == 0) {
				req->format = FORMAT_EXTRA;
				req->extra_format = f;
				return 0;
			}
		return request_fail(req, 404, "no .%s form of this page", suffix);
	}
	for (p = req->params; p != NULL; p = p->next)
		if (strcmp(p->name, "format") == 0 && p->len > 0) {
			if (strcmp(p->value, "xml") == 0)
				req->format = FORMAT_XML;
			else if (strcmp(p->value, "html") != 0)
				return request_fail(req, 400, "unknown format \"%.32s\"",
				    p->value);
			return 0;
		}
	if (httphdr_prefers_xml(request_header(req, "accept")))
		req->format = FORMAT_XML;
	else
		dispatch_accept_extra(req);
	return 0;
}

/*
 * The accounts service's part, before any plugin code: the session from
 * its cookie, the route's access level, and the CSRF token of every
 * state-changing request to a route not declared side-effect free. Returns
 * 0 to go on, else the request has been answered.
 */
static int
dispatch_session(struct ln_request *req, const ln_route *route)
{
	int rc, status = req->status;

	if ((rc = session_load(req)) < 0) {
		/* A visitor's page needs no session: serve it as to a visitor. */
		if (route->access == LN_PUBLIC &&
		    !(req->method_bit & UNSAFE_METHODS)) {
			req->status = status;
			req->error = NULL;
			req->db_status = 0;
			return 0;
		}
		if (req->status < 500)
			request_fail(req, rc == LN_EUNAVAIL ? 503 : 500,
			    "the session could not be read");
		return -1;
	}
	if (session_access(req, route->access) < 0)
		return -1;
	if ((req->method_bit & UNSAFE_METHODS) && !(route->flags & LN_SAFE) &&
	    session_csrf_check(req) < 0)
		return -1;
	return 0;
}

static void
dispatch_cache_release(void *entry)
{
	cache_release(entry);
}

/* Today's date (UTC) as YYYY-MM-DD, worked out once a second per thread. */
static const char *
dispatch_today(void)
{
	static _Thread_local char date[16];
	static _Thread_local time_t last;
	time_t now = time(NULL);
	struct tm tm;

	if (now != last && gmtime_r(&now, &tm) != NULL &&
	    strftime(date, sizeof(date), "%Y-%m-%d", &tm) > 0)
		last = now;
	return date;
}

/* Append s and its NUL to the key: no part of a key holds a NUL (path and
 * query are C strings), so the parts never run into each other. */
static void
dispatch_key_part(strbuf *key, const char *s)
{
	strbuf_append(key, s, strlen(s) + 1);
}

/*
 * The render cache's part, once the route, format, session and parameters
 * are known: a public GET page for a visitor (no signed-in user) gets a
 * key, and the cache may answer it without running the handler. The key
 * is everything a page may depend on besides the data and the handler's
 * own reads (which mark it req->no_store): today's date (UTC, for pages
 * that show what is upcoming), the language and whether the path carried
 * it (the Vary header differs), the format, the path and the query.
 * Returns 1 on a hit.
 */
static int
dispatch_cache_lookup(struct ln_request *req)
{
	const ln_route *route = req->route->route;
	strbuf key;

	if (!cache_enabled() || !(req->method_bit & LN_GET) ||
	    route->access != LN_PUBLIC || (route->flags & LN_SESSION) ||
	    ln_user_get(req) != NULL)
		return 0;
	strbuf_init(&key, req->arena, 0);
	dispatch_key_part(&key, dispatch_today());
	dispatch_key_part(&key, req->lang);
	dispatch_key_part(&key, req->lang_in_path ? "/" : "");
	strbuf_puts(&key, req->format == FORMAT_XML ? "x" :
	    req->format == FORMAT_EXTRA ? "e" : "h");
	dispatch_key_part(&key, req->format == FORMAT_EXTRA ?
	    req->extra_format->suffix : "");
	dispatch_key_part(&key, req->path);
	dispatch_key_part(&key, req->query);
	if (strbuf_failed(&key))
		return 0;
	req->cache_key = key.data;
	req->cache_key_len = key.len;
	req->cache_version = dataver_current();
	req->cached = cache_get(req->cache_key, req->cache_key_len,
	    req->cache_version);
	if (req->cached == NULL)
		return 0;
	if (arena_cleanup(req->arena, dispatch_cache_release, req->cached) < 0) {
		req->cached = NULL;	/* released by arena_cleanup */
		return 0;
	}
	req->status = 200;
	return 1;
}

static void
dispatch_route(struct ln_request *req)
{
	const struct route_entry *e;
	struct route_match m;
	int rc;

	rc = router_match(&req->site->router, req->arena, req->path,
	    req->method_bit, &m);
	/* Not a 404: the path may well exist, and a 404 is what crawlers and
	 * caches believe. */
	if (rc == ROUTER_ENOMEM) {
		request_fail(req, 500, "out of memory");
		return;
	}
	if (rc == ROUTER_EMETHOD) {
		request_add_header(req, "Allow",
		    router_allow_header(req->arena, m.allow));
		/* The error page explains 404 and 405 in the visitor's language;
		 * an English detail would only repeat it. */
		req->status = 405;
		dispatch_error_format(req);
		return;
	}
	if (rc < 0) {
		req->status = 404;
		dispatch_error_format(req);
		return;
	}
	e = m.entry;
	req->route = e;
	if (dispatch_path_params(req, &m) < 0) {
		request_fail(req, 500, "out of memory");
		return;
	}
	if (dispatch_format(req, m.suffix) < 0) {
		dispatch_error_format(req);
		return;
	}
	if (req->format == FORMAT_EXTRA &&
	    writer_find(req->extra_format->writer) == NULL) {
		request_fail(req, 501, "the core has no %s writer",
		    req->extra_format->writer);
		return;
	}
	if (dispatch_session(req, e->route) < 0)
		return;
	if (params_check(req, e->route->params) < 0)
		return;
	/* A plugin whose handlers keep killing workers is switched off. */
	if (scoreboard_quarantined(e->owner_name)) {
		request_fail(req, 503, "%s is switched off after repeated crashes "
		    "until the site is reloaded", e->owner_name);
		return;
	}
	if (dispatch_cache_lookup(req))
		return;
	scoreboard_running(req->method, e->owner_name, e->route->pattern,
	    req->request_id);
	req->plugin = e->owner;
	log_set_plugin(req->plugin->name);
	rc = e->route->handler(req);
	log_set_plugin(NULL);
	/* A handler that may have written, whatever it answered (a failure
	 * after an autocommitted write still changed the data): no page made
	 * before it is served again. This host's own writes reach its
	 * listeners too, but are ignored there, so this is the only bump. */
	if ((req->method_bit & UNSAFE_METHODS) &&
	    !(e->route->flags & (LN_SAFE | LN_KEEP_CACHE)))
		dataver_bump();
	if (rc < 0 && req->status < 400)
		request_fail(req, 500, "the handler failed (%d)", rc);
	else if (rc == 0 && req->doc == NULL && req->raw_body == NULL &&
	    req->location == NULL && req->status < 400)
		request_fail(req, 500, "the handler produced no document");
}

int
dispatch_serve(const struct site *site, struct db_conn *db, char *const *envp,
    request_reader reader, void *reader_ctx, render_write_fn write,
    void *write_ctx, struct dispatch_result *result)
{
	struct ln_request *req;
	arena *a;
	int rc;

	a = arena_create(REQUEST_ARENA_BLOCK);
	if (a == NULL || (req = arena_calloc(a, 1, sizeof(*req))) == NULL) {
		static const char oom[] = "Status: 503 Service Unavailable\r\n"
		    "Content-Type: text/plain; charset=utf-8\r\n"
		    "Content-Security-Policy: default-src 'none'; "
		    "frame-ancestors 'none'\r\n"
		    "X-Content-Type-Options: nosniff\r\n"
		    "Referrer-Policy: strict-origin-when-cross-origin\r\n"
		    "Cache-Control: no-store\r\n"
		    "Retry-After: 5\r\n\r\nOut of memory\n";
		arena_destroy(a);
		return write(write_ctx, oom, sizeof(oom) - 1);
	}
	req->arena = a;
	req->site = site;
	req->db = db;
	/* What libxml2 and libxslt allocate for this request lives on its arena. */
	xmlmem_use(a);
	if (request_parse(req, site->config, envp, reader, reader_ctx) == 0)
		dispatch_route(req);
	else
		dispatch_error_format(req);
	db_request_end(db);
	if (req->status >= 500) {
		/* Logged under the plugin whose route failed, with nginx's
		 * request id (set by request_parse), so the line can be found. */
		log_set_plugin(req->route ? req->route->owner_name : NULL);
		log_errx("%s %s: %d %s", req->method, req->path, req->status,
		    req->error ? req->error : "");
		log_set_plugin(NULL);
	}
	rc = render_respond(req, write, write_ctx);
	if (result != NULL) {
		result->status = req->status;
		result->plugin = req->route ? req->route->owner_name : NULL;
		result->route = req->route ? req->route->route->pattern : NULL;
		result->db_status = req->db_status;
	}
	log_set_request(NULL);
	/* The thread's last libxml2 error may point into the arena. */
	xmlResetLastError();
	xmlmem_use(NULL);
	arena_destroy(a);
	return rc;
}

/* ------------------------------------------- SDK: the running plugin */

void *
ln_state(ln_request *req)
{
	return req->plugin ? req->plugin->state : NULL;
}

void
ln_log(ln_request *req, enum ln_log_level level, const char *fmt, ...)
{
	static const enum log_level map[] = { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO,
	    LOG_LEVEL_WARN, LOG_LEVEL_ERROR };
	va_list ap;

	(void)req;
	if ((unsigned)level > LN_LOG_ERROR)
		level = LN_LOG_ERROR;
	va_start(ap, fmt);
	log_vmsg(map[level], fmt, ap);
	va_end(ap);
}

void
ln_data_changed(ln_request *req)
{
	dataver_changed(req->db, req->arena);
}

const char *
ln_msg(ln_request *req, const char *key)
{
	const char *m = i18n_get(req->site->messages, req->lang, key);

	return m ? m : key;
}
