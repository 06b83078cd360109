/*
 * json.c - JSON string escaping (see json.h). Control characters, quotes
 * and backslashes are escaped, and so are <, >, & and the line separators
 * U+2028/U+2029, so the same output is safe inside an HTML script element.
 */
#include "json.h"

#include <stdio.h>
#include <string.h>

void
json_string(strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[8];

	strbuf_putc(sb, '"');
	for (; *p; p++) {
		switch (*p) {
		case '"': strbuf_puts(sb, "\\\""); continue;
		case '\\': strbuf_puts(sb, "\\\\"); continue;
		case '\n': strbuf_puts(sb, "\\n"); continue;
		case '\r': strbuf_puts(sb, "\\r"); continue;
		case '\t': strbuf_puts(sb, "\\t"); continue;
		case '<': case '>': case '&':
			snprintf(esc, sizeof(esc), "\\u%04x", *p);
			strbuf_puts(sb, esc);
			continue;
		}
		if (*p < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", *p);
			strbuf_puts(sb, esc);
		} else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			strbuf_puts(sb, p[2] == 0xa8 ? "\\u2028" : "\\u2029");
			p += 2;
		} else
			strbuf_putc(sb, (char)*p);
	}
	strbuf_putc(sb, '"');
}
