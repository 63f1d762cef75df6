/* values.c - a log line's values made to read as Go's encoding/json reads them
 * (see values.h). One pass over the line; the copy is only written from the
 * first change on. */
#include "config.h"

#include "hgtop/values.h"
#include "hgtop/sanitize.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define TRACK_DEPTH 4

struct rewrite {
	const char *line, *end, *copied;
	struct hg_buf *out;
	bool changed;
};

/* Copy what is before p, then add s[0..n) in place of line[p..skip). */
static void
replace(struct rewrite *r, const char *p, const char *skip, const char *s, size_t n)
{
	if (!r->changed) {
		hg_buf_reset(r->out);
		r->changed = true;
	}
	hg_buf_add(r->out, r->copied, (size_t)(p - r->copied));
	hg_buf_add(r->out, s, n);
	r->copied = skip;
}

static int
hex4(const char *p, const char *end, unsigned *out)
{
	unsigned h = 0;
	int i;

	for (i = 0; i < 4; i++) {
		int v = p + i < end ? hg_hex_value((unsigned char)p[i]) : -1;

		if (v < 0)
			return i;	/* the bad digit */
		h = (h << 4) | (unsigned)v;
	}
	*out = h;
	return 4;
}

/* A quote preceded by an odd number of backslashes is escaped. */
static bool
escaped(const char *start, const char *q)
{
	size_t n = 0;

	while (q > start && q[-1] == '\\') {
		q--;
		n++;
	}
	return n % 2 == 1;
}

/* The closing quote of the string whose content starts at s, or NULL. */
static const char *
string_close(const char *s, const char *end)
{
	const char *q = s;

	for (;;) {
		q = memchr(q, '"', (size_t)(end - q));
		if (!q || !escaped(s, q))
			return q;
		q++;
	}
}

/* A byte >= 0x80 at b of a line that is not all UTF-8: Go reads each byte
 * that does not start a valid character as U+FFFD (so the bytes C0 80 of
 * the file never read as HG_NUL). Returns where to go on. */
static const char *
not_utf8(struct rewrite *r, const char *b, const char *end)
{
	uint32_t cp;
	size_t k = hg_utf8_decode(b, (size_t)(end - b), &cp);

	if (cp != HG_UTF8_INVALID)
		return b + k;
	replace(r, b, b + 1, "\xEF\xBF\xBD", 3);
	return b + 1;
}

/* The next byte of p[0..end) that is a quote or a backslash (or any byte
 * >= 0x80 when the line is not all UTF-8, bad_utf8): the first 64 bytes
 * eight at a time, the rest with memchr,
 * whose answers are kept so that many escapes before a far quote cost one
 * scan. */
struct finder {
	const char *quote, *slash;	/* next found at or after the last look */
};

/* Bytes of the 8 at v that equal b have their top bit set in the result
 * (the lowest one exactly; the only false hits lie above a true one). */
