/*
 * edit.c - creating and changing a lab: /labs/new and /labs/{slug}/edit.
 *
 * Owns the lab form: reading its fields, checking them with validate.c
 * (field-level errors, translated here, with what was typed kept), and
 * writing a lab and its revision in one transaction. A new lab from a
 * signed-in user waits as 'pending' and its creator becomes an editor of
 * "lab:<id>" (stable across renames). Who may edit is the core's rights
 * (ln_may_edit); the CSRF token is checked by the core before any of this
 * runs. Everything handed out lives on the request's arena.
 */
#include <string.h>

#include "labs.h"
#include "validate.h"

/* The form's text fields, in form order, and their limits (the same as
 * sql/labs/001_labs.sql's). Lists (disciplines, facilities, languages)
 * are keys separated by spaces. */
/* The form's fields, in the order of LAB_VALUES below. */
enum form_slot {
	F_SLUG, F_NAME, F_INSTITUTION, F_KIND, F_COUNTRY, F_CITY, F_ADDRESS,
	F_LAT, F_LON, F_WEBSITE, F_EMAIL, F_PHONE, F_DESCRIPTION,
	F_DISCIPLINES, F_FACILITIES, F_EQUIPMENT, F_LANGUAGES
};

struct field {
	size_t max;
	enum form_slot slot;
	int required;
};

static const struct field text_fields[] = {
	{ 200, F_NAME, 1 }, { 200, F_INSTITUTION, 0 }, { 120, F_CITY, 0 },
	{ 300, F_ADDRESS, 0 }, { 10000, F_DESCRIPTION, 0 },
	{ 5000, F_EQUIPMENT, 0 },
};

/* The reasons validate.c gives, as message keys of the catalogs. */
static const char *const reasons[][2] = {
	{ "is required", "labs.error.required" },
	{ "is too long", "labs.error.toolong" },
	{ "is longer than 500 characters", "labs.error.toolong" },
	{ "is longer than 254 characters", "labs.error.toolong" },
	{ "must be 2 to 80 of a-z, 0-9 and -", "labs.error.slug" },
	{ "is a reserved word", "labs.error.reserved" },
	{ "must be an ISO 3166-1 code such as IT", "labs.error.country" },
	{ "is not an assigned ISO 3166-1 country code", "labs.error.country" },
	{ "needs both latitude and longitude", "labs.error.position" },
	{ "must be decimal degrees such as 45.4642", "labs.error.position" },
	{ "latitude must be between -90 and 90", "labs.error.latitude" },
	{ "longitude must be between -180 and 180", "labs.error.longitude" },
	{ "must start with http:// or https://", "labs.error.website" },
	{ "must not contain spaces", "labs.error.website" },
	{ "must name a host", "labs.error.website" },
	{ "has a bad port", "labs.error.website" },
	{ "must be an address like name@example.org", "labs.error.email" },
	{ "must be a phone number like +39 02 123 4567", "labs.error.phone" },
	{ "is not a vocabulary key", "labs.error.term" },
	{ "must be an ISO 639-1 code such as fi", "labs.error.language" },
};

static const ln_sql lab_by_slug = {
	.name = "edit_lab_by_slug",
	.text = "SELECT " LABS_COLUMNS ", status FROM labs.labs WHERE slug = $1",
	.nparams = 1,
};

static const ln_sql moved_slug = {
	.name = "edit_moved_slug",
	.text = "SELECT l.slug FROM labs.old_slugs o JOIN labs.labs l "
	    "ON l.id = o.lab_id WHERE o.slug = $1",
	.nparams = 1,
};

static const ln_sql slug_taken = {
	.name = "edit_slug_taken",
	.text = "SELECT 1 FROM labs.labs WHERE slug = $1 AND id IS DISTINCT FROM $2::bigint",
	.nparams = 2,
};

/* The lab's columns as JSON, without what is derived: what a revision
 * compares. Taken before a change, under a row lock. */
static const ln_sql lab_snapshot = {
	.name = "edit_lab_snapshot",
	.text = "SELECT (to_jsonb(l) - '{search,terms_text,sort_name,created_at,updated_at}'::text[])::text "
	    "FROM labs.labs l WHERE id = $1 FOR UPDATE",
	.nparams = 1,
};

