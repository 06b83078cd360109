/* clash.c - claims a route hello already serves: refused, naming both. */
#include <labnet/labnet.h>

static int
page(ln_request *req)
{
	return ln_doc(req, "clash") ? 0 : LN_ENOMEM;
}

static const ln_route routes[] = {
	{ .methods = LN_GET, .pattern = "/hello/{who}", .handler = page },
	{ 0 }
};

LN_PLUGIN = {
	.abi_major = LN_ABI_MAJOR, .api_min = 1, .name = "clash",
	.version = "0.0.1", .data = "tests/plugins/clash", .routes = routes,
};
