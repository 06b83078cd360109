/*
 * test_cache.c - unit tests for core/cache.c, the render cache's store:
 * hits return what was stored, byte for byte; a new data version empties
 * it; a page made at an older version is not kept; the capacity holds,
 * least recently used first out; an entry in use outlives its eviction;
 * the maximum age holds; off means off. Threads share it in the HTTP
 * tests (tests/http/render-cache.test.mjs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache.h"

#define HEAD "Content-Type: text/html\r\nETag: \"e\"\r\n"

static void
put(const char *key, unsigned long long version, const char *body)
{
	struct cache_entry e = { "\"e\"", HEAD, strlen(HEAD), body, strlen(body) };

	cache_put(key, strlen(key), version, &e, "<!DOCTYPE html>\n");
}

/* The body stored under key at version, or NULL; released at once. */
static int
has(const char *key, unsigned long long version, const char *body)
{
	struct cache_entry *e = cache_get(key, strlen(key), version);
	char want[8192];
	int same;

	if (e == NULL)
		return 0;
	snprintf(want, sizeof(want), "<!DOCTYPE html>\n%s", body);
	same = e->body_len == strlen(want) && memcmp(e->body, want, e->body_len) == 0 &&
	    e->head_len == strlen(HEAD) && memcmp(e->head, HEAD, e->head_len) == 0 &&
	    strcmp(e->etag, "\"e\"") == 0;
	cache_release(e);
	return same ? 1 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	cache_close();
	return 0;
}

static void
test_hit_is_byte_for_byte(void **state)
{
	struct cache_stats st;

	(void)state;
	assert_int_equal(cache_open(1 << 20, 0), 0);
	assert_int_equal(has("a", 1, "A"), 0);
	put("a", 1, "A");
	put("b", 1, "B");
	assert_int_equal(has("a", 1, "A"), 1);
	assert_int_equal(has("b", 1, "B"), 1);
	assert_int_equal(has("ab", 1, "A"), 0);
	cache_stats(&st);
	assert_int_equal(st.hits, 2);
	assert_int_equal(st.misses, 2);
	assert_int_equal(st.stores, 2);
	assert_int_equal(st.entries, 2);
}

static void
test_new_version_empties(void **state)
{
	struct cache_stats st;

	(void)state;
	cache_open(1 << 20, 0);
	assert_null(cache_get("a", 1, 1));
	put("a", 1, "A");
	assert_int_equal(has("a", 2, "A"), 0);
	cache_stats(&st);
	assert_int_equal(st.entries, 0);
	/* Back at the old version, nothing of it returns. */
	assert_int_equal(has("a", 1, "A"), 0);
}

static void
test_stale_page_not_kept(void **state)
{
	(void)state;
	cache_open(1 << 20, 0);
	assert_null(cache_get("a", 1, 1));	/* the request starts at 1 */
	assert_null(cache_get("b", 1, 2));	/* a write: another sees 2 */
	put("a", 1, "made from old data");
	assert_int_equal(has("a", 2, "made from old data"), 0);
	put("a", 2, "new");
	assert_int_equal(has("a", 2, "new"), 1);
}

static void
test_capacity_lru(void **state)
{
	char key[16], body[1024];
	struct cache_stats st;
	int i;

	(void)state;
	memset(body, 'x', sizeof(body) - 1);
	body[sizeof(body) - 1] = '\0';
	/* Room for a handful of 1 KB pages (an entry may take an eighth). */
	cache_open(10000, 0);
	assert_null(cache_get("", 0, 1));
	for (i = 0; i < 20; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		put(key, 1, body);
		/* k0 is read after every store: the most recently used. */
		assert_int_equal(has("k0", 1, body), 1);
	}
	cache_stats(&st);
	assert_true(st.bytes <= 10000);
	assert_true(st.evictions > 0);
	assert_int_equal(has("k0", 1, body), 1);
	assert_int_equal(has("k19", 1, body), 1);
	assert_int_equal(has("k1", 1, body), 0);
}

static void
test_too_big_not_kept(void **state)
{
	static char body[4096];

	(void)state;
	memset(body, 'y', sizeof(body) - 1);
	cache_open(8 * 1024, 0);
	assert_null(cache_get("", 0, 1));
	put("big", 1, body);
	assert_int_equal(has("big", 1, body), 0);
}

static void
test_entry_in_use_outlives_eviction(void **state)
{
	struct cache_entry *held;

	(void)state;
	cache_open(1 << 20, 0);
	assert_null(cache_get("", 0, 1));
	put("a", 1, "still here");
	held = cache_get("a", 1, 1);
	assert_non_null(held);
	/* A write empties the cache while a thread still writes it out. */
	assert_null(cache_get("a", 1, 2));
	assert_memory_equal(held->body, "<!DOCTYPE html>\nstill here", held->body_len);
	cache_release(held);	/* the last holder frees it (ASan checks) */
}

static void
test_max_age(void **state)
{
	(void)state;
	cache_open(1 << 20, 1);
	assert_null(cache_get("", 0, 1));
	put("a", 1, "A");
	assert_int_equal(has("a", 1, "A"), 1);
	sleep(2);
	assert_int_equal(has("a", 1, "A"), 0);
}

static void
test_off_is_off(void **state)
{
	(void)state;
	cache_open(0, 0);
	assert_false(cache_enabled());
	assert_null(cache_get("a", 1, 1));
	put("a", 1, "A");
	assert_int_equal(has("a", 1, "A"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_hit_is_byte_for_byte, teardown),
		cmocka_unit_test_teardown(test_new_version_empties, teardown),
		cmocka_unit_test_teardown(test_stale_page_not_kept, teardown),
		cmocka_unit_test_teardown(test_capacity_lru, teardown),
		cmocka_unit_test_teardown(test_too_big_not_kept, teardown),
		cmocka_unit_test_teardown(test_entry_in_use_outlives_eviction, teardown),
		cmocka_unit_test_teardown(test_max_age, teardown),
		cmocka_unit_test_teardown(test_off_is_off, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