static inline uint64_t
bytes_equal(uint64_t v, unsigned char b)
{
	uint64_t x = v ^ (0x0101010101010101ULL * b);

	return (x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL;
}

static const char *
find_special(struct finder *f, const char *p, const char *end, bool bad_utf8)
{
	const char *x = p;

	if (bad_utf8) {
		for (; x < end; x++)
			if (*x == '"' || *x == '\\' || (unsigned char)*x >= 0x80)
				return x;
		return NULL;
	}
	/* Short strings (most keys and values) eight bytes at a time. */
	for (int i = 0; i < 8 && end - x >= 8; i++, x += 8) {
		uint64_t v, m;

		memcpy(&v, x, 8);
		m = bytes_equal(v, '"') | bytes_equal(v, '\\');
		if (m)
			return x + (__builtin_ctzll(m) >> 3);
	}
	if (end - x < 8) {
		for (; x < end; x++)
			if (*x == '"' || *x == '\\')
				return x;
		return NULL;
	}
	if (!f->quote || f->quote < x) {
		f->quote = memchr(x, '"', (size_t)(end - x));
		if (!f->quote)
			f->quote = end;
	}
	if (!f->slash || f->slash < x) {
		f->slash = memchr(x, '\\', (size_t)(f->quote - x));
		if (!f->slash)
			f->slash = end;
	}
	x = f->slash < f->quote ? f->slash : f->quote;
	return x < end ? x : NULL;
}

/* The string whose content starts at s: its escapes and bytes that are not
 * UTF-8 seen to in one pass. Returns the closing quote; NULL at the end of
 * the line (cJSON reports it) or, with *bad set, at an escape Go rejects. */
static const char *
scan_string(struct rewrite *r, const char *s, const char *end, bool bad_utf8, const char **bad)
{
	static const char fffd[] = "\xEF\xBF\xBD";
	struct finder f = { NULL, NULL };
	const char *p = s, *b;
	unsigned c, c2;
	int k;

	while ((b = find_special(&f, p, end, bad_utf8))) {
		if (*b == '"')
			return b;
		if (*b != '\\') {
			p = not_utf8(r, b, end);
			continue;
		}
		if (b + 1 >= end)
			return NULL;
		if (b[1] != 'u') {
			if (!strchr("bfnrt\"\\/", b[1]) || b[1] == '\0') {
				*bad = b + 1;
				return NULL;
			}
			p = b + 2;
			continue;
		}
		if ((k = hex4(b + 2, end, &c)) < 4) {
			*bad = b + 2 + k;
			return NULL;
		}
		p = b + 6;
		if (c == 0) {
			replace(r, b, p, HG_NUL, 2);
		} else if (c >= 0xD800 && c <= 0xDFFF) {
			if (c <= 0xDBFF && end - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
			    hex4(p + 2, end, &c2) == 4 && c2 >= 0xDC00 && c2 <= 0xDFFF) {
				p += 6;	/* a pair: cJSON decodes it */
				continue;
			}
			replace(r, b, p, fffd, 3);
		}
	}
	return NULL;
}

/* Whether s[0..n) is all valid UTF-8: ASCII sixteen bytes at a time. */
bool
hg_values_utf8(const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	uint32_t cp;

	while (p < end) {
		uint64_t v;

#ifdef __SSE2__
		if (end - p >= 16) {
			unsigned high = (unsigned)_mm_movemask_epi8(
				_mm_loadu_si128((const __m128i *)(const void *)p));

			if (!high) {
				p += 16;
				continue;
			}
			p += __builtin_ctz(high);	/* to the first byte >= 0x80 */
		}
#endif
		if (end - p >= 8) {
			memcpy(&v, p, 8);
			if (!(v & 0x8080808080808080ULL)) {
				p += 8;
				continue;
			}
		}
		if ((unsigned char)*p < 0x80) {
			p++;
			continue;
		}
		p += hg_utf8_decode(p, (size_t)(end - p), &cp);
		if (cp == HG_UTF8_INVALID)
			return false;
	}
	return true;
}

/* JSON's number grammar: the length of the valid number at p (0 if none). */
static size_t
number_len(const char *p, const char *end)
{
	const char *s = p;

	if (p < end && *p == '-')
		p++;
	if (p >= end || *p < '0' || *p > '9')
		return 0;
	if (*p == '0')
		p++;
	else
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	if (p + 1 < end && *p == '.' && p[1] >= '0' && p[1] <= '9') {
		for (p++; p < end && *p >= '0' && *p <= '9'; p++)
			;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		const char *x = p + 1;

		if (x < end && (*x == '+' || *x == '-'))
			x++;
		if (x < end && *x >= '0' && *x <= '9') {
			while (x < end && *x >= '0' && *x <= '9')
				x++;
			p = x;
		}
	}
	return (size_t)(p - s);
}

static bool
number_char(char c)
{
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

bool
hg_values_plain_int(const char *p, size_t n)
{
	size_t i = p[0] == '-';

	if (n - i > 15)
		return false;
	for (; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

/* A top-level key that may name "timestamp" (case folded, escaped, or
 * with the long s or Kelvin sign Go folds too). */
static bool
maybe_timestamp(const char *k, size_t n)
{
	size_t i;

	if (n < 9)
		return false;
	if (n == 9 && strncasecmp(k, "timestamp", 9) == 0)
		return true;
	for (i = 0; i < n; i++)
		if (k[i] == '\\' || (unsigned char)k[i] >= 0x80)
			return true;
	return false;
}

enum hg_values_result
hg_values_rewrite(const char *line, size_t len, struct hg_buf *out, unsigned flags, size_t *bad)
{
	struct rewrite r = { line, line + len, line, out, false };
	const char *p = line, *end = line + len, *key = NULL, *fail = NULL;
	char kinds[TRACK_DEPTH] = { 0 };
	size_t depth = 0, key_len = 0;
	bool value = true;	/* the next string is a value, not a key */
	/* Nearly every line is UTF-8: only one that is not has its strings
	 * read byte by byte for the bytes Go replaces. */
	bool bad_utf8 = !hg_values_utf8(line, len);

	while (p < end) {
		char c = *p;

		if (c == '"') {
			const char *s = p + 1, *q;

			if ((flags & HG_VALUES_MARKS) && value && depth == 1 && kinds[0] == '{' && key &&
			    maybe_timestamp(key, key_len)) {
				/* Known to hold escapes before its content is seen to. */
				if ((q = string_close(s, end)) && q > s && memchr(s, '\\', (size_t)(q - s)))
					replace(&r, s, s, HG_VAL_ESCAPED, 2);
			}
			if (!(q = scan_string(&r, s, end, bad_utf8, &fail)))
				break;	/* the end of the line (cJSON reports it), or *fail */
			if (!value) {
				key = s;
				key_len = (size_t)(q - s);
			}
			value = false;
			p = q + 1;
		} else if (c == ':' || c == ',') {
			/* A string after ':', or after ',' in an array, is a value. */
			value = c == ':' || (depth > 0 && depth <= TRACK_DEPTH && kinds[depth - 1] == '[');
			p++;
		} else if (c == '{' || c == '[') {
			if (depth < TRACK_DEPTH)
				kinds[depth] = c;
			depth++;
			value = c == '[';
			p++;
		} else if (c == '}' || c == ']') {
			if (depth)
				depth--;
			p++;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			const char *run = p;
			size_t n = number_len(p, end);

			while (p < end && number_char(*p))
				p++;
			if (run + n != p) {
				fail = run + n;
				break;
			}
			if ((flags & HG_VALUES_MARKS) && !hg_values_plain_int(run, n) &&
			    depth >= 1 && kinds[0] == '{' &&
			    (depth == 1 || (depth == 3 && kinds[1] == '[' && kinds[2] == '{'))) {
				replace(&r, run, run, "\"" HG_VAL_NUMBER, 3);
				replace(&r, p, p, "\"", 1);
			}
		} else {
			p++;
		}
	}
	if (fail) {
		*bad = (size_t)(fail - line);
		return HG_VALUES_INVALID;
	}
	if (!r.changed)
		return HG_VALUES_SAME;
	hg_buf_add(out, r.copied, (size_t)(end - r.copied));
	return HG_VALUES_COPY;
}

bool
hg_values_int(const char *s, size_t n, int64_t *out)
{
	bool neg = n > 0 && s[0] == '-';
	uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	size_t i = neg;

	if (i == n)
		return false;
	for (; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (d > 9 || v > (lim - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

cJSON *
hg_values_parse(const char *line, size_t len, unsigned flags)
{
	struct hg_buf copy = { 0 };
	cJSON *root = NULL;
	size_t bad;

	switch (hg_values_rewrite(line, len, &copy, flags, &bad)) {
	case HG_VALUES_SAME:
		root = cJSON_ParseWithLength(line, len);
		break;
	case HG_VALUES_COPY:
		root = cJSON_ParseWithLength(copy.p, copy.len);
		break;
	case HG_VALUES_INVALID:
		break;
	}
	hg_buf_free(&copy);
	return root;
}
