/*
 * lab.c - the XML of one lab, shared by the list, the profile, the map and
 * the exports (views and schema/labs.rng read it). Labels come from the
 * shared vocabulary and the plugin's catalog in the request's language;
 * keys stay in attributes, so exports and scripts can rely on them.
 */
#include <string.h>

#include "labs.h"

const char *const labs_kinds[] = {
	"university-lab", "fab-lab", "living-lab", "makerspace",
	"design-studio", "other", NULL
};

/* Message keys of the kinds: literal, so tools/check-messages sees them
 * through labs.xsl and the catalogs hold them. */
const char *
lab_kind_label(ln_request *req, const char *kind)
{
	const char *key = ln_printf(req, "labs.kind.%s", kind);

	return key ? ln_msg(req, key) : kind;
}

/* Autonyms of the languages a lab may list: the same in every UI language. */
static const char *const autonyms[][2] = {
	{ "bg", "Български" }, { "cs", "Čeština" }, { "da", "Dansk" },
	{ "de", "Deutsch" }, { "el", "Ελληνικά" }, { "en", "English" },
	{ "es", "Español" }, { "et", "Eesti" }, { "fi", "Suomi" },
	{ "fr", "Français" }, { "ga", "Gaeilge" }, { "hr", "Hrvatski" },
	{ "hu", "Magyar" }, { "it", "Italiano" }, { "lt", "Lietuvių" },
	{ "lv", "Latviešu" }, { "mt", "Malti" }, { "nl", "Nederlands" },
	{ "no", "Norsk" }, { "pl", "Polski" }, { "pt", "Português" },
	{ "ro", "Română" }, { "ru", "Русский" }, { "sk", "Slovenčina" },
	{ "sl", "Slovenščina" }, { "sv", "Svenska" }, { "uk", "Українська" },
};

static const char *
autonym(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(autonyms) / sizeof(autonyms[0]); i++)
		if (strcmp(autonyms[i][0], code) == 0)
			return autonyms[i][1];
	return code;
}

static const char *
col(PGresult *res, int row, enum lab_col c)
{
	return PQgetisnull(res, row, c) ? NULL : PQgetvalue(res, row, c);
}

/* <name><term key="k">label</term>...</name> from space-separated keys. */
static int
terms_xml(ln_request *req, xmlNodePtr parent, const char *name,
    const char *scheme, const char *keys)
{
	xmlNodePtr list = ln_xml_elem(parent, name), term;
	char *copy, *key, *save = NULL;
	const char *label;

	if (list == NULL || (copy = ln_strdup(req, keys)) == NULL)
		return LN_ENOMEM;
	for (key = strtok_r(copy, " ", &save); key != NULL;
	    key = strtok_r(NULL, " ", &save)) {
		label = ln_vocab_label(req, scheme, key);
		if (label == NULL && ln_vocab_has(req, scheme, key) < 0)
			return LN_EDB;
		term = ln_xml_text(list, "term", label ? label : key);
		if (term == NULL || ln_xml_attr(term, "key", key) < 0)
			return LN_ENOMEM;
	}
	return 0;
}

xmlNodePtr
lab_xml(ln_request *req, xmlNodePtr parent, PGresult *res, int row,
    enum lab_detail detail)
{
	xmlNodePtr lab, node, langs;
	const char *country = col(res, row, COL_COUNTRY), *label;
	char *copy, *code, *save = NULL;

	if ((lab = ln_xml_elem(parent, "lab")) == NULL ||
	    ln_xml_attr(lab, "id", col(res, row, COL_ID)) < 0 ||
	    ln_xml_attr(lab, "slug", col(res, row, COL_SLUG)) < 0)
		return NULL;
	ln_xml_text(lab, "name", col(res, row, COL_NAME));
	ln_xml_text(lab, "institution", col(res, row, COL_INSTITUTION));
	node = ln_xml_text(lab, "kind", lab_kind_label(req, col(res, row, COL_KIND)));
	if (ln_xml_attr(node, "key", col(res, row, COL_KIND)) < 0)
		return NULL;
	label = ln_vocab_label(req, "country", country);
	if (label == NULL && ln_vocab_has(req, "country", country) < 0)
		return NULL;
	node = ln_xml_text(lab, "country", label ? label : country);
	if (ln_xml_attr(node, "code", country) < 0)
		return NULL;
	ln_xml_text(lab, "city", col(res, row, COL_CITY));
	if (col(res, row, COL_LAT) != NULL) {
		node = ln_xml_elem(lab, "position");
		if (ln_xml_attr(node, "lat", col(res, row, COL_LAT)) < 0 ||
		    ln_xml_attr(node, "lon", col(res, row, COL_LON)) < 0)
			return NULL;
	}
	if (terms_xml(req, lab, "disciplines", "discipline",
	    col(res, row, COL_DISCIPLINES)) < 0 ||
	    terms_xml(req, lab, "facilities", "facility",
	    col(res, row, COL_FACILITIES)) < 0)
		return NULL;
	ln_xml_text(lab, "website", col(res, row, COL_WEBSITE));
	ln_xml_text(lab, "updated", col(res, row, COL_UPDATED));
	if (detail == LAB_SUMMARY)
		return lab;
	ln_xml_text(lab, "address", col(res, row, COL_ADDRESS));
	ln_xml_text(lab, "email", col(res, row, COL_EMAIL));
	ln_xml_text(lab, "phone", col(res, row, COL_PHONE));
	ln_xml_text(lab, "description", col(res, row, COL_DESCRIPTION));
	ln_xml_text(lab, "equipment", col(res, row, COL_EQUIPMENT));
	if ((langs = ln_xml_elem(lab, "languages")) == NULL ||
	    (copy = ln_strdup(req, col(res, row, COL_LANGUAGES))) == NULL)
		return NULL;
	for (code = strtok_r(copy, " ", &save); code != NULL;
	    code = strtok_r(NULL, " ", &save)) {
		node = ln_xml_text(langs, "language", autonym(code));
		if (ln_xml_attr(node, "code", code) < 0)
			return NULL;
	}
	ln_xml_text(lab, "created", col(res, row, COL_CREATED));
	return lab;
}
