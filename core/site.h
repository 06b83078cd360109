/*
 * site.h - everything loaded from one configuration: the plugins (the core
 * first), the route table, the message catalogs and the compiled views.
 *
 * A site is built once per worker process (and once by `labnet check`) on
 * its own arena, after privileges are dropped, and is read-only while
 * requests are served, so request threads share it without locks. A reload
 * builds a new site in a new generation of workers.
 */
#ifndef LABNET_SITE_H
#define LABNET_SITE_H

#include <stddef.h>

#include "arena.h"
#include "config.h"
#include "i18n.h"
#include "plugin.h"
#include "router.h"

struct site_view;

struct site {
	arena *arena;
	const struct config *config;
	struct plugin **plugins;	/* the core first, then dependency order */
	size_t nplugins;
	struct router router;
	i18n_set *messages;
	void *error_view;		/* compiled core/views/error.xsl */
	const char *core_views;		/* share_dir/core/views */
	const char *plugin_names;	/* " core hello labs ", for views */
	struct site_view *views;	/* compiled views by path, each once */
};

/*
 * Load plugins, catalogs and views for cfg onto a. With init, also runs
 * every plugin's init(). On failure -1 with one line in err; what was loaded
 * is unloaded again.
 */
int site_open(arena *a, const struct config *cfg, int init, struct site **out,
    char *err, size_t errlen);

/* Calls fini() of every plugin (last first) and unloads them. */
void site_close(struct site *s);

/*
 * site_open on an arena of the site's own, for a one-off job in a child
 * (`labnet check`, `labnet plugin-test`, the master's check): the site, or
 * NULL with one line in err. site_destroy closes it and frees that arena,
 * and with it everything the site handed out; NULL is a no-op.
 */
struct site *site_create(const struct config *cfg, int init, char *err,
    size_t errlen);
void site_destroy(struct site *s);

/* The loaded plugin named name, or NULL. */
struct plugin *site_plugin(const struct site *s, const char *name);

#endif
