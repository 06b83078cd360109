/*
 * render.c - from the handler's XML document to the bytes of a response.
 *
 * Owns view compilation (once, at load), the XSLT environment (security
 * preferences that forbid file and network access, the `labnet:` scheme for
 * importing core views, the ln:t and ln:url extension functions), error
 * documents, the response headers (type, security, caching, ETag/304) and
 * the SDK calls that build documents. Does not decide routing or format:
 * dispatch.c sets req->format before calling render_respond().
 */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/xpathInternals.h>
#include <libxslt/documents.h>
#include <libxslt/extensions.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/variables.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>
#include <libexslt/exslt.h>
#include <sodium.h>

#include "cache.h"
#include "i18n.h"
#include "log.h"
#include "site.h"
#include "strbuf.h"
#include "url.h"
#include "writer.h"
#include "xmlmem.h"

#define LN_XSLT_NS (const xmlChar *)"urn:labnet:xslt"

static xsltSecurityPrefsPtr render_prefs;
static xsltDocLoaderFunc render_default_loader;
static char render_core_views[4096];

static const struct {
	int status;
	const char *reason;
} render_reasons[] = {
	{ 200, "OK" }, { 201, "Created" }, { 204, "No Content" },
	{ 301, "Moved Permanently" }, { 302, "Found" }, { 303, "See Other" },
	{ 304, "Not Modified" }, { 307, "Temporary Redirect" },
	{ 308, "Permanent Redirect" }, { 400, "Bad Request" },
	{ 401, "Unauthorized" }, { 403, "Forbidden" }, { 404, "Not Found" },
	{ 405, "Method Not Allowed" }, { 409, "Conflict" }, { 410, "Gone" },
	{ 413, "Content Too Large" }, { 414, "URI Too Long" },
	{ 415, "Unsupported Media Type" }, { 422, "Unprocessable Content" },
	{ 429, "Too Many Requests" }, { 500, "Internal Server Error" },
	{ 501, "Not Implemented" }, { 502, "Bad Gateway" },
	{ 503, "Service Unavailable" },
};

