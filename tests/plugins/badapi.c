/* badapi.c - a plugin the loader must refuse (see README.md). */
#include <labnet/labnet.h>

static const ln_route routes[] = { { 0 } };

LN_PLUGIN = {
	.abi_major = LN_ABI_MAJOR, .api_min = 99, .name = "badapi", .version = "0.0.1",
	.data = "tests/plugins/badapi", .routes = routes,
};
