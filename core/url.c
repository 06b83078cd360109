/*
 * url.c - URL and form decoding for untrusted input (see url.h).
 *
 * Owns the decoding rules only: no routing, no knowledge of which parameters
 * a route declares, no logging. Everything handed out is allocated on the
 * caller's arena, sized once up front from the input length (decoding never
 * grows a string), so a hostile input costs at most its own size again.
 */
#include "url.h"

#include <stdint.h>
#include <string.h>

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes s[0..n) into dst, which has room for n bytes; adds no terminator.
 * Returns 0 or URL_EBADESCAPE.
 */
static int
decode_into(const char *s, size_t n, int plus_is_space, char *dst,
    size_t *dst_len)
{
	size_t i, len = 0;
	int high, low;

	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (n - i < 3)
				return URL_EBADESCAPE;
			high = hex_value((unsigned char)s[i + 1]);
			low = hex_value((unsigned char)s[i + 2]);
			if (high < 0 || low < 0)
				return URL_EBADESCAPE;
			dst[len++] = (char)(high << 4 | low);
			i += 2;
		} else if (s[i] == '+' && plus_is_space)
			dst[len++] = ' ';
		else
			dst[len++] = s[i];
	}
	*dst_len = len;
	return 0;
}

/* What every decoded form key and value must be: no NUL, strict UTF-8. */
static int
check_text(const char *s, size_t n)
{
	if (memchr(s, '\0', n) != NULL)
		return URL_ENUL;
	if (!url_utf8_valid(s, n))
		return URL_EUTF8;
	return 0;
}

int
url_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lowest, highest;
	size_t i = 0, k, trail;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		/*
		 * The lead byte fixes the sequence length and the range of the
		 * second byte; the narrowed ranges are what exclude overlongs
		 * (E0, F0), surrogates (ED) and code points above U+10FFFF (F4).
		 */
		lowest = 0x80;
		highest = 0xBF;
		if (p[i] >= 0xC2 && p[i] <= 0xDF)
			trail = 1;
		else if (p[i] == 0xE0) {
			trail = 2;
			lowest = 0xA0;
		} else if (p[i] == 0xED) {
			trail = 2;
			highest = 0x9F;
		} else if (p[i] >= 0xE1 && p[i] <= 0xEF)
			trail = 2;
		else if (p[i] == 0xF0) {
			trail = 3;
			lowest = 0x90;
		} else if (p[i] == 0xF4) {
			trail = 3;
			highest = 0x8F;
		} else if (p[i] >= 0xF1 && p[i] <= 0xF3)
			trail = 3;
		else
			return 0;	/* 80..C1 and F5..FF never lead */
		if (n - i - 1 < trail)
			return 0;
		if (p[i + 1] < lowest || p[i + 1] > highest)
			return 0;
		for (k = 2; k <= trail; k++)
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
		i += trail + 1;
	}
	return 1;
}

int
url_decode(arena *a, const char *s, size_t n, int plus_is_space,
    char **out, size_t *out_len)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if (out_len != NULL)
		*out_len = 0;
	if (n == SIZE_MAX) {
		rc = URL_ENOMEM;
		goto done;
	}
	buf = arena_alloc(a, n + 1);
	if (buf == NULL) {
		rc = URL_ENOMEM;
		goto done;
	}
	rc = decode_into(s, n, plus_is_space, buf, &len);
	if (rc != 0)
		goto done;
	buf[len] = '\0';
	*out = buf;
	if (out_len != NULL)
		*out_len = len;
done:
	return rc;
}

