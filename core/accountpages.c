/*
 * accountpages.c - the pages of the accounts service, owned by the core:
 * sign-in and sign-out, the user's own account (password, data download,
 * deletion), the invitation and reset links, and the admin pages (users,
 * invitations, audit). Declared as a route table like a plugin's; site.c
 * adds it to the core's routes. The core has checked access and the CSRF
 * token before any handler here runs. Views: core/views/account.xsl.
 */
#include "accounts.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "json.h"
#include "log.h"
#include "site.h"
#include "strbuf.h"

/* ------------------------------------------------------------ statements */

static const ln_sql sql_user_by_email = { "acct_user_by_email",
	"SELECT id, password_hash, disabled, display_name, email FROM core.users"
	" WHERE lower(email) = lower($1) AND deleted_at IS NULL", 1 };

static const ln_sql sql_user_by_id = { "acct_user_by_id",
	"SELECT id, password_hash, disabled, display_name, email, role,"
	" created_at, last_login_at FROM core.users"
	" WHERE id = $1 AND deleted_at IS NULL", 1 };

static const ln_sql sql_user_login = { "acct_user_login",
	"UPDATE core.users SET last_login_at = now(),"
	" password_hash = coalesce($2, password_hash) WHERE id = $1", 2 };

static const ln_sql sql_user_password = { "acct_user_password",
	"UPDATE core.users SET password_hash = $2 WHERE id = $1", 2 };

static const ln_sql sql_user_delete = { "acct_user_delete",
	"UPDATE core.users SET email = NULL, display_name = 'former member',"
	" password_hash = NULL, disabled = true, deleted_at = now()"
	" WHERE id = $1", 1 };

/* Before the row loses its email: what else names the user goes too (the
 * audit keeps the entries, without the typed email of failed sign-ins). */
static const ln_sql sql_user_forget = { "acct_user_forget",
	"WITH t AS (DELETE FROM core.tokens WHERE user_id = $1),"
	" e AS (DELETE FROM core.editors WHERE user_id = $1),"
	" a AS (UPDATE core.audit SET detail = '' WHERE subject_id = $1"
	" AND lower(detail) = (SELECT lower(email) FROM core.users WHERE id = $1)),"
	" f AS (DELETE FROM core.login_attempts WHERE account ="
	" (SELECT lower(email) FROM core.users WHERE id = $1))"
	" DELETE FROM core.sessions WHERE user_id = $1", 1 };

static const ln_sql sql_other_admins = { "acct_other_admins",
	"SELECT count(*) FROM core.users WHERE role = 'admin' AND id <> $1"
	" AND NOT disabled AND deleted_at IS NULL", 1 };

static const ln_sql sql_users_list = { "acct_users_list",
	"SELECT id, email, display_name, role, disabled,"
	" to_char(created_at, 'YYYY-MM-DD'),"
	" coalesce(to_char(last_login_at, 'YYYY-MM-DD HH24:MI'), ''),"
	" password_hash IS NOT NULL"
	" FROM core.users WHERE deleted_at IS NULL ORDER BY lower(email)", 0 };

static const ln_sql sql_user_disable = { "acct_user_disable",
	"UPDATE core.users SET disabled = $2::boolean WHERE id = $1"
	" AND deleted_at IS NULL", 2 };

static const ln_sql sql_user_role = { "acct_user_role",
	"UPDATE core.users SET role = $2 WHERE id = $1 AND deleted_at IS NULL", 2 };

static const ln_sql sql_user_invite = { "acct_user_invite",
	"INSERT INTO core.users (email, display_name, role) VALUES ($1, $2, $3)"
	" ON CONFLICT DO NOTHING RETURNING id", 3 };

static const ln_sql sql_token_add = { "acct_token_add",
	"INSERT INTO core.tokens (token_hash, user_id, purpose, expires_at)"
	" VALUES ($1, $2, $3, now() + make_interval(secs => $4::int))"
	" RETURNING to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')", 4 };

/* The user of a usable link, without using it. */
static const ln_sql sql_token_peek = { "acct_token_peek",
	"SELECT u.id, u.email, u.display_name FROM core.tokens t"
	" JOIN core.users u ON u.id = t.user_id"
	" WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL"
	" AND t.expires_at > now() AND u.deleted_at IS NULL", 2 };

/* Use a link: once, atomically. */
static const ln_sql sql_token_use = { "acct_token_use",
	"UPDATE core.tokens SET used_at = now() WHERE token_hash = $1"
	" AND purpose = $2 AND used_at IS NULL AND expires_at > now()"
	" RETURNING user_id", 2 };

