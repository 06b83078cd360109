/*
 * seed.c - `labnet seed`: generated records for scale tests and benchmarks.
 *
 *   labnet seed                 list the kinds of records there are
 *   labnet seed KIND N          add N records of KIND (e.g. labs 100000)
 *
 * The core knows no plugin's data. By convention a plugin that can make
 * records ships, in one of its migrations, a function
 * <schema>.labnet_seed(n integer) returning how many it added (docs/
 * plugin-guide.md); a kind is the name of a configured plugin whose schema
 * has one. It runs with the migration role (`migrate_database`), like
 * `labnet migrate`, in one transaction, and the plugin's tables are
 * analysed afterwards so that the planner knows the new sizes. Nothing
 * here outlives the command.
 */
#include "seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "db.h"

/* Configured plugins whose schema has labnet_seed(integer). */
static const char kinds_sql[] =
    "SELECT n.nspname FROM pg_proc p JOIN pg_namespace n "
    " ON n.oid = p.pronamespace "
    "WHERE p.proname = 'labnet_seed' AND p.pronargs = 1 "
    " AND p.proargtypes[0] = 'integer'::regtype "
    " AND n.nspname = ANY ($1::text[]) ORDER BY 1";

static void
seed_usage(FILE *out)
{
	fprintf(out, "usage: labnet seed             list the kinds of records\n"
	    "       labnet seed KIND N      add N generated records of KIND\n");
}

static int
seed_ok(PGresult *res)
{
	ExecStatusType st = PQresultStatus(res);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return 1;
	fprintf(stderr, "labnet seed: %s", PQresultErrorMessage(res));
	return 0;
}

static void
seed_notice_ignore(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* The configured plugin names as a PostgreSQL array literal (names are
 * checked identifiers: no quoting needed); malloc'd, NULL on OOM. */
static char *
seed_plugin_array(const struct config *cfg)
{
	size_t len = 3, i;
	char *out;

	for (i = 0; cfg->plugins && cfg->plugins[i]; i++)
		len += strlen(cfg->plugins[i]) + 3;
	if ((out = malloc(len)) == NULL)
		return NULL;
	strcpy(out, "{");
	for (i = 0; cfg->plugins && cfg->plugins[i]; i++) {
		if (i > 0)
			strcat(out, ",");
		strcat(out, "\"");
		strcat(out, cfg->plugins[i]);
		strcat(out, "\"");
	}
	strcat(out, "}");
	return out;
}

/* N as a positive count; -1 when it is not one. */
static long
seed_count(const char *text)
{
	char *end;
	long n;

	if (text == NULL || text[0] < '0' || text[0] > '9')
		return -1;
	n = strtol(text, &end, 10);
	if (*end != '\0' || n < 1 || n > 100000000)
		return -1;
	return n;
}

static double
seed_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Add n records of kind (a schema listed by kinds_sql) in one transaction,
 * then analyse the schema's tables. */
static int
seed_run(PGconn *conn, const char *kind, long n)
{
	char count[24], *schema = NULL, *sql = NULL;
	const char *values[1] = { count };
	PGresult *res = NULL, *tables = NULL;
	size_t len;
	double started = seed_now();
	int i, rc = 1;

	snprintf(count, sizeof(count), "%ld", n);
	if ((schema = PQescapeIdentifier(conn, kind, strlen(kind))) == NULL)
		goto done;
	len = strlen(schema) + 64;
	if ((sql = malloc(len)) == NULL)
		goto done;
	snprintf(sql, len, "SELECT %s.labnet_seed($1::integer)", schema);
	res = PQexecParams(conn, sql, 1, NULL, values, NULL, NULL, 0);
	if (!seed_ok(res))
		goto done;
	printf("%s: added %s records in %.1f s\n", kind, PQgetvalue(res, 0, 0),
	    seed_now() - started);
	fflush(stdout);
	tables = PQexecParams(conn, "SELECT format('ANALYZE %I.%I', schemaname, "
	    "tablename) FROM pg_tables WHERE schemaname = $1", 1, NULL, &kind,
	    NULL, NULL, 0);
	if (!seed_ok(tables))
		goto done;
	for (i = 0; i < PQntuples(tables); i++) {
		PQclear(res);
		res = PQexec(conn, PQgetvalue(tables, i, 0));
		if (!seed_ok(res))
			goto done;
	}
	rc = 0;
done:
	PQclear(tables);
	PQclear(res);
	free(sql);
	PQfreemem(schema);
	return rc;
}

int
seed_main(const struct config *cfg, int argc, char **argv)
{
	const char *param[1];
	char err[512], *plugins = NULL;
	PGresult *kinds = NULL;
	PGconn *conn = NULL;
	long n = 0;
	int i, found = 0, rc = 1;

	if (argc == 2 && strcmp(argv[1], "help") == 0) {
		seed_usage(stdout);
		return 0;
	}
	if (argc != 1 && (argc != 3 || (n = seed_count(argv[2])) < 0)) {
		seed_usage(stderr);
		return 2;
	}
	conn = db_connect_own(cfg->migrate_database, cfg->connect_timeout,
	    "labnet-seed", err, sizeof(err));
	if (conn == NULL) {
		fprintf(stderr, "labnet seed: cannot connect with migrate_database: %s",
		    err);
		goto done;
	}
	PQsetNoticeProcessor(conn, seed_notice_ignore, NULL);
	if ((plugins = seed_plugin_array(cfg)) == NULL)
		goto done;
	param[0] = plugins;
	kinds = PQexecParams(conn, kinds_sql, 1, NULL, param, NULL, NULL, 0);
	if (!seed_ok(kinds))
		goto done;
	if (argc == 1) {
		for (i = 0; i < PQntuples(kinds); i++)
			printf("%s\n", PQgetvalue(kinds, i, 0));
		rc = 0;
		goto done;
	}
	for (i = 0; i < PQntuples(kinds); i++)
		if (strcmp(PQgetvalue(kinds, i, 0), argv[1]) == 0)
			found = 1;
	if (!found) {
		fprintf(stderr, "labnet seed: no kind \"%s\" (a configured plugin "
		    "whose migrations define %s.labnet_seed(integer); "
		    "`labnet seed` lists them, `labnet migrate` first)\n",
		    argv[1], argv[1]);
		rc = 2;
		goto done;
	}
	rc = seed_run(conn, argv[1], n);
done:
	PQclear(kinds);
	free(plugins);
	PQfinish(conn);
	return rc;
}
