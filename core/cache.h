/*
 * cache.h - the render cache of one worker process: finished public pages
 * by key, valid for one data version (dataver.h).
 *
 * A store of opaque responses: it knows keys, versions, ages and bytes,
 * not requests (dispatch.c decides what may be looked up, render.c what
 * may be stored). Process-wide, shared by the worker's request threads
 * under one mutex; each entry is one malloc'd block, counted against the
 * configured capacity and evicted least recently used first. An entry
 * handed out by cache_get() stays valid until cache_release(), even if it
 * is evicted meanwhile. A new data version empties the cache at the next
 * lookup; so does a reload, which starts new worker processes.
 */
#ifndef LABNET_CACHE_H
#define LABNET_CACHE_H

#include <stddef.h>

struct cache_entry {
	const char *etag;	/* "\"hex\"" */
	const char *head;	/* header lines, each with CRLF; no Status,
				 * no Content-Length */
	size_t head_len;
	const char *body;
	size_t body_len;
};

struct cache_stats {
	unsigned long long hits, misses, stores, evictions;
	size_t entries, bytes;
};

/* Switch the cache on with capacity bytes (0 keeps it off) and a maximum
 * age in seconds (0: none). -1 on OOM. Called once, before the threads. */
int cache_open(size_t capacity, int max_age);

/* Free every entry; no thread may use the cache any more. */
void cache_close(void);

/* Whether the cache is on in this process. */
int cache_enabled(void);

/*
 * The entry for key at data version, or NULL (a miss, counted). Entries of
 * another version are dropped first. The caller must cache_release() what
 * it gets.
 */
struct cache_entry *cache_get(const char *key, size_t key_len,
    unsigned long long version);
void cache_release(struct cache_entry *entry);

/*
 * Store a copy of a response made at data version, with body_prefix (""
 * or a DOCTYPE line) kept in front of its body. Nothing is stored when
 * the version is no longer current (the data may have changed while the
 * page was made), when the entry would take more than an eighth of the
 * capacity, or on OOM; none of that is an error for the caller.
 */
void cache_put(const char *key, size_t key_len, unsigned long long version,
    const struct cache_entry *response, const char *body_prefix);

/* Counters of this process since cache_open(). */
void cache_stats(struct cache_stats *out);

#endif
