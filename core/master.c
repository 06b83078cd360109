/*
 * master.c - `labnet serve`'s supervisor (see master.h).
 *
 * Owns the listening socket, the scoreboard and the table of workers; never
 * maps plugin code. The loop waits for a signal (sigtimedwait, every signal
 * blocked, no handlers doing work) or a 200 ms tick, then reaps children and
 * brings the table back to what the configuration asks for:
 *
 * - a dead worker is logged with what its scoreboard slot says it was
 *   serving, and replaced; more than crash_loop_deaths deaths within
 *   crash_loop_window seconds space respawns out (a timer, never a sleep);
 * - a worker that crashes while running a plugin's code counts against that
 *   plugin; quarantine_crashes within quarantine_window switch the plugin
 *   off (its routes answer 503) until a reload;
 * - a worker that served max_requests asks to retire: a replacement starts,
 *   and once it accepts, the old one is told to finish and exit;
 * - a request running longer than request_timeout gets its worker killed;
 * - SIGHUP re-reads the configuration and checks it, and every plugin, in a
 *   throw-away child; only then a new generation starts, and once all of it
 *   accepts, the old generation finishes its requests and exits;
 * - SIGTERM/SIGINT/SIGQUIT: workers finish what they serve, then all exit.
 */
#include "master.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "listen.h"
#include "log.h"
#include "scoreboard.h"
#include "site.h"
#include "worker.h"

#define STOP_GRACE_SECONDS 30
#define SWITCH_GRACE_SECONDS 60	/* a new generation must accept by then */
#define TICK_NS 200000000L
#define BACKOFF_MAX_SECONDS 30.0
#define DEATH_HISTORY 256
#define PLUGIN_DEATH_HISTORY 64

enum worker_fate { FATE_SERVE, FATE_RECYCLE, FATE_TIMEOUT, FATE_RELOAD,
    FATE_STOP };

struct worker_entry {
	pid_t pid;			/* 0: free */
	unsigned generation;
	enum worker_fate fate;
	int told;			/* SIGTERM sent */
};

struct plugin_deaths {
	char name[SB_NAME_LEN];
	double at[PLUGIN_DEATH_HISTORY];
	int next;
};

struct master {
	const struct config *cfg;	/* the configuration serving now */
	arena *cfg_arena;		/* owns cfg after a reload, else NULL */
	struct listener listener;
	struct scoreboard *sb;
	struct worker_entry *workers;	/* one per scoreboard slot */
	int capacity;
	unsigned generation;		/* serving */
	unsigned next_generation;

	double deaths[DEATH_HISTORY];	/* unexpected deaths, a ring */
	int death_next;
	double backoff;			/* seconds between respawns; 0: none */
	double next_respawn;

	struct plugin_deaths plugins[SB_MAX_PLUGINS];

	int reload_wanted;
	pid_t check_pid;		/* a reload's check child */
	struct config *check_cfg;
	arena *check_arena;
	unsigned switching;		/* generation starting, 0: none */
	double switch_started;
	const struct config *old_cfg;	/* kept while a switch may fail */
	arena *old_arena;
};

static void
master_on_signal(int sig)
{
	(void)sig;
}

static double
master_now(void)
{
	return (double)scoreboard_now_ns() / 1e9;
}

static int
master_check_site(const struct config *cfg, void *arg);

