/*
 * site.c - build a site from a configuration (see site.h).
 *
 * Order matters and is the design's: the core first, then plugins in
 * dependency order; config sections checked against what the plugins
 * declare; then catalogs, then the route table and its compiled views, and
 * last the plugins' init(). Any failure unloads what was loaded, so a
 * broken configuration leaves nothing half-open behind.
 */
#include "site.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "accounts.h"
#include "log.h"
#include "render.h"
#include "strbuf.h"

/* The arena block of a site made by site_create. */
#define SITE_ARENA_BLOCK 65536

static int
dir_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
site_load_plugins(arena *a, struct site *s, char *err, size_t errlen)
{
	const struct config *cfg = s->config;
	size_t n = 0, i;

	while (cfg->plugins && cfg->plugins[n])
		n++;
	s->plugins = arena_calloc(a, n + 1, sizeof(*s->plugins));
	if (s->plugins == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (plugin_builtin(a, cfg, &core_plugin_descriptor, &s->plugins[0], err,
	    errlen) < 0)
		return -1;
	s->nplugins = 1;
	for (i = 0; i < n; i++) {
		if (strcmp(cfg->plugins[i], "core") == 0) {
			snprintf(err, errlen, "%s: \"core\" is the host itself, not a "
			    "plugin to list", cfg->path);
			return -1;
		}
		if (plugin_open(a, cfg, cfg->plugins[i], &s->plugins[s->nplugins],
		    err, errlen) < 0)
			return -1;
		s->nplugins++;
	}
	/* The core depends on nothing, so it stays first. */
	if (plugin_order(s->plugins, s->nplugins, err, errlen) < 0)
		return -1;
	return plugin_check_config(cfg, s->plugins, s->nplugins, err, errlen);
}

static int
site_load_messages(arena *a, struct site *s, char *err, size_t errlen)
{
	const char **dirs;
	size_t i, n = 0;

	dirs = arena_calloc(a, s->nplugins + 1, sizeof(*dirs));
	if (dirs == NULL)
		return -1;
	for (i = 0; i < s->nplugins; i++) {
		dirs[n] = arena_printf(a, "%s/messages", s->plugins[i]->data_dir);
		if (dirs[n] == NULL)
			return -1;
		if (dir_exists(dirs[n]))
			n++;
	}
	dirs[n] = NULL;
	s->messages = i18n_load(a, dirs, err, errlen);
	return s->messages ? 0 : -1;
}

/* A view file compiled for the site; routes that name the same file
 * share it (a compiled view holds its own copy of every stylesheet it
 * imports, the layout included: about a megabyte each). */
struct site_view {
	struct site_view *next;
	const char *path;
	void *style;
};

static void *
view_compile(arena *a, struct site *s, const struct plugin *p,
    const char *view, char *err, size_t errlen)
{
	struct site_view *v;
	const char *path;

	path = arena_printf(a, "%s/views/%s", p->data_dir, view);
	if (path == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (v = s->views; v != NULL; v = v->next)
		if (strcmp(v->path, path) == 0)
			return v->style;
	if ((v = arena_calloc(a, 1, sizeof(*v))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if ((v->style = render_compile(a, path, err, errlen)) == NULL)
		return NULL;
	v->path = path;
	v->next = s->views;
	s->views = v;
	return v->style;
}

/* Add one route table of plugin p, compiling its views. */
static int
site_add_routes(arena *a, struct site *s, struct plugin *p,
    const ln_route *table, char *err, size_t errlen)
{
	struct route_entry *e;
	const ln_format *f;
	const ln_route *r;
	size_t nformats, k;

	for (r = table; r->pattern != NULL; r++) {
		if (router_add(a, &s->router, r, p, p->name, err, errlen) < 0)
			return -1;
		e = s->router.entries[s->router.count - 1];
		if (r->view != NULL &&
		    (e->view = view_compile(a, s, p, r->view, err, errlen)) == NULL)
			return -1;
		nformats = 0;
		for (f = r->formats; f && f->suffix; f++)
			nformats++;
		if (nformats == 0)
			continue;
		e->format_views = arena_calloc(a, nformats, sizeof(void *));
		if (e->format_views == NULL)
			return -1;
		for (k = 0, f = r->formats; k < nformats; k++, f++)
			if (f->view != NULL && (e->format_views[k] =
			    view_compile(a, s, p, f->view, err, errlen)) == NULL)
				return -1;
	}
	return 0;
}

static int
site_load_routes(arena *a, struct site *s, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < s->nplugins; i++) {
		if (site_add_routes(a, s, s->plugins[i], s->plugins[i]->desc->routes,
		    err, errlen) < 0)
			return -1;
		/* The core (plugins[0]) also serves the accounts pages. */
		if (i == 0 && site_add_routes(a, s, s->plugins[0], account_routes,
		    err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* " core hello labs ": what views test to show only what exists. */
static int
site_plugin_names(arena *a, struct site *s)
{
	strbuf sb;
	size_t i;

	strbuf_init(&sb, a, 0);
	strbuf_putc(&sb, ' ');
	for (i = 0; i < s->nplugins; i++) {
		strbuf_puts(&sb, s->plugins[i]->name);
		strbuf_putc(&sb, ' ');
	}
	s->plugin_names = strbuf_str(&sb);
	return s->plugin_names ? 0 : -1;
}

int
site_open(arena *a, const struct config *cfg, int init, struct site **out,
    char *err, size_t errlen)
{
	struct site *s;
	size_t i;

	*out = NULL;
	s = arena_calloc(a, 1, sizeof(*s));
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->arena = a;
	s->config = cfg;
	s->core_views = arena_printf(a, "%s/core/views", cfg->share_dir);
	if (s->core_views == NULL || render_global_init(s->core_views) < 0) {
		snprintf(err, errlen, "cannot set up the XSLT environment");
		return -1;
	}
	if (site_load_plugins(a, s, err, errlen) < 0 ||
	    site_load_messages(a, s, err, errlen) < 0 ||
	    site_load_routes(a, s, err, errlen) < 0)
		goto fail;
	if (site_plugin_names(a, s) < 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	s->error_view = view_compile(a, s, s->plugins[0], "error.xsl", err,
	    errlen);
	if (s->error_view == NULL)
		goto fail;
	if (init)
		for (i = 0; i < s->nplugins; i++)
			if (plugin_init(s->plugins[i], a, err, errlen) < 0)
				goto fail;
	*out = s;
	return 0;
fail:
	site_close(s);
	return -1;
}

void
site_close(struct site *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = s->nplugins; i > 0; i--)
		if (s->plugins[i - 1] != NULL)
			plugin_close(s->plugins[i - 1]);
	s->nplugins = 0;
}

struct site *
site_create(const struct config *cfg, int init, char *err, size_t errlen)
{
	struct site *s = NULL;
	arena *a;

	if ((a = arena_create(SITE_ARENA_BLOCK)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (site_open(a, cfg, init, &s, err, errlen) < 0)
		arena_destroy(a);
	return s;
}

void
site_destroy(struct site *s)
{
	arena *a;

	if (s == NULL)
		return;
	a = s->arena;	/* s itself lives on it */
	site_close(s);
	arena_destroy(a);
}

struct plugin *
site_plugin(const struct site *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nplugins; i++)
		if (strcmp(s->plugins[i]->name, name) == 0)
			return s->plugins[i];
	return NULL;
}
