/*
 * config.c - INI configuration (see config.h), parsed with inih.
 *
 * The [core] keys are a table walked by the parser; each has a type, a
 * default and a line of help. inih is fed through a reader callback so that
 * each error can name file:line. The result lives on the caller's arena.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>

enum key_type { KEY_STRING, KEY_INT, KEY_SIZE, KEY_MODE, KEY_LIST, KEY_WORKERS,
    KEY_LOGLEVEL, KEY_BOOL };

struct core_key {
	const char *name;
	enum key_type type;
	size_t offset;
	const char *fallback;
	const char *help;
};

#define K(name, type, field, fallback, help) \
	{ name, type, offsetof(struct config, field), fallback, help }

static const struct core_key core_keys[] = {
	K("base_url", KEY_STRING, base_url, "http://127.0.0.1:8080",
	    "absolute URL of the site, used for every absolute link"),
	K("listen", KEY_STRING, listen, "/run/labnet/labnet.sock",
	    "unix socket path, host:port for TCP, or - for the socket on fd 0"),
	K("socket_mode", KEY_MODE, socket_mode, "0660",
	    "permissions of the unix socket"),
	K("socket_group", KEY_STRING, socket_group, "",
	    "group that owns the unix socket (the web server's)"),
	K("workers", KEY_WORKERS, workers, "auto",
	    "worker processes; auto is one per core"),
	K("threads", KEY_INT, threads, "4",
	    "request threads per worker"),
	K("user", KEY_STRING, user, "",
	    "started as root, workers switch to this user"),
	K("plugin_dir", KEY_STRING, plugin_dir, "/usr/lib/labnet/plugins",
	    "where <name>.so plugins are found"),
	K("share_dir", KEY_STRING, share_dir, "/usr/share/labnet",
	    "root of views, messages and migrations"),
	K("plugins", KEY_LIST, plugins, "",
	    "plugins to load, by name"),
	K("database", KEY_STRING, database, "dbname=labnet",
	    "libpq connection string of the runtime role"),
	K("migrate_database", KEY_STRING, migrate_database, "",
	    "connection string of the owner role for `labnet migrate`"),
	K("app_role", KEY_STRING, app_role, "labnet_app",
	    "runtime role granted access by migrations"),
	K("connect_timeout", KEY_INT, connect_timeout, "2",
	    "seconds to wait for a database connection"),
	K("statement_timeout", KEY_INT, statement_timeout, "5",
	    "seconds a statement may run"),
	K("max_body", KEY_SIZE, max_body, "10M",
	    "largest request body; larger gets 413"),
	K("max_params", KEY_INT, max_params, "256",
	    "most query and form parameters in a request"),
	K("max_param_len", KEY_SIZE, max_param_len, "64K",
	    "longest parameter value"),
	K("max_parts", KEY_INT, max_parts, "64",
	    "most parts in a multipart body"),
	K("trusted_proxies", KEY_LIST, trusted_proxies, "",
	    "addresses whose X-Forwarded-For is believed"),
	K("log_level", KEY_LOGLEVEL, log_level, "info",
	    "debug, info, warn or error"),
	K("max_requests", KEY_INT, max_requests, "0",
	    "requests before a worker is recycled; 0 never"),
	K("request_timeout", KEY_INT, request_timeout, "0",
	    "seconds before a stuck worker is replaced; 0 never"),
	K("crash_loop_deaths", KEY_INT, crash_loop_deaths, "10",
	    "more worker deaths than this within crash_loop_window slow respawning"),
	K("crash_loop_window", KEY_INT, crash_loop_window, "10",
	    "seconds over which crash_loop_deaths are counted"),
	K("quarantine_crashes", KEY_INT, quarantine_crashes, "3",
	    "crashes of one plugin within quarantine_window switch it off; 0 never"),
	K("quarantine_window", KEY_INT, quarantine_window, "60",
	    "seconds over which quarantine_crashes are counted"),
	K("render_cache", KEY_SIZE, render_cache, "8M",
	    "memory per worker for finished public pages; 0 switches it off"),
	K("render_cache_max_age", KEY_INT, render_cache_max_age, "300",
	    "seconds a cached page is served at most; 0: until the data changes"),
	K("status_clients", KEY_LIST, status_clients, "127.0.0.1 ::1",
	    "client addresses allowed to read /-/health and /-/metrics"),
	K("plain_http", KEY_BOOL, plain_http, "false",
	    "the site is served over plain HTTP (cookies without Secure)"),
	K("password_opslimit", KEY_INT, password_opslimit, "2",
	    "argon2id passes per password hash (libsodium INTERACTIVE: 2)"),
	K("password_memlimit", KEY_SIZE, password_memlimit, "64M",
	    "argon2id memory per password hash (libsodium INTERACTIVE: 64M)"),
	K("session_idle", KEY_INT, session_idle, "7200",
	    "seconds a session survives without a request"),
	K("session_lifetime", KEY_INT, session_lifetime, "604800",
	    "seconds a session lasts at most after sign-in"),
	K("login_window", KEY_INT, login_window, "900",
	    "seconds failed sign-ins are counted for the rate limit"),
	K("login_max_failures", KEY_INT, login_max_failures, "5",
	    "failed sign-ins per account in a window before 429"),
	K("login_max_failures_addr", KEY_INT, login_max_failures_addr, "50",
	    "failed sign-ins per client address in a window before 429"),
	K("invite_lifetime", KEY_INT, invite_lifetime, "604800",
	    "seconds an invitation link works"),
	K("reset_lifetime", KEY_INT, reset_lifetime, "86400",
	    "seconds a password-reset link works"),
	K("audit_addr_days", KEY_INT, audit_addr_days, "30",
	    "days the audit trail keeps client addresses"),
	K("sendmail", KEY_LIST, sendmail, "",
	    "mail command and arguments (no shell), message on stdin; empty: none"),
	K("mail_from", KEY_STRING, mail_from, "",
	    "From: address of the mail the site sends"),
};

#undef K

#define NKEYS (sizeof(core_keys) / sizeof(core_keys[0]))

struct parse_state {
	arena *arena;
	struct config *config;
	FILE *file;
	int line;
	int seen[NKEYS];
	char *err;
	size_t errlen;
	int failed;
	struct config_section *current;
	struct config_section **tail;
};

const char **
config_split(arena *a, const char *list)
{
	const char **items;
	size_t count = 0, n = 0, len;
	const char *p, *start;

	for (p = list; *p; p++)
		if (*p == ' ' || *p == ',' || *p == '\t')
			count++;
	items = arena_calloc(a, count + 2, sizeof(*items));
	if (items == NULL)
		return NULL;
	for (p = list; *p; ) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		start = p;
		while (*p && *p != ' ' && *p != ',' && *p != '\t')
			p++;
		len = (size_t)(p - start);
		if (len > 0) {
			items[n] = arena_strndup(a, start, len);
			if (items[n] == NULL)
				return NULL;
			n++;
		}
	}
	items[n] = NULL;
	return items;
}

static int
parse_long(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v, mult = 1;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || s[0] == '-')
		return -1;
	switch (*end) {
	case 'k': case 'K': mult = 1024ULL; end++; break;
	case 'm': case 'M': mult = 1024ULL * 1024; end++; break;
	case 'g': case 'G': mult = 1024ULL * 1024 * 1024; end++; break;
	}
	if (*end != '\0' || v > SIZE_MAX / mult)
		return -1;
	*out = (size_t)(v * mult);
	return 0;
}

/* Store one [core] value; returns 0 or -1 with a reason in *why. */
static int
core_set(struct parse_state *st, const struct core_key *k, const char *value,
    const char **why)
{
	char *field = (char *)st->config + k->offset;
	long long n;
	long cores;
	char *end;
	unsigned long mode;

	switch (k->type) {
	case KEY_STRING:
		if ((*(const char **)field = arena_strdup(st->arena, value)) == NULL)
			goto oom;
		return 0;
	case KEY_LIST:
		if ((*(const char ***)field = config_split(st->arena, value)) == NULL)
			goto oom;
		return 0;
	case KEY_INT:
		if (parse_long(value, 0, INT_MAX, &n) < 0) {
			*why = "expected a whole number";
			return -1;
		}
		*(int *)field = (int)n;
		return 0;
	case KEY_WORKERS:
		if (strcmp(value, "auto") == 0) {
			cores = sysconf(_SC_NPROCESSORS_ONLN);
			*(int *)field = cores > 0 ? (int)cores : 1;
			return 0;
		}
		if (parse_long(value, 1, 1024, &n) < 0) {
			*why = "expected auto or a number from 1 to 1024";
			return -1;
		}
		*(int *)field = (int)n;
		return 0;
	case KEY_SIZE:
		if (parse_size(value, (size_t *)field) < 0) {
			*why = "expected a size such as 65536, 64K or 10M";
			return -1;
		}
		return 0;
	case KEY_MODE:
		errno = 0;
		mode = strtoul(value, &end, 8);
		if (errno || end == value || *end || mode > 0777) {
			*why = "expected an octal mode such as 0660";
			return -1;
		}
		*(unsigned *)field = (unsigned)mode;
		return 0;
	case KEY_LOGLEVEL:
		if (log_level_parse(value, (enum log_level *)field) < 0) {
			*why = "expected debug, info, warn or error";
			return -1;
		}
		return 0;
	case KEY_BOOL:
		if (strcmp(value, "true") == 0 || strcmp(value, "yes") == 0 ||
		    strcmp(value, "1") == 0)
			*(int *)field = 1;
		else if (strcmp(value, "false") == 0 || strcmp(value, "no") == 0 ||
		    strcmp(value, "0") == 0)
			*(int *)field = 0;
		else {
			*why = "expected true or false";
			return -1;
		}
		return 0;
	}
	*why = "unknown key type";
	return -1;
oom:
	*why = "out of memory";
	return -1;
}

