/*
 * dataver.h - the data version: a number that changes whenever the site's
 * data may have changed, so that the render cache (cache.h) never serves a
 * page made from older data.
 *
 * On one host it is a counter in the scoreboard's shared memory: a request
 * that wrote adds one before its response is sent, so the very next
 * request, in any worker, sees the new version. Every write to a plugin's
 * tables, whoever makes it (another host, psql, a cron job), also sends
 * NOTIFY labnet_data through a trigger (sql/core/060_data_changed.sql),
 * with the writing host's token when a Labnet worker wrote; a listener
 * thread in each worker adds one on every notification that is not its
 * own host's. Without a scoreboard (CGI, labnet check) the version is
 * always 0 and nothing is cached.
 */
#ifndef LABNET_DATAVER_H
#define LABNET_DATAVER_H

#include "arena.h"
#include "config.h"

struct db_conn;

#define DATAVER_CHANNEL "labnet_data"

/* The version now. */
unsigned long long dataver_current(void);

/* A new version on this host: a request wrote to the database, whose
 * triggers tell the other hosts at commit. */
void dataver_bump(void);

/* The data has changed in a way no trigger saw: a new version here, and a
 * notification to the other hosts through db (a failure there is logged,
 * not returned). */
void dataver_changed(struct db_conn *db, arena *a);

/* Start and stop the worker's listener thread (its own connection to the
 * database of cfg, re-established with back-off when lost; a new version
 * after each reconnection, since notifications may have been missed).
 * Start returns -1 when the thread cannot be created. */
int dataver_listen_start(const struct config *cfg);
void dataver_listen_stop(void);

#endif
