/*
 * plugin.h - loading, checking and initialising plugins.
 *
 * Owns the dlopen handles and each plugin's descriptor, paths and state.
 * Refuses, with one line naming the file and the reason: relative paths,
 * group/world-writable files, a missing descriptor, an ABI or API mismatch,
 * a bad or duplicate name, a missing dependency, unknown config keys. The
 * core itself is a plugin here (name "core", no .so), so its routes go
 * through the same table. Plugins live as long as the site that loaded them.
 */
#ifndef LABNET_PLUGIN_H
#define LABNET_PLUGIN_H

#include <stddef.h>

#include "arena.h"
#include "config.h"
#include "labnet/labnet.h"

struct plugin {
	const ln_plugin *desc;
	void *handle;			/* NULL for the core */
	const char *name;
	const char *library;		/* absolute path of the .so */
	const char *root;		/* paths in the descriptor are under it */
	const char *data_dir;		/* root + desc->data */
	const char *migrations_dir;	/* root + desc->migrations, or NULL */
	const struct config *config;
	void *state;
	int initialized;
};

struct ln_host {
	struct plugin *plugin;
	arena *arena;
};

const char *plugin_name(const struct plugin *p);

/* The core's own descriptor, defined in corepages.c. */
extern const ln_plugin core_plugin_descriptor;

/* Wrap a descriptor that is linked in (the core) as a plugin. */
int plugin_builtin(arena *a, const struct config *cfg, const ln_plugin *desc,
    struct plugin **out, char *err, size_t errlen);

/* dlopen the plugin called name (from [name] library=, else
 * plugin_dir/name.so) and check its descriptor. */
int plugin_open(arena *a, const struct config *cfg, const char *name,
    struct plugin **out, char *err, size_t errlen);

/* Sort list[0..n) so that every plugin comes after its dependencies;
 * refuses missing dependencies and cycles. */
int plugin_order(struct plugin **list, size_t n, char *err, size_t errlen);

/* Config sections: every key declared, every required key set, every
 * section a loaded plugin. */
int plugin_check_config(const struct config *cfg, struct plugin **list,
    size_t n, char *err, size_t errlen);

int plugin_init(struct plugin *p, arena *a, char *err, size_t errlen);
void plugin_fini(struct plugin *p);
void plugin_close(struct plugin *p);

#endif
