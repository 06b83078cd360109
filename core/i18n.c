/*
 * i18n.c - languages and PO message catalogs (see i18n.h).
 *
 * Owns the language table, the PO parser and the lookup table. Loading
 * works on a scratch arena (file contents, the parser's buffers, the
 * load-time index with where each key was defined) that is destroyed before
 * i18n_load() returns; only the final set, its keys and messages go on the
 * caller's arena. Does not choose a request's language (that is the
 * request's job) nor talk to XSLT (rendering's).
 */
#include "i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"

/* A catalog larger than this is a mistake, not a catalog. */
#define I18N_MAX_FILE	(8u << 20)

const char *const i18n_languages[] = {
	"en", "it", "lt", "pl", "fr", "nl", "fi", NULL
};

static const char *const i18n_autonyms[] = {
	"English", "Italiano", "Lietuvių", "Polski", "Français", "Nederlands",
	"Suomi",
};

_Static_assert(sizeof(i18n_languages) / sizeof(i18n_languages[0]) ==
    I18N_NLANG + 1, "i18n_languages and I18N_NLANG disagree");
_Static_assert(sizeof(i18n_autonyms) / sizeof(i18n_autonyms[0]) ==
    I18N_NLANG, "one autonym per language");

struct i18n_entry {
	const char *key;
	uint32_t hash;
	const char *text[I18N_NLANG];	/* NULL: untranslated */
};

struct i18n_set {
	const struct i18n_entry **slots;	/* open addressing, NULL empty */
	size_t mask;				/* slot count - 1 */
	size_t count;
};

int
i18n_language_index(const char *tag)
{
	int i;

	if (tag == NULL)
		return -1;
	for (i = 0; i < I18N_NLANG; i++)
		if (strcmp(tag, i18n_languages[i]) == 0)
			return i;
	return -1;
}

int
i18n_is_language(const char *tag)
{
	return i18n_language_index(tag) >= 0;
}

const char *
i18n_autonym(const char *tag)
{
	int i = i18n_language_index(tag);

	return i < 0 ? NULL : i18n_autonyms[i];
}

/* FNV-1a: short keys, no adversary (keys come from our own catalogs). */
static uint32_t
i18n_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

/* ------------------------------------------------------------ loading */

/* Where a key was first seen, per language: load-time only. */
struct load_slot {
	struct i18n_entry *entry;
	size_t dir;			/* index of the directory defining it */
	const char *first_path;		/* file of its first definition */
	unsigned first_line;
	unsigned line[I18N_NLANG];	/* 0: not in that language's file */
};

/* One PO entry being read. */
enum po_field { PO_NONE, PO_CTXT, PO_ID, PO_STR };

struct po_entry {
	strbuf ctxt, id, str;
	int has_ctxt, has_id, has_str;
	enum po_field current;		/* where continuation strings go */
	unsigned id_line;
	int fuzzy;
};

struct loader {
	arena *a;			/* the set's arena */
	arena *scratch;			/* everything else; freed at the end */
	struct load_slot *slots;
	size_t cap, count;		/* cap is a power of two */
	char *err;
	size_t errlen;
	const char *path;		/* the file being read */
	size_t dir;
	int lang;
	unsigned line;
};

static int loader_fail(struct loader *ld, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Write "path:line: message" (line 0: "path: message") to err; returns -1. */
static int
loader_fail(struct loader *ld, unsigned line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ld->errlen == 0)
		return -1;
	if (ld->path == NULL)
		snprintf(ld->err, ld->errlen, "%s", msg);
	else if (line == 0)
		snprintf(ld->err, ld->errlen, "%s: %s", ld->path, msg);
	else
		snprintf(ld->err, ld->errlen, "%s:%u: %s", ld->path, line, msg);
	return -1;
}

/* The slot of key, or the empty slot where it would go. */
static struct load_slot *
loader_find(struct loader *ld, const char *key, uint32_t hash)
{
	size_t i = hash & (ld->cap - 1);

	while (ld->slots[i].entry != NULL &&
	    (ld->slots[i].entry->hash != hash ||
	    strcmp(ld->slots[i].entry->key, key) != 0))
		i = (i + 1) & (ld->cap - 1);
	return &ld->slots[i];
}

