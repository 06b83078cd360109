/*
 * plugintest.c - `labnet plugin-test x.so [fixtures] [--database CONNINFO]`:
 * a plugin's conformance run for a partner's CI, without nginx.
 *
 * Owns the throw-away PostgreSQL cluster (made in a temp dir like
 * tools/stack, removed at the end), the fixture file parser and the checks:
 * fixtures with XPath, RELAX NG (schema/ *.rng of the plugin), every view,
 * hostile parameter values, heap growth and crashes. Requests go through
 * dispatch_serve() in-process, as in a worker; each group of requests runs
 * in a forked child so that a crash is one failed line, not the end of the
 * run. A fixture's `user` is an account made once per run with the core's
 * `labnet user add` code and signed in through the core's /sign-in page;
 * its session lives in shared memory for the children that follow. Not
 * owned here: accounts and sessions (usercli.c, session.c). Everything
 * allocated lives until the command returns.
 */
#include "plugintest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <malloc.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ini.h>
#include <libpq-fe.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xpath.h>
#include <sodium.h>

#include "accounts.h"
#include "db.h"
#include "dispatch.h"
#include "log.h"
#include "master.h"
#include "migrate.h"
#include "router.h"
#include "site.h"
#include "strbuf.h"
#include "usercli.h"
#include "xmlsafe.h"

#define PT_MAX_PARAMS	32
#define PT_MAX_XPATHS	32
#define PT_LEAK_WARMUP	5
#define PT_LEAK_ROUNDS	40
#define PT_LEAK_BYTES	256	/* growth per request that counts as a leak */
#define PT_RESPONSE_MAX	(64u << 20)	/* a longer response is an empty body */
#define PT_USER_ID	":user_id"	/* in a fixture's sql: its user's id */

/* What a fixture's `user` may be: the core's two roles (an editor is the
 * least a signed-in account is). Indexes pt_shared.users. */
static const char *const pt_roles[] = { "editor", "admin", NULL };
#define PT_NROLES	2

/* Under AddressSanitizer mallinfo2 says nothing; its own counter does. */
extern size_t __sanitizer_get_current_allocated_bytes(void)
    __attribute__((weak));

/*
 * A signed-in account of the run, one per role, in the shared memory: the
 * child that signs it in writes it, the fixtures' children read it.
 */
struct pt_user {
	const char *role;		/* pt_roles[i] */
	int wanted;			/* a fixture asks for it */
	long long id;			/* 0: not signed in */
	char email[96];
	char cookie[40];		/* the session token (SESSION_COOKIE) */
	char csrf[72];			/* the session's CSRF token */
};

struct pt_fixture {
	const char *name;
	struct pt_user *user;			/* NULL: a visitor */
	int user_id_line;			/* first sql line with :user_id */
	const char *method;
	const char *path;
	const char *params[PT_MAX_PARAMS];	/* "name=value", raw */
	size_t nparams;
	int status;				/* 0: any below 500 */
	int xml;				/* ask for XML */
	const char *xpaths[PT_MAX_XPATHS];
	size_t nxpaths;
	const char *sql[PT_MAX_PARAMS];		/* run as the owner first */
	size_t nsql;
	struct pt_fixture *next;
};

/* Shared with the group children: counts and what is running. */
struct pt_shared {
	int passed;
	int failed;
	int done;
	char current[512];
	struct pt_user users[PT_NROLES];
};

struct pt_ctx {
	arena *a;
	const char *so;			/* absolute path of the plugin */
	const char *name;		/* plugin name */
	const char *fixtures_path;
	struct pt_fixture *fixtures;
	FILE *fixtures_file;		/* while reading: lines counted */
	int fixtures_line;
	int error_line;			/* the first line the handler refused */
	const char *error;		/* and why */
	const struct site *site;
	const struct plugin *plugin;
	xmlRelaxNGPtr *schemas;		/* NULL-terminated */
	struct pt_shared *shared;
};

struct pt_response {
	int status;
	strbuf raw;
	const char *body;
	size_t body_len;
	char content_type[128];
};

struct pt_body {
	const char *data;
	size_t len, off;
};

/* ------------------------------------------------------------ report */