static const ln_sql sql_audit_list = { "acct_audit_list",
	"SELECT to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),"
	" a.action, coalesce(actor.display_name, ''), coalesce(actor.email, ''),"
	" coalesce(subj.display_name, ''), coalesce(subj.email, ''), a.detail,"
	" coalesce(a.client_addr, '')"
	" FROM core.audit a LEFT JOIN core.users actor ON actor.id = a.actor_id"
	" LEFT JOIN core.users subj ON subj.id = a.subject_id"
	" ORDER BY a.id DESC LIMIT 200", 0 };

static const ln_sql sql_export_rights = { "acct_export_rights",
	"SELECT plugin, object_key, to_char(granted_at AT TIME ZONE 'UTC',"
	" 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM core.editors WHERE user_id = $1"
	" ORDER BY plugin, object_key", 1 };

static const ln_sql sql_export_sessions = { "acct_export_sessions",
	"SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	" to_char(last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	" to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
	" FROM core.sessions WHERE user_id = $1 ORDER BY created_at", 1 };

static const ln_sql sql_export_audit = { "acct_export_audit",
	"SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	" action, detail, coalesce(client_addr, ''),"
	" CASE WHEN actor_id = $1 THEN 'actor' ELSE 'subject' END"
	" FROM core.audit WHERE actor_id = $1 OR subject_id = $1 ORDER BY id", 1 };

static const ln_sql sql_export_user = { "acct_export_user",
	"SELECT id, email, display_name, role, disabled,"
	" to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	" coalesce(to_char(last_login_at AT TIME ZONE 'UTC',"
	" 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '')"
	" FROM core.users WHERE id = $1", 1 };

/* --------------------------------------------------------------- helpers */

static const char *
num(ln_request *req, long long n)
{
	return ln_printf(req, "%lld", n);
}

/* A local path in the request's language when the URL carried one. */
static const char *
local(ln_request *req, const char *path)
{
	return req->lang_in_path ? ln_printf(req, "/%s%s", req->lang, path) : path;
}

/* Where to go after signing in: a local path, never another host. */
static const char *
safe_next(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\' ||
	    strpbrk(next, "\r\n") != NULL)
		return "/account";
	return next;
}

static xmlNodePtr
page(ln_request *req, const char *root_name)
{
	xmlDocPtr doc = ln_doc(req, root_name);

	return doc ? xmlDocGetRootElement(doc) : NULL;
}

/* ------------------------------------------------------------------ mail */

int
account_mail(const struct config *cfg, const char *to, const char *subject,
    const char *body)
{
	int fds[2] = { -1, -1 }, status = 0, rc = -1;
	struct sigaction ignore, old;
	FILE *in = NULL;
	pid_t pid;

	if (cfg->sendmail == NULL || cfg->sendmail[0] == NULL)
		return 1;
	if (pipe(fds) < 0) {
		log_warn("sendmail: pipe");
		return -1;
	}
	/* A mail command that exits early must not kill the worker. */
	memset(&ignore, 0, sizeof(ignore));
	ignore.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ignore, &old);
	pid = fork();
	if (pid < 0) {
		log_warn("sendmail: fork");
		goto done;
	}
	if (pid == 0) {
		dup2(fds[0], STDIN_FILENO);
		close(fds[0]);
		close(fds[1]);
		execv(cfg->sendmail[0], (char *const *)cfg->sendmail);
		_exit(127);
	}
	close(fds[0]);
	fds[0] = -1;
	if ((in = fdopen(fds[1], "w")) == NULL) {
		close(fds[1]);
		fds[1] = -1;
		goto reap;
	}
	fds[1] = -1;
	if (cfg->mail_from[0])
		fprintf(in, "From: %s\n", cfg->mail_from);
	fprintf(in, "To: %s\nSubject: %s\nMIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\n%s\n", to, subject, body);
	rc = fclose(in) == 0 ? 0 : -1;
reap:
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	/* A command that fails at once may close the pipe before the message
	 * is written: its exit status is still what the operator needs. */
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		log_errx("sendmail: %s exited with %d", cfg->sendmail[0],
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		rc = -1;
	} else if (rc < 0)
		log_errx("sendmail: the message could not be written to %s",
		    cfg->sendmail[0]);
done:
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	sigaction(SIGPIPE, &old, NULL);
	return rc;
}

/* A one-time link for user_id: stored hashed, mailed when a mail command
 * is configured, and always shown to the admin on a <link-issued> page. */
static int
issue_link(ln_request *req, long long user_id, const char *email,
    const char *purpose)
{
	const struct config *cfg = req->site->config;
	char token[33], hash[65];
	const char *values[4], *url, *body, *mailed;
	xmlNodePtr root;
	PGresult *res;
	int sent;

	account_token_new(token, hash);
	values[0] = hash;
	values[1] = num(req, user_id);
	values[2] = purpose;
	values[3] = num(req, strcmp(purpose, "invite") == 0 ?
	    cfg->invite_lifetime : cfg->reset_lifetime);
	if ((res = account_db(req, &sql_token_add, values)) == NULL)
		return ln_db_status(req);
	url = ln_printf(req, "%s/%s/%s", cfg->base_url, purpose, token);
	body = url ? ln_printf(req, "%s\n\n%s\n\n%s\n",
	    ln_msg(req, strcmp(purpose, "invite") == 0 ? "mail.invite.text" :
	    "mail.reset.text"), url, ln_msg(req, "mail.expires")) : NULL;
	sodium_memzero(token, sizeof(token));
	if (body == NULL)
		return LN_ENOMEM;
	sent = account_mail(cfg, email, ln_msg(req, strcmp(purpose, "invite") == 0 ?
	    "mail.invite.subject" : "mail.reset.subject"), body);
	mailed = sent == 0 ? "sent" : sent > 0 ? "none" : "failed";
	if (audit_log(req, strcmp(purpose, "invite") == 0 ? "invite" :
	    "reset.issue", user_id, email) < 0)
		return ln_db_status(req);
	if ((root = page(req, "link-issued")) == NULL)
		return LN_ENOMEM;
	ln_xml_attr(root, "purpose", purpose);
	ln_xml_text(root, "email", email);
	ln_xml_text(root, "url", url);
	ln_xml_text(root, "expires", PQgetvalue(res, 0, 0));
	ln_xml_text(root, "mail", mailed);
	return 0;
}

/* --------------------------------------------------------------- sign-in */

static int
sign_in_form(ln_request *req, const char *error, const char *email)
{
	xmlNodePtr root = page(req, "sign-in");

	if (root == NULL)
		return LN_ENOMEM;
	ln_xml_text(root, "next", safe_next(ln_param(req, "next")));
	ln_xml_text(root, "email", email);
	ln_xml_text(root, "error", error);
	return 0;
}

static int
sign_in_get(ln_request *req)
{
	if (ln_user_get(req) != NULL)
		return ln_redirect(req, 303, local(req, safe_next(ln_param(req,
		    "next"))));
	return sign_in_form(req, NULL, NULL);
}

static int
sign_in_post(ln_request *req)
{
	const struct config *cfg = req->site->config;
	const char *email = ln_param(req, "email"), *password = ln_param(req,
	    "password"), *values[2], *account, *new_hash = NULL;
	char hash[crypto_pwhash_STRBYTES];
	long long user_id;
	PGresult *res;
	int wait, ok = 0, rehash = 0;

	account = ln_printf(req, "%s", email);
	if (account == NULL)
		return LN_ENOMEM;
	for (char *p = (char *)account; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if ((wait = ratelimit_check(req, account)) < 0)
		return wait;
	if (wait > 0) {
		ln_set_header(req, "Retry-After", num(req, wait));
		return ln_fail(req, 429, "too many failed sign-ins; try again in "
		    "%d seconds", wait);
	}
	values[0] = email;
	if ((res = account_db(req, &sql_user_by_email, values)) == NULL)
		return ln_db_status(req);
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 1) &&
	    strcmp(PQgetvalue(res, 0, 2), "f") == 0)
		ok = account_password_verify(cfg, PQgetvalue(res, 0, 1), password,
		    &rehash);
	else if (account_password_hash(cfg, password, hash) == 0)
		sodium_memzero(hash, sizeof(hash));	/* same time, no user */
	if (!ok) {
		if (ratelimit_fail(req, account) < 0 ||
		    audit_log(req, "sign-in.failure", PQntuples(res) == 1 ?
		    strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0, email) < 0)
			return ln_db_status(req);
		return sign_in_form(req, "account.sign-in.failed", email);
	}
	user_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	if (rehash && account_password_hash(cfg, password, hash) == 0)
		new_hash = hash;
	values[0] = num(req, user_id);
	values[1] = new_hash;
	if (account_db(req, &sql_user_login, values) == NULL)
		return ln_db_status(req);
	if (ratelimit_clear(req, account) < 0 ||
	    session_start(req, user_id) < 0)
		return ln_db_status(req);
	/* The new session is the actor of its own sign-in. */
	req->session->user.id = user_id;
	req->session->user.role = "";
	if (audit_log(req, "sign-in", user_id, rehash ? "rehashed" : "") < 0)
		return ln_db_status(req);
	return ln_redirect(req, 303, local(req, safe_next(ln_param(req, "next"))));
}