/* Every response carries these, errors included. */
static const char *const render_security_headers[][2] = {
	{ "Content-Security-Policy", "default-src 'self'; script-src 'self'; "
	    "style-src 'self'; img-src 'self' data:; object-src 'none'; "
	    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "Referrer-Policy", "strict-origin-when-cross-origin" },
	{ "X-Frame-Options", "DENY" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
};

const char *
render_reason(int status)
{
	size_t i;

	for (i = 0; i < sizeof(render_reasons) / sizeof(render_reasons[0]); i++)
		if (render_reasons[i].status == status)
			return render_reasons[i].reason;
	return "Unknown";
}

/* ---------------------------------------------------- XSLT environment */

static struct ln_request *
xpath_request(xmlXPathParserContextPtr ctxt)
{
	xsltTransformContextPtr tctxt = xsltXPathGetTransformContext(ctxt);

	return tctxt ? tctxt->_private : NULL;
}

/* ln:t('key', arg1, ...): the message in the request's language. A value
 * that cannot be made (out of memory) fails the transform, rather than
 * putting the bare key or an unformatted message on the page. */
static void
xslt_translate(xmlXPathParserContextPtr ctxt, int nargs)
{
	struct ln_request *req = xpath_request(ctxt);
	const char *args[9], *message;
	xmlXPathObjectPtr objs[10];
	char *out = NULL;
	xmlChar *key;
	int i, failed = 0;

	if (nargs < 1 || nargs > 10 || req == NULL) {
		xmlXPathSetArityError(ctxt);
		return;
	}
	for (i = nargs - 1; i >= 0; i--)
		objs[i] = valuePop(ctxt);
	if ((key = xmlXPathCastToString(objs[0])) == NULL)
		failed = 1;
	for (i = 1; i < nargs; i++)
		if ((args[i - 1] = (const char *)xmlXPathCastToString(objs[i])) == NULL)
			failed = 1;
	if (!failed) {
		message = i18n_get(req->site->messages, req->lang,
		    (const char *)key);
		if (message == NULL) {
			log_warnx("no message for key \"%s\"", (const char *)key);
			message = (const char *)key;
		}
		if (i18n_format(req->arena, message, args, (size_t)(nargs - 1),
		    &out) < 0 || out == NULL)
			failed = 1;
	}
	/* valuePush() of NULL (no memory for the string) is an error too. */
	if (failed)
		xmlXPathErr(ctxt, XPATH_MEMORY_ERROR);
	else
		valuePush(ctxt, xmlXPathNewString((const xmlChar *)out));
	xmlFree(key);
	for (i = 1; i < nargs; i++)
		xmlFree((void *)args[i - 1]);
	for (i = 0; i < nargs; i++)
		xmlXPathFreeObject(objs[i]);
}

/* ln:url('/path'): absolute URL of a local path in the request's language. */
static void
xslt_url(xmlXPathParserContextPtr ctxt, int nargs)
{
	struct ln_request *req = xpath_request(ctxt);
	const char *url;
	xmlChar *path;

	if (nargs != 1 || req == NULL) {
		xmlXPathSetArityError(ctxt);
		return;
	}
	path = xmlXPathPopString(ctxt);
	url = path ? ln_url(req, (const char *)path) : NULL;
	if (url == NULL)
		xmlXPathErr(ctxt, XPATH_MEMORY_ERROR);
	else
		valuePush(ctxt, xmlXPathNewString((const xmlChar *)url));
	xmlFree(path);
}

/* ln:csrf(): the session's CSRF token for a form's hidden csrf field. It
 * starts a pre-login session when there is none, and the page is then
 * session-dependent (private, no-store). */
static void
xslt_csrf(xmlXPathParserContextPtr ctxt, int nargs)
{
	struct ln_request *req = xpath_request(ctxt);
	const char *token;

	if (nargs != 0 || req == NULL) {
		xmlXPathSetArityError(ctxt);
		return;
	}
	/* A form without its token would only fail when sent. */
	if ((token = ln_csrf_token(req)) == NULL)
		xmlXPathErr(ctxt, XPATH_MEMORY_ERROR);
	else
		valuePush(ctxt, xmlXPathNewString((const xmlChar *)token));
}

/*
 * Views are loaded only while compiling: labnet:name.xsl resolves to the
 * core's views, other imports relative to the view. document() at transform
 * time loads nothing.
 */
static xmlDocPtr
render_loader(const xmlChar *uri, xmlDictPtr dict, int options, void *ctxt,
    xsltLoadType type)
{
	const char *s = (const char *)uri;
	char path[4200];

	if (type == XSLT_LOAD_DOCUMENT)
		return NULL;
	options |= XML_PARSE_NONET;
	options &= ~(XML_PARSE_NOENT | XML_PARSE_DTDLOAD);
	if (strncmp(s, "labnet:", 7) == 0) {
		s += 7;
		if (strchr(s, '/') != NULL || strstr(s, "..") != NULL || *s == '\0')
			return NULL;
		snprintf(path, sizeof(path), "%s/%s", render_core_views, s);
		return render_default_loader((const xmlChar *)path, dict, options,
		    ctxt, type);
	}
	return render_default_loader(uri, dict, options, ctxt, type);
}

int
render_global_init(const char *core_views)
{
	static const xsltSecurityOption forbidden[] = {
		XSLT_SECPREF_READ_FILE, XSLT_SECPREF_WRITE_FILE,
		XSLT_SECPREF_CREATE_DIRECTORY, XSLT_SECPREF_READ_NETWORK,
		XSLT_SECPREF_WRITE_NETWORK,
	};
	size_t i;

	if (snprintf(render_core_views, sizeof(render_core_views), "%s",
	    core_views) >= (int)sizeof(render_core_views))
		return -1;
	if (render_prefs != NULL)
		return 0;
	xmlInitParser();
	/* Never load an external DTD or expand entities from any input. */
	xmlSubstituteEntitiesDefault(0);
	xmlLoadExtDtdDefaultValue = 0;
	exsltRegisterAll();
	render_default_loader = xsltDocDefaultLoader;
	xsltSetLoaderFunc(render_loader);
	render_prefs = xsltNewSecurityPrefs();
	if (render_prefs == NULL)
		return -1;
	for (i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]); i++)
		xsltSetSecurityPrefs(render_prefs, forbidden[i], xsltSecurityForbid);
	/* Per transform only (body_html): compiling views may import. */
	if (xsltRegisterExtModuleFunction((const xmlChar *)"t", LN_XSLT_NS,
	    xslt_translate) < 0 ||
	    xsltRegisterExtModuleFunction((const xmlChar *)"url", LN_XSLT_NS,
	    xslt_url) < 0 ||
	    xsltRegisterExtModuleFunction((const xmlChar *)"csrf", LN_XSLT_NS,
	    xslt_csrf) < 0)
		return -1;
	return 0;
}