int
url_normalize_path(arena *a, const char *raw, size_t n, char **out)
{
	const char *segment, *slash;
	char *buf = NULL;
	size_t i = 0, len = 0, mark, segment_len, decoded_len;
	int rc = 0;

	*out = NULL;
	/*
	 * Each kept segment costs '/' plus at most its raw length, and every
	 * raw segment but a first one without leading '/' follows a raw '/':
	 * n + 1 bytes of path, one more for the terminator.
	 */
	if (n > SIZE_MAX - 2) {
		rc = URL_ENOMEM;
		goto done;
	}
	buf = arena_alloc(a, n + 2);
	if (buf == NULL) {
		rc = URL_ENOMEM;
		goto done;
	}
	while (i < n) {
		if (raw[i] == '/') {
			i++;
			continue;
		}
		segment = raw + i;
		slash = memchr(segment, '/', n - i);
		segment_len = slash != NULL ? (size_t)(slash - segment) : n - i;
		i += segment_len;

		/* Decode straight into place; roll back if it is . or .. */
		mark = len;
		buf[len++] = '/';
		rc = decode_into(segment, segment_len, 0, buf + len, &decoded_len);
		if (rc != 0)
			goto done;
		if (memchr(buf + len, '/', decoded_len) != NULL) {
			rc = URL_ESLASH;
			goto done;
		}
		rc = check_text(buf + len, decoded_len);
		if (rc != 0)
			goto done;
		if (decoded_len == 1 && buf[len] == '.')
			len = mark;
		else if (decoded_len == 2 && buf[len] == '.' && buf[len + 1] == '.') {
			if (mark == 0) {
				rc = URL_EABOVEROOT;
				goto done;
			}
			/*
			 * buf[0] is '/', so this stops; each byte is walked
			 * back over at most once, which keeps it linear.
			 */
			len = mark;
			while (buf[--len] != '/')
				;
		} else
			len += decoded_len;
	}
	if (len == 0)
		buf[len++] = '/';
	buf[len] = '\0';
	*out = buf;
done:
	return rc;
}

int
url_parse_form(arena *a, const char *s, size_t n, url_pair_fn fn, void *ctx)
{
	const char *piece, *amp, *eq;
	char *buf = NULL, *key, *value;
	size_t i = 0, used = 0, piece_len, raw_key_len, key_len, value_len;
	int rc = 0;

	if (n == 0)
		goto done;
	if (n == SIZE_MAX) {
		rc = URL_ENOMEM;
		goto done;
	}
	/*
	 * One buffer for every pair: a piece "k=v" decodes to at most
	 * len(k) + 1 + len(v) + 1 = its length + 1 bytes with both
	 * terminators, a piece "k" to its length + 1 (the value is the key's
	 * terminator), and pieces are separated by '&': n + 1 bytes in all.
	 */
	buf = arena_alloc(a, n + 1);
	if (buf == NULL) {
		rc = URL_ENOMEM;
		goto done;
	}
	while (i < n) {
		piece = s + i;
		amp = memchr(piece, '&', n - i);
		piece_len = amp != NULL ? (size_t)(amp - piece) : n - i;
		i += piece_len + 1;	/* past the '&'; n < SIZE_MAX */
		if (piece_len == 0)
			continue;

		eq = memchr(piece, '=', piece_len);
		raw_key_len = eq != NULL ? (size_t)(eq - piece) : piece_len;
		key = buf + used;
		rc = decode_into(piece, raw_key_len, 1, key, &key_len);
		if (rc != 0)
			goto done;
		key[key_len] = '\0';
		used += key_len + 1;
		if (eq != NULL) {
			value = buf + used;
			rc = decode_into(eq + 1, piece_len - raw_key_len - 1, 1,
			    value, &value_len);
			if (rc != 0)
				goto done;
			value[value_len] = '\0';
			used += value_len + 1;
		} else {
			value = key + key_len;
			value_len = 0;
		}
		rc = check_text(key, key_len);
		if (rc != 0)
			goto done;
		rc = check_text(value, value_len);
		if (rc != 0)
			goto done;
		rc = fn(ctx, key, key_len, value, value_len);
		if (rc != 0)
			goto done;
	}
done:
	return rc;
}

char *
url_escape_unsafe(arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	size_t n = 0;
	char *out, *q;

	for (p = (const unsigned char *)s; *p; p++)
		n += (*p <= 0x20 || *p >= 0x7f || *p == '"' || *p == '<' ||
		    *p == '>' || *p == '\\' || *p == '`') ? 3 : 1;
	if ((out = arena_alloc(a, n + 1)) == NULL)
		return NULL;
	for (p = (const unsigned char *)s, q = out; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == '"' || *p == '<' ||
		    *p == '>' || *p == '\\' || *p == '`') {
			*q++ = '%';
			*q++ = hex[*p >> 4];
			*q++ = hex[*p & 15];
		} else
			*q++ = (char)*p;
	*q = '\0';
	return out;
}
