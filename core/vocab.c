/*
 * vocab.c - the shared vocabulary service (sql/core/050_vocabulary.sql):
 * the SDK calls ln_vocab_list, ln_vocab_label and ln_vocab_has.
 *
 * A scheme is read with one prepared statement the first time a request
 * asks for it, in the request's language (English, then the key, when a
 * label is missing), and kept on the request: later calls in the same
 * request cost no round trip, and an edit to the vocabulary shows on the
 * next request. (A per-worker copy would save that one query per page but
 * go stale; at a few hundred rows the query is cheap, see DESIGN 8.)
 * Everything handed out lives on the request arena.
 */
#include <string.h>

#include "request.h"

struct vocab_scheme {
	struct vocab_scheme *next;
	const char *scheme;
	ln_term *terms;
	size_t count;
};

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

/* The scheme's terms, loaded on first use; NULL when the database failed. */
static struct vocab_scheme *
vocab_load(ln_request *req, const char *scheme)
{
	const char *values[2] = { scheme, req->lang };
	struct vocab_scheme *s;
	struct plugin *running = req->plugin;
	PGresult *res;
	size_t i;

	for (s = req->vocab; s != NULL; s = s->next)
		if (strcmp(s->scheme, scheme) == 0)
			return s;
	/* The statement is the core's: prepared under the core's name on the
	 * connection whichever plugin asks first. */
	req->plugin = NULL;
	res = ln_db(req, &vocab_terms_sql, values);
	req->plugin = running;
	if (res == NULL)
		return NULL;
	if ((s = ln_alloc(req, sizeof(*s))) == NULL ||
	    (s->scheme = ln_strdup(req, scheme)) == NULL)
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
	s->next = req->vocab;
	req->vocab = s;
	return s;
}

static const ln_term *
vocab_find(const struct vocab_scheme *s, const char *key)
{
	size_t i;

	for (i = 0; key != NULL && i < s->count; i++)
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
	const ln_term *t = s ? vocab_find(s, key) : NULL;

	return t ? t->label : NULL;
}

int
ln_vocab_has(ln_request *req, const char *scheme, const char *key)
{
	struct vocab_scheme *s = vocab_load(req, scheme);

	if (s == NULL)
		return ln_db_status(req);
	return vocab_find(s, key) != NULL;
}