static void
stylesheet_free(void *style)
{
	xsltFreeStylesheet(style);
}

void *
render_compile(arena *a, const char *path, char *err, size_t errlen)
{
	xsltStylesheetPtr style;
	xmlDocPtr doc;

	doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	if (doc == NULL) {
		snprintf(err, errlen, "%s: view is missing or not well-formed XML", path);
		return NULL;
	}
	style = xsltParseStylesheetDoc(doc);
	if (style == NULL || style->errors > 0) {
		if (style != NULL)
			xsltFreeStylesheet(style);
		else
			xmlFreeDoc(doc);
		snprintf(err, errlen, "%s: view does not compile (see the errors above)",
		    path);
		return NULL;
	}
	if (arena_cleanup(a, stylesheet_free, style) < 0) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return style;
}

/* ------------------------------------------------------------ documents */

/*
 * Free doc. When it was built on the request's arena (xmlmem.h), every
 * node of its tree is arena memory, and so is every node added to it
 * later in the request: the tree is cut off first, so that xmlFreeDoc()
 * releases only what the document holds outside its nodes (its ID table
 * and DTD, and its reference on a dictionary, which a transform's result
 * shares with the stylesheet's) instead of walking thousands of nodes to
 * free nothing: 5% of a /labs page. A document made on the heap (no
 * request running) is freed whole.
 */
static void
render_doc_free(xmlDocPtr doc)
{
	if (doc != NULL && xmlmem_in_arena(doc)) {
		doc->children = NULL;
		doc->last = NULL;
	}
	xmlFreeDoc(doc);
}

static void
doc_free(void *doc)
{
	render_doc_free(doc);
}

/*
 * A node or attribute that could not be added (out of memory) marks its
 * document incomplete, whether or not the handler checks what ln_xml_*
 * returned, and render_body() answers 500 instead of a page with a hole
 * in it: SQLite's sticky error, checked once at the end. The mark is the
 * document's _private, which nothing else in the core or the SDK uses.
 */
static char render_incomplete;

static void
doc_incomplete(xmlNodePtr node)
{
	if (node != NULL && node->doc != NULL)
		node->doc->_private = &render_incomplete;
}

xmlDocPtr
ln_doc(ln_request *req, const char *root_name)
{
	xmlNodePtr root;
	xmlDocPtr doc;

	if (req->doc != NULL)
		return req->doc;
	doc = xmlNewDoc((const xmlChar *)"1.0");
	if (doc == NULL || arena_cleanup(req->arena, doc_free, doc) < 0)
		return NULL;
	root = xmlNewDocNode(doc, NULL, (const xmlChar *)root_name, NULL);
	if (root == NULL)
		return NULL;
	xmlDocSetRootElement(doc, root);
	req->doc = doc;
	return doc;
}

/*
 * Whether the character at s (left bytes remain) may stand in XML 1.0; *len
 * is its length, or 1 for a byte that starts no UTF-8 sequence. C0
 * controls but TAB, LF and CR, U+FFFE and U+FFFF, and bytes that are not
 * UTF-8 may not.
 */
