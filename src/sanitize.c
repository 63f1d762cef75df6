/* sanitize.c - safe rendering and display width of untrusted text. */
#include "config.h"

#include "hgtop/sanitize.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

static const char utf8_fffd[] = "\xEF\xBF\xBD";
static const char utf8_return[] = "\xE2\x86\xB5";	/* U+21B5 "↵" */
static const char hexdigits[] = "0123456789ABCDEF";

/* UTF-8 decoding */

/* Allowed range of the second byte after lead byte b (Unicode table 3-7);
 * this is what rejects overlongs, surrogates and values past U+10FFFF. */
static void
second_byte_range(unsigned char b, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (b == 0xE0)
		*lo = 0xA0;
	else if (b == 0xED)
		*hi = 0x9F;
	else if (b == 0xF0)
		*lo = 0x90;
	else if (b == 0xF4)
		*hi = 0x8F;
}

size_t
hg_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo, hi;
	size_t len, i;
	uint32_t c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] < 0xC2 || p[0] > 0xF4) {
		*cp = HG_UTF8_INVALID;
		return 1;
	}
	len = p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : 4;
	c = p[0] & (0x7F >> len);
	second_byte_range(p[0], &lo, &hi);
	for (i = 1; i < len; i++) {
		if (i >= n || p[i] < lo || p[i] > hi) {
			*cp = HG_UTF8_INVALID;
			return i;
		}
		c = (c << 6) | (p[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = c;
	return len;
}

/* Widths */

int
hg_text_char_width(uint32_t cp)
{
	int w;

	if (cp >= 0x20 && cp < 0x7F)
		return 1;
	if (cp == HG_UTF8_INVALID)
		return 1;	/* shown as U+FFFD */
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int
hg_text_width(const char *s, size_t n)
{
	long long w = 0;
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		k = hg_utf8_decode(s + i, n - i, &cp);
		w += hg_text_char_width(cp);
		i += k;
	}
	return w > INT_MAX ? INT_MAX : (int)w;
}

size_t
hg_text_fit(const char *s, size_t n, int cols, int *used)
{
	size_t i = 0, k;
	uint32_t cp;
	int w = 0, cw;

	while (i < n) {
		k = hg_utf8_decode(s + i, n - i, &cp);
		cw = hg_text_char_width(cp);
		/* Zero-width characters never stop the scan, so combining
		 * marks are kept together with a base that fitted. */
		if (cw > 0 && w + cw > cols)
			break;
		w += cw;
		i += k;
	}
	if (used)
		*used = w;
	return i;
}

void
hg_text_trunc(struct hg_buf *out, const char *s, size_t n, int cols,
    const char *marker)
{
	size_t all, part;
	int mw;

	all = hg_text_fit(s, n, cols, NULL);
	if (all == n) {
		hg_buf_add(out, s, n);
		return;
	}
	mw = marker ? hg_text_width(marker, strlen(marker)) : 0;
	if (mw > cols) {
		hg_buf_add(out, s, all);
		return;
	}
	part = hg_text_fit(s, n, cols - mw, NULL);
	hg_buf_add(out, s, part);
	if (marker)
		hg_buf_adds(out, marker);
}

/* One character plus the zero-width characters that follow it. */
static size_t
cluster_len(const char *s, size_t n)
{
	size_t i, k;
	uint32_t cp;

	i = hg_utf8_decode(s, n, &cp);
	while (i < n) {
		k = hg_utf8_decode(s + i, n - i, &cp);
		if (cp == '\n' || hg_text_char_width(cp) != 0)
			break;
		i += k;
	}
	return i;
}

size_t
hg_text_wrap_next(const char *s, size_t n, int cols)
{
	size_t i = 0, k, brk = 0;
	bool word = false;
	uint32_t cp;
	int w = 0, cw;

	while (i < n) {
		k = hg_utf8_decode(s + i, n - i, &cp);
		if (cp == '\n')
			return i + k;
		cw = hg_text_char_width(cp);
		if (cw > 0 && w + cw > cols)
			break;
		if (cp != ' ')
			word = true;
		else if (word)
			brk = i + k;	/* a break after leading indent is no break */
		w += cw;
		i += k;
	}
	if (i >= n)
		return n;
	if (s[i] == ' ') {
		/* The overflow is blank: swallow the run of spaces here. */
		while (i < n && s[i] == ' ')
			i++;
		return i;
	}
	if (brk > 0)
		return brk;
	if (i == 0)
		return cluster_len(s, n);
	return i;
}

/* Sanitizing */

static bool
is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) ||
	    (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

static void
add_hex(struct hg_buf *out, const char *prefix, uint32_t cp, int digits,
    const char *suffix)
{
	char hex[8];
	int i;

	for (i = digits - 1; i >= 0; i--) {
		hex[i] = hexdigits[cp & 0xF];
		cp >>= 4;
	}
	hg_buf_adds(out, prefix);
	hg_buf_add(out, hex, (size_t)digits);
	hg_buf_adds(out, suffix);
}

static void
add_tab(struct hg_buf *out, unsigned flags, size_t *col)
{
	size_t k;

	if (!(flags & HG_SAN_TABS)) {
		hg_buf_addc(out, ' ');
		*col += 1;
		return;
	}
	k = HG_TAB_WIDTH - *col % HG_TAB_WIDTH;
	hg_buf_add(out, "        ", k);
	*col += k;
}

/* Control characters: everything below U+00A0 that is not printable ASCII. */
static void
add_control(struct hg_buf *out, uint32_t cp, unsigned flags, size_t *col)
{
	char caret[2];

	if (cp == '\n') {
		if (flags & HG_SAN_NEWLINES) {
			hg_buf_addc(out, '\n');
			*col = 0;
		} else {
			hg_buf_adds(out, utf8_return);
			*col += 1;
		}
	} else if (cp == '\t') {
		add_tab(out, flags, col);
	} else if (cp < 0x20 || cp == 0x7F) {
		caret[0] = '^';
		caret[1] = (char)(cp == 0x7F ? '?' : cp + 0x40);
		hg_buf_add(out, caret, 2);
		*col += 2;
	} else {
		add_hex(out, "\\u", cp, 4, "");
		*col += 6;
	}
}

static void
add_char(struct hg_buf *out, const char *s, size_t k, uint32_t cp,
    unsigned flags, size_t *col)
{
	int w;

	if (cp == HG_UTF8_INVALID) {
		hg_buf_adds(out, utf8_fffd);
		*col += 1;
	} else if (cp < 0xA0) {
		add_control(out, cp, flags, col);
	} else if (is_bidi_control(cp)) {
		add_hex(out, "<U+", cp, 4, ">");
		*col += 8;
	} else if (!iswprint((wint_t)cp) || (w = wcwidth((wchar_t)cp)) < 0) {
		hg_buf_adds(out, utf8_fffd);
		*col += 1;
	} else {
		hg_buf_add(out, s, k);
		*col += (size_t)w;
	}
}

void
hg_sanitize(struct hg_buf *out, const char *s, size_t n, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, j, k, col = 0;
	uint32_t cp;

	hg_buf_reserve(out, n);
	while (i < n) {
		/* Fast path: most log text is printable ASCII. */
		for (j = i; j < n && p[j] >= 0x20 && p[j] < 0x7F; j++)
			;
		if (j > i) {
			hg_buf_add(out, s + i, j - i);
			col += j - i;
			i = j;
			continue;
		}
		if (p[i] == 0xC0 && i + 1 < n && p[i + 1] == 0x80) {
			/* A NUL character of a log's string (values.h): "␀",
			 * or "\0" where only ASCII can be shown. */
			if (MB_CUR_MAX > 1) {
				hg_buf_adds(out, "\xE2\x90\x80");
				col += 1;
			} else {
				hg_buf_adds(out, "\\0");
				col += 2;
			}
			i += 2;
			continue;
		}
		k = hg_utf8_decode(s + i, n - i, &cp);
		add_char(out, s + i, k, cp, flags, &col);
		i += k;
	}
}

void
hg_errorf(const char *fmt, ...)
{
	struct hg_buf b = { 0 };
	char small[512], *msg = small;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(small)) {
		msg = xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	hg_buf_adds(&b, "hgtop: ");
	hg_sanitize(&b, msg, (size_t)n, 0);
	hg_buf_addc(&b, '\n');
	fwrite(b.p, 1, b.len, stderr);
	fflush(stderr);
	hg_buf_free(&b);
	if (msg != small)
		free(msg);
}
