/*
 * metrics.h - /-/metrics: the scoreboard's counters in the Prometheus text
 * exposition format (version 0.0.4), and who may read the status pages.
 */
#ifndef LABNET_METRICS_H
#define LABNET_METRICS_H

#include "request.h"
#include "strbuf.h"

/* The /-/metrics handler (a core route). */
int metrics_page(ln_request *req);

/* Whether the request's client may read /-/health and /-/metrics
 * (config status_clients); if not, the request is failed with 403. */
int metrics_client_allowed(ln_request *req);

/* Append value as a Prometheus label value, escaped (\\, \", \n). The
 * one place label values are written. */
void metrics_label_value(strbuf *sb, const char *value);

#endif
