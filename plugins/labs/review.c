/*
 * review.c - a lab's life after the form: its history
 * (/labs/{slug}/history), its status changes (POST /labs/{slug}/status:
 * approve, reject, archive, restore, submit) and the admins' queue of pending labs
 * (/labs-pending). Each status change is a revision, written with the
 * change in one transaction. Approving, rejecting and restoring are for
 * admins; archiving and submitting
 * a rejected lab again for the lab's editors too. Nothing is kept past the
 * request.
 */
#include <string.h>

#include "labs.h"

static const ln_sql history = {
	.name = "review_history",
	.text = "SELECT r.id, to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), "
	    "r.action, COALESCE(u.display_name, ''), c.key, c.value->>'old', c.value->>'new' "
	    "FROM labs.revisions r LEFT JOIN core.users u ON u.id = r.user_id "
	    "LEFT JOIN LATERAL jsonb_each(r.changes) c ON true "
	    "WHERE r.lab_id = $1 ORDER BY r.at DESC, r.id DESC, c.key",
	.nparams = 1,
};

static const ln_sql snapshot = {
	.name = "review_snapshot",
	.text = "SELECT (to_jsonb(l) - '{search,terms_text,sort_name,created_at,updated_at}'::text[])::text "
	    "FROM labs.labs l WHERE id = $1 FOR UPDATE",
	.nparams = 1,
};

static const ln_sql set_status = {
	.name = "review_set_status",
	.text = "UPDATE labs.labs SET status = $2 WHERE id = $1 "
	    "AND status = ANY (string_to_array($3, ' ')) RETURNING id",
	.nparams = 3,
};

static const ln_sql pending = {
	.name = "review_pending",
	.text = "SELECT slug, name, institution, country, "
	    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') "
	    "FROM labs.labs WHERE status = 'pending' ORDER BY created_at, id",
	.nparams = 0,
};

/* What each action does: from which statuses, to which, who may. */
static const struct transition {
	const char *action;
	const char *from;	/* statuses, space-separated */
	const char *to;
	int admin_only;
} transitions[] = {
	{ "approve", "pending", "published", 1 },
	{ "reject", "pending", "draft", 1 },
	{ "archive", "draft pending published", "archived", 0 },
	{ "restore", "archived", "published", 1 },
	{ "submit", "draft", "pending", 0 },	/* again, after a rejection */
};

int
labs_history(ln_request *req)
{
	PGresult *lab, *res;
	xmlNodePtr root, revision = NULL, change;
	const char *values[1], *last = "";
	xmlDocPtr doc;
	int rc, row;

	if ((rc = labs_editable(req, "history", &lab)) < 0 || lab == NULL)
		return rc;
	values[0] = PQgetvalue(lab, 0, COL_ID);
	if ((res = ln_db(req, &history, values)) == NULL)
		return ln_db_status(req);
	if ((doc = ln_doc(req, "lab-history")) == NULL)
		return LN_ENOMEM;
	root = xmlDocGetRootElement(doc);
	if (ln_xml_attr(root, "slug", PQgetvalue(lab, 0, COL_SLUG)) < 0 ||
	    ln_xml_text(root, "name", PQgetvalue(lab, 0, COL_NAME)) == NULL)
		return LN_ENOMEM;
	for (row = 0; row < PQntuples(res); row++) {
		if (strcmp(last, PQgetvalue(res, row, 0)) != 0) {
			last = PQgetvalue(res, row, 0);
			if ((revision = ln_xml_elem(root, "revision")) == NULL ||
			    ln_xml_attr(revision, "at", PQgetvalue(res, row, 1)) < 0 ||
			    ln_xml_attr(revision, "action", PQgetvalue(res, row, 2)) < 0 ||
			    ln_xml_attr(revision, "by", PQgetvalue(res, row, 3)) < 0)
				return LN_ENOMEM;
		}
		if (PQgetisnull(res, row, 4))
			continue;
		if ((change = ln_xml_elem(revision, "change")) == NULL ||
		    ln_xml_attr(change, "field", PQgetvalue(res, row, 4)) < 0)
			return LN_ENOMEM;
		if (!PQgetisnull(res, row, 5))
			ln_xml_text(change, "old", PQgetvalue(res, row, 5));
		if (!PQgetisnull(res, row, 6))
			ln_xml_text(change, "new", PQgetvalue(res, row, 6));
	}
	return 0;
}

int
labs_status(ln_request *req)
{
	const char *action = ln_param(req, "action"), *lab_id, *values[3];
	const struct transition *t = NULL;
	const ln_user *user = ln_user_get(req);
	PGresult *lab, *before, *res;
	size_t i;
	int rc;

	if ((rc = labs_editable(req, "status", &lab)) < 0 || lab == NULL)
		return rc;
	for (i = 0; i < sizeof(transitions) / sizeof(transitions[0]); i++)
		if (strcmp(transitions[i].action, action) == 0)
			t = &transitions[i];
	if (t == NULL)
		return ln_fail(req, 400, "unknown action");
	if (t->admin_only && strcmp(user->role, "admin") != 0)
		return ln_fail(req, 403, "only an administrator may %s a lab", action);
	lab_id = PQgetvalue(lab, 0, COL_ID);
	values[0] = lab_id;
	values[1] = t->to;
	values[2] = t->from;
	if ((rc = ln_db_begin(req)) < 0)
		return rc;
	if ((before = ln_db(req, &snapshot, values)) == NULL ||
	    (res = ln_db(req, &set_status, values)) == NULL)
		return ln_db_status(req);
	if (PQntuples(res) == 0) {
		ln_db_rollback(req);
		return ln_fail(req, 409, "the lab's status does not allow this");
	}
	if ((rc = labs_revision(req, lab_id, action,
	    PQgetvalue(before, 0, 0))) < 0 || (rc = ln_db_commit(req)) < 0)
		return rc;
	if (strcmp(action, "approve") == 0 || strcmp(action, "reject") == 0)
		return ln_redirect(req, 303, "/labs-pending");
	return ln_redirect(req, 303, ln_printf(req, "/labs/%s/edit",
	    PQgetvalue(lab, 0, COL_SLUG)));
}

int
labs_pending(ln_request *req)
{
	xmlNodePtr root, lab;
	xmlDocPtr doc;
	PGresult *res;
	int row;

	if ((res = ln_db(req, &pending, NULL)) == NULL)
		return ln_db_status(req);
	if ((doc = ln_doc(req, "labs-pending")) == NULL)
		return LN_ENOMEM;
	root = xmlDocGetRootElement(doc);
	for (row = 0; row < PQntuples(res); row++) {
		if ((lab = ln_xml_elem(root, "lab")) == NULL ||
		    ln_xml_attr(lab, "slug", PQgetvalue(res, row, 0)) < 0 ||
		    ln_xml_attr(lab, "country", PQgetvalue(res, row, 3)) < 0 ||
		    ln_xml_attr(lab, "created", PQgetvalue(res, row, 4)) < 0 ||
		    ln_xml_text(lab, "name", PQgetvalue(res, row, 1)) == NULL ||
		    ln_xml_text(lab, "institution", PQgetvalue(res, row, 2)) == NULL)
			return LN_ENOMEM;
	}
	return 0;
}