/* Child side of every fork: default signals, nothing blocked. */
static void
master_child_signals(void)
{
	sigset_t none;

	signal(SIGCHLD, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
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

/* ------------------------------------------------------------ workers */

static int
master_spawn(struct master *m, const struct config *cfg, unsigned generation)
{
	struct sb_worker *board;
	pid_t pid;
	int i, flags;

	for (i = 0; i < m->capacity; i++)
		if (m->workers[i].pid == 0)
			break;
	if (i == m->capacity) {
		log_errx("no free scoreboard slot for another worker");
		return -1;
	}
	board = &m->sb->workers[i];
	atomic_store(&board->generation, generation);
	pid = fork();
	if (pid < 0) {
		log_err("fork");
		return -1;
	}
	if (pid == 0) {
		master_child_signals();
		atomic_store(&board->pid, (int)getpid());
		/* libfcgi accepts on the fd it is given; keep it in the worker. */
		flags = fcntl(m->listener.fd, F_GETFD);
		if (flags >= 0)
			fcntl(m->listener.fd, F_SETFD, flags & ~FD_CLOEXEC);
		_exit(worker_main(cfg, m->listener.fd, board));
	}
	atomic_store(&board->pid, (int)pid);
	m->workers[i].pid = pid;
	m->workers[i].generation = generation;
	m->workers[i].fate = FATE_SERVE;
	m->workers[i].told = 0;
	return i;
}

static void
master_tell(struct master *m, int i, enum worker_fate fate)
{
	struct worker_entry *w = &m->workers[i];

	if (w->pid <= 0 || w->told)
		return;
	if (w->fate == FATE_SERVE || fate == FATE_STOP)
		w->fate = fate;
	w->told = 1;
	kill(w->pid, SIGTERM);
}

/* "GET /x (plugin p, request r)" for each busy thread of a slot. */
static void
master_describe(const struct sb_worker *board, char *out, size_t n)
{
	const struct sb_thread *t;
	size_t used = 0;
	int i, k;

	out[0] = '\0';
	for (i = 0; i < SB_MAX_THREADS && used < n; i++) {
		t = &board->threads[i];
		if (atomic_load(&t->state) != SB_BUSY)
			continue;
		if (t->route[0] == '\0')
			k = snprintf(out + used, n - used, "%sa request it was reading",
			    used ? "; " : "");
		else
			k = snprintf(out + used, n - used,
			    "%s%s %s (plugin %s, request %s)%s", used ? "; " : "",
			    t->method, t->route, t->plugin,
			    t->request_id[0] ? t->request_id : "-",
			    atomic_load(&t->crashed) ? " <- crashed here" : "");
		if (k < 0)
			break;
		used += (size_t)k;
	}
	if (used >= n)
		out[n - 1] = '\0';
}

static void
master_plugin_crashed(struct master *m, const char *plugin)
{
	const struct config *cfg = m->cfg;
	struct plugin_deaths *p = NULL;
	double now = master_now();
	int i, recent = 0;

	if (cfg->quarantine_crashes <= 0 || plugin[0] == '\0' ||
	    strcmp(plugin, "core") == 0)
		return;
	for (i = 0; i < SB_MAX_PLUGINS; i++)
		if (m->plugins[i].name[0] == '\0' ||
		    strcmp(m->plugins[i].name, plugin) == 0) {
			p = &m->plugins[i];
			break;
		}
	if (p == NULL)
		return;
	if (p->name[0] == '\0')
		scoreboard_copy(p->name, sizeof(p->name), plugin);
	p->at[p->next] = now;
	p->next = (p->next + 1) % PLUGIN_DEATH_HISTORY;
	for (i = 0; i < PLUGIN_DEATH_HISTORY; i++)
		if (p->at[i] != 0 && now - p->at[i] <= cfg->quarantine_window)
			recent++;
	if (recent >= cfg->quarantine_crashes && !scoreboard_quarantined(plugin)) {
		scoreboard_quarantine(plugin);
		log_errx("plugin %s quarantined: its code crashed %d workers within "
		    "%d s; its routes answer 503 until the site is reloaded (SIGHUP)",
		    plugin, recent, cfg->quarantine_window);
	}
}

/* Blame the plugin(s) a crashed worker was running. */
static void
master_blame(struct master *m, const struct sb_worker *board)
{
	const struct sb_thread *t;
	int i, marked = 0;

	for (i = 0; i < SB_MAX_THREADS; i++)
		marked |= atomic_load(&board->threads[i].crashed);
	for (i = 0; i < SB_MAX_THREADS; i++) {
		t = &board->threads[i];
		if (atomic_load(&t->state) != SB_BUSY)
			continue;
		if (marked && !atomic_load(&t->crashed))
			continue;
		master_plugin_crashed(m, t->plugin);
	}
}

static int
master_crash_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
	    sig == SIGABRT || sig == SIGSYS;
}

/* Count an unexpected death; enter or leave the crash loop back-off. */
static void
master_count_death(struct master *m)
{
	const struct config *cfg = m->old_cfg ? m->old_cfg : m->cfg;
	double now = master_now();
	int i, recent = 0;

	m->deaths[m->death_next] = now;
	m->death_next = (m->death_next + 1) % DEATH_HISTORY;
	for (i = 0; i < DEATH_HISTORY; i++)
		if (m->deaths[i] != 0 && now - m->deaths[i] <= cfg->crash_loop_window)
			recent++;
	if (recent > cfg->crash_loop_deaths) {
		if (m->backoff == 0) {
			m->backoff = 1;
			log_errx("%d workers died within %d s: respawning more slowly; "
			    "serving with the workers that are left", recent,
			    cfg->crash_loop_window);
		} else if (m->backoff < BACKOFF_MAX_SECONDS)
			m->backoff *= 2;
	}
}

static void
master_reaped(struct master *m, int i, int status)
{
	struct worker_entry *w = &m->workers[i];
	struct sb_worker *board = &m->sb->workers[i];
	char serving[1024];
	enum sb_cause cause = SB_NCAUSES;
	int sig;

	master_describe(board, serving, sizeof(serving));
	if (WIFSIGNALED(status)) {
		sig = WTERMSIG(status);
		log_errx("worker %d died on signal %d (%s)%s%s [generation %u]",
		    (int)w->pid, sig, strsignal(sig),
		    serving[0] ? " while serving " : ", idle", serving,
		    w->generation);
		if (w->fate == FATE_TIMEOUT)
			cause = SB_CAUSE_TIMEOUT;
		else if (w->fate != FATE_STOP) {
			cause = SB_CAUSE_CRASH;
			if (master_crash_signal(sig))
				master_blame(m, board);
			if (w->fate == FATE_SERVE)
				master_count_death(m);
		}
	} else if (WEXITSTATUS(status) != 0) {
		log_errx("worker %d exited with status %d%s%s [generation %u]",
		    (int)w->pid, WEXITSTATUS(status),
		    serving[0] ? " while serving " : "", serving, w->generation);
		cause = SB_CAUSE_EXIT;
		if (w->fate == FATE_SERVE)
			master_count_death(m);
	} else {
		log_info("worker %d exited%s [generation %u]", (int)w->pid,
		    w->fate == FATE_RECYCLE ? " after max_requests" :
		    w->fate == FATE_RELOAD ? " after the reload" : "",
		    w->generation);
		cause = w->fate == FATE_RECYCLE ? SB_CAUSE_MAX_REQUESTS :
		    w->fate == FATE_RELOAD ? SB_CAUSE_RELOAD :
		    w->fate == FATE_SERVE ? SB_CAUSE_EXIT : SB_NCAUSES;
		if (w->fate == FATE_SERVE)
			master_count_death(m);
	}
	if (cause != SB_NCAUSES)
		atomic_fetch_add(&m->sb->restarts[cause], 1);
	/* A worker of a starting generation failed: the reload is off. */
	if (m->switching != 0 && w->generation == m->switching &&
	    w->fate == FATE_SERVE) {
		log_errx("reload failed: a worker of generation %u did not start; "
		    "generation %u keeps serving", m->switching, m->generation);
		m->switching = 0;
	}
	scoreboard_retire(board);
	memset(w, 0, sizeof(*w));
}

static void master_checked(struct master *m, int status);

static void
master_reap(struct master *m)
{
	pid_t pid;
	int status, i;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == m->check_pid) {
			m->check_pid = 0;
			master_checked(m, status);
			continue;
		}
		for (i = 0; i < m->capacity; i++)
			if (m->workers[i].pid == pid) {
				master_reaped(m, i, status);
				break;
			}
	}
}