static int
sign_out(ln_request *req)
{
	if (audit_log(req, "sign-out", ln_user_get(req)->id, "") < 0 ||
	    session_end(req) < 0)
		return ln_db_status(req);
	return ln_redirect(req, 303, local(req, "/"));
}

/* --------------------------------------------------------------- account */

static int
account_page(ln_request *req, const char *message, const char *error)
{
	const ln_user *user = ln_user_get(req);
	xmlNodePtr root = page(req, "account");

	if (root == NULL)
		return LN_ENOMEM;
	ln_xml_text(root, "email", user->email);
	ln_xml_text(root, "name", user->name);
	ln_xml_text(root, "role", user->role);
	ln_xml_text(root, "message", message);
	ln_xml_text(root, "error", error);
	return 0;
}

static int
account_get(ln_request *req)
{
	return account_page(req, NULL, NULL);
}

/* Whether the signed-in user's password is `password`; <0 on db failure. */
static int
password_is(ln_request *req, const char *password)
{
	const char *values[1] = { num(req, ln_user_get(req)->id) };
	PGresult *res;
	int rehash;

	if ((res = account_db(req, &sql_user_by_id, values)) == NULL)
		return ln_db_status(req);
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 1))
		return 0;
	return account_password_verify(req->site->config, PQgetvalue(res, 0, 1),
	    password, &rehash);
}

