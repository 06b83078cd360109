/*
 * session.c - sessions, the CSRF check and route access (DESIGN section 6).
 *
 * A session is a 128-bit random token in an HttpOnly, SameSite=Lax cookie
 * (Secure unless the site is plain HTTP); the database keeps only its hash,
 * the user (NULL before sign-in), the session's CSRF token, and idle and
 * absolute expiry. A pre-login session exists only to carry a CSRF token
 * for the sign-in form, and is replaced at sign-in (no fixation). The
 * struct account_session lives on the request's arena.
 */
#include "accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "log.h"
#include "site.h"
#include "url.h"

/* The session, if alive; last_seen_at is written at most once a minute,
 * so that a signed-in visitor does not cost a row update per request. */
static const ln_sql sql_session_load = { "session_load",
	"WITH s AS (SELECT token_hash, user_id, csrf_token FROM core.sessions"
	" WHERE token_hash = $1 AND expires_at > now()"
	" AND last_seen_at > now() - make_interval(secs => $2::int)),"
	" touch AS (UPDATE core.sessions SET last_seen_at = now()"
	" WHERE token_hash IN (SELECT token_hash FROM s)"
	" AND last_seen_at < now() - interval '60 seconds')"
	" SELECT s.csrf_token, coalesce(u.id, 0), u.email, u.display_name, u.role,"
	" s.user_id IS NOT NULL AND (u.id IS NULL OR u.disabled"
	" OR u.deleted_at IS NOT NULL)"
	" FROM s LEFT JOIN core.users u ON u.id = s.user_id", 2 };

static const ln_sql sql_session_insert = { "session_insert",
	"INSERT INTO core.sessions (token_hash, user_id, csrf_token, expires_at)"
	" VALUES ($1, nullif($2, '0')::bigint, $3,"
	" now() + make_interval(secs => $4::int))", 4 };

static const ln_sql sql_session_delete = { "session_delete",
	"DELETE FROM core.sessions WHERE token_hash = $1", 1 };

static const ln_sql sql_session_delete_user = { "session_delete_user",
	"DELETE FROM core.sessions WHERE user_id = $1", 1 };

/* Sessions past their end, swept when a new one starts. */
static const ln_sql sql_session_sweep = { "session_sweep",
	"DELETE FROM core.sessions WHERE expires_at < now()"
	" OR last_seen_at < now() - make_interval(secs => $1::int)", 1 };

static const char *
itoa_req(struct ln_request *req, long long n)
{
	return arena_printf(req->arena, "%lld", n);
}

/* Set-Cookie for the session: value "" expires it. */
static int
session_cookie(struct ln_request *req, const char *value)
{
	const struct config *cfg = req->site->config;
	const char *cookie;

	cookie = arena_printf(req->arena, "%s=%s; Path=%s; HttpOnly; SameSite=Lax%s%s",
	    SESSION_COOKIE, value, cfg->base_path[0] ? cfg->base_path : "/",
	    value[0] == '\0' ? "; Max-Age=0" : "",
	    cfg->plain_http ? "" : "; Secure");
	if (cookie == NULL)
		return LN_ENOMEM;
	return request_add_header(req, "Set-Cookie", cookie) < 0 ? LN_ENOMEM : 0;
}

int
session_load(struct ln_request *req)
{
	const struct req_pair *cookie = request_pair(req->cookies, SESSION_COOKIE);
	const char *token = cookie ? cookie->value : NULL, *values[2];
	struct account_session *s;
	char hash[65];
	PGresult *res;

	if (req->session != NULL || token == NULL)
		return 0;
	/* A token is 32 hex digits; anything else cannot be one of ours. */
	if (strlen(token) != 32 || strspn(token, "0123456789abcdef") != 32)
		return 0;
	account_token_hash(token, hash);
	values[0] = hash;
	values[1] = itoa_req(req, req->site->config->session_idle);
	if (values[1] == NULL)
		return LN_ENOMEM;
	if ((res = account_db(req, &sql_session_load, values)) == NULL)
		return ln_db_status(req);
	if (PQntuples(res) != 1)
		return 0;
	if (strcmp(PQgetvalue(res, 0, 5), "t") == 0) {
		/* A disabled or deleted user: the session ends now. */
		values[0] = hash;
		if (account_db(req, &sql_session_delete, values) == NULL)
			return ln_db_status(req);
		return 0;
	}
	if ((s = arena_calloc(req->arena, 1, sizeof(*s))) == NULL ||
	    (s->token_hash = arena_strdup(req->arena, hash)) == NULL ||
	    (s->csrf = arena_strdup(req->arena, PQgetvalue(res, 0, 0))) == NULL)
		return LN_ENOMEM;
	s->user.id = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	if (s->user.id != 0) {
		s->user.email = arena_strdup(req->arena, PQgetvalue(res, 0, 2));
		s->user.name = arena_strdup(req->arena, PQgetvalue(res, 0, 3));
		s->user.role = arena_strdup(req->arena, PQgetvalue(res, 0, 4));
		if (s->user.email == NULL || s->user.name == NULL ||
		    s->user.role == NULL)
			return LN_ENOMEM;
		/* Whatever the page, it now shows who is signed in. */
		req->depends_on_session = 1;
	}
	req->session = s;
	return 0;
}

