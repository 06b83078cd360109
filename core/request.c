/*
 * request.c - FastCGI params and body into a struct ln_request.
 *
 * Owns input parsing and its limits (body size, parameter count and length,
 * multipart parts) and the SDK accessors for request input (ln_path,
 * ln_header, ln_param, ...). Everything it produces lives on the request's
 * arena. Parsing never aborts the process: bad input sets a 4xx status and a
 * message, and the request is answered with the error page.
 */
#include "request.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "httphdr.h"
#include "i18n.h"
#include "log.h"
#include "multipart.h"
#include "strbuf.h"
#include "url.h"

#define BODY_CHUNK 16384

static const struct {
	const char *name;
	unsigned bit;
} request_methods[] = {
	{ "GET", LN_GET }, { "HEAD", LN_GET }, { "POST", LN_POST },
	{ "PUT", LN_PUT }, { "PATCH", LN_PATCH }, { "DELETE", LN_DELETE },
};

/*
 * Fail the request with status. A server error already recorded (out of
 * memory, the database) stays, and a 4xx after an allocation of the
 * request failed is a 500: such a 4xx is most often a check that met the
 * NULL the failure left (a boundary that could not be copied, a right that
 * could not be asked), and would blame the client.
 */
static int
request_vfail(struct ln_request *req, int status, const char *fmt, va_list ap)
{
	if (req->status >= 500 && status < 500)
		return LN_EINTERNAL;
	if (status < 500 && arena_failed(req->arena))
		return request_fail(req, 500, "out of memory");
	req->status = status;
	req->error = arena_vprintf(req->arena, fmt, ap);
	return status < 500 ? LN_EINVAL : LN_EINTERNAL;
}

int
request_fail(struct ln_request *req, int status, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = request_vfail(req, status, fmt, ap);
	va_end(ap);
	return rc;
}

const char *
request_env(char *const *envp, const char *name)
{
	size_t len = strlen(name);

	for (; envp != NULL && *envp != NULL; envp++)
		if (strncmp(*envp, name, len) == 0 && (*envp)[len] == '=')
			return *envp + len + 1;
	return NULL;
}

const struct req_pair *
request_pair(const struct req_pair *list, const char *name)
{
	for (; list != NULL; list = list->next)
		if (strcmp(list->name, name) == 0)
			return list;
	return NULL;
}

int
request_addr_trusted(const char *const *list, const char *addr)
{
	for (; list != NULL && *list != NULL; list++)
		if (strcmp(*list, addr) == 0)
			return 1;
	return 0;
}

