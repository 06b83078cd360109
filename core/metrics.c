/*
 * metrics.c - /-/metrics (see metrics.h).
 *
 * Reads the scoreboard, never writes it. Counters are the sum of the
 * workers alive now (of every generation, while a reload overlaps two) and
 * of those that have gone (the master folds a reaped worker's counters into
 * the board's "retired" set), so they only grow while the master lives.
 * Requests are counted by plugin, route pattern and status class; the
 * latency histogram and database counters are site-wide. The text is built
 * on the request arena and served as is.
 */
#include "metrics.h"

#include <stdio.h>
#include <string.h>

#include "scoreboard.h"
#include "site.h"

static const char *const metrics_classes[SB_STATUS_CLASSES] = { "1xx", "2xx",
    "3xx", "4xx", "5xx" };

void
metrics_label_value(strbuf *sb, const char *value)
{
	const char *p;

	strbuf_putc(sb, '"');
	for (p = value ? value : ""; *p; p++) {
		if (*p == '\\')
			strbuf_puts(sb, "\\\\");
		else if (*p == '"')
			strbuf_puts(sb, "\\\"");
		else if (*p == '\n')
			strbuf_puts(sb, "\\n");
		else
			strbuf_putc(sb, *p);
	}
	strbuf_putc(sb, '"');
}

int
metrics_client_allowed(ln_request *req)
{
	const struct config *cfg = req->site->config;

	if (req->client_addr != NULL &&
	    request_addr_trusted(cfg->status_clients, req->client_addr))
		return 1;
	ln_fail(req, 403, "this page is for the operators' monitoring only");
	return 0;
}

static void
metrics_header(strbuf *sb, const char *name, const char *type,
    const char *help)
{
	strbuf_printf(sb, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A metric without labels: its header and its one value. */
static void
metrics_value(strbuf *sb, const char *name, const char *type,
    const char *help, unsigned long long value)
{
	metrics_header(sb, name, type, help);
	strbuf_printf(sb, "%s %llu\n", name, value);
}

/* Sum of a counter over the retired set and the live workers. */
#define METRICS_SUM(sb, field, out) do {				\
	int w_;								\
	(out) = atomic_load(&(sb)->retired.field);			\
	for (w_ = 0; w_ < (sb)->capacity; w_++)				\
		if (atomic_load(&(sb)->workers[w_].pid) != 0)		\
			(out) += atomic_load(				\
			    &(sb)->workers[w_].counters.field);		\
} while (0)

/* A counter summed over the running and the retired workers. */
#define METRICS_TOTAL(out, sb, field, name, help) do {			\
	unsigned long long n_;						\
	METRICS_SUM((sb), field, n_);					\
	metrics_value((out), (name), "counter", (help), n_);		\
} while (0)

static void
metrics_requests(strbuf *out, struct scoreboard *sb)
{
	unsigned r, nroutes = atomic_load(&sb->nroutes);
	unsigned long long n;
	int c;

	metrics_header(out, "labnet_requests_total", "counter",
	    "Requests answered, by plugin, route pattern and status class.");
	for (r = 0; r < nroutes && r < SB_MAX_ROUTES; r++)
		for (c = 0; c < SB_STATUS_CLASSES; c++) {
			METRICS_SUM(sb, requests[r][c], n);
			if (n == 0)
				continue;
			strbuf_puts(out, "labnet_requests_total{plugin=");
			metrics_label_value(out, r == 0 ? "core" : sb->routes[r].plugin);
			strbuf_puts(out, ",route=");
			metrics_label_value(out, r == 0 ? "unmatched" : sb->routes[r].route);
			strbuf_printf(out, ",status=\"%s\"} %llu\n", metrics_classes[c], n);
		}
}

static void
metrics_latency(strbuf *out, struct scoreboard *sb)
{
	unsigned long long n, cumulative = 0, micros;
	int b;

	metrics_header(out, "labnet_request_duration_seconds", "histogram",
	    "Time from accepting a request to having answered it.");
	for (b = 0; b < SB_LATENCY_BUCKETS; b++) {
		METRICS_SUM(sb, latency[b], n);
		cumulative += n;
		if (b < SB_LATENCY_BUCKETS - 1)
			strbuf_printf(out, "labnet_request_duration_seconds_bucket"
			    "{le=\"%g\"} %llu\n",
			    (double)scoreboard_bucket_us[b] / 1e6, cumulative);
		else
			strbuf_printf(out, "labnet_request_duration_seconds_bucket"
			    "{le=\"+Inf\"} %llu\n", cumulative);
	}
	METRICS_SUM(sb, latency_us, micros);
	strbuf_printf(out, "labnet_request_duration_seconds_sum %.6f\n"
	    "labnet_request_duration_seconds_count %llu\n", (double)micros / 1e6,
	    cumulative);
}

