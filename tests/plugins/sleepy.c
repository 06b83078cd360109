/*
 * sleepy.c - a test plugin whose handlers take their time, for the
 * supervision tests: /sleepy/nap?ms=N outlasts request_timeout, and
 * POST /sleepy/write commits one row and then naps, so that its worker can
 * be killed mid-request and the test can count what was written. The POST
 * is declared side-effect free (LN_SAFE) only so that it needs no CSRF
 * token: the test is about the process, not the form.
 */
#include <time.h>

#include <labnet/labnet.h>

static const ln_sql insert_write = {
	.name = "insert_write",
	.text = "INSERT INTO sleepy.writes (label) VALUES ($1)",
	.nparams = 1,
};

static void
nap(long long ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

static int
nap_route(ln_request *req)
{
	xmlDocPtr doc = ln_doc(req, "sleepy");

	if (doc == NULL)
		return LN_ENOMEM;
	nap(ln_param_int(req, "ms", 0));
	ln_xml_text(xmlDocGetRootElement(doc), "woke", "yes");
	return 0;
}

/* Autocommit: the row is written before the nap. */
static int
write_route(ln_request *req)
{
	const char *values[1] = { ln_param(req, "label") };
	xmlDocPtr doc = ln_doc(req, "sleepy");

	if (doc == NULL)
		return LN_ENOMEM;
	if (ln_db(req, &insert_write, values) == NULL)
		return ln_db_status(req);
	nap(ln_param_int(req, "ms", 0));
	ln_xml_text(xmlDocGetRootElement(doc), "written", values[0]);
	return 0;
}

static const ln_param_spec nap_params[] = {
	{ .name = "ms", .type = LN_INT, .min = 0, .max = 600000 },
	{ 0 }
};

static const ln_param_spec write_params[] = {
	{ .name = "label", .type = LN_TEXT, .flags = LN_REQUIRED, .max_len = 100 },
	{ .name = "ms", .type = LN_INT, .min = 0, .max = 600000 },
	{ 0 }
};

static const ln_route routes[] = {
	{ .methods = LN_GET, .pattern = "/sleepy/nap", .handler = nap_route,
	  .params = nap_params },
	{ .methods = LN_POST, .pattern = "/sleepy/write", .handler = write_route,
	  .params = write_params, .flags = LN_SAFE },
	{ 0 }
};

LN_PLUGIN = {
	.abi_major = LN_ABI_MAJOR,
	.api_min = 1,
	.name = "sleepy",
	.version = "0.0.1",
	.migrations = "tests/plugins/sleepy/sql",
	.data = "tests/plugins/sleepy",
	.routes = routes,
};
