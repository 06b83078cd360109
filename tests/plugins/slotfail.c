/* slotfail.c - fills hello.aside, then fails: the core must drop its part. */
#include <labnet/labnet.h>

static int
aside(ln_request *req, const char *subject, xmlNodePtr into)
{
	(void)req;
	(void)subject;
	ln_xml_text(into, "p", "slotfail must not be seen");
	return LN_EINTERNAL;
}

static const ln_route routes[] = { { 0 } };
static const ln_slot slots[] = { { "hello.aside", aside, 5 }, { 0 } };

LN_PLUGIN = {
	.abi_major = LN_ABI_MAJOR, .api_min = 1, .name = "slotfail",
	.version = "0.0.1", .data = "tests/plugins/slotfail",
	.routes = routes, .slots = slots,
};
