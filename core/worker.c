/*
 * worker.c - worker processes (see worker.h).
 *
 * Each request thread owns its FastCGI request, its database connection and
 * (through dispatch) its arenas; the site is shared read-only. accept() is
 * serialised by a mutex, as libfcgi's threaded example does. On SIGTERM the
 * main thread wakes threads that wait in accept() and lets busy ones finish
 * their request; nothing in flight is cut off.
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
#include <unistd.h>

#include <fcgiapp.h>
#include <sodium.h>

#include "db.h"
#include "dispatch.h"
#include "log.h"
#include "site.h"

enum thread_state { THREAD_STARTING, THREAD_ACCEPTING, THREAD_BUSY, THREAD_DONE };

struct worker_thread {
	pthread_t id;
	const struct site *site;
	int listen_fd;
	volatile sig_atomic_t state;
	unsigned long served;
};

static volatile sig_atomic_t worker_stopping;
static pthread_mutex_t worker_accept_lock = PTHREAD_MUTEX_INITIALIZER;

static void
worker_on_signal(int sig)
{
	if (sig == SIGTERM || sig == SIGINT || sig == SIGQUIT)
		worker_stopping = 1;
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

static void *
worker_thread_main(void *arg)
{
	struct worker_thread *t = arg;
	const struct config *cfg = t->site->config;
	struct db_conn *db;
	FCGX_Request request;
	int rc;

	db = db_conn_new(cfg->database, cfg->connect_timeout, cfg->statement_timeout);
	if (db == NULL || FCGX_InitRequest(&request, t->listen_fd,
	    FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		log_errx("cannot set up a request thread");
		t->state = THREAD_DONE;
		db_conn_free(db);
		return NULL;
	}
	while (!worker_stopping) {
		pthread_mutex_lock(&worker_accept_lock);
		if (worker_stopping) {
			pthread_mutex_unlock(&worker_accept_lock);
			break;
		}
		t->state = THREAD_ACCEPTING;
		rc = FCGX_Accept_r(&request);
		t->state = THREAD_BUSY;
		pthread_mutex_unlock(&worker_accept_lock);
		if (rc < 0) {
			if (worker_stopping || errno == EINTR)
				continue;
			log_errx("accept failed (%d)", rc);
			break;
		}
		dispatch_serve(t->site, db, request.envp, fcgi_read, &request,
		    fcgi_write, &request, NULL);
		FCGX_Finish_r(&request);
		t->served++;
		if (cfg->max_requests > 0 && t->served >= (unsigned long)cfg->max_requests)
			worker_stopping = 1;
	}
	FCGX_Free(&request, 0);
	db_conn_free(db);
	t->state = THREAD_DONE;
	return NULL;
}

static int
worker_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = worker_on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a signal must interrupt accept(). */
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGQUIT, &sa, NULL) < 0 || sigaction(SIGUSR1, &sa, NULL) < 0)
		return -1;
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	return 0;
}

int
worker_main(const struct config *cfg, int listen_fd)
{
	struct worker_thread *threads = NULL;
	struct site *site = NULL;
	char err[1024];
	arena *a = NULL;
	sigset_t all, old;
	int i, alive, status = 1;

	if (worker_signals() < 0 || sodium_init() < 0) {
		log_err("worker set-up");
		return 1;
	}
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
	threads = calloc((size_t)cfg->threads, sizeof(*threads));
	if (threads == NULL)
		goto done;
	/* Request threads ignore the stop signals; the main thread takes them. */
	sigemptyset(&all);
	sigaddset(&all, SIGTERM);
	sigaddset(&all, SIGINT);
	sigaddset(&all, SIGQUIT);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < cfg->threads; i++) {
		threads[i].site = site;
		threads[i].listen_fd = listen_fd;
		if (pthread_create(&threads[i].id, NULL, worker_thread_main,
		    &threads[i]) != 0) {
			log_errx("cannot start request thread %d", i);
			threads[i].state = THREAD_DONE;
			threads[i].id = 0;
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	log_info("worker serving with %d thread(s)", cfg->threads);
	for (;;) {
		alive = 0;
		for (i = 0; i < cfg->threads; i++)
			if (threads[i].state != THREAD_DONE) {
				alive++;
				/* Wake a thread that waits in accept(). */
				if (worker_stopping && threads[i].state == THREAD_ACCEPTING)
					pthread_kill(threads[i].id, SIGUSR1);
			}
		if (alive == 0)
			break;
		usleep(worker_stopping ? 20000 : 100000);
	}
	for (i = 0; i < cfg->threads; i++)
		if (threads[i].id != 0)
			pthread_join(threads[i].id, NULL);
	status = 0;
done:
	free(threads);
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
