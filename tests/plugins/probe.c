/*
 * probe.c - a test plugin that reports what the core handed it, so the HTTP
 * tests can check routing, parameter validation, uploads, languages and
 * database writes through the real stack.
 */
#include <stdio.h>

#include <labnet/labnet.h>

static const ln_sql insert_item = {
	.name = "insert_item",
	.text = "INSERT INTO probe.items (label) VALUES ($1) RETURNING id",
	.nparams = 1,
};

static const ln_sql count_items = {
	.name = "count_items",
	.text = "SELECT count(*) FROM probe.items",
	.nparams = 0,
};

static int
item(ln_request *req)
{
	xmlDocPtr doc = ln_doc(req, "item");
	xmlNodePtr root;

	if (doc == NULL)
		return LN_ENOMEM;
	root = xmlDocGetRootElement(doc);
	ln_xml_text(root, "route", "item");
	ln_xml_text(root, "id", ln_path_param(req, "id"));
	return 0;
}

static int
item_new(ln_request *req)
{
	xmlDocPtr doc = ln_doc(req, "item");

	if (doc == NULL)
		return LN_ENOMEM;
	ln_xml_text(xmlDocGetRootElement(doc), "route", "new");
	return 0;
}

/* A literal with a dot: "/probe/items/export.csv" is this route, not the
 * slug "export" in a csv format. */
static int
item_export(ln_request *req)
{
	xmlDocPtr doc = ln_doc(req, "item");

	if (doc == NULL)
		return LN_ENOMEM;
	ln_xml_text(xmlDocGetRootElement(doc), "route", "export");
	return 0;
}

static int
by_slug(ln_request *req)
{
	xmlDocPtr doc = ln_doc(req, "item");
	xmlNodePtr root;

	if (doc == NULL)
		return LN_ENOMEM;
	root = xmlDocGetRootElement(doc);
	ln_xml_text(root, "route", "slug");
	ln_xml_text(root, "slug", ln_path_param(req, "slug"));
	return 0;
}

static const char *const colours[] = { "red", "green", "blue", NULL };

/* FNV-1a, 32 bits: enough to show the whole upload arrived unchanged. */
static unsigned long
fnv1a(const unsigned char *data, size_t n)
{
	unsigned long hash = 2166136261UL;
	size_t i;

	for (i = 0; i < n; i++)
		hash = ((hash ^ data[i]) * 16777619UL) & 0xffffffffUL;
	return hash;
}

/* Echo every declared parameter back, each value as the handler sees it. */
static int
echo(ln_request *req)
{
	static const char *const names[] = { "q", "n", "tag", "colour", "day",
	    "flag", "undeclared", NULL };
	const char *const *name;
	const ln_upload *up;
	xmlNodePtr root, node;
	xmlDocPtr doc;
	size_t i;
	char size[32], hash[16], head[2 * 16 + 1];

	if ((doc = ln_doc(req, "echo")) == NULL)
		return LN_ENOMEM;
	root = xmlDocGetRootElement(doc);
	ln_xml_text(root, "method", ln_method(req));
	ln_xml_text(root, "path", ln_path(req));
	ln_xml_text(root, "lang", ln_lang(req));
	ln_xml_text(root, "client", ln_client_addr(req));
	ln_xml_text(root, "request-id", ln_request_id(req));
	ln_xml_text(root, "user-agent", ln_header(req, "User-Agent"));
	for (name = names; *name; name++)
		for (i = 0; i < ln_param_count(req, *name); i++) {
			node = ln_xml_text(root, "param", ln_param_at(req, *name, i));
			ln_xml_attr(node, "name", *name);
		}
	if ((up = ln_upload_get(req, "file")) != NULL) {
		node = ln_xml_elem(root, "upload");
		ln_xml_attr(node, "filename", up->filename);
		ln_xml_attr(node, "type", up->media_type);
		snprintf(size, sizeof(size), "%zu", up->size);
		ln_xml_attr(node, "size", size);
		/* The first bytes in hex and a hash of all of them, to prove the
		 * content arrived intact (raw bytes could not stand in XML). */
		for (i = 0; i < up->size && i < 16; i++)
			snprintf(head + 2 * i, 3, "%02x", up->data[i]);
		head[2 * i] = '\0';
		ln_xml_attr(node, "head", head);
		snprintf(hash, sizeof(hash), "%08lx", fnv1a(up->data, up->size));
		ln_xml_attr(node, "fnv1a", hash);
	}
	return 0;
}

