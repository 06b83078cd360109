/*
 * migrate.c - schema migrations (see migrate.h).
 *
 * Runs as the owner role (migrate_database). Each plugin gets a schema of
 * its own name, usable by the runtime role (app_role) for data, never for
 * DDL. A file's SQL is, by its nature, sent as text: this is the one place
 * where PQexec takes SQL that is not a literal in the code, and it only ever
 * takes files from the installation, never input. Identifiers come from
 * validated plugin and role names, quoted with PQescapeIdentifier.
 * An advisory lock keeps two migrations from running at once.
 */
#include "migrate.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "db.h"
#include "log.h"
#include "strbuf.h"

#define MIGRATE_LOCK_KEY "7316421902214452"

struct migration {
	int version;
	char name[256];
};

static int
exec_ok(PGconn *conn, PGresult *res, FILE *out, const char *what)
{
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return 1;
	fprintf(out, "%s: %s", what, res ? PQresultErrorMessage(res) :
	    PQerrorMessage(conn));
	return 0;
}

/* Run a literal command; 0 or -1 after printing the error. */
static int
run(PGconn *conn, const char *sql, FILE *out)
{
	PGresult *res = PQexec(conn, sql);
	int ok = exec_ok(conn, res, out, sql);

	PQclear(res);
	return ok ? 0 : -1;
}

static int
migration_cmp(const void *x, const void *y)
{
	const struct migration *a = x, *b = y;

	return a->version - b->version;
}

/* NNN_name.sql with a-z, 0-9 and _ in the name. */
static int
migration_name(const char *file, int *version)
{
	size_t len = strlen(file), i;

	if (len < 9 || strcmp(file + len - 4, ".sql") != 0 ||
	    strspn(file, "0123456789") != 3 || file[3] != '_')
		return 0;
	for (i = 4; i < len - 4; i++)
		if (!((file[i] >= 'a' && file[i] <= 'z') ||
		    (file[i] >= '0' && file[i] <= '9') || file[i] == '_'))
			return 0;
	*version = atoi(file);
	return *version > 0;
}

static int
migrations_list(const char *dir, struct migration **out, size_t *count,
    FILE *log)
{
	struct migration *list = NULL, *grown;
	struct dirent *d;
	size_t n = 0, cap = 0, i;
	DIR *dp;
	int version;

	*out = NULL;
	*count = 0;
	if ((dp = opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return 0;
		fprintf(log, "%s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		if (!migration_name(d->d_name, &version)) {
			fprintf(log, "%s/%s: not a migration name (NNN_name.sql)\n", dir,
			    d->d_name);
			goto fail;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((grown = realloc(list, cap * sizeof(*list))) == NULL)
				goto fail;
			list = grown;
		}
		list[n].version = version;
		snprintf(list[n].name, sizeof(list[n].name), "%s", d->d_name);
		n++;
	}
	closedir(dp);
	dp = NULL;
	if (n > 1)
		qsort(list, n, sizeof(*list), migration_cmp);
	for (i = 1; i < n; i++)
		if (list[i].version == list[i - 1].version) {
			fprintf(log, "%s: %s and %s have the same number\n", dir,
			    list[i - 1].name, list[i].name);
			goto fail;
		}
	*out = list;
	*count = n;
	return 0;
fail:
	if (dp != NULL)
		closedir(dp);
	free(list);
	return -1;
}

static char *
file_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long size;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (data = malloc((size_t)size + 1)) != NULL) {
		*len = fread(data, 1, (size_t)size, f);
		data[*len] = '\0';
	}
	fclose(f);
	return data;
}

/* Schema, grants for the runtime role, and search_path, in the open
 * transaction. */
