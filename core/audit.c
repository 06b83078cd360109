/*
 * audit.c - the audit trail: who did what to whom, when, from where.
 *
 * Entries are rows of core.audit, written in the request's transaction if
 * one is open. Client addresses are personal data: each write also clears
 * the addresses of entries older than audit_addr_days, and so does reading
 * the audit page, so no address is kept or shown longer than configured
 * (a quiet site keeps them in the table until its next write or reading).
 */
#include "accounts.h"

#include "site.h"

static const ln_sql sql_audit_add = { "audit_add",
	"INSERT INTO core.audit (actor_id, action, subject_id, detail, client_addr)"
	" VALUES (nullif($1, '0')::bigint, $2, nullif($3, '0')::bigint, $4, $5)", 5 };

static const ln_sql sql_audit_forget = { "audit_forget",
	"UPDATE core.audit SET client_addr = NULL WHERE client_addr IS NOT NULL"
	" AND at < now() - make_interval(days => $1::int)", 1 };

int
audit_log(struct ln_request *req, const char *action, long long subject_id,
    const char *detail)
{
	const ln_user *actor = ln_user_get(req);
	const char *values[5];

	values[0] = arena_printf(req->arena, "%lld", actor ? actor->id : 0);
	values[1] = action;
	values[2] = arena_printf(req->arena, "%lld", subject_id);
	values[3] = detail ? detail : "";
	values[4] = ln_client_addr(req);
	if (values[0] == NULL || values[2] == NULL)
		return LN_ENOMEM;
	if (account_db(req, &sql_audit_add, values) == NULL)
		return ln_db_status(req);
	return audit_forget(req);
}

int
audit_forget(struct ln_request *req)
{
	const char *values[1];

	values[0] = arena_printf(req->arena, "%d", req->site->config->audit_addr_days);
	if (values[0] == NULL)
		return LN_ENOMEM;
	return account_db(req, &sql_audit_forget, values) ? 0 : ln_db_status(req);
}