static void pt_check(struct pt_ctx *ctx, int ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
pt_check(struct pt_ctx *ctx, int ok, const char *fmt, ...)
{
	va_list ap;

	fputs(ok ? "ok    " : "FAIL  ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	if (ok)
		ctx->shared->passed++;
	else
		ctx->shared->failed++;
}

/* ------------------------------------------------------------ requests */

static long
pt_read(void *arg, char *buf, size_t n)
{
	struct pt_body *b = arg;
	size_t left = b->len - b->off;

	if (n > left)
		n = left;
	memcpy(buf, b->data + b->off, n);
	b->off += n;
	return (long)n;
}

static int
pt_write(void *arg, const char *data, size_t n)
{
	strbuf_append(arg, data, n);
	return 0;
}

static void
pt_encode(strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')
			strbuf_putc(sb, (char)c);
		else
			strbuf_printf(sb, "%%%c%c", hex[c >> 4], hex[c & 15]);
	}
}

/* Whether method changes state: the CSRF-checked ones (dispatch.c). */
static int
pt_unsafe(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/*
 * One request through dispatch_serve(). query and body are already
 * encoded ("a=1&b=2") or NULL. as, when not NULL, sends its session
 * cookie, and its CSRF token as X-CSRF-Token on a state-changing method
 * (a csrf form field, checked first by the core, wins over it). The
 * response lives on ctx->a's strbuf.
 */
static void
pt_request(struct pt_ctx *ctx, struct db_conn *db, const char *method,
    const char *path, const char *query, const char *form, int xml,
    const struct pt_user *as, struct pt_response *out)
{
	struct dispatch_result result;
	struct pt_body body = { form ? form : "", form ? strlen(form) : 0, 0 };
	char *envp[12];
	const char *uri;
	size_t n = 0;
	char *sep;

	uri = arena_printf(ctx->a, "%s%s%s", path, query && *query ? "?" : "",
	    query ? query : "");
	snprintf(ctx->shared->current, sizeof(ctx->shared->current), "%s %s",
	    method, uri ? uri : path);
	envp[n++] = arena_printf(ctx->a, "REQUEST_METHOD=%s", method);
	envp[n++] = arena_printf(ctx->a, "REQUEST_URI=%s", uri);
	envp[n++] = "REMOTE_ADDR=127.0.0.1";
	envp[n++] = xml ? "HTTP_ACCEPT=application/xml" :
	    "HTTP_ACCEPT=text/html";
	envp[n++] = "HTTP_ACCEPT_LANGUAGE=en";
	if (form != NULL) {
		envp[n++] = "CONTENT_TYPE=application/x-www-form-urlencoded";
		envp[n++] = arena_printf(ctx->a, "CONTENT_LENGTH=%zu", body.len);
	}
	if (as != NULL && as->cookie[0] != '\0')
		envp[n++] = arena_printf(ctx->a, "HTTP_COOKIE=%s=%s",
		    SESSION_COOKIE, as->cookie);
	if (as != NULL && as->csrf[0] != '\0' && pt_unsafe(method))
		envp[n++] = arena_printf(ctx->a, "HTTP_X_CSRF_TOKEN=%s", as->csrf);
	envp[n] = NULL;
	memset(out, 0, sizeof(*out));
	strbuf_init(&out->raw, ctx->a, PT_RESPONSE_MAX);
	memset(&result, 0, sizeof(result));
	result.status = 500;
	dispatch_serve(ctx->site, db, envp, pt_read, &body, pt_write, &out->raw,
	    &result);
	out->status = result.status;
	out->body = "";
	if (!strbuf_failed(&out->raw) && out->raw.len > 0) {
		const char *raw = strbuf_str(&out->raw);

		const char *ct = strcasestr(raw, "\nContent-Type: ");

		if ((sep = strstr(raw, "\r\n\r\n")) != NULL) {
			if (ct != NULL && ct < sep)
				snprintf(out->content_type, sizeof(out->content_type),
				    "%.*s", (int)strcspn(ct + 15, "\r\n"), ct + 15);
			out->body = sep + 4;
			out->body_len = out->raw.len - (size_t)(out->body - raw);
		}
	}
}

/* ------------------------------------------------------------ groups */

/*
 * Runs fn in a child with its own database connection; a child that dies
 * (a signal, or a sanitizer's exit) is one failed check naming the request
 * it was serving.
 */
static void
pt_group(struct pt_ctx *ctx, const char *what,
    void (*fn)(struct pt_ctx *, struct db_conn *, void *), void *arg)
{
	const struct config *cfg = ctx->site->config;
	struct db_conn *db;
	pid_t pid;
	int status;

	ctx->shared->done = 0;
	ctx->shared->current[0] = '\0';
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		pt_check(ctx, 0, "%s: cannot fork: %s", what, strerror(errno));
		return;
	}
	if (pid == 0) {
		db = db_conn_new(cfg->database, cfg->connect_timeout,
		    cfg->statement_timeout);
		fn(ctx, db, arg);
		db_conn_free(db);
		ctx->shared->done = 1;
		fflush(stdout);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return;
	if (ctx->shared->done)
		return;
	if (WIFSIGNALED(status))
		pt_check(ctx, 0, "crash %s: %s died on signal %d (%s)", what,
		    ctx->shared->current, WTERMSIG(status),
		    strsignal(WTERMSIG(status)));
	else
		pt_check(ctx, 0, "crash %s: %s ended the process (exit %d)", what,
		    ctx->shared->current, WEXITSTATUS(status));
}

/* ------------------------------------------------------------ XML */

/* The response as a document on ctx->a (the core's parser of untrusted
 * XML: a response is the plugin's output, not ours). */
static xmlDocPtr
pt_parse(struct pt_ctx *ctx, const struct pt_response *r)
{
	const char *why = NULL;

	if (r->body_len == 0)
		return NULL;
	return xmlsafe_parse(ctx->a, r->body, r->body_len, &why);
}

static void
pt_quiet(void *arg, xmlErrorPtr error)
{
	(void)arg;
	(void)error;
}

/* Validates a 2xx XML response against the plugin's schemas, if any. */
static void
pt_validate(struct pt_ctx *ctx, const char *label, xmlDocPtr doc)
{
	xmlRelaxNGValidCtxtPtr v;
	size_t i;
	int ok = 0;

	if (ctx->schemas == NULL || ctx->schemas[0] == NULL)
		return;
	for (i = 0; ctx->schemas[i] != NULL && !ok; i++) {
		if ((v = xmlRelaxNGNewValidCtxt(ctx->schemas[i])) == NULL)
			continue;
		xmlRelaxNGSetValidStructuredErrors(v, pt_quiet, NULL);
		ok = xmlRelaxNGValidateDoc(v, doc) == 0;
		xmlRelaxNGFreeValidCtxt(v);
	}
	pt_check(ctx, ok, "schema %s: <%s> %s", label,
	    xmlDocGetRootElement(doc) ?
	    (const char *)xmlDocGetRootElement(doc)->name : "?",
	    ok ? "is valid" : "matches none of the plugin's schema/*.rng");
}

static void
pt_load_schemas(struct pt_ctx *ctx)
{
	xmlRelaxNGParserCtxtPtr pc;
	glob_t g;
	size_t i, n = 0;
	const char *pattern;

	pattern = arena_printf(ctx->a, "%s/schema/*.rng", ctx->plugin->data_dir);
	if (pattern == NULL || glob(pattern, 0, NULL, &g) != 0)
		return;
	ctx->schemas = arena_calloc(ctx->a, g.gl_pathc + 1, sizeof(*ctx->schemas));
	for (i = 0; ctx->schemas && i < g.gl_pathc; i++) {
		if ((pc = xmlRelaxNGNewParserCtxt(g.gl_pathv[i])) == NULL)
			continue;
		ctx->schemas[n] = xmlRelaxNGParse(pc);
		xmlRelaxNGFreeParserCtxt(pc);
		pt_check(ctx, ctx->schemas[n] != NULL, "schema %s loads",
		    g.gl_pathv[i]);
		if (ctx->schemas[n] != NULL)
			n++;
	}
	globfree(&g);
}

/* ------------------------------------------------------------ fixtures */

/* The first :user_id of sql that is a placeholder (not the tail of a cast
 * such as x::user_id, nor the head of a longer name), or NULL. */
static const char *
pt_user_id_at(const char *sql, const char *from)
{
	const char *p = from;
	size_t len = strlen(PT_USER_ID);
	char next;

	while ((p = strstr(p, PT_USER_ID)) != NULL) {
		next = p[len];
		if ((p == sql || p[-1] != ':') && next != '_' &&
		    !(next >= 'a' && next <= 'z') && !(next >= 'A' && next <= 'Z') &&
		    !(next >= '0' && next <= '9'))
			return p;
		p += len;
	}
	return NULL;
}

/* sql with every :user_id made $1, on ctx->a; NULL when it has none. */
static const char *
pt_sql_with_user_id(struct pt_ctx *ctx, const char *sql)
{
	const char *p = sql, *at;
	strbuf sb;

	if (pt_user_id_at(sql, sql) == NULL)
		return NULL;
	strbuf_init(&sb, ctx->a, 0);
	while ((at = pt_user_id_at(sql, p)) != NULL) {
		strbuf_append(&sb, p, (size_t)(at - p));
		strbuf_puts(&sb, "$1");
		p = at + strlen(PT_USER_ID);
	}
	strbuf_puts(&sb, p);
	return strbuf_failed(&sb) ? NULL : strbuf_str(&sb);
}

/* fgets for ini_parse_stream, counting lines: the handler then knows
 * which line it is given (inih tells only the first refused one). */
static char *
pt_fixture_read(char *buf, int size, void *arg)
{
	struct pt_ctx *ctx = arg;

	if (fgets(buf, size, ctx->fixtures_file) == NULL)
		return NULL;
	ctx->fixtures_line++;
	return buf;
}

/* Refuses the current line; the reason of the first one is kept. */
static int
pt_fixture_refuse(struct pt_ctx *ctx, const char *why)
{
	if (ctx->error == NULL) {
		ctx->error = why;
		ctx->error_line = ctx->fixtures_line;
	}
	return 0;
}

static int
pt_fixture_line(void *arg, const char *section, const char *key,
    const char *value)
{
	struct pt_ctx *ctx = arg;
	struct pt_fixture *f = ctx->fixtures;
	size_t i;

	if (f == NULL || strcmp(f->name, section) != 0) {
		if ((f = arena_calloc(ctx->a, 1, sizeof(*f))) == NULL)
			return pt_fixture_refuse(ctx, "out of memory");
		f->name = arena_strdup(ctx->a, section);
		f->method = "GET";
		f->path = "/";
		/* Kept newest first while reading, reversed at the end. */
		f->next = ctx->fixtures;
		ctx->fixtures = f;
	}
	if (strcmp(key, "method") == 0)
		f->method = arena_strdup(ctx->a, value);
	else if (strcmp(key, "path") == 0)
		f->path = arena_strdup(ctx->a, value);
	else if (strcmp(key, "param") == 0 && f->nparams < PT_MAX_PARAMS)
		f->params[f->nparams++] = arena_strdup(ctx->a, value);
	else if (strcmp(key, "sql") == 0 && f->nsql < PT_MAX_PARAMS) {
		f->sql[f->nsql++] = arena_strdup(ctx->a, value);
		if (f->user_id_line == 0 && pt_user_id_at(value, value) != NULL)
			f->user_id_line = ctx->fixtures_line;
	} else if (strcmp(key, "status") == 0)
		f->status = atoi(value);
	else if (strcmp(key, "format") == 0)
		f->xml = strcmp(value, "xml") == 0;
	else if (strcmp(key, "xpath") == 0 && f->nxpaths < PT_MAX_XPATHS) {
		f->xpaths[f->nxpaths++] = arena_strdup(ctx->a, value);
		f->xml = 1;
	} else if (strcmp(key, "user") == 0) {
		for (i = 0; pt_roles[i] != NULL; i++)
			if (strcmp(pt_roles[i], value) == 0)
				break;
		if (pt_roles[i] == NULL)
			return pt_fixture_refuse(ctx, arena_printf(ctx->a,
			    "user is editor or admin, not \"%s\"", value));
		f->user = &ctx->shared->users[i];
		f->user->wanted = 1;
	} else if (strcmp(key, "param") == 0 || strcmp(key, "sql") == 0 ||
	    strcmp(key, "xpath") == 0) {
		return pt_fixture_refuse(ctx, arena_printf(ctx->a, "more than %d "
		    "%s lines in [%s]", strcmp(key, "xpath") == 0 ? PT_MAX_XPATHS :
		    PT_MAX_PARAMS, key, section));
	} else {
		return pt_fixture_refuse(ctx, arena_printf(ctx->a, "unknown key "
		    "\"%s\" (method, path, param, status, format, xpath, sql, "
		    "user)", key));
	}
	return 1;
}

static int
pt_fixtures_load(struct pt_ctx *ctx)
{
	struct pt_fixture *f, *next, *list = NULL;
	int line, rc = -1;

	if (ctx->fixtures_path == NULL)
		return 0;
	if ((ctx->fixtures_file = fopen(ctx->fixtures_path, "r")) == NULL) {
		pt_check(ctx, 0, "fixtures %s: %s", ctx->fixtures_path,
		    strerror(errno));
		return -1;
	}
	line = ini_parse_stream(pt_fixture_read, ctx, pt_fixture_line, ctx);
	if (line != 0) {
		/* inih's own refusals (no '=', an unclosed [) carry no reason. */
		pt_check(ctx, 0, "fixtures %s:%d: %s", ctx->fixtures_path, line,
		    line == ctx->error_line && ctx->error != NULL ? ctx->error :
		    "not a fixture line (not key = value, or longer than 200 "
		    "bytes)");
		goto done;
	}
	for (f = ctx->fixtures; f != NULL; f = next) {
		next = f->next;
		f->next = list;
		list = f;
	}
	ctx->fixtures = list;
	for (f = ctx->fixtures; f != NULL; f = f->next)
		if (f->user_id_line != 0 && f->user == NULL) {
			pt_check(ctx, 0, "fixtures %s:%d: sql uses %s, but [%s] has no "
			    "user", ctx->fixtures_path, f->user_id_line, PT_USER_ID,
			    f->name);
			goto done;
		}
	rc = 0;
done:
	fclose(ctx->fixtures_file);
	ctx->fixtures_file = NULL;
	return rc;
}

/* "a=b" pairs, URL-encoded and joined with '&'. */
static const char *
pt_fixture_query(struct pt_ctx *ctx, const struct pt_fixture *f)
{
	strbuf sb;
	size_t i;
	const char *eq;

	strbuf_init(&sb, ctx->a, 0);
	for (i = 0; i < f->nparams; i++) {
		if (i)
			strbuf_putc(&sb, '&');
		eq = strchr(f->params[i], '=');
		if (eq == NULL) {
			pt_encode(&sb, f->params[i]);
			continue;
		}
		pt_encode(&sb, arena_strndup(ctx->a, f->params[i],
		    (size_t)(eq - f->params[i])));
		strbuf_putc(&sb, '=');
		pt_encode(&sb, eq + 1);
	}
	return sb.len ? strbuf_str(&sb) : "";
}

static void
pt_fixture_send(struct pt_ctx *ctx, struct db_conn *db,
    const struct pt_fixture *f, struct pt_response *r)
{
	const char *q = pt_fixture_query(ctx, f);
	int post = pt_unsafe(f->method);

	pt_request(ctx, db, f->method, f->path, post ? NULL : q, post ? q : NULL,
	    f->xml, f->user, r);
}

/* The fixture's setup statements, as the owner role (migrate_database);
 * :user_id goes in as the parameter $1, the id of the fixture's user. */
static int
pt_fixture_sql(struct pt_ctx *ctx, const struct pt_fixture *f)
{
	const char *values[1], *with_id;
	PGresult *res;
	PGconn *conn;
	size_t i;
	int ok = 1;

	if (f->nsql == 0)
		return 0;
	conn = PQconnectdb(ctx->site->config->migrate_database);
	if (PQstatus(conn) != CONNECTION_OK) {
		pt_check(ctx, 0, "fixture [%s]: cannot connect for sql: %s", f->name,
		    PQerrorMessage(conn));
		PQfinish(conn);
		return -1;
	}
	values[0] = f->user ? arena_printf(ctx->a, "%lld", f->user->id) : NULL;
	for (i = 0; ok && i < f->nsql; i++) {
		/* Checked at load: a fixture using :user_id has a user. */
		if ((with_id = pt_sql_with_user_id(ctx, f->sql[i])) != NULL)
			res = PQexecParams(conn, with_id, 1, NULL, values, NULL, NULL,
			    0);
		else
			res = PQexec(conn, f->sql[i]);
		if (PQresultStatus(res) != PGRES_COMMAND_OK &&
		    PQresultStatus(res) != PGRES_TUPLES_OK) {
			pt_check(ctx, 0, "fixture [%s]: sql %s: %s", f->name, f->sql[i],
			    PQerrorMessage(conn));
			ok = 0;
		}
		PQclear(res);
	}
	PQfinish(conn);
	return ok ? 0 : -1;
}

static void
pt_fixture_run(struct pt_ctx *ctx, struct db_conn *db, void *arg)
{
	const struct pt_fixture *f = arg;
	struct pt_response r;
	xmlXPathContextPtr xc;
	xmlXPathObjectPtr obj;
	xmlDocPtr doc = NULL;
	const char *as;
	size_t i;
	int ok;

	as = f->user ? arena_printf(ctx->a, " as %s", f->user->role) : "";
	if (f->user != NULL && f->user->id == 0) {
		pt_check(ctx, 0, "fixture [%s]: no session for user %s (see the "
		    "user line above)", f->name, f->user->role);
		return;
	}
	if (pt_fixture_sql(ctx, f) < 0)
		return;
	pt_fixture_send(ctx, db, f, &r);
	if (f->status)
		pt_check(ctx, r.status == f->status, "fixture [%s]: %s %s%s -> %d%s",
		    f->name, f->method, f->path, as ? as : "", r.status,
		    r.status == f->status ? "" : " (expected another status)");
	else
		pt_check(ctx, r.status < 500, "fixture [%s]: %s %s%s -> %d",
		    f->name, f->method, f->path, as ? as : "", r.status);
	if (!f->xml)
		return;
	doc = pt_parse(ctx, &r);
	if (doc == NULL) {
		pt_check(ctx, 0, "fixture [%s]: the response is not well-formed XML",
		    f->name);
		return;
	}
	if (r.status >= 200 && r.status < 300)
		pt_validate(ctx, f->name, doc);
	for (i = 0; i < f->nxpaths; i++) {
		xc = xmlXPathNewContext(doc);
		obj = xc ? xmlXPathEvalExpression(BAD_CAST f->xpaths[i], xc) : NULL;
		ok = obj != NULL && xmlXPathCastToBoolean(obj);
		pt_check(ctx, ok, "fixture [%s]: xpath %s%s", f->name, f->xpaths[i],
		    obj == NULL ? " (does not evaluate)" : ok ? "" : " is false");
		xmlXPathFreeObject(obj);
		xmlXPathFreeContext(xc);
	}
}

/* ------------------------------------------------------------ users */

/* The value of the response's Set-Cookie for the session, into out; 0, or
 * -1 when it sets none (or only expires it). */
static int
pt_session_cookie(const struct pt_response *r, char *out, size_t size)
{
	const char *p, *end;
	size_t len;

	if (strbuf_failed(&r->raw) || r->raw.len == 0)
		return -1;
	p = strbuf_str(&r->raw);
	if ((end = strstr(p, "\r\n\r\n")) == NULL)
		return -1;
	while ((p = strcasestr(p, "\nSet-Cookie: " SESSION_COOKIE "=")) != NULL &&
	    p < end) {
		p += strlen("\nSet-Cookie: " SESSION_COOKIE "=");
		len = strcspn(p, ";\r\n");
		if (len > 0 && len < size) {
			snprintf(out, size, "%.*s", (int)len, p);
			return 0;
		}
	}
	return -1;
}

/* The value of the page's first <input name="csrf" value="...">, the
 * token the core's forms carry (ln:csrf()), into out; 0 or -1. */
static int
pt_csrf_field(const struct pt_response *r, char *out, size_t size)
{
	const char *name, *tag_end, *value;
	size_t len;

	if ((name = strstr(r->body, "name=\"csrf\"")) == NULL ||
	    (tag_end = strchr(name, '>')) == NULL ||
	    (value = strstr(name, "value=\"")) == NULL || value > tag_end)
		return -1;
	value += strlen("value=\"");
	len = strcspn(value, "\"");
	if (len == 0 || len >= size)
		return -1;
	snprintf(out, size, "%.*s", (int)len, value);
	return 0;
}

/*
 * Makes u's account, as `labnet user add` does, and signs it in through
 * the core's own pages, as a browser would: GET /sign-in for the form's
 * session and token, POST /sign-in, then GET /account for the token of
 * the signed-in session. The account's address and password are random,
 * so that a database given with --database can hold earlier runs' ones.
 */
static void
pt_sign_in_run(struct pt_ctx *ctx, struct db_conn *db, void *arg)
{
	const struct config *cfg = ctx->site->config;
	struct pt_user *u = arg, browser;
	char password[33], suffix[33], token_hash[65], form_csrf[72], err[512];
	char hash[crypto_pwhash_STRBYTES];
	struct pt_response r;
	const char *why = NULL;
	PGconn *conn = NULL;
	long long id = 0;
	strbuf form;
	int ok = 0;

	memset(&browser, 0, sizeof(browser));
	/* Two random tokens: the password, and what makes the address new. */
	account_token_new(password, token_hash);
	account_token_new(suffix, token_hash);
	snprintf(u->email, sizeof(u->email), "plugin-test-%s-%.8s@plugin-test."
	    "invalid", u->role, suffix);
	if (account_password_hash(cfg, password, hash) < 0) {
		why = "cannot hash a password (out of memory?)";
		goto done;
	}
	conn = db_connect_own(cfg->database, cfg->connect_timeout,
	    "labnet-plugin-test", err, sizeof(err));
	if (conn == NULL) {
		why = arena_printf(ctx->a, "cannot connect: %s", err);
		goto done;
	}
	if ((id = usercli_add(conn, u->email, arena_printf(ctx->a,
	    "plugin-test %s", u->role), u->role, hash)) <= 0) {
		why = "cannot add the account (see above)";
		goto done;
	}
	pt_request(ctx, db, "GET", "/sign-in", NULL, NULL, 0, NULL, &r);
	if (r.status != 200 || pt_session_cookie(&r, browser.cookie,
	    sizeof(browser.cookie)) < 0 || pt_csrf_field(&r, form_csrf,
	    sizeof(form_csrf)) < 0) {
		why = arena_printf(ctx->a, "GET /sign-in -> %d, without a session "
		    "cookie and a csrf field", r.status);
		goto done;
	}
	strbuf_init(&form, ctx->a, 0);
	strbuf_puts(&form, "email=");
	pt_encode(&form, u->email);
	strbuf_printf(&form, "&password=%s&csrf=", password);
	pt_encode(&form, form_csrf);
	pt_request(ctx, db, "POST", "/sign-in", NULL, strbuf_str(&form), 0,
	    &browser, &r);
	if (r.status != 303 || pt_session_cookie(&r, browser.cookie,
	    sizeof(browser.cookie)) < 0) {
		why = arena_printf(ctx->a, "POST /sign-in -> %d, not 303 with a "
		    "session cookie", r.status);
		goto done;
	}
	pt_request(ctx, db, "GET", "/account", NULL, NULL, 0, &browser, &r);
	if (r.status != 200 || pt_csrf_field(&r, browser.csrf,
	    sizeof(browser.csrf)) < 0) {
		why = arena_printf(ctx->a, "GET /account -> %d, without a csrf "
		    "field", r.status);
		goto done;
	}
	memcpy(u->cookie, browser.cookie, sizeof(u->cookie));
	memcpy(u->csrf, browser.csrf, sizeof(u->csrf));
	u->id = id;
	ok = 1;
done:
	sodium_memzero(password, sizeof(password));
	if (conn != NULL)
		PQfinish(conn);
	if (ok)
		pt_check(ctx, 1, "user %s: %s (id %lld) signed in through /sign-in",
		    u->role, u->email, u->id);
	else
		pt_check(ctx, 0, "user %s: %s", u->role, why ? why : "out of memory");
}

/* ------------------------------------------------------------ routes */

/* A value the declared type accepts. */
static const char *
pt_plausible(const ln_param_spec *p)
{
	static char number[32];

	switch (p->type) {
	case LN_INT:
		snprintf(number, sizeof(number), "%lld",
		    p->min > 1 || p->max < 1 ? p->min : 1LL);
		return number;
	case LN_SLUG:
		return "test-slug";
	case LN_BOOL:
		return "1";
	case LN_CHOICE:
		return p->choices && p->choices[0] ? p->choices[0] : "x";
	case LN_DATE:
		return "2027-01-15";
	default:
		return "test";
	}
}

/* The pattern with every {name[:type]} replaced: by value when given,
 * else by a plausible value for the type. */
static const char *
pt_fill_path(struct pt_ctx *ctx, const char *pattern, const char *value)
{
	const char *open, *close, *colon;
	strbuf sb;

	strbuf_init(&sb, ctx->a, 0);
	while ((open = strchr(pattern, '{')) != NULL &&
	    (close = strchr(open, '}')) != NULL) {
		strbuf_append(&sb, pattern, (size_t)(open - pattern));
		colon = memchr(open, ':', (size_t)(close - open));
		if (value != NULL)
			strbuf_puts(&sb, value);
		else if (colon && strncmp(colon + 1, "int", 3) == 0)
			strbuf_puts(&sb, "1");
		else
			strbuf_puts(&sb, "test-slug");
		pattern = close + 1;
	}
	strbuf_puts(&sb, pattern);
	return strbuf_str(&sb);
}

/* The required parameters with plausible values, skipping `except`; then
 * `extra` (already encoded) if given. */
static const char *
pt_query(struct pt_ctx *ctx, const ln_param_spec *params,
    const ln_param_spec *except, const char *extra)
{
	const ln_param_spec *p;
	strbuf sb;

	strbuf_init(&sb, ctx->a, 0);
	for (p = params; p && p->name; p++) {
		if (p == except || !(p->flags & LN_REQUIRED) || p->type == LN_FILE)
			continue;
		if (sb.len)
			strbuf_putc(&sb, '&');
		pt_encode(&sb, p->name);
		strbuf_putc(&sb, '=');
		pt_encode(&sb, pt_plausible(p));
	}
	if (extra != NULL) {
		if (sb.len)
			strbuf_putc(&sb, '&');
		strbuf_puts(&sb, extra);
	}
	return sb.len ? strbuf_str(&sb) : "";
}

static void
pt_view_run(struct pt_ctx *ctx, struct db_conn *db, void *arg)
{
	const struct route_entry *e = arg;
	const char *path = pt_fill_path(ctx, e->route->pattern, NULL);
	const char *query = pt_query(ctx, e->route->params, NULL, NULL);
	struct pt_response r;
	xmlDocPtr doc;

	if (e->route->view != NULL) {
		pt_request(ctx, db, "GET", path, query, NULL, 0, NULL, &r);
		pt_check(ctx, r.status < 500, "view %s (%s): GET %s -> %d",
		    e->route->pattern, e->route->view, path, r.status);
	}
	pt_request(ctx, db, "GET", path, query, NULL, 1, NULL, &r);
	if (r.status >= 500) {
		pt_check(ctx, 0, "xml %s: GET %s -> %d", e->route->pattern, path,
		    r.status);
		return;
	}
	/* A route may answer XML requests with its own raw body. */
	if (strstr(r.content_type, "xml") == NULL)
		return;
	if ((doc = pt_parse(ctx, &r)) == NULL) {
		pt_check(ctx, 0, "xml %s: GET %s -> %d, not well-formed XML (%s)",
		    e->route->pattern, path, r.status, r.content_type);
		return;
	}
	if (r.status >= 200 && r.status < 300)
		pt_validate(ctx, e->route->pattern, doc);
}

static const struct {
	const char *label;
	const char *encoded;
} pt_hostile[] = {
	{ "script", "%3Cscript%3Ealert(1)%3C%2Fscript%3E" },
	{ "CR/LF", "a%0D%0ASet-Cookie%3A%20x%3D1" },
	{ "NUL", "a%00b" },
	{ "invalid UTF-8", "%C3%28%FF%FE" },
	{ "SQL", "%27%20OR%201%3D1%3B%20DROP%20TABLE%20x%3B%20--" },
	{ "quotes", "%22%27%5C%60%3C%3E%26" },
	{ "huge", NULL },
	{ NULL, NULL }
};

static const char *
pt_hostile_value(struct pt_ctx *ctx, size_t i)
{
	char *huge;

	if (pt_hostile[i].encoded != NULL)
		return pt_hostile[i].encoded;
	/* Above the host's max_param_len: the core must refuse it, not a 5xx. */
	huge = arena_alloc(ctx->a, 70001);
	if (huge == NULL)
		return "x";
	memset(huge, 'A', 70000);
	huge[70000] = '\0';
	return huge;
}

/* Every hostile value in every declared parameter, and in each path
 * parameter; one line per parameter. */
static void
pt_hostile_run(struct pt_ctx *ctx, struct db_conn *db, void *arg)
{
	const struct route_entry *e = arg;
	const ln_param_spec *p;
	struct pt_response r;
	strbuf failed;
	const char *path, *q;
	size_t i;

	for (p = e->route->params; p && p->name; p++) {
		if (p->type == LN_FILE)
			continue;
		strbuf_init(&failed, ctx->a, 0);
		path = pt_fill_path(ctx, e->route->pattern, NULL);
		for (i = 0; pt_hostile[i].label; i++) {
			q = pt_query(ctx, e->route->params, p,
			    arena_printf(ctx->a, "%s=%s", p->name,
			    pt_hostile_value(ctx, i)));
			pt_request(ctx, db, "GET", path, q, NULL, (i % 2) != 0, NULL,
			    &r);
			if (r.status >= 500)
				strbuf_printf(&failed, " %s->%d", pt_hostile[i].label,
				    r.status);
		}
		pt_check(ctx, failed.len == 0, "hostile %s ?%s=%s", e->route->pattern,
		    p->name, failed.len ? strbuf_str(&failed) : " no 5xx");
	}
	if (strchr(e->route->pattern, '{') == NULL)
		return;
	strbuf_init(&failed, ctx->a, 0);
	for (i = 0; pt_hostile[i].label; i++) {
		path = pt_fill_path(ctx, e->route->pattern, pt_hostile_value(ctx, i));
		pt_request(ctx, db, "GET", path, pt_query(ctx, e->route->params,
		    NULL, NULL), NULL, (i % 2) != 0, NULL, &r);
		if (r.status >= 500)
			strbuf_printf(&failed, " %s->%d", pt_hostile[i].label, r.status);
	}
	pt_check(ctx, failed.len == 0, "hostile %s path:%s", e->route->pattern,
	    failed.len ? strbuf_str(&failed) : " no 5xx");
}

/* ------------------------------------------------------------ leaks */

static size_t
pt_heap_bytes(void)
{
	if (__sanitizer_get_current_allocated_bytes != NULL)
		return __sanitizer_get_current_allocated_bytes();
	return mallinfo2().uordblks;
}

/* Descriptors open in this process (a handler that opens a file or socket
 * and never registers it on the request arena leaves one per request). */
static int
pt_open_fds(void)
{
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");
	int n = 0;

	if (dir == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL)
		if (d->d_name[0] != '.')
			n++;
	closedir(dir);
	return n - 1;	/* the directory's own descriptor */
}

struct pt_leak {
	const char *label;
	const char *method, *path, *query;
	const struct pt_fixture *fixture;
};

static void
pt_leak_run(struct pt_ctx *ctx, struct db_conn *db, void *arg)
{
	const struct pt_leak *l = arg;
	struct pt_response r;
	size_t before = 0, after, per;
	int i, fds_before = 0, fds_after;
	arena *saved = ctx->a, *scratch;

	/* The tester's own allocations go on an arena destroyed each time. */
	for (i = 0; i < PT_LEAK_WARMUP + PT_LEAK_ROUNDS; i++) {
		if (i == PT_LEAK_WARMUP) {
			before = pt_heap_bytes();
			fds_before = pt_open_fds();
		}
		if ((scratch = arena_create(65536)) == NULL)
			break;
		ctx->a = scratch;
		if (l->fixture)
			pt_fixture_send(ctx, db, l->fixture, &r);
		else
			pt_request(ctx, db, l->method, l->path, l->query, NULL, 0,
			    NULL, &r);
		ctx->a = saved;
		arena_destroy(scratch);
	}
	after = pt_heap_bytes();
	fds_after = pt_open_fds();
	per = after > before ? (after - before) / PT_LEAK_ROUNDS : 0;
	pt_check(ctx, per <= PT_LEAK_BYTES, "leak %s: %zu bytes per request over "
	    "%d requests%s", l->label, per, PT_LEAK_ROUNDS,
	    per <= PT_LEAK_BYTES ? "" : " (the heap grows)");
	/* A few may open for good (a connection, a cache); one a request is a
	 * descriptor the handler never closed or put on the arena. */
	pt_check(ctx, fds_after - fds_before < PT_LEAK_ROUNDS / 2,
	    "descriptors %s: %d left open over %d requests", l->label,
	    fds_after > fds_before ? fds_after - fds_before : 0, PT_LEAK_ROUNDS);
}

/* ------------------------------------------------------------ the run */

static int
pt_owned(const struct pt_ctx *ctx, const struct route_entry *e)
{
	return strcmp(e->owner_name, ctx->plugin->name) == 0;
}

static void
pt_checks(struct pt_ctx *ctx)
{
	const struct router *rt = &ctx->site->router;
	const struct route_entry *e;
	const struct pt_fixture *f;
	struct pt_leak *l;
	size_t i;

	pt_load_schemas(ctx);
	for (i = 0; i < PT_NROLES; i++)
		if (ctx->shared->users[i].wanted)
			pt_group(ctx, arena_printf(ctx->a, "user %s", pt_roles[i]),
			    pt_sign_in_run, &ctx->shared->users[i]);
	for (f = ctx->fixtures; f != NULL; f = f->next)
		pt_group(ctx, arena_printf(ctx->a, "[%s]", f->name), pt_fixture_run,
		    (void *)f);
	for (i = 0; i < rt->count; i++) {
		e = rt->entries[i];
		if (!pt_owned(ctx, e) || !(e->route->methods & LN_GET))
			continue;
		pt_group(ctx, e->route->pattern, pt_view_run, (void *)e);
		pt_group(ctx, e->route->pattern, pt_hostile_run, (void *)e);
	}
	for (f = ctx->fixtures; f != NULL; f = f->next) {
		if (strcmp(f->method, "GET") != 0 ||
		    (l = arena_calloc(ctx->a, 1, sizeof(*l))) == NULL)
			continue;
		l->label = arena_printf(ctx->a, "[%s]", f->name);
		l->fixture = f;
		pt_group(ctx, l->label, pt_leak_run, l);
	}
	for (i = 0; i < rt->count; i++) {
		e = rt->entries[i];
		if (!pt_owned(ctx, e) || !(e->route->methods & LN_GET) ||
		    (l = arena_calloc(ctx->a, 1, sizeof(*l))) == NULL)
			continue;
		l->method = "GET";
		l->path = pt_fill_path(ctx, e->route->pattern, NULL);
		l->query = pt_query(ctx, e->route->params, NULL, NULL);
		l->label = arena_printf(ctx->a, "GET %s", l->path);
		pt_group(ctx, l->label, pt_leak_run, l);
	}
}

/* In the worker-like child: migrate, load with init, check. */
static int
pt_job(const struct config *cfg, void *arg)
{
	struct pt_ctx *ctx = arg;
	struct site *site;
	char err[1024];
	int rc = 1;

	if ((site = site_create(cfg, 0, err, sizeof(err))) == NULL) {
		pt_check(ctx, 0, "load %s: %s", ctx->so, err);
		goto done;
	}
	rc = migrate_run(site, stderr);
	site_destroy(site);
	site = NULL;
	pt_check(ctx, rc == 0, "migrations of the core and %s", ctx->name);
	if (rc != 0)
		goto done;
	log_set_level(LOG_LEVEL_ERROR);
	if ((site = site_create(cfg, 1, err, sizeof(err))) == NULL) {
		pt_check(ctx, 0, "init %s: %s", ctx->so, err);
		goto done;
	}
	ctx->site = site;
	ctx->plugin = site_plugin(site, ctx->name);
	if (ctx->plugin == NULL) {
		pt_check(ctx, 0, "load %s: no plugin named %s", ctx->so, ctx->name);
		goto done;
	}
	pt_check(ctx, 1, "load %s %s (%s)", ctx->plugin->name,
	    ctx->plugin->desc->version, ctx->so);
	pt_checks(ctx);
	rc = 0;
done:
	site_destroy(site);
	return rc;
}

/* ------------------------------------------------------------ cluster */

struct pt_cluster {
	char dir[64];
	char bin[PATH_MAX];
	int made;			/* dir exists: remove it */
	int started;
};

static int
pt_is_root(void)
{
	return geteuid() == 0;
}

/* Runs argv (as postgres when root), output to dir/tools.log. */
static int
pt_spawn(const struct pt_cluster *c, char *const argv[])
{
	char log_path[128];
	struct passwd *pw = NULL;
	pid_t pid;
	int status, fd;

	if (pt_is_root() && (pw = getpwnam("postgres")) == NULL) {
		fprintf(stderr, "labnet: no postgres user to run %s\n", argv[0]);
		return -1;
	}
	snprintf(log_path, sizeof(log_path), "%s/tools.log", c->dir);
	fflush(stdout);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		if ((fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0644)) >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		if (pw != NULL && (setgid(pw->pw_gid) < 0 ||
		    setgroups(0, NULL) < 0 || setuid(pw->pw_uid) < 0))
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int
pt_find_bin(struct pt_cluster *c)
{
	static const char *const fallback[] = { "/usr/lib/postgresql/15/bin",
	    "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin", NULL };
	char line[PATH_MAX], path[PATH_MAX + 16];
	int fds[2], status, devnull;
	ssize_t n;
	pid_t pid;
	size_t i;

	if (pipe(fds) == 0) {
		fflush(stdout);
		if ((pid = fork()) == 0) {
			dup2(fds[1], 1);
			close(fds[0]);
			close(fds[1]);
			if ((devnull = open("/dev/null", O_WRONLY)) >= 0)
				dup2(devnull, 2);
			execlp("pg_config", "pg_config", "--bindir", (char *)NULL);
			_exit(127);
		}
		close(fds[1]);
		n = pid > 0 ? read(fds[0], line, sizeof(line) - 1) : -1;
		close(fds[0]);
		if (pid > 0)
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
		if (n > 0) {
			line[n] = '\0';
			line[strcspn(line, "\n")] = '\0';
			snprintf(path, sizeof(path), "%s/initdb", line);
			if (access(path, X_OK) == 0)
				snprintf(c->bin, sizeof(c->bin), "%s", line);
		}
	}
	for (i = 0; c->bin[0] == '\0' && fallback[i]; i++) {
		snprintf(path, sizeof(path), "%s/initdb", fallback[i]);
		if (access(path, X_OK) == 0)
			snprintf(c->bin, sizeof(c->bin), "%s", fallback[i]);
	}
	return c->bin[0] ? 0 : -1;
}

static int
pt_cluster_sql(const struct pt_cluster *c)
{
	static const char *const sql[] = {
		"CREATE ROLE labnet_owner LOGIN",
		"CREATE ROLE labnet_app LOGIN",
		"CREATE DATABASE labnet OWNER labnet_owner",
		NULL
	};
	static const char *const db_sql[] = {
		"REVOKE CREATE, CONNECT ON DATABASE labnet FROM PUBLIC",
		"REVOKE ALL ON SCHEMA public FROM PUBLIC",
		"GRANT CONNECT ON DATABASE labnet TO labnet_app",
		NULL
	};
	char conninfo[128];
	PGresult *res;
	PGconn *conn;
	size_t i;
	int rc = 0, pass;

	for (pass = 0; pass < 2 && rc == 0; pass++) {
		snprintf(conninfo, sizeof(conninfo), "host=%s dbname=%s user=postgres",
		    c->dir, pass ? "labnet" : "postgres");
		conn = PQconnectdb(conninfo);
		if (PQstatus(conn) != CONNECTION_OK) {
			fprintf(stderr, "labnet: %s", PQerrorMessage(conn));
			rc = -1;
		}
		for (i = 0; rc == 0 && (pass ? db_sql : sql)[i]; i++) {
			res = PQexec(conn, (pass ? db_sql : sql)[i]);
			if (PQresultStatus(res) != PGRES_COMMAND_OK) {
				fprintf(stderr, "labnet: %s", PQerrorMessage(conn));
				rc = -1;
			}
			PQclear(res);
		}
		PQfinish(conn);
	}
	return rc;
}

static int
pt_cluster_start(struct pt_cluster *c)
{
	char initdb[PATH_MAX + 16], pg_ctl[PATH_MAX + 16], data[96], log_path[96];
	char opts[256];
	struct passwd *pw;

	snprintf(c->dir, sizeof(c->dir), "/tmp/lnpt.XXXXXX");
	if (pt_find_bin(c) < 0) {
		fprintf(stderr, "labnet: no initdb (pg_config --bindir, "
		    "/usr/lib/postgresql/15/bin); give --database\n");
		return -1;
	}
	if (mkdtemp(c->dir) == NULL)
		return -1;
	c->made = 1;
	if (chmod(c->dir, 0755) < 0)
		return -1;
	if (pt_is_root() && ((pw = getpwnam("postgres")) == NULL ||
	    chown(c->dir, pw->pw_uid, pw->pw_gid) < 0))
		return -1;
	snprintf(initdb, sizeof(initdb), "%s/initdb", c->bin);
	snprintf(pg_ctl, sizeof(pg_ctl), "%s/pg_ctl", c->bin);
	snprintf(data, sizeof(data), "%s/data", c->dir);
	snprintf(log_path, sizeof(log_path), "%s/postgres.log", c->dir);
	snprintf(opts, sizeof(opts), "-c listen_addresses='' "
	    "-c unix_socket_directories='%s' -c fsync=off", c->dir);
	{
		char *const init_argv[] = { initdb, "-D", data, "-E", "UTF8",
		    "--locale=C.UTF-8", "-A", "trust", "-U", "postgres", NULL };
		char *const start_argv[] = { pg_ctl, "start", "-D", data, "-l",
		    log_path, "-w", "-s", "-o", opts, NULL };

		if (pt_spawn(c, init_argv) < 0) {
			fprintf(stderr, "labnet: initdb failed (see %s/tools.log)\n",
			    c->dir);
			return -1;
		}
		if (pt_spawn(c, start_argv) < 0) {
			fprintf(stderr, "labnet: pg_ctl start failed (see %s)\n",
			    log_path);
			return -1;
		}
	}
	c->started = 1;
	return pt_cluster_sql(c);
}

static void
pt_cluster_stop(struct pt_cluster *c)
{
	char pg_ctl[PATH_MAX + 16], data[96];
	pid_t pid;
	int status;

	if (!c->made)
		return;
	snprintf(pg_ctl, sizeof(pg_ctl), "%s/pg_ctl", c->bin);
	snprintf(data, sizeof(data), "%s/data", c->dir);
	if (c->started) {
		char *const stop_argv[] = { pg_ctl, "stop", "-D", data, "-m",
		    "immediate", "-w", "-s", NULL };

		pt_spawn(c, stop_argv);
	}
	if ((pid = fork()) == 0) {
		execl("/bin/rm", "rm", "-rf", c->dir, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
}

/* ------------------------------------------------------------ command */

static int
pt_usage(void)
{
	fprintf(stderr, "usage: labnet plugin-test PLUGIN.so [FIXTURES] "
	    "[--database CONNINFO]\n");
	return 2;
}

/* The configuration with the plugin added: its library, and its root
 * (the .so's directory when that holds views/, sql/ or schema/). */
static int
pt_config(struct pt_ctx *ctx, const struct config *cfg, struct config *out)
{
	struct config_section *s;
	struct config_entry *e;
	const char **plugins;
	char *dir, *base;
	size_t n = 0, i;
	struct stat st;
	int has_root = 0;

	*out = *cfg;
	while (cfg->plugins && cfg->plugins[n])
		n++;
	if ((plugins = arena_calloc(ctx->a, n + 2, sizeof(*plugins))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		plugins[i] = cfg->plugins[i];
		if (strcmp(plugins[i], ctx->name) == 0)
			has_root = -1;
	}
	if (has_root == 0)
		plugins[n] = ctx->name;
	out->plugins = plugins;
	s = (struct config_section *)config_section(cfg, ctx->name);
	if (s == NULL) {
		if ((s = arena_calloc(ctx->a, 1, sizeof(*s))) == NULL)
			return -1;
		s->name = ctx->name;
		s->next = cfg->sections;
		out->sections = s;
	}
	has_root = config_value(out, ctx->name, "root") != NULL;
	if ((e = arena_calloc(ctx->a, 1, sizeof(*e))) == NULL)
		return -1;
	e->key = "library";
	e->value = ctx->so;
	e->next = s->entries;
	s->entries = e;
	dir = arena_strdup(ctx->a, ctx->so);
	base = dir ? dirname(dir) : NULL;
	if (!has_root && base != NULL) {
		const char *probe[] = { "views", "sql", "schema", NULL };

		for (i = 0; probe[i]; i++)
			if (stat(arena_printf(ctx->a, "%s/%s", base, probe[i]), &st)
			    == 0 && S_ISDIR(st.st_mode))
				break;
		if (probe[i] != NULL &&
		    (e = arena_calloc(ctx->a, 1, sizeof(*e))) != NULL) {
			e->key = "root";
			e->value = base;
			e->next = s->entries;
			s->entries = e;
		}
	}
	return 0;
}

int
plugintest_main(const struct config *cfg, int argc, char **argv)
{
	struct pt_cluster cluster;
	struct pt_ctx ctx;
	struct config tcfg;
	const char *database = NULL, *base;
	char real[PATH_MAX], *dot;
	int i, rc = 1;

	memset(&ctx, 0, sizeof(ctx));
	memset(&cluster, 0, sizeof(cluster));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--database") == 0 && i + 1 < argc)
			database = argv[++i];
		else if (argv[i][0] == '-')
			return pt_usage();
		else if (ctx.so == NULL)
			ctx.so = argv[i];
		else if (ctx.fixtures_path == NULL)
			ctx.fixtures_path = argv[i];
		else
			return pt_usage();
	}
	if (ctx.so == NULL)
		return pt_usage();
	if (realpath(ctx.so, real) == NULL) {
		fprintf(stderr, "labnet: %s: %s\n", ctx.so, strerror(errno));
		return 1;
	}
	ctx.shared = mmap(NULL, sizeof(*ctx.shared), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ctx.shared == MAP_FAILED || (ctx.a = arena_create(65536)) == NULL)
		return 1;
	memset(ctx.shared, 0, sizeof(*ctx.shared));
	for (i = 0; i < PT_NROLES; i++)
		ctx.shared->users[i].role = pt_roles[i];
	ctx.so = arena_strdup(ctx.a, real);
	base = strrchr(ctx.so, '/') + 1;
	ctx.name = arena_strdup(ctx.a, base);
	if ((dot = strstr((char *)ctx.name, ".so")) != NULL)
		*dot = '\0';
	if (pt_fixtures_load(&ctx) < 0 || pt_config(&ctx, cfg, &tcfg) < 0)
		goto done;
	if (database != NULL) {
		tcfg.database = database;
		tcfg.migrate_database = database;
	} else {
		if (pt_cluster_start(&cluster) < 0) {
			pt_check(&ctx, 0, "a throw-away PostgreSQL cluster");
			goto done;
		}
		tcfg.database = arena_printf(ctx.a, "host=%s dbname=labnet "
		    "user=labnet_app", cluster.dir);
		tcfg.migrate_database = arena_printf(ctx.a, "host=%s dbname=labnet "
		    "user=labnet_owner", cluster.dir);
		tcfg.app_role = "labnet_app";
	}
	if (master_as_worker(&tcfg, pt_job, &ctx) != 0)
		ctx.shared->failed++;
done:
	pt_cluster_stop(&cluster);
	printf("%d passed, %d failed\n", ctx.shared->passed, ctx.shared->failed);
	rc = ctx.shared->failed == 0 && ctx.shared->passed > 0 ? 0 : 1;
	arena_destroy(ctx.a);
	return rc;
}
