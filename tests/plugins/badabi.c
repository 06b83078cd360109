/* badabi.c - a plugin the loader must refuse (see README.md). */
#include <labnet/labnet.h>

static const ln_route routes[] = { { 0 } };

LN_PLUGIN = {
	.abi_major = 99, .api_min = 1, .name = "badabi", .version = "0.0.1",
	.data = "tests/plugins/badabi", .routes = routes,
};