/* Keep the load factor under 1/2 by doubling. */
static int
loader_grow(struct loader *ld)
{
	struct load_slot *old = ld->slots, *slot;
	size_t old_cap = ld->cap, i;

	if (ld->count + 1 <= ld->cap / 2)
		return 0;
	if (ld->cap > SIZE_MAX / 2 / sizeof(*ld->slots))
		return loader_fail(ld, ld->line, "out of memory");
	ld->cap *= 2;
	ld->slots = arena_calloc(ld->scratch, ld->cap, sizeof(*ld->slots));
	if (ld->slots == NULL)
		return loader_fail(ld, ld->line, "out of memory");
	for (i = 0; i < old_cap; i++) {
		if (old[i].entry == NULL)
			continue;
		slot = loader_find(ld, old[i].entry->key, old[i].entry->hash);
		*slot = old[i];
	}
	return 0;
}

/* Decoded bytes of s are valid UTF-8: shortest forms, no surrogates, no
 * code point above U+10FFFF. */
static int
i18n_valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0, len, k;
	uint32_t cp;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf) {
			len = 2;
			cp = s[i] & 0x1f;
		} else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			len = 3;
			cp = s[i] & 0x0f;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			len = 4;
			cp = s[i] & 0x07;
		} else
			return 0;
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
		i += len;
	}
	return 1;
}

static int
i18n_valid_key(const char *key)
{
	const char *p;

	if (*key == '\0')
		return 0;
	for (p = key; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
		    *p == '-'))
			return 0;
	return 1;
}

/*
 * Append the quoted string that starts at p (after the keyword and blanks)
 * to sb, decoding escapes. Only blanks may follow the closing quote.
 */
static int
po_string(struct loader *ld, const char *p, const char *end, strbuf *sb)
{
	size_t start = sb->len;
	char c;

	if (p == end || *p != '"')
		return loader_fail(ld, ld->line, "expected a quoted string");
	for (p++; p < end && *p != '"'; p++) {
		if (*p != '\\') {
			strbuf_putc(sb, *p);
			continue;
		}
		if (++p == end)
			break;
		switch (*p) {
		case 'n': c = '\n'; break;
		case 't': c = '\t'; break;
		case 'r': c = '\r'; break;
		case 'a': c = '\a'; break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'v': c = '\v'; break;
		case '"': case '\\': case '\'': case '?': c = *p; break;
		default:
			return loader_fail(ld, ld->line,
			    "unknown escape \\%c in string", *p);
		}
		strbuf_putc(sb, c);
	}
	if (p >= end)
		return loader_fail(ld, ld->line, "unterminated string");
	for (p++; p < end; p++)
		if (*p != ' ' && *p != '\t')
			return loader_fail(ld, ld->line,
			    "unexpected text after the closing quote");
	if (strbuf_failed(sb))
		return loader_fail(ld, ld->line, "out of memory");
	/* An empty string may have no buffer yet: no pointer arithmetic on
	 * NULL (found by tests/fuzz/fuzz_i18n under UBSan). */
	if (sb->len > start &&
	    !i18n_valid_utf8((const unsigned char *)sb->data + start,
	    sb->len - start))
		return loader_fail(ld, ld->line, "invalid UTF-8 in string");
	return 0;
}

static void
po_reset(struct po_entry *e)
{
	strbuf_reset(&e->ctxt);
	strbuf_reset(&e->id);
	strbuf_reset(&e->str);
	e->has_ctxt = e->has_id = e->has_str = 0;
	e->current = PO_NONE;
	e->id_line = 0;
	e->fuzzy = 0;
}

/* The value of "Name: value" in a PO header, copied to buf; NULL if absent. */
static const char *
po_header_field(const char *header, const char *name, char *buf, size_t len)
{
	size_t name_len = strlen(name), n;
	const char *line, *end;

	for (line = header; *line; line = *end ? end + 1 : end) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		if ((size_t)(end - line) <= name_len ||
		    strncasecmp(line, name, name_len) != 0 ||
		    line[name_len] != ':')
			continue;
		line += name_len + 1;
		while (line < end && (*line == ' ' || *line == '\t'))
			line++;
		n = (size_t)(end - line);
		while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			n--;
		if (n >= len)
			n = len - 1;
		memcpy(buf, line, n);
		buf[n] = '\0';
		return buf;
	}
	return NULL;
}

