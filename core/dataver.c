/*
 * dataver.c - the data version (see dataver.h): the scoreboard's counter,
 * the NOTIFY a write sends, and the listener thread of a worker.
 *
 * The listener owns one libpq connection of its own (not a request
 * thread's: it waits on it for as long as the worker lives) and never runs
 * plugin code. It wakes at least every LISTEN_POLL_MS to see whether the
 * worker is stopping.
 */
#include "dataver.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "db.h"
#include "log.h"
#include "scoreboard.h"

#define LISTEN_POLL_MS 250
#define LISTEN_RETRY_MAX_MS 8000

static const ln_sql sql_notify = { "dataver_notify",
	"SELECT pg_notify('" DATAVER_CHANNEL "', $1)", 1 };

static struct {
	pthread_t thread;
	int running;
	atomic_int stopping;
	const struct config *config;
	PGconn *conn;
} listener;

unsigned long long
dataver_current(void)
{
	struct scoreboard *sb = scoreboard_get();

	return sb ? atomic_load(&sb->data_version) : 0;
}

void
dataver_bump(void)
{
	struct scoreboard *sb = scoreboard_get();

	if (sb != NULL)
		atomic_fetch_add(&sb->data_version, 1);
}

void
dataver_changed(struct db_conn *db, arena *a)
{
	struct scoreboard *sb = scoreboard_get();
	const char *values[1] = { sb ? sb->host_token : "" };
	const char *error = NULL;
	int status;

	dataver_bump();
	if (db != NULL &&
	    db_exec(db, a, "core", &sql_notify, values, &status, &error) == NULL)
		log_warnx("could not tell other hosts that the data changed: %s",
		    error ? error : "unknown error");
}

static void
listener_drop(void)
{
	if (listener.conn != NULL)
		PQfinish(listener.conn);
	listener.conn = NULL;
}

/* Connect and LISTEN; 0 or -1 (logged once per outage by the caller). */
static int
listener_connect(char *why, size_t why_len)
{
	PGresult *res;

	listener.conn = db_connect_own(listener.config->database,
	    listener.config->connect_timeout, "labnet listener", why, why_len);
	if (listener.conn == NULL)
		return -1;
	res = PQexec(listener.conn, "LISTEN " DATAVER_CHANNEL);
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		snprintf(why, why_len, "LISTEN failed: %s",
		    PQerrorMessage(listener.conn));
		PQclear(res);
		listener_drop();
		return -1;
	}
	PQclear(res);
	return 0;
}

/* Read what has arrived; -1 when the connection is lost. */
static int
listener_receive(void)
{
	struct scoreboard *sb = scoreboard_get();
	PGnotify *n;
	int foreign = 0;

	if (PQconsumeInput(listener.conn) == 0)
		return -1;
	while ((n = PQnotifies(listener.conn)) != NULL) {
		/* This host's own writes have already bumped the version. */
		if (sb == NULL || strcmp(n->extra, sb->host_token) != 0)
			foreign = 1;
		PQfreemem(n);
	}
	if (foreign)
		dataver_bump();
	return 0;
}

/* Sleep up to ms, waking early when the worker stops. */
static void
listener_nap(int ms)
{
	struct timespec ts = { 0, LISTEN_POLL_MS * 1000000L };

	for (; ms > 0 && !atomic_load(&listener.stopping); ms -= LISTEN_POLL_MS)
		nanosleep(&ts, NULL);
}

static void *
listener_main(void *arg)
{
	struct pollfd pfd;
	char why[512];
	int retry_ms = 250, down = 0;

	(void)arg;
	while (!atomic_load(&listener.stopping)) {
		if (listener.conn == NULL) {
			if (listener_connect(why, sizeof(why)) < 0) {
				if (!down)
					log_warnx("data-change listener: cannot connect "
					    "(pages are still cached per host): %s", why);
				down = 1;
				listener_nap(retry_ms);
				if (retry_ms < LISTEN_RETRY_MAX_MS)
					retry_ms *= 2;
				continue;
			}
			if (down)
				log_info("data-change listener: connected again");
			down = 0;
			retry_ms = 250;
			/* What was said while nobody listened is lost. */
			dataver_bump();
		}
		pfd.fd = PQsocket(listener.conn);
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, LISTEN_POLL_MS) < 0 && errno != EINTR) {
			listener_drop();
			continue;
		}
		if ((pfd.revents & (POLLIN | POLLERR | POLLHUP)) &&
		    (listener_receive() < 0 ||
		    PQstatus(listener.conn) != CONNECTION_OK)) {
			log_warnx("data-change listener: connection lost");
			down = 1;
			listener_drop();
		}
	}
	listener_drop();
	return NULL;
}

int
dataver_listen_start(const struct config *cfg)
{
	if (listener.running)
		return 0;
	listener.config = cfg;
	atomic_store(&listener.stopping, 0);
	if (pthread_create(&listener.thread, NULL, listener_main, NULL) != 0)
		return -1;
	listener.running = 1;
	return 0;
}

void
dataver_listen_stop(void)
{
	if (!listener.running)
		return;
	atomic_store(&listener.stopping, 1);
	pthread_join(listener.thread, NULL);
	listener.running = 0;
}