/* ------------------------------------------------------------ reloads */

/* Forget the configuration a finished switch replaced. */
static void
master_drop_old_config(struct master *m)
{
	if (m->old_arena != NULL)
		arena_destroy(m->old_arena);
	m->old_arena = NULL;
	m->old_cfg = NULL;
}

static void
master_reload_start(struct master *m)
{
	char err[1024];
	arena *a;
	struct config *cfg;
	pid_t pid;

	m->reload_wanted = 0;
	log_info("SIGHUP: reloading %s", m->cfg->path);
	if ((a = arena_create(65536)) == NULL ||
	    (cfg = arena_calloc(a, 1, sizeof(*cfg))) == NULL) {
		log_errx("reload failed: out of memory; the running generation keeps "
		    "serving");
		arena_destroy(a);
		return;
	}
	if (config_load(a, m->cfg->path, cfg, err, sizeof(err)) < 0) {
		log_errx("reload failed: %s; the running generation keeps serving",
		    err);
		arena_destroy(a);
		return;
	}
	if (strcmp(cfg->listen, m->cfg->listen) != 0 ||
	    cfg->socket_mode != m->cfg->socket_mode ||
	    strcmp(cfg->socket_group, m->cfg->socket_group) != 0)
		log_warnx("reload: the listening socket settings changed; they apply "
		    "at the next restart");
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		log_err("reload failed: fork");
		arena_destroy(a);
		return;
	}
	if (pid == 0) {
		master_child_signals();
		if (worker_drop_privileges(cfg, err, sizeof(err)) < 0) {
			log_errx("%s", err);
			_exit(1);
		}
		_exit(master_check_site(cfg, NULL));
	}
	m->check_pid = pid;
	m->check_cfg = cfg;
	m->check_arena = a;
}

