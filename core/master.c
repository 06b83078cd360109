/*
 * master.c - `labnet serve`'s supervisor (see master.h).
 *
 * Owns the listening socket and the worker table. Signals only set flags;
 * the loop in master_serve() acts on them, so nothing complex runs in a
 * handler. A worker that dies is logged (pid, signal or status) and replaced;
 * deaths in quick succession slow respawning down instead of spinning.
 */
#include "master.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "site.h"
#include "worker.h"

#define STOP_GRACE_SECONDS 30
#define RESPAWN_WINDOW_SECONDS 10
#define RESPAWN_BURST 5

static volatile sig_atomic_t master_child_died;
static volatile sig_atomic_t master_stop;
static volatile sig_atomic_t master_hup;

struct worker_slot {
	pid_t pid;
	time_t started;
};

static void
master_on_signal(int sig)
{
	switch (sig) {
	case SIGCHLD: master_child_died = 1; break;
	case SIGHUP: master_hup = 1; break;
	default: master_stop = 1; break;
	}
}

int
master_as_worker(const struct config *cfg,
    int (*fn)(const struct config *cfg, void *arg), void *arg)
{
	char err[1024];
	pid_t pid;
	int status;

	/* Always a child: the master itself never maps plugin code. */
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		log_err("fork");
		return -1;
	}
	if (pid == 0) {
		if (worker_drop_privileges(cfg, err, sizeof(err)) < 0) {
			log_errx("%s", err);
			_exit(1);
		}
		status = fn(cfg, arg);
		fflush(stdout);
		_exit(status);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	log_errx("check child died on signal %d (%s)", WTERMSIG(status),
	    strsignal(WTERMSIG(status)));
	return -1;
}

/* A stale socket file is removed; a live one means another server. */
static int
unix_socket_clear(const char *path, const struct sockaddr_un *addr)
{
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		log_errx("%s exists and is not a socket", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return -1;
	rc = connect(fd, (const struct sockaddr *)addr, sizeof(*addr));
	close(fd);
	if (rc == 0) {
		log_errx("%s: another server is listening on it", path);
		return -1;
	}
	return unlink(path);
}

static int
listen_unix(const struct config *cfg)
{
	struct sockaddr_un addr;
	struct group *gr;
	mode_t old_mask;
	int fd = -1;

	if (strlen(cfg->listen) >= sizeof(addr.sun_path)) {
		log_errx("%s: listen path is longer than %zu bytes", cfg->listen,
		    sizeof(addr.sun_path) - 1);
		return -1;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, cfg->listen, strlen(cfg->listen));
	if (unix_socket_clear(cfg->listen, &addr) < 0)
		goto fail;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		goto fail;
	/* Create it with the final mode: no window where others can connect. */
	old_mask = umask(0777 & ~cfg->socket_mode);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		umask(old_mask);
		goto fail;
	}
	umask(old_mask);
	if (chmod(cfg->listen, cfg->socket_mode) < 0)
		goto fail;
	if (cfg->socket_group[0] != '\0') {
		if ((gr = getgrnam(cfg->socket_group)) == NULL) {
			log_errx("socket_group %s does not exist", cfg->socket_group);
			goto fail_quiet;
		}
		if (chown(cfg->listen, (uid_t)-1, gr->gr_gid) < 0)
			goto fail;
	}
	if (listen(fd, 1024) < 0)
		goto fail;
	return fd;
fail:
	log_err("listen on %s", cfg->listen);
fail_quiet:
	if (fd >= 0)
		close(fd);
	return -1;
}

static int
listen_tcp(const struct config *cfg)
{
	struct addrinfo hints, *res = NULL, *ai;
	char host[256];
	const char *colon, *port;
	size_t hlen;
	int fd = -1, one = 1, rc;

	colon = strrchr(cfg->listen, ':');
	if (colon == NULL)
		return -1;
	port = colon + 1;
	hlen = (size_t)(colon - cfg->listen);
	if (cfg->listen[0] == '[' && hlen >= 2 && cfg->listen[hlen - 1] == ']') {
		memcpy(host, cfg->listen + 1, hlen - 2);
		host[hlen - 2] = '\0';
	} else {
		if (hlen >= sizeof(host))
			return -1;
		memcpy(host, cfg->listen, hlen);
		host[hlen] = '\0';
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res)) != 0) {
		log_errx("listen %s: %s", cfg->listen, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1024) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		log_err("listen on %s", cfg->listen);
	return fd;
}

static int
master_listen(const struct config *cfg)
{
	if (cfg->listen[0] == '/')
		return listen_unix(cfg);
	if (strchr(cfg->listen, ':') != NULL)
		return listen_tcp(cfg);
	log_errx("listen = %s: expected an absolute socket path or host:port",
	    cfg->listen);
	return -1;
}

