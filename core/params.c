/*
 * params.c - declared parameter validation (see params.h).
 *
 * Each ln_param_spec type is checked by the table below; a route's own validator
 * runs after the type check. Undeclared parameters are ignored (tracking
 * tags and the like), and handlers cannot read them: ln_param() only
 * returns what the route declared, because the core drops the rest here.
 */
#include "params.h"

#include <stdlib.h>
#include <string.h>

#include "router.h"
#include "site.h"

/* An optional '-' and 1 to 18 digits: strtoll alone would also take
 * " 5" and "+5", which the handler would then see as its value. */
static int
valid_int(const ln_param_spec *p, const char *v, const char **why)
{
	const char *digits = v[0] == '-' ? v + 1 : v;
	size_t ndigits = strlen(digits);
	long long n;

	if (ndigits == 0 || ndigits > 18 ||
	    strspn(digits, "0123456789") != ndigits) {
		*why = "must be a whole number";
		return 0;
	}
	n = strtoll(v, NULL, 10);	/* 18 digits cannot overflow */
	if ((p->min != 0 || p->max != 0) && (n < p->min || n > p->max)) {
		*why = "is out of range";
		return 0;
	}
	return 1;
}

static int
valid_bool(const char *v)
{
	static const char *const words[] = { "1", "0", "true", "false", "on",
	    "off", NULL };
	size_t i;

	for (i = 0; words[i]; i++)
		if (strcmp(v, words[i]) == 0)
			return 1;
	return 0;
}

static int
valid_choice(const ln_param_spec *p, const char *v)
{
	const char *const *c;

	for (c = p->choices; c && *c; c++)
		if (strcmp(*c, v) == 0)
			return 1;
	return 0;
}

static int
valid_date(const char *v)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	/* Digits where digits go: "2026-1--01" and "-026-01-01" are not dates. */
	if (strlen(v) != 10 || v[4] != '-' || v[7] != '-' ||
	    strspn(v, "0123456789") != 4 || strspn(v + 5, "0123456789") != 2 ||
	    strspn(v + 8, "0123456789") != 2)
		return 0;
	y = atoi(v);
	m = atoi(v + 5);
	d = atoi(v + 8);
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

int
params_valid(const ln_param_spec *p, const char *value, size_t len, size_t max_len,
    const char **why)
{
	size_t limit = p->max_len ? p->max_len : max_len;

	if (len > limit) {
		*why = "is too long";
		return 0;
	}
	switch (p->type) {
	case LN_TEXT:
		break;
	case LN_INT:
		if (!valid_int(p, value, why))
			return 0;
		break;
	case LN_SLUG:
		if (!router_is_slug(value)) {
			*why = "must be 2 to 80 of a-z, 0-9 and -";
			return 0;
		}
		break;
	case LN_BOOL:
		if (!valid_bool(value)) {
			*why = "must be true or false";
			return 0;
		}
		break;
	case LN_CHOICE:
		if (!valid_choice(p, value)) {
			*why = "is not one of the allowed values";
			return 0;
		}
		break;
	case LN_DATE:
		if (!valid_date(value)) {
			*why = "must be a date YYYY-MM-DD";
			return 0;
		}
		break;
	case LN_FILE:
		*why = "must be an uploaded file";
		return 0;
	default:
		*why = "has an unknown type";
		return 0;
	}
	if (p->validate != NULL && p->validate(value, why) < 0) {
		if (*why == NULL)
			*why = "is not valid";
		return 0;
	}
	return 1;
}

static const ln_param_spec *
declared_find(const ln_param_spec *declared, const char *name)
{
	for (; declared && declared->name; declared++)
		if (strcmp(declared->name, name) == 0)
			return declared;
	return NULL;
}

int
params_check(struct ln_request *req, const ln_param_spec *declared)
{
	struct req_pair **link, *pair;
	const ln_param_spec *p;
	const char *why = NULL;
	size_t count;

	/* Drop what the route does not declare, check what it does. */
	for (link = &req->params; (pair = *link) != NULL; ) {
		p = declared_find(declared, pair->name);
		/* An empty value of a typed parameter is the same as no value
		 * (a form's untouched number or date field): dropped, so a
		 * handler never sees "" where it was promised a number. Text
		 * keeps "", which is what a cleared text field means. */
		if (p == NULL || p->type == LN_FILE ||
		    (pair->len == 0 && p->type != LN_TEXT)) {
			*link = pair->next;
			continue;
		}
		if (pair->len > 0 && !params_valid(p, pair->value, pair->len,
		    req->site->config->max_param_len, &why))
			return request_fail(req, 400, "parameter %s %s", p->name, why),
			    -1;
		link = &pair->next;
	}
	for (p = declared; p && p->name; p++) {
		count = p->type == LN_FILE ? (ln_upload_get(req, p->name) != NULL) :
		    ln_param_count(req, p->name);
		if ((p->flags & LN_REQUIRED) && (count == 0 || (p->type != LN_FILE &&
		    ln_param(req, p->name)[0] == '\0')))
			return request_fail(req, 400, "parameter %s is required",
			    p->name), -1;
		if (!(p->flags & LN_REPEATED) && count > 1)
			return request_fail(req, 400, "parameter %s is given more than "
			    "once", p->name), -1;
	}
	return 0;
}
