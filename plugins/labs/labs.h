/*
 * labs.h - what the labs plugin's files share (not part of the SDK).
 *
 * labs.c holds the descriptor and routes; list.c the directory (/labs and
 * its formats), profile.c a lab's page, map.c the map, lab.c the XML of
 * one lab both list and profile write, home.c the home page's block,
 * validate.c the field checks, edit.c the lab form (new, edit), review.c
 * history, approval and archiving.
 */
#ifndef LABS_H
#define LABS_H

#include <labnet/labnet.h>

/* The columns every statement that reads labs selects, in this order:
 * lab_xml() reads a row of them. */
#define LABS_COLUMNS \
	"id, slug, name, institution, kind, country, city, address, " \
	"latitude, longitude, website, email, phone, description, " \
	"array_to_string(disciplines, ' '), array_to_string(facilities, ' '), " \
	"array_to_string(languages, ' '), equipment, " \
	"to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), " \
	"to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

enum lab_col {
	COL_ID, COL_SLUG, COL_NAME, COL_INSTITUTION, COL_KIND, COL_COUNTRY,
	COL_CITY, COL_ADDRESS, COL_LAT, COL_LON, COL_WEBSITE, COL_EMAIL,
	COL_PHONE, COL_DESCRIPTION, COL_DISCIPLINES, COL_FACILITIES,
	COL_LANGUAGES, COL_EQUIPMENT, COL_CREATED, COL_UPDATED
};

/* How much of a lab to write: a list entry or the whole profile. */
enum lab_detail { LAB_SUMMARY, LAB_FULL };

/* Append <lab> for row of res to parent; NULL on OOM or database failure
 * (vocabulary labels). */
xmlNodePtr lab_xml(ln_request *req, xmlNodePtr parent, PGresult *res, int row,
    enum lab_detail detail);

/* The label of a lab kind in the request's language. */
const char *lab_kind_label(ln_request *req, const char *kind);

/* The kinds, in display order, NULL-terminated. */
extern const char *const labs_kinds[];

/* What init() prepares once per worker; read-only afterwards. */
struct labs_state {
	const char *basemap;	/* SVG path data of the map's land, or NULL */
	long long export_max;	/* labs per CSV/GeoJSON answer (export_max) */
};

int labs_init(ln_host *host, void **state);

int labs_list(ln_request *req);
int labs_profile(ln_request *req);
int labs_map(ln_request *req);
int labs_home_block(ln_request *req, const char *subject, xmlNodePtr into);

/* edit.c: the lab form (GET shows it, POST saves it). */
int labs_new(ln_request *req);
int labs_edit(ln_request *req);
/* The lab of the path's {slug} if the signed-in user may edit it: *res
 * holds its row (LABS_COLUMNS, then status), else the request has been
 * answered (301 from an old slug to .../suffix, 403, 404) and *res is NULL. */
int labs_editable(ln_request *req, const char *suffix, PGresult **res);
/* A revision of lab_id by the signed-in user, in the caller's transaction;
 * snapshot is the row as JSON before the change (NULL: a new lab). */
int labs_revision(ln_request *req, const char *lab_id, const char *action,
    const char *snapshot);

/* review.c: history, status changes, the admins' queue. */
int labs_history(ln_request *req);
int labs_status(ln_request *req);
int labs_pending(ln_request *req);

#endif
