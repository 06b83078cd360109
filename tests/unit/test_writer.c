/*
 * test_writer.c - unit tests for core/writer.c: the csv writer (RFC 4180
 * quoting, formula cells neutralised, numbers left alone) and the json
 * writer (escaping, numbers checked, documents outside the vocabulary
 * refused).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "arena.h"
#include "writer.h"

/* Run writer name on the XML text; the output, or NULL when it failed. */
static const char *
write_doc(arena *a, const char *name, const char *xml)
{
	const struct writer *w = writer_find(name);
	const char *why = NULL;
	xmlDocPtr doc;
	strbuf out;
	int rc;

	assert_non_null(w);
	doc = xmlReadMemory(xml, (int)strlen(xml), "t.xml", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	strbuf_init(&out, a, 0);
	rc = w->write(xmlDocGetRootElement(doc), &out, &why);
	xmlFreeDoc(doc);
	if (rc < 0) {
		assert_non_null(why);
		return NULL;
	}
	assert_false(strbuf_failed(&out));
	return out.len ? strbuf_str(&out) : "";
}

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

static void
test_csv_quoting(void **state)
{
	assert_string_equal(write_doc(*state, "csv",
	    "<table><row><cell>a</cell><cell>b c</cell></row>"
	    "<row><cell>x,y</cell><cell>say \"hi\"</cell><cell>two\nlines</cell>"
	    "<cell/></row></table>"),
	    "a,b c\r\n\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
	assert_string_equal(write_doc(*state, "csv", "<table/>"), "");
	assert_string_equal(write_doc(*state, "csv",
	    "<table><row><cell>Socialinių</cell></row></table>"), "Socialinių\r\n");
}

static void
test_csv_formulas(void **state)
{
	assert_string_equal(write_doc(*state, "csv",
	    "<table><row><cell>=1+1</cell><cell>+1</cell><cell>-2</cell>"
	    "<cell>@SUM(A1)</cell><cell>&#9;x</cell><cell>a=b</cell></row></table>"),
	    "\"'=1+1\",\"'+1\",\"'-2\",\"'@SUM(A1)\",\"'\tx\",a=b\r\n");
	/* A number cell stays a number; one that is not a number is text. */
	assert_string_equal(write_doc(*state, "csv",
	    "<table><row><cell type=\"number\">-33.5</cell>"
	    "<cell type=\"number\">-1+cmd</cell><cell type=\"number\"></cell>"
	    "</row></table>"),
	    "-33.5,\"'-1+cmd\",\r\n");
}

static void
test_csv_refuses(void **state)
{
	assert_null(write_doc(*state, "csv", "<rows/>"));
	assert_null(write_doc(*state, "csv", "<table><cell>x</cell></table>"));
	assert_null(write_doc(*state, "csv", "<table><row><b>x</b></row></table>"));
}

static void
test_json_values(void **state)
{
	assert_string_equal(write_doc(*state, "json",
	    "<object>\n  <string name=\"type\">FeatureCollection</string>\n"
	    "  <array name=\"a\"><number>1</number><number>-2.5e3</number>"
	    "<boolean>true</boolean><null/></array>\n"
	    "  <object name=\"o\"/>\n</object>"),
	    "{\"type\":\"FeatureCollection\",\"a\":[1,-2.5e3,true,null],\"o\":{}}\n");
	assert_string_equal(write_doc(*state, "json",
	    "<string>\"q\" \\ &lt;/script&gt;\nx</string>"),
	    "\"\\\"q\\\" \\\\ \\u003c/script\\u003e\\nx\"\n");
	assert_string_equal(write_doc(*state, "json",
	    "<object><string name=\"k&quot;\">v</string></object>"),
	    "{\"k\\\"\":\"v\"}\n");
}

static void
test_json_refuses(void **state)
{
	static const char *const bad[] = {
		"<number>1.</number>", "<number>01</number>", "<number>NaN</number>",
		"<number></number>", "<number>1e</number>", "<boolean>yes</boolean>",
		"<object><string>no name</string></object>", "<array>text</array>",
		"<table/>",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (write_doc(*state, "json", bad[i]) != NULL)
			fail_msg("accepted %s", bad[i]);
}

static void
test_json_depth(void **state)
{
	char xml[2048] = "";
	int i;

	for (i = 0; i < 100; i++)
		strcat(xml, "<array>");
	for (i = 0; i < 100; i++)
		strcat(xml, "</array>");
	assert_null(write_doc(*state, "json", xml));
}

static void
test_numbers_and_lookup(void **state)
{
	(void)state;
	assert_true(writer_is_number("0"));
	assert_true(writer_is_number("-0.5"));
	assert_true(writer_is_number("25.0781"));
	assert_true(writer_is_number("1E+9"));
	assert_false(writer_is_number("+1"));
	assert_false(writer_is_number(".5"));
	assert_false(writer_is_number("0x1"));
	assert_false(writer_is_number(" 1"));
	assert_null(writer_find("ics"));
	assert_null(writer_find(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_csv_quoting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_formulas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_depth, setup, teardown),
		cmocka_unit_test(test_numbers_and_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
