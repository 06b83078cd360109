/*
 * worker.c - worker processes (see worker.h).
 *
 * Each request thread owns its FastCGI request, its database connection and
 * (through dispatch) its arenas; the site is shared read-only. One thread
 * at a time waits in accept() (a mutex, as libfcgi's threaded example
 * does); accept() times out every LISTEN_WAKE_MS (see listen.h), so the
 * thread notices a stop without being signalled: a signal could interrupt
 * the read of a request already accepted. On SIGTERM the
 * main thread lets busy threads finish their request; nothing in flight is
 * cut off. Each thread reports its state and route on the scoreboard slot
 * the master gave this worker, and counts what it served there.
 */
#include "worker.h"

#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <sodium.h>

#include "cache.h"
#include "dataver.h"
#include "db.h"
#include "dispatch.h"
#include "listen.h"
#include "log.h"
#include "scoreboard.h"
#include "site.h"

struct worker_thread {
	pthread_t id;
	int started;
	const struct site *site;
	int listen_fd;
	struct sb_worker *board;	/* this worker's slot */
	struct sb_thread *slot;		/* this thread's part of it */
	const unsigned *route_index;	/* scoreboard index per router entry */
};

static volatile sig_atomic_t worker_stopping;
static pthread_mutex_t worker_accept_lock = PTHREAD_MUTEX_INITIALIZER;

/* Signals that mean the code running in a thread crashed. */
static const int worker_crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE,
    SIGABRT, SIGSYS };
static struct sigaction worker_crash_previous[sizeof(worker_crash_signals) /
    sizeof(worker_crash_signals[0])];

static void
worker_on_signal(int sig)
{
	if (sig == SIGTERM || sig == SIGINT || sig == SIGQUIT)
		worker_stopping = 1;
}

/*
 * A crash: mark the thread that crashed, so that the master blames the
 * plugin it was running and not its neighbours, then hand the signal to
 * whoever had it before (a sanitizer's report, or the default: death).
 */
static void
worker_on_crash(int sig)
{
	struct sb_thread *t = scoreboard_thread();
	size_t i;

	if (t != NULL)
		atomic_store(&t->crashed, 1);
	for (i = 0; i < sizeof(worker_crash_signals) / sizeof(int); i++)
		if (worker_crash_signals[i] == sig) {
			sigaction(sig, &worker_crash_previous[i], NULL);
			break;
		}
	raise(sig);
}

static void
worker_crash_handlers(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = worker_on_crash;
	sa.sa_flags = SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(worker_crash_signals) / sizeof(int); i++)
		sigaction(worker_crash_signals[i], &sa, &worker_crash_previous[i]);
}

int
worker_drop_privileges(const struct config *cfg, char *err, size_t errlen)
{
	struct passwd *pw;

	if (geteuid() != 0) {
		if (cfg->user[0] != '\0' && (pw = getpwnam(cfg->user)) != NULL &&
		    pw->pw_uid != geteuid()) {
			snprintf(err, errlen, "%s: user = %s, but only root can switch "
			    "users", cfg->path, cfg->user);
			return -1;
		}
		return 0;
	}
	if (cfg->user[0] == '\0') {
		snprintf(err, errlen, "%s: running as root: set [core] user to the "
		    "account workers should run as", cfg->path);
		return -1;
	}
	if ((pw = getpwnam(cfg->user)) == NULL) {
		snprintf(err, errlen, "%s: user %s does not exist", cfg->path,
		    cfg->user);
		return -1;
	}
	if (pw->pw_uid == 0) {
		snprintf(err, errlen, "%s: user %s is root; workers must not run as "
		    "root", cfg->path, cfg->user);
		return -1;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 ||
	    setuid(pw->pw_uid) < 0) {
		snprintf(err, errlen, "cannot switch to user %s: %s", cfg->user,
		    strerror(errno));
		return -1;
	}
	/* Make sure it cannot be undone. */
	if (setuid(0) == 0) {
		snprintf(err, errlen, "could still regain root after switching to %s",
		    cfg->user);
		return -1;
	}
	return 0;
}

static long
fcgi_read(void *ctx, char *buf, size_t n)
{
	FCGX_Request *r = ctx;

	if (n > 1 << 30)
		n = 1 << 30;
	return FCGX_GetStr(buf, (int)n, r->in);
}

