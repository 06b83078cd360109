/*
 * cache.c - the render cache of one worker process (see cache.h).
 *
 * A chained hash table and an LRU list under one mutex. Entries outlive
 * requests and are evicted one at a time, so each is its own malloc'd
 * block (the record, then key, ETag, head and body) rather than arena
 * memory. A reference count keeps an entry alive while a thread writes it
 * out; an entry evicted meanwhile is freed by its last release.
 */
#include "cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CACHE_BUCKETS 4096	/* a power of two */

struct cache_record {
	struct cache_entry entry;	/* first: the public part */
	struct cache_record *chain;	/* next in the bucket */
	struct cache_record *older, *newer;	/* LRU list */
	uint64_t hash;
	const char *key;
	size_t key_len;
	size_t size;		/* bytes charged against the capacity */
	time_t stored;
	int refs;		/* holders, the table counting as one */
};

static struct {
	pthread_mutex_t lock;
	int on;
	size_t capacity, bytes, entries;
	int max_age;
	unsigned long long version;
	struct cache_record *buckets[CACHE_BUCKETS];
	struct cache_record *oldest, *newest;
	struct cache_stats stats;
} cache = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* FNV-1a, 64 bits: keys are short and chosen by the core, not the client
 * alone (the table is bounded in bytes, so a collision costs time only). */