/* Appends in order; the lists are short, so a tail walk is fine. */
static int
pair_append(arena *a, struct req_pair **list, const char *name, size_t name_len,
    const char *value, size_t value_len)
{
	struct req_pair *p, **tail;

	p = arena_alloc(a, sizeof(*p));
	if (p == NULL)
		return -1;
	p->next = NULL;
	p->name = arena_strndup(a, name, name_len);
	p->value = arena_strndup(a, value, value_len);
	p->len = value_len;
	if (p->name == NULL || p->value == NULL)
		return -1;
	for (tail = list; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = p;
	return 0;
}

static int
header_valid(const char *s)
{
	return url_utf8_valid(s, strlen(s));
}

/* HTTP_ACCEPT_LANGUAGE -> accept-language */
static int
request_headers(struct ln_request *req, char *const *envp)
{
	const char *eq;
	char *name;
	size_t i, len;

	for (; envp != NULL && *envp != NULL; envp++) {
		if (strncmp(*envp, "HTTP_", 5) != 0)
			continue;
		if ((eq = strchr(*envp, '=')) == NULL)
			continue;
		len = (size_t)(eq - *envp) - 5;
		if ((name = arena_strndup(req->arena, *envp + 5, len)) == NULL)
			return request_fail(req, 500, "out of memory");
		for (i = 0; i < len; i++)
			name[i] = (char)(name[i] == '_' ? '-' :
			    (name[i] >= 'A' && name[i] <= 'Z') ? name[i] + 32 : name[i]);
		if (strcmp(name, "cookie") != 0 && !header_valid(eq + 1))
			return request_fail(req, 400, "header %s is not valid UTF-8", name);
		if (pair_append(req->arena, &req->headers, name, len, eq + 1,
		    strlen(eq + 1)) < 0)
			return request_fail(req, 500, "out of memory");
	}
	return 0;
}

static int
cookie_pair(void *ctx, const char *name, size_t name_len, const char *value,
    size_t value_len)
{
	struct ln_request *req = ctx;

	/* A cookie another site on the domain set with junk in it is dropped,
	 * not a reason to refuse the visitor. */
	if (!url_utf8_valid(name, name_len) || !url_utf8_valid(value, value_len))
		return 0;
	return pair_append(req->arena, &req->cookies, name, name_len, value,
	    value_len);
}

static int
param_pair(struct ln_request *req, const char *key, size_t key_len,
    const char *value, size_t value_len)
{
	return pair_append(req->arena, &req->params, key, key_len, value,
	    value_len) < 0 ? URL_ENOMEM : 0;
}

struct form_ctx {
	struct ln_request *req;
	const struct config *cfg;
	int failed;
};

static int
form_pair(void *ctx, const char *key, size_t key_len, const char *value,
    size_t value_len)
{
	struct form_ctx *fc = ctx;
	struct ln_request *req = fc->req;

	if (req->nparams >= fc->cfg->max_params) {
		request_fail(req, 400, "too many parameters (at most %zu)",
		    fc->cfg->max_params);
		return fc->failed = -1;
	}
	if (value_len > fc->cfg->max_param_len || key_len > 256) {
		request_fail(req, 400, "parameter %.64s is too long (at most %zu bytes)",
		    key, fc->cfg->max_param_len);
		return fc->failed = -1;
	}
	req->nparams++;
	return param_pair(req, key, key_len, value, value_len);
}

static int
form_parse(struct ln_request *req, const struct config *cfg, const char *s,
    size_t n, const char *what)
{
	struct form_ctx fc = { req, cfg, 0 };
	int rc;

	rc = url_parse_form(req->arena, s, n, form_pair, &fc);
	if (fc.failed)
		return -1;
	switch (rc) {
	case 0:
		return 0;
	case URL_EUTF8:
		return request_fail(req, 400, "%s is not valid UTF-8", what);
	case URL_ENUL:
		return request_fail(req, 400, "%s contains a NUL character", what);
	case URL_EBADESCAPE:
		return request_fail(req, 400, "%s has a bad percent-escape", what);
	default:
		return request_fail(req, 500, "out of memory");
	}
}

/* Reads the whole body (already checked against max_body) onto the arena. */
static int
body_read_all(struct ln_request *req, request_reader reader, void *ctx,
    char **out, size_t *out_len)
{
	size_t got = 0;
	long n;
	char *buf;

	buf = arena_alloc(req->arena, req->content_length + 1);
	if (buf == NULL)
		return request_fail(req, 500, "out of memory");
	while (got < req->content_length) {
		n = reader(ctx, buf + got, req->content_length - got);
		if (n <= 0)
			return request_fail(req, 400, "request body ended early");
		got += (size_t)n;
	}
	buf[got] = '\0';
	*out = buf;
	*out_len = got;
	return 0;
}

/* Multipart: each part becomes a parameter, or an upload when it has a
 * filename. Values are gathered in a strbuf limited to the right size. */
struct mp_ctx {
	struct ln_request *req;
	const struct config *cfg;
	const char *name;
	const char *filename;
	const char *media_type;
	strbuf value;
	int failed;
};

static int
mp_begin(void *ctx, const char *name, const char *filename, const char *type)
{
	struct mp_ctx *mc = ctx;

	if (mc->req->nparams >= mc->cfg->max_params) {
		request_fail(mc->req, 400, "too many parameters (at most %zu)",
		    mc->cfg->max_params);
		return mc->failed = -1;
	}
	/* Names, file names and types reach plugins and XML as text, like
	 * every other input: strict UTF-8 (found by tests/fuzz/fuzz_request). */
	if (!url_utf8_valid(name, strlen(name)) || (filename &&
	    !url_utf8_valid(filename, strlen(filename))) || (type &&
	    !url_utf8_valid(type, strlen(type)))) {
		request_fail(mc->req, 400, "a part's name, file name or type is "
		    "not valid UTF-8");
		return mc->failed = -1;
	}
	/* The parser reuses its buffer for the next part: keep copies. */
	mc->name = arena_strdup(mc->req->arena, name);
	mc->filename = filename ? arena_strdup(mc->req->arena, filename) : NULL;
	mc->media_type = type ? arena_strdup(mc->req->arena, type) : NULL;
	if (mc->name == NULL || (filename && mc->filename == NULL) ||
	    (type && mc->media_type == NULL)) {
		request_fail(mc->req, 500, "out of memory");
		return mc->failed = -1;
	}
	strbuf_init(&mc->value, mc->req->arena,
	    filename ? mc->cfg->max_body : mc->cfg->max_param_len);
	return 0;
}

static int
mp_data(void *ctx, const char *data, size_t n)
{
	struct mp_ctx *mc = ctx;

	strbuf_append(&mc->value, data, n);
	if (strbuf_failed(&mc->value)) {
		request_fail(mc->req, mc->filename ? 413 : 400,
		    "part %.64s is too large", mc->name);
		return mc->failed = -1;
	}
	return 0;
}

static int
mp_end(void *ctx)
{
	struct mp_ctx *mc = ctx;
	struct ln_request *req = mc->req;
	struct req_upload *u, **tail;
	const char *data = strbuf_str(&mc->value);

	if (data == NULL)
		return mc->failed = -1;
	req->nparams++;
	if (mc->filename == NULL) {
		if (!url_utf8_valid(data, mc->value.len) ||
		    memchr(data, '\0', mc->value.len) != NULL) {
			request_fail(req, 400, "field %.64s is not valid UTF-8 text",
			    mc->name);
			return mc->failed = -1;
		}
		return pair_append(req->arena, &req->params, mc->name,
		    strlen(mc->name), data, mc->value.len) < 0 ? -1 : 0;
	}
	u = arena_calloc(req->arena, 1, sizeof(*u));
	if (u == NULL)
		return mc->failed = -1;
	u->upload.field = mc->name;
	u->upload.filename = mc->filename;
	u->upload.media_type = mc->media_type ? mc->media_type : "application/octet-stream";
	u->upload.size = mc->value.len;
	u->upload.data = (const unsigned char *)data;
	for (tail = &req->uploads; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = u;
	return 0;
}

static int
body_multipart(struct ln_request *req, const struct config *cfg,
    request_reader reader, void *ctx)
{
	static const multipart_callbacks callbacks = { mp_begin, mp_data, mp_end };
	multipart_limits limits;
	struct mp_ctx mc;
	multipart_parser *mp;
	const char *why = NULL;
	char *boundary = NULL, *chunk;
	size_t got = 0, want;
	long n;
	int rc;

	memset(&mc, 0, sizeof(mc));
	mc.req = req;
	mc.cfg = cfg;
	limits.max_parts = cfg->max_parts;
	limits.max_header_bytes = 8192;
	limits.max_headers = 16;
	if (httphdr_media_param(req->arena, req->content_type, "boundary",
	    &boundary) < 0 || boundary == NULL)
		return request_fail(req, 400, "multipart body without a boundary");
	mp = multipart_create(req->arena, boundary, &limits, &callbacks, &mc, &why);
	if (mp == NULL)
		return request_fail(req, 400, "multipart boundary refused: %s",
		    why ? why : "invalid");
	if ((chunk = arena_alloc(req->arena, BODY_CHUNK)) == NULL)
		return request_fail(req, 500, "out of memory");
	while (got < req->content_length) {
		want = req->content_length - got;
		if (want > BODY_CHUNK)
			want = BODY_CHUNK;
		n = reader(ctx, chunk, want);
		if (n <= 0)
			return request_fail(req, 400, "request body ended early");
		got += (size_t)n;
		rc = multipart_feed(mp, chunk, (size_t)n);
		if (rc < 0)
			goto refused;
	}
	if ((rc = multipart_finish(mp)) < 0)
		goto refused;
	return 0;
refused:
	if (mc.failed)
		return -1;
	if (rc == MULTIPART_ETOOMANY)
		return request_fail(req, 400, "too many parts (at most %zu)",
		    cfg->max_parts);
	return request_fail(req, 400, "malformed multipart body: %s",
	    multipart_error(mp));
}

static int
request_body(struct ln_request *req, const struct config *cfg,
    request_reader reader, void *ctx)
{
	char *body = NULL;
	size_t len = 0;

	if (req->content_length == 0 || req->content_type == NULL)
		return 0;
	if (httphdr_media_is(req->content_type, "application/x-www-form-urlencoded")) {
		if (body_read_all(req, reader, ctx, &body, &len) < 0)
			return -1;
		return form_parse(req, cfg, body, len, "the form");
	}
	if (httphdr_media_is(req->content_type, "multipart/form-data"))
		return body_multipart(req, cfg, reader, ctx);
	/* Other bodies are left unread; libfcgi discards them on finish. */
	return 0;
}

/* The rightmost X-Forwarded-For hop that is not a trusted proxy. */
static const char *
client_address(struct ln_request *req, const struct config *cfg,
    const char *remote)
{
	const struct req_pair *xff;
	const char *end, *start;
	char *hop;

	if (remote == NULL)
		return "-";
	if (!request_addr_trusted(cfg->trusted_proxies, remote))
		return remote;
	if ((xff = request_pair(req->headers, "x-forwarded-for")) == NULL)
		return remote;
	end = xff->value + strlen(xff->value);
	while (end > xff->value) {
		start = end;
		while (start > xff->value && start[-1] != ',')
			start--;
		hop = arena_strndup(req->arena, start, (size_t)(end - start));
		if (hop == NULL)
			return remote;
		hop += strspn(hop, " \t");
		hop[strcspn(hop, " \t")] = '\0';
		if (hop[0] != '\0' && !request_addr_trusted(cfg->trusted_proxies, hop))
			return strspn(hop, "0123456789abcdefABCDEF.:") == strlen(hop) ?
			    hop : remote;
		end = start > xff->value ? start - 1 : start;
	}
	return remote;
}

static const char *
request_id_make(struct ln_request *req, const char *given)
{
	unsigned char raw[12];
	char *hex;
	size_t len;

	if (given != NULL) {
		len = strlen(given);
		if (len > 0 && len <= 64 && strspn(given,
		    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == len)
			return given;
	}
	randombytes_buf(raw, sizeof(raw));
	if ((hex = arena_alloc(req->arena, sizeof(raw) * 2 + 1)) == NULL)
		return "-";
	sodium_bin2hex(hex, sizeof(raw) * 2 + 1, raw, sizeof(raw));
	return hex;
}

/* Strip "/xx" when xx is a site language; "/fi" alone is the home page.
 * -1 (a 500 set) when out of memory: never a page in another language. */
static int
request_language_prefix(struct ln_request *req)
{
	const char *p = req->path;
	char tag[3];

	if (p[0] != '/' || p[1] == '\0' || p[2] == '\0' ||
	    (p[3] != '/' && p[3] != '\0'))
		return 0;
	tag[0] = p[1];
	tag[1] = p[2];
	tag[2] = '\0';
	if (!i18n_is_language(tag))
		return 0;
	if ((req->lang = arena_strdup(req->arena, tag)) == NULL) {
		request_fail(req, 500, "out of memory");
		return -1;
	}
	req->lang_in_path = 1;
	req->path = p[3] == '\0' ? "/" : p + 3;
	return 0;
}

/* The stored choice (cookie), then Accept-Language, then English. */
static void
request_language_choose(struct ln_request *req)
{
	const struct req_pair *c, *h;
	const char *best;

	if (req->lang != NULL)
		return;
	c = request_pair(req->cookies, "lang");
	if (c != NULL && i18n_is_language(c->value)) {
		req->lang = c->value;
		return;
	}
	h = request_pair(req->headers, "accept-language");
	best = h ? httphdr_accept_language(h->value, i18n_languages) : NULL;
	req->lang = best ? best : "en";
}

int
request_parse(struct ln_request *req, const struct config *cfg,
    char *const *envp, request_reader reader, void *reader_ctx)
{
	const struct req_pair *cookie;
	const char *uri, *qmark, *length, *method;
	char *path = NULL, *end;
	unsigned long long clen;
	size_t i, base_len;
	int rc;

	req->status = 200;
	req->lang = NULL;
	req->query = "";
	req->request_id = request_id_make(req, request_env(envp, "REQUEST_ID"));
	log_set_request(req->request_id);

	method = request_env(envp, "REQUEST_METHOD");
	req->method = method ? method : "GET";
	for (i = 0; i < sizeof(request_methods) / sizeof(request_methods[0]); i++)
		if (strcmp(req->method, request_methods[i].name) == 0)
			req->method_bit = request_methods[i].bit;
	req->is_head = strcmp(req->method, "HEAD") == 0;

	if (request_headers(req, envp) < 0)
		goto fail;
	/* Going on without the cookies would serve a signed-in user as a
	 * visitor, and a new pre-login session would replace theirs. */
	cookie = request_pair(req->headers, "cookie");
	if (cookie != NULL &&
	    httphdr_cookies(req->arena, cookie->value, cookie_pair, req) < 0) {
		request_fail(req, 500, "out of memory");
		goto fail;
	}
	req->client_addr = client_address(req, cfg, request_env(envp, "REMOTE_ADDR"));

	uri = request_env(envp, "REQUEST_URI");
	if (uri == NULL || uri[0] != '/')
		uri = "/";
	req->uri = uri;
	qmark = strchr(uri, '?');
	rc = url_normalize_path(req->arena, uri, qmark ? (size_t)(qmark - uri) :
	    strlen(uri), &path);
	if (rc == URL_EABOVEROOT) {
		request_fail(req, 400, "the path climbs above the root");
		goto fail;
	} else if (rc == URL_ENOMEM) {
		request_fail(req, 500, "out of memory");
		goto fail;
	} else if (rc < 0) {
		request_fail(req, 400, "the path is not valid");
		goto fail;
	}
	req->path = path;
	base_len = strlen(cfg->base_path);
	if (base_len > 0) {
		if (strncmp(req->path, cfg->base_path, base_len) != 0 ||
		    (req->path[base_len] != '/' && req->path[base_len] != '\0')) {
			request_fail(req, 404, "not under this site's path");
			goto fail;
		}
		req->path = req->path[base_len] ? req->path + base_len : "/";
	}
	if (request_language_prefix(req) < 0)
		goto fail;

	if (qmark != NULL) {
		req->query = qmark + 1;
		if (strlen(req->query) > cfg->max_param_len * 4) {
			request_fail(req, 414, "the query string is too long");
			goto fail;
		}
		if (form_parse(req, cfg, req->query, strlen(req->query),
		    "the query string") < 0)
			goto fail;
	}

	req->content_type = request_env(envp, "CONTENT_TYPE");
	if (req->content_type != NULL && req->content_type[0] == '\0')
		req->content_type = NULL;
	length = request_env(envp, "CONTENT_LENGTH");
	if (length != NULL && length[0] != '\0') {
		errno = 0;
		clen = strtoull(length, &end, 10);
		if (errno || *end != '\0' || length[0] == '-') {
			request_fail(req, 400, "bad Content-Length");
			goto fail;
		}
		if (clen > cfg->max_body) {
			request_fail(req, 413, "the request body is larger than %zu bytes",
			    cfg->max_body);
			goto fail;
		}
		req->content_length = (size_t)clen;
	}
	if (request_body(req, cfg, reader, reader_ctx) < 0)
		goto fail;
	request_language_choose(req);
	return 0;
fail:
	if (req->path == NULL)
		req->path = "/";
	request_language_choose(req);
	return -1;
}

/* A field value (RFC 9110 5.5): no control characters but HTAB, so no CR
 * or LF that would end the header and start another. */
static int
header_text_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return 0;
	return 1;
}

/*
 * Headers the core writes itself or that steer the web server rather than
 * the browser: a second Status or Content-Length would change or break the
 * response, and X-Accel-* makes nginx redirect internally or stream files.
 * Redirects go through ln_redirect(), which checks the target.
 */
static int
header_reserved(const char *name)
{
	static const char *const reserved[] = { "Status", "Content-Type",
	    "Content-Length", "Transfer-Encoding", "Connection", "Location",
	    NULL };
	size_t i;

	if (strncasecmp(name, "X-Accel-", 8) == 0)
		return 1;
	for (i = 0; reserved[i] != NULL; i++)
		if (strcasecmp(name, reserved[i]) == 0)
			return 1;
	return 0;
}

int
request_add_header(struct ln_request *req, const char *name, const char *value)
{
	size_t i, len = strlen(name);

	if (len == 0 || !header_text_ok(value) || header_reserved(name))
		return -1;
	for (i = 0; i < len; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '-'))
			return -1;
	return pair_append(req->arena, &req->out_headers, name, len, value,
	    strlen(value));
}

/* ------------------------------------------------------- SDK: request input */

/*
 * An SDK allocation that failed fails the request: whatever the handler
 * makes of the NULL (a fallback text, a shorter page), the answer is a
 * 500, never a page that silently lacks something. Returns p.
 */
void *
request_oom(struct ln_request *req, void *p)
{
	if (p == NULL && req->status < 500)
		request_fail(req, 500, "out of memory");
	return p;
}

void *
ln_alloc(ln_request *req, size_t n)
{
	return request_oom(req, arena_alloc(req->arena, n));
}

char *
ln_strdup(ln_request *req, const char *s)
{
	return s ? request_oom(req, arena_strdup(req->arena, s)) : NULL;
}

char *
ln_printf(ln_request *req, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = arena_vprintf(req->arena, fmt, ap);
	va_end(ap);
	return request_oom(req, s);
}

int
ln_cleanup(ln_request *req, void (*fn)(void *), void *data)
{
	return arena_cleanup(req->arena, fn, data) < 0 ? LN_ENOMEM : 0;
}

const char *
ln_method(ln_request *req)
{
	return req->method;
}

const char *
ln_path(ln_request *req)
{
	return req->path;
}

const char *
request_header(const struct ln_request *req, const char *name)
{
	const struct req_pair *h;

	for (h = req->headers; h != NULL; h = h->next)
		if (strcasecmp(h->name, name) == 0)
			return h->value;
	return NULL;
}

/* The page now depends on what the running handler read: the render
 * cache must not keep it (the core's reads before any handler, such as
 * the session cookie, are part of the cache's own decisions). */
static void
request_read_by_handler(struct ln_request *req)
{
	if (req->plugin != NULL)
		req->no_store = 1;
}

const char *
ln_header(ln_request *req, const char *name)
{
	request_read_by_handler(req);
	return request_header(req, name);
}

const char *
ln_cookie(ln_request *req, const char *name)
{
	const struct req_pair *c = request_pair(req->cookies, name);

	request_read_by_handler(req);
	return c ? c->value : NULL;
}

const char *
ln_client_addr(ln_request *req)
{
	request_read_by_handler(req);
	return req->client_addr;
}

void
ln_no_store(ln_request *req)
{
	req->no_store = 1;
}

const char *
ln_request_id(ln_request *req)
{
	return req->request_id;
}

const char *
ln_path_param(ln_request *req, const char *name)
{
	const struct req_pair *p = request_pair(req->path_params, name);

	return p ? p->value : NULL;
}

long long
ln_path_int(ln_request *req, const char *name)
{
	const char *v = ln_path_param(req, name);

	return v ? strtoll(v, NULL, 10) : 0;
}

const char *
ln_param_at(ln_request *req, const char *name, size_t i)
{
	const struct req_pair *p;

	for (p = req->params; p != NULL; p = p->next)
		if (strcmp(p->name, name) == 0 && i-- == 0)
			return p->value;
	return NULL;
}

const char *
ln_param(ln_request *req, const char *name)
{
	return ln_param_at(req, name, 0);
}

size_t
ln_param_count(ln_request *req, const char *name)
{
	const struct req_pair *p;
	size_t n = 0;

	for (p = req->params; p != NULL; p = p->next)
		if (strcmp(p->name, name) == 0)
			n++;
	return n;
}

long long
ln_param_int(ln_request *req, const char *name, long long fallback)
{
	const char *v = ln_param(req, name);
	char *end;
	long long n;

	if (v == NULL || *v == '\0')
		return fallback;
	errno = 0;
	n = strtoll(v, &end, 10);
	return (errno || *end) ? fallback : n;
}

const ln_upload *
ln_upload_get(ln_request *req, const char *field)
{
	const struct req_upload *u;

	for (u = req->uploads; u != NULL; u = u->next)
		if (strcmp(u->upload.field, field) == 0)
			return &u->upload;
	return NULL;
}

int
ln_fail(ln_request *req, int status, const char *fmt, ...)
{
	va_list ap;
	int rc;

	if (status < 400 || status > 599)
		status = 500;
	va_start(ap, fmt);
	rc = request_vfail(req, status, fmt, ap);
	va_end(ap);
	return rc;
}

int
ln_set_header(ln_request *req, const char *name, const char *value)
{
	return request_add_header(req, name, value) < 0 ? LN_EINVAL : 0;
}

const char *
ln_error(ln_request *req)
{
	return req->error;
}

const char *
ln_lang(ln_request *req)
{
	return req->lang;
}
