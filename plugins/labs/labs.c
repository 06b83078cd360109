/*
 * labs.c - the labs directory plugin (issue 5): descriptor and routes.
 *
 * Public pages: the directory with search, facets and keyset pages
 * (list.c) and its exports, a lab's profile with the lab.sidebar slot
 * (profile.c), the map (map.c), a block on the home page (home.c).
 * Editing, on the accounts service: the lab form for new labs and a lab's
 * editors (edit.c), history, status changes and the admins' queue
 * (review.c); editors are core rights on "lab:<id>", every change is a
 * row of labs.revisions. The only state is the map's basemap, read once
 * per worker (labs_init).
 */
#include "labs.h"
#include "validate.h"

static int
valid_country(const char *value, const char **why)
{
	return labs_check_country(value, why);
}

static int
valid_term(const char *value, const char **why)
{
	return labs_check_term_key(value, why);
}

static const char *const sorts[] = { "name", "newest", NULL };

static const ln_param_spec list_params[] = {
	{ .name = "q", .type = LN_TEXT, .max_len = 200 },
	{ .name = "country", .type = LN_TEXT, .flags = LN_REPEATED, .max_len = 2,
	  .validate = valid_country },
	{ .name = "kind", .type = LN_CHOICE, .flags = LN_REPEATED,
	  .choices = labs_kinds },
	{ .name = "discipline", .type = LN_TEXT, .flags = LN_REPEATED,
	  .max_len = 60, .validate = valid_term },
	{ .name = "facility", .type = LN_TEXT, .flags = LN_REPEATED,
	  .max_len = 60, .validate = valid_term },
	{ .name = "sort", .type = LN_CHOICE, .choices = sorts },
	{ .name = "after", .type = LN_INT, .min = 1, .max = 999999999999999999LL },
	{ .name = "limit", .type = LN_INT, .min = 1, .max = 100 },
	{ 0 }
};

#define FORM_TEXT(field, len) { .name = (field), .type = LN_TEXT, .max_len = (len) }

/* The lab form: every field is text, so that a wrong value is a field
 * error on the form (edit.c) rather than the core's 400. */
static const ln_param_spec form_params[] = {
	FORM_TEXT("slug", 200), FORM_TEXT("name", 2000),
	FORM_TEXT("institution", 2000), FORM_TEXT("kind", 100),
	FORM_TEXT("country", 100), FORM_TEXT("city", 2000),
	FORM_TEXT("address", 3000), FORM_TEXT("latitude", 100),
	FORM_TEXT("longitude", 100), FORM_TEXT("website", 2000),
	FORM_TEXT("email", 2000), FORM_TEXT("phone", 200),
	FORM_TEXT("description", 40000), FORM_TEXT("disciplines", 4000),
	FORM_TEXT("facilities", 4000), FORM_TEXT("equipment", 20000),
	FORM_TEXT("languages", 1000),
	{ 0 }
};

static const char *const actions[] = { "approve", "reject", "archive",
	"restore", "submit", NULL };

static const ln_param_spec status_params[] = {
	{ .name = "action", .type = LN_CHOICE, .flags = LN_REQUIRED,
	  .choices = actions },
	{ 0 }
};

static const ln_format list_formats[] = {
	{ "csv", "text/csv", "csv", "labs-csv.xsl" },
	{ "geojson", "application/geo+json", "json", "labs-geojson.xsl" },
	{ 0 }
};

static const ln_route routes[] = {
	{
		.methods = LN_GET,
		.pattern = "/labs",
		.handler = labs_list,
		.view = "labs.xsl",
		.params = list_params,
		.formats = list_formats,
		.summary = "the lab directory: search, facets, pages; csv, geojson",
	},
	{
		.methods = LN_GET,
		.pattern = "/labs/map",
		.handler = labs_map,
		.view = "labs-map.xsl",
		.summary = "every published lab on a map, with a list",
	},
	{
		.methods = LN_GET | LN_POST,
		.pattern = "/labs/new",
		.handler = labs_new,
		.view = "lab-form.xsl",
		.access = LN_SIGNED_IN,
		.flags = LN_SESSION,
		.params = form_params,
		.summary = "propose a new lab: it waits as pending for an admin",
	},
	{
		.methods = LN_GET | LN_POST,
		.pattern = "/labs/{slug:slug}/edit",
		.handler = labs_edit,
		.view = "lab-form.xsl",
		.access = LN_SIGNED_IN,
		.flags = LN_SESSION,
		.params = form_params,
		.summary = "change a lab (its editors and admins); a revision each time",
	},
	{
		.methods = LN_GET,
		.pattern = "/labs/{slug:slug}/history",
		.handler = labs_history,
		.view = "lab-history.xsl",
		.access = LN_SIGNED_IN,
		.flags = LN_SESSION,
		.summary = "a lab's revisions: who, when, what changed",
	},
	{
		.methods = LN_POST,
		.pattern = "/labs/{slug:slug}/status",
		.handler = labs_status,
		.access = LN_SIGNED_IN,
		.flags = LN_SESSION,
		.params = status_params,
		.summary = "approve, reject, restore (admins), archive or submit a lab",
	},
	{
		.methods = LN_GET,
		.pattern = "/labs-pending",
		.handler = labs_pending,
		.view = "labs-pending.xsl",
		.access = LN_ADMIN,
		.flags = LN_SESSION,
		.summary = "the admins' queue of labs waiting for approval",
	},
	{
		.methods = LN_GET,
		.pattern = "/labs/{slug:slug}",
		.handler = labs_profile,
		.view = "lab.xsl",
		.summary = "a lab's profile, with the lab.sidebar slot",
	},
	{ 0 }
};

/* Its configuration ([labs] in labnet.conf). */
static const ln_config_key config[] = {
	{ .name = "export_max", .fallback = "50000",
	  .help = "labs per CSV or GeoJSON answer (1 to 1000000); more go on "
	      "in the next answer, linked with Link: rel=\"next\"" },
	{ 0 }
};

/* The home page shows the newest labs. */
static const ln_slot slots[] = {
	{ "home.blocks", labs_home_block, 10 },
	{ 0 }
};

LN_PLUGIN = {
	.abi_major = LN_ABI_MAJOR,
	.api_min = 2,
	.name = "labs",
	.version = "0.1.0",
	.migrations = "sql/labs",
	.data = "plugins/labs",
	.config = config,
	.routes = routes,
	.slots = slots,
	.init = labs_init,
};