int
session_start(struct ln_request *req, long long user_id)
{
	const struct config *cfg = req->site->config;
	struct account_session *s;
	char token[33], hash[65], csrf_raw[33], csrf_hash[65];
	const char *values[4];
	int rc;

	values[0] = itoa_req(req, cfg->session_idle);
	if (values[0] == NULL)
		return LN_ENOMEM;
	if (account_db(req, &sql_session_sweep, values) == NULL)
		return ln_db_status(req);
	if (req->session != NULL) {
		values[0] = req->session->token_hash;
		if (account_db(req, &sql_session_delete, values) == NULL)
			return ln_db_status(req);
	}
	req->session = NULL;
	account_token_new(token, hash);
	account_token_new(csrf_raw, csrf_hash);
	values[0] = hash;
	values[1] = itoa_req(req, user_id);
	values[2] = csrf_raw;
	values[3] = itoa_req(req, user_id ? cfg->session_lifetime :
	    cfg->session_idle);
	if (values[1] == NULL || values[3] == NULL)
		return LN_ENOMEM;
	if (account_db(req, &sql_session_insert, values) == NULL)
		return ln_db_status(req);
	if ((s = arena_calloc(req->arena, 1, sizeof(*s))) == NULL ||
	    (s->token_hash = arena_strdup(req->arena, hash)) == NULL ||
	    (s->csrf = arena_strdup(req->arena, csrf_raw)) == NULL)
		return LN_ENOMEM;
	s->user.id = user_id;
	req->session = s;
	req->depends_on_session = 1;
	rc = session_cookie(req, token);
	sodium_memzero(token, sizeof(token));
	return rc;
}

int
session_end(struct ln_request *req)
{
	const char *values[1];

	req->depends_on_session = 1;
	if (req->session != NULL) {
		values[0] = req->session->token_hash;
		if (account_db(req, &sql_session_delete, values) == NULL)
			return ln_db_status(req);
		req->session = NULL;
	}
	return session_cookie(req, "");
}

int
session_end_user(struct ln_request *req, long long user_id)
{
	const char *values[1] = { itoa_req(req, user_id) };

	if (values[0] == NULL)
		return LN_ENOMEM;
	if (account_db(req, &sql_session_delete_user, values) == NULL)
		return ln_db_status(req);
	if (req->session != NULL && req->session->user.id == user_id)
		req->session = NULL;
	return 0;
}

/* s percent-encoded for a query value: unreserved characters and '/'
 * stay, everything else becomes %XX. On the arena; NULL on OOM. */
static char *
session_encode(arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	char *out, *o;

	if ((out = arena_alloc(a, strlen(s) * 3 + 1)) == NULL)
		return NULL;
	for (p = (const unsigned char *)s, o = out; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p) != NULL)
			*o++ = (char)*p;
		else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	*o = '\0';
	return out;
}

/* 303 to the sign-in page, with the page asked for as next=. */
static int
session_to_sign_in(struct ln_request *req)
{
	const char *here, *next, *target;

	here = req->query[0] ? arena_printf(req->arena, "%s?%s", req->path,
	    req->query) : req->path;
	next = here ? session_encode(req->arena, here) : NULL;
	if (next == NULL)
		return request_fail(req, 500, "out of memory");
	target = req->lang_in_path ?
	    arena_printf(req->arena, "/%s/sign-in?next=%s", req->lang, next) :
	    arena_printf(req->arena, "/sign-in?next=%s", next);
	if (target == NULL)
		return request_fail(req, 500, "out of memory");
	ln_redirect(req, 303, target);
	return -1;
}

int
session_access(struct ln_request *req, enum ln_access access)
{
	const ln_user *user;
	const char *challenge;

	if (access == LN_PUBLIC)
		return 0;
	req->depends_on_session = 1;
	user = ln_user_get(req);
	if (user == NULL) {
		if (req->format == FORMAT_HTML && (req->method_bit & LN_GET))
			return session_to_sign_in(req);
		/* RFC 7235 wants a challenge with every 401; the scheme is the
		 * one of draft-broyer-http-cookie-auth: sign in with the form,
		 * then send the cookie. */
		challenge = arena_printf(req->arena, "Cookie realm=\"Labnet\", "
		    "form-action=\"%s/sign-in\", cookie-name=\"%s\"",
		    req->site->config->base_path, SESSION_COOKIE);
		if (challenge != NULL)
			request_add_header(req, "WWW-Authenticate", challenge);
		request_fail(req, 401, "please sign in to see this page");
		return -1;
	}
	if (access == LN_ADMIN && strcmp(user->role, "admin") != 0) {
		request_fail(req, 403, "this page is for administrators");
		return -1;
	}
	if (access == LN_EDITOR && strcmp(user->role, "admin") != 0 &&
	    strcmp(user->role, "editor") != 0) {
		request_fail(req, 403, "this page is for editors");
		return -1;
	}
	return 0;
}

int
session_csrf_check(struct ln_request *req)
{
	const struct req_pair *field;
	const char *sent = NULL;
	size_t len;

	for (field = req->params; field != NULL; field = field->next)
		if (strcmp(field->name, "csrf") == 0) {
			sent = field->value;
			break;
		}
	if (sent == NULL)
		sent = request_header(req, "x-csrf-token");
	if (sent != NULL && req->session != NULL) {
		len = strlen(req->session->csrf);
		if (strlen(sent) == len && sodium_memcmp(sent, req->session->csrf,
		    len) == 0)
			return 0;
	}
	req->depends_on_session = 1;
	request_fail(req, 403, "the form has expired or did not come from this "
	    "site; please reload the page and try again");
	return -1;
}

/* ------------------------------------------------------------- SDK */

const ln_user *
ln_user_get(ln_request *req)
{
	if (req->session == NULL || req->session->user.id == 0)
		return NULL;
	return &req->session->user;
}

const char *
ln_csrf_token(ln_request *req)
{
	if (req->session == NULL && session_start(req, 0) < 0)
		return NULL;
	req->depends_on_session = 1;
	return req->session->csrf;
}