/* The check child of a reload is done: start the new generation, or not. */
static void
master_checked(struct master *m, int status)
{
	struct config *cfg = m->check_cfg;
	arena *a = m->check_arena;
	int i;

	m->check_cfg = NULL;
	m->check_arena = NULL;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		log_errx("reload failed: the new configuration or a plugin did not "
		    "pass its check (see above); generation %u keeps serving",
		    m->generation);
		arena_destroy(a);
		return;
	}
	if (cfg->workers * 2 > m->capacity) {
		log_warnx("reload: workers = %d needs a restart; serving with %d",
		    cfg->workers, m->capacity / 2);
		cfg->workers = m->capacity / 2;
	}
	log_set_level(cfg->log_level);
	m->old_cfg = m->cfg;
	m->old_arena = m->cfg_arena;
	m->cfg = cfg;
	m->cfg_arena = a;
	m->switching = ++m->next_generation;
	m->switch_started = master_now();
	for (i = 0; i < cfg->workers; i++)
		if (master_spawn(m, cfg, m->switching) < 0)
			break;
	log_info("reload: generation %u starting with %d worker(s)", m->switching,
	    cfg->workers);
}

/* Finish or abandon a switch to a new generation. */
static void
master_switch(struct master *m)
{
	int i, ready = 0;

	if (m->switching == 0) {
		if (m->old_cfg != NULL) {
			/* Abandoned: the previous configuration serves on. */
			for (i = 0; i < m->capacity; i++)
				if (m->workers[i].pid > 0 &&
				    m->workers[i].generation != m->generation)
					master_tell(m, i, FATE_RELOAD);
			if (m->cfg_arena != NULL)
				arena_destroy(m->cfg_arena);
			m->cfg = m->old_cfg;
			m->cfg_arena = m->old_arena;
			m->old_cfg = NULL;
			m->old_arena = NULL;
			log_set_level(m->cfg->log_level);
		}
		return;
	}
	for (i = 0; i < m->capacity; i++)
		if (m->workers[i].pid > 0 && m->workers[i].generation == m->switching &&
		    atomic_load(&m->sb->workers[i].ready))
			ready++;
	if (ready < m->cfg->workers) {
		if (master_now() - m->switch_started > SWITCH_GRACE_SECONDS) {
			log_errx("reload failed: generation %u did not start within %d s; "
			    "generation %u keeps serving", m->switching,
			    SWITCH_GRACE_SECONDS, m->generation);
			m->switching = 0;
		}
		return;
	}
	for (i = 0; i < m->capacity; i++)
		if (m->workers[i].pid > 0 && m->workers[i].generation != m->switching)
			master_tell(m, i, FATE_RELOAD);
	log_info("reload: generation %u serving; generation %u finishes its "
	    "requests and exits", m->switching, m->generation);
	m->generation = m->switching;
	atomic_store(&m->sb->generation, m->generation);
	m->switching = 0;
	/* A reload lifts every quarantine. */
	scoreboard_quarantine_clear();
	memset(m->plugins, 0, sizeof(m->plugins));
	master_drop_old_config(m);
}

