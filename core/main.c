/*
 * main.c - the `labnet` command: a table of subcommands over the core.
 *
 *   labnet [-c CONFIG] serve | check | routes [--json] | migrate | version
 *   labnet [-c CONFIG] user add|passwd|disable|enable|list ...
 *   labnet [-c CONFIG] plugin-test x.so [fixtures] [--database CONNINFO]
 *   labnet [-c CONFIG] seed [KIND N]
 *
 * The configuration comes from -c, else $LABNET_CONF, else
 * /etc/labnet/labnet.conf. Commands that load plugins do it in a child that
 * has dropped privileges like a worker. Run by a web server as a plain CGI
 * program (GATEWAY_INTERFACE set, no subcommand), it serves one request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "config.h"
#include "json.h"
#include "log.h"
#include "master.h"
#include "migrate.h"
#include "plugintest.h"
#include "router.h"
#include "seed.h"
#include "site.h"
#include "strbuf.h"
#include "usercli.h"
#include "worker.h"
#include "xmlmem.h"

struct command {
	const char *name;
	int (*run)(const struct config *cfg, int argc, char **argv);
	const char *help;
};

static int cmd_serve(const struct config *, int, char **);
static int cmd_check(const struct config *, int, char **);
static int cmd_routes(const struct config *, int, char **);
static int cmd_migrate(const struct config *, int, char **);

static const struct command commands[] = {
	{ "serve", cmd_serve, "serve FastCGI requests (master and workers)" },
	{ "check", cmd_check, "validate the configuration and load every plugin" },
	{ "routes", cmd_routes, "list every route (--json for tools)" },
	{ "migrate", cmd_migrate, "apply pending database migrations" },
	{ "user", usercli_main, "manage accounts: add, passwd, disable, list" },
	{ "plugin-test", plugintest_main,
	  "test x.so [fixtures] against a throw-away database" },
	{ "seed", seed_main, "add generated records: seed KIND N (seed: kinds)" },
	{ NULL, NULL, NULL }
};

static void
usage(FILE *out)
{
	const struct command *c;

	fprintf(out, "usage: labnet [-c CONFIG] COMMAND [ARGS]\n\ncommands:\n");
	for (c = commands; c->name; c++)
		fprintf(out, "  %-9s %s\n", c->name, c->help);
	fprintf(out, "  %-9s %s\n  %-9s %s\n", "version", "print the version",
	    "help", "this text");
}

static int
cmd_serve(const struct config *cfg, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return master_serve(cfg);
}

/* Loads the site in the worker-like child; fn gets it. */
struct site_job {
	int (*fn)(const struct site *site, void *arg);
	void *arg;
	int init;
};

static int
site_job_run(const struct config *cfg, void *arg)
{
	struct site_job *job = arg;
	struct site *site;
	char err[1024];
	int rc = 1;

	if ((site = site_create(cfg, job->init, err, sizeof(err))) == NULL)
		fprintf(stderr, "labnet: %s\n", err);
	else
		rc = job->fn(site, job->arg);
	site_destroy(site);
	return rc;
}

static int
run_site_job(const struct config *cfg, int init,
    int (*fn)(const struct site *, void *), void *arg)
{
	struct site_job job = { fn, arg, init };
	int rc;

	rc = master_as_worker(cfg, site_job_run, &job);
	return rc < 0 ? 1 : rc;
}

static int
check_report(const struct site *site, void *arg)
{
	size_t i;

	(void)arg;
	for (i = 0; i < site->nplugins; i++)
		printf("%-12s %-8s %s\n", site->plugins[i]->name,
		    site->plugins[i]->desc->version, site->plugins[i]->library);
	printf("%s: OK (%zu plugins, %zu routes, %zu messages)\n",
	    site->config->path, site->nplugins, site->router.count,
	    i18n_count(site->messages));
	return 0;
}

static int
cmd_check(const struct config *cfg, int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "labnet check takes no arguments\n");
		return 2;
	}
	return run_site_job(cfg, 1, check_report, NULL);
}

static const char *const access_names[] = { "public", "signed-in", "editor",
    "admin" };
static const char *const param_types[] = { "?", "text", "int", "slug", "bool",
    "choice", "date", "file" };

static const char *
access_name(enum ln_access access)
{
	return (unsigned)access < 4 ? access_names[access] : "?";
}

static const char *
param_type(enum ln_param_type type)
{
	return (unsigned)type < 8 ? param_types[type] : "?";
}

/* "name:type[!][*][<=max]" for each declared parameter. */
static const char *
params_text(arena *a, const ln_param_spec *p)
{
	strbuf sb;

	strbuf_init(&sb, a, 0);
	for (; p && p->name; p++) {
		if (sb.len)
			strbuf_putc(&sb, ' ');
		strbuf_printf(&sb, "%s:%s%s%s", p->name, param_type(p->type),
		    (p->flags & LN_REQUIRED) ? "!" : "",
		    (p->flags & LN_REPEATED) ? "*" : "");
		if (p->type == LN_INT && (p->min || p->max))
			strbuf_printf(&sb, "[%lld..%lld]", p->min, p->max);
		if (p->max_len)
			strbuf_printf(&sb, "<=%zu", p->max_len);
	}
	return sb.len ? strbuf_str(&sb) : "-";
}

