/*
 * render.h - views and responses.
 *
 * render_global_init() sets up libxml2/libxslt for the process (once, before
 * any view is compiled or thread started). Compiled views are shared
 * read-only by all request threads and freed with the arena that compiled
 * them. render_respond() writes the whole response through write().
 */
#ifndef LABNET_RENDER_H
#define LABNET_RENDER_H

#include <stddef.h>

#include "arena.h"
#include "request.h"

typedef int (*render_write_fn)(void *ctx, const char *data, size_t n);

/* core_views: the directory `labnet:x.xsl` imports resolve to. */
int render_global_init(const char *core_views);

/* Compile the XSLT view at path; freed with a. NULL with err on failure. */
void *render_compile(arena *a, const char *path, char *err, size_t errlen);

/* Status line, headers and body of req (its document, its error, or its
 * redirect). Returns -1 only when write() failed. */
int render_respond(struct ln_request *req, render_write_fn write, void *ctx);

/* "Not Found" for 404. */
const char *render_reason(int status);

#endif
