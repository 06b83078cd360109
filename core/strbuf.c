/*
 * strbuf.c - growable arena string with a sticky error (see strbuf.h).
 *
 * Growth doubles the capacity; the old storage stays on the arena until the
 * arena goes, which is the price of never freeing one by one.
 */
#include "strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

void
strbuf_init(strbuf *sb, arena *a, size_t limit)
{
	sb->arena = a;
	sb->data = NULL;
	sb->len = 0;
	sb->cap = 0;
	sb->limit = limit;
	sb->failed = 0;
}

static int
strbuf_reserve(strbuf *sb, size_t extra)
{
	size_t want, cap;
	char *data;

	if (sb->failed)
		return -1;
	if (extra > SIZE_MAX - sb->len - 1 ||
	    (sb->limit != 0 && sb->len + extra > sb->limit)) {
		sb->failed = 1;
		return -1;
	}
	want = sb->len + extra + 1;
	if (want <= sb->cap)
		return 0;
	cap = sb->cap ? sb->cap : 64;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	data = arena_alloc(sb->arena, cap);
	if (data == NULL) {
		sb->failed = 1;
		return -1;
	}
	if (sb->len)
		memcpy(data, sb->data, sb->len);
	sb->data = data;
	sb->cap = cap;
	sb->data[sb->len] = '\0';
	return 0;
}

void
strbuf_append(strbuf *sb, const char *s, size_t n)
{
	if (strbuf_reserve(sb, n) < 0)
		return;
	if (n)
		memcpy(sb->data + sb->len, s, n);
	sb->len += n;
	sb->data[sb->len] = '\0';
}

void
strbuf_puts(strbuf *sb, const char *s)
{
	strbuf_append(sb, s, strlen(s));
}

void
strbuf_putc(strbuf *sb, char c)
{
	strbuf_append(sb, &c, 1);
}

void
strbuf_printf(strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		sb->failed = 1;
		return;
	}
	if (strbuf_reserve(sb, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void
strbuf_reset(strbuf *sb)
{
	sb->len = 0;
	if (sb->data)
		sb->data[0] = '\0';
}

const char *
strbuf_str(const strbuf *sb)
{
	if (sb->failed)
		return NULL;
	return sb->data ? sb->data : "";
}