/* A list field ($14, $15, $17) is its keys, or an empty array when
 * nothing was typed. */
#define LAB_VALUES \
	"$1, $2, $3, $4, $5, $6, $7, NULLIF($8, '')::double precision, " \
	"NULLIF($9, '')::double precision, NULLIF($10, ''), NULLIF($11, ''), " \
	"NULLIF($12, ''), $13, " \
	"coalesce(string_to_array(NULLIF($14, ''), ' '), '{}'), " \
	"coalesce(string_to_array(NULLIF($15, ''), ' '), '{}'), $16, " \
	"coalesce(string_to_array(NULLIF($17, ''), ' '), '{}')"

static const ln_sql lab_insert = {
	.name = "edit_lab_insert",
	.text = "INSERT INTO labs.labs (slug, name, institution, kind, country, "
	    "city, address, latitude, longitude, website, email, phone, "
	    "description, disciplines, facilities, equipment, languages, status) "
	    "VALUES (" LAB_VALUES ", 'pending') RETURNING id",
	.nparams = 17,
};

static const ln_sql lab_update = {
	.name = "edit_lab_update",
	.text = "UPDATE labs.labs SET (slug, name, institution, kind, country, "
	    "city, address, latitude, longitude, website, email, phone, "
	    "description, disciplines, facilities, equipment, languages) = "
	    "(" LAB_VALUES ") WHERE id = $18",
	.nparams = 18,
};

/* A revision: what differs between the snapshot $4 (NULL for a new lab)
 * and the row now, {"field": {"old": ..., "new": ...}}. */
static const ln_sql revision_insert = {
	.name = "edit_revision_insert",
	.text = "INSERT INTO labs.revisions (lab_id, user_id, action, changes) "
	    "SELECT $1::bigint, $2::bigint, $3, COALESCE(jsonb_object_agg(n.key, "
	    "jsonb_build_object('old', o.value, 'new', n.value)), '{}') "
	    "FROM jsonb_each((SELECT to_jsonb(l) - '{search,terms_text,sort_name,created_at,updated_at,id}'::text[] "
	    "FROM labs.labs l WHERE id = $1::bigint)) n "
	    "LEFT JOIN jsonb_each(COALESCE($4::jsonb, '{}')) o ON o.key = n.key "
	    "WHERE o.value IS DISTINCT FROM n.value",
	.nparams = 4,
};

/* The form as typed, and the errors found in it. */
struct lab_form {
	const char *value[17];	/* in the order of LAB_VALUES */
	xmlNodePtr doc_form;
	int errors;
};

static const char *const form_names[17] = {
	"slug", "name", "institution", "kind", "country", "city", "address",
	"latitude", "longitude", "website", "email", "phone", "description",
	"disciplines", "facilities", "equipment", "languages"
};

static const char *
reason_text(ln_request *req, const char *why)
{
	size_t i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (strcmp(reasons[i][0], why) == 0)
			return ln_msg(req, reasons[i][1]);
	return why;
}

/* Mark the field's <field> with a translated error. */
static int
field_error(ln_request *req, struct lab_form *form, const char *name,
    const char *key)
{
	xmlNodePtr node;

	form->errors++;
	for (node = form->doc_form->children; node != NULL; node = node->next) {
		xmlChar *attr = xmlGetProp(node, (const xmlChar *)"name");
		int match = attr != NULL && strcmp((const char *)attr, name) == 0;

		xmlFree(attr);
		if (match)
			return ln_xml_attr(node, "error", key);
	}
	(void)req;
	return 0;
}

/* Each key of a space-separated list: checked alone, then in the
 * vocabulary (scheme NULL: languages, checked by form only). */
static int
check_list(ln_request *req, struct lab_form *form, enum form_slot slot,
    const char *scheme)
{
	char *copy, *key, *save = NULL;
	const char *why;
	int known;

	if ((copy = ln_strdup(req, form->value[slot])) == NULL)
		return LN_ENOMEM;
	for (key = strtok_r(copy, " ", &save); key != NULL;
	    key = strtok_r(NULL, " ", &save)) {
		if ((scheme ? labs_check_term_key(key, &why) :
		    labs_check_language(key, &why)) < 0)
			return field_error(req, form, form_names[slot],
			    reason_text(req, why));
		if (scheme && (known = ln_vocab_has(req, scheme, key)) <= 0)
			return known < 0 ? known : field_error(req, form,
			    form_names[slot], ln_msg(req, "labs.error.term"));
	}
	return 0;
}

