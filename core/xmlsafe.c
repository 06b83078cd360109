/*
 * xmlsafe.c - parsing untrusted XML (see xmlsafe.h) and its SDK call,
 * ln_xml_parse.
 *
 * Owns the parser options and the limits, nothing else: what the document
 * means is the plugin's business. The document is handed out registered on
 * the caller's arena, so it lives exactly as long as the request. The DTD
 * is refused from the SAX internalSubset callback, which libxml2 calls
 * before it reads the first declaration of the internal subset and before
 * it would consider loading an external one: the parser is stopped there.
 */
#include "xmlsafe.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "request.h"

/*
 * No XML_PARSE_NOENT (entities stay references), no XML_PARSE_DTDLOAD,
 * DTDATTR or DTDVALID (nothing read from outside), no XML_PARSE_XINCLUDE,
 * no XML_PARSE_HUGE (libxml2 keeps its own limits on names, text and
 * depth); XML_PARSE_NONET in case anything still tried; errors are kept on
 * the context, not printed.
 */
#define XMLSAFE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | \
	XML_PARSE_NOWARNING)

struct xmlsafe_state {
	int saw_dtd;
};

static void
xmlsafe_refuse_dtd(void *ctx, const xmlChar *name, const xmlChar *external_id,
    const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct xmlsafe_state *st = ctxt->_private;

	(void)name;
	(void)external_id;
	(void)system_id;
	st->saw_dtd = 1;
	xmlStopParser(ctxt);
}

/* Whether any element of doc is nested deeper than max. Iterative: the
 * tree may be as deep as libxml2's own limit. */
static int
xmlsafe_too_deep(xmlDocPtr doc, size_t max)
{
	xmlNodePtr node = doc->children;
	size_t depth = 1;

	while (node != NULL) {
		if (node->type == XML_ELEMENT_NODE && depth > max)
			return 1;
		if (node->children != NULL && node->type == XML_ELEMENT_NODE) {
			node = node->children;
			depth++;
			continue;
		}
		while (node != NULL && node->next == NULL) {
			node = node->parent;
			depth--;
			if (node == NULL || node->type == XML_DOCUMENT_NODE)
				return 0;
		}
		if (node != NULL)
			node = node->next;
	}
	return 0;
}

static void
xmlsafe_doc_free(void *doc)
{
	xmlFreeDoc(doc);
}

xmlDocPtr
xmlsafe_parse(arena *a, const char *data, size_t len, const char **why)
{
	struct xmlsafe_state st = { 0 };
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	const xmlError *error;

	*why = NULL;
	if (data == NULL || len == 0) {
		*why = "the XML document is empty";
		goto done;
	}
	if (len > XMLSAFE_MAX_BYTES) {
		*why = "the XML document is too large";
		goto done;
	}
	if ((ctxt = xmlNewParserCtxt()) == NULL) {
		*why = "out of memory";
		goto done;
	}
	/* The context's SAX handler is its own copy: changing it is local. */
	ctxt->sax->internalSubset = xmlsafe_refuse_dtd;
	ctxt->sax->externalSubset = NULL;
	ctxt->_private = &st;
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL,
	    XMLSAFE_OPTIONS);
	if (st.saw_dtd || (doc != NULL && (doc->intSubset != NULL ||
	    doc->extSubset != NULL))) {
		*why = "a document type declaration (DTD) is not accepted";
		goto done;
	}
	if (doc == NULL || !ctxt->wellFormed) {
		error = xmlCtxtGetLastError(ctxt);
		*why = error != NULL && error->message != NULL ?
		    arena_printf(a, "the XML is not well-formed: line %d: %.*s",
		    error->line, (int)strcspn(error->message, "\n"),
		    error->message) : NULL;
		if (*why == NULL)
			*why = "the XML is not well-formed";
		goto done;
	}
	if (xmlsafe_too_deep(doc, XMLSAFE_MAX_DEPTH)) {
		*why = "the XML document is nested too deeply";
		goto done;
	}
	if (arena_cleanup(a, xmlsafe_doc_free, doc) < 0) {
		doc = NULL;		/* freed by arena_cleanup */
		*why = "out of memory";
		goto done;
	}
done:
	if (*why != NULL && doc != NULL) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	if (ctxt != NULL)
		xmlFreeParserCtxt(ctxt);
	return doc;
}

xmlDocPtr
ln_xml_parse(ln_request *req, const char *data, size_t len)
{
	const char *why = NULL;
	xmlDocPtr doc;

	doc = xmlsafe_parse(req->arena, data, len, &why);
	if (doc == NULL)
		req->error = why;
	return doc;
}
