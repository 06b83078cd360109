/*
 * accounts.h - the core's accounts service (DESIGN section 6): users and
 * passwords (accounts.c), sessions, CSRF and access checks (session.c),
 * the sign-in rate limit (ratelimit.c), the audit trail (audit.c), and the
 * pages that use them (accountpages.c). Plugins see only the SDK calls
 * (ln_user_get, ln_csrf_token, ln_may_edit, ln_editor_grant/revoke).
 *
 * Everything handed out lives on the request's arena.
 */
#ifndef LABNET_ACCOUNTS_H
#define LABNET_ACCOUNTS_H

#include <stddef.h>

#include <libpq-fe.h>

#include "config.h"
#include "request.h"

#define ACCOUNT_PASSWORD_MIN	12
#define ACCOUNT_PASSWORD_MAX	128
#define SESSION_COOKIE		"labnet_session"

/* The session of a request, once session_load() has looked. */
struct account_session {
	const char *token_hash;		/* hex BLAKE2b of the token */
	const char *csrf;		/* the CSRF token of this session */
	ln_user user;			/* id 0: a pre-login session */
};

/* ------------------------------------------------------ accounts.c */

/*
 * Whether password may be used: 12..128 bytes of UTF-8, and not weak by
 * libpwquality's dictionary and similarity checks (email and name are
 * compared with it). 0, or -1 with a message key for the visitor in *why
 * ("account.password.short", ...).
 */
int account_password_policy(const char *password, const char *email,
    const char *name, const char **why);

/* crypto_pwhash_str with the configured limits into out (crypto_pwhash_
 * STRBYTES); 0, or -1 when out of memory. */
int account_password_hash(const struct config *cfg, const char *password,
    char *out);

/* 1 when password matches hash, 0 when not; *rehash says whether the hash
 * was made with other limits than the configured ones. */
int account_password_verify(const struct config *cfg, const char *hash,
    const char *password, int *rehash);

/* A random 128-bit token as 32 hex digits into out[33], and its hash as 64
 * hex digits into hash[65]. */
void account_token_new(char *out, char *hash);
/* The hash of a token as account_token_new() makes it. */
void account_token_hash(const char *token, char *hash);

/* Whether an email address is plausible: one @, no spaces or controls,
 * 3..254 bytes. */
int account_email_ok(const char *email);

/* A statement of the core's, on the request's connection, whatever
 * plugin's code is running (statements are prepared per owner). */
PGresult *account_db(struct ln_request *req, const ln_sql *sql,
    const char *const *values);

/* ------------------------------------------------------- session.c */

/* Look up the session cookie; sets req->session (or leaves it NULL).
 * Returns 0, or a negative LN_E* code when the database failed. */
int session_load(struct ln_request *req);

/* A new session for user_id (0: pre-login), replacing the request's
 * current one (deleted on the server: no fixation). Sets the cookie. */
int session_start(struct ln_request *req, long long user_id);

/* End the request's session on the server and expire the cookie. */
int session_end(struct ln_request *req);

/* End every session of user_id (disabled, deleted, password changed). */
int session_end_user(struct ln_request *req, long long user_id);

/* The route's access level against the session: 0 to go on, else the
 * request has been answered (401, 303 to sign-in, 403). */
int session_access(struct ln_request *req, enum ln_access access);

/* The CSRF check of a state-changing request: 0 when the form field csrf
 * or the header X-CSRF-Token carries this session's token, else 403. */
int session_csrf_check(struct ln_request *req);

/* ----------------------------------------------------- ratelimit.c */

/* Whether a sign-in for account (lower-cased email) from the request's
 * client address may be tried now: 0 yes, else the seconds to wait.
 * Negative on a database failure. */
int ratelimit_check(struct ln_request *req, const char *account);
/* Count a failed sign-in. */
int ratelimit_fail(struct ln_request *req, const char *account);
/* Forget the account's failures after a successful sign-in. */
int ratelimit_clear(struct ln_request *req, const char *account);

/* --------------------------------------------------------- audit.c */

/* Add an audit entry: the signed-in user as actor, the client address. */
int audit_log(struct ln_request *req, const char *action, long long subject_id,
    const char *detail);
/* Clear the client addresses older than audit_addr_days. */
int audit_forget(struct ln_request *req);

/* ---------------------------------------------------- accountpages.c */

/* The routes of the accounts pages, owned by the core (site.c adds them). */
extern const ln_route account_routes[];

/* Send a one-time link by the configured sendmail command; 0 when sent,
 * 1 when no command is configured, -1 when it failed. */
int account_mail(const struct config *cfg, const char *to, const char *subject,
    const char *body);

#endif