/* Normalise a list to keys separated by one space, so that
 * string_to_array gives no empty elements. */
static const char *
list_value(ln_request *req, const char *typed)
{
	char *copy, *out, *key, *save = NULL;
	size_t n = 0;

	if ((copy = ln_strdup(req, typed)) == NULL ||
	    (out = ln_alloc(req, strlen(typed) + 1)) == NULL)
		return NULL;
	for (key = strtok_r(copy, " \t\r\n,", &save); key != NULL;
	    key = strtok_r(NULL, " \t\r\n,", &save)) {
		if (n > 0)
			out[n++] = ' ';
		memcpy(out + n, key, strlen(key));
		n += strlen(key);
	}
	out[n] = '\0';
	return out;
}

/* Append <field name= value=/> for every field. */
static int
form_xml(ln_request *req, struct lab_form *form, xmlNodePtr parent)
{
	xmlNodePtr node;
	size_t i;

	if ((form->doc_form = ln_xml_elem(parent, "form")) == NULL)
		return LN_ENOMEM;
	for (i = 0; i < 17; i++) {
		node = ln_xml_text(form->doc_form, "field",
		    form->value[i] ? form->value[i] : "");
		if (node == NULL || ln_xml_attr(node, "name", form_names[i]) < 0)
			return LN_ENOMEM;
	}
	(void)req;
	return 0;
}

/* The form from the request's parameters. */
static int
form_read(ln_request *req, struct lab_form *form)
{
	size_t i;

	for (i = 0; i < 17; i++) {
		const char *v = ln_param(req, form_names[i]);

		form->value[i] = v ? v : "";
	}
	form->value[F_DISCIPLINES] = list_value(req, form->value[F_DISCIPLINES]);
	form->value[F_FACILITIES] = list_value(req, form->value[F_FACILITIES]);
	form->value[F_LANGUAGES] = list_value(req, form->value[F_LANGUAGES]);
	if (form->value[F_DISCIPLINES] == NULL ||
	    form->value[F_FACILITIES] == NULL || form->value[F_LANGUAGES] == NULL)
		return LN_ENOMEM;
	return 0;
}

/* The form from a row of lab_by_slug. */
static int
form_from_row(ln_request *req, struct lab_form *form, PGresult *res)
{
	static const enum lab_col cols[17] = {
		COL_SLUG, COL_NAME, COL_INSTITUTION, COL_KIND, COL_COUNTRY,
		COL_CITY, COL_ADDRESS, COL_LAT, COL_LON, COL_WEBSITE, COL_EMAIL,
		COL_PHONE, COL_DESCRIPTION, COL_DISCIPLINES, COL_FACILITIES,
		COL_EQUIPMENT, COL_LANGUAGES
	};
	size_t i;

	for (i = 0; i < 17; i++)
		form->value[i] = PQgetisnull(res, 0, cols[i]) ? "" :
		    PQgetvalue(res, 0, cols[i]);
	(void)req;
	return 0;
}

/* Every check of the form; field errors counted in form->errors. lab_id
 * is the lab being edited, NULL for a new one. */
