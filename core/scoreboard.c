/*
 * scoreboard.c - the shared-memory scoreboard (see scoreboard.h).
 *
 * Owns the one mapping and the thread-local pointer to the calling request
 * thread's slot. It knows nothing of sites or plugins beyond their names,
 * so every layer above (dispatch, worker, master, metrics) may use it.
 */
#include "scoreboard.h"

#include <string.h>
#include <sys/mman.h>

#include <sodium.h>
#include <time.h>

#include "log.h"

const unsigned long long scoreboard_bucket_us[SB_LATENCY_BUCKETS - 1] = {
	5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000,
	5000000, 10000000,
};

const char *const scoreboard_cause_names[SB_NCAUSES] = {
	[SB_CAUSE_CRASH] = "crash",
	[SB_CAUSE_EXIT] = "exit",
	[SB_CAUSE_TIMEOUT] = "request_timeout",
	[SB_CAUSE_MAX_REQUESTS] = "max_requests",
	[SB_CAUSE_RELOAD] = "reload",
};

static struct scoreboard *scoreboard_board;
static _Thread_local struct sb_thread *scoreboard_current;

struct scoreboard *
scoreboard_create(int capacity)
{
	unsigned char raw[(SB_TOKEN_LEN - 1) / 2];
	struct scoreboard *sb;
	size_t size;

	size = sizeof(*sb) + (size_t)capacity * sizeof(struct sb_worker);
	sb = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	    -1, 0);
	if (sb == MAP_FAILED) {
		log_err("mmap of the scoreboard (%zu bytes)", size);
		return NULL;
	}
	/* Fresh anonymous pages are zero: every field starts idle. */
	sb->capacity = capacity;
	atomic_store(&sb->nroutes, 1);	/* route 0: no route */
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(sb->host_token, sizeof(sb->host_token), raw, sizeof(raw));
	scoreboard_board = sb;
	return sb;
}

struct scoreboard *
scoreboard_get(void)
{
	return scoreboard_board;
}

void
scoreboard_copy(char *dst, size_t n, const char *src)
{
	size_t len;

	if (src == NULL)
		src = "";
	len = strlen(src);
	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

unsigned
scoreboard_route_index(const char *plugin, const char *route, int add)
{
	struct scoreboard *sb = scoreboard_board;
	unsigned i, n;

	if (sb == NULL || plugin == NULL || route == NULL)
		return 0;
	n = atomic_load(&sb->nroutes);
	for (i = 1; i < n; i++)
		if (strncmp(sb->routes[i].plugin, plugin, SB_NAME_LEN - 1) == 0 &&
		    strncmp(sb->routes[i].route, route, SB_ROUTE_LEN - 1) == 0)
			return i;
	if (!add || n >= SB_MAX_ROUTES)
		return 0;
	scoreboard_copy(sb->routes[n].plugin, SB_NAME_LEN, plugin);
	scoreboard_copy(sb->routes[n].route, SB_ROUTE_LEN, route);
	atomic_store(&sb->nroutes, n + 1);
	return n;
}

void
scoreboard_bind_thread(struct sb_thread *t)
{
	scoreboard_current = t;
}

struct sb_thread *
scoreboard_thread(void)
{
	return scoreboard_current;
}

void
scoreboard_running(const char *method, const char *plugin, const char *route,
    const char *request_id)
{
	struct sb_thread *t = scoreboard_current;

	if (t == NULL)
		return;
	scoreboard_copy(t->method, sizeof(t->method), method);
	scoreboard_copy(t->plugin, sizeof(t->plugin), plugin);
	scoreboard_copy(t->route, sizeof(t->route), route);
	scoreboard_copy(t->request_id, sizeof(t->request_id), request_id);
}

int
scoreboard_quarantined(const char *plugin)
{
	struct scoreboard *sb = scoreboard_board;
	int i;

	if (sb == NULL || atomic_load(&sb->nquarantined) == 0)
		return 0;
	for (i = 0; i < SB_MAX_PLUGINS; i++)
		if (atomic_load(&sb->quarantine[i].on) &&
		    strncmp(sb->quarantine[i].plugin, plugin, SB_NAME_LEN - 1) == 0)
			return 1;
	return 0;
}

void
scoreboard_quarantine(const char *plugin)
{
	struct scoreboard *sb = scoreboard_board;
	int i;

	if (sb == NULL || scoreboard_quarantined(plugin))
		return;
	for (i = 0; i < SB_MAX_PLUGINS; i++)
		if (!atomic_load(&sb->quarantine[i].on)) {
			scoreboard_copy(sb->quarantine[i].plugin, SB_NAME_LEN, plugin);
			atomic_store(&sb->quarantine[i].on, 1);
			atomic_fetch_add(&sb->nquarantined, 1);
			return;
		}
}

void
scoreboard_quarantine_clear(void)
{
	struct scoreboard *sb = scoreboard_board;
	int i;

	if (sb == NULL)
		return;
	for (i = 0; i < SB_MAX_PLUGINS; i++)
		atomic_store(&sb->quarantine[i].on, 0);
	atomic_store(&sb->nquarantined, 0);
}

static void
counters_add(struct sb_counters *to, struct sb_counters *from)
{
	size_t r, c;

	for (r = 0; r < SB_MAX_ROUTES; r++)
		for (c = 0; c < SB_STATUS_CLASSES; c++)
			if (atomic_load(&from->requests[r][c]) != 0)
				atomic_fetch_add(&to->requests[r][c],
				    atomic_load(&from->requests[r][c]));
	for (c = 0; c < SB_LATENCY_BUCKETS; c++)
		atomic_fetch_add(&to->latency[c], atomic_load(&from->latency[c]));
	atomic_fetch_add(&to->latency_us, atomic_load(&from->latency_us));
	atomic_fetch_add(&to->db_errors, atomic_load(&from->db_errors));
	atomic_fetch_add(&to->db_reconnects, atomic_load(&from->db_reconnects));
	atomic_fetch_add(&to->cache_hits, atomic_load(&from->cache_hits));
	atomic_fetch_add(&to->cache_misses, atomic_load(&from->cache_misses));
	atomic_fetch_add(&to->cache_stores, atomic_load(&from->cache_stores));
	atomic_fetch_add(&to->cache_evictions,
	    atomic_load(&from->cache_evictions));
}

void
scoreboard_retire(struct sb_worker *w)
{
	struct scoreboard *sb = scoreboard_board;

	if (sb == NULL)
		return;
	counters_add(&sb->retired, &w->counters);
	/* Nobody writes the slot now: its worker is reaped. */
	memset((void *)w, 0, sizeof(*w));
}

void
scoreboard_count(struct sb_counters *c, unsigned route_index, int status,
    unsigned long long micros)
{
	int cls = status / 100 - 1;
	int b;

	if (route_index >= SB_MAX_ROUTES)
		route_index = 0;
	if (cls < 0 || cls >= SB_STATUS_CLASSES)
		cls = SB_STATUS_CLASSES - 1;
	atomic_fetch_add_explicit(&c->requests[route_index][cls], 1,
	    memory_order_relaxed);
	for (b = 0; b < SB_LATENCY_BUCKETS - 1; b++)
		if (micros <= scoreboard_bucket_us[b])
			break;
	atomic_fetch_add_explicit(&c->latency[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->latency_us, micros, memory_order_relaxed);
}

long long
scoreboard_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