static void
parse_fail(struct parse_state *st, const char *fmt, const char *a, const char *b)
{
	char reason[256];

	if (st->failed)
		return;
	st->failed = 1;
	snprintf(reason, sizeof(reason), fmt, a, b);
	snprintf(st->err, st->errlen, "%s:%d: %s", st->config->path, st->line,
	    reason);
}

static struct config_section *
section_get(struct parse_state *st, const char *name)
{
	struct config_section *s;

	for (s = st->config->sections; s != NULL; s = s->next)
		if (strcmp(s->name, name) == 0)
			return s;
	s = arena_calloc(st->arena, 1, sizeof(*s));
	if (s == NULL || (s->name = arena_strdup(st->arena, name)) == NULL)
		return NULL;
	s->line = st->line;
	*st->tail = s;
	st->tail = &s->next;
	return s;
}

static int
ini_entry(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state *st = user;
	struct config_entry *e, **tailp;
	const char *why = NULL;
	size_t i;

	if (section[0] == '\0') {
		parse_fail(st, "key \"%s\" outside any section%s", name, "");
		return 0;
	}
	if (strcmp(section, "core") == 0) {
		for (i = 0; i < NKEYS; i++)
			if (strcmp(core_keys[i].name, name) == 0)
				break;
		if (i == NKEYS) {
			parse_fail(st, "unknown key \"%s\" in [%s]", name, section);
			return 0;
		}
		if (st->seen[i]) {
			parse_fail(st, "key \"%s\" set twice in [%s]", name, section);
			return 0;
		}
		st->seen[i] = st->line;
		if (core_set(st, &core_keys[i], value, &why) < 0) {
			parse_fail(st, "%s: %s", name, why);
			return 0;
		}
		return 1;
	}
	if ((st->current = section_get(st, section)) == NULL) {
		parse_fail(st, "out of memory%s%s", "", "");
		return 0;
	}
	for (tailp = &st->current->entries; *tailp != NULL; tailp = &(*tailp)->next)
		if (strcmp((*tailp)->key, name) == 0) {
			parse_fail(st, "key \"%s\" set twice in [%s]", name, section);
			return 0;
		}
	e = arena_calloc(st->arena, 1, sizeof(*e));
	if (e == NULL || (e->key = arena_strdup(st->arena, name)) == NULL ||
	    (e->value = arena_strdup(st->arena, value)) == NULL) {
		parse_fail(st, "out of memory%s%s", "", "");
		return 0;
	}
	e->line = st->line;
	*tailp = e;
	return 1;
}