/* POST: insert a row in a transaction; "fail=1" rolls it back. */
static int
write_item(ln_request *req)
{
	const char *values[1] = { ln_param(req, "label") };
	xmlDocPtr doc;
	PGresult *res;
	int rc;

	if ((rc = ln_db_begin(req)) < 0)
		return rc;
	if ((res = ln_db(req, &insert_item, values)) == NULL)
		return ln_db_status(req);
	if (ln_param_int(req, "fail", 0) == 1) {
		ln_db_rollback(req);
		return ln_fail(req, 409, "rolled back on request");
	}
	if ((rc = ln_db_commit(req)) < 0)
		return rc;
	if ((doc = ln_doc(req, "written")) == NULL)
		return LN_ENOMEM;
	ln_xml_text(xmlDocGetRootElement(doc), "id", PQgetvalue(res, 0, 0));
	return 0;
}

/*
 * POST /probe/write-then-fail: insert a row in autocommit, then
 * answer 500. The row stays, so the core must drop the pages made before
 * it although the handler failed.
 */
static int
write_then_fail(ln_request *req)
{
	const char *values[1] = { ln_param(req, "label") };

	if (ln_db(req, &insert_item, values) == NULL)
		return ln_db_status(req);
	return ln_fail(req, 500, "wrote a row, then failed on purpose");
}

static int
count(ln_request *req)
{
	xmlDocPtr doc;
	PGresult *res;

	if ((res = ln_db(req, &count_items, NULL)) == NULL)
		return ln_db_status(req);
	if ((doc = ln_doc(req, "count")) == NULL)
		return LN_ENOMEM;
	ln_xml_text(xmlDocGetRootElement(doc), "items", PQgetvalue(res, 0, 0));
	return 0;
}

static int
fails(ln_request *req)
{
	(void)req;
	return LN_EINTERNAL;
}

/*
 * Try to set headers the core must refuse (a value with CR LF, names the
 * core or nginx own) and one it must send; report what ln_set_header said.
 */
static int
teapot_header(ln_request *req)
{
	static const struct {
		const char *name, *value;
	} refused[] = {
		{ "X-Probe-Ctl", "a\001b" },
		{ "Status", "200 OK" },
		{ "Content-Length", "1" },
		{ "X-Accel-Redirect", "/static/labnet.css" },
		{ "Location", "http://evil.example/" },
	};
	xmlDocPtr doc = ln_doc(req, "header");
	xmlNodePtr root, node;
	size_t i;

	if (doc == NULL)
		return LN_ENOMEM;
	root = xmlDocGetRootElement(doc);
	/* A value with CR LF must be refused, not sent. */
	ln_xml_text(root, "refused",
	    ln_set_header(req, "X-Probe", "a\r\nSet-Cookie: evil=1") < 0 ?
	    "true" : "false");
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		node = ln_xml_text(root, "try", ln_set_header(req,
		    refused[i].name, refused[i].value) < 0 ? "refused" : "set");
		ln_xml_attr(node, "name", refused[i].name);
	}
	node = ln_xml_text(root, "try", ln_set_header(req, "X-Probe-Ok",
	    "yes\tit is") < 0 ? "refused" : "set");
	ln_xml_attr(node, "name", "X-Probe-Ok");
	return 0;
}

/* The session's CSRF token, for tests that POST to routes the core
 * guards (and the proof that ln_csrf_token starts a pre-login session). */
static int
csrf(ln_request *req)
{
	xmlDocPtr doc = ln_doc(req, "csrf");
	const ln_user *user = ln_user_get(req);

	if (doc == NULL)
		return LN_ENOMEM;
	ln_xml_text(xmlDocGetRootElement(doc), "token", ln_csrf_token(req));
	ln_xml_text(xmlDocGetRootElement(doc), "user", user ? user->email : NULL);
	return 0;
}

/* POST /probe/objects/{key}: change object key if ln_may_edit says so
 * (a row in probe.items records the change), else 403. */
static int
object_edit(ln_request *req)
{
	const char *key = ln_path_param(req, "key");
	const char *values[1] = { ln_printf(req, "edit:%s", key) };
	xmlDocPtr doc;
	int may = ln_may_edit(req, key);

	if (may < 0)
		return may;
	if (may == 0)
		return ln_fail(req, 403, "you may not edit %s", key);
	if (ln_db(req, &insert_item, values) == NULL)
		return ln_db_status(req);
	if ((doc = ln_doc(req, "edited")) == NULL)
		return LN_ENOMEM;
	ln_xml_text(xmlDocGetRootElement(doc), "object", key);
	return 0;
}

