/*
 * fuzz_request.c - FastCGI parameters and a body into a request
 * (request_parse), then declared-parameter checking (params_check), as a
 * worker does before any plugin runs.
 *
 * Input: a flags byte (bit 0: the tight configuration, with a path prefix
 * and trusted proxies; bits 1-3: how many bytes the body reader returns per
 * call), then FastCGI parameters one "NAME=value" per line, an empty line,
 * and the body. The configurations are real ones, parsed by config_load:
 * the defaults, and small limits that the fuzzer can reach.
 *
 * Checks: a refused request has a 4xx/5xx status and a message; an accepted
 * one has a normalised path, a site language, and parameters that are
 * NUL-free UTF-8 within the configured limits.
 */
#include "fuzz.h"

#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "i18n.h"
#include "log.h"
#include "params.h"
#include "request.h"
#include "site.h"
#include "url.h"

#define MAX_ENV 64

static arena *config_arena;
static struct config configs[2];

static const char *const config_text[2] = {
	"[core]\n",
	"[core]\n"
	"base_url = https://labnet.example/prefix/\n"
	"max_body = 4K\n"
	"max_params = 8\n"
	"max_param_len = 64\n"
	"max_parts = 4\n"
	"trusted_proxies = 127.0.0.1, ::1\n",
};

static const size_t chunk_sizes[8] = { 0, 1, 2, 3, 7, 64, 1000, 16384 };

static const char *const colours[] = { "red", "green", "blue", NULL };

/* What a typical route declares, one parameter of each kind. */
static const ln_param_spec declared[] = {
	{ .name = "q", .type = LN_TEXT, .max_len = 40 },
	{ .name = "n", .type = LN_INT, .min = 1, .max = 100 },
	{ .name = "tag", .type = LN_SLUG, .flags = LN_REPEATED },
	{ .name = "colour", .type = LN_CHOICE, .choices = colours },
	{ .name = "day", .type = LN_DATE },
	{ .name = "flag", .type = LN_BOOL },
	{ .name = "file", .type = LN_FILE },
	{ .name = NULL },
};

struct body_reader {
	const char *data;
	size_t left;
	size_t chunk;
};

static long
body_read(void *ctx, char *buf, size_t n)
{
	struct body_reader *r = ctx;

	if (r->chunk != 0 && n > r->chunk)
		n = r->chunk;
	if (n > r->left)
		n = r->left;
	memcpy(buf, r->data, n);
	r->data += n;
	r->left -= n;
	return (long)n;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[] = "/tmp/labnet-fuzz-conf.XXXXXX", err[512];
	size_t i;
	int fd;

	(void)argc;
	(void)argv;
	log_set_level(LOG_LEVEL_ERROR);
	config_arena = arena_create(16384);
	FUZZ_CHECK(config_arena != NULL);
	for (i = 0; i < 2; i++) {
		fd = mkstemp(path);
		FUZZ_CHECK(fd >= 0);
		FUZZ_CHECK(write(fd, config_text[i], strlen(config_text[i])) ==
		    (ssize_t)strlen(config_text[i]));
		close(fd);
		if (config_load(config_arena, path, &configs[i], err,
		    sizeof(err)) < 0) {
			fprintf(stderr, "fuzz_request: %s\n", err);
			abort();
		}
		unlink(path);
		memcpy(path + strlen(path) - 6, "XXXXXX", 6);
	}
	return 0;
}

static void
check_accepted(struct ln_request *req, const struct config *cfg)
{
	const struct req_pair *p;
	size_t count = 0;

	FUZZ_CHECK(req->status == 200);
	FUZZ_CHECK(req->path != NULL && req->path[0] == '/');
	FUZZ_CHECK(url_utf8_valid(req->path, strlen(req->path)));
	FUZZ_CHECK(req->lang != NULL && i18n_is_language(req->lang));
	FUZZ_CHECK(req->content_length <= cfg->max_body);
	for (p = req->params; p != NULL; p = p->next) {
		count++;
		FUZZ_CHECK(strlen(p->value) == p->len);
		FUZZ_CHECK(url_utf8_valid(p->name, strlen(p->name)));
		FUZZ_CHECK(url_utf8_valid(p->value, p->len));
		FUZZ_CHECK(p->len <= cfg->max_param_len);
	}
	FUZZ_CHECK(count <= cfg->max_params);
	for (p = req->cookies; p != NULL; p = p->next)
		FUZZ_CHECK(!fuzz_has_ctl(p->value, strlen(p->value)));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ln_request req;
	struct site site;
	struct body_reader reader;
	const struct config *cfg;
	char *env[MAX_ENV + 1];
	size_t nenv = 0, i;
	arena *a;
	int rc;

	if (size == 0)
		return 0;
	cfg = &configs[data[0] & 1];
	reader.chunk = chunk_sizes[(data[0] >> 1) & 7];
	data++;
	size--;
	/* Parameters up to an empty line; the rest is the body. */
	while (size > 0 && data[0] != '\n' && nenv < MAX_ENV)
		env[nenv++] = fuzz_take(&data, &size, '\n');
	if (size > 0 && data[0] == '\n') {
		data++;
		size--;
	}
	env[nenv] = NULL;
	reader.data = (const char *)data;
	reader.left = size;

	a = arena_create(8192);
	FUZZ_CHECK(a != NULL);
	memset(&req, 0, sizeof(req));
	memset(&site, 0, sizeof(site));
	site.config = cfg;
	req.arena = a;
	req.site = &site;
	rc = request_parse(&req, cfg, env, body_read, &reader);
	if (rc < 0) {
		FUZZ_CHECK(req.status >= 400 && req.status <= 599);
		FUZZ_CHECK(req.error != NULL);
		FUZZ_CHECK(req.path != NULL && req.lang != NULL);
	} else {
		FUZZ_CHECK(rc == 0);
		check_accepted(&req, cfg);
		if (params_check(&req, declared) < 0)
			FUZZ_CHECK(req.status == 400 && req.error != NULL);
		else
			FUZZ_CHECK(ln_param_count(&req, "tag") == 0 ||
			    ln_param(&req, "tag")[0] != '\0');
	}
	log_set_request(NULL);
	arena_destroy(a);
	for (i = 0; i < nenv; i++)
		free(env[i]);
	return 0;
}
