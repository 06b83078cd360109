/*
 * test_xmlsafe.c - unit tests for core/xmlsafe.c, the one parser of
 * untrusted XML (ln_xml_parse): the classic attacks (external entities
 * reading a local file or a URL, billion laughs, parameter entities, deep
 * nesting, oversize input) must all be refused without their effect, and
 * ordinary documents must parse. Scenario documents first, tests after.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <libxml/parser.h>

#include "arena.h"
#include "request.h"
#include "xmlsafe.h"

/* ------------------------------------------------------------ scenarios */

static const char doc_plain[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<record id=\"7\"><title>Fab &amp; Lab \xc3\xa4</title>"
	"<![CDATA[<not markup>]]><!-- note --><?pi x?></record>\n";

/* XXE: the classic, a file and a URL. */
static const char doc_xxe_file[] =
	"<?xml version=\"1.0\"?>\n"
	"<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
	"<r>&xxe;</r>\n";

static const char doc_xxe_url[] =
	"<?xml version=\"1.0\"?>\n"
	"<!DOCTYPE r [<!ENTITY xxe SYSTEM \"http://127.0.0.1:1/x\">]>\n"
	"<r>&xxe;</r>\n";

/* An external DTD, and a parameter entity pulling one in. */
static const char doc_external_dtd[] =
	"<?xml version=\"1.0\"?>\n"
	"<!DOCTYPE r SYSTEM \"file:///etc/passwd\">\n<r/>\n";

static const char doc_parameter_entity[] =
	"<?xml version=\"1.0\"?>\n"
	"<!DOCTYPE r [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>\n"
	"<r/>\n";

/* Billion laughs: 10^9 "lol"s from a 1 KB document. */
static const char doc_billion_laughs[] =
	"<?xml version=\"1.0\"?>\n"
	"<!DOCTYPE lolz [\n"
	" <!ENTITY lol \"lol\">\n"
	" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	" <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	" <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	" <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
	" <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
	" <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
	" <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
	" <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
	" <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
	"]>\n"
	"<lolz>&lol9;</lolz>\n";

/* An entity that is only referenced in an attribute default. */
static const char doc_attribute_default[] =
	"<?xml version=\"1.0\"?>\n"
	"<!DOCTYPE r [<!ATTLIST r a CDATA \"injected\">]>\n<r/>\n";

/* An entity reference without a declaration: not well-formed. */
static const char doc_undeclared_entity[] = "<r>&passwd;</r>";

/* XInclude is not processed: the element stays an element. */
static const char doc_xinclude[] =
	"<r xmlns:xi=\"http://www.w3.org/2001/XInclude\">"
	"<xi:include href=\"file:///etc/passwd\" parse=\"text\"/></r>";

/* ---------------------------------------------------------------- harness */

static int
setup(void **state)
{
	*state = arena_create(4096);
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	arena_destroy(*state);
	return 0;
}

/* Parses s; the reason (or NULL) in *why. */
static xmlDocPtr
parse(arena *a, const char *s, size_t len, const char **why)
{
	return xmlsafe_parse(a, s, len, why);
}

#define PARSE(a, s, why) parse((a), (s), sizeof(s) - 1, (why))

/* Asserts doc's whole text holds no line of /etc/passwd. */
static void
assert_no_passwd(xmlDocPtr doc)
{
	xmlChar *text;

	if (doc == NULL)
		return;
	text = xmlNodeGetContent((xmlNodePtr)doc);
	if (text != NULL)
		assert_null(strstr((const char *)text, "root:"));
	xmlFree(text);
}

/* A document nested depth elements deep, on the heap. */
static char *
nested(size_t depth, size_t *len)
{
	char *s = malloc(depth * 7 + 1), *p;
	size_t i;

	assert_non_null(s);
	p = s;
	for (i = 0; i < depth; i++)
		p += sprintf(p, "<a>");
	for (i = 0; i < depth; i++)
		p += sprintf(p, "</a>");
	*len = (size_t)(p - s);
	return s;
}

/* ------------------------------------------------------------------ tests */

static void
test_plain_document(void **state)
{
	const char *why = NULL;
	xmlDocPtr doc = PARSE(*state, doc_plain, &why);
	xmlChar *id;

	assert_non_null(doc);
	assert_null(why);
	id = xmlGetProp(xmlDocGetRootElement(doc), (const xmlChar *)"id");
	assert_string_equal((const char *)id, "7");
	xmlFree(id);
}

static void
test_xxe_refused(void **state)
{
	const char *const docs[] = { doc_xxe_file, doc_xxe_url,
	    doc_external_dtd, doc_parameter_entity, doc_attribute_default };
	const char *why;
	xmlDocPtr doc;
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		why = NULL;
		doc = parse(*state, docs[i], strlen(docs[i]), &why);
		assert_no_passwd(doc);
		assert_null(doc);
		assert_non_null(why);
		assert_non_null(strstr(why, "DTD"));
	}
}