/* ------------------------------------------------------------ the loop */

/* Respawn what the serving generation lacks; recycle; enforce timeouts. */
static void
master_maintain(struct master *m)
{
	/* While a new generation starts, the old one keeps its configuration. */
	const struct config *cfg = m->old_cfg ? m->old_cfg : m->cfg;
	long long now_ns = scoreboard_now_ns(), started;
	struct sb_worker *board;
	struct sb_thread *t;
	int i, k, serving = 0, ready = 0;
	double now = master_now();

	for (i = 0; i < m->capacity; i++) {
		if (m->workers[i].pid <= 0)
			continue;
		board = &m->sb->workers[i];
		/* max_requests: replace first, then let it go (below). */
		if (m->workers[i].fate == FATE_SERVE && atomic_load(&board->retiring))
			m->workers[i].fate = FATE_RECYCLE;
		if (m->workers[i].generation == m->generation &&
		    m->workers[i].fate == FATE_SERVE) {
			serving++;
			ready += atomic_load(&board->ready) != 0;
		}
		if (cfg->request_timeout <= 0 || m->workers[i].fate == FATE_TIMEOUT)
			continue;
		for (k = 0; k < SB_MAX_THREADS; k++) {
			t = &board->threads[k];
			started = atomic_load(&t->started_ns);
			if (atomic_load(&t->state) != SB_BUSY || started == 0 ||
			    now_ns - started <= (long long)cfg->request_timeout *
			    1000000000LL)
				continue;
			log_errx("worker %d: %s %s (plugin %s, request %s) has run for "
			    "more than request_timeout = %d s; killing the worker",
			    (int)m->workers[i].pid, t->method, t->route[0] ? t->route :
			    "(reading the request)", t->plugin[0] ? t->plugin : "-",
			    t->request_id[0] ? t->request_id : "-", cfg->request_timeout);
			m->workers[i].fate = FATE_TIMEOUT;
			kill(m->workers[i].pid, SIGKILL);
			serving--;
			break;
		}
	}
	/* Retiring workers leave once the replacements accept. */
	if (ready >= cfg->workers)
		for (i = 0; i < m->capacity; i++)
			if (m->workers[i].pid > 0 && m->workers[i].fate == FATE_RECYCLE)
				master_tell(m, i, FATE_RECYCLE);
	for (; serving < cfg->workers; serving++) {
		if (m->backoff > 0 && now < m->next_respawn)
			break;
		if ((i = master_spawn(m, cfg, m->generation)) < 0)
			break;
		log_info("worker %d started (generation %u)", (int)m->workers[i].pid,
		    m->generation);
		if (m->backoff > 0) {
			m->next_respawn = now + m->backoff;
			break;
		}
	}
	/* Quiet for a whole window: back to immediate respawns. */
	if (m->backoff > 0) {
		for (i = 0; i < DEATH_HISTORY; i++)
			if (m->deaths[i] != 0 && now - m->deaths[i] <= cfg->crash_loop_window)
				break;
		if (i == DEATH_HISTORY) {
			m->backoff = 0;
			log_info("workers stay up again: respawning at once");
		}
	}
}

static int
master_live(const struct master *m)
{
	int i, n = 0;

	for (i = 0; i < m->capacity; i++)
		n += m->workers[i].pid > 0;
	return n;
}

