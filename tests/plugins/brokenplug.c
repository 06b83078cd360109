/*
 * brokenplug.c - a plugin with every fault `labnet plugin-test` must catch
 * (tests/http/plugintest.test.mjs): /broken/crash dereferences NULL,
 * /broken/leak loses a malloc'd buffer per request, /broken/fdleak a
 * descriptor per request, /broken/echo answers
 * 500 when its parameter holds a quote or '<' (a value that should have
 * been refused with 400), and /broken/shape builds XML that its own
 * schema (tests/plugins/brokenplug/schema/broken.rng) does not allow.
 * /broken/fine is the one route that does everything right.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include <labnet/labnet.h>

static int
root_text(ln_request *req, const char *name, const char *text)
{
	xmlDocPtr doc = ln_doc(req, "broken");

	if (doc == NULL)
		return LN_ENOMEM;
	ln_xml_text(xmlDocGetRootElement(doc), name, text);
	return 0;
}

static int
fine(ln_request *req)
{
	return root_text(req, "item", "fine");
}

static int
crash(ln_request *req)
{
	/* brokenplug has no init(), so its state is NULL. */
	const volatile int *nowhere = ln_state(req);

	return *nowhere;
}

static int
leak(ln_request *req)
{
	char *lost = malloc(4096);

	if (lost == NULL)
		return LN_ENOMEM;
	memset(lost, 'x', 4095);
	lost[4095] = '\0';
	/* Deliberately never freed: the leak is the point. */
	return root_text(req, "item", lost + 4090); /* NOLINT(clang-analyzer-unix.Malloc) */
}

static int
fdleak(ln_request *req)
{
	/* Deliberately never closed, nor put on the arena with ln_cleanup. */
	int fd = open("/dev/null", O_RDONLY);

	return root_text(req, "item", fd >= 0 ? "opened" : "failed");
}

static int
echo(ln_request *req)
{
	const char *q = ln_param(req, "q");

	if (q != NULL && strpbrk(q, "'<") != NULL)
		return ln_fail(req, 500, "the query broke");
	return root_text(req, "item", q ? q : "");
}

static int
shape(ln_request *req)
{
	return root_text(req, "oops", "not in the schema");
}

static const ln_param_spec echo_params[] = {
	{ .name = "q", .type = LN_TEXT, .max_len = 200 },
	{ 0 }
};

static const ln_route routes[] = {
	{ .methods = LN_GET, .pattern = "/broken/fine", .handler = fine },
	{ .methods = LN_GET, .pattern = "/broken/crash", .handler = crash },
	{ .methods = LN_GET, .pattern = "/broken/leak", .handler = leak },
	{ .methods = LN_GET, .pattern = "/broken/fdleak", .handler = fdleak },
	{ .methods = LN_GET, .pattern = "/broken/echo", .handler = echo,
	  .params = echo_params },
	{ .methods = LN_GET, .pattern = "/broken/shape", .handler = shape },
	{ 0 }
};

LN_PLUGIN = {
	.abi_major = LN_ABI_MAJOR,
	.api_min = 1,
	.name = "brokenplug",
	.version = "0.0.1",
	.data = "tests/plugins/brokenplug",
	.routes = routes,
};
