/*
 * labnet.h - the Labnet plugin SDK: everything a plugin may use.
 *
 * A plugin is a shared object that exports one constant descriptor named
 * `labnet_plugin` (see LN_PLUGIN below). The host loads it with
 * RTLD_NOW | RTLD_LOCAL, checks the descriptor, runs the plugin's migrations,
 * calls init() once per worker process, then calls route handlers and slot
 * fillers from request threads. Build one out of tree with
 *
 *     cc -shared -fPIC $(pkg-config --cflags labnet-plugin) -o x.so x.c
 *
 * Conventions of every call below:
 *  - 0 is success; a negative LN_E* code is failure, and the message is kept
 *    on the request (ln_error()) or logged.
 *  - Everything a call hands out is owned by the request's arena and lives
 *    until the response has been sent; plugins never free it. Memory from
 *    ln_alloc() needs no free either.
 *  - Strings are UTF-8 (the host refuses invalid input with 400 before any
 *    plugin runs) and NUL-terminated.
 *
 * Compatibility: LN_ABI_MAJOR changes only when the descriptor layout or an
 * existing call changes, which the project avoids. Within a major version the
 * host API only grows: a call added later gets a higher LN_API_VERSION, and a
 * plugin states the range of API versions it works with. See
 * docs/plugin-guide.md.
 */
#ifndef LABNET_H
#define LABNET_H

#include <stdarg.h>
#include <stddef.h>

#include <libpq-fe.h>
#include <libxml/tree.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LN_ABI_MAJOR	1
#define LN_API_VERSION	4	/* the host API this header describes */
/* API history (a plugin with api_min 1 keeps loading on a version 2 host):
 *   1  the walking skeleton: everything not marked otherwise below
 *   2  accounts: ln_user_get answers for real; ln_csrf_token, ln_may_edit,
 *      ln_editor_grant, ln_editor_revoke; the shared vocabulary
 *      (ln_vocab_list, ln_vocab_label, ln_vocab_has); ln_format_name and
 *      the core's csv and json writers for ln_format;
 *      ln_xml_parse, the one parser of untrusted XML
 *   3  the render cache: ln_no_store, ln_data_changed */

/* Failure codes. */
#define LN_EINVAL	(-1)	/* bad input: the request gets a 4xx */
#define LN_ENOMEM	(-2)
#define LN_EDB		(-3)	/* a database error: 500 */
#define LN_EUNAVAIL	(-4)	/* database unreachable: 503 + Retry-After */
#define LN_ENOTFOUND	(-5)
#define LN_EFORBIDDEN	(-6)
#define LN_EINTERNAL	(-7)

typedef struct ln_request ln_request;	/* one HTTP request; opaque */
typedef struct ln_host ln_host;		/* what init() may ask for; opaque */

/* ---------------------------------------------------------------- routes */

/* Methods, as a bit set. GET routes answer HEAD too, without a body. */
enum ln_method {
	LN_GET = 1 << 0,
	LN_POST = 1 << 1,
	LN_PUT = 1 << 2,
	LN_PATCH = 1 << 3,
	LN_DELETE = 1 << 4,
};

/* Who may call a route; the host answers 401/403 before the handler runs. */
enum ln_access {
	LN_PUBLIC = 0,		/* anyone, no session needed */
	LN_SIGNED_IN,		/* any signed-in user */
	LN_EDITOR,		/* a user with the editor or admin role */
	LN_ADMIN,		/* admins only */
};

/* Route flags. */
#define LN_SAFE		(1u << 0)	/* side-effect free: no CSRF check even on POST */
#define LN_SESSION	(1u << 1)	/* the page depends on the session: never cached */
#define LN_KEEP_CACHE	(1u << 2)	/* API 4: a POST here changes nothing a public
					 * page shows (sign-in, a preference): cached
					 * pages stay valid (older hosts ignore it) */

/* Declared query/form parameter types; the host validates before the
 * handler runs and answers 400 naming the parameter when a value is wrong. */
