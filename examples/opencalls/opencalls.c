/*
 * opencalls.c - an example partner plugin: a board of open calls (grants,
 * residencies, challenges) that labs publish, built outside the Labnet tree
 * against the installed SDK only:
 *
 *     cc -shared -fPIC $(pkg-config --cflags labnet-plugin) \
 *         -o opencalls.so opencalls.c
 *
 * It shows what a partner plugin typically needs beyond plugins/hello:
 * a declared query parameter with a fixed set of values, a config key read
 * once in init() into per-process state (no mutable globals), a list and a
 * detail page, and fillers for other plugins' pages: the home page's
 * home.blocks and a lab's lab.sidebar (its open calls).
 */
#include <stdio.h>
#include <stdlib.h>

#include <labnet/labnet.h>

/* What init() reads from [opencalls] in labnet.conf; read-only after. */
struct opencalls {
	char home_limit[8];	/* how many calls the home page block shows */
};

static const ln_sql list_calls = {
	.name = "list_calls",
	.text = "SELECT slug, title, kind, organiser, deadline FROM opencalls.calls"
	    " WHERE deadline >= current_date AND ($1::text IS NULL OR kind = $1)"
	    " ORDER BY deadline, slug LIMIT 200",
	.nparams = 1,
};

static const ln_sql find_call = {
	.name = "find_call",
	.text = "SELECT slug, title, kind, organiser, deadline, body, url"
	    " FROM opencalls.calls WHERE slug = $1",
	.nparams = 1,
};

static const ln_sql soonest_calls = {
	.name = "soonest_calls",
	.text = "SELECT slug, title, deadline FROM opencalls.calls"
	    " WHERE deadline >= current_date ORDER BY deadline, slug LIMIT $1",
	.nparams = 1,
};

static const ln_sql lab_calls = {
	.name = "lab_calls",
	.text = "SELECT slug, title, deadline FROM opencalls.calls"
	    " WHERE lab = $1 AND deadline >= current_date"
	    " ORDER BY deadline, slug LIMIT 5",
	.nparams = 1,
};

static const char *const kinds[] = { "grant", "residency", "challenge",
    "call", NULL };

/* <call slug="..."><title/><kind/><organiser/><deadline/></call> */
static xmlNodePtr
call_node(xmlNodePtr parent, PGresult *res, int row)
{
	xmlNodePtr call = ln_xml_elem(parent, "call");

	ln_xml_attr(call, "slug", PQgetvalue(res, row, 0));
	ln_xml_text(call, "title", PQgetvalue(res, row, 1));
	ln_xml_text(call, "kind", PQgetvalue(res, row, 2));
	ln_xml_text(call, "organiser", PQgetvalue(res, row, 3));
	ln_xml_text(call, "deadline", PQgetvalue(res, row, 4));
	return call;
}

static int
calls_page(ln_request *req)
{
	/* Declared as LN_CHOICE below: the core has already refused others. */
	const char *values[] = { ln_param(req, "kind") };
	xmlNodePtr root;
	PGresult *res;
	xmlDocPtr doc;
	int row;

	if ((res = ln_db(req, &list_calls, values)) == NULL)
		return ln_db_status(req);
	if ((doc = ln_doc(req, "calls")) == NULL)
		return LN_ENOMEM;
	root = xmlDocGetRootElement(doc);
	ln_xml_attr(root, "kind", values[0]);
	for (row = 0; row < PQntuples(res); row++)
		call_node(root, res, row);
	return 0;
}

static int
call_page(ln_request *req)
{
	const char *values[] = { ln_path_param(req, "slug") };
	xmlNodePtr call;
	PGresult *res;
	xmlDocPtr doc;

	if ((res = ln_db(req, &find_call, values)) == NULL)
		return ln_db_status(req);
	if (PQntuples(res) == 0)
		return ln_fail(req, 404, "no open call named %s", values[0]);
	if ((doc = ln_doc(req, "opencall")) == NULL)
		return LN_ENOMEM;
	call = call_node(xmlDocGetRootElement(doc), res, 0);
	ln_xml_text(call, "body", PQgetvalue(res, 0, 5));
	if (!PQgetisnull(res, 0, 6))
		ln_xml_text(call, "url", PQgetvalue(res, 0, 6));
	return 0;
}