static void
metrics_workers(strbuf *out, struct scoreboard *sb)
{
	unsigned generation = atomic_load(&sb->generation);
	int w, t, in_flight = 0, workers = 0;

	for (w = 0; w < sb->capacity; w++) {
		if (atomic_load(&sb->workers[w].pid) == 0)
			continue;
		if (atomic_load(&sb->workers[w].generation) == generation)
			workers++;
		for (t = 0; t < SB_MAX_THREADS; t++)
			in_flight += atomic_load(&sb->workers[w].threads[t].state) ==
			    SB_BUSY;
	}
	metrics_value(out, "labnet_requests_in_flight", "gauge",
	    "Requests being served now (this one included).",
	    (unsigned long long)in_flight);
	metrics_value(out, "labnet_workers", "gauge",
	    "Worker processes of the generation serving now.",
	    (unsigned long long)workers);
	metrics_value(out, "labnet_generation", "gauge",
	    "Generation serving now; each successful reload adds one.",
	    generation);
	metrics_header(out, "labnet_worker_restarts_total", "counter",
	    "Workers replaced, by cause.");
	for (t = 0; t < SB_NCAUSES; t++)
		strbuf_printf(out, "labnet_worker_restarts_total{cause=\"%s\"} %llu\n",
		    scoreboard_cause_names[t], atomic_load(&sb->restarts[t]));
}

static void
metrics_database(strbuf *out, struct scoreboard *sb)
{
	METRICS_TOTAL(out, sb, db_errors, "labnet_database_errors_total",
	    "Requests in which a database call failed.");
	METRICS_TOTAL(out, sb, db_reconnects, "labnet_database_reconnects_total",
	    "Database connections re-established after a loss.");
}

static void
metrics_cache(strbuf *out, struct scoreboard *sb)
{
	unsigned long long entries = 0, bytes = 0;
	int w;

	METRICS_TOTAL(out, sb, cache_hits, "labnet_render_cache_hits_total",
	    "Public pages answered from the render cache.");
	METRICS_TOTAL(out, sb, cache_misses, "labnet_render_cache_misses_total",
	    "Cacheable pages the render cache did not hold.");
	METRICS_TOTAL(out, sb, cache_stores, "labnet_render_cache_stores_total",
	    "Pages kept in the render cache.");
	METRICS_TOTAL(out, sb, cache_evictions,
	    "labnet_render_cache_evictions_total",
	    "Pages dropped from a full render cache.");
	for (w = 0; w < sb->capacity; w++)
		if (atomic_load(&sb->workers[w].pid) != 0) {
			entries += atomic_load(&sb->workers[w].cache_entries);
			bytes += atomic_load(&sb->workers[w].cache_bytes);
		}
	metrics_value(out, "labnet_render_cache_entries", "gauge",
	    "Pages in the render caches of the running workers.", entries);
	metrics_value(out, "labnet_render_cache_bytes", "gauge",
	    "Memory the render caches of the running workers hold.", bytes);
	metrics_value(out, "labnet_data_version", "counter",
	    "Changes of the site's data seen on this host (writes, notifications).",
	    atomic_load(&sb->data_version));
}

static void
metrics_quarantine(strbuf *out, const struct site *site)
{
	size_t i;

	metrics_header(out, "labnet_plugin_quarantined", "gauge",
	    "1 while a plugin is switched off after repeated crashes.");
	for (i = 0; i < site->nplugins; i++) {
		strbuf_puts(out, "labnet_plugin_quarantined{plugin=");
		metrics_label_value(out, site->plugins[i]->name);
		strbuf_printf(out, "} %d\n",
		    scoreboard_quarantined(site->plugins[i]->name));
	}
}

int
metrics_page(ln_request *req)
{
	struct scoreboard *sb = scoreboard_get();
	strbuf out;

	if (!metrics_client_allowed(req))
		return LN_EINVAL;
	if (sb == NULL)
		return ln_fail(req, 404, "metrics are served by `labnet serve` only");
	/* A document too, so that dispatch sees an answer; the text wins. */
	if (ln_doc(req, "metrics") == NULL)
		return LN_ENOMEM;
	strbuf_init(&out, req->arena, 0);
	metrics_requests(&out, sb);
	metrics_latency(&out, sb);
	metrics_workers(&out, sb);
	metrics_database(&out, sb);
	metrics_cache(&out, sb);
	metrics_quarantine(&out, req->site);
	if (strbuf_failed(&out))
		return LN_ENOMEM;
	req->raw_body = strbuf_str(&out);
	req->raw_len = out.len;
	req->raw_type = "text/plain; version=0.0.4; charset=utf-8";
	return 0;
}