enum ln_param_type {
	LN_TEXT = 1,		/* any UTF-8 text up to max_len bytes */
	LN_INT,			/* decimal integer in [min, max] */
	LN_SLUG,		/* [a-z0-9-]{2,80} */
	LN_BOOL,		/* 1/0, true/false, on/off */
	LN_CHOICE,		/* one of choices[] */
	LN_DATE,		/* YYYY-MM-DD */
	LN_FILE,		/* an upload in a multipart/form-data body */
};

/* Parameter flags. */
#define LN_REQUIRED	(1u << 0)
#define LN_REPEATED	(1u << 1)	/* may appear more than once (facets) */

/* An extra check after the type's; return 0 or set *why and return < 0. */
typedef int (*ln_validator)(const char *value, const char **why);

typedef struct ln_param_spec {
	const char *name;
	enum ln_param_type type;
	unsigned flags;
	size_t max_len;			/* LN_TEXT; 0 means the host's limit */
	long long min, max;		/* LN_INT */
	const char *const *choices;	/* LN_CHOICE: NULL-terminated */
	ln_validator validate;		/* optional */
} ln_param_spec;

/*
 * A format other than HTML and XML, produced by one of the core's writers
 * from the handler's XML through the given view (an XSLT stylesheet in the
 * plugin's views/, like an HTML view but without the layout; ln:t and
 * ln:url work). Served for a ".suffix" URL, or when Accept ranks the media
 * type strictly above text/html. The view's output is the writer's input
 * (API 2):
 *
 *   "csv"   <table><row><cell>text</cell><cell type="number">1.5</cell>
 *           </row>...</table>: RFC 4180 with CRLF; the first row is the
 *           header. A text cell starting with = + - @ (or TAB, CR) is
 *           written with a leading ' so that a spreadsheet does not run
 *           it as a formula; type="number" cells that are numbers are not.
 *   "json"  one value: <object> whose children carry name="...", <array>,
 *           <string>, <number>, <boolean>true</boolean>, <null/>. GeoJSON
 *           (RFC 7946) is this writer with media type application/geo+json.
 *
 * Text types get "; charset=utf-8". A view that produces anything else
 * makes the request fail with 500 (it is a bug in the view).
 */
typedef struct ln_format {
	const char *suffix;		/* "csv" */
	const char *media_type;		/* "text/csv" */
	const char *writer;		/* a core writer's name */
	const char *view;		/* stylesheet giving the writer its input */
} ln_format;

/*
 * A handler fills the request's response document (ln_doc()) and returns 0,
 * or returns a negative code after ln_fail()/ln_redirect(). It must not keep
 * pointers into the request after it returns.
 */
typedef int (*ln_handler)(ln_request *req);

typedef struct ln_route {
	unsigned methods;		/* LN_GET | LN_POST ... */
	const char *pattern;		/* "/hello/{name}", "/events/{id:int}" */
	ln_handler handler;
	const char *view;		/* XSLT view for HTML, relative to views/ */
	enum ln_access access;
	unsigned flags;			/* LN_SAFE, LN_SESSION */
	const ln_param_spec *params;		/* terminated by an entry with name NULL */
	const ln_format *formats;	/* terminated by an entry with suffix NULL */
	const char *summary;		/* one line for `labnet routes` */
} ln_route;

/* ------------------------------------------------------------------ slots */

/*
 * A slot filler adds XML to another plugin's page: it appends children to
 * `into` (an element the host made for it) about `subject` (what the page is
 * about, e.g. a lab's slug). A negative return drops what it added, and the
 * page renders without it.
 */
typedef int (*ln_slot_fill)(ln_request *req, const char *subject, xmlNodePtr into);

typedef struct ln_slot {
	const char *name;		/* "lab.sidebar" */
	ln_slot_fill fill;
	int order;			/* lower first; ties by plugin name */
} ln_slot;

/* ----------------------------------------------------------------- config */

typedef struct ln_config_key {
	const char *name;
	const char *fallback;		/* NULL: required */
	const char *help;		/* one line, shown by `labnet check` */
} ln_config_key;

/* ------------------------------------------------------------- descriptor */

