/*
 * writer.h - the core's output writers for formats other than HTML and XML.
 *
 * A route declares a format (labnet.h, ln_format): a suffix, a media type,
 * a writer named here, and a view. The view turns the handler's document
 * into the small neutral vocabulary the writer reads; the writer escapes
 * for its context. Vocabularies:
 *
 *   csv   <table><row><cell>text</cell><cell type="number">-3.5</cell>
 *         </row>...</table>             RFC 4180, CRLF, the first row is
 *         the header; a text cell starting with = + - @ TAB or CR gets a
 *         leading ' (spreadsheet formula injection); a number cell that
 *         is not a number is treated as text.
 *   json  one value: <object> (children carry name="..."), <array>,
 *         <string>, <number>, <boolean>true|false</boolean>, <null/>;
 *         whitespace between elements is ignored. RFC 8259, UTF-8.
 *         GeoJSON (RFC 7946) is this writer with a view that builds it.
 *
 * Writers are stateless; their output goes into a strbuf on the request
 * arena. A document outside the vocabulary is a bug in the view: the
 * writer fails with a reason and the request answers 500.
 */
#ifndef LABNET_WRITER_H
#define LABNET_WRITER_H

#include <libxml/tree.h>

#include "strbuf.h"

struct writer {
	const char *name;
	/* Append the serialisation of root to out; 0, or -1 with *why set. */
	int (*write)(xmlNodePtr root, strbuf *out, const char **why);
};

/* The writer named name, or NULL. */
const struct writer *writer_find(const char *name);

/* Exposed for the unit tests: whether s is a JSON number (RFC 8259). */
int writer_is_number(const char *s);

#endif