static int
account_password(ln_request *req)
{
	const ln_user *user = ln_user_get(req);
	char hash[crypto_pwhash_STRBYTES];
	const char *why, *values[2];
	long long user_id = user->id;
	int rc;

	if ((rc = password_is(req, ln_param(req, "current"))) < 0)
		return rc;
	if (rc == 0)
		return account_page(req, NULL, "account.password.wrong");
	if (account_password_policy(ln_param(req, "password"), user->email,
	    user->name, &why) < 0)
		return account_page(req, NULL, why);
	if (account_password_hash(req->site->config, ln_param(req, "password"),
	    hash) < 0)
		return LN_ENOMEM;
	values[0] = num(req, user_id);
	values[1] = hash;
	if (account_db(req, &sql_user_password, values) == NULL ||
	    audit_log(req, "password.change", user_id, "") < 0)
		return ln_db_status(req);
	/* Every session of the user ends; this browser gets a new one. */
	if (session_end_user(req, user_id) < 0 || session_start(req, user_id) < 0)
		return ln_db_status(req);
	return ln_redirect(req, 303, local(req, "/account?changed=1"));
}

static int
account_data(ln_request *req)
{
	const char *values[1] = { num(req, ln_user_get(req)->id) };
	PGresult *user, *rights, *sessions, *audit;
	strbuf sb;
	int i;

	if ((user = account_db(req, &sql_export_user, values)) == NULL ||
	    (rights = account_db(req, &sql_export_rights, values)) == NULL ||
	    (sessions = account_db(req, &sql_export_sessions, values)) == NULL ||
	    (audit = account_db(req, &sql_export_audit, values)) == NULL)
		return ln_db_status(req);
	if (PQntuples(user) != 1)
		return ln_fail(req, 404, "no such account");
	strbuf_init(&sb, req->arena, 0);
	strbuf_printf(&sb, "{\n \"user\": {\"id\": %s, \"email\": ",
	    PQgetvalue(user, 0, 0));
	json_string(&sb, PQgetvalue(user, 0, 1));
	strbuf_puts(&sb, ", \"name\": ");
	json_string(&sb, PQgetvalue(user, 0, 2));
	strbuf_puts(&sb, ", \"role\": ");
	json_string(&sb, PQgetvalue(user, 0, 3));
	strbuf_printf(&sb, ", \"disabled\": %s, \"created_at\": ",
	    strcmp(PQgetvalue(user, 0, 4), "t") == 0 ? "true" : "false");
	json_string(&sb, PQgetvalue(user, 0, 5));
	strbuf_puts(&sb, ", \"last_login_at\": ");
	if (PQgetvalue(user, 0, 6)[0])
		json_string(&sb, PQgetvalue(user, 0, 6));
	else
		strbuf_puts(&sb, "null");
	strbuf_puts(&sb, "},\n \"editor_rights\": [");
	for (i = 0; i < PQntuples(rights); i++) {
		strbuf_puts(&sb, i ? ",\n  {\"plugin\": " : "\n  {\"plugin\": ");
		json_string(&sb, PQgetvalue(rights, i, 0));
		strbuf_puts(&sb, ", \"object\": ");
		json_string(&sb, PQgetvalue(rights, i, 1));
		strbuf_puts(&sb, ", \"granted_at\": ");
		json_string(&sb, PQgetvalue(rights, i, 2));
		strbuf_puts(&sb, "}");
	}
	strbuf_puts(&sb, "],\n \"sessions\": [");
	for (i = 0; i < PQntuples(sessions); i++) {
		strbuf_puts(&sb, i ? ",\n  {\"created_at\": " :
		    "\n  {\"created_at\": ");
		json_string(&sb, PQgetvalue(sessions, i, 0));
		strbuf_puts(&sb, ", \"last_seen_at\": ");
		json_string(&sb, PQgetvalue(sessions, i, 1));
		strbuf_puts(&sb, ", \"expires_at\": ");
		json_string(&sb, PQgetvalue(sessions, i, 2));
		strbuf_puts(&sb, "}");
	}
	strbuf_puts(&sb, "],\n \"audit\": [");
	for (i = 0; i < PQntuples(audit); i++) {
		strbuf_puts(&sb, i ? ",\n  {\"at\": " : "\n  {\"at\": ");
		json_string(&sb, PQgetvalue(audit, i, 0));
		strbuf_puts(&sb, ", \"action\": ");
		json_string(&sb, PQgetvalue(audit, i, 1));
		strbuf_puts(&sb, ", \"detail\": ");
		json_string(&sb, PQgetvalue(audit, i, 2));
		strbuf_puts(&sb, ", \"client_addr\": ");
		if (PQgetvalue(audit, i, 3)[0])
			json_string(&sb, PQgetvalue(audit, i, 3));
		else
			strbuf_puts(&sb, "null");
		strbuf_puts(&sb, ", \"as\": ");
		json_string(&sb, PQgetvalue(audit, i, 4));
		strbuf_puts(&sb, "}");
	}
	strbuf_puts(&sb, "]\n}\n");
	if (strbuf_failed(&sb))
		return LN_ENOMEM;
	req->raw_body = strbuf_str(&sb);
	req->raw_len = sb.len;
	req->raw_type = "application/json; charset=utf-8";
	req->depends_on_session = 1;
	ln_set_header(req, "Content-Disposition",
	    "attachment; filename=\"labnet-my-data.json\"");
	return 0;
}

