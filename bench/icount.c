/*
 * icount.c - serve one route N times in-process, through the same
 * dispatch_serve() that workers use, for instruction counts:
 *
 *   valgrind --tool=callgrind --toggle-collect=icount_serve \
 *       build/bench/icount CONFIG PATH N [cached]
 *
 * Counting only inside icount_serve (the N requests, not the one before
 * them that warms up statements and caches) leaves out start-up (loading
 * plugins, compiling views), so the total divided by N is the cost of one
 * request:
 * parsing, routing, the handler and its database round trip, rendering and
 * writing (to a sink). callgrind counts instructions, not time, so the
 * figure repeats on a busy machine. With "cached", the render cache is on
 * (render_cache of CONFIG): the first request fills it and the N counted
 * ones are repeat views. Also prints the process's RSS after
 * the first request, halfway and at the end: growth over the second half
 * is what a leak or a cache without bounds looks like.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static long
rss_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmRSS:", 6) == 0)
			kib = strtol(line + 6, NULL, 10);
	fclose(f);
	return kib;
}

static long
no_body(void *ctx, char *buf, size_t n)
{
	(void)ctx;
	(void)buf;
	(void)n;
	return 0;
}

static int
sink(void *ctx, const char *data, size_t n)
{
	size_t *total = ctx;

	(void)data;
	*total += n;
	return 0;
}

/* One counted request: callgrind collects inside this function only. */
__attribute__((noinline)) static void
icount_serve(const struct site *site, struct db_conn *db, char **envp,
    size_t *bytes, struct dispatch_result *result)
{
	dispatch_serve(site, db, envp, no_body, NULL, sink, bytes, result);
}

int
main(int argc, char **argv)
{
	struct dispatch_result result;
	struct config cfg;
	struct site *site = NULL;
	struct db_conn *db;
	char err[1024], uri[2048];
	char *envp[6];
	size_t bytes = 0;
	long n, i, before, half = 0;
	arena *a;

	if (argc < 4 || argc > 5 || (n = atol(argv[3])) < 1 ||
	    (argc == 5 && strcmp(argv[4], "cached") != 0)) {
		fprintf(stderr, "usage: icount CONFIG PATH N [cached]\n");
		return 2;
	}
	if (xmlmem_init() < 0 || sodium_init() < 0 ||
	    (a = arena_create(65536)) == NULL)
		return 1;
	if (config_load(a, argv[1], &cfg, err, sizeof(err)) < 0 ||
	    worker_drop_privileges(&cfg, err, sizeof(err)) < 0 ||
	    site_open(a, &cfg, 1, &site, err, sizeof(err)) < 0) {
		fprintf(stderr, "icount: %s\n", err);
		return 1;
	}
	log_set_level(LOG_LEVEL_WARN);
	/* A scoreboard as a worker has one: the data version lives there, and
	 * without it the vocabulary would be read again on every request. */
	if (scoreboard_create(1) == NULL)
		return 1;
	if (argc == 5 && cache_open(cfg.render_cache, 0) < 0)
		return 1;
	db = db_conn_new(cfg.database, cfg.connect_timeout, cfg.statement_timeout);
	snprintf(uri, sizeof(uri), "REQUEST_URI=%s", argv[2]);
	envp[0] = "REQUEST_METHOD=GET";
	envp[1] = uri;
	envp[2] = "REMOTE_ADDR=127.0.0.1";
	envp[3] = "HTTP_ACCEPT=text/html";
	envp[4] = "HTTP_ACCEPT_LANGUAGE=en";
	envp[5] = NULL;
	/* One request first: statements prepared, caches warm. */
	dispatch_serve(site, db, envp, no_body, NULL, sink, &bytes, &result);
	before = rss_kib();
	bytes = 0;
	for (i = 0; i < n; i++) {
		icount_serve(site, db, envp, &bytes, &result);
		if (i + 1 == n / 2)
			half = rss_kib();
	}
	printf("status %d, %ld requests, %zu bytes each, RSS KiB: first %ld, "
	    "half %ld, end %ld\n", result.status, n, bytes / (size_t)n, before,
	    half, rss_kib());
	db_conn_free(db);
	site_close(site);
	arena_destroy(a);
	return result.status == 200 ? 0 : 1;
}
