/* needsdep.c - depends on a plugin that is not loaded: refused. */
#include <labnet/labnet.h>

static const ln_route routes[] = { { 0 } };
static const char *const depends[] = { "nosuch", NULL };

LN_PLUGIN = {
	.abi_major = LN_ABI_MAJOR, .api_min = 1, .name = "needsdep",
	.version = "0.0.1", .depends = depends, .data = "tests/plugins/needsdep",
	.routes = routes,
};