static int
xml_char(const unsigned char *s, size_t left, size_t *len)
{
	size_t n;

	*len = 1;
	if (s[0] < 0x80)
		return s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' ||
		    s[0] == '\r';
	n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
	if (n > left || !url_utf8_valid((const char *)s, n))
		return 0;
	*len = n;
	return !(n == 3 && s[0] == 0xEF && s[1] == 0xBF && s[2] >= 0xBE);
}

/*
 * Text for the document: a value from a database row, an upload or a
 * truncated message may hold what XML cannot carry, and one such character
 * would make the whole response ill-formed. Sets *copy to NULL when s is
 * fine as it is (the usual case), else to a copy (freed by the caller with
 * free()) where each offending character or stray byte is U+FFFD. -1 on OOM.
 */
static int
xml_clean(const char *s, char **copy)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k, out;
	char *buf;

	*copy = NULL;
	/* Printable ASCII, most of every text, needs no decoding: a byte
	 * compare instead of a call to xml_char() per character. */
	while (i < n) {
		if (p[i] >= 0x20 && p[i] < 0x80)
			i++;
		else if (xml_char(p + i, n - i, &k))
			i += k;
		else
			break;
	}
	if (i == n)
		return 0;
	if ((buf = malloc(n * 3 + 1)) == NULL)
		return -1;
	memcpy(buf, s, i);
	out = i;
	while (i < n) {
		if (xml_char(p + i, n - i, &k)) {
			memcpy(buf + out, s + i, k);
			out += k;
		} else {
			memcpy(buf + out, "\xEF\xBF\xBD", 3);
			out += 3;
		}
		i += k;
	}
	buf[out] = '\0';
	*copy = buf;
	return 0;
}

xmlNodePtr
ln_xml_text(xmlNodePtr parent, const char *name, const char *text)
{
	xmlNodePtr node;
	char *copy;

	if (parent == NULL || text == NULL)
		return NULL;
	if (xml_clean(text, &copy) < 0) {
		doc_incomplete(parent);
		return NULL;
	}
	/* xmlNewTextChild escapes; xmlNewChild would take text as markup. */
	node = xmlNewTextChild(parent, NULL, (const xmlChar *)name,
	    (const xmlChar *)(copy ? copy : text));
	free(copy);
	if (node == NULL)
		doc_incomplete(parent);
	return node;
}

xmlNodePtr
ln_xml_elem(xmlNodePtr parent, const char *name)
{
	xmlNodePtr node;

	if (parent == NULL)
		return NULL;
	node = xmlNewChild(parent, NULL, (const xmlChar *)name, NULL);
	if (node == NULL)
		doc_incomplete(parent);
	return node;
}

int
ln_xml_attr(xmlNodePtr node, const char *name, const char *value)
{
	xmlAttrPtr attr;
	char *copy;

	if (node == NULL)
		return LN_EINVAL;
	if (value == NULL)
		return 0;
	if (xml_clean(value, &copy) < 0) {
		doc_incomplete(node);
		return LN_ENOMEM;
	}
	attr = xmlSetProp(node, (const xmlChar *)name,
	    (const xmlChar *)(copy ? copy : value));
	free(copy);
	if (attr == NULL) {
		doc_incomplete(node);
		return LN_ENOMEM;
	}
	return 0;
}

const char *
ln_url(ln_request *req, const char *path)
{
	const char *base = req->site->config->base_url;
	size_t nbase, nlang, npath;
	char *url;

	if (path == NULL || path[0] != '/')
		path = "/";
	/* Three copies, not arena_printf(): its two vsnprintf() passes were
	 * most of an ln:url() call, and a page makes dozens of them. */
	nbase = strlen(base);
	nlang = strlen(req->lang);
	npath = strlen(path);
	url = arena_alloc(req->arena, nbase + 1 + nlang + npath + 1);
	if (url != NULL) {
		memcpy(url, base, nbase);
		url[nbase] = '/';
		memcpy(url + nbase + 1, req->lang, nlang);
		memcpy(url + nbase + 1 + nlang, path, npath + 1);
	}
	return request_oom(req, url);
}