static int
schema_prepare(PGconn *conn, const char *schema, const char *app_role, FILE *out)
{
	char *s = NULL, *r = NULL;
	strbuf sb;
	arena *a;
	int rc = -1;

	if ((a = arena_create(4096)) == NULL)
		return -1;
	s = PQescapeIdentifier(conn, schema, strlen(schema));
	r = PQescapeIdentifier(conn, app_role, strlen(app_role));
	if (s == NULL || r == NULL)
		goto done;
	strbuf_init(&sb, a, 0);
	strbuf_printf(&sb, "CREATE SCHEMA IF NOT EXISTS %s; "
	    "GRANT USAGE ON SCHEMA %s TO %s; "
	    "ALTER DEFAULT PRIVILEGES IN SCHEMA %s "
	    "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %s; "
	    "ALTER DEFAULT PRIVILEGES IN SCHEMA %s "
	    "GRANT USAGE, SELECT ON SEQUENCES TO %s; "
	    "SET LOCAL search_path TO %s, core",
	    s, s, r, s, r, s, r, s);
	if (strbuf_failed(&sb))
		goto done;
	rc = run(conn, strbuf_str(&sb), out);
done:
	PQfreemem(s);
	PQfreemem(r);
	arena_destroy(a);
	return rc;
}

static int
migration_applied(PGconn *conn, const char *plugin, int version, FILE *out,
    char *checksum, size_t checksum_len)
{
	const char *values[2];
	char vbuf[16];
	PGresult *res;
	int found = -1;

	snprintf(vbuf, sizeof(vbuf), "%d", version);
	values[0] = plugin;
	values[1] = vbuf;
	res = PQexecParams(conn, "SELECT checksum FROM core.migrations "
	    "WHERE plugin = $1 AND version = $2", 2, NULL, values, NULL, NULL, 0);
	if (exec_ok(conn, res, out, "reading core.migrations")) {
		found = PQntuples(res) > 0;
		if (found)
			snprintf(checksum, checksum_len, "%s", PQgetvalue(res, 0, 0));
	}
	PQclear(res);
	return found;
}