static int
account_delete(ln_request *req)
{
	const char *values[1];
	long long user_id = ln_user_get(req)->id;
	int rc;

	PGresult *res;

	if ((rc = password_is(req, ln_param(req, "current"))) < 0)
		return rc;
	if (rc == 0)
		return account_page(req, NULL, "account.password.wrong");
	values[0] = num(req, user_id);
	/* A site without an admin could only be mended from the shell. */
	if (strcmp(ln_user_get(req)->role, "admin") == 0) {
		if ((res = account_db(req, &sql_other_admins, values)) == NULL)
			return ln_db_status(req);
		if (strcmp(PQgetvalue(res, 0, 0), "0") == 0)
			return ln_fail(req, 409, "you are the last administrator; "
			    "make someone else one first");
	}
	if ((rc = ln_db_begin(req)) < 0)
		return rc;
	if (audit_log(req, "account.delete", user_id, "") < 0 ||
	    account_db(req, &sql_user_forget, values) == NULL ||
	    account_db(req, &sql_user_delete, values) == NULL)
		return ln_db_status(req);
	if ((rc = ln_db_commit(req)) < 0)
		return rc;
	req->session = NULL;
	if (session_end(req) < 0)
		return ln_db_status(req);
	return ln_redirect(req, 303, local(req, "/"));
}

/* ------------------------------------------------------ one-time links */

static int
link_page(ln_request *req, const char *purpose, const char *error)
{
	char hash[65];
	const char *values[2];
	xmlNodePtr root;
	PGresult *res;

	account_token_hash(ln_path_param(req, "token"), hash);
	values[0] = hash;
	values[1] = purpose;
	if ((res = account_db(req, &sql_token_peek, values)) == NULL)
		return ln_db_status(req);
	if (PQntuples(res) != 1)
		return ln_fail(req, 410, "this link has expired or was already used");
	if ((root = page(req, "set-password")) == NULL)
		return LN_ENOMEM;
	ln_xml_attr(root, "purpose", purpose);
	ln_xml_text(root, "email", PQgetvalue(res, 0, 1));
	ln_xml_text(root, "name", PQgetvalue(res, 0, 2));
	ln_xml_text(root, "error", error);
	return 0;
}

