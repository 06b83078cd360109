/*
 * list.c - the directory: GET /labs (HTML, XML, CSV, GeoJSON).
 *
 * One document for every format: the query as understood, the facets with
 * counts, one page of labs and the link to the next page. Filters are
 * repeatable query parameters, OR within a facet and AND across; a facet's
 * counts apply every filter but its own (what ticking one more value
 * would add). Pages are keyset pages: after=<id of the last lab shown>,
 * so a lab added meanwhile shifts nothing. The exports (csv, geojson)
 * carry every match with full details and no facets, export_max labs an
 * answer; when more match, the answer links to the rest with an HTTP
 * Link header (rel="next", RFC 8288), which a script follows to the end.
 * Only published labs are listed. Everything lives on the request.
 */
#include <stdlib.h>
#include <string.h>

#include "labs.h"

#define PAGE_DEFAULT 20

/* The filter predicate every statement below shares: $1 text, $2 countries,
 * $3 kinds, $4 disciplines, $5 facilities (NULL: no filter). */
#define LIST_WHERE \
	"status = 'published' " \
	"AND ($1::text IS NULL OR search @@ core.search_query($1) " \
	"     OR core.search_query($1) IS NULL) " \
	"AND ($2::text[] IS NULL OR country = ANY ($2)) " \
	"AND ($3::text[] IS NULL OR kind = ANY ($3)) " \
	"AND ($4::text[] IS NULL OR disciplines && $4) " \
	"AND ($5::text[] IS NULL OR facilities && $5) "

static const ln_sql list_by_name = {
	.name = "list_by_name",
	.text = "SELECT " LABS_COLUMNS " FROM labs.labs WHERE " LIST_WHERE
	    "AND ($6::bigint IS NULL OR (sort_name, id) > "
	    "     (SELECT sort_name, id FROM labs.labs WHERE id = $6)) "
	    "ORDER BY sort_name, id LIMIT $7",
	.nparams = 7,
};

static const ln_sql list_newest = {
	.name = "list_newest",
	.text = "SELECT " LABS_COLUMNS " FROM labs.labs WHERE " LIST_WHERE
	    "AND ($6::bigint IS NULL OR (created_at, id) < "
	    "     (SELECT created_at, id FROM labs.labs WHERE id = $6)) "
	    "ORDER BY created_at DESC, id DESC LIMIT $7",
	.nparams = 7,
};

/*
 * Facet counts: each facet with every filter but its own; then the total.
 * Disciplines and facilities are counted per distinct set first and the
 * few sets unnested after: unnesting every lab's arrays was most of the
 * statement (10-30% less time at 100k labs).
 */
static const ln_sql list_facets = {
	.name = "list_facets",
	.text = "WITH f AS (SELECT country, kind, disciplines, facilities, "
	    "  ($2::text[] IS NULL OR country = ANY ($2)) AS in_country, "
	    "  ($3::text[] IS NULL OR kind = ANY ($3)) AS in_kind, "
	    "  ($4::text[] IS NULL OR disciplines && $4) AS in_discipline, "
	    "  ($5::text[] IS NULL OR facilities && $5) AS in_facility "
	    " FROM labs.labs WHERE status = 'published' "
	    " AND ($1::text IS NULL OR search @@ core.search_query($1) "
	    "      OR core.search_query($1) IS NULL)), "
	    "ds AS (SELECT disciplines, count(*) AS n FROM f "
	    " WHERE in_country AND in_kind AND in_facility GROUP BY disciplines), "
	    "fs AS (SELECT facilities, count(*) AS n FROM f "
	    " WHERE in_country AND in_kind AND in_discipline GROUP BY facilities) "
	    "SELECT 'country', country, count(*) FROM f "
	    " WHERE in_kind AND in_discipline AND in_facility GROUP BY country "
	    "UNION ALL SELECT 'kind', kind, count(*) FROM f "
	    " WHERE in_country AND in_discipline AND in_facility GROUP BY kind "
	    "UNION ALL SELECT 'discipline', d, sum(n) FROM ds, unnest(disciplines) d "
	    " GROUP BY d "
	    "UNION ALL SELECT 'facility', x, sum(n) FROM fs, unnest(facilities) x "
	    " GROUP BY x "
	    "UNION ALL SELECT 'total', '', count(*) FROM f "
	    " WHERE in_country AND in_kind AND in_discipline AND in_facility",
	.nparams = 5,
};

/* The facets: query parameter, vocabulary scheme (NULL: the kinds). */
static const struct facet {
	const char *param;
	const char *scheme;
} facets[] = {
	{ "country", "country" },
	{ "kind", NULL },
	{ "discipline", "discipline" },
	{ "facility", "facility" },
};
#define NFACETS (sizeof(facets) / sizeof(facets[0]))

/* A PostgreSQL array literal of the parameter's values, each quoted, or
 * NULL (no filter) when it has none; "" on OOM is avoided by *oom. */
