/*
 * vocab.c - the shared vocabulary service (sql/core/050_vocabulary.sql):
 * the SDK calls ln_vocab_list, ln_vocab_label and ln_vocab_has.
 *
 * A scheme is read with one prepared statement in the request's language
 * (English, then the key, when a label is missing) and kept on the
 * request, so later calls in the same request cost nothing. A worker of
 * `labnet serve` also keeps each (scheme, language) it has read for as
 * long as the data version (dataver.h) stays the same: the vocabulary's
 * tables notify every change, so an edit shows on the next request while
 * pages in between need no round trip. Such a copy is one malloc'd block,
 * reference counted: a request holds it (an arena cleanup lets go) even
 * after a newer version replaced it. Without a scoreboard (CGI, plugin-test)
 * every request reads the database. What is handed out lives at least as
 * long as the request.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dataver.h"
#include "request.h"
#include "scoreboard.h"

struct vocab_scheme {
	struct vocab_scheme *next;
	const char *scheme;
	ln_term *terms;
	size_t count;
	/* Open-addressing index of terms by key, made on the first lookup
	 * (request memory): slots hold a term's position + 1, 0 is empty.
	 * NULL until then, or when it could not be made. */
	size_t *index;
	size_t index_mask;
};

/* Below this many terms a linear search costs less than the index. */
#define VOCAB_INDEX_MIN 16

/* A worker's copy of one scheme in one language. */
struct vocab_copy {
	struct vocab_copy *next;
	int refs;			/* holders, the list counting as one */
	unsigned long long version;
	const char *lang;
	struct vocab_scheme s;		/* terms and strings follow */
};

static pthread_mutex_t vocab_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vocab_copy *vocab_copies;

static const ln_sql vocab_terms_sql = {
	.name = "vocab_terms",
	.text = "SELECT t.key, coalesce(l.label, e.label, t.key) "
	    "FROM core.vocab_terms t "
	    "LEFT JOIN core.vocab_labels l "
	    " ON l.scheme = t.scheme AND l.key = t.key AND l.lang = $2 "
	    "LEFT JOIN core.vocab_labels e "
	    " ON e.scheme = t.scheme AND e.key = t.key AND e.lang = 'en' "
	    "WHERE t.scheme = $1 ORDER BY t.position, t.key",
	.nparams = 2,
};

static void
vocab_unref(struct vocab_copy *c)
{
	if (--c->refs == 0)
		free(c);
}

static void
vocab_release(void *copy)
{
	pthread_mutex_lock(&vocab_lock);
	vocab_unref(copy);
	pthread_mutex_unlock(&vocab_lock);
}

/* The worker's copy of scheme in lang at the current version, held for
 * the request; NULL when there is none (or no scoreboard). */
static struct vocab_scheme *
vocab_copy_get(ln_request *req, const char *scheme)
{
	unsigned long long version = dataver_current();
	struct vocab_copy *c;

	if (scoreboard_get() == NULL)
		return NULL;
	pthread_mutex_lock(&vocab_lock);
	for (c = vocab_copies; c != NULL; c = c->next)
		if (c->version == version && strcmp(c->s.scheme, scheme) == 0 &&
		    strcmp(c->lang, req->lang) == 0) {
			c->refs++;
			break;
		}
	pthread_mutex_unlock(&vocab_lock);
	if (c == NULL || ln_cleanup(req, vocab_release, c) < 0)
		return NULL;	/* ln_cleanup released it on failure */
	return &c->s;
}

/* Keep a copy of s (read at version) for the worker's later requests,
 * dropping older copies of the same scheme and language. OOM: no copy. */
static void
vocab_copy_put(ln_request *req, const struct vocab_scheme *s,
    unsigned long long version)
{
	size_t i, size, n;
	struct vocab_copy *c, **p;
	char *at;

	if (scoreboard_get() == NULL)
		return;
	size = sizeof(*c) + (s->count + 1) * sizeof(ln_term) +
	    strlen(s->scheme) + strlen(req->lang) + 2;
	for (i = 0; i < s->count; i++)
		size += strlen(s->terms[i].key) + strlen(s->terms[i].label) + 2;
	if ((c = malloc(size)) == NULL)
		return;
	memset(c, 0, sizeof(*c));
	c->refs = 1;
	c->version = version;
	c->s.count = s->count;
	c->s.terms = (ln_term *)(c + 1);
	at = (char *)(c->s.terms + s->count + 1);
#define VOCAB_COPY(dst, src) do {		\
	n = strlen(src) + 1;			\
	memcpy(at, (src), n);			\
	(dst) = at;				\
	at += n;				\
} while (0)
	VOCAB_COPY(c->s.scheme, s->scheme);
	VOCAB_COPY(c->lang, req->lang);
	for (i = 0; i < s->count; i++) {
		VOCAB_COPY(c->s.terms[i].key, s->terms[i].key);
		VOCAB_COPY(c->s.terms[i].label, s->terms[i].label);
	}
#undef VOCAB_COPY
	c->s.terms[s->count].key = NULL;
	c->s.terms[s->count].label = NULL;
	pthread_mutex_lock(&vocab_lock);
	for (p = &vocab_copies; *p != NULL;) {
		struct vocab_copy *old = *p;

		if (strcmp(old->s.scheme, c->s.scheme) == 0 &&
		    strcmp(old->lang, c->lang) == 0) {
			*p = old->next;
			vocab_unref(old);
		} else
			p = &old->next;
	}
	/* A newer version may have been seen meanwhile: keep the copy only
	 * if its version is still the current one. */
	if (version == dataver_current()) {
		c->next = vocab_copies;
		vocab_copies = c;
	} else
		free(c);
	pthread_mutex_unlock(&vocab_lock);
}

