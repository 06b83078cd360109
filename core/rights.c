/*
 * rights.c - per-object editor rights: the SDK's ln_may_edit and
 * ln_editor_grant/revoke over core.editors.
 *
 * A right names the plugin whose code asks (the running plugin, never one
 * given by the caller), an object key of that plugin's choosing, and a
 * user. Admins may edit everything; visitors nothing. Grants and revokes
 * go to the audit trail.
 */
#include "accounts.h"

#include <string.h>

#include "plugin.h"

static const ln_sql sql_may_edit = { "rights_may_edit",
	"SELECT 1 FROM core.editors e JOIN core.users u ON u.id = e.user_id"
	" WHERE e.plugin = $1 AND e.object_key = $2 AND e.user_id = $3"
	" AND NOT u.disabled", 3 };

static const ln_sql sql_grant = { "rights_grant",
	"INSERT INTO core.editors (plugin, object_key, user_id)"
	" SELECT $1, $2, id FROM core.users WHERE id = $3 AND deleted_at IS NULL"
	" ON CONFLICT DO NOTHING RETURNING user_id", 3 };

static const ln_sql sql_revoke = { "rights_revoke",
	"DELETE FROM core.editors WHERE plugin = $1 AND object_key = $2"
	" AND user_id = $3", 3 };

static const char *
rights_owner(ln_request *req)
{
	return req->plugin ? plugin_name(req->plugin) : "core";
}

int
ln_may_edit(ln_request *req, const char *object)
{
	const ln_user *user = ln_user_get(req);
	const char *values[3];
	PGresult *res;

	if (user == NULL || object == NULL)
		return 0;
	if (strcmp(user->role, "admin") == 0)
		return 1;
	values[0] = rights_owner(req);
	values[1] = object;
	values[2] = arena_printf(req->arena, "%lld", user->id);
	if (values[2] == NULL)
		return LN_ENOMEM;
	if ((res = account_db(req, &sql_may_edit, values)) == NULL)
		return ln_db_status(req);
	return PQntuples(res) > 0;
}

static int
rights_change(ln_request *req, const ln_sql *sql, const char *action,
    const char *object, long long user_id)
{
	const char *values[3], *detail;
	PGresult *res;

	if (object == NULL || object[0] == '\0' || user_id <= 0)
		return LN_EINVAL;
	values[0] = rights_owner(req);
	values[1] = object;
	values[2] = arena_printf(req->arena, "%lld", user_id);
	if (values[2] == NULL)
		return LN_ENOMEM;
	if ((res = account_db(req, sql, values)) == NULL)
		return ln_db_status(req);
	if (sql == &sql_grant && PQntuples(res) == 0 &&
	    strcmp(PQcmdTuples(res), "0") == 0) {
		/* Either already granted or no such user; say which. */
		return 0;
	}
	detail = arena_printf(req->arena, "%s %s", values[0], object);
	if (detail == NULL)
		return LN_ENOMEM;
	return audit_log(req, action, user_id, detail);
}

int
ln_editor_grant(ln_request *req, const char *object, long long user_id)
{
	return rights_change(req, &sql_grant, "right.grant", object, user_id);
}

int
ln_editor_revoke(ln_request *req, const char *object, long long user_id)
{
	return rights_change(req, &sql_revoke, "right.revoke", object, user_id);
}