/* home.blocks: the soonest deadlines, in the slot vocabulary of layout.xsl
 * (heading, list of items with links). */
static int
home_block(ln_request *req, const char *subject, xmlNodePtr into)
{
	const struct opencalls *state = ln_state(req);
	const char *values[] = { state->home_limit };
	xmlNodePtr list, item, link;
	PGresult *res;
	int row;

	(void)subject;
	if ((res = ln_db(req, &soonest_calls, values)) == NULL)
		return ln_db_status(req);
	if (PQntuples(res) == 0)
		return 0;
	ln_xml_text(into, "heading", ln_msg(req, "opencalls.title"));
	list = ln_xml_elem(into, "list");
	for (row = 0; row < PQntuples(res); row++) {
		item = ln_xml_elem(list, "item");
		link = ln_xml_text(item, "link", PQgetvalue(res, row, 1));
		ln_xml_attr(link, "href", ln_printf(req, "/calls/%s",
		    PQgetvalue(res, row, 0)));
	}
	link = ln_xml_text(into, "link", ln_msg(req, "opencalls.all"));
	ln_xml_attr(link, "href", "/calls");
	return 0;
}

/* lab.sidebar: the open calls of the lab whose page this is (subject is
 * its slug). Nothing to add is fine: an empty part is not shown. */
static int
lab_sidebar(ln_request *req, const char *subject, xmlNodePtr into)
{
	const char *values[] = { subject };
	xmlNodePtr list, link;
	PGresult *res;
	int row;

	if ((res = ln_db(req, &lab_calls, values)) == NULL)
		return ln_db_status(req);
	if (PQntuples(res) == 0)
		return 0;
	ln_xml_text(into, "heading", ln_msg(req, "opencalls.from_lab"));
	list = ln_xml_elem(into, "list");
	for (row = 0; row < PQntuples(res); row++) {
		link = ln_xml_text(ln_xml_elem(list, "item"), "link",
		    PQgetvalue(res, row, 1));
		ln_xml_attr(link, "href", ln_printf(req, "/calls/%s",
		    PQgetvalue(res, row, 0)));
	}
	return 0;
}

static int
opencalls_init(ln_host *host, void **state)
{
	struct opencalls *s = ln_host_alloc(host, sizeof(*s));   /* lives as long as the plugin */
	const char *limit = ln_host_config(host, "home_limit");
	char *end;
	long n = strtol(limit, &end, 10);

	if (s == NULL || *end != '\0' || n < 1 || n > 20)
		return LN_EINVAL;                                    /* check names the plugin */
	snprintf(s->home_limit, sizeof(s->home_limit), "%ld", n);
	*state = s;
	return 0;
}

static const ln_param_spec calls_params[] = {
	{ .name = "kind", .type = LN_CHOICE, .choices = kinds },
	{ 0 }
};

static const ln_route routes[] = {
	{ .methods = LN_GET, .pattern = "/calls", .handler = calls_page,
	  .view = "calls.xsl", .params = calls_params,
	  .summary = "open calls, soonest deadline first" },
	{ .methods = LN_GET, .pattern = "/calls/{slug:slug}", .handler = call_page,
	  .view = "call.xsl", .summary = "one open call" },
	{ 0 }
};

static const ln_slot slots[] = {
	{ .name = "home.blocks", .fill = home_block, .order = 50 },
	{ .name = "lab.sidebar", .fill = lab_sidebar, .order = 20 },
	{ 0 }
};

static const ln_config_key config[] = {
	{ .name = "home_limit", .fallback = "3",
	  .help = "calls shown on the home page (1 to 20)" },
	{ 0 }
};

LN_PLUGIN = {
	.abi_major = LN_ABI_MAJOR,
	.api_min = 1,
	.name = "opencalls",
	.version = "1.0.0",
	.migrations = "sql",
	.data = ".",
	.config = config,
	.routes = routes,
	.slots = slots,
	.init = opencalls_init,
};