/* Apply m unless it was: 1 applied now, 0 applied before, -1 failed. */
static int
migration_apply(PGconn *conn, const struct plugin *p, const char *app_role,
    const struct migration *m, FILE *out)
{
	unsigned char hash[crypto_hash_sha256_BYTES];
	char path[4352], checksum[crypto_hash_sha256_BYTES * 2 + 1], known[80];
	const char *values[4];
	char vbuf[16];
	PGresult *res;
	char *sql;
	size_t len = 0;
	int applied, rc = -1;

	snprintf(path, sizeof(path), "%s/%s", p->migrations_dir, m->name);
	if ((sql = file_read(path, &len)) == NULL) {
		fprintf(out, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	crypto_hash_sha256(hash, (const unsigned char *)sql, len);
	sodium_bin2hex(checksum, sizeof(checksum), hash, sizeof(hash));
	applied = migration_applied(conn, p->name, m->version, out, known,
	    sizeof(known));
	if (applied < 0)
		goto done;
	if (applied) {
		if (strcmp(known, checksum) != 0)
			fprintf(out, "%s: warning: changed since it was applied; "
			    "write a new migration instead\n", path);
		rc = 0;
		goto done;
	}
	if (run(conn, "BEGIN", out) < 0)
		goto done;
	if (schema_prepare(conn, p->name, app_role, out) < 0)
		goto rollback;
	res = PQexec(conn, sql);
	if (!exec_ok(conn, res, out, path)) {
		PQclear(res);
		goto rollback;
	}
	PQclear(res);
	snprintf(vbuf, sizeof(vbuf), "%d", m->version);
	values[0] = p->name;
	values[1] = vbuf;
	values[2] = m->name;
	values[3] = checksum;
	res = PQexecParams(conn, "INSERT INTO core.migrations "
	    "(plugin, version, name, checksum) VALUES ($1, $2, $3, $4)", 4, NULL,
	    values, NULL, NULL, 0);
	if (!exec_ok(conn, res, out, "recording the migration")) {
		PQclear(res);
		goto rollback;
	}
	PQclear(res);
	if (run(conn, "COMMIT", out) < 0)
		goto done;
	fprintf(out, "%s: applied %s\n", p->name, m->name);
	rc = 1;
	goto done;
rollback:
	fprintf(out, "%s: rolled back; nothing of it was applied\n", path);
	run(conn, "ROLLBACK", out);
done:
	free(sql);
	return rc;
}

/* Every table of a plugin's schema tells the render caches of its changes
 * (sql/core/060_data_changed.sql), tables of later migrations included. */
static int
schema_watch(PGconn *conn, const char *schema, FILE *out)
{
	const char *values[1] = { schema };
	PGresult *res;
	int rc;

	res = PQexecParams(conn, "SELECT core.watch_data($1)", 1, NULL, values,
	    NULL, NULL, 0);
	rc = exec_ok(conn, res, out, "watching the plugin's tables") ? 0 : -1;
	PQclear(res);
	return rc;
}

static void
notice_ignore(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static PGconn *
migrate_connect(const struct config *cfg, FILE *out)
{
	char err[512];
	PGconn *conn;

	conn = db_connect_own(cfg->migrate_database, cfg->connect_timeout,
	    "labnet-migrate", err, sizeof(err));
	if (conn == NULL)
		fprintf(out, "cannot connect with migrate_database: %s", err);
	return conn;
}

int
migrate_run(const struct site *site, FILE *out)
{
	static const char bootstrap[] =
	    "CREATE SCHEMA IF NOT EXISTS core; "
	    "CREATE TABLE IF NOT EXISTS core.migrations ("
	    " plugin text NOT NULL,"
	    " version integer NOT NULL,"
	    " name text NOT NULL,"
	    " checksum text NOT NULL,"
	    " applied_at timestamptz NOT NULL DEFAULT now(),"
	    " PRIMARY KEY (plugin, version))";
	const char *lock_key[1] = { MIGRATE_LOCK_KEY };
	struct migration *list = NULL;
	size_t n = 0, i, k, applied = 0;
	PGresult *res;
	PGconn *conn;
	int rc = 1, one;

	if ((conn = migrate_connect(site->config, out)) == NULL)
		return 1;
	/* "schema already exists, skipping" and the like are not news. */
	PQsetNoticeProcessor(conn, notice_ignore, NULL);
	res = PQexecParams(conn, "SELECT pg_advisory_lock($1::bigint)", 1, NULL,
	    lock_key, NULL, NULL, 0);
	if (!exec_ok(conn, res, out, "taking the migration lock")) {
		PQclear(res);
		goto done;
	}
	PQclear(res);
	if (run(conn, bootstrap, out) < 0)
		goto done;
	for (i = 0; i < site->nplugins; i++) {
		const struct plugin *p = site->plugins[i];

		if (p->migrations_dir == NULL)
			continue;
		/* Schema and grants every time: idempotent, and a schema whose
		 * migrations are all applied still gets them on a new database. */
		if (run(conn, "BEGIN", out) < 0 ||
		    schema_prepare(conn, p->name, site->config->app_role, out) < 0 ||
		    run(conn, "COMMIT", out) < 0)
			goto done;
		if (migrations_list(p->migrations_dir, &list, &n, out) < 0)
			goto done;
		for (k = 0; k < n; k++) {
			if ((one = migration_apply(conn, p, site->config->app_role,
			    &list[k], out)) < 0)
				goto done;
			applied += (size_t)one;
		}
		if (n == 0)
			fprintf(out, "%s: no migrations\n", p->name);
		if (strcmp(p->name, "core") != 0 &&
		    schema_watch(conn, p->name, out) < 0)
			goto done;
		free(list);
		list = NULL;
	}
	/* Statistics for what the migrations created and filled (the
	 * vocabulary, say): until autovacuum's first pass the planner has
	 * none, and picks plans 40 times slower for the first visitors. */
	if (applied > 0 && run(conn, "ANALYZE", out) < 0)
		goto done;
	fprintf(out, "migrations are up to date\n");
	rc = 0;
done:
	free(list);
	PQfinish(conn);
	return rc;
}
