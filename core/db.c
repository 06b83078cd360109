/*
 * db.c - the request thread's database connection (see db.h), and the SDK's
 * ln_db* calls.
 *
 * Uses libpq's asynchronous calls so that every wait is bounded by a poll()
 * deadline: the server-side statement_timeout covers slow queries, and the
 * client deadline (statement_timeout + 1 s) covers a server that is stopped
 * or unreachable. A connection that failed is dropped; the next request
 * reconnects, but not more often than once a second, so an outage answers
 * 503 at once instead of waiting connect_timeout on every request.
 */
#include "db.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "plugin.h"
#include "request.h"
#include "scoreboard.h"

#define RETRY_INTERVAL_MS 1000

struct db_conn {
	PGconn *conn;
	char *conninfo;
	char connect_timeout[16];
	char options[128];
	int statement_timeout;
	const ln_sql **prepared;
	size_t nprepared, cap;
	int in_tx;
	long long failed_at;	/* monotonic ms of the last failed connect */
	unsigned long reconnects;
	int ever_connected;
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct db_conn *
db_conn_new(const char *conninfo, int connect_timeout, int statement_timeout)
{
	struct scoreboard *sb = scoreboard_get();
	struct db_conn *db;

	db = calloc(1, sizeof(*db));
	if (db == NULL)
		return NULL;
	if ((db->conninfo = strdup(conninfo)) == NULL) {
		free(db);
		return NULL;
	}
	snprintf(db->connect_timeout, sizeof(db->connect_timeout), "%d",
	    connect_timeout > 0 ? connect_timeout : 2);
	db->statement_timeout = statement_timeout > 0 ? statement_timeout : 5;
	/* labnet.host: the payload of the data-change notifications this
	 * connection's writes send (sql/core/060_data_changed.sql). */
	snprintf(db->options, sizeof(db->options),
	    "-c statement_timeout=%d%s%s", db->statement_timeout * 1000,
	    sb ? " -c labnet.host=" : "", sb ? sb->host_token : "");
	return db;
}

static void
db_drop(struct db_conn *db)
{
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
	db->nprepared = 0;
	db->in_tx = 0;
}

PGconn *
db_connect_own(const char *conninfo, int connect_timeout, const char *name,
    char *err, size_t errlen)
{
	static const char *const keys[] = { "dbname", "connect_timeout",
	    "application_name", NULL };
	const char *values[4];
	char timeout[16];
	PGconn *conn;

	snprintf(timeout, sizeof(timeout), "%d",
	    connect_timeout > 0 ? connect_timeout : 2);
	values[0] = conninfo;
	values[1] = timeout;
	values[2] = name;
	values[3] = NULL;
	/* expand_dbname: conninfo may be a whole connection string. */
	conn = PQconnectdbParams(keys, values, 1);
	if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
		snprintf(err, errlen, "%s", conn ? PQerrorMessage(conn) :
		    "out of memory\n");
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

void
db_conn_free(struct db_conn *db)
{
	if (db == NULL)
		return;
	db_drop(db);
	free(db->prepared);
	free(db->conninfo);
	free(db);
}

unsigned long
db_reconnects(const struct db_conn *db)
{
	return db->reconnects;
}

static int
db_connect(struct db_conn *db, arena *a, const char **error)
{
	static const char *const keys[] = { "dbname", "connect_timeout", "options",
	    "application_name", NULL };
	const char *values[5];

	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	db_drop(db);
	if (db->failed_at != 0 && now_ms() - db->failed_at < RETRY_INTERVAL_MS) {
		*error = "the database is unavailable";
		return LN_EUNAVAIL;
	}
	values[0] = db->conninfo;
	values[1] = db->connect_timeout;
	values[2] = db->options;
	values[3] = "labnet";
	values[4] = NULL;
	/* expand_dbname: the conninfo string's fields apply, ours override. */
	db->conn = PQconnectdbParams(keys, values, 1);
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		*error = arena_printf(a, "cannot connect to the database: %s",
		    db->conn ? PQerrorMessage(db->conn) : "out of memory");
		log_errx("%s", *error);
		db_drop(db);
		db->failed_at = now_ms();
		return LN_EUNAVAIL;
	}
	if (db->ever_connected) {
		db->reconnects++;
		log_info("reconnected to the database");
	}
	db->ever_connected = 1;
	db->failed_at = 0;
	return 0;
}

/* The last result of what was sent, within the client deadline. */
static PGresult *
db_wait(struct db_conn *db, arena *a, const char **error, int *status)
{
	long long deadline = now_ms() + (long long)db->statement_timeout * 1000 + 1000;
	PGresult *res, *last = NULL;
	struct pollfd pfd;
	int rc;

	for (;;) {
		while (!PQisBusy(db->conn)) {
			res = PQgetResult(db->conn);
			if (res == NULL)
				goto done;
			if (last != NULL)
				PQclear(last);
			last = res;
			if (PQstatus(db->conn) == CONNECTION_BAD)
				goto lost;
		}
		pfd.fd = PQsocket(db->conn);
		pfd.events = POLLIN;
		rc = (int)(deadline - now_ms());
		if (rc <= 0)
			goto timeout;
		rc = poll(&pfd, 1, rc);
		if (rc < 0 && errno != EINTR)
			goto lost;
		if (rc == 0)
			goto timeout;
		if (PQconsumeInput(db->conn) == 0)
			goto lost;
	}
done:
	if (last == NULL) {
		*error = "no result from the database";
		*status = LN_EDB;
	}
	return last;
timeout:
	*error = "the database did not answer in time";
	log_errx("%s; dropping the connection", *error);
	goto fail;
lost:
	*error = arena_printf(a, "lost the database connection: %s",
	    PQerrorMessage(db->conn));
	log_errx("%s", *error);
fail:
	if (last != NULL)
		PQclear(last);
	db_drop(db);
	db->failed_at = now_ms();
	*status = LN_EUNAVAIL;
	return NULL;
}

/* Whether a failed result means the server, not the statement, failed. */
static int
result_unavailable(const PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	/* 08: connection exceptions; 57P: shutdown, crash, cannot connect. */
	return state != NULL && (strncmp(state, "08", 2) == 0 ||
	    strncmp(state, "57P", 3) == 0 || strcmp(state, "53300") == 0);
}

static void
result_free(void *res)
{
	PQclear(res);
}

/*
 * The second half of every round trip: sent says whether the PQsend* call
 * worked; wait for the result and classify a failure as LN_EUNAVAIL (the
 * server or the connection) or LN_EDB (the statement). Returns the result,
 * owned by the caller, or NULL with *status and *error set.
 */
static PGresult *
db_roundtrip(struct db_conn *db, arena *a, int sent, const char *what,
    int *status, const char **error)
{
	PGresult *res;

	if (!sent) {
		*error = arena_printf(a, "cannot send %s: %s", what,
		    PQerrorMessage(db->conn));
		db_drop(db);
		*status = LN_EUNAVAIL;
		return NULL;
	}
	res = db_wait(db, a, error, status);
	if (res == NULL)
		return NULL;
	switch (PQresultStatus(res)) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
		return res;
	default:
		break;
	}
	*error = arena_printf(a, "%s failed: %s", what, PQresultErrorMessage(res));
	*status = result_unavailable(res) ? LN_EUNAVAIL : LN_EDB;
	if (*status == LN_EUNAVAIL)
		db_drop(db);
	PQclear(res);
	return NULL;
}

