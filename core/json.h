/*
 * json.h - the core's JSON writer: strings escaped for JSON, and for JSON
 * embedded in HTML <script> (no "</" or "<!--" can close or open markup).
 */
#ifndef LABNET_JSON_H
#define LABNET_JSON_H

#include "strbuf.h"

/* Appends s as a quoted JSON string. */
void json_string(strbuf *sb, const char *s);

#endif
