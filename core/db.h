/*
 * db.h - one PostgreSQL connection per request thread.
 *
 * Owns the connection, the set of statements prepared on it, and the
 * transaction state. Connects lazily (after fork), prepares each ln_sql by
 * name on its first use on a connection, and starts over after a lost
 * connection. Every wait has a client-side deadline, so a hung server costs
 * a request its statement_timeout, never a worker. The db_conn is malloc'd
 * and lives as long as its thread; results go on the request arena.
 */
#ifndef LABNET_DB_H
#define LABNET_DB_H

#include <libpq-fe.h>

#include "config.h"
#include "labnet/labnet.h"

struct db_conn;

/* A connection handle for this thread; it connects on first use. NULL on OOM. */
struct db_conn *db_conn_new(const char *conninfo, int connect_timeout,
    int statement_timeout);
void db_conn_free(struct db_conn *db);

/*
 * Run sql (prepared as "<owner>.<name>") with values. The result is
 * registered on the arena. On failure returns NULL and sets *status to
 * LN_EUNAVAIL (connection) or LN_EDB (the statement failed), with the
 * message in *error (on the arena).
 */
PGresult *db_exec(struct db_conn *db, arena *a, const char *owner,
    const ln_sql *sql, const char *const *values, int *status,
    const char **error);

/* A plain command without parameters (BEGIN, COMMIT, SELECT 1). */
int db_command(struct db_conn *db, arena *a, const char *command,
    const char **error);

/* Called when a request ends: rolls back a transaction left open. */
void db_request_end(struct db_conn *db);

/*
 * A connection of its own, for a command-line tool or a listener rather
 * than a request thread: conninfo's fields, connect_timeout seconds, and
 * name as the application_name in pg_stat_activity. NULL with the reason
 * in err when it cannot connect; the caller PQfinish()es what it gets.
 */
PGconn *db_connect_own(const char *conninfo, int connect_timeout,
    const char *name, char *err, size_t errlen);

/* Counters for metrics. */
unsigned long db_reconnects(const struct db_conn *db);

#endif
