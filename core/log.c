/*
 * log.c - line-oriented logging to stderr (see log.h).
 *
 * Each event is formatted into one buffer and written with a single write(2)
 * so lines from concurrent workers and threads never interleave. Control
 * characters in messages are replaced, so a logged value cannot forge lines.
 */
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static enum log_level log_threshold = LOG_LEVEL_INFO;
static _Thread_local const char *log_request_id;
static _Thread_local const char *log_plugin_name;

static const char *const log_level_names[] = {
	[LOG_LEVEL_DEBUG] = "debug",
	[LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_WARN] = "warn",
	[LOG_LEVEL_ERROR] = "error",
};

void
log_set_level(enum log_level level)
{
	log_threshold = level;
}

int
log_level_parse(const char *name, enum log_level *out)
{
	size_t i;

	for (i = 0; i < sizeof(log_level_names) / sizeof(log_level_names[0]); i++)
		if (strcasecmp(name, log_level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	return -1;
}

void
log_set_request(const char *request_id)
{
	log_request_id = request_id;
}

void
log_set_plugin(const char *plugin)
{
	log_plugin_name = plugin;
}

const char *
log_plugin(void)
{
	return log_plugin_name;
}

static void
log_write(enum log_level level, const char *suffix, const char *fmt, va_list ap)
{
	char line[2048], stamp[32];
	struct timespec now;
	struct tm tm;
	size_t n, i;
	int k;

	if (level < log_threshold)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	k = snprintf(line, sizeof(line), "%s.%03ldZ %s [%d] req=%s plugin=%s: ",
	    stamp, now.tv_nsec / 1000000L, log_level_names[level], (int)getpid(),
	    log_request_id ? log_request_id : "-",
	    log_plugin_name ? log_plugin_name : "core");
	n = k < 0 ? 0 : (size_t)k;
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	k = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (k > 0)
		n += (size_t)k;
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	if (suffix != NULL) {
		k = snprintf(line + n, sizeof(line) - n, ": %s", suffix);
		if (k > 0)
			n += (size_t)k;
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
	}
	for (i = 0; i < n; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	if (n >= sizeof(line) - 1)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	/* One write per line; a short write to stderr is not worth a retry. */
	if (write(STDERR_FILENO, line, n) < 0)
		return;
}

void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	log_write(level, NULL, fmt, ap);
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_write(level, NULL, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	log_write(LOG_LEVEL_WARN, strerror(saved), fmt, ap);
	va_end(ap);
}

void
log_err(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	log_write(LOG_LEVEL_ERROR, strerror(saved), fmt, ap);
	va_end(ap);
}
