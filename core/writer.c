/*
 * writer.c - the CSV and JSON writers (see writer.h), and the SDK call that
 * tells a handler which format it is answering.
 *
 * Owns escaping for CSV cells and JSON values; does not choose formats
 * (dispatch.c) or run views (render.c). Output lives on the strbuf's
 * arena; nothing here keeps state between calls.
 */
#include "writer.h"

#include <string.h>

#include "json.h"
#include "request.h"

#define JSON_MAX_DEPTH 64

static int
is_element(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* The element's text content, "" when empty, freed by the caller with
 * xmlFree(); NULL only when out of memory (which must fail the writer: an
 * empty cell in its place would be wrong data, not a missing page). */
static xmlChar *
text_of(xmlNodePtr n)
{
	return xmlNodeGetContent(n);
}

/* The attribute's value into *value (NULL when it is absent); -1 when
 * out of memory. */
static int
attr_of(xmlNodePtr n, const char *name, xmlChar **value)
{
	*value = xmlGetProp(n, (const xmlChar *)name);
	if (*value == NULL && xmlHasProp(n, (const xmlChar *)name) != NULL)
		return -1;
	return 0;
}

/* RFC 8259: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
int
writer_is_number(const char *s)
{
	const char *p = s;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		p += strspn(p, "0123456789");
	else
		return 0;
	if (*p == '.') {
		p++;
		if (strspn(p, "0123456789") == 0)
			return 0;
		p += strspn(p, "0123456789");
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (strspn(p, "0123456789") == 0)
			return 0;
		p += strspn(p, "0123456789");
	}
	return *p == '\0';
}

/* ------------------------------------------------------------------ CSV */

static void
csv_cell(strbuf *out, const char *text, int numeric)
{
	int neutralise = !numeric && text[0] != '\0' &&
	    strchr("=+-@\t\r", text[0]) != NULL;
	const char *p;

	if (!neutralise && strpbrk(text, ",\"\r\n") == NULL) {
		strbuf_puts(out, text);
		return;
	}
	strbuf_putc(out, '"');
	if (neutralise)
		strbuf_putc(out, '\'');
	for (p = text; *p; p++) {
		if (*p == '"')
			strbuf_putc(out, '"');
		strbuf_putc(out, *p);
	}
	strbuf_putc(out, '"');
}

static int
csv_write(xmlNodePtr root, strbuf *out, const char **why)
{
	xmlNodePtr row, cell;
	xmlChar *text, *type;
	int first, numeric;

	if (root == NULL || !is_element(root, "table")) {
		*why = "the csv writer wants a <table>";
		return -1;
	}
	for (row = root->children; row != NULL; row = row->next) {
		if (row->type != XML_ELEMENT_NODE)
			continue;
		if (!is_element(row, "row")) {
			*why = "a <table> holds only <row> elements";
			return -1;
		}
		first = 1;
		for (cell = row->children; cell != NULL; cell = cell->next) {
			if (cell->type != XML_ELEMENT_NODE)
				continue;
			if (!is_element(cell, "cell")) {
				*why = "a <row> holds only <cell> elements";
				return -1;
			}
			if (!first)
				strbuf_putc(out, ',');
			first = 0;
			if ((text = text_of(cell)) == NULL ||
			    attr_of(cell, "type", &type) < 0) {
				xmlFree(text);
				*why = "out of memory";
				return -1;
			}
			numeric = type != NULL &&
			    xmlStrcmp(type, (const xmlChar *)"number") == 0 &&
			    writer_is_number((const char *)text);
			csv_cell(out, (const char *)text, numeric);
			xmlFree(type);
			xmlFree(text);
		}
		strbuf_puts(out, "\r\n");
	}
	return 0;
}

/* ----------------------------------------------------------------- JSON */

static int json_value(xmlNodePtr n, strbuf *out, int depth, const char **why);

/* The members of an object or the items of an array. */
static int
json_children(xmlNodePtr parent, strbuf *out, int named, int depth,
    const char **why)
{
	xmlNodePtr child;
	xmlChar *name;
	int first = 1;

	for (child = parent->children; child != NULL; child = child->next) {
		if (child->type == XML_TEXT_NODE && xmlIsBlankNode(child))
			continue;
		if (child->type == XML_COMMENT_NODE)
			continue;
		if (child->type != XML_ELEMENT_NODE) {
			*why = "text directly inside an <object> or <array>";
			return -1;
		}
		if (!first)
			strbuf_putc(out, ',');
		first = 0;
		if (named) {
			if (attr_of(child, "name", &name) < 0) {
				*why = "out of memory";
				return -1;
			}
			if (name == NULL) {
				*why = "a member of an <object> without name=\"...\"";
				return -1;
			}
			json_string(out, (const char *)name);
			strbuf_putc(out, ':');
			xmlFree(name);
		}
		if (json_value(child, out, depth + 1, why) < 0)
			return -1;
	}
	return 0;
}

static int
json_value(xmlNodePtr n, strbuf *out, int depth, const char **why)
{
	xmlChar *text;
	int rc = 0;

	if (depth > JSON_MAX_DEPTH) {
		*why = "json nested too deep";
		return -1;
	}
	if (is_element(n, "object")) {
		strbuf_putc(out, '{');
		rc = json_children(n, out, 1, depth, why);
		strbuf_putc(out, '}');
		return rc;
	}
	if (is_element(n, "array")) {
		strbuf_putc(out, '[');
		rc = json_children(n, out, 0, depth, why);
		strbuf_putc(out, ']');
		return rc;
	}
	if (is_element(n, "null")) {
		strbuf_puts(out, "null");
		return 0;
	}
	if (!is_element(n, "string") && !is_element(n, "number") &&
	    !is_element(n, "boolean")) {
		*why = "an element outside the json vocabulary";
		return -1;
	}
	if ((text = text_of(n)) == NULL) {
		*why = "out of memory";
		return -1;
	}
	if (is_element(n, "string"))
		json_string(out, (const char *)text);
	else if (is_element(n, "number")) {
		if (writer_is_number((const char *)text))
			strbuf_puts(out, (const char *)text);
		else {
			*why = "a <number> that is not a number";
			rc = -1;
		}
	} else if (xmlStrcmp(text, (const xmlChar *)"true") == 0 ||
	    xmlStrcmp(text, (const xmlChar *)"false") == 0)
		strbuf_puts(out, (const char *)text);
	else {
		*why = "a <boolean> that is neither true nor false";
		rc = -1;
	}
	xmlFree(text);
	return rc;
}

static int
json_write(xmlNodePtr root, strbuf *out, const char **why)
{
	if (root == NULL) {
		*why = "the json writer got an empty document";
		return -1;
	}
	if (json_value(root, out, 0, why) < 0)
		return -1;
	strbuf_putc(out, '\n');
	return 0;
}

/* --------------------------------------------------------------- table */

static const struct writer writers[] = {
	{ "csv", csv_write },
	{ "json", json_write },
};

const struct writer *
writer_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(writers) / sizeof(writers[0]); i++)
		if (strcmp(writers[i].name, name) == 0)
			return &writers[i];
	return NULL;
}

/* ------------------------------------------------------------------ SDK */

const char *
ln_format_name(ln_request *req)
{
	switch (req->format) {
	case FORMAT_XML:
		return "xml";
	case FORMAT_EXTRA:
		return req->extra_format ? req->extra_format->suffix : "html";
	default:
		return "html";
	}
}
