/*
 * plugin.c - the plugin loader (see plugin.h).
 *
 * Loads absolute paths only, with RTLD_NOW | RTLD_LOCAL so that a missing
 * symbol fails at load rather than mid-request and plugins cannot see each
 * other's symbols. A failed load is fully unwound (dlclose) before the error
 * is returned. Descriptor strings are copied nowhere: they live in the .so,
 * which stays mapped as long as the site.
 */
#include "plugin.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"

const char *
plugin_name(const struct plugin *p)
{
	return p->name;
}

static int
name_valid(const char *name)
{
	size_t i, len;

	if (name == NULL || !(name[0] >= 'a' && name[0] <= 'z'))
		return 0;
	len = strlen(name);
	if (len < 2 || len > 31)
		return 0;
	for (i = 0; i < len; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
			return 0;
	/* Schema names PostgreSQL keeps for itself. */
	return strncmp(name, "pg_", 3) != 0 && strcmp(name, "public") != 0 &&
	    strcmp(name, "information_schema") != 0;
}

static const char *
path_join(arena *a, const char *dir, const char *rel)
{
	if (rel == NULL)
		return NULL;
	if (rel[0] == '/')
		return arena_strdup(a, rel);
	if (strcmp(rel, ".") == 0 || rel[0] == '\0')
		return arena_strdup(a, dir);
	return arena_printf(a, "%s/%s", dir, rel);
}

/* Checks the descriptor's own fields; library names the file for errors. */
static int
descriptor_check(const ln_plugin *d, const char *expected, const char *library,
    char *err, size_t errlen)
{
	const ln_route *r;

	if (d->abi_major != LN_ABI_MAJOR) {
		snprintf(err, errlen, "%s: plugin ABI %u, this host speaks ABI %u; "
		    "rebuild the plugin against this host's labnet.h", library,
		    d->abi_major, (unsigned)LN_ABI_MAJOR);
		return -1;
	}
	if (d->api_min > LN_API_VERSION ||
	    (d->api_max != 0 && d->api_max < LN_API_VERSION) ||
	    (d->api_max != 0 && d->api_max < d->api_min)) {
		snprintf(err, errlen, "%s: plugin needs host API %u..%u, this host "
		    "provides API %u", library, d->api_min, d->api_max,
		    (unsigned)LN_API_VERSION);
		return -1;
	}
	if (!name_valid(d->name)) {
		snprintf(err, errlen, "%s: plugin name \"%s\" is not valid "
		    "([a-z][a-z0-9_]{1,30}, not pg_*)", library,
		    d->name ? d->name : "(null)");
		return -1;
	}
	if (expected != NULL && strcmp(d->name, expected) != 0) {
		snprintf(err, errlen, "%s: configured as plugin \"%s\" but its "
		    "descriptor says \"%s\"", library, expected, d->name);
		return -1;
	}
	if (d->version == NULL || d->data == NULL) {
		snprintf(err, errlen, "%s: descriptor lacks version or data "
		    "directory", library);
		return -1;
	}
	if (d->routes == NULL) {
		snprintf(err, errlen, "%s: descriptor has no route table", library);
		return -1;
	}
	for (r = d->routes; r->pattern != NULL; r++)
		if (r->handler == NULL) {
			snprintf(err, errlen, "%s: route %s has no handler", library,
			    r->pattern);
			return -1;
		}
	return 0;
}

static int
plugin_paths(arena *a, struct plugin *p, const char *root_override)
{
	p->root = root_override ? root_override : p->config->share_dir;
	p->data_dir = path_join(a, p->root, p->desc->data);
	p->migrations_dir = p->desc->migrations ?
	    path_join(a, p->root, p->desc->migrations) : NULL;
	return p->data_dir == NULL ? -1 : 0;
}

int
plugin_builtin(arena *a, const struct config *cfg, const ln_plugin *desc,
    struct plugin **out, char *err, size_t errlen)
{
	struct plugin *p;

	p = arena_calloc(a, 1, sizeof(*p));
	if (p == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->desc = desc;
	p->name = desc->name;
	p->library = "(built in)";
	p->config = cfg;
	if (plugin_paths(a, p, NULL) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*out = p;
	return 0;
}

int
plugin_open(arena *a, const struct config *cfg, const char *name,
    struct plugin **out, char *err, size_t errlen)
{
	const ln_plugin *desc;
	const char *library, *root;
	struct plugin *p = NULL;
	void *handle = NULL;
	struct stat st;

	library = config_value(cfg, name, "library");
	if (library == NULL)
		library = arena_printf(a, "%s/%s.so", cfg->plugin_dir, name);
	root = config_value(cfg, name, "root");
	if (library == NULL)
		goto oom;
	if (library[0] != '/') {
		snprintf(err, errlen, "%s: plugin %s must be given as an absolute path",
		    library, name);
		goto fail;
	}
	if (root != NULL && root[0] != '/') {
		snprintf(err, errlen, "%s: root of plugin %s must be absolute", root,
		    name);
		goto fail;
	}
	if (stat(library, &st) < 0) {
		snprintf(err, errlen, "%s: plugin %s: %s", library, name,
		    strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: plugin %s is not a regular file", library,
		    name);
		goto fail;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(err, errlen, "%s: plugin %s is group- or world-writable "
		    "(mode %04o); refusing to load it", library, name,
		    (unsigned)(st.st_mode & 07777));
		goto fail;
	}
	handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
	if (handle == NULL) {
		snprintf(err, errlen, "%s: plugin %s cannot be loaded: %s", library,
		    name, dlerror());
		goto fail;
	}
	desc = dlsym(handle, "labnet_plugin");
	if (desc == NULL) {
		snprintf(err, errlen, "%s: plugin %s has no descriptor (export "
		    "LN_PLUGIN = {...})", library, name);
		goto fail;
	}
	if (descriptor_check(desc, name, library, err, errlen) < 0)
		goto fail;
	if ((p = arena_calloc(a, 1, sizeof(*p))) == NULL)
		goto oom;
	p->desc = desc;
	p->handle = handle;
	p->name = desc->name;
	p->library = library;
	p->config = cfg;
	if (plugin_paths(a, p, root) < 0)
		goto oom;
	*out = p;
	return 0;
oom:
	snprintf(err, errlen, "out of memory loading plugin %s", name);
fail:
	if (handle != NULL)
		dlclose(handle);
	return -1;
}

static struct plugin *
plugin_find(struct plugin **list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i]->name, name) == 0)
			return list[i];
	return NULL;
}