/* The header entry: charset must be UTF-8, Language (if set) the file's. */
static int
po_header(struct loader *ld, struct po_entry *e)
{
	const char *header = strbuf_str(&e->str), *charset;
	char value[128];
	size_t n;

	if (po_header_field(header, "Content-Type", value, sizeof(value))) {
		charset = strcasestr(value, "charset=");
		if (charset != NULL &&
		    strcasecmp(charset + 8, "UTF-8") != 0 &&
		    strcasecmp(charset + 8, "UTF8") != 0)
			return loader_fail(ld, e->id_line,
			    "header charset is \"%s\"; catalogs must be UTF-8",
			    charset + 8);
	}
	if (po_header_field(header, "Language", value, sizeof(value)) &&
	    value[0] != '\0') {
		n = strcspn(value, "_-@.");
		if (n != strlen(i18n_languages[ld->lang]) ||
		    strncasecmp(value, i18n_languages[ld->lang], n) != 0)
			return loader_fail(ld, e->id_line,
			    "header says Language: %s, but the file is for %s",
			    value, i18n_languages[ld->lang]);
	}
	return 0;
}

/* A complete entry: the header, or a key to record. */
static int
po_finish(struct loader *ld, struct po_entry *e)
{
	struct load_slot *slot;
	struct i18n_entry *entry;
	const char *key, *text;
	uint32_t hash;

	if (!e->has_id)
		return 0;
	if (!e->has_str)
		return loader_fail(ld, e->id_line, "msgid without msgstr");
	key = strbuf_str(&e->id);
	text = strbuf_str(&e->str);
	if (key == NULL || text == NULL)
		return loader_fail(ld, e->id_line, "out of memory");
	if (*key == '\0') {
		if (e->has_ctxt)
			return loader_fail(ld, e->id_line,
			    "empty msgid with a msgctxt");
		return po_header(ld, e);
	}
	if (!i18n_valid_key(key))
		return loader_fail(ld, e->id_line,
		    "msgid \"%.60s\" is not a symbolic key "
		    "(letters, digits, '.', '_', '-', like hello.greeting)", key);
	if (loader_grow(ld) < 0)
		return -1;
	hash = i18n_hash(key);
	slot = loader_find(ld, key, hash);
	if (slot->entry == NULL) {
		entry = arena_calloc(ld->a, 1, sizeof(*entry));
		if (entry == NULL ||
		    (entry->key = arena_strdup(ld->a, key)) == NULL)
			return loader_fail(ld, e->id_line, "out of memory");
		entry->hash = hash;
		slot->entry = entry;
		slot->dir = ld->dir;
		slot->first_path = ld->path;
		slot->first_line = e->id_line;
		ld->count++;
	} else if (slot->dir != ld->dir || slot->line[ld->lang] != 0) {
		return loader_fail(ld, e->id_line,
		    "duplicate key \"%s\" (first defined at %s:%u)", key,
		    slot->dir != ld->dir ? slot->first_path : ld->path,
		    slot->dir != ld->dir ? slot->first_line :
		    slot->line[ld->lang]);
	}
	slot->line[ld->lang] = e->id_line;
	/* Untranslated (empty or fuzzy): leave NULL, English fills in. */
	if (*text != '\0' && !e->fuzzy) {
		slot->entry->text[ld->lang] = arena_strdup(ld->a, text);
		if (slot->entry->text[ld->lang] == NULL)
			return loader_fail(ld, e->id_line, "out of memory");
	}
	return 0;
}

/* A keyword line: returns its field, or PO_NONE if word is not one. */
static enum po_field
po_keyword(const char *p, const char *end, const char **rest)
{
	static const struct {
		const char *word;
		enum po_field field;
	} words[] = {
		{ "msgctxt", PO_CTXT }, { "msgid", PO_ID }, { "msgstr", PO_STR },
	};
	size_t i, n;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		n = strlen(words[i].word);
		if ((size_t)(end - p) > n && memcmp(p, words[i].word, n) == 0 &&
		    (p[n] == ' ' || p[n] == '\t')) {
			for (p += n; p < end && (*p == ' ' || *p == '\t'); p++)
				;
			*rest = p;
			return words[i].field;
		}
	}
	return PO_NONE;
}

