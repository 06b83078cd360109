/*
 * profile.c - a lab's page: GET /labs/{slug} (HTML, XML).
 *
 * Only a published lab is shown; an unknown slug is 404. A slug the lab
 * had before (labs.old_slugs, kept by a trigger on rename) answers 301 to
 * the current one, in the same format. The page offers the lab.sidebar
 * slot, whose subject is the lab's slug: other plugins add the lab's
 * events and resources there.
 */
#include <string.h>

#include "labs.h"

static const ln_sql find_lab = {
	.name = "find_lab",
	.text = "SELECT " LABS_COLUMNS " FROM labs.labs "
	    "WHERE slug = $1 AND status = 'published'",
	.nparams = 1,
};

static const ln_sql find_moved = {
	.name = "find_moved",
	.text = "SELECT l.slug FROM labs.old_slugs o JOIN labs.labs l "
	    "ON l.id = o.lab_id WHERE o.slug = $1 AND l.status = 'published'",
	.nparams = 1,
};

int
labs_profile(ln_request *req)
{
	const char *slug = ln_path_param(req, "slug");
	const char *values[1] = { slug }, *format;
	xmlNodePtr lab;
	PGresult *res;
	xmlDocPtr doc;

	if ((res = ln_db(req, &find_lab, values)) == NULL)
		return ln_db_status(req);
	if (PQntuples(res) == 0) {
		if ((res = ln_db(req, &find_moved, values)) == NULL)
			return ln_db_status(req);
		if (PQntuples(res) == 0)
			return ln_fail(req, 404, "no lab is called \"%s\"", slug);
		format = ln_format_name(req);
		/* ln_url: in the page's language, so /fi/labs/old stays in
		 * Finnish. */
		return ln_redirect(req, 301, ln_url(req, ln_printf(req,
		    "/labs/%s%s%s", PQgetvalue(res, 0, 0),
		    strcmp(format, "html") ? "." : "",
		    strcmp(format, "html") ? format : "")));
	}
	if ((doc = ln_doc(req, "lab-profile")) == NULL)
		return LN_ENOMEM;
	if ((lab = lab_xml(req, xmlDocGetRootElement(doc), res, 0, LAB_FULL)) == NULL)
		return LN_ENOMEM;
	return ln_slot_render(req, "lab.sidebar", slug, lab);
}