typedef struct ln_plugin {
	unsigned abi_major;		/* LN_ABI_MAJOR */
	unsigned api_min, api_max;	/* host API versions it works with */
	const char *name;		/* [a-z][a-z0-9_]{1,30}: also its schema */
	const char *version;
	const char *const *depends;	/* plugin names, NULL-terminated, or NULL */
	const char *migrations;		/* dir of NNN_name.sql, relative to root */
	const char *data;		/* dir with views/ and messages/, relative to root */
	const ln_config_key *config;	/* terminated by name NULL, or NULL */
	const ln_route *routes;		/* terminated by pattern NULL */
	const ln_slot *slots;		/* terminated by name NULL, or NULL */
	/* Once per worker, before any request. *state is handed back by
	 * ln_state(); it is shared read-only by all request threads. */
	int (*init)(ln_host *host, void **state);
	void (*fini)(void *state);
	void *reserved[8];		/* zero; room for later fields */
} ln_plugin;

/* The one symbol a plugin exports. */
#define LN_PLUGIN const ln_plugin labnet_plugin

/* ----------------------------------------------------------- host (init) */

/* The plugin's config value for key (declared in .config), or its fallback. */
const char *ln_host_config(ln_host *host, const char *key);
/* Absolute path of a file in the plugin's data directory; owned by the host. */
const char *ln_host_path(ln_host *host, const char *relative);
/* Process-lifetime allocation for init(); freed when the plugin unloads. */
void *ln_host_alloc(ln_host *host, size_t n);

/* ---------------------------------------------------------------- request */

/* Memory that lives until the response is sent; NULL on OOM, and the
 * response is then a 500 whatever the handler returns (so a fallback for
 * the NULL never reaches a visitor as a page with something missing). */