/* The scheme's terms, from the request's list, the worker's copy or the
 * database; NULL when the database failed. */
static struct vocab_scheme *
vocab_load(ln_request *req, const char *scheme)
{
	const char *values[2] = { scheme, req->lang };
	struct vocab_scheme *s, *shared;
	struct plugin *running = req->plugin;
	unsigned long long version;
	PGresult *res;
	size_t i;

	for (s = req->vocab; s != NULL; s = s->next)
		if (strcmp(s->scheme, scheme) == 0)
			return s;
	if ((s = ln_alloc(req, sizeof(*s))) == NULL)
		return NULL;
	s->index = NULL;
	s->index_mask = 0;
	if ((shared = vocab_copy_get(req, scheme)) != NULL) {
		/* The terms are the copy's, read-only; the node is ours. */
		s->scheme = shared->scheme;
		s->terms = shared->terms;
		s->count = shared->count;
		goto found;
	}
	/* Read before the query: a change committed meanwhile makes the copy
	 * look old, never a stale copy look new. */
	version = dataver_current();
	/* The statement is the core's: prepared under the core's name on the
	 * connection whichever plugin asks first. */
	req->plugin = NULL;
	res = ln_db(req, &vocab_terms_sql, values);
	req->plugin = running;
	if (res == NULL)
		return NULL;
	if ((s->scheme = ln_strdup(req, scheme)) == NULL)
		return NULL;
	s->count = (size_t)PQntuples(res);
	s->terms = ln_alloc(req, (s->count + 1) * sizeof(*s->terms));
	if (s->terms == NULL)
		return NULL;
	for (i = 0; i < s->count; i++) {
		/* The result lives as long as the request. */
		s->terms[i].key = PQgetvalue(res, (int)i, 0);
		s->terms[i].label = PQgetvalue(res, (int)i, 1);
	}
	s->terms[s->count].key = NULL;
	s->terms[s->count].label = NULL;
	vocab_copy_put(req, s, version);
found:
	s->next = req->vocab;
	req->vocab = s;
	return s;
}

/* FNV-1a of a key. */
static size_t
vocab_hash(const char *key)
{
	const unsigned char *p = (const unsigned char *)key;
	size_t h = 2166136261u;

	while (*p)
		h = (h ^ *p++) * 16777619u;
	return h;
}

/* Index s's terms by key for the rest of the request; the first of equal
 * keys wins, as in a linear search. Without memory, s stays unindexed. */
static void
vocab_index(ln_request *req, struct vocab_scheme *s)
{
	size_t size = 64, i, slot;

	while (size < s->count * 2)
		size *= 2;
	if ((s->index = ln_alloc(req, size * sizeof(*s->index))) == NULL)
		return;
	memset(s->index, 0, size * sizeof(*s->index));
	s->index_mask = size - 1;
	for (i = 0; i < s->count; i++) {
		slot = vocab_hash(s->terms[i].key) & s->index_mask;
		while (s->index[slot] != 0 &&
		    strcmp(s->terms[s->index[slot] - 1].key, s->terms[i].key) != 0)
			slot = (slot + 1) & s->index_mask;
		if (s->index[slot] == 0)
			s->index[slot] = i + 1;
	}
}

/*
 * The term of key in s, or NULL. A list page looks up a label per lab
 * and term (~160 for /labs) in schemes of up to 249 terms: a linear
 * search of the countries was 3,700 instructions a lookup, so a scheme
 * that long is indexed on its first lookup.
 */
static const ln_term *
vocab_find(ln_request *req, struct vocab_scheme *s, const char *key)
{
	size_t i, slot;

	if (key == NULL)
		return NULL;
	if (s->index == NULL && s->count >= VOCAB_INDEX_MIN)
		vocab_index(req, s);
	if (s->index != NULL) {
		for (slot = vocab_hash(key) & s->index_mask;
		    (i = s->index[slot]) != 0; slot = (slot + 1) & s->index_mask)
			if (strcmp(s->terms[i - 1].key, key) == 0)
				return &s->terms[i - 1];
		return NULL;
	}
	for (i = 0; i < s->count; i++)
		if (strcmp(s->terms[i].key, key) == 0)
			return &s->terms[i];
	return NULL;
}

const ln_term *
ln_vocab_list(ln_request *req, const char *scheme, size_t *count)
{
	struct vocab_scheme *s = vocab_load(req, scheme);

	if (count != NULL)
		*count = s ? s->count : 0;
	return s ? s->terms : NULL;
}

const char *
ln_vocab_label(ln_request *req, const char *scheme, const char *key)
{
	struct vocab_scheme *s = vocab_load(req, scheme);
	const ln_term *t = s ? vocab_find(req, s, key) : NULL;

	return t ? t->label : NULL;
}

int
ln_vocab_has(ln_request *req, const char *scheme, const char *key)
{
	struct vocab_scheme *s = vocab_load(req, scheme);

	if (s == NULL)
		return ln_db_status(req);
	return vocab_find(req, s, key) != NULL;
}