static void
test_billion_laughs_refused(void **state)
{
	const char *why = NULL;
	xmlDocPtr doc = PARSE(*state, doc_billion_laughs, &why);

	assert_null(doc);
	assert_non_null(strstr(why, "DTD"));
}

static void
test_undeclared_entity_refused(void **state)
{
	const char *why = NULL;

	assert_null(PARSE(*state, doc_undeclared_entity, &why));
	assert_non_null(strstr(why, "not well-formed"));
	assert_non_null(strstr(why, "line 1"));
}

static void
test_xinclude_not_processed(void **state)
{
	const char *why = NULL;
	xmlDocPtr doc = PARSE(*state, doc_xinclude, &why);

	assert_non_null(doc);
	assert_no_passwd(doc);
	assert_string_equal((const char *)xmlDocGetRootElement(doc)->children->name,
	    "include");
}

static void
test_depth_limit(void **state)
{
	const char *why = NULL;
	size_t len;
	char *s;

	s = nested(XMLSAFE_MAX_DEPTH, &len);
	assert_non_null(parse(*state, s, len, &why));
	free(s);
	s = nested(XMLSAFE_MAX_DEPTH + 1, &len);
	assert_null(parse(*state, s, len, &why));
	assert_string_equal(why, "the XML document is nested too deeply");
	free(s);
	/* Far beyond: libxml2's own limit stops it first, without recursion
	 * blowing the stack. */
	s = nested(100000, &len);
	assert_null(parse(*state, s, len, &why));
	assert_non_null(why);
	free(s);
}

static void
test_size_limit(void **state)
{
	const char *why = NULL;
	size_t len = XMLSAFE_MAX_BYTES + 1, i;
	char *s = malloc(len);

	assert_non_null(s);
	memcpy(s, "<r>", 3);
	for (i = 3; i < len - 4; i++)
		s[i] = 'x';
	memcpy(s + len - 4, "</r>", 4);
	assert_null(parse(*state, s, len, &why));
	assert_string_equal(why, "the XML document is too large");
	free(s);
}

static void
test_empty_and_garbage(void **state)
{
	const char *why = NULL;

	assert_null(parse(*state, "", 0, &why));
	assert_non_null(why);
	assert_null(parse(*state, NULL, 0, &why));
	assert_null(parse(*state, "<a><b></a>", 10, &why));
	/* UTF-16 with a byte order mark is XML too; the tree is UTF-8. */
	assert_non_null(parse(*state, "\xff\xfe<\0a\0/\0>\0", 10, &why));
	assert_null(parse(*state, "<a>\xc3\x28</a>", 9, &why));
	assert_non_null(why);
}

/* The SDK call keeps the reason on the request and does not fail it. */
static void
test_sdk_call(void **state)
{
	struct ln_request req;
	xmlDocPtr doc;

	memset(&req, 0, sizeof(req));
	req.arena = *state;
	req.status = 200;
	doc = ln_xml_parse(&req, doc_xxe_file, sizeof(doc_xxe_file) - 1);
	assert_null(doc);
	assert_non_null(strstr(ln_error(&req), "DTD"));
	assert_int_equal(req.status, 200);
	doc = ln_xml_parse(&req, doc_plain, sizeof(doc_plain) - 1);
	assert_non_null(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plain_document, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_xxe_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_billion_laughs_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_undeclared_entity_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_xinclude_not_processed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_depth_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_size_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_garbage, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sdk_call, setup, teardown),
	};

	xmlInitParser();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