static int
link_use(ln_request *req, const char *purpose)
{
	const char *password = ln_param(req, "password"), *why, *values[2];
	char hash[65], pwhash[crypto_pwhash_STRBYTES];
	long long user_id;
	PGresult *res;
	int rc;

	account_token_hash(ln_path_param(req, "token"), hash);
	values[0] = hash;
	values[1] = purpose;
	if ((res = account_db(req, &sql_token_peek, values)) == NULL)
		return ln_db_status(req);
	if (PQntuples(res) != 1)
		return ln_fail(req, 410, "this link has expired or was already used");
	if (account_password_policy(password, PQgetvalue(res, 0, 1),
	    PQgetvalue(res, 0, 2), &why) < 0)
		return link_page(req, purpose, why);
	if (account_password_hash(req->site->config, password, pwhash) < 0)
		return LN_ENOMEM;
	if ((rc = ln_db_begin(req)) < 0)
		return rc;
	if ((res = account_db(req, &sql_token_use, values)) == NULL)
		return ln_db_status(req);
	if (PQntuples(res) != 1) {
		ln_db_rollback(req);
		return ln_fail(req, 410, "this link has expired or was already used");
	}
	user_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	values[0] = num(req, user_id);
	values[1] = pwhash;
	if (account_db(req, &sql_user_password, values) == NULL ||
	    session_end_user(req, user_id) < 0)
		return ln_db_status(req);
	if ((rc = ln_db_commit(req)) < 0)
		return rc;
	if (session_start(req, user_id) < 0)
		return ln_db_status(req);
	req->session->user.id = user_id;
	req->session->user.role = "";
	if (audit_log(req, strcmp(purpose, "invite") == 0 ? "invite.accept" :
	    "reset.use", user_id, "") < 0)
		return ln_db_status(req);
	return ln_redirect(req, 303, local(req, "/account"));
}

static int invite_get(ln_request *req) { return link_page(req, "invite", NULL); }
static int invite_post(ln_request *req) { return link_use(req, "invite"); }
static int reset_get(ln_request *req) { return link_page(req, "reset", NULL); }
static int reset_post(ln_request *req) { return link_use(req, "reset"); }

/* ------------------------------------------------------------------ admin */

static int
admin_users(ln_request *req)
{
	xmlNodePtr root, node;
	PGresult *res;
	int i;

	if ((res = account_db(req, &sql_users_list, NULL)) == NULL)
		return ln_db_status(req);
	if ((root = page(req, "users")) == NULL)
		return LN_ENOMEM;
	ln_xml_attr(root, "me", num(req, ln_user_get(req)->id));
	for (i = 0; i < PQntuples(res); i++) {
		node = ln_xml_elem(root, "user");
		ln_xml_attr(node, "id", PQgetvalue(res, i, 0));
		ln_xml_attr(node, "role", PQgetvalue(res, i, 3));
		ln_xml_attr(node, "disabled", strcmp(PQgetvalue(res, i, 4), "t") == 0 ?
		    "true" : "false");
		ln_xml_attr(node, "password", strcmp(PQgetvalue(res, i, 7), "t") == 0 ?
		    "true" : "false");
		ln_xml_text(node, "email", PQgetvalue(res, i, 1));
		ln_xml_text(node, "name", PQgetvalue(res, i, 2));
		ln_xml_text(node, "created", PQgetvalue(res, i, 5));
		ln_xml_text(node, "last-login", PQgetvalue(res, i, 6));
	}
	return 0;
}

/* The user a /admin/users/{id}/... route is about, or a 404; admins may
 * not disable or demote themselves (a site without admins is locked). */
static int
admin_target(ln_request *req, long long *user_id, const char **email)
{
	const char *values[1];
	PGresult *res;

	/* Defined on every path (clang-analyzer, via tools/check-static). */
	*email = NULL;
	*user_id = ln_path_int(req, "id");
	values[0] = num(req, *user_id);
	if ((res = account_db(req, &sql_user_by_id, values)) == NULL)
		return ln_db_status(req);
	if (PQntuples(res) != 1)
		return ln_fail(req, 404, "there is no such user");
	*email = ln_strdup(req, PQgetvalue(res, 0, 4));
	return 0;
}

static int
admin_disable(ln_request *req)
{
	const char *email, *values[2];
	long long user_id;
	int rc, disabled = ln_param_int(req, "disabled", 1) != 0;

	if ((rc = admin_target(req, &user_id, &email)) < 0)
		return rc;
	if (user_id == ln_user_get(req)->id)
		return ln_fail(req, 409, "you cannot disable your own account");
	values[0] = num(req, user_id);
	values[1] = disabled ? "true" : "false";
	if (account_db(req, &sql_user_disable, values) == NULL ||
	    (disabled && session_end_user(req, user_id) < 0) ||
	    audit_log(req, disabled ? "user.disable" : "user.enable", user_id,
	    email) < 0)
		return ln_db_status(req);
	return ln_redirect(req, 303, local(req, "/admin/users"));
}

