/*
 * map.c - GET /labs/map: every published lab with a position, projected
 * onto the map's frame here, so the view only draws (an SVG in the page,
 * no tile server, no script). The frame is Europe, where the network is,
 * in an equirectangular projection scaled for 52°N; labs outside it are
 * still in the list the page offers as the alternative to the map. The
 * basemap (land from Natural Earth) is SVG path data that the build
 * projects onto the same frame (tools/basemap.mjs: keep the two in step);
 * labs_init() reads it once per worker.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labs.h"

/* The frame, in degrees, and the SVG's width in user units. */
#define MAP_WEST	(-25.0)
#define MAP_EAST	45.0
#define MAP_NORTH	71.5
#define MAP_SOUTH	34.0
#define MAP_WIDTH	1000.0
#define MAP_STANDARD	52.0	/* latitude of true scale */

static const ln_sql map_labs = {
	.name = "map_labs",
	.text = "SELECT " LABS_COLUMNS " FROM labs.labs "
	    "WHERE status = 'published' ORDER BY sort_name, id",
	.nparams = 0,
};

#define BASEMAP_MAX	(1024 * 1024)

/* Read the basemap if the build made one: path data only (M, L, Z,
 * digits, spaces, '-' and '.'), else none. A missing basemap is not an
 * error: the map is drawn on plain water. */
int
labs_init(ln_host *host, void **state)
{
	const char *file = ln_host_path(host, "map/basemap.txt");
	struct labs_state *st = ln_host_alloc(host, sizeof(*st));
	char *data = NULL;
	FILE *in = NULL;
	long size = -1;
	size_t n = 0;

	const char *export_max = ln_host_config(host, "export_max");
	char *end;

	if (st == NULL)
		return LN_ENOMEM;
	st->basemap = NULL;
	st->export_max = strtoll(export_max, &end, 10);
	if (*end != '\0' || st->export_max < 1 || st->export_max > 1000000) {
		ln_log(NULL, LN_LOG_ERROR,
		    "export_max must be 1 to 1000000, not \"%s\"", export_max);
		return LN_EINVAL;
	}
	*state = st;
	if (file == NULL || (in = fopen(file, "r")) == NULL)
		return 0;
	if (fseek(in, 0, SEEK_END) == 0 && (size = ftell(in)) > 0 &&
	    size <= BASEMAP_MAX && fseek(in, 0, SEEK_SET) == 0 &&
	    (data = ln_host_alloc(host, (size_t)size + 1)) != NULL)
		n = fread(data, 1, (size_t)size, in);
	fclose(in);
	if (data == NULL)
		return size > 0 && size <= BASEMAP_MAX ? LN_ENOMEM : 0;
	while (n > 0 && (data[n - 1] == '\n' || data[n - 1] == ' '))
		n--;
	data[n] = '\0';
	if (n > 0 && strspn(data, "MLZ0123456789 -.") == n)
		st->basemap = data;
	return 0;
}

/* x, y in the frame's user units; 0 when the point lies outside. */
static int
map_project(double lat, double lon, double *x, double *y)
{
	double k = cos(MAP_STANDARD * M_PI / 180.0);
	double scale = MAP_WIDTH / ((MAP_EAST - MAP_WEST) * k);

	*x = (lon - MAP_WEST) * k * scale;
	*y = (MAP_NORTH - lat) * scale;
	return lon >= MAP_WEST && lon <= MAP_EAST && lat >= MAP_SOUTH &&
	    lat <= MAP_NORTH;
}

int
labs_map(ln_request *req)
{
	const struct labs_state *st;
	xmlNodePtr root, lab, position;
	double x, y, lat, lon, height, k;
	char buf[32];
	PGresult *res;
	xmlDocPtr doc;
	int i;

	if ((res = ln_db(req, &map_labs, NULL)) == NULL)
		return ln_db_status(req);
	if ((doc = ln_doc(req, "labs-map")) == NULL)
		return LN_ENOMEM;
	root = xmlDocGetRootElement(doc);
	k = cos(MAP_STANDARD * M_PI / 180.0);
	height = (MAP_NORTH - MAP_SOUTH) * MAP_WIDTH / ((MAP_EAST - MAP_WEST) * k);
	snprintf(buf, sizeof(buf), "0 0 %.0f %.0f", MAP_WIDTH, height);
	if (ln_xml_attr(root, "viewbox", buf) < 0)
		return LN_ENOMEM;
	st = ln_state(req);
	if (st != NULL && st->basemap != NULL &&
	    ln_xml_text(root, "basemap", st->basemap) == NULL)
		return LN_ENOMEM;
	for (i = 0; i < PQntuples(res); i++) {
		if ((lab = lab_xml(req, root, res, i, LAB_SUMMARY)) == NULL)
			return LN_ENOMEM;
		for (position = lab->children; position != NULL;
		    position = position->next)
			if (xmlStrcmp(position->name, (const xmlChar *)"position") == 0)
				break;
		if (position == NULL)
			continue;
		lat = PQgetisnull(res, i, COL_LAT) ? 0 : atof(PQgetvalue(res, i, COL_LAT));
		lon = PQgetisnull(res, i, COL_LON) ? 0 : atof(PQgetvalue(res, i, COL_LON));
		if (!map_project(lat, lon, &x, &y))
			continue;
		snprintf(buf, sizeof(buf), "%.1f", x);
		if (ln_xml_attr(position, "x", buf) < 0)
			return LN_ENOMEM;
		snprintf(buf, sizeof(buf), "%.1f", y);
		if (ln_xml_attr(position, "y", buf) < 0)
			return LN_ENOMEM;
	}
	return 0;
}