static void
routes_json(const struct site *site, arena *a)
{
	const struct route_entry *e;
	const ln_param_spec *p;
	strbuf sb;
	size_t i;

	strbuf_init(&sb, a, 0);
	strbuf_puts(&sb, "[");
	for (i = 0; i < site->router.count; i++) {
		e = site->router.entries[i];
		strbuf_puts(&sb, i ? ",\n {" : "\n {");
		strbuf_puts(&sb, "\"methods\": ");
		json_string(&sb, router_methods_text(a, e->route->methods, " "));
		strbuf_puts(&sb, ", \"pattern\": ");
		json_string(&sb, e->route->pattern);
		strbuf_puts(&sb, ", \"plugin\": ");
		json_string(&sb, e->owner_name);
		strbuf_puts(&sb, ", \"access\": ");
		json_string(&sb, access_name(e->route->access));
		strbuf_printf(&sb, ", \"side_effect_free\": %s",
		    (e->route->flags & LN_SAFE) ||
		    !(e->route->methods & ~(unsigned)LN_GET) ? "true" : "false");
		strbuf_puts(&sb, ", \"view\": ");
		if (e->route->view)
			json_string(&sb, e->route->view);
		else
			strbuf_puts(&sb, "null");
		strbuf_puts(&sb, ", \"params\": [");
		for (p = e->route->params; p && p->name; p++) {
			strbuf_puts(&sb, p == e->route->params ? "{" : ", {");
			strbuf_puts(&sb, "\"name\": ");
			json_string(&sb, p->name);
			strbuf_puts(&sb, ", \"type\": ");
			json_string(&sb, param_type(p->type));
			strbuf_printf(&sb, ", \"required\": %s, \"repeated\": %s, "
			    "\"max_len\": %zu}", (p->flags & LN_REQUIRED) ? "true" : "false",
			    (p->flags & LN_REPEATED) ? "true" : "false", p->max_len);
		}
		strbuf_puts(&sb, "], \"summary\": ");
		json_string(&sb, e->route->summary ? e->route->summary : "");
		strbuf_puts(&sb, "}");
	}
	strbuf_puts(&sb, "\n]\n");
	fputs(strbuf_failed(&sb) ? "[]\n" : strbuf_str(&sb), stdout);
}

static int
routes_report(const struct site *site, void *arg)
{
	const struct route_entry *e;
	int json = *(int *)arg;
	arena *a;
	size_t i;

	if ((a = arena_create(65536)) == NULL)
		return 1;
	if (json)
		routes_json(site, a);
	else {
		printf("%-12s %-24s %-8s %-9s %-4s %s\n", "METHODS", "PATTERN",
		    "PLUGIN", "ACCESS", "SAFE", "PARAMETERS");
		for (i = 0; i < site->router.count; i++) {
			e = site->router.entries[i];
			printf("%-12s %-24s %-8s %-9s %-4s %s\n",
			    router_methods_text(a, e->route->methods, ","),
			    e->route->pattern, e->owner_name,
			    access_name(e->route->access),
			    (e->route->flags & LN_SAFE) ||
			    !(e->route->methods & ~(unsigned)LN_GET) ? "yes" : "no",
			    params_text(a, e->route->params));
		}
	}
	arena_destroy(a);
	return 0;
}

static int
cmd_routes(const struct config *cfg, int argc, char **argv)
{
	int json = 0;

	if (argc == 2 && strcmp(argv[1], "--json") == 0)
		json = 1;
	else if (argc != 1) {
		fprintf(stderr, "usage: labnet routes [--json]\n");
		return 2;
	}
	return run_site_job(cfg, 0, routes_report, &json);
}

static int
migrate_job(const struct site *site, void *arg)
{
	(void)arg;
	return migrate_run(site, stdout);
}

static int
cmd_migrate(const struct config *cfg, int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "labnet migrate takes no arguments\n");
		return 2;
	}
	return run_site_job(cfg, 0, migrate_job, NULL);
}

int
main(int argc, char **argv)
{
	const struct command *c;
	struct config cfg;
	const char *path;
	char err[1024];
	arena *a = NULL;
	int opt, rc = 1;

	/* Before any other libxml2 call: requests allocate on their arena. */
	if (xmlmem_init() < 0) {
		fprintf(stderr, "labnet: cannot install the libxml2 allocator\n");
		return 1;
	}
	path = getenv("LABNET_CONF");
	if (path == NULL || path[0] == '\0')
		path = "/etc/labnet/labnet.conf";
	while ((opt = getopt(argc, argv, "+c:h")) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0 && getenv("GATEWAY_INTERFACE") == NULL) {
		usage(stderr);
		return 2;
	}
	if (argc > 0 && (strcmp(argv[0], "help") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc > 0 && strcmp(argv[0], "version") == 0) {
		printf("labnet %s (ABI %d, host API %d)\n", core_plugin_descriptor.version,
		    LN_ABI_MAJOR, LN_API_VERSION);
		return 0;
	}
	if (sodium_init() < 0 || (a = arena_create(65536)) == NULL) {
		fprintf(stderr, "labnet: cannot initialise\n");
		return 1;
	}
	if (config_load(a, path, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "labnet: %s\n", err);
		goto done;
	}
	log_set_level(cfg.log_level);
	if (argc == 0) {
		rc = worker_cgi(&cfg);
		goto done;
	}
	for (c = commands; c->name; c++)
		if (strcmp(c->name, argv[0]) == 0)
			break;
	if (c->name == NULL) {
		fprintf(stderr, "labnet: unknown command \"%s\"\n", argv[0]);
		usage(stderr);
		rc = 2;
		goto done;
	}
	rc = c->run(&cfg, argc, argv);
done:
	arena_destroy(a);
	return rc;
}
