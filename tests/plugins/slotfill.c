/* slotfill.c - fills the hello page's hello.aside slot (a test plugin). */
#include <labnet/labnet.h>

static int
aside(ln_request *req, const char *subject, xmlNodePtr into)
{
	ln_xml_text(into, "heading", "From slotfill");
	ln_xml_text(into, "p", ln_printf(req, "slotfill saw %s", subject));
	return 0;
}

static const ln_route routes[] = { { 0 } };
static const ln_slot slots[] = { { "hello.aside", aside, 10 }, { 0 } };

LN_PLUGIN = {
	.abi_major = LN_ABI_MAJOR, .api_min = 1, .name = "slotfill",
	.version = "0.0.1", .data = "tests/plugins/slotfill",
	.routes = routes, .slots = slots,
};
