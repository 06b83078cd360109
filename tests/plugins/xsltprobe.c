/*
 * xsltprobe.c - a test plugin whose views try to reach outside the XSLT
 * sandbox at transform time: document() of a local file, of a path
 * relative to the view, of a URL and of a URI taken from the input, and
 * exsl:document writing a file. The HTTP test checks that no page shows
 * what those would read and that nothing is written
 * (tests/http/xslt-sandbox.test.mjs).
 */
#include <labnet/labnet.h>

/* The handler's document carries the URIs, so that the views also try a
 * URI that comes from data rather than from the stylesheet. */
static int
probe(ln_request *req)
{
	xmlDocPtr doc = ln_doc(req, "probe");
	xmlNodePtr root;

	if (doc == NULL)
		return LN_ENOMEM;
	root = xmlDocGetRootElement(doc);
	ln_xml_text(root, "uri", "file:///etc/passwd");
	ln_xml_text(root, "target", ln_param(req, "target"));
	return 0;
}

static const ln_param_spec write_params[] = {
	{ .name = "target", .type = LN_TEXT, .max_len = 200 },
	{ .name = NULL },
};

static const ln_route routes[] = {
	{ .methods = LN_GET, .pattern = "/xsltprobe/document", .handler = probe,
	  .view = "document.xsl", .summary = "document() of files and URLs" },
	{ .methods = LN_GET, .pattern = "/xsltprobe/write", .handler = probe,
	  .view = "write.xsl", .params = write_params,
	  .summary = "exsl:document writing a file" },
	{ .pattern = NULL },
};

LN_PLUGIN = {
	.abi_major = LN_ABI_MAJOR,
	.api_min = 1,
	.name = "xsltprobe",
	.version = "0.0.1",
	.data = "tests/plugins/xsltprobe",
	.routes = routes,
};
