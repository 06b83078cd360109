/*
 * corepages.c - the core's own routes, declared with the same descriptor a
 * plugin uses so that `labnet routes`, the router and the checks treat them
 * alike: the home page, /-/health, and the language choice.
 */
#include <string.h>

#include "i18n.h"
#include "metrics.h"
#include "plugin.h"
#include "request.h"
#include "site.h"

static const ln_sql sql_ping = { "ping", "SELECT 1", 0 };

/* 200 when this worker and the database answer, else 503. */
static int
health(ln_request *req)
{
	xmlDocPtr doc = ln_doc(req, "health");
	xmlNodePtr root;

	/* Live state: never a page from the render cache. */
	ln_no_store(req);
	if (!metrics_client_allowed(req))
		return LN_EINVAL;
	if (doc == NULL)
		return LN_ENOMEM;
	root = xmlDocGetRootElement(doc);
	ln_xml_text(root, "worker", "ok");
	if (ln_db(req, &sql_ping, NULL) == NULL) {
		ln_xml_text(root, "database", "unavailable");
		return ln_fail(req, 503, "the database is unavailable");
	}
	ln_xml_text(root, "database", "ok");
	return 0;
}

static int
home(ln_request *req)
{
	xmlDocPtr doc = ln_doc(req, "home");

	if (doc == NULL)
		return LN_ENOMEM;
	return ln_slot_render(req, "home.blocks", NULL, xmlDocGetRootElement(doc));
}

/* /-/lang/fi?next=/labs: remember the choice in a cookie and go there. The
 * cookie is the visitor's own preference, so a GET may set it. */
static int
language(ln_request *req)
{
	const char *lang = ln_path_param(req, "lang");
	const char *next = ln_param(req, "next");
	char *cookie, tag[3];

	if (!i18n_is_language(lang))
		return ln_fail(req, 404, "this site does not speak \"%s\"", lang);
	if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		next = "/";
	/* "/fi/labs" names the page "/labs": the new prefix replaces it. */
	if (next[1] != '\0' && next[2] != '\0' &&
	    (next[3] == '/' || next[3] == '?' || next[3] == '\0')) {
		tag[0] = next[1];
		tag[1] = next[2];
		tag[2] = '\0';
		if (i18n_is_language(tag))
			next = next[3] == '/' ? next + 3 : next[3] == '?' ?
			    ln_printf(req, "/%s", next + 3) : "/";
		if (next == NULL)
			return LN_ENOMEM;
	}
	cookie = ln_printf(req, "lang=%s; Path=/; Max-Age=31536000; SameSite=Lax%s",
	    lang, req->site->config->plain_http ? "" : "; Secure");
	if (cookie == NULL || ln_set_header(req, "Set-Cookie", cookie) < 0)
		return LN_ENOMEM;
	/* ln_redirect() percent-encodes what a Location may not carry. */
	return ln_redirect(req, 303, ln_printf(req, "/%s%s", lang, next));
}

static const ln_param_spec language_params[] = {
	{ .name = "next", .type = LN_TEXT, .max_len = 2048 },
	{ 0 }
};

static const ln_route core_routes[] = {
	{ .methods = LN_GET, .pattern = "/", .handler = home, .view = "home.xsl",
	  .summary = "the home page, with the home.blocks slot" },
	{ .methods = LN_GET, .pattern = "/-/health", .handler = health,
	  .summary = "200 when the worker and the database answer, else 503" },
	/* Never cached (LN_SESSION): every read must see the counters now. */
	{ .methods = LN_GET, .pattern = "/-/metrics", .handler = metrics_page,
	  .flags = LN_SESSION,
	  .summary = "counters in the Prometheus text format (status_clients)" },
	{ .methods = LN_GET, .pattern = "/-/lang/{lang}", .handler = language,
	  .params = language_params, .flags = LN_SESSION,
	  .summary = "remember a language choice and go to the page in it" },
	{ 0 }
};

const ln_plugin core_plugin_descriptor = {
	.abi_major = LN_ABI_MAJOR,
	.api_min = 1,
	.api_max = 0,
	.name = "core",
	.version = "0.1.0",
	.migrations = "sql/core",
	.data = "core",
	.routes = core_routes,
};