int
ln_redirect(ln_request *req, int status, const char *location)
{
	const char *target;
	size_t base_len;

	if (status != 301 && status != 302 && status != 303 && status != 307 &&
	    status != 308)
		status = 303;
	if (location == NULL || strpbrk(location, "\r\n") != NULL)
		return ln_fail(req, 500, "bad redirect target");
	base_len = strlen(req->site->config->base_url);
	/* "/x" is made absolute under base_url; "//host/x" and "/\\host"
	 * (browsers read a backslash as a slash) mean another host and are
	 * refused. An absolute URL must be base_url itself or go on with a
	 * path, query or fragment: base_url followed by ".evil.example" or
	 * "@evil.example" names another host. */
	if (location[0] == '/' && location[1] != '/' && location[1] != '\\')
		target = arena_printf(req->arena, "%s%s",
		    req->site->config->base_url, location);
	else if (strncmp(location, req->site->config->base_url, base_len) == 0 &&
	    (location[base_len] == '\0' ||
	    strchr("/?#", location[base_len]) != NULL))
		target = location;
	else
		return ln_fail(req, 500, "redirect outside the site refused");
	/* A Location header carries no raw spaces, controls or non-ASCII. */
	if (target != NULL)
		target = url_escape_unsafe(req->arena, target);
	if (target == NULL)
		return ln_fail(req, 500, "out of memory");
	req->status = status;
	req->location = target;
	return 0;
}

/* <error status="404"><message>...</message></error> on a fresh document. */
static int
error_document(struct ln_request *req)
{
	char status[8];
	xmlNodePtr root;
	const char *message = req->error;

	req->doc = NULL;
	if (ln_doc(req, "error") == NULL)
		return -1;
	root = xmlDocGetRootElement(req->doc);
	snprintf(status, sizeof(status), "%d", req->status);
	ln_xml_attr(root, "status", status);
	/* Internals stay in the log; a 5xx page says only what happened. */
	if (req->status < 500 && message != NULL)
		ln_xml_text(root, "message", message);
	return 0;
}

/* ------------------------------------------------------------- response */

struct body {
	const char *prefix;		/* "<!DOCTYPE html>\n" or "" */
	const char *data;
	size_t len;
};

static void
xml_free(void *p)
{
	xmlFree(p);
}

static int
body_xml(struct ln_request *req, struct body *b)
{
	xmlChar *buf = NULL;
	int len = 0;

	xmlDocDumpFormatMemoryEnc(req->doc, &buf, &len, "UTF-8", 0);
	if (buf == NULL || arena_cleanup(req->arena, xml_free, buf) < 0)
		return -1;
	b->prefix = "";
	b->data = (const char *)buf;
	b->len = (size_t)len;
	return 0;
}

/*
 * Run view over the request's document with the parameters every view gets
 * (with_user adds the signed-in user's: an export is the same for everyone
 * and does not get them). Whatever it leaves in *tctxt and *result, on
 * failure too, is the caller's to free, the result before the context.
 */
static int
render_transform(struct ln_request *req, xsltStylesheetPtr view, int with_user,
    xsltTransformContextPtr *tctxt, xmlDocPtr *result)
{
	const ln_user *user = with_user ? ln_user_get(req) : NULL;
	const char *params[17];
	char status[8];
	size_t n = 0;

	*tctxt = NULL;
	*result = NULL;
	snprintf(status, sizeof(status), "%d", req->status);
	params[n++] = "ln-lang";
	params[n++] = req->lang;
	params[n++] = "ln-base";
	params[n++] = req->site->config->base_url;
	params[n++] = "ln-path";
	params[n++] = req->path;
	params[n++] = "ln-query";
	params[n++] = req->query;
	params[n++] = "ln-status";
	params[n++] = status;
	params[n++] = "ln-plugins";
	params[n++] = req->site->plugin_names;
	if (with_user) {
		params[n++] = "ln-user";
		params[n++] = user ? user->name : "";
		params[n++] = "ln-role";
		params[n++] = user ? user->role : "";
	}
	params[n] = NULL;
	if ((*tctxt = xsltNewTransformContext(view, req->doc)) == NULL)
		return -1;
	(*tctxt)->_private = req;
	xsltSetCtxtSecurityPrefs(render_prefs, *tctxt);
	/* Quoted: the values are strings, never XPath. */
	if (xsltQuoteUserParams(*tctxt, params) != 0)
		return -1;
	*result = xsltApplyStylesheetUser(view, req->doc, NULL, NULL, NULL,
	    *tctxt);
	if (*result == NULL || (*tctxt)->state == XSLT_STATE_ERROR)
		return -1;
	return 0;
}

