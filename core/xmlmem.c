/*
 * xmlmem.c - libxml2's allocator on the request arena (see xmlmem.h).
 *
 * Every block carries a 16-byte header saying where it came from and how
 * big it is, so free() can tell an arena block (nothing to do) from a heap
 * block (free it), and realloc() can copy. A block keeps its kind when it
 * grows: a heap block stays on the heap even if a request is running, so a
 * structure that outlives the request is never moved into its arena.
 */
#include "xmlmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlmemory.h>

enum { BLOCK_HEAP = 0x68656170, BLOCK_ARENA = 0x6172656e };

struct block_header {
	size_t size;
	uint32_t kind;
	uint32_t pad;
};

_Static_assert(sizeof(struct block_header) == 16, "keeps 16-byte alignment");

static _Thread_local arena *xmlmem_current;

static void *
block_new(arena *a, size_t n)
{
	struct block_header *h;

	if (n > SIZE_MAX - sizeof(*h))
		return NULL;
	h = a ? arena_alloc(a, sizeof(*h) + n) : malloc(sizeof(*h) + n);
	if (h == NULL)
		return NULL;
	h->size = n;
	h->kind = a ? BLOCK_ARENA : BLOCK_HEAP;
	return h + 1;
}

static void *
xmlmem_malloc(size_t n)
{
	return block_new(xmlmem_current, n);
}

static void
xmlmem_free(void *p)
{
	struct block_header *h;

	if (p == NULL)
		return;
	h = (struct block_header *)p - 1;
	if (h->kind == BLOCK_HEAP)
		free(h);
	/* An arena block goes with its arena. */
}

static void *
xmlmem_realloc(void *p, size_t n)
{
	struct block_header *h, *grown;
	void *copy;

	if (p == NULL)
		return xmlmem_malloc(n);
	h = (struct block_header *)p - 1;
	if (h->kind == BLOCK_HEAP) {
		if (n > SIZE_MAX - sizeof(*h))
			return NULL;
		if ((grown = realloc(h, sizeof(*h) + n)) == NULL)
			return NULL;
		grown->size = n;
		return grown + 1;
	}
	/* Arena blocks cannot grow in place: copy into a new one. */
	if ((copy = block_new(xmlmem_current, n)) == NULL)
		return NULL;
	memcpy(copy, p, h->size < n ? h->size : n);
	return copy;
}

static char *
xmlmem_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *copy = xmlmem_malloc(n);

	if (copy != NULL)
		memcpy(copy, s, n);
	return copy;
}

int
xmlmem_init(void)
{
	return xmlMemSetup(xmlmem_free, xmlmem_malloc, xmlmem_realloc,
	    xmlmem_strdup) == 0 ? 0 : -1;
}

int
xmlmem_in_arena(const void *p)
{
	return p != NULL &&
	    ((const struct block_header *)p - 1)->kind == BLOCK_ARENA;
}

arena *
xmlmem_use(arena *a)
{
	arena *previous = xmlmem_current;

	xmlmem_current = a;
	return previous;
}
