/*
 * test_metrics.c - unit tests for the pure parts of the supervision and
 * metrics code: Prometheus label escaping (core/metrics.c), and the
 * scoreboard's counting and route table (core/scoreboard.c) on a board
 * mapped in this process.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "metrics.h"
#include "scoreboard.h"
#include "strbuf.h"

static void
label_escaping(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain", "\"plain\"" },
		{ "", "\"\"" },
		{ "/x/{slug}", "\"/x/{slug}\"" },
		{ "a\\b", "\"a\\\\b\"" },
		{ "say \"hi\"", "\"say \\\"hi\\\"\"" },
		{ "two\nlines", "\"two\\nlines\"" },
		{ "\\\"\n", "\"\\\\\\\"\\n\"" },
	};
	arena *a = arena_create(1024);
	strbuf sb;
	size_t i;

	(void)state;
	assert_non_null(a);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		strbuf_init(&sb, a, 0);
		metrics_label_value(&sb, cases[i].in);
		assert_false(strbuf_failed(&sb));
		assert_string_equal(strbuf_str(&sb), cases[i].out);
	}
	arena_destroy(a);
}

static void
scoreboard_counts(void **state)
{
	struct scoreboard *sb = scoreboard_get();
	struct sb_counters *c = &sb->workers[0].counters;

	(void)state;
	scoreboard_count(c, 1, 200, 3000);		/* first bucket (<= 5 ms) */
	scoreboard_count(c, 1, 404, 7000);		/* second bucket */
	scoreboard_count(c, 1, 503, 60000000);		/* +Inf */
	scoreboard_count(c, 999, 700, 1);		/* clamped: route 0, 5xx */
	assert_int_equal(atomic_load(&c->requests[1][1]), 1);
	assert_int_equal(atomic_load(&c->requests[1][3]), 1);
	assert_int_equal(atomic_load(&c->requests[1][4]), 1);
	assert_int_equal(atomic_load(&c->requests[0][4]), 1);
	assert_int_equal(atomic_load(&c->latency[0]), 2);
	assert_int_equal(atomic_load(&c->latency[1]), 1);
	assert_int_equal(atomic_load(&c->latency[SB_LATENCY_BUCKETS - 1]), 1);
	/* A reaped worker's counters move to the retired set. */
	atomic_store(&sb->workers[0].pid, 42);
	scoreboard_retire(&sb->workers[0]);
	assert_int_equal(atomic_load(&sb->workers[0].pid), 0);
	assert_int_equal(atomic_load(&sb->workers[0].counters.requests[1][1]), 0);
	assert_int_equal(atomic_load(&sb->retired.requests[1][1]), 1);
	assert_int_equal(atomic_load(&sb->retired.latency[0]), 2);
}

static void
scoreboard_routes_and_quarantine(void **state)
{
	char long_route[300];
	unsigned a, b;

	(void)state;
	assert_int_equal(scoreboard_route_index("hello", "/hello/{name}", 0), 0);
	a = scoreboard_route_index("hello", "/hello/{name}", 1);
	b = scoreboard_route_index("core", "/-/health", 1);
	assert_true(a >= 1 && b >= 1 && a != b);
	assert_int_equal(scoreboard_route_index("hello", "/hello/{name}", 1), a);
	/* Long names are cut to the field, consistently. */
	memset(long_route, 'x', sizeof(long_route) - 1);
	long_route[sizeof(long_route) - 1] = '\0';
	a = scoreboard_route_index("p", long_route, 1);
	assert_int_equal(scoreboard_route_index("p", long_route, 0), a);

	assert_false(scoreboard_quarantined("crashy"));
	scoreboard_quarantine("crashy");
	scoreboard_quarantine("crashy");
	assert_true(scoreboard_quarantined("crashy"));
	assert_false(scoreboard_quarantined("hello"));
	assert_int_equal(atomic_load(&scoreboard_get()->nquarantined), 1);
	scoreboard_quarantine_clear();
	assert_false(scoreboard_quarantined("crashy"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(label_escaping),
		cmocka_unit_test(scoreboard_counts),
		cmocka_unit_test(scoreboard_routes_and_quarantine),
	};

	if (scoreboard_create(2) == NULL)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
