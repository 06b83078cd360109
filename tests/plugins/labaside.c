/* labaside.c - fills the labs profile's lab.sidebar slot (a test plugin):
 * what the events and resources plugins will do there. */
#include <labnet/labnet.h>

static int
sidebar(ln_request *req, const char *subject, xmlNodePtr into)
{
	xmlNodePtr list, item;

	ln_xml_text(into, "heading", "Coming up at this lab");
	list = ln_xml_elem(into, "list");
	item = ln_xml_elem(list, "item");
	ln_xml_text(item, "link", ln_printf(req, "Open day of %s", subject));
	ln_xml_attr(item->children, "href", "/events/open-day");
	return 0;
}

static const ln_route routes[] = { { 0 } };
static const ln_slot slots[] = { { "lab.sidebar", sidebar, 10 }, { 0 } };

LN_PLUGIN = {
	.abi_major = LN_ABI_MAJOR, .api_min = 1, .name = "labaside",
	.version = "0.0.1", .data = "tests/plugins/labaside",
	.routes = routes, .slots = slots,
};
