/*
 * scoreboard.h - the shared-memory board through which workers tell the
 * master (and /-/metrics) what they are doing.
 *
 * One anonymous MAP_SHARED mapping, created by the master before it forks
 * anything and inherited by every child. Each worker writes only its own
 * slot (its threads' state, the route each is serving, its counters); the
 * master writes the header (generation, restarts, quarantine flags, the
 * counters of workers that have gone) and clears a slot once its worker is
 * reaped; the check child appends to the route table. Fields are C11
 * atomics or fixed-size strings; nothing takes a lock across processes. A
 * string may be read while it is rewritten: readers only log or count it.
 */
#ifndef LABNET_SCOREBOARD_H
#define LABNET_SCOREBOARD_H

#include <stdatomic.h>
#include <stddef.h>
#include <sys/types.h>

#define SB_NAME_LEN 32		/* plugin names */
#define SB_ROUTE_LEN 96		/* route patterns */
#define SB_METHOD_LEN 8
#define SB_RID_LEN 48		/* request ids */
#define SB_MAX_THREADS 64	/* the config's upper bound for threads */
#define SB_MAX_ROUTES 256	/* route 0 is "no route" (404, 405, bad input) */
#define SB_MAX_PLUGINS 64
#define SB_STATUS_CLASSES 5	/* 1xx .. 5xx */
#define SB_LATENCY_BUCKETS 12	/* the last one is +Inf */

enum sb_thread_state { SB_IDLE, SB_ACCEPTING, SB_BUSY, SB_DONE };

/* Why a worker was replaced, for the restarts metric. */
enum sb_cause { SB_CAUSE_CRASH, SB_CAUSE_EXIT, SB_CAUSE_TIMEOUT,
    SB_CAUSE_MAX_REQUESTS, SB_CAUSE_RELOAD, SB_NCAUSES };

struct sb_thread {
	atomic_int state;		/* enum sb_thread_state */
	atomic_int crashed;		/* set by the crash handler of this thread */
	atomic_llong started_ns;	/* CLOCK_MONOTONIC start of the request */
	char method[SB_METHOD_LEN];
	char plugin[SB_NAME_LEN];
	char route[SB_ROUTE_LEN];
	char request_id[SB_RID_LEN];
};

struct sb_counters {
	atomic_ullong requests[SB_MAX_ROUTES][SB_STATUS_CLASSES];
	atomic_ullong latency[SB_LATENCY_BUCKETS];	/* per bucket, not cumulative */
	atomic_ullong latency_us;			/* sum */
	atomic_ullong db_errors;
	atomic_ullong db_reconnects;
	/* The render cache's totals (cache.h), stored by the worker. */
	atomic_ullong cache_hits;
	atomic_ullong cache_misses;
	atomic_ullong cache_stores;
	atomic_ullong cache_evictions;
};

struct sb_worker {
	atomic_int pid;			/* 0: a free slot */
	atomic_uint generation;
	atomic_int ready;		/* its threads are accepting */
	atomic_int retiring;		/* served max_requests: replace me */
	atomic_ullong served;
	atomic_ullong cache_entries;	/* the worker's render cache now */
	atomic_ullong cache_bytes;
	struct sb_counters counters;
	struct sb_thread threads[SB_MAX_THREADS];
};

struct sb_route {
	char plugin[SB_NAME_LEN];
	char route[SB_ROUTE_LEN];
};

struct sb_quarantine {
	char plugin[SB_NAME_LEN];
	atomic_int on;
};

#define SB_TOKEN_LEN 33		/* 32 hex digits */

struct scoreboard {
	atomic_uint generation;		/* the generation now serving */
	/* The data version (dataver.h): every write on this host adds one. */
	atomic_ullong data_version;
	char host_token[SB_TOKEN_LEN];	/* names this host in notifications */
	atomic_uint nroutes;		/* entries of routes[] in use */
	struct sb_route routes[SB_MAX_ROUTES];
	atomic_ullong restarts[SB_NCAUSES];
	atomic_int nquarantined;
	struct sb_quarantine quarantine[SB_MAX_PLUGINS];
	struct sb_counters retired;	/* counters of workers that have gone */
	int capacity;			/* worker slots */
	struct sb_worker workers[];
};

/* Latency bucket bounds in microseconds; the last bucket has none. */
extern const unsigned long long scoreboard_bucket_us[SB_LATENCY_BUCKETS - 1];
extern const char *const scoreboard_cause_names[SB_NCAUSES];

/* Map a board with room for capacity workers; NULL (logged) on failure.
 * It stays mapped for the life of the process and its children. */
struct scoreboard *scoreboard_create(int capacity);

/* The board of this process tree, or NULL (CGI, `labnet check`). */
struct scoreboard *scoreboard_get(void);

/* Copy src into a fixed field of size n, cut and NUL-terminated. */
void scoreboard_copy(char *dst, size_t n, const char *src);

/* The route table index of (plugin, route); with add, appends a missing
 * one (only the check child does). 0 when absent or the table is full. */
unsigned scoreboard_route_index(const char *plugin, const char *route, int add);

/* The calling request thread's slot, or NULL; set by the worker. */
void scoreboard_bind_thread(struct sb_thread *t);
struct sb_thread *scoreboard_thread(void);

/* Record what the calling thread is about to run (no-op without a slot). */
void scoreboard_running(const char *method, const char *plugin,
    const char *route, const char *request_id);

/* Whether plugin's routes are switched off after repeated crashes. */
int scoreboard_quarantined(const char *plugin);

/* Master only: switch a plugin off; switch every plugin back on. */
void scoreboard_quarantine(const char *plugin);
void scoreboard_quarantine_clear(void);

/* Master only: add a reaped worker's counters to the retired ones and
 * clear its slot for the next worker. */
void scoreboard_retire(struct sb_worker *w);

/* Add one request of status and duration to counters. */
void scoreboard_count(struct sb_counters *c, unsigned route_index, int status,
    unsigned long long micros);

/* Monotonic clock in nanoseconds. */
long long scoreboard_now_ns(void);

#endif
