/*
 * log.h - one line per event on stderr: time, level, pid, request id, plugin,
 * message. The request id and plugin come from a thread-local context that
 * the worker sets around each request and each plugin call.
 */
#ifndef LABNET_LOG_H
#define LABNET_LOG_H

#include <stdarg.h>

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR };

void log_set_level(enum log_level level);
int log_level_parse(const char *name, enum log_level *out);

/* Context for the calling thread; the strings must outlive their use. */
void log_set_request(const char *request_id);
void log_set_plugin(const char *plugin);
const char *log_plugin(void);

void log_msg(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level level, const char *fmt, va_list ap);

#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_warnx(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_errx(...)  log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
/* Like log_warnx/log_errx, with ": strerror(errno)" appended. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