int
plugin_order(struct plugin **list, size_t n, char *err, size_t errlen)
{
	struct plugin *tmp;
	const char *const *dep;
	size_t placed = 0, i, j;
	int progress;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (strcmp(list[i]->name, list[j]->name) == 0) {
				snprintf(err, errlen, "%s: plugin name \"%s\" is also used by %s",
				    list[j]->library, list[j]->name, list[i]->library);
				return -1;
			}
	for (i = 0; i < n; i++)
		for (dep = list[i]->desc->depends; dep && *dep; dep++)
			if (plugin_find(list, n, *dep) == NULL) {
				snprintf(err, errlen, "%s: plugin %s depends on plugin %s, "
				    "which is not loaded", list[i]->library, list[i]->name, *dep);
				return -1;
			}
	/* Selection sort by readiness: n is small. */
	while (placed < n) {
		progress = 0;
		for (i = placed; i < n; i++) {
			for (dep = list[i]->desc->depends; dep && *dep; dep++)
				if (plugin_find(list, placed, *dep) == NULL)
					break;
			if (dep == NULL || *dep == NULL) {
				tmp = list[placed];
				list[placed] = list[i];
				list[i] = tmp;
				placed++;
				progress = 1;
			}
		}
		if (!progress) {
			snprintf(err, errlen, "%s: plugin %s is part of a dependency cycle",
			    list[placed]->library, list[placed]->name);
			return -1;
		}
	}
	return 0;
}

static const ln_config_key *
key_find(const ln_config_key *keys, const char *name)
{
	for (; keys && keys->name; keys++)
		if (strcmp(keys->name, name) == 0)
			return keys;
	return NULL;
}

int
plugin_check_config(const struct config *cfg, struct plugin **list, size_t n,
    char *err, size_t errlen)
{
	const struct config_section *s;
	const struct config_entry *e;
	const ln_config_key *k;
	struct plugin *p;
	size_t i;

	for (s = cfg->sections; s != NULL; s = s->next) {
		p = plugin_find(list, n, s->name);
		if (p == NULL) {
			snprintf(err, errlen, "%s:%d: section [%s] names no loaded plugin",
			    cfg->path, s->line, s->name);
			return -1;
		}
		for (e = s->entries; e != NULL; e = e->next)
			if (strcmp(e->key, "library") != 0 && strcmp(e->key, "root") != 0 &&
			    key_find(p->desc->config, e->key) == NULL) {
				snprintf(err, errlen, "%s:%d: unknown key \"%s\" in [%s]",
				    cfg->path, e->line, e->key, s->name);
				return -1;
			}
	}
	for (i = 0; i < n; i++)
		for (k = list[i]->desc->config; k && k->name; k++)
			if (k->fallback == NULL &&
			    config_value(cfg, list[i]->name, k->name) == NULL) {
				snprintf(err, errlen, "%s: plugin %s needs \"%s\" in [%s] (%s)",
				    cfg->path, list[i]->name, k->name, list[i]->name,
				    k->help ? k->help : "no help given");
				return -1;
			}
	return 0;
}

int
plugin_init(struct plugin *p, arena *a, char *err, size_t errlen)
{
	struct ln_host host = { p, a };
	int rc;

	if (p->desc->init == NULL) {
		p->initialized = 1;
		return 0;
	}
	log_set_plugin(p->name);
	rc = p->desc->init(&host, &p->state);
	log_set_plugin(NULL);
	if (rc < 0) {
		snprintf(err, errlen, "%s: plugin %s failed to start (init returned %d)",
		    p->library, p->name, rc);
		return -1;
	}
	p->initialized = 1;
	return 0;
}

void
plugin_fini(struct plugin *p)
{
	if (!p->initialized)
		return;
	if (p->desc->fini != NULL) {
		log_set_plugin(p->name);
		p->desc->fini(p->state);
		log_set_plugin(NULL);
	}
	p->initialized = 0;
}

void
plugin_close(struct plugin *p)
{
	plugin_fini(p);
	if (p->handle != NULL)
		dlclose(p->handle);
	p->handle = NULL;
}

/* ------------------------------------------------------------ SDK: host */

const char *
ln_host_config(ln_host *host, const char *key)
{
	const ln_config_key *k;
	const char *v;

	v = config_value(host->plugin->config, host->plugin->name, key);
	if (v != NULL)
		return v;
	k = key_find(host->plugin->desc->config, key);
	return k ? k->fallback : NULL;
}

const char *
ln_host_path(ln_host *host, const char *relative)
{
	return path_join(host->arena, host->plugin->data_dir, relative);
}

void *
ln_host_alloc(ln_host *host, size_t n)
{
	return arena_calloc(host->arena, 1, n);
}