static int
admin_role(ln_request *req)
{
	const char *email, *values[2], *role = ln_param(req, "role");
	long long user_id;
	int rc;

	if ((rc = admin_target(req, &user_id, &email)) < 0)
		return rc;
	if (user_id == ln_user_get(req)->id && strcmp(role, "admin") != 0)
		return ln_fail(req, 409, "you cannot take the admin role from yourself");
	values[0] = num(req, user_id);
	values[1] = role;
	if (account_db(req, &sql_user_role, values) == NULL ||
	    audit_log(req, "role.change", user_id, role) < 0)
		return ln_db_status(req);
	return ln_redirect(req, 303, local(req, "/admin/users"));
}

static int
admin_reset(ln_request *req)
{
	const char *email;
	long long user_id;
	int rc;

	if ((rc = admin_target(req, &user_id, &email)) < 0)
		return rc;
	return issue_link(req, user_id, email, "reset");
}

static int
invite_form(ln_request *req, const char *error)
{
	xmlNodePtr root = page(req, "invite");

	if (root == NULL)
		return LN_ENOMEM;
	ln_xml_text(root, "email", ln_param(req, "email"));
	ln_xml_text(root, "name", ln_param(req, "name"));
	ln_xml_text(root, "role", ln_param(req, "role"));
	ln_xml_text(root, "error", error);
	return 0;
}

static int
admin_invite_get(ln_request *req)
{
	return invite_form(req, NULL);
}

static int
admin_invite_post(ln_request *req)
{
	const char *email = ln_param(req, "email"), *values[3];
	PGresult *res;

	if (!account_email_ok(email))
		return invite_form(req, "account.email.invalid");
	values[0] = email;
	values[1] = ln_param(req, "name");
	values[2] = ln_param(req, "role") ? ln_param(req, "role") : "editor";
	if ((res = account_db(req, &sql_user_invite, values)) == NULL)
		return ln_db_status(req);
	if (PQntuples(res) != 1)
		return invite_form(req, "account.email.taken");
	return issue_link(req, strtoll(PQgetvalue(res, 0, 0), NULL, 10), email,
	    "invite");
}

static int
admin_audit(ln_request *req)
{
	xmlNodePtr root, node;
	PGresult *res;
	int i, rc;

	if ((rc = audit_forget(req)) < 0)
		return rc;
	if ((res = account_db(req, &sql_audit_list, NULL)) == NULL)
		return ln_db_status(req);
	if ((root = page(req, "audit")) == NULL)
		return LN_ENOMEM;
	for (i = 0; i < PQntuples(res); i++) {
		node = ln_xml_elem(root, "entry");
		ln_xml_attr(node, "at", PQgetvalue(res, i, 0));
		ln_xml_attr(node, "action", PQgetvalue(res, i, 1));
		ln_xml_text(node, "actor", PQgetvalue(res, i, 2));
		ln_xml_text(node, "actor-email", PQgetvalue(res, i, 3));
		ln_xml_text(node, "subject", PQgetvalue(res, i, 4));
		ln_xml_text(node, "subject-email", PQgetvalue(res, i, 5));
		ln_xml_text(node, "detail", PQgetvalue(res, i, 6));
		ln_xml_text(node, "client", PQgetvalue(res, i, 7));
	}
	return 0;
}

/* ----------------------------------------------------------------- routes */

static const char *const roles[] = { "admin", "editor", NULL };

static const ln_param_spec next_params[] = {
	{ .name = "next", .type = LN_TEXT, .max_len = 2048 },
	{ 0 }
};

static const ln_param_spec sign_in_params[] = {
	{ .name = "email", .type = LN_TEXT, .flags = LN_REQUIRED, .max_len = 254 },
	{ .name = "password", .type = LN_TEXT, .flags = LN_REQUIRED, .max_len = 1024 },
	{ .name = "next", .type = LN_TEXT, .max_len = 2048 },
	{ 0 }
};

static const ln_param_spec password_params[] = {
	{ .name = "current", .type = LN_TEXT, .flags = LN_REQUIRED, .max_len = 1024 },
	{ .name = "password", .type = LN_TEXT, .flags = LN_REQUIRED, .max_len = 1024 },
	{ 0 }
};

static const ln_param_spec current_params[] = {
	{ .name = "current", .type = LN_TEXT, .flags = LN_REQUIRED, .max_len = 1024 },
	{ 0 }
};

static const ln_param_spec new_password_params[] = {
	{ .name = "password", .type = LN_TEXT, .flags = LN_REQUIRED, .max_len = 1024 },
	{ 0 }
};

static const ln_param_spec disable_params[] = {
	{ .name = "disabled", .type = LN_BOOL },
	{ 0 }
};

static const ln_param_spec role_params[] = {
	{ .name = "role", .type = LN_CHOICE, .flags = LN_REQUIRED, .choices = roles },
	{ 0 }
};

