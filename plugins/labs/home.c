/*
 * home.c - the labs plugin's block on the home page (slot home.blocks):
 * the newest published labs and the way into the directory. Text comes
 * from the plugin's catalog in the request's language; links are local
 * paths, which the layout makes absolute in that language.
 */
#include "labs.h"

#define HOME_NEWEST 3

static const ln_sql home_newest = {
	.name = "home_newest",
	.text = "SELECT slug, name, city FROM labs.labs WHERE status = 'published' "
	    "ORDER BY created_at DESC, id DESC LIMIT 3",
	.nparams = 0,
};

int
labs_home_block(ln_request *req, const char *subject, xmlNodePtr into)
{
	xmlNodePtr list, item, link;
	PGresult *res;
	int i;

	(void)subject;
	if ((res = ln_db(req, &home_newest, NULL)) == NULL)
		return ln_db_status(req);
	ln_xml_text(into, "heading", ln_msg(req, "labs.home.heading"));
	if (PQntuples(res) > 0) {
		ln_xml_text(into, "p", ln_msg(req, "labs.home.newest"));
		if ((list = ln_xml_elem(into, "list")) == NULL)
			return LN_ENOMEM;
		for (i = 0; i < PQntuples(res) && i < HOME_NEWEST; i++) {
			item = ln_xml_elem(list, "item");
			link = ln_xml_text(item, "link", PQgetvalue(res, i, 1));
			if (ln_xml_attr(link, "href", ln_printf(req, "/labs/%s",
			    PQgetvalue(res, i, 0))) < 0)
				return LN_ENOMEM;
		}
	}
	link = ln_xml_text(into, "link", ln_msg(req, "labs.home.all"));
	return ln_xml_attr(link, "href", "/labs") < 0 ? LN_ENOMEM : 0;
}