static int
body_html(struct ln_request *req, xsltStylesheetPtr view, struct body *b)
{
	xsltTransformContextPtr tctxt = NULL;
	xmlDocPtr result = NULL;
	xmlChar *buf = NULL;
	int len = 0, rc = -1;

	if (render_transform(req, view, 1, &tctxt, &result) < 0)
		goto done;
	if (xsltSaveResultToString(&buf, &len, result, view) < 0 || buf == NULL)
		goto done;
	if (arena_cleanup(req->arena, xml_free, buf) < 0)
		goto done;
	b->prefix = "<!DOCTYPE html>\n";
	b->data = (const char *)buf;
	b->len = (size_t)len;
	rc = 0;
done:
	if (result != NULL)
		render_doc_free(result);
	if (tctxt != NULL)
		xsltFreeTransformContext(tctxt);
	return rc;
}

/*
 * A declared format (FORMAT_EXTRA): the format's view turns the handler's
 * document into the writer's vocabulary (writer.h) and the writer
 * serialises it; without a view the writer reads the document itself. The
 * view gets the same parameters and extension functions as an HTML view,
 * less the session's (an export is the same for everyone).
 */
static int
body_extra(struct ln_request *req, struct body *b, const char **type)
{
	const ln_format *f = req->extra_format;
	const struct writer *w = writer_find(f->writer);
	const char *why = "no such writer";
	xsltTransformContextPtr tctxt = NULL;
	xsltStylesheetPtr view = NULL;
	xmlDocPtr result = NULL, input = req->doc;
	strbuf out;
	int rc = -1;

	if (req->route->format_views != NULL)
		view = req->route->format_views[f - req->route->route->formats];
	if (w == NULL)
		goto done;
	if (view != NULL) {
		why = "the format's view failed";
		if (render_transform(req, view, 0, &tctxt, &result) < 0)
			goto done;
		input = result;
	}
	strbuf_init(&out, req->arena, 0);
	if (w->write(xmlDocGetRootElement(input), &out, &why) < 0)
		goto done;
	why = "out of memory";
	if (strbuf_failed(&out))
		goto done;
	*type = f->media_type;
	if (strncmp(f->media_type, "text/", 5) == 0 &&
	    strstr(f->media_type, "charset") == NULL &&
	    (*type = arena_printf(req->arena, "%s; charset=utf-8",
	    f->media_type)) == NULL)
		goto done;
	b->prefix = "";
	b->data = out.len ? strbuf_str(&out) : "";
	b->len = out.len;
	rc = 0;
done:
	if (rc < 0)
		log_errx("%s: the %s writer failed: %s", req->path, f->writer, why);
	if (result != NULL)
		render_doc_free(result);
	if (tctxt != NULL)
		xsltFreeTransformContext(tctxt);
	return rc;
}

/* Whether If-None-Match lists etag (or is "*"). */
static int
etag_matches(const char *header, const char *etag)
{
	const char *p = header;
	size_t len = strlen(etag);

	if (header == NULL)
		return 0;
	while (*p) {
		p += strspn(p, " \t,");
		if (*p == '*')
			return 1;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, len) == 0 &&
		    (p[len] == '\0' || p[len] == ',' || p[len] == ' '))
			return 1;
		p += strcspn(p, ",");
	}
	return 0;
}

static const char *
etag_of(struct ln_request *req, const struct body *b)
{
	unsigned char hash[16];
	char hex[33];
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, sizeof(hash));
	crypto_generichash_update(&st, (const unsigned char *)b->prefix,
	    strlen(b->prefix));
	crypto_generichash_update(&st, (const unsigned char *)b->data, b->len);
	crypto_generichash_final(&st, hash, sizeof(hash));
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
	return arena_printf(req->arena, "\"%s\"", hex);
}

