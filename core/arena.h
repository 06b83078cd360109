/*
 * arena.h - region allocator with registered cleanups.
 *
 * One arena per request (and one per process for configuration and compiled
 * views). Memory is handed out in blocks and freed all at once by
 * arena_destroy(), which first runs every registered cleanup in reverse order
 * of registration. Nothing allocated here is ever freed one by one.
 */
#ifndef LABNET_ARENA_H
#define LABNET_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena;

/* A new arena whose blocks are at least block_size bytes; NULL on OOM. */
arena *arena_create(size_t block_size);

/* Runs the cleanups (last registered first), then frees every block. */
void arena_destroy(arena *a);

/* n bytes aligned for any type; NULL on OOM or overflow. Never zeroed. */
void *arena_alloc(arena *a, size_t n);

/* Like arena_alloc, zero-filled; count*size is overflow-checked. */
void *arena_calloc(arena *a, size_t count, size_t size);

/* NUL-terminated copies; NULL on OOM. */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_printf(arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap);

/*
 * Register fn(data) to run when the arena is destroyed. Returns 0, or -1 on
 * OOM, in which case fn(data) has already been called, so the caller never
 * leaks what it tried to register.
 */
int arena_cleanup(arena *a, void (*fn)(void *), void *data);

/* Bytes handed out so far (for metrics and leak tests). */
size_t arena_used(const arena *a);

/* Whether an allocation from a has failed (out of memory or a size that
 * overflows): the request it belongs to cannot be answered as the client's
 * fault. arena_note_failure records one made elsewhere on a's behalf (the
 * fault-injection wrappers, which fail a call before it reaches a). */
int arena_failed(const arena *a);
void arena_note_failure(arena *a);

#endif