/* Reads a line for inih and counts it, so errors can name their line. */
static char *
ini_read_line(char *str, int num, void *stream)
{
	struct parse_state *st = stream;
	char *line;

	line = fgets(str, num, st->file);
	if (line != NULL)
		st->line++;
	return line;
}

static int
base_url_split(arena *a, struct config *c, char *err, size_t errlen)
{
	const char *scheme_end, *path;
	size_t len;

	len = strlen(c->base_url);
	while (len > 0 && c->base_url[len - 1] == '/')
		len--;
	if ((c->base_url = arena_strndup(a, c->base_url, len)) == NULL)
		return -1;
	if (strncmp(c->base_url, "http://", 7) != 0 &&
	    strncmp(c->base_url, "https://", 8) != 0) {
		snprintf(err, errlen, "%s: base_url must start with http:// or https://",
		    c->path);
		return -1;
	}
	scheme_end = strstr(c->base_url, "://") + 3;
	path = strchr(scheme_end, '/');
	c->base_path = path ? path : "";
	if (strncmp(c->base_url, "http://", 7) == 0)
		c->plain_http = 1;
	return 0;
}

int
config_load(arena *a, const char *path, struct config *out, char *err,
    size_t errlen)
{
	struct parse_state st;
	const char *why;
	size_t i;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&st, 0, sizeof(st));
	st.arena = a;
	st.config = out;
	st.err = err;
	st.errlen = errlen;
	st.tail = &out->sections;
	if ((out->path = arena_strdup(a, path)) == NULL)
		goto fail;
	/* Defaults first, so a key set in the file simply overrides one. */
	for (i = 0; i < NKEYS; i++)
		if (core_set(&st, &core_keys[i], core_keys[i].fallback, &why) < 0) {
			snprintf(err, errlen, "default of %s: %s", core_keys[i].name, why);
			goto fail;
		}
	st.file = fopen(path, "r");
	if (st.file == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (ini_parse_stream(ini_read_line, &st, ini_entry, &st) != 0 || st.failed) {
		if (!st.failed)
			snprintf(err, errlen, "%s:%d: syntax error", path, st.line);
		goto fail;
	}
	if (out->migrate_database[0] == '\0')
		out->migrate_database = out->database;
	if (out->threads < 1 || out->threads > 64) {
		snprintf(err, errlen, "%s: threads must be from 1 to 64", path);
		goto fail;
	}
	if (base_url_split(a, out, err, errlen) < 0)
		goto fail;
	if (out->password_opslimit < 1 || out->password_memlimit < 8192 ||
	    out->session_idle < 1 || out->session_lifetime < 1 ||
	    out->login_window < 1 || out->login_max_failures < 1 ||
	    out->login_max_failures_addr < 1) {
		snprintf(err, errlen, "%s: password_opslimit, password_memlimit (8K "
		    "at least), session_*, login_* must be positive", path);
		goto fail;
	}
	if (out->sendmail[0] != NULL && out->sendmail[0][0] != '/') {
		snprintf(err, errlen, "%s: sendmail must start with an absolute path",
		    path);
		goto fail;
	}
	if (out->plugin_dir[0] != '/' || out->share_dir[0] != '/') {
		snprintf(err, errlen, "%s: plugin_dir and share_dir must be absolute paths",
		    path);
		goto fail;
	}
	rc = 0;
fail:
	if (st.file != NULL)
		fclose(st.file);
	return rc;
}

const struct config_section *
config_section(const struct config *c, const char *name)
{
	const struct config_section *s;

	for (s = c->sections; s != NULL; s = s->next)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

const char *
config_value(const struct config *c, const char *section, const char *key)
{
	const struct config_section *s;
	const struct config_entry *e;

	if ((s = config_section(c, section)) == NULL)
		return NULL;
	for (e = s->entries; e != NULL; e = e->next)
		if (strcmp(e->key, key) == 0)
			return e->value;
	return NULL;
}

void
config_describe(void)
{
	size_t i;

	printf("[core]\n");
	for (i = 0; i < NKEYS; i++)
		printf("  %-18s default %-26s %s\n", core_keys[i].name,
		    core_keys[i].fallback[0] ? core_keys[i].fallback : "\"\"",
		    core_keys[i].help);
}
