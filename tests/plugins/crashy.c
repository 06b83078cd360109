/*
 * crashy.c - a test plugin whose one route crashes the worker (abort(), so
 * that a sanitizer build dies as plainly as a normal one), for the
 * supervision tests: the master must log the route, respawn, and after
 * quarantine_crashes crashes switch this plugin off while others serve.
 */
#include <stdlib.h>

#include <labnet/labnet.h>

static int
ok(ln_request *req)
{
	xmlDocPtr doc = ln_doc(req, "crashy");

	if (doc == NULL)
		return LN_ENOMEM;
	ln_xml_text(xmlDocGetRootElement(doc), "state", "fine");
	return 0;
}

static int
boom(ln_request *req)
{
	(void)req;
	abort();
}

static const ln_route routes[] = {
	{ .methods = LN_GET, .pattern = "/crashy/ok", .handler = ok },
	{ .methods = LN_GET, .pattern = "/crashy/boom", .handler = boom },
	{ 0 }
};

LN_PLUGIN = {
	.abi_major = LN_ABI_MAJOR,
	.api_min = 1,
	.name = "crashy",
	.version = "0.0.1",
	.data = "tests/plugins/crashy",
	.routes = routes,
};