static int
db_prepare(struct db_conn *db, arena *a, const char *name, const ln_sql *sql,
    const char **error)
{
	const ln_sql **grown;
	PGresult *res;
	int status = 0;
	size_t i;

	for (i = 0; i < db->nprepared; i++)
		if (db->prepared[i] == sql)
			return 0;
	res = db_roundtrip(db, a, PQsendPrepare(db->conn, name, sql->text,
	    sql->nparams, NULL), name, &status, error);
	if (res == NULL)
		return status;
	PQclear(res);
	if (db->nprepared == db->cap) {
		size_t cap = db->cap ? db->cap * 2 : 32;

		grown = realloc(db->prepared, cap * sizeof(*grown));
		if (grown == NULL) {
			*error = "out of memory";
			return LN_ENOMEM;
		}
		db->prepared = grown;
		db->cap = cap;
	}
	db->prepared[db->nprepared++] = sql;
	return 0;
}

PGresult *
db_exec(struct db_conn *db, arena *a, const char *owner, const ln_sql *sql,
    const char *const *values, int *status, const char **error)
{
	PGresult *res;
	const char *name;
	int rc;

	*status = 0;
	if ((rc = db_connect(db, a, error)) < 0)
		goto fail;
	if ((name = arena_printf(a, "%s.%s", owner, sql->name)) == NULL) {
		*error = "out of memory";
		rc = LN_ENOMEM;
		goto fail;
	}
	if ((rc = db_prepare(db, a, name, sql, error)) < 0)
		goto fail;
	res = db_roundtrip(db, a, PQsendQueryPrepared(db->conn, name,
	    sql->nparams, values, NULL, NULL, 0), name, &rc, error);
	if (res == NULL)
		goto fail;
	if (arena_cleanup(a, result_free, res) < 0) {
		*error = "out of memory";
		rc = LN_ENOMEM;
		goto fail;
	}
	return res;
fail:
	*status = rc;
	return NULL;
}