static int
fcgi_write(void *ctx, const char *data, size_t n)
{
	FCGX_Request *r = ctx;

	while (n > 0) {
		int chunk = n > (1u << 30) ? 1 << 30 : (int)n;

		if (FCGX_PutStr(data, chunk, r->out) != chunk)
			return -1;
		data += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

/*
 * Wait for a connection and accept it; 0 with a request, -1 when stopping
 * or on an error that ends the thread. Called with the accept lock held.
 * accept() returns every LISTEN_WAKE_MS without a connection, so that the
 * thread sees worker_stopping; the connection inherits that timeout from
 * the listening socket, and loses it here, before its body is read.
 */
static int
worker_accept(struct worker_thread *t, FCGX_Request *request)
{
	static const struct timeval none = { 0, 0 };
	int rc;

	(void)t;
	while (!worker_stopping) {
		rc = FCGX_Accept_r(request);
		if (rc >= 0) {
			setsockopt(request->ipcFd, SOL_SOCKET, SO_RCVTIMEO, &none,
			    sizeof(none));
			return 0;
		}
		/* No connection yet, or the client gave up. */
		if (rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR ||
		    rc == -ECONNABORTED)
			continue;
		log_errx("accept failed (%d)", rc);
		return -1;
	}
	return -1;
}

/* The scoreboard index of the route dispatch served, 0 for none. */
static unsigned
worker_route_index(const struct worker_thread *t,
    const struct dispatch_result *r)
{
	const struct router *router = &t->site->router;
	size_t i;

	if (r->route == NULL)
		return 0;
	for (i = 0; i < router->count; i++)
		if (router->entries[i]->route->pattern == r->route &&
		    router->entries[i]->owner_name == r->plugin)
			return t->route_index[i];
	return 0;
}

/* The render cache's totals, as this worker's (absolute, not added). */
static void
worker_count_cache(struct sb_worker *board)
{
	struct cache_stats st;

	if (!cache_enabled())
		return;
	cache_stats(&st);
	atomic_store(&board->counters.cache_hits, st.hits);
	atomic_store(&board->counters.cache_misses, st.misses);
	atomic_store(&board->counters.cache_stores, st.stores);
	atomic_store(&board->counters.cache_evictions, st.evictions);
	atomic_store(&board->cache_entries, st.entries);
	atomic_store(&board->cache_bytes, st.bytes);
}

static void
worker_count(struct worker_thread *t, const struct dispatch_result *r,
    long long started, unsigned long reconnects)
{
	struct sb_counters *c = &t->board->counters;
	long long micros = (scoreboard_now_ns() - started) / 1000;
	const struct config *cfg = t->site->config;
	unsigned long long served;

	scoreboard_count(c, worker_route_index(t, r), r->status,
	    micros > 0 ? (unsigned long long)micros : 0);
	if (r->db_status != 0)
		atomic_fetch_add_explicit(&c->db_errors, 1, memory_order_relaxed);
	if (reconnects != 0)
		atomic_fetch_add_explicit(&c->db_reconnects, reconnects,
		    memory_order_relaxed);
	worker_count_cache(t->board);
	served = atomic_fetch_add(&t->board->served, 1) + 1;
	/* The master starts a replacement, then tells this one to stop. */
	if (cfg->max_requests > 0 && served >= (unsigned long long)cfg->max_requests)
		atomic_store(&t->board->retiring, 1);
}

static void *
worker_thread_main(void *arg)
{
	struct worker_thread *t = arg;
	const struct config *cfg = t->site->config;
	struct dispatch_result result;
	struct db_conn *db;
	FCGX_Request request;
	unsigned long reconnects;
	long long started;
	int rc;

	scoreboard_bind_thread(t->slot);
	db = db_conn_new(cfg->database, cfg->connect_timeout, cfg->statement_timeout);
	if (db == NULL || FCGX_InitRequest(&request, t->listen_fd, 0) != 0) {
		log_errx("cannot set up a request thread");
		atomic_store(&t->slot->state, SB_DONE);
		db_conn_free(db);
		return NULL;
	}
	while (!worker_stopping) {
		pthread_mutex_lock(&worker_accept_lock);
		atomic_store(&t->slot->state, SB_ACCEPTING);
		rc = worker_accept(t, &request);
		if (rc == 0) {
			scoreboard_running("", "", "", "");
			atomic_store(&t->slot->started_ns, scoreboard_now_ns());
			atomic_store(&t->slot->state, SB_BUSY);
		}
		pthread_mutex_unlock(&worker_accept_lock);
		if (rc < 0)
			break;
		started = atomic_load(&t->slot->started_ns);
		reconnects = db_reconnects(db);
		memset(&result, 0, sizeof(result));
		dispatch_serve(t->site, db, request.envp, fcgi_read, &request,
		    fcgi_write, &request, &result);
		/* Counted after the body is written but before the end of the
		 * request reaches nginx, so that a client who has its answer
		 * also finds it in /-/metrics. */
		FCGX_FFlush(request.out);
		worker_count(t, &result, started, db_reconnects(db) - reconnects);
		FCGX_Finish_r(&request);
		atomic_store(&t->slot->state, SB_IDLE);
		atomic_store(&t->slot->started_ns, 0);
	}
	FCGX_Free(&request, 0);
	db_conn_free(db);
	atomic_store(&t->slot->state, SB_DONE);
	return NULL;
}

static int
worker_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = worker_on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGQUIT, &sa, NULL) < 0)
		return -1;
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	return 0;
}

