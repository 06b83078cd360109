/*
 * arena.c - region allocator with registered cleanups (see arena.h).
 *
 * Owns its blocks and its cleanup list; hands out memory that lives until
 * arena_destroy(). Large requests get a block of their own so a single big
 * upload chunk does not waste the tail of the current block.
 */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16

struct block {
	struct block *next;
	size_t size;
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct cleanup {
	struct cleanup *next;
	void (*fn)(void *);
	void *data;
};

struct arena {
	struct block *blocks;
	struct cleanup *cleanups;
	size_t block_size;
	size_t used;
	int failed;		/* an allocation has failed (arena_failed) */
};

/* Record that an allocation failed; returns NULL for the caller to return. */
static void *
arena_fail(arena *a)
{
	a->failed = 1;
	return NULL;
}

static struct block *
block_new(size_t size)
{
	struct block *b;

	if (size > SIZE_MAX - sizeof(*b))
		return NULL;
	b = malloc(sizeof(*b) + size);
	if (b == NULL)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

arena *
arena_create(size_t block_size)
{
	arena *a;

	if (block_size < 256)
		block_size = 256;
	a = malloc(sizeof(*a));
	if (a == NULL)
		return NULL;
	a->blocks = NULL;
	a->cleanups = NULL;
	a->block_size = block_size;
	a->used = 0;
	a->failed = 0;
	return a;
}

void
arena_destroy(arena *a)
{
	struct cleanup *c, *next_cleanup;
	struct block *b, *next_block;

	if (a == NULL)
		return;
	/* Cleanups live in the blocks, so run them all before freeing any. */
	for (c = a->cleanups; c != NULL; c = next_cleanup) {
		next_cleanup = c->next;
		c->fn(c->data);
	}
	for (b = a->blocks; b != NULL; b = next_block) {
		next_block = b->next;
		free(b);
	}
	free(a);
}

void *
arena_alloc(arena *a, size_t n)
{
	struct block *b;
	size_t need;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ARENA_ALIGN)
		return arena_fail(a);
	need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	b = a->blocks;
	if (b == NULL || b->size - b->used < need) {
		if (need > a->block_size / 4) {
			/* A big one gets its own block behind the current one. */
			b = block_new(need);
			if (b == NULL)
				return arena_fail(a);
			if (a->blocks != NULL) {
				b->next = a->blocks->next;
				a->blocks->next = b;
			} else
				a->blocks = b;
			b->used = need;
			a->used += need;
			return b->data;
		}
		b = block_new(a->block_size);
		if (b == NULL)
			return arena_fail(a);
		b->next = a->blocks;
		a->blocks = b;
	}
	b->used += need;
	a->used += need;
	return b->data + b->used - need;
}

void *
arena_calloc(arena *a, size_t count, size_t size)
{
	void *p;

	if (size != 0 && count > SIZE_MAX / size)
		return arena_fail(a);
	p = arena_alloc(a, count * size);
	if (p != NULL)
		memset(p, 0, count * size);
	return p;
}

char *
arena_strndup(arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		return arena_fail(a);
	p = arena_alloc(a, n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_vprintf(arena *a, const char *fmt, va_list ap)
{
	va_list copy;
	char *p;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return NULL;
	p = arena_alloc(a, (size_t)n + 1);
	if (p == NULL)
		return NULL;
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

int
arena_cleanup(arena *a, void (*fn)(void *), void *data)
{
	struct cleanup *c;

	c = arena_alloc(a, sizeof(*c));
	if (c == NULL) {
		fn(data);
		return -1;
	}
	c->fn = fn;
	c->data = data;
	c->next = a->cleanups;
	a->cleanups = c;
	return 0;
}

size_t
arena_used(const arena *a)
{
	return a->used;
}

int
arena_failed(const arena *a)
{
	return a->failed;
}

void
arena_note_failure(arena *a)
{
	a->failed = 1;
}