int
db_command(struct db_conn *db, arena *a, const char *command, const char **error)
{
	PGresult *res;
	int rc;

	if ((rc = db_connect(db, a, error)) < 0)
		return rc;
	res = db_roundtrip(db, a, PQsendQuery(db->conn, command), command, &rc,
	    error);
	if (res == NULL)
		return rc;
	PQclear(res);
	return 0;
}

void
db_request_end(struct db_conn *db)
{
	arena *a;
	const char *error = NULL;

	if (db == NULL || !db->in_tx)
		return;
	db->in_tx = 0;
	if ((a = arena_create(1024)) == NULL) {
		db_drop(db);
		return;
	}
	if (db_command(db, a, "ROLLBACK", &error) < 0)
		db_drop(db);
	arena_destroy(a);
}

/* ------------------------------------------------------------------ SDK */

static void
db_record_failure(ln_request *req, int status, const char *error)
{
	req->db_status = status;
	if (status == LN_EUNAVAIL)
		req->status = 503;
	else if (req->status < 500)
		req->status = 500;
	req->error = error;
	log_errx("%s", error ? error : "database failure");
}

PGresult *
ln_db(ln_request *req, const ln_sql *sql, const char *const *values)
{
	const char *error = NULL;
	PGresult *res;
	int status;

	if (req->db == NULL) {
		db_record_failure(req, LN_EUNAVAIL, "no database connection");
		return NULL;
	}
	res = db_exec(req->db, req->arena, req->plugin ? plugin_name(req->plugin) :
	    "core", sql, values, &status, &error);
	if (res == NULL)
		db_record_failure(req, status, error);
	return res;
}

int
ln_db_status(ln_request *req)
{
	return req->db_status ? req->db_status : LN_EDB;
}

static int
db_tx_command(ln_request *req, const char *command, int want_in_tx, int now_in_tx)
{
	const char *error = NULL;
	int rc;

	if (req->db == NULL)
		return LN_EUNAVAIL;
	if (req->db->in_tx != want_in_tx) {
		log_errx("%s %s", command,
		    want_in_tx ? "outside a transaction" : "inside a transaction");
		return LN_EINTERNAL;
	}
	rc = db_command(req->db, req->arena, command, &error);
	if (rc < 0) {
		db_record_failure(req, rc, error);
		return rc;
	}
	req->db->in_tx = now_in_tx;
	return 0;
}

int
ln_db_begin(ln_request *req)
{
	return db_tx_command(req, "BEGIN", 0, 1);
}

int
ln_db_commit(ln_request *req)
{
	return db_tx_command(req, "COMMIT", 1, 0);
}

int
ln_db_rollback(ln_request *req)
{
	return db_tx_command(req, "ROLLBACK", 1, 0);
}
