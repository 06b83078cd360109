/*
 * fuzz_params.c - declared-parameter validation (params_valid) for every
 * parameter type, with the limits routes use.
 *
 * Input: one byte choosing the declaration, then the value (up to the first
 * NUL, as values reach validation NUL-free). Checks that an accepted value
 * really is what its type promises the handler, and that a refusal says why.
 */
#include "fuzz.h"

#include <errno.h>

#include "params.h"
#include "router.h"

static const char *const colours[] = { "red", "green", "blue", NULL };

/* A plugin's own check after the type's: refuses values with "x". */
static int
no_x(const char *value, const char **why)
{
	if (strchr(value, 'x') != NULL) {
		*why = "must not contain x";
		return -1;
	}
	return 0;
}

/* A validator that forgets to say why: the core must supply a reason. */
static int
refuse_silently(const char *value, const char **why)
{
	(void)why;
	return value[0] == 'q' ? -1 : 0;
}

static const ln_param_spec specs[] = {
	{ .name = "q", .type = LN_TEXT, .max_len = 40 },
	{ .name = "t", .type = LN_TEXT, .validate = no_x },
	{ .name = "n", .type = LN_INT, .min = -5, .max = 100 },
	{ .name = "big", .type = LN_INT },
	{ .name = "s", .type = LN_SLUG },
	{ .name = "b", .type = LN_BOOL },
	{ .name = "c", .type = LN_CHOICE, .choices = colours },
	{ .name = "d", .type = LN_DATE },
	{ .name = "f", .type = LN_FILE },
	{ .name = "v", .type = LN_TEXT, .validate = refuse_silently },
	{ .name = "bad", .type = (enum ln_param_type)99 },
};

#define NSPECS (sizeof(specs) / sizeof(specs[0]))

static void
check_accepted(const ln_param_spec *p, const char *v, size_t len)
{
	const char *const *c;
	long long n;
	char *end;
	int found = 0, y, m, d;

	switch (p->type) {
	case LN_TEXT:
		FUZZ_CHECK(len <= (p->max_len ? p->max_len : 1000));
		break;
	case LN_INT:
		errno = 0;
		n = strtoll(v, &end, 10);
		FUZZ_CHECK(errno == 0 && *end == '\0' && end != v);
		FUZZ_CHECK(v[0] == '-' || (v[0] >= '0' && v[0] <= '9'));
		if (p->min != 0 || p->max != 0)
			FUZZ_CHECK(n >= p->min && n <= p->max);
		break;
	case LN_SLUG:
		FUZZ_CHECK(router_is_slug(v));
		break;
	case LN_CHOICE:
		for (c = p->choices; *c; c++)
			found |= strcmp(*c, v) == 0;
		FUZZ_CHECK(found);
		break;
	case LN_DATE:
		FUZZ_CHECK(len == 10 && sscanf(v, "%4d-%2d-%2d", &y, &m, &d) == 3);
		FUZZ_CHECK(m >= 1 && m <= 12 && d >= 1 && d <= 31);
		break;
	case LN_BOOL:
		break;
	default:
		FUZZ_CHECK(!"a file or unknown type was accepted");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const ln_param_spec *p;
	const char *why = NULL;
	char *value;
	size_t len;

	if (size == 0)
		return 0;
	p = &specs[data[0] % NSPECS];
	value = fuzz_cstr(data + 1, size - 1);
	len = strlen(value);
	if (params_valid(p, value, len, 1000, &why))
		check_accepted(p, value, len);
	else
		FUZZ_CHECK(why != NULL && why[0] != '\0');
	free(value);
	return 0;
}