static pid_t
master_spawn(const struct config *cfg, int listen_fd)
{
	sigset_t none;
	pid_t pid;
	int fd;

	pid = fork();
	if (pid != 0) {
		if (pid < 0)
			log_err("fork");
		return pid;
	}
	signal(SIGCHLD, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* libfcgi accepts on the fd it is given; keep it open in the worker. */
	fd = fcntl(listen_fd, F_GETFD);
	if (fd >= 0)
		fcntl(listen_fd, F_SETFD, fd & ~FD_CLOEXEC);
	_exit(worker_main(cfg, listen_fd));
}

static void
master_log_death(pid_t pid, int status)
{
	if (WIFSIGNALED(status))
		log_errx("worker %d died on signal %d (%s)", (int)pid,
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (WEXITSTATUS(status) != 0)
		log_errx("worker %d exited with status %d", (int)pid,
		    WEXITSTATUS(status));
	else
		log_info("worker %d exited", (int)pid);
}

static int check_site(const struct config *cfg, void *arg);

int
master_serve(const struct config *cfg)
{
	struct worker_slot *slots = NULL;
	struct sigaction sa;
	sigset_t block, old;
	time_t deaths[RESPAWN_BURST] = { 0 }, now, deadline;
	size_t death_index = 0;
	int listen_fd = -1, i, status, alive, rc = 1;
	pid_t pid;

	if (master_as_worker(cfg, check_site, NULL) != 0) {
		log_errx("the site did not pass its check; not serving");
		return 1;
	}
	if ((listen_fd = master_listen(cfg)) < 0)
		return 1;
	slots = calloc((size_t)cfg->workers, sizeof(*slots));
	if (slots == NULL)
		goto done;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = master_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGQUIT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);

	log_info("listening on %s with %d worker(s)", cfg->listen, cfg->workers);
	for (i = 0; i < cfg->workers; i++) {
		slots[i].pid = master_spawn(cfg, listen_fd);
		slots[i].started = time(NULL);
	}
	while (!master_stop) {
		sigsuspend(&old);
		if (master_hup) {
			master_hup = 0;
			log_warnx("SIGHUP: reloading is not supported yet; "
			    "restart to apply a new configuration");
		}
		if (!master_child_died)
			continue;
		master_child_died = 0;
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			for (i = 0; i < cfg->workers; i++)
				if (slots[i].pid == pid)
					break;
			if (i == cfg->workers)
				continue;
			master_log_death(pid, status);
			slots[i].pid = 0;
			if (master_stop)
				continue;
			now = time(NULL);
			/* Five deaths within ten seconds: wait before the next one. */
			if (deaths[death_index] != 0 &&
			    now - deaths[death_index] < RESPAWN_WINDOW_SECONDS) {
				log_errx("workers are dying quickly; respawning more slowly");
				sleep(1);
			}
			deaths[death_index] = now;
			death_index = (death_index + 1) % RESPAWN_BURST;
			slots[i].pid = master_spawn(cfg, listen_fd);
			slots[i].started = now;
			if (slots[i].pid > 0)
				log_info("worker %d started in place of %d",
				    (int)slots[i].pid, (int)pid);
		}
	}
	log_info("stopping: letting workers finish their requests");
	for (i = 0; i < cfg->workers; i++)
		if (slots[i].pid > 0)
			kill(slots[i].pid, SIGTERM);
	deadline = time(NULL) + STOP_GRACE_SECONDS;
	for (;;) {
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			for (i = 0; i < cfg->workers; i++)
				if (slots[i].pid == pid)
					slots[i].pid = 0;
		alive = 0;
		for (i = 0; i < cfg->workers; i++)
			alive += slots[i].pid > 0;
		if (alive == 0)
			break;
		if (time(NULL) >= deadline) {
			log_errx("%d worker(s) still busy after %d s; killing them",
			    alive, STOP_GRACE_SECONDS);
			for (i = 0; i < cfg->workers; i++)
				if (slots[i].pid > 0)
					kill(slots[i].pid, SIGKILL);
		}
		usleep(20000);
	}
	rc = 0;
	log_info("stopped");
done:
	if (listen_fd >= 0) {
		close(listen_fd);
		if (cfg->listen[0] == '/')
			unlink(cfg->listen);
	}
	free(slots);
	return rc;
}

/* The throw-away check: load everything, run init and fini, unload. */
static int
check_site(const struct config *cfg, void *arg)
{
	struct site *site = NULL;
	char err[1024];
	arena *a;
	int rc;

	(void)arg;
	if ((a = arena_create(65536)) == NULL)
		return 1;
	rc = site_open(a, cfg, 1, &site, err, sizeof(err));
	if (rc < 0)
		log_errx("%s", err);
	site_close(site);
	arena_destroy(a);
	return rc < 0 ? 1 : 0;
}
