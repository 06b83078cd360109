/*
 * config.h - the one INI configuration file.
 *
 * Owns the parsed configuration: section [core] is checked against a table of
 * keys here; every other section belongs to the plugin of that name and is
 * kept raw (with line numbers) until the plugin is loaded and its declared
 * keys are known. Everything lives on the arena given to config_load().
 */
#ifndef LABNET_CONFIG_H
#define LABNET_CONFIG_H

#include <stddef.h>

#include "arena.h"
#include "log.h"

struct config_entry {
	struct config_entry *next;
	const char *key;
	const char *value;
	int line;
};

struct config_section {
	struct config_section *next;
	const char *name;
	int line;
	struct config_entry *entries;
};

struct config {
	const char *path;
	const char *base_url;		/* no trailing slash */
	const char *base_path;		/* path part of base_url, "" or "/prefix" */
	const char *listen;
	unsigned socket_mode;
	const char *socket_group;
	int workers;			/* resolved: "auto" is the core count */
	int threads;
	const char *user;
	const char *plugin_dir;
	const char *share_dir;
	const char **plugins;		/* NULL-terminated names */
	const char *database;
	const char *migrate_database;
	const char *app_role;
	int connect_timeout;		/* seconds */
	int statement_timeout;		/* seconds */
	size_t max_body;
	size_t max_params;
	size_t max_param_len;
	size_t max_parts;
	const char **trusted_proxies;	/* NULL-terminated addresses */
	enum log_level log_level;
	int max_requests;		/* 0: never recycle */
	int request_timeout;		/* seconds, 0: none */
	int crash_loop_deaths;		/* more deaths than this in ... */
	int crash_loop_window;		/* ... these seconds: respawn slowly */
	int quarantine_crashes;		/* crashes of one plugin in ... */
	int quarantine_window;		/* ... these seconds: its routes 503 */
	size_t render_cache;		/* bytes per worker, 0: off */
	int render_cache_max_age;	/* seconds, 0: until the data changes */
	const char **status_clients;	/* may read /-/health, /-/metrics */
	int plain_http;			/* cookies without Secure */
	/* Accounts (core/accounts.c, session.c, ratelimit.c, audit.c). */
	int password_opslimit;		/* crypto_pwhash opslimit */
	size_t password_memlimit;	/* crypto_pwhash memlimit, bytes */
	int session_idle;		/* seconds without a request */
	int session_lifetime;		/* seconds from sign-in, at most */
	int login_window;		/* seconds failures are counted */
	int login_max_failures;		/* per account in a window */
	int login_max_failures_addr;	/* per client address in a window */
	int invite_lifetime;		/* seconds an invitation link works */
	int reset_lifetime;		/* seconds a reset link works */
	int audit_addr_days;		/* days audit keeps client addresses */
	const char **sendmail;		/* argv of the mail command, or { NULL } */
	const char *mail_from;
	struct config_section *sections;	/* plugin sections */
};

/* Parse path into *out. On failure returns -1 with "file:line: reason" in err. */
int config_load(arena *a, const char *path, struct config *out, char *err,
    size_t errlen);

/* The raw section of a plugin, or NULL. */
const struct config_section *config_section(const struct config *c,
    const char *name);

/* A value from a plugin section, or NULL. */
const char *config_value(const struct config *c, const char *section,
    const char *key);

/* Split a space/comma separated list onto the arena; NULL-terminated. */
const char **config_split(arena *a, const char *list);

/* Prints every [core] key with its default and help, for `labnet check -v`. */
void config_describe(void);

#endif