/* Pick the view and produce the body; falls back to an error page. */
static int
render_body(struct ln_request *req, struct body *b, const char **type)
{
	xsltStylesheetPtr view = NULL;

	if (req->status < 400 && req->doc != NULL &&
	    req->doc->_private == &render_incomplete)
		request_fail(req, 500, "out of memory while building the document");
	if (req->status >= 400 || req->doc == NULL) {
		if (req->status < 400)
			request_fail(req, 500, "the handler produced no document");
		if (error_document(req) < 0)
			return -1;
		view = req->site->error_view;
	} else if (req->route != NULL)
		view = req->route->view;
	if (req->format == FORMAT_XML || view == NULL) {
		*type = "application/xml; charset=utf-8";
		return body_xml(req, b);
	}
	if (req->format == FORMAT_EXTRA && view != req->site->error_view) {
		if (body_extra(req, b, type) == 0)
			return 0;
		request_fail(req, 500, "the page could not be written as %s",
		    req->extra_format->suffix);
		if (error_document(req) < 0)
			return -1;
		*type = "text/html; charset=utf-8";
		return body_html(req, req->site->error_view, b);
	}
	*type = "text/html; charset=utf-8";
	if (body_html(req, view, b) == 0)
		return 0;
	log_errx("view of %s failed to render", req->path);
	if (req->status >= 400 && view == req->site->error_view)
		return -1;
	/* A 503 from the database, met by ln:csrf() starting a session,
	 * stays: the visitor should retry, not report a bug. */
	request_fail(req, req->status >= 500 ? req->status : 500,
	    "the page could not be rendered");
	if (error_document(req) < 0)
		return -1;
	return body_html(req, req->site->error_view, b);
}

static void
header_put(strbuf *out, const char *name, const char *value)
{
	strbuf_puts(out, name);
	strbuf_puts(out, ": ");
	strbuf_puts(out, value);
	strbuf_puts(out, "\r\n");
}

/* Whether a response header of req sets a cookie. */
static int
render_sets_cookie(const struct ln_request *req)
{
	const struct req_pair *h;

	for (h = req->out_headers; h != NULL; h = h->next)
		if (strcasecmp(h->name, "Set-Cookie") == 0)
			return 1;
	return 0;
}

/* Whether the render cache may keep this response (a public page made
 * for a visitor, which depends on nothing but its key and the data). */
static int
render_storable(const struct ln_request *req)
{
	return req->cache_key != NULL && !req->no_store &&
	    !req->depends_on_session && !render_sets_cookie(req);
}

/* The response from a render cache entry: 304 when If-None-Match names
 * its ETag, no body for HEAD. Nothing is formatted but the length: this
 * is the path of every repeat view. */
static int
render_cached(struct ln_request *req, render_write_fn write, void *ctx)
{
	static const char ok[] = "Status: 200 OK\r\n";
	static const char not_modified[] = "Status: 304 Not Modified\r\n";
	const struct cache_entry *c = req->cached;
	char length[48], *p = length + sizeof(length);
	size_t n = c->body_len;

	if (etag_matches(request_header(req, "if-none-match"), c->etag)) {
		req->status = 304;
		if (write(ctx, not_modified, sizeof(not_modified) - 1) < 0 ||
		    write(ctx, c->head, c->head_len) < 0)
			return -1;
		return write(ctx, "\r\n", 2) < 0 ? -1 : 0;
	}
	/* "Content-Length: <n>\r\n\r\n", written from the end. */
	*--p = '\n';
	*--p = '\r';
	*--p = '\n';
	*--p = '\r';
	do
		*--p = (char)('0' + n % 10);
	while ((n /= 10) > 0);
	p -= sizeof("Content-Length: ") - 1;
	memcpy(p, "Content-Length: ", sizeof("Content-Length: ") - 1);
	if (write(ctx, ok, sizeof(ok) - 1) < 0 ||
	    write(ctx, c->head, c->head_len) < 0 ||
	    write(ctx, p, (size_t)(length + sizeof(length) - p)) < 0)
		return -1;
	if (!req->is_head && c->body_len > 0 &&
	    write(ctx, c->body, c->body_len) < 0)
		return -1;
	return 0;
}

