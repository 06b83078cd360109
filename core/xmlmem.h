/*
 * xmlmem.h - libxml2's allocator, pointed at the current request's arena.
 *
 * xmlmem_init() installs the hooks with xmlMemSetup(); it must run before
 * any other libxml2 call in the process (first thing in main). While a
 * thread has a current arena (xmlmem_use), everything libxml2 and libxslt
 * allocate on that thread comes from the arena and their frees cost
 * nothing: the arena goes at once when the response is sent. With no
 * current arena (start-up, compiled views, anything process-wide), the
 * hooks fall back to malloc and free.
 */
#ifndef LABNET_XMLMEM_H
#define LABNET_XMLMEM_H

#include "arena.h"

/* 0, or -1 if libxml2 refused the hooks. */
int xmlmem_init(void);

/* The arena libxml2 allocates from on this thread; NULL for the heap.
 * Returns the previous one. */
arena *xmlmem_use(arena *a);

/* Whether p, a block libxml2 allocated through these hooks (a node, a
 * document), is arena memory: it goes with the arena and needs no free. */
int xmlmem_in_arena(const void *p);

#endif