/* One line of a PO file (without its newline). */
static int
po_line(struct loader *ld, struct po_entry *e, const char *p, const char *end)
{
	enum po_field field;
	const char *rest = NULL;
	strbuf *sb;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end)
		return 0;
	if (*p == '#') {
		/* A comment after a msgstr belongs to the next entry. */
		if (e->has_str) {
			if (po_finish(ld, e) < 0)
				return -1;
			po_reset(e);
		}
		if (end - p >= 2 && p[1] == ',' && memmem(p, (size_t)(end - p),
		    "fuzzy", 5) != NULL)
			e->fuzzy = 1;
		e->current = PO_NONE;
		return 0;
	}
	if (*p == '"') {
		switch (e->current) {
		case PO_CTXT: sb = &e->ctxt; break;
		case PO_ID: sb = &e->id; break;
		case PO_STR: sb = &e->str; break;
		default:
			return loader_fail(ld, ld->line,
			    "string without msgid or msgstr before it");
		}
		return po_string(ld, p, end, sb);
	}
	if ((size_t)(end - p) >= 12 && memcmp(p, "msgid_plural", 12) == 0)
		return loader_fail(ld, ld->line, "plural forms are not "
		    "supported: use separate keys with {1} placeholders");
	if ((size_t)(end - p) >= 7 && memcmp(p, "msgstr[", 7) == 0)
		return loader_fail(ld, ld->line, "plural forms (msgstr[n]) "
		    "are not supported");
	field = po_keyword(p, end, &rest);
	if (field == PO_NONE)
		return loader_fail(ld, ld->line, "expected msgctxt, msgid, "
		    "msgstr, a quoted string or a comment");
	if (field != PO_STR && e->has_str) {
		if (po_finish(ld, e) < 0)
			return -1;
		po_reset(e);
	}
	switch (field) {
	case PO_CTXT:
		if (e->has_ctxt || e->has_id)
			return loader_fail(ld, ld->line, "unexpected msgctxt");
		e->has_ctxt = 1;
		sb = &e->ctxt;
		break;
	case PO_ID:
		if (e->has_id)
			return loader_fail(ld, ld->line,
			    "msgid without msgstr before it");
		e->has_id = 1;
		e->id_line = ld->line;
		sb = &e->id;
		break;
	default:
		if (!e->has_id || e->has_str)
			return loader_fail(ld, ld->line,
			    "msgstr without a msgid before it");
		e->has_str = 1;
		sb = &e->str;
		break;
	}
	e->current = field;
	return po_string(ld, rest, end, sb);
}

/* Read the whole file into the scratch arena, NUL-terminated. */
static char *
po_read(struct loader *ld, size_t *len)
{
	struct stat st;
	char *data = NULL;
	size_t done = 0;
	ssize_t n;
	int fd;

	fd = open(ld->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		loader_fail(ld, 0, "cannot open: %s", strerror(errno));
		goto fail;
	}
	if (fstat(fd, &st) < 0) {
		loader_fail(ld, 0, "cannot stat: %s", strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (off_t)I18N_MAX_FILE) {
		loader_fail(ld, 0, "not a regular file under %u bytes",
		    I18N_MAX_FILE);
		goto fail;
	}
	data = arena_alloc(ld->scratch, (size_t)st.st_size + 1);
	if (data == NULL) {
		loader_fail(ld, 0, "out of memory");
		goto fail;
	}
	while (done < (size_t)st.st_size) {
		n = read(fd, data + done, (size_t)st.st_size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			loader_fail(ld, 0, "cannot read: %s",
			    n < 0 ? strerror(errno) : "file shrank");
			data = NULL;
			goto fail;
		}
		done += (size_t)n;
	}
	data[done] = '\0';
	*len = done;
fail:
	if (fd >= 0)
		close(fd);
	return data;
}

static int
po_load(struct loader *ld, const char *dir, int lang)
{
	struct po_entry e;
	const char *p, *end, *nl;
	char *data;
	size_t len;

	ld->lang = lang;
	ld->line = 0;
	ld->path = arena_printf(ld->scratch, "%s/%s.po", dir,
	    i18n_languages[lang]);
	if (ld->path == NULL)
		return loader_fail(ld, 0, "out of memory");
	if ((data = po_read(ld, &len)) == NULL)
		return -1;
	strbuf_init(&e.ctxt, ld->scratch, 0);
	strbuf_init(&e.id, ld->scratch, 0);
	strbuf_init(&e.str, ld->scratch, 0);
	po_reset(&e);
	p = data;
	end = data + len;
	/* A byte order mark from an editor is harmless. */
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		ld->line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (memchr(p, '\0', (size_t)(nl - p)) != NULL)
			return loader_fail(ld, ld->line, "NUL byte");
		if (po_line(ld, &e, p, nl > p && nl[-1] == '\r' ? nl - 1 : nl) < 0)
			return -1;
		p = nl + 1;
	}
	return po_finish(ld, &e);
}

/* Every key needs English text; a key only translations have is stale. */
static int
loader_check(struct loader *ld)
{
	struct load_slot *slot;
	size_t i;

	for (i = 0; i < ld->cap; i++) {
		slot = &ld->slots[i];
		if (slot->entry == NULL || slot->entry->text[0] != NULL)
			continue;
		ld->path = slot->first_path;
		if (slot->line[0] != 0)
			return loader_fail(ld, slot->line[0], "no English text "
			    "for \"%s\" (empty or fuzzy msgstr)",
			    slot->entry->key);
		return loader_fail(ld, slot->first_line, "key \"%s\" is not "
		    "in the en.po of its directory", slot->entry->key);
	}
	return 0;
}