/* Scoreboard route index of each router entry (registered by the check). */
static unsigned *
worker_route_indexes(const struct site *site)
{
	unsigned *idx;
	size_t i;

	idx = calloc(site->router.count + 1, sizeof(*idx));
	if (idx == NULL)
		return NULL;
	for (i = 0; i < site->router.count; i++)
		idx[i] = scoreboard_route_index(site->router.entries[i]->owner_name,
		    site->router.entries[i]->route->pattern, 0);
	return idx;
}

int
worker_main(const struct config *cfg, int listen_fd, struct sb_worker *board)
{
	struct worker_thread *threads = NULL;
	struct site *site = NULL;
	unsigned *route_index = NULL;
	char err[1024];
	arena *a = NULL;
	sigset_t all, old;
	int i, alive, status = 1;

	if (worker_signals() < 0 || sodium_init() < 0) {
		log_err("worker set-up");
		return 1;
	}
	worker_crash_handlers();
	if (worker_drop_privileges(cfg, err, sizeof(err)) < 0) {
		log_errx("%s", err);
		return 1;
	}
	if ((a = arena_create(65536)) == NULL)
		goto done;
	if (site_open(a, cfg, 1, &site, err, sizeof(err)) < 0) {
		log_errx("%s", err);
		goto done;
	}
	if (FCGX_Init() != 0) {
		log_errx("FCGX_Init failed");
		goto done;
	}
	/* Each worker keeps its own pages (and vocabulary); a reload starts
	 * with none. The listener hears of changes made elsewhere. */
	if (cache_open(cfg->render_cache, cfg->render_cache_max_age) < 0 ||
	    dataver_listen_start(cfg) < 0) {
		log_errx("cannot start the render cache");
		goto done;
	}
	threads = calloc((size_t)cfg->threads, sizeof(*threads));
	route_index = worker_route_indexes(site);
	if (threads == NULL || route_index == NULL)
		goto done;
	/* Request threads ignore the stop signals; the main thread takes them. */
	sigemptyset(&all);
	sigaddset(&all, SIGTERM);
	sigaddset(&all, SIGINT);
	sigaddset(&all, SIGQUIT);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < cfg->threads && i < SB_MAX_THREADS; i++) {
		threads[i].site = site;
		threads[i].listen_fd = listen_fd;
		threads[i].board = board;
		threads[i].slot = &board->threads[i];
		threads[i].route_index = route_index;
		atomic_store(&threads[i].slot->state, SB_IDLE);
		if (pthread_create(&threads[i].id, NULL, worker_thread_main,
		    &threads[i]) != 0) {
			log_errx("cannot start request thread %d", i);
			atomic_store(&threads[i].slot->state, SB_DONE);
		} else
			threads[i].started = 1;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	atomic_store(&board->ready, 1);
	log_info("worker serving with %d thread(s)", cfg->threads);
	for (;;) {
		alive = 0;
		for (i = 0; i < cfg->threads && i < SB_MAX_THREADS; i++)
			if (atomic_load(&board->threads[i].state) != SB_DONE)
				alive++;
		if (alive == 0)
			break;
		usleep(worker_stopping ? 20000 : 100000);
	}
	for (i = 0; i < cfg->threads; i++)
		if (threads[i].started)
			pthread_join(threads[i].id, NULL);
	status = 0;
done:
	dataver_listen_stop();
	cache_close();
	free(threads);
	free(route_index);
	site_close(site);
	arena_destroy(a);
	return status;
}

static long
cgi_read(void *ctx, char *buf, size_t n)
{
	(void)ctx;
	return (long)fread(buf, 1, n, stdin);
}

static int
cgi_write(void *ctx, const char *data, size_t n)
{
	(void)ctx;
	return fwrite(data, 1, n, stdout) == n ? 0 : -1;
}

int
worker_cgi(const struct config *cfg)
{
	extern char **environ;
	struct site *site = NULL;
	struct db_conn *db = NULL;
	char err[1024];
	arena *a;
	int status = 1;

	if (sodium_init() < 0 || (a = arena_create(65536)) == NULL)
		return 1;
	if (worker_drop_privileges(cfg, err, sizeof(err)) < 0 ||
	    site_open(a, cfg, 1, &site, err, sizeof(err)) < 0) {
		log_errx("%s", err);
		goto done;
	}
	db = db_conn_new(cfg->database, cfg->connect_timeout, cfg->statement_timeout);
	if (db == NULL)
		goto done;
	if (dispatch_serve(site, db, environ, cgi_read, NULL, cgi_write, NULL,
	    NULL) == 0)
		status = 0;
	fflush(stdout);
done:
	db_conn_free(db);
	site_close(site);
	arena_destroy(a);
	return status;
}