/* POST /probe/objects/{key}/editors: grant (or revoke=1) user's right. */
static int
object_grant(ln_request *req)
{
	const char *key = ln_path_param(req, "key");
	long long user = ln_param_int(req, "user", 0);
	xmlDocPtr doc;
	int rc;

	rc = ln_param_int(req, "revoke", 0) ? ln_editor_revoke(req, key, user) :
	    ln_editor_grant(req, key, user);
	if (rc < 0)
		return rc == LN_EINVAL ? ln_fail(req, 400, "bad grant") : rc;
	if ((doc = ln_doc(req, "granted")) == NULL)
		return LN_ENOMEM;
	ln_xml_text(xmlDocGetRootElement(doc), "object", key);
	return 0;
}

/* ln_redirect() to the given target: local paths and base_url only. */
static int
redirect(ln_request *req)
{
	return ln_redirect(req, 303, ln_param(req, "to"));
}

static const ln_param_spec echo_params[] = {
	{ .name = "q", .type = LN_TEXT, .max_len = 100 },
	{ .name = "n", .type = LN_INT, .min = 1, .max = 50 },
	{ .name = "tag", .type = LN_SLUG, .flags = LN_REPEATED },
	{ .name = "colour", .type = LN_CHOICE, .choices = colours },
	{ .name = "day", .type = LN_DATE },
	{ .name = "flag", .type = LN_BOOL },
	{ .name = "file", .type = LN_FILE },
	{ 0 }
};

static const ln_param_spec redirect_params[] = {
	{ .name = "to", .type = LN_TEXT, .flags = LN_REQUIRED, .max_len = 2000 },
	{ 0 }
};

static const ln_param_spec write_params[] = {
	{ .name = "label", .type = LN_TEXT, .flags = LN_REQUIRED, .max_len = 200 },
	{ .name = "fail", .type = LN_BOOL },
	{ 0 }
};

static const ln_param_spec grant_params[] = {
	{ .name = "user", .type = LN_INT, .flags = LN_REQUIRED, .min = 1,
	  .max = 1000000000 },
	{ .name = "revoke", .type = LN_BOOL },
	{ 0 }
};

static const ln_route routes[] = {
	{ .methods = LN_GET, .pattern = "/probe/items/{id:int}", .handler = item },
	{ .methods = LN_GET, .pattern = "/probe/items/new", .handler = item_new },
	{ .methods = LN_GET, .pattern = "/probe/items/{slug:slug}", .handler = by_slug },
	{ .methods = LN_GET, .pattern = "/probe/items/export.csv",
	  .handler = item_export },
	{ .methods = LN_GET | LN_POST, .pattern = "/probe/echo", .handler = echo,
	  .params = echo_params, .flags = LN_SAFE },
	{ .methods = LN_POST, .pattern = "/probe/submit", .handler = echo,
	  .params = echo_params, .flags = LN_SAFE },
	{ .methods = LN_POST, .pattern = "/probe/items", .handler = write_item,
	  .params = write_params },
	{ .methods = LN_POST, .pattern = "/probe/write-then-fail",
	  .handler = write_then_fail, .params = write_params },
	{ .methods = LN_GET, .pattern = "/probe/items", .handler = count },
	{ .methods = LN_GET, .pattern = "/probe/fail", .handler = fails },
	{ .methods = LN_GET, .pattern = "/probe/header", .handler = teapot_header },
	{ .methods = LN_GET, .pattern = "/probe/redirect", .handler = redirect,
	  .params = redirect_params },
	{ .methods = LN_GET, .pattern = "/probe/private", .handler = item_new,
	  .access = LN_ADMIN },
	{ .methods = LN_GET, .pattern = "/probe/csrf", .handler = csrf },
	{ .methods = LN_GET, .pattern = "/probe/mine", .handler = item_new,
	  .access = LN_SIGNED_IN },
	{ .methods = LN_POST, .pattern = "/probe/objects/{key:slug}",
	  .handler = object_edit, .access = LN_EDITOR },
	{ .methods = LN_POST, .pattern = "/probe/objects/{key:slug}/editors",
	  .handler = object_grant, .access = LN_ADMIN, .params = grant_params },
	{ 0 }
};

static const ln_config_key config[] = {
	{ .name = "motto", .fallback = "probing", .help = "an optional key" },
	{ 0 }
};

LN_PLUGIN = {
	.abi_major = LN_ABI_MAJOR,
	.api_min = 2,		/* ln_csrf_token, ln_may_edit, ln_editor_grant */
	.name = "probe",
	.version = "0.0.1",
	.migrations = "tests/plugins/probe/sql",
	.data = "tests/plugins/probe",
	.config = config,
	.routes = routes,
};