static int
form_check(ln_request *req, struct lab_form *form, const char *lab_id)
{
	const char *why, *values[2];
	double lat, lon;
	int present, position, rc = 0;
	size_t i;
	PGresult *res;

	if (labs_check_slug(form->value[F_SLUG], &why) < 0)
		rc |= field_error(req, form, "slug", reason_text(req, why));
	else {
		values[0] = form->value[F_SLUG];
		values[1] = lab_id;
		if ((res = ln_db(req, &slug_taken, values)) == NULL)
			return ln_db_status(req);
		if (PQntuples(res) > 0)
			rc |= field_error(req, form, "slug",
			    ln_msg(req, "labs.error.taken"));
	}
	for (i = 0; i < sizeof(text_fields) / sizeof(text_fields[0]); i++) {
		enum form_slot f = text_fields[i].slot;

		if (labs_check_text(form->value[f], text_fields[i].max,
		    text_fields[i].required, &why) < 0)
			rc |= field_error(req, form, form_names[f],
			    reason_text(req, why));
	}
	for (i = 0; labs_kinds[i] != NULL; i++)
		if (strcmp(labs_kinds[i], form->value[F_KIND]) == 0)
			break;
	if (labs_kinds[i] == NULL)
		rc |= field_error(req, form, "kind", ln_msg(req, "labs.error.kind"));
	if (labs_check_country(form->value[F_COUNTRY], &why) < 0)
		rc |= field_error(req, form, "country", reason_text(req, why));
	if ((position = labs_check_position(form->value[F_LAT],
	    form->value[F_LON], &lat, &lon, &present, &why)) < 0)
		rc |= field_error(req, form,
		    position == -2 ? "longitude" : "latitude", reason_text(req, why));
	if (labs_check_website(form->value[F_WEBSITE], &why) < 0)
		rc |= field_error(req, form, "website", reason_text(req, why));
	if (labs_check_email(form->value[F_EMAIL], &why) < 0)
		rc |= field_error(req, form, "email", reason_text(req, why));
	if (labs_check_phone(form->value[F_PHONE], &why) < 0)
		rc |= field_error(req, form, "phone", reason_text(req, why));
	if (rc < 0)
		return LN_ENOMEM;
	if ((rc = check_list(req, form, F_DISCIPLINES, "discipline")) < 0 ||
	    (rc = check_list(req, form, F_FACILITIES, "facility")) < 0 ||
	    (rc = check_list(req, form, F_LANGUAGES, NULL)) < 0)
		return rc;
	return 0;
}

/* The document of the form page: <lab-form mode= slug=><form>...
 * plus the kinds for the menu. */
static int
form_page(ln_request *req, struct lab_form *form, const char *mode,
    const char *slug, const char *status)
{
	xmlNodePtr root, kinds, kind;
	xmlDocPtr doc;
	size_t i;

	if ((doc = ln_doc(req, "lab-form")) == NULL)
		return LN_ENOMEM;
	root = xmlDocGetRootElement(doc);
	if (ln_xml_attr(root, "mode", mode) < 0 ||
	    ln_xml_attr(root, "slug", slug) < 0 ||
	    ln_xml_attr(root, "status", status) < 0 ||
	    (kinds = ln_xml_elem(root, "kinds")) == NULL)
		return LN_ENOMEM;
	for (i = 0; labs_kinds[i] != NULL; i++) {
		kind = ln_xml_text(kinds, "kind", lab_kind_label(req, labs_kinds[i]));
		if (kind == NULL || ln_xml_attr(kind, "key", labs_kinds[i]) < 0)
			return LN_ENOMEM;
	}
	if (form->doc_form == NULL)
		return form_xml(req, form, root);
	xmlUnlinkNode(form->doc_form);
	xmlAddChild(root, form->doc_form);
	return 0;
}

/* Write a revision of lab_id by the signed-in user; snapshot is the row
 * before (NULL: a new lab). */
int
labs_revision(ln_request *req, const char *lab_id, const char *action,
    const char *snapshot)
{
	const ln_user *user = ln_user_get(req);
	const char *values[4] = { lab_id, NULL, action, snapshot };

	if (user != NULL &&
	    (values[1] = ln_printf(req, "%lld", user->id)) == NULL)
		return LN_ENOMEM;
	return ln_db(req, &revision_insert, values) ? 0 : ln_db_status(req);
}

