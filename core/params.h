/*
 * params.h - checking a request's query and form values against the
 * parameters its route declares (ln_param), before the handler runs.
 */
#ifndef LABNET_PARAMS_H
#define LABNET_PARAMS_H

#include "request.h"

/* 0, or -1 with a 400 on req naming the parameter and what is wrong. */
int params_check(struct ln_request *req, const ln_param_spec *declared);

/* Whether value is valid for one declared parameter; *why on failure. */
int params_valid(const ln_param_spec *p, const char *value, size_t len,
    size_t max_len, const char **why);

#endif