static const char *
array_param(ln_request *req, const char *name, int *oom)
{
	size_t n = ln_param_count(req, name), i, len = 3;
	const char *v, *p;
	char *out, *o;

	if (n == 0)
		return NULL;
	for (i = 0; i < n; i++)
		len += 2 * strlen(ln_param_at(req, name, i)) + 3;
	if ((out = ln_alloc(req, len)) == NULL) {
		*oom = 1;
		return NULL;
	}
	o = out;
	*o++ = '{';
	for (i = 0; i < n; i++) {
		if (i > 0)
			*o++ = ',';
		*o++ = '"';
		for (v = ln_param_at(req, name, i), p = v; *p; p++) {
			if (*p == '"' || *p == '\\')
				*o++ = '\\';
			*o++ = *p;
		}
		*o++ = '"';
	}
	*o++ = '}';
	*o = '\0';
	return out;
}

/* Percent-encode s for a query string value. */
static char *
query_escape(ln_request *req, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	char *out, *o;

	if ((out = ln_alloc(req, strlen(s) * 3 + 1)) == NULL)
		return NULL;
	for (o = out, p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL)
			*o++ = (char)*p;
		else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

/* The query string of the current filters (q, facets, sort), "" when none,
 * each pair followed by "&"; NULL on OOM. */
static const char *
filters_query(ln_request *req)
{
	static const char *const names[] = { "q", "country", "kind",
	    "discipline", "facility", "sort" };
	const char *out = "", *v;
	size_t i, k;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		for (k = 0; (v = ln_param_at(req, names[i], k)) != NULL; k++) {
			if (v[0] == '\0')
				continue;
			out = ln_printf(req, "%s%s=%s&", out, names[i],
			    query_escape(req, v));
			if (out == NULL)
				return NULL;
		}
	return out;
}

static int
selected(ln_request *req, const char *param, const char *value)
{
	const char *v;
	size_t i;

	for (i = 0; (v = ln_param_at(req, param, i)) != NULL; i++)
		if (strcmp(v, value) == 0)
			return 1;
	return 0;
}

/* <query>: what the list was asked, as understood. */
static int
query_xml(ln_request *req, xmlNodePtr root, const char *q, const char *sort)
{
	xmlNodePtr query = ln_xml_elem(root, "query");
	const char *v;
	size_t f, i;

	if (query == NULL)
		return LN_ENOMEM;
	ln_xml_text(query, "q", q);
	for (f = 0; f < NFACETS; f++)
		for (i = 0; (v = ln_param_at(req, facets[f].param, i)) != NULL; i++)
			ln_xml_text(query, facets[f].param, v);
	ln_xml_text(query, "sort", sort);
	return 0;
}

/* Add <value key count selected>label</value> to facet. */
static int
facet_value(ln_request *req, xmlNodePtr facet, const struct facet *f,
    const char *key, const char *label, const char *count)
{
	xmlNodePtr value;

	value = ln_xml_text(facet, "value", label ? label : key);
	if (value == NULL || ln_xml_attr(value, "key", key) < 0 ||
	    ln_xml_attr(value, "count", count) < 0)
		return LN_ENOMEM;
	if (selected(req, f->param, key) &&
	    ln_xml_attr(value, "selected", "true") < 0)
		return LN_ENOMEM;
	return 0;
}

/* One row of list_facets: a value of a facet and its count. */
struct facet_count {
	const char *key;
	const char *count;
};

static int
facet_count_cmp(const void *a, const void *b)
{
	return strcmp(((const struct facet_count *)a)->key,
	    ((const struct facet_count *)b)->key);
}

/*
 * The counts of res by facet, each facet's sorted by key: counts[f] holds
 * ncounts[f] of them. One pass over the rows, then a binary search per
 * vocabulary term: matching every term against every row was a quarter
 * of the handler's instructions on /labs (249 countries times ~300 rows).
 * Sets *total from the 'total' row. LN_ENOMEM on OOM.
 */
static int
facet_counts(ln_request *req, PGresult *res, struct facet_count *counts[],
    size_t ncounts[], const char **total)
{
	int row, rows = PQntuples(res);
	size_t f;
	const char *name;

	*total = "0";
	for (f = 0; f < NFACETS; f++) {
		ncounts[f] = 0;
		if ((counts[f] = ln_alloc(req, ((size_t)rows + 1) *
		    sizeof(*counts[f]))) == NULL)
			return LN_ENOMEM;
	}
	for (row = 0; row < rows; row++) {
		name = PQgetvalue(res, row, 0);
		if (strcmp(name, "total") == 0) {
			*total = PQgetvalue(res, row, 2);
			continue;
		}
		for (f = 0; f < NFACETS; f++)
			if (strcmp(name, facets[f].param) == 0) {
				counts[f][ncounts[f]].key = PQgetvalue(res, row, 1);
				counts[f][ncounts[f]].count = PQgetvalue(res, row, 2);
				ncounts[f]++;
				break;
			}
	}
	for (f = 0; f < NFACETS; f++)
		qsort(counts[f], ncounts[f], sizeof(*counts[f]), facet_count_cmp);
	return 0;
}

/*
 * <facets><facet name="country"><value key="IT" count="2">Italy</value>
 * ...</facet>...</facets>: values in vocabulary order (kinds in theirs),
 * those with labs and those selected. Sets *total.
 */
static int
facets_xml(ln_request *req, xmlNodePtr root, PGresult *res, const char **total)
{
	xmlNodePtr all = ln_xml_elem(root, "facets"), facet;
	struct facet_count *counts[NFACETS], wanted, *found;
	size_t ncounts[NFACETS];
	const ln_term *terms;
	const char *count, *key, *label;
	size_t f, i, nterms;
	int rc;

	if ((rc = facet_counts(req, res, counts, ncounts, total)) < 0)
		return rc;
	for (f = 0; f < NFACETS; f++) {
		if ((facet = ln_xml_elem(all, "facet")) == NULL ||
		    ln_xml_attr(facet, "name", facets[f].param) < 0)
			return LN_ENOMEM;
		if (facets[f].scheme != NULL) {
			if ((terms = ln_vocab_list(req, facets[f].scheme, &nterms)) == NULL)
				return ln_db_status(req);
		} else
			terms = NULL, nterms = 0;
		for (i = 0; terms ? i < nterms : labs_kinds[i] != NULL; i++) {
			key = terms ? terms[i].key : labs_kinds[i];
			wanted.key = key;
			found = bsearch(&wanted, counts[f], ncounts[f],
			    sizeof(*counts[f]), facet_count_cmp);
			count = found ? found->count : NULL;
			if (count == NULL && !selected(req, facets[f].param, key))
				continue;
			/* The term's own label: what ln_vocab_label() would
			 * find for its key, without searching for it. */
			label = terms ? terms[i].label : lab_kind_label(req, key);
			if (facet_value(req, facet, &facets[f], key, label,
			    count ? count : "0") < 0)
				return LN_ENOMEM;
		}
	}
	return 0;
}

int
labs_list(ln_request *req)
{
	const char *format = ln_format_name(req);
	int export = strcmp(format, "html") != 0 && strcmp(format, "xml") != 0;
	const char *q = ln_param(req, "q"), *sort = ln_param(req, "sort");
	const char *values[7], *total = NULL, *filters, *after, *link;
	long long limit = ln_param_int(req, "limit", PAGE_DEFAULT);
	xmlNodePtr root, next;
	PGresult *res, *counts;
	int oom = 0, rows, i, shown;
	size_t f;
	char limit_text[24];

	if (q != NULL && q[0] == '\0')
		q = NULL;
	if (sort == NULL)
		sort = "name";
	values[0] = q;
	for (f = 0; f < NFACETS; f++)
		values[1 + f] = array_param(req, facets[f].param, &oom);
	if (oom)
		return LN_ENOMEM;
	values[5] = ln_param(req, "after");
	if (export)
		limit = ((const struct labs_state *)ln_state(req))->export_max;
	snprintf(limit_text, sizeof(limit_text), "%lld", limit + 1);
	values[6] = limit_text;
	res = ln_db(req, strcmp(sort, "newest") == 0 ? &list_newest :
	    &list_by_name, values);
	if (res == NULL)
		return ln_db_status(req);

	if (ln_doc(req, "labs") == NULL)
		return LN_ENOMEM;
	root = xmlDocGetRootElement(ln_doc(req, "labs"));
	if (query_xml(req, root, q, sort) < 0)
		return LN_ENOMEM;
	if (!export) {
		if ((counts = ln_db(req, &list_facets, values)) == NULL)
			return ln_db_status(req);
		if ((i = facets_xml(req, root, counts, &total)) < 0)
			return i;
		ln_xml_attr(root, "total", total);
	}
	rows = PQntuples(res);
	shown = rows > limit ? (int)limit : rows;
	for (i = 0; i < shown; i++)
		if (lab_xml(req, root, res, i, export ? LAB_FULL : LAB_SUMMARY) == NULL)
			return LN_ENOMEM;	/* or the database failed: status set */
	if (rows > limit && export) {
		after = PQgetvalue(res, shown - 1, COL_ID);
		if ((filters = filters_query(req)) == NULL ||
		    (link = ln_url(req, ln_printf(req, "/labs.%s?%safter=%s",
		    format, filters, after))) == NULL ||
		    ln_set_header(req, "Link", ln_printf(req, "<%s>; rel=\"next\"",
		    link)) < 0)
			return LN_ENOMEM;
	} else if (rows > limit) {
		after = PQgetvalue(res, shown - 1, COL_ID);
		filters = filters_query(req);
		if (filters == NULL || (next = ln_xml_elem(root, "next")) == NULL ||
		    ln_xml_attr(next, "after", after) < 0 ||
		    ln_xml_attr(next, "href", ln_printf(req, "/labs?%s%safter=%s",
		    filters, limit != PAGE_DEFAULT ? ln_printf(req, "limit=%lld&",
		    limit) : "", after)) < 0)
			return LN_ENOMEM;
	}
	return 0;
}