static uint64_t
cache_hash(const char *key, size_t len)
{
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void
cache_unref(struct cache_record *r)
{
	if (--r->refs == 0)
		free(r);
}

/* Take r out of the table and the LRU list; the lock is held. */
static void
cache_unlink(struct cache_record *r)
{
	struct cache_record **p = &cache.buckets[r->hash & (CACHE_BUCKETS - 1)];

	while (*p != r)
		p = &(*p)->chain;
	*p = r->chain;
	/* By identity, not by r's links: the ends of the list are the
	 * cache's to move. */
	if (cache.oldest == r)
		cache.oldest = r->newer;
	else
		r->older->newer = r->newer;
	if (cache.newest == r)
		cache.newest = r->older;
	else
		r->newer->older = r->older;
	cache.bytes -= r->size;
	cache.entries--;
	cache_unref(r);
}

/* Drop everything; the lock is held. */
static void
cache_flush(void)
{
	while (cache.oldest != NULL)
		cache_unlink(cache.oldest);
}

/* Put r at the newest end of the LRU list; the lock is held. */
static void
cache_touch(struct cache_record *r)
{
	if (cache.newest == r)
		return;
	if (r->older)
		r->older->newer = r->newer;
	else
		cache.oldest = r->newer;
	r->newer->older = r->older;
	r->older = cache.newest;
	r->newer = NULL;
	cache.newest->newer = r;
	cache.newest = r;
}

/* A version other than the cache's empties it; the lock is held. */
static void
cache_at_version(unsigned long long version)
{
	if (version == cache.version)
		return;
	cache_flush();
	cache.version = version;
}

int
cache_open(size_t capacity, int max_age)
{
	pthread_mutex_lock(&cache.lock);
	cache_flush();
	cache.on = capacity > 0;
	cache.capacity = capacity;
	cache.max_age = max_age;
	memset(&cache.stats, 0, sizeof(cache.stats));
	pthread_mutex_unlock(&cache.lock);
	return 0;
}

void
cache_close(void)
{
	pthread_mutex_lock(&cache.lock);
	cache_flush();
	cache.on = 0;
	pthread_mutex_unlock(&cache.lock);
}

int
cache_enabled(void)
{
	return cache.on;
}

struct cache_entry *
cache_get(const char *key, size_t key_len, unsigned long long version)
{
	uint64_t hash = cache_hash(key, key_len);
	struct cache_record *r;
	time_t now = time(NULL);

	pthread_mutex_lock(&cache.lock);
	cache_at_version(version);
	for (r = cache.buckets[hash & (CACHE_BUCKETS - 1)]; r; r = r->chain)
		if (r->hash == hash && r->key_len == key_len &&
		    memcmp(r->key, key, key_len) == 0)
			break;
	if (r != NULL && cache.max_age > 0 && now - r->stored >= cache.max_age) {
		cache_unlink(r);
		r = NULL;
	}
	if (r == NULL)
		cache.stats.misses++;
	else {
		cache.stats.hits++;
		r->refs++;
		cache_touch(r);
	}
	pthread_mutex_unlock(&cache.lock);
	return r ? &r->entry : NULL;
}

void
cache_release(struct cache_entry *entry)
{
	/* The entry is the first member of its record. */
	struct cache_record *r = (struct cache_record *)entry;

	if (r == NULL)
		return;
	pthread_mutex_lock(&cache.lock);
	cache_unref(r);
	pthread_mutex_unlock(&cache.lock);
}

/* Copy n bytes to *at and return where they went. */
static const char *
cache_copy(char **at, const char *data, size_t n)
{
	char *start = *at;

	if (n > 0)
		memcpy(start, data, n);
	start[n] = '\0';
	*at += n + 1;
	return start;
}

void
cache_put(const char *key, size_t key_len, unsigned long long version,
    const struct cache_entry *response, const char *body_prefix)
{
	size_t etag_len = strlen(response->etag), size;
	size_t prefix_len = strlen(body_prefix);
	struct cache_record *r, *old;
	char *at;

	if (!cache.on)
		return;
	size = sizeof(*r) + key_len + etag_len + response->head_len +
	    prefix_len + response->body_len + 4;
	if (size > cache.capacity / 8)
		return;
	if ((r = malloc(size)) == NULL)
		return;
	memset(r, 0, sizeof(*r));
	at = (char *)(r + 1);
	r->key = cache_copy(&at, key, key_len);
	r->key_len = key_len;
	r->entry.etag = cache_copy(&at, response->etag, etag_len);
	r->entry.head = cache_copy(&at, response->head, response->head_len);
	r->entry.head_len = response->head_len;
	/* The last piece: the prefix, then the body. */
	memcpy(at, body_prefix, prefix_len);
	if (response->body_len > 0)
		memcpy(at + prefix_len, response->body, response->body_len);
	at[prefix_len + response->body_len] = '\0';
	r->entry.body = at;
	r->entry.body_len = prefix_len + response->body_len;
	r->hash = cache_hash(key, key_len);
	r->size = size;
	r->stored = time(NULL);
	r->refs = 1;

	pthread_mutex_lock(&cache.lock);
	/* Made before a write that a later lookup has seen: it may show the
	 * old data, so it is not kept. (A write no lookup has seen yet
	 * empties the cache, this entry included, at the next lookup.) */
	if (version != cache.version) {
		pthread_mutex_unlock(&cache.lock);
		free(r);
		return;
	}
	for (old = cache.buckets[r->hash & (CACHE_BUCKETS - 1)]; old;
	    old = old->chain)
		if (old->hash == r->hash && old->key_len == key_len &&
		    memcmp(old->key, key, key_len) == 0) {
			cache_unlink(old);
			break;
		}
	while (cache.bytes + size > cache.capacity && cache.oldest != NULL) {
		cache_unlink(cache.oldest);
		cache.stats.evictions++;
	}
	r->chain = cache.buckets[r->hash & (CACHE_BUCKETS - 1)];
	cache.buckets[r->hash & (CACHE_BUCKETS - 1)] = r;
	r->older = cache.newest;
	if (cache.newest)
		cache.newest->newer = r;
	else
		cache.oldest = r;
	cache.newest = r;
	cache.bytes += size;
	cache.entries++;
	cache.stats.stores++;
	pthread_mutex_unlock(&cache.lock);
}

void
cache_stats(struct cache_stats *out)
{
	pthread_mutex_lock(&cache.lock);
	*out = cache.stats;
	out->entries = cache.entries;
	out->bytes = cache.bytes;
	pthread_mutex_unlock(&cache.lock);
}
