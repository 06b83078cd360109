/*
 * fuzz_config.c - the INI configuration file (config_load, through inih).
 *
 * The input is written to an in-memory file (memfd) that config_load opens
 * by its /proc/self/fd path, the way it opens a real one. Checks that a
 * loaded configuration satisfies what config.c validates (threads, base_url,
 * absolute directories) and that a refusal comes with a message.
 */
#include "fuzz.h"

#include <sys/mman.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"

static int memfd = -1;
static char memfd_path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	memfd = memfd_create("labnet-fuzz-config", MFD_CLOEXEC);
	FUZZ_CHECK(memfd >= 0);
	snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d", memfd);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	const char *const *item;
	char err[512];
	arena *a;

	FUZZ_CHECK(ftruncate(memfd, 0) == 0);
	FUZZ_CHECK(pwrite(memfd, data, size, 0) == (ssize_t)size);
	a = arena_create(4096);
	FUZZ_CHECK(a != NULL);
	err[0] = '\0';
	if (config_load(a, memfd_path, &cfg, err, sizeof(err)) == 0) {
		FUZZ_CHECK(cfg.threads >= 1 && cfg.threads <= 64);
		FUZZ_CHECK(strncmp(cfg.base_url, "http://", 7) == 0 ||
		    strncmp(cfg.base_url, "https://", 8) == 0);
		FUZZ_CHECK(cfg.base_path[0] == '\0' || cfg.base_path[0] == '/');
		FUZZ_CHECK(cfg.plugin_dir[0] == '/' && cfg.share_dir[0] == '/');
		FUZZ_CHECK(cfg.socket_mode <= 0777);
		for (item = cfg.plugins; item && *item; item++)
			FUZZ_CHECK((*item)[0] != '\0');
		(void)config_value(&cfg, "hello", "greeting");
	} else
		FUZZ_CHECK(err[0] != '\0' && memchr(err, '\0', sizeof(err)));
	arena_destroy(a);
	return 0;
}