/* Stop: every worker finishes what it serves; SIGKILL after the grace. */
static void
master_stop(struct master *m)
{
	double deadline;
	pid_t pid;
	int i, status;

	log_info("stopping: letting workers finish their requests");
	if (m->check_pid > 0)
		kill(m->check_pid, SIGKILL);
	for (i = 0; i < m->capacity; i++)
		master_tell(m, i, FATE_STOP);
	deadline = master_now() + STOP_GRACE_SECONDS;
	for (;;) {
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			if (pid == m->check_pid) {
				m->check_pid = 0;
				continue;
			}
			for (i = 0; i < m->capacity; i++)
				if (m->workers[i].pid == pid)
					master_reaped(m, i, status);
		}
		if (master_live(m) == 0 && m->check_pid == 0)
			break;
		if (master_now() >= deadline) {
			log_errx("%d worker(s) still busy after %d s; killing them",
			    master_live(m), STOP_GRACE_SECONDS);
			for (i = 0; i < m->capacity; i++)
				if (m->workers[i].pid > 0)
					kill(m->workers[i].pid, SIGKILL);
			deadline = master_now() + STOP_GRACE_SECONDS;
		}
		usleep(20000);
	}
}

int
master_serve(const struct config *cfg)
{
	static struct master m;
	struct sigaction sa;
	struct timespec tick = { 0, TICK_NS };
	siginfo_t info;
	sigset_t set;
	int sig, stop = 0, rc = 1;

	memset(&m, 0, sizeof(m));
	m.cfg = cfg;
	m.listener.fd = -1;
	/* Two generations side by side during a reload, plus replacements. */
	m.capacity = cfg->workers * 2 + 2;
	if ((m.sb = scoreboard_create(m.capacity)) == NULL)
		return 1;
	m.workers = calloc((size_t)m.capacity, sizeof(*m.workers));
	if (m.workers == NULL)
		return 1;
	/* The check registers the routes on the scoreboard for the metrics. */
	if (master_as_worker(cfg, master_check_site, NULL) != 0) {
		log_errx("the site did not pass its check; not serving");
		goto done;
	}
	if (listen_open(cfg, &m.listener) < 0)
		goto done;

	/* Every signal is taken by sigtimedwait() below; the no-op handler
	 * only makes sure SIGCHLD is never discarded as ignored. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = master_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	m.generation = m.next_generation = 1;
	atomic_store(&m.sb->generation, 1);
	log_info("listening on %s with %d worker(s) of %d thread(s)",
	    m.listener.what, cfg->workers, cfg->threads);
	while (!stop) {
		master_maintain(&m);
		sig = sigtimedwait(&set, &info, &tick);
		if (sig == SIGHUP) {
			if (m.check_pid > 0 || m.switching != 0)
				m.reload_wanted = 1;	/* after the one under way */
			else
				master_reload_start(&m);
		} else if (sig == SIGTERM || sig == SIGINT || sig == SIGQUIT)
			stop = 1;
		master_reap(&m);
		master_switch(&m);
		if (!stop && m.reload_wanted && m.check_pid == 0 && m.switching == 0)
			master_reload_start(&m);
	}
	master_stop(&m);
	rc = 0;
	log_info("stopped");
done:
	listen_close(m.cfg, &m.listener);
	free(m.workers);
	if (m.cfg_arena != NULL)
		arena_destroy(m.cfg_arena);
	master_drop_old_config(&m);
	return rc;
}

/*
 * The throw-away check: load everything, run init and fini, unload. It
 * also registers every route on the scoreboard, so the metrics can name
 * them (workers of every generation look their routes up there).
 */
static int
master_check_site(const struct config *cfg, void *arg)
{
	struct site *site;
	char err[1024];
	size_t i;
	int rc = 1;

	(void)arg;
	if ((site = site_create(cfg, 1, err, sizeof(err))) == NULL)
		log_errx("%s", err);
	else {
		for (i = 0; i < site->router.count; i++)
			scoreboard_route_index(site->router.entries[i]->owner_name,
			    site->router.entries[i]->route->pattern, 1);
		rc = 0;
	}
	site_destroy(site);
	return rc;
}
