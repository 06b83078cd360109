/*
 * xsltimport.c - a test plugin whose view imports /etc/passwd. Imports are
 * resolved when views are compiled, at start-up, never at transform time:
 * the view does not compile, so `labnet check` refuses the plugin and no
 * request ever runs it (tests/http/xslt-sandbox.test.mjs).
 */
#include <labnet/labnet.h>

static int
page(ln_request *req)
{
	return ln_doc(req, "page") != NULL ? 0 : LN_ENOMEM;
}

static const ln_route routes[] = {
	{ .methods = LN_GET, .pattern = "/xsltimport", .handler = page,
	  .view = "import.xsl", .summary = "a view importing /etc/passwd" },
	{ .pattern = NULL },
};

LN_PLUGIN = {
	.abi_major = LN_ABI_MAJOR,
	.api_min = 1,
	.name = "xsltimport",
	.version = "0.0.1",
	.data = "tests/plugins/xsltimport",
	.routes = routes,
};
