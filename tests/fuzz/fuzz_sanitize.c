/* fuzz_sanitize.c - libFuzzer target for the untrusted-text layer.
 *
 * Whatever the input, sanitized text and parsed terminal lines must be valid
 * UTF-8 free of control characters (but kept newlines), DEL, C1 controls and
 * bidi overrides, and every character must have a measurable width that
 * hg_text_width() agrees with. Fit, truncation and wrapping must respect
 * their column limits and always make progress. */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "hgtop/sanitize.h"
#include "hgtop/termtext.h"
#include "hgtop/util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_sanitize: %s\n", what);
	abort();
}

/* Width of displayable text, checked with the C library's own decoder. */
static int
check_text(const char *s, size_t n, int allow_newline)
{
	mbstate_t st;
	size_t i = 0, k;
	wchar_t wc;
	int width = 0, w;

	memset(&st, 0, sizeof(st));
	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && !(c == '\n' && allow_newline)) || c == 0x7F)
			fail("control byte in output");
		k = mbrtowc(&wc, s + i, n - i, &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0)
			fail("invalid UTF-8 in output");
		if ((wc >= 0x80 && wc < 0xA0) || (wc >= 0xD800 && wc < 0xE000))
			fail("C1 control or surrogate in output");
		if ((wc >= 0x202A && wc <= 0x202E) ||
		    (wc >= 0x2066 && wc <= 0x2069) || wc == 0x200E ||
		    wc == 0x200F || wc == 0x061C)
			fail("bidi control in output");
		if (wc != '\n') {
			if ((w = wcwidth(wc)) < 0)
				fail("unmeasurable character in output");
			width += w;
		}
		i += k;
	}
	return width;
}

static void
check_layout(const char *s, size_t n, int cols)
{
	struct hg_buf b = { 0 };
	size_t k, e;
	int used;

	k = hg_text_fit(s, n, cols, &used);
	if (k > n || used > (cols < 0 ? 0 : cols) || hg_text_width(s, k) != used)
		fail("fit exceeded its columns");
	check_text(s, k, 1);
	hg_text_trunc(&b, s, n, cols, "\xe2\x80\xa6");
	if (hg_text_width(b.p, b.len) > (cols < 0 ? 0 : cols))
		fail("trunc exceeded its columns");
	check_text(b.p, b.len, 1);
	hg_buf_free(&b);
	while (n > 0) {
		k = hg_text_wrap_next(s, n, cols);
		if (k == 0 || k > n)
			fail("wrap made no progress");
		for (e = k; e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\n'); e--)
			;
		if (hg_text_width(s, e) > (cols < 0 ? 0 : cols) &&
		    hg_text_fit(s, e, cols, NULL))
			fail("wrapped segment too wide");
		s += k;
		n -= k;
	}
}

static void
check_doc(const struct hg_tt_doc *doc)
{
	const struct hg_tt_line *l;
	size_t i, j, end;

	for (i = 0; i < doc->n; i++) {
		l = &doc->lines[i];
		if (strlen(l->text) != l->len)
			fail("line length");
		check_text(l->text, l->len, 0);
		end = 0;
		for (j = 0; j < l->n_spans; j++) {
			if (l->spans[j].start < end || l->spans[j].len == 0)
				fail("spans overlap");
			end = l->spans[j].start + l->spans[j].len;
			if (end > l->len ||
			    ((unsigned char)l->text[l->spans[j].start] & 0xC0) == 0x80 ||
			    (end < l->len && ((unsigned char)l->text[end] & 0xC0) == 0x80))
				fail("span outside the line or inside a character");
		}
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!setlocale(LC_ALL, "C.UTF-8"))
		fail("no C.UTF-8 locale");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hg_buf b = { 0 };
	struct hg_tt_doc doc = { 0 };
	const char *s = (const char *)data;
	unsigned flags;
	int w, cols;

	if (size < 1)
		return 0;
	flags = data[0] & (HG_SAN_NEWLINES | HG_SAN_TABS);
	cols = (int)(data[0] >> 2) - 4;		/* includes cols <= 0 */
	hg_sanitize(&b, s + 1, size - 1, flags);
	w = check_text(b.p ? b.p : "", b.len, flags & HG_SAN_NEWLINES);
	if (!(flags & HG_SAN_NEWLINES) && hg_text_width(b.p, b.len) != w)
		fail("hg_text_width disagrees with wcwidth");
	check_layout(b.p, b.len, cols);
	hg_buf_free(&b);

	hg_tt_parse(&doc, s + 1, size - 1);
	check_doc(&doc);
	hg_tt_free(&doc);
	return 0;
}