void *ln_alloc(ln_request *req, size_t n);
char *ln_strdup(ln_request *req, const char *s);
char *ln_printf(ln_request *req, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Run fn(data) when the request ends; on OOM fn(data) runs at once, and -2. */
int ln_cleanup(ln_request *req, void (*fn)(void *), void *data);

/* The plugin's state from init(). */
void *ln_state(ln_request *req);

const char *ln_method(ln_request *req);		/* "GET", "POST", ... */
const char *ln_path(ln_request *req);		/* decoded, without language prefix */
const char *ln_header(ln_request *req, const char *name);	/* "Accept" */
const char *ln_cookie(ln_request *req, const char *name);
const char *ln_client_addr(ln_request *req);
const char *ln_request_id(ln_request *req);

/* A path parameter by name: always present, already validated. */
const char *ln_path_param(ln_request *req, const char *name);
long long ln_path_int(ln_request *req, const char *name);

/* A declared query/form parameter: the first value, or NULL when absent. */
const char *ln_param(ln_request *req, const char *name);
/* The i-th value of a repeated parameter, NULL past the end. */
const char *ln_param_at(ln_request *req, const char *name, size_t i);
size_t ln_param_count(ln_request *req, const char *name);
long long ln_param_int(ln_request *req, const char *name, long long fallback);

typedef struct ln_upload {
	const char *field;
	const char *filename;		/* as sent, never a path to open */
	const char *media_type;		/* as sent */
	size_t size;
	const unsigned char *data;	/* size bytes, on the arena */
} ln_upload;
const ln_upload *ln_upload_get(ln_request *req, const char *field);

/* ---------------------------------------------------------------- answers */

/*
 * The response document: created on first call with the given root element
 * name, and freed with the request. Later calls return the same document.
 * NULL on OOM.
 */
xmlDocPtr ln_doc(ln_request *req, const char *root_name);

/* Append <name>text</name> to parent, text escaped by the serializer.
 * text NULL adds nothing and returns NULL. These three fail (NULL,
 * LN_ENOMEM) only when out of memory, and the document is then marked
 * incomplete: the response is a 500 whatever the handler returns, so a
 * handler may leave their results unchecked and never serve a page with a
 * hole in it. A NULL parent or node (an earlier failure) adds nothing. */
xmlNodePtr ln_xml_text(xmlNodePtr parent, const char *name, const char *text);
/* Append an empty <name/> element. */
xmlNodePtr ln_xml_elem(xmlNodePtr parent, const char *name);
/* Set an attribute; value NULL sets nothing. */
int ln_xml_attr(xmlNodePtr node, const char *name, const char *value);

/*
 * API 2. Parse untrusted XML (an upload, a request body, a harvested
 * record): the only way a plugin may parse XML that did not ship with it.
 * No network access, no DTD (a document type declaration is refused, so no
 * external entity is read and no entity is expanded), at most 4 MiB and 128
 * levels of element nesting. The document is owned by the request and
 * freed with it. NULL when the input is refused, with the reason in
 * ln_error() (for the visitor: usually ln_fail(req, 400, "%s",
 * ln_error(req))); the request itself is not failed.
 */
xmlDocPtr ln_xml_parse(ln_request *req, const char *data, size_t len);

/* Fill a named slot of this page: each plugin's filler adds its part. */
int ln_slot_render(ln_request *req, const char *slot, const char *subject,
    xmlNodePtr into);

/* Answer with an error page: status 400-599 and a message for the visitor.
 * Returns LN_EINVAL (4xx) or LN_EINTERNAL (5xx) for the handler to return.
 * A server error the request already met (a NULL from ln_alloc or
 * ln_printf, a database failure) stays: a 4xx asked after it is ignored
 * and LN_EINTERNAL returned, so a failure is never blamed on the client. */
int ln_fail(ln_request *req, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Answer with a redirect (301, 302, 303, 307, 308) to a local path or to a
 * URL under base_url; returns 0. */
int ln_redirect(ln_request *req, int status, const char *location);
/* An extra response header; CR, LF and NUL in name or value are refused. */
int ln_set_header(ln_request *req, const char *name, const char *value);
/* The message of the last failure on this request. */
const char *ln_error(ln_request *req);

/* -------------------------------------------------------------- languages */

const char *ln_lang(ln_request *req);		/* "en", "fi", ... */
/* The message for key in the request's language, else English, else key. */
const char *ln_msg(ln_request *req, const char *key);
/* An absolute URL for a local path, in the request's language; NULL on
 * OOM, which makes the response a 500 as ln_alloc's does. */
const char *ln_url(ln_request *req, const char *path);

/* --------------------------------------------------------------- database */

/* A statement, prepared by name on first use on each connection. Declare
 * these as static constants; the SQL takes values only as $1, $2, ... */
typedef struct ln_sql {
	const char *name;		/* unique per plugin */
	const char *text;
	int nparams;
} ln_sql;

/*
 * Run a prepared statement with text parameters (NULL for SQL NULL). The
 * result is freed with the request. NULL on failure, after which the request
 * answers 503 (database unreachable) or 500 if the handler returns the code
 * from ln_db_status().
 */
PGresult *ln_db(ln_request *req, const ln_sql *sql, const char *const *values);
int ln_db_status(ln_request *req);	/* code of the last ln_db failure */

/* Transactions: begin; commit, or roll back. Nested begins are refused. A
 * request that ends inside a transaction is rolled back. */
int ln_db_begin(ln_request *req);
int ln_db_commit(ln_request *req);
int ln_db_rollback(ln_request *req);

/* ---------------------------------------------------------------- logging */

/* One log line with the request id and the plugin's name. req may be NULL
 * in init and fini (why a start failed: the core then only says that it
 * did). */
enum ln_log_level { LN_LOG_DEBUG, LN_LOG_INFO, LN_LOG_WARN, LN_LOG_ERROR };
void ln_log(ln_request *req, enum ln_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ------------------------------------------------------------ accounts */

/*
 * Accounts are a core service (users, sessions, rights, CSRF). Before a
 * handler runs, the core has already: looked up the session cookie; checked
 * the route's .access (no session: 401 with a WWW-Authenticate challenge,
 * or for an HTML GET a 303 to /sign-in?next=...; too little: 403); and,
 * for POST, PUT, PATCH and DELETE on a route not flagged LN_SAFE, checked
 * the CSRF token (form field "csrf" or header "X-CSRF-Token"), answering
 * 403 before any plugin code runs when it is missing or wrong.
 */

/* The signed-in user, or NULL for a visitor. Owned by the request. A user
 * who is disabled or deleted is signed out at once, on the next request. */
typedef struct ln_user {
	long long id;
	const char *email;
	const char *name;
	const char *role;		/* "admin" or "editor" */
} ln_user;
const ln_user *ln_user_get(ln_request *req);

/*
 * API 2. The CSRF token to put in every form that POSTs, as the hidden
 * field "csrf" (views write <input type="hidden" name="csrf"
 * value="{ln:csrf()}"/>, which calls this). Starts a pre-login session
 * when there is none (so the sign-in form is protected too) and marks the
 * response as session-dependent: private, no-store, never cached. Owned by
 * the request; NULL when the database failed (the request then fails).
 * A new pre-login session is written on the request's connection: called
 * inside the handler's own transaction, it is rolled back with it, so call
 * it outside one (a view's ln:csrf() always is: views run after it ended).
 */
const char *ln_csrf_token(ln_request *req);

/*
 * API 2. Whether the signed-in user may edit `object` of the running
 * plugin: 1 yes, 0 no, negative LN_E* when the database failed. Admins may
 * edit everything; visitors nothing; editors what the plugin granted them.
 * The object key is the plugin's own ("lab:polimi", a slug, an id).
 */
int ln_may_edit(ln_request *req, const char *object);

/*
 * API 2. Give (or take back) user_id the right to edit `object` of the
 * running plugin; the plugin that owns the objects fills this (a lab's
 * editors). Idempotent; recorded in the audit trail with the signed-in
 * user as actor. 0, LN_EINVAL for an empty object or user id, else a
 * negative LN_E* database code. The caller checks that the signed-in user
 * may give the right (usually ln_may_edit on the same object).
 */
int ln_editor_grant(ln_request *req, const char *object, long long user_id);
int ln_editor_revoke(ln_request *req, const char *object, long long user_id);

/* ------------------------------------------------------------ vocabulary */

/*
 * API 2. The shared vocabulary (a core service): the terms all plugins use,
 * so that "industrial design" is one term everywhere. A term is a scheme
 * ("discipline", "facility", "country": ISO 3166-1 alpha-2 in upper case)
 * and a stable key ("industrial-design", "IT") that plugins store and put
 * in URLs; its label is what visitors read. Schemes are read once per
 * request, on first use, in the request's language (falling back to
 * English, then to the key). Everything returned is owned by the request.
 */
typedef struct ln_term {
	const char *key;
	const char *label;
} ln_term;

/* API 2. The terms of scheme in display order, *count set (count may be
 * NULL); the array ends with a term whose key is NULL. An unknown scheme
 * gives an empty list. NULL when the database failed (see ln_db). */
const ln_term *ln_vocab_list(ln_request *req, const char *scheme,
    size_t *count);
/* API 2. The label of key in scheme, or NULL when key is not a term (or
 * the database failed). */
const char *ln_vocab_label(ln_request *req, const char *scheme,
    const char *key);
/* API 2. 1 when key is a term of scheme, 0 when not, a negative LN_E*
 * code when the database failed: for validating input. */
int ln_vocab_has(ln_request *req, const char *scheme, const char *key);

/* ---------------------------------------------------------------- formats */

/* API 2. The format this request is answered in: "html", "xml", or the
 * suffix of one of the route's declared ln_format entries ("csv"). A
 * handler may use it to skip work a format does not show (facets in a CSV
 * export), never to build another format itself. */
const char *ln_format_name(ln_request *req);

/* ------------------------------------------------------------ render cache */

/*
 * The core keeps finished public pages (GET, LN_PUBLIC, no signed-in user,
 * status 200) and serves them again without running the handler, until
 * the data changes. A page is keyed by its path, query, language, format
 * and the date; it is never kept when the route is flagged LN_SESSION,
 * when the handler read a request header, a cookie or the client address
 * (ln_header, ln_cookie, ln_client_addr), or when the response sets a
 * cookie. A POST, PUT, PATCH or DELETE whose handler ran, on a route not
 * flagged LN_SAFE or LN_KEEP_CACHE, counts as a change of the data,
 * whatever it answered.
 */

/* API 3. This response depends on more than its key (the time of day, a
 * random pick): do not keep it. */
void ln_no_store(ln_request *req);

/* API 3. The site's data has changed (a write outside a POST, PUT, PATCH
 * or DELETE handler): no page made before now is served again, on this
 * host or on another sharing the database. */
void ln_data_changed(ln_request *req);

#ifdef __cplusplus
}
#endif

#endif