i18n_set *
i18n_load(arena *a, const char *const *dirs, char *err, size_t errlen)
{
	struct loader ld;
	i18n_set *set = NULL, *result = NULL;
	struct i18n_entry *entry;
	size_t d, i, j;
	int lang;

	memset(&ld, 0, sizeof(ld));
	ld.a = a;
	ld.err = err;
	ld.errlen = errlen;
	if (errlen > 0)
		err[0] = '\0';
	ld.scratch = arena_create(64 * 1024);
	ld.cap = 256;
	if (ld.scratch == NULL ||
	    (ld.slots = arena_calloc(ld.scratch, ld.cap, sizeof(*ld.slots))) ==
	    NULL) {
		loader_fail(&ld, 0, "out of memory");
		goto done;
	}
	for (d = 0; dirs != NULL && dirs[d] != NULL; d++) {
		ld.dir = d;
		/* English first, so the duplicate and stale checks read well. */
		for (lang = 0; lang < I18N_NLANG; lang++)
			if (po_load(&ld, dirs[d], lang) < 0)
				goto done;
	}
	if (loader_check(&ld) < 0)
		goto done;

	/* The final table: same load factor, on the caller's arena. */
	set = arena_calloc(a, 1, sizeof(*set));
	if (set == NULL ||
	    (set->slots = arena_calloc(a, ld.cap, sizeof(*set->slots))) ==
	    NULL) {
		ld.path = NULL;
		loader_fail(&ld, 0, "i18n: out of memory");
		goto done;
	}
	set->mask = ld.cap - 1;
	set->count = ld.count;
	for (i = 0; i < ld.cap; i++) {
		if ((entry = ld.slots[i].entry) == NULL)
			continue;
		for (j = entry->hash & set->mask; set->slots[j] != NULL;
		    j = (j + 1) & set->mask)
			;
		set->slots[j] = entry;
	}
	result = set;
done:
	arena_destroy(ld.scratch);
	return result;
}

/* ------------------------------------------------------------- lookup */

const char *
i18n_get(const i18n_set *s, const char *lang, const char *key)
{
	const struct i18n_entry *entry;
	uint32_t hash;
	size_t i;
	int index;

	if (s == NULL || key == NULL)
		return NULL;
	hash = i18n_hash(key);
	for (i = hash & s->mask; (entry = s->slots[i]) != NULL;
	    i = (i + 1) & s->mask) {
		if (entry->hash != hash || strcmp(entry->key, key) != 0)
			continue;
		index = i18n_language_index(lang);
		if (index > 0 && entry->text[index] != NULL)
			return entry->text[index];
		return entry->text[0];
	}
	return NULL;
}

size_t
i18n_count(const i18n_set *s)
{
	return s == NULL ? 0 : s->count;
}

int
i18n_format(arena *a, const char *message, const char *const *args,
    size_t nargs, char **out)
{
	const char *p, *brace, *q;
	strbuf sb;
	size_t n, digits;

	*out = NULL;
	if (message == NULL)
		return -1;
	strbuf_init(&sb, a, 0);
	for (p = message; *p != '\0'; ) {
		brace = strchr(p, '{');
		if (brace == NULL) {
			strbuf_puts(&sb, p);
			break;
		}
		strbuf_append(&sb, p, (size_t)(brace - p));
		if (brace[1] == '{') {
			strbuf_putc(&sb, '{');
			p = brace + 2;
			continue;
		}
		/* Nine digits cannot overflow a size_t; more is not ours. */
		n = 0;
		for (q = brace + 1, digits = 0; *q >= '0' && *q <= '9' &&
		    digits < 9; q++, digits++)
			n = n * 10 + (size_t)(*q - '0');
		if (digits == 0 || *q != '}') {
			strbuf_putc(&sb, '{');
			p = brace + 1;
			continue;
		}
		if (n >= 1 && n <= nargs && args[n - 1] != NULL)
			strbuf_puts(&sb, args[n - 1]);
		p = q + 1;
	}
	/* An empty result has no storage yet; give it some on a. */
	strbuf_append(&sb, "", 0);
	if (strbuf_failed(&sb))
		return -1;
	*out = sb.data;
	return 0;
}