int
render_respond(struct ln_request *req, render_write_fn write, void *ctx)
{
	static const char fallback[] = "Status: 500 Internal Server Error\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "Referrer-Policy: strict-origin-when-cross-origin\r\n"
	    "Cache-Control: no-store\r\n\r\nInternal Server Error\n";
	struct body b = { "", "", 0 };
	const struct req_pair *h;
	const char *type = "text/plain; charset=utf-8", *etag = NULL;
	int with_body = 1, public_page, storable;
	struct cache_entry kept;
	size_t i, head_start, head_end;
	strbuf out;

	if (req->cached != NULL)
		return render_cached(req, write, ctx);
	if (req->raw_body != NULL && req->status < 400 && req->location == NULL) {
		b.data = req->raw_body;
		b.len = req->raw_len;
		type = req->raw_type;
	} else if (req->location == NULL && render_body(req, &b, &type) < 0)
		goto fallback;
	public_page = req->status == 200 && !req->depends_on_session &&
	    !(req->route && (req->route->route->flags & LN_SESSION)) &&
	    (req->method_bit & LN_GET);
	storable = public_page && render_storable(req);
	if (public_page) {
		etag = etag_of(req, &b);
		if (etag != NULL && etag_matches(request_header(req, "if-none-match"), etag)) {
			req->status = 304;
			with_body = 0;
		}
	}
	if (req->is_head || req->location != NULL)
		with_body = 0;

	strbuf_init(&out, req->arena, 0);
	strbuf_printf(&out, "Status: %d %s\r\n", req->status,
	    render_reason(req->status));
	head_start = out.len;
	if (req->location == NULL)
		header_put(&out, "Content-Type", type);
	else {
		header_put(&out, "Location", req->location);
		type = NULL;
	}
	for (i = 0; i < sizeof(render_security_headers) /
	    sizeof(render_security_headers[0]); i++)
		header_put(&out, render_security_headers[i][0],
		    render_security_headers[i][1]);
	header_put(&out, "Content-Language", req->lang);
	header_put(&out, "Vary", req->lang_in_path ? "Accept" :
	    "Accept, Accept-Language, Cookie");
	if (public_page) {
		header_put(&out, "Cache-Control", "no-cache");
		if (etag != NULL)
			header_put(&out, "ETag", etag);
	} else if (req->status < 400 && req->location == NULL)
		header_put(&out, "Cache-Control", "private, no-store");
	else
		header_put(&out, "Cache-Control", "no-store");
	if (req->status == 503)
		header_put(&out, "Retry-After", "5");
	for (h = req->out_headers; h != NULL; h = h->next)
		header_put(&out, h->name, h->value);
	head_end = out.len;
	if (req->status != 304 && req->location == NULL)
		strbuf_printf(&out, "Content-Length: %zu\r\n",
		    strlen(b.prefix) + b.len);
	else if (req->location != NULL)
		strbuf_puts(&out, "Content-Length: 0\r\n");
	strbuf_puts(&out, "\r\n");
	if (strbuf_failed(&out))
		goto fallback;
	if (storable && etag != NULL) {
		kept.etag = etag;
		kept.head = out.data + head_start;
		kept.head_len = head_end - head_start;
		kept.body = b.data;
		kept.body_len = b.len;
		cache_put(req->cache_key, req->cache_key_len, req->cache_version,
		    &kept, b.prefix);
	}
	if (write(ctx, out.data, out.len) < 0)
		return -1;
	if (with_body && req->status != 304) {
		if (b.prefix[0] && write(ctx, b.prefix, strlen(b.prefix)) < 0)
			return -1;
		if (b.len && write(ctx, b.data, b.len) < 0)
			return -1;
	}
	return 0;
fallback:
	log_errx("could not build a response; answering a bare 500");
	req->status = 500;
	return write(ctx, fallback, sizeof(fallback) - 1) < 0 ? -1 : 0;
}