int
labs_new(ln_request *req)
{
	struct lab_form form = { 0 };
	const ln_user *user = ln_user_get(req);
	const char *lab_id;
	xmlDocPtr scratch;
	PGresult *res;
	int rc;

	if (strcmp(ln_method(req), "POST") != 0) {
		form.value[F_KIND] = "university-lab";
		return form_page(req, &form, "new", NULL, NULL);
	}
	if ((rc = form_read(req, &form)) < 0)
		return rc;
	/* The form is built first so that errors can mark its fields. */
	if ((scratch = ln_doc(req, "lab-form")) == NULL ||
	    form_xml(req, &form, xmlDocGetRootElement(scratch)) < 0)
		return LN_ENOMEM;
	if ((rc = form_check(req, &form, NULL)) < 0)
		return rc;
	if (form.errors > 0)
		return form_page(req, &form, "new", NULL, NULL);
	if ((rc = ln_db_begin(req)) < 0)
		return rc;
	if ((res = ln_db(req, &lab_insert, form.value)) == NULL)
		return ln_db_status(req);
	lab_id = PQgetvalue(res, 0, 0);
	if ((rc = labs_revision(req, lab_id, "create", NULL)) < 0 ||
	    (rc = ln_editor_grant(req, ln_printf(req, "lab:%s", lab_id),
	    user->id)) < 0 || (rc = ln_db_commit(req)) < 0)
		return rc;
	return ln_redirect(req, 303, ln_printf(req, "/labs/%s/edit",
	    form.value[F_SLUG]));
}

/* The lab of the path for editing: its row, or a 301/308/403/404
 * answered (an old slug is sent on to the same suffix of the new one: 301
 * for a GET, 308 for a POST, which keeps its method and form). *res is
 * NULL when the request has been answered. */
int
labs_editable(ln_request *req, const char *suffix, PGresult **res)
{
	const char *slug = ln_path_param(req, "slug");
	const char *values[1] = { slug };
	PGresult *moved;
	int may;

	*res = NULL;
	if ((*res = ln_db(req, &lab_by_slug, values)) == NULL)
		return ln_db_status(req);
	if (PQntuples(*res) == 0) {
		*res = NULL;
		if ((moved = ln_db(req, &moved_slug, values)) == NULL)
			return ln_db_status(req);
		if (PQntuples(moved) == 0)
			return ln_fail(req, 404, "no lab is called \"%s\"", slug);
		return ln_redirect(req, strcmp(ln_method(req), "GET") == 0 ||
		    strcmp(ln_method(req), "HEAD") == 0 ? 301 : 308,
		    ln_url(req, ln_printf(req, "/labs/%s/%s",
		    PQgetvalue(moved, 0, 0), suffix)));
	}
	may = ln_may_edit(req, ln_printf(req, "lab:%s",
	    PQgetvalue(*res, 0, COL_ID)));
	if (may <= 0) {
		*res = NULL;
		return may < 0 ? may : ln_fail(req, 403,
		    "you may not edit this lab");
	}
	return 0;
}

int
labs_edit(ln_request *req)
{
	struct lab_form form = { 0 };
	const char *lab_id, *snapshot, *values[1];
	xmlDocPtr scratch;
	PGresult *res, *before;
	int rc;

	if ((rc = labs_editable(req, "edit", &res)) < 0 || res == NULL)
		return rc;
	lab_id = PQgetvalue(res, 0, COL_ID);
	if (strcmp(ln_method(req), "POST") != 0) {
		form_from_row(req, &form, res);
		return form_page(req, &form, "edit", form.value[F_SLUG],
		    PQgetvalue(res, 0, COL_UPDATED + 1));
	}
	if ((rc = form_read(req, &form)) < 0)
		return rc;
	if ((scratch = ln_doc(req, "lab-form")) == NULL ||
	    form_xml(req, &form, xmlDocGetRootElement(scratch)) < 0)
		return LN_ENOMEM;
	if ((rc = form_check(req, &form, lab_id)) < 0)
		return rc;
	if (form.errors > 0)
		return form_page(req, &form, "edit", PQgetvalue(res, 0, COL_SLUG),
		    PQgetvalue(res, 0, COL_UPDATED + 1));
	values[0] = lab_id;
	if ((rc = ln_db_begin(req)) < 0)
		return rc;
	if ((before = ln_db(req, &lab_snapshot, values)) == NULL)
		return ln_db_status(req);
	snapshot = PQgetvalue(before, 0, 0);
	{
		const char *update[18];

		memcpy(update, form.value, sizeof(form.value));
		update[17] = lab_id;
		if (ln_db(req, &lab_update, update) == NULL)
			return ln_db_status(req);
	}
	if ((rc = labs_revision(req, lab_id, "update", snapshot)) < 0 ||
	    (rc = ln_db_commit(req)) < 0)
		return rc;
	return ln_redirect(req, 303, ln_printf(req, "/labs/%s/edit",
	    form.value[F_SLUG]));
}
