/*
 * fuzz_xml.c - the parser of untrusted XML (xmlsafe_parse, which is
 * ln_xml_parse in the SDK).
 *
 * Checks the contract: a document or a reason, never both; an accepted
 * document has no DTD, no entity reference left in it, and no element
 * nested deeper than the limit. Everything is freed with the arena.
 */
#include "fuzz.h"

#include <libxml/parser.h>

#include "arena.h"
#include "xmlsafe.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	xmlInitParser();
	return 0;
}

/* Walks the tree (recursively: an accepted tree is at most 128 deep). */
static void
check_node(xmlNodePtr node, size_t depth)
{
	for (; node != NULL; node = node->next) {
		FUZZ_CHECK(node->type != XML_ENTITY_REF_NODE);
		FUZZ_CHECK(node->type != XML_DTD_NODE);
		if (node->type == XML_ELEMENT_NODE) {
			FUZZ_CHECK(depth <= XMLSAFE_MAX_DEPTH);
			check_node(node->children, depth + 1);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	xmlDocPtr doc;
	arena *a;

	a = arena_create(4096);
	FUZZ_CHECK(a != NULL);
	doc = xmlsafe_parse(a, (const char *)data, size, &why);
	if (doc != NULL) {
		FUZZ_CHECK(why == NULL);
		FUZZ_CHECK(doc->intSubset == NULL && doc->extSubset == NULL);
		check_node(doc->children, 1);
	} else
		FUZZ_CHECK(why != NULL && why[0] != '\0');
	arena_destroy(a);
	return 0;
}
