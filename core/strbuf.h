/*
 * strbuf.h - growable string on an arena, with a sticky error.
 *
 * Appends never fail loudly: the first failure (OOM, or a length limit) marks
 * the buffer failed, later appends do nothing, and the caller checks once at
 * the end with strbuf_failed() (the SQLite habit). The data lives on the
 * arena and is always NUL-terminated while the buffer has not failed.
 */
#ifndef LABNET_STRBUF_H
#define LABNET_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "arena.h"

typedef struct strbuf {
	arena *arena;
	char *data;
	size_t len;
	size_t cap;
	size_t limit;		/* 0: unlimited */
	int failed;
} strbuf;

void strbuf_init(strbuf *sb, arena *a, size_t limit);
void strbuf_append(strbuf *sb, const char *s, size_t n);
void strbuf_puts(strbuf *sb, const char *s);
void strbuf_putc(strbuf *sb, char c);
void strbuf_printf(strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void strbuf_reset(strbuf *sb);

/* The string, or NULL if any append failed. Owned by the arena. */
const char *strbuf_str(const strbuf *sb);

static inline int
strbuf_failed(const strbuf *sb)
{
	return sb->failed;
}

#endif
