/*
 * i18n.h - the site's languages and its message catalogs.
 *
 * Catalogs are PO files, one <lang>.po per language in each catalog
 * directory (core/messages/, every plugin's messages/), loaded once at
 * start-up into an i18n_set on a process arena. The set is read-only after
 * i18n_load() returns, so request threads share it without locks.
 *
 * Keys are symbolic ("hello.greeting"); en.po holds the English text and is
 * the fallback for a key another language does not translate. Messages may
 * carry numbered placeholders {1}, {2}, ... filled by i18n_format().
 */
#ifndef LABNET_I18N_H
#define LABNET_I18N_H

#include <stddef.h>

#include "arena.h"

/* Number of site languages: the entries of i18n_languages before NULL. */
#define I18N_NLANG 7

/*
 * The site's language tags in switcher order, NULL-terminated:
 * "en", "it", "lt", "pl", "fr", "nl", "fi". English comes first and is the
 * fallback language.
 */
extern const char *const i18n_languages[];

/* 1 if tag is exactly one of i18n_languages (lower case), else 0. */
int i18n_is_language(const char *tag);

/* The position of tag in i18n_languages, or -1 if it is not one. */
int i18n_language_index(const char *tag);

/* The language's own name ("Suomi" for "fi"), or NULL for an unknown tag.
 * Static storage. */
const char *i18n_autonym(const char *tag);

typedef struct i18n_set i18n_set;

/*
 * Load the catalogs of every directory in dirs (NULL-terminated); each must
 * hold a <lang>.po for all I18N_NLANG languages. The set and its strings live
 * on a.
 *
 * Returns NULL and writes one line to err ("dir/fi.po:12: ...") when a file
 * is missing or unreadable, on a PO syntax error, on invalid UTF-8, on a key
 * defined twice (in one file, or in two directories), on a key a translation
 * has but en.po lacks, on a key without English text, on plural forms
 * (refused), or on OOM. What a failed load allocated stays on a until a is
 * destroyed.
 *
 * The PO subset: comments (#, #:, #., #,, #|, #~ obsolete entries: all
 * ignored, except the "fuzzy" flag); msgctxt (accepted and ignored: keys are
 * symbolic and already carry their context, so a msgid repeated under two
 * contexts is a duplicate); msgid/msgstr, each one or more adjacent quoted
 * strings concatenated, with the escapes \n \t \r \" \\ \' \? \a \b \f \v;
 * the header entry (msgid ""), whose charset must be UTF-8 and whose
 * Language, when set, must match the file name. As gettext's msgfmt does, an
 * entry flagged "#, fuzzy" or with an empty msgstr counts as untranslated:
 * its language falls back to English. Keys are [A-Za-z0-9_.-]+.
 */
i18n_set *i18n_load(arena *a, const char *const *dirs, char *err,
    size_t errlen);

/*
 * The message for key in lang; else the English one (also for a lang that is
 * not a site language); else NULL. The string is owned by the set.
 */
const char *i18n_get(const i18n_set *s, const char *lang, const char *key);

/* Number of distinct keys in the set. */
size_t i18n_count(const i18n_set *s);

/*
 * Fill a message's placeholders: {1} is args[0], {2} args[1], ... A
 * placeholder without a matching argument ({0}, past nargs, or a NULL
 * argument) becomes empty; "{{" is a literal "{"; any other brace is copied
 * as is. The result, on a, goes to *out. Returns 0, or -1 (and *out NULL)
 * when message is NULL or on OOM.
 */
int i18n_format(arena *a, const char *message, const char *const *args,
    size_t nargs, char **out);

#endif
