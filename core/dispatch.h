/*
 * dispatch.h - one request end to end: parse, route, check, run the
 * handler, render, write. The same path serves FastCGI, CGI and tests.
 */
#ifndef LABNET_DISPATCH_H
#define LABNET_DISPATCH_H

#include "db.h"
#include "render.h"
#include "request.h"
#include "site.h"

struct dispatch_result {
	int status;
	const char *plugin;		/* static strings from the site */
	const char *route;
	int db_status;			/* the last database failure, or 0 */
};

/* Serves one request; returns -1 only when the response could not be
 * written (the client went away). */
int dispatch_serve(const struct site *site, struct db_conn *db,
    char *const *envp, request_reader reader, void *reader_ctx,
    render_write_fn write, void *write_ctx, struct dispatch_result *result);

#endif