static const ln_param_spec invite_get_params[] = {
	{ .name = "email", .type = LN_TEXT, .max_len = 254 },
	{ .name = "name", .type = LN_TEXT, .max_len = 200 },
	{ .name = "role", .type = LN_CHOICE, .choices = roles },
	{ 0 }
};

static const ln_param_spec invite_params[] = {
	{ .name = "email", .type = LN_TEXT, .flags = LN_REQUIRED, .max_len = 254 },
	{ .name = "name", .type = LN_TEXT, .flags = LN_REQUIRED, .max_len = 200 },
	{ .name = "role", .type = LN_CHOICE, .flags = LN_REQUIRED, .choices = roles },
	{ 0 }
};

#define VIEW "account.xsl"

const ln_route account_routes[] = {
	{ .methods = LN_GET, .pattern = "/sign-in", .handler = sign_in_get,
	  .view = VIEW, .params = next_params, .flags = LN_SESSION,
	  .summary = "the sign-in form" },
	{ .methods = LN_POST, .pattern = "/sign-in", .handler = sign_in_post,
	  .view = VIEW, .params = sign_in_params, .flags = LN_KEEP_CACHE,
	  .summary = "sign in (rate-limited per account and address)" },
	{ .methods = LN_POST, .pattern = "/sign-out", .handler = sign_out,
	  .access = LN_SIGNED_IN, .flags = LN_KEEP_CACHE,
	  .summary = "end the session" },
	{ .methods = LN_GET, .pattern = "/account", .handler = account_get,
	  .view = VIEW, .access = LN_SIGNED_IN, .flags = LN_SESSION,
	  .summary = "the signed-in user's account" },
	{ .methods = LN_POST, .pattern = "/account/password",
	  .handler = account_password, .view = VIEW, .access = LN_SIGNED_IN,
	  .params = password_params, .flags = LN_KEEP_CACHE,
	  .summary = "change the password" },
	{ .methods = LN_GET, .pattern = "/account/data", .handler = account_data,
	  .access = LN_SIGNED_IN, .flags = LN_SESSION,
	  .summary = "download what the site holds about me (JSON)" },
	{ .methods = LN_POST, .pattern = "/account/delete",
	  .handler = account_delete, .view = VIEW, .access = LN_SIGNED_IN,
	  .params = current_params, .summary = "delete my account" },
	{ .methods = LN_GET, .pattern = "/invite/{token}", .handler = invite_get,
	  .view = VIEW, .flags = LN_SESSION,
	  .summary = "an invitation: set a password" },
	{ .methods = LN_POST, .pattern = "/invite/{token}", .handler = invite_post,
	  .view = VIEW, .params = new_password_params, .flags = LN_KEEP_CACHE,
	  .summary = "accept an invitation (once, before it expires)" },
	{ .methods = LN_GET, .pattern = "/reset/{token}", .handler = reset_get,
	  .view = VIEW, .flags = LN_SESSION,
	  .summary = "a password reset: set a new password" },
	{ .methods = LN_POST, .pattern = "/reset/{token}", .handler = reset_post,
	  .view = VIEW, .params = new_password_params, .flags = LN_KEEP_CACHE,
	  .summary = "use a reset link (once, before it expires)" },
	{ .methods = LN_GET, .pattern = "/admin/users", .handler = admin_users,
	  .view = VIEW, .access = LN_ADMIN, .flags = LN_SESSION,
	  .summary = "the users" },
	{ .methods = LN_POST, .pattern = "/admin/users/{id:int}/disable",
	  .handler = admin_disable, .access = LN_ADMIN, .params = disable_params,
	  .summary = "disable (disabled=1) or enable (disabled=0) a user" },
	{ .methods = LN_POST, .pattern = "/admin/users/{id:int}/role",
	  .handler = admin_role, .access = LN_ADMIN, .params = role_params,
	  .summary = "change a user's role" },
	{ .methods = LN_POST, .pattern = "/admin/users/{id:int}/reset",
	  .handler = admin_reset, .view = VIEW, .access = LN_ADMIN,
	  .summary = "issue a password-reset link" },
	{ .methods = LN_GET, .pattern = "/admin/invite", .handler = admin_invite_get,
	  .view = VIEW, .access = LN_ADMIN, .params = invite_get_params,
	  .flags = LN_SESSION, .summary = "the invitation form" },
	{ .methods = LN_POST, .pattern = "/admin/invite",
	  .handler = admin_invite_post, .view = VIEW, .access = LN_ADMIN,
	  .params = invite_params, .summary = "invite a partner (one-time link)" },
	{ .methods = LN_GET, .pattern = "/admin/audit", .handler = admin_audit,
	  .view = VIEW, .access = LN_ADMIN, .flags = LN_SESSION,
	  .summary = "the audit trail" },
	{ 0 }
};
