/*
 * cached.c - fault injection on the render cache's hit path (make fault).
 *
 *   build-fault/tests/fault/cached -c CONFIG    (tests/fault/run calls it)
 *
 * Serves the request that its environment and stdin describe, as CGI mode
 * does (core/worker.c), twice in one process with the render cache on (a
 * scoreboard as a worker has one, so the data version is stable): the
 * first time unarmed and written nowhere, which stores the page; the
 * second time through the same dispatch_serve(), with the fault points of
 * tests/fault/wrap.c armed, written to stdout as CGI mode writes it. It
 * sets LABNET_FAULT_SKIP=1 itself for that. Says on stderr
 * "labnet-fault: cache hit" when the second request was answered from the
 * cache ("cache miss" otherwise), so the fault-free run can prove that the
 * cases exercise the hit path. Exits 0 when the second response was
 * written, as CGI mode does. Built only in the fault build, linked like
 * build-fault/labnet; holds nothing past exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cache.h"
#include "config.h"
#include "db.h"
#include "dispatch.h"
#include "log.h"
#include "scoreboard.h"
#include "site.h"
#include "worker.h"
#include "xmlmem.h"

/* The request body, read once from stdin and given to both requests. */
struct body_reader {
	char *data;
	size_t len, at;
};

static long
body_read(void *ctx, char *buf, size_t n)
{
	struct body_reader *r = ctx;

	if (n > r->len - r->at)
		n = r->len - r->at;
	memcpy(buf, r->data + r->at, n);
	r->at += n;
	return (long)n;
}

/* Read stdin whole into r (at most limit bytes); -1 on OOM or too much. */
static int
body_load(struct body_reader *r, size_t limit)
{
	size_t size = 0, n;
	char *grown;

	for (;;) {
		if (r->len == size) {
			if (size > limit)
				return -1;	/* more than limit bytes */
			size = size ? size * 2 : 4096;
			if (size > limit + 1)
				size = limit + 1;
			if ((grown = realloc(r->data, size)) == NULL)
				return -1;
			r->data = grown;
		}
		n = fread(r->data + r->len, 1, size - r->len, stdin);
		if (n == 0)
			return ferror(stdin) ? -1 : 0;
		r->len += n;
	}
}

static int
discard(void *ctx, const char *data, size_t n)
{
	(void)ctx;
	(void)data;
	(void)n;
	return 0;
}

static int
to_stdout(void *ctx, const char *data, size_t n)
{
	(void)ctx;
	return fwrite(data, 1, n, stdout) == n ? 0 : -1;
}

int
main(int argc, char **argv)
{
	extern char **environ;
	struct body_reader body = { NULL, 0, 0 };
	struct dispatch_result result;
	struct cache_stats before, after;
	struct config cfg;
	struct site *site = NULL;
	struct db_conn *db = NULL;
	char err[1024];
	arena *a = NULL;
	int status = 1;

	if (argc != 3 || strcmp(argv[1], "-c") != 0) {
		fprintf(stderr, "usage: cached -c CONFIG\n");
		return 2;
	}
	if (xmlmem_init() < 0 || sodium_init() < 0 ||
	    (a = arena_create(65536)) == NULL ||
	    setenv("LABNET_FAULT_SKIP", "1", 1) < 0)
		return 1;
	if (config_load(a, argv[2], &cfg, err, sizeof(err)) < 0 ||
	    worker_drop_privileges(&cfg, err, sizeof(err)) < 0 ||
	    site_open(a, &cfg, 1, &site, err, sizeof(err)) < 0) {
		fprintf(stderr, "cached: %s\n", err);
		goto done;
	}
	log_set_level(cfg.log_level);
	if (cfg.render_cache == 0) {
		fprintf(stderr, "cached: %s: render_cache is 0\n", cfg.path);
		goto done;
	}
	if (scoreboard_create(1) == NULL ||
	    cache_open(cfg.render_cache, cfg.render_cache_max_age) < 0 ||
	    body_load(&body, cfg.max_body) < 0)
		goto done;
	db = db_conn_new(cfg.database, cfg.connect_timeout, cfg.statement_timeout);
	if (db == NULL)
		goto done;
	/* The first view fills the cache; wrap.c leaves it unarmed. */
	dispatch_serve(site, db, environ, body_read, &body, discard, NULL,
	    &result);
	body.at = 0;
	cache_stats(&before);
	if (dispatch_serve(site, db, environ, body_read, &body, to_stdout, NULL,
	    NULL) == 0)
		status = 0;
	fflush(stdout);
	cache_stats(&after);
	fprintf(stderr, "labnet-fault: cache %s (first view: status %d, "
	    "%llu stored)\n", after.hits > before.hits ? "hit" : "miss",
	    result.status, before.stores);
done:
	db_conn_free(db);
	cache_close();
	site_close(site);
	free(body.data);
	arena_destroy(a);
	return status;
}
