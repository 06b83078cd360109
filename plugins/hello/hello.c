/*
 * hello.c - the smallest complete Labnet plugin, and the template to copy.
 *
 * GET /hello/{name} greets a visitor by name. If the name is one the
 * network knows (table hello.names, from sql/hello/), the page adds the note
 * stored for it. It shows the four things every plugin does:
 *   1. declares its routes and parameters in one table (the descriptor);
 *   2. reads validated input from the request (ln_path_param);
 *   3. runs a prepared statement with parameters ($1), never built SQL;
 *   4. builds an XML document; the view hello.xsl turns it into HTML, and
 *      ?format=xml (or hello/x.xml) serves the XML itself.
 * It also offers a slot, hello.aside, that other plugins may fill.
 * Everything the handler allocates lives on the request; it frees nothing.
 */
#include <labnet/labnet.h>

/* A statement is prepared once per connection, by name, on first use. */
static const ln_sql find_name = {
	.name = "find_name",
	.text = "SELECT note FROM hello.names WHERE name = $1",
	.nparams = 1,
};

/* The handler: input from the request, data from the database, XML out. */
static int
hello_page(ln_request *req)
{
	const char *name = ln_path_param(req, "name");
	const char *values[] = { name };
	xmlNodePtr root;
	PGresult *res;
	xmlDocPtr doc;

	/* NULL means the database failed: the core answers 503 or 500. */
	res = ln_db(req, &find_name, values);
	if (res == NULL)
		return ln_db_status(req);

	if ((doc = ln_doc(req, "hello")) == NULL)
		return LN_ENOMEM;
	root = xmlDocGetRootElement(doc);
	/* Text goes in as text: the serializer escapes it, never us. */
	ln_xml_text(root, "name", name);
	ln_xml_text(root, "known", PQntuples(res) > 0 ? "true" : "false");
	if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
		ln_xml_text(root, "note", PQgetvalue(res, 0, 0));

	/* Other plugins may add to this page; a failing one is left out. */
	return ln_slot_render(req, "hello.aside", name, root);
}

/* Path parameters are declared in the pattern; query and form parameters
 * would be declared here, each with a type the core checks. */
static const ln_route routes[] = {
	{
		.methods = LN_GET,
		.pattern = "/hello/{name}",
		.handler = hello_page,
		.view = "hello.xsl",
		.access = LN_PUBLIC,
		.summary = "greet a visitor by name",
	},
	{ 0 }
};

/* The one symbol the host looks for. Unused fields stay zero. */
LN_PLUGIN = {
	.abi_major = LN_ABI_MAJOR,
	.api_min = 1,
	.name = "hello",
	.version = "1.0.0",
	.migrations = "sql/hello",
	.data = "plugins/hello",
	.routes = routes,
};
