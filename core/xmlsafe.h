/*
 * xmlsafe.h - the one way untrusted XML is parsed (ln_xml_parse in the SDK).
 *
 * Untrusted XML (an upload, a harvested record, a request body) is parsed
 * here and nowhere else: no network, no DTD of any kind (a document type
 * declaration is refused before its first declaration is read, so no
 * external entity, no entity expansion, no billion laughs), bounded in size
 * and nesting depth. Other libxml2 parse calls are for start-up only
 * (compiling views), which tools/check-static enforces.
 */
#ifndef LABNET_XMLSAFE_H
#define LABNET_XMLSAFE_H

#include <stddef.h>

#include <libxml/tree.h>

#include "arena.h"

#define XMLSAFE_MAX_BYTES	(4u * 1024 * 1024)	/* larger input: refused */
#define XMLSAFE_MAX_DEPTH	128	/* deeper element nesting: refused */

/*
 * Parses data[0..len) into a document registered on a (freed when a is
 * destroyed). On refusal returns NULL with a static or arena-owned reason in
 * *why: too large, not well-formed (with the line), a DTD, too deep, or out
 * of memory.
 */
xmlDocPtr xmlsafe_parse(arena *a, const char *data, size_t len,
    const char **why);

#endif
