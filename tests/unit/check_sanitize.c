/* check_sanitize.c - untrusted text: sanitizing, widths, terminal output. */
#include "config.h"

#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "hgtop/sanitize.h"
#include "hgtop/termtext.h"
#include "hgtop/util.h"

/* Sanitize a string literal (embedded NULs included). */
#define SAN(lit, flags) san((lit), sizeof(lit) - 1, (flags))

static struct hg_buf sbuf;

static const char *
san(const char *s, size_t n, unsigned flags)
{
	hg_buf_reset(&sbuf);
	hg_sanitize(&sbuf, s, n, flags);
	hg_buf_addc(&sbuf, '\0');	/* make an empty result a string too */
	return sbuf.p;
}

#define WIDTH(lit) hg_text_width((lit), sizeof(lit) - 1)

static const char *
trunc_str(const char *s, int cols, const char *marker)
{
	hg_buf_reset(&sbuf);
	hg_text_trunc(&sbuf, s, strlen(s), cols, marker);
	hg_buf_addc(&sbuf, '\0');
	return sbuf.p;
}

/* All wrapped segments of s joined with '|'. */
static const char *
wrap_str(const char *s, int cols)
{
	size_t n = strlen(s), k;

	hg_buf_reset(&sbuf);
	while (n > 0) {
		k = hg_text_wrap_next(s, n, cols);
		ck_assert_uint_gt(k, 0);
		ck_assert_uint_le(k, n);
		if (sbuf.len)
			hg_buf_addc(&sbuf, '|');
		hg_buf_add(&sbuf, s, k);
		s += k;
		n -= k;
	}
	hg_buf_addc(&sbuf, '\0');
	return sbuf.p;
}

static struct hg_tt_doc doc;

#define TT(lit) hg_tt_parse(&doc, (lit), sizeof(lit) - 1)

/* sanitize: controls and escapes */

START_TEST(test_osc_title_visible)
{
	const char *r = SAN("\x1b]0;pwned\x07", 0);

	ck_assert_str_eq(r, "^[]0;pwned^G");
	ck_assert_ptr_null(strchr(r, 0x1b));
	ck_assert_ptr_null(strchr(r, 0x07));
}
END_TEST

START_TEST(test_clear_screen_visible)
{
	ck_assert_str_eq(SAN("\x1b[2Jok", 0), "^[[2Jok");
}
END_TEST

START_TEST(test_c0_del_nul)
{
	ck_assert_str_eq(SAN("a\x01" "b\x7f" "c\x00" "d", 0), "a^Ab^?c^@d");
	ck_assert_str_eq(SAN("\r\x1f", 0), "^M^_");
}
END_TEST

START_TEST(test_c1_escaped)
{
	ck_assert_str_eq(SAN("x\xc2\x85y", 0), "x\\u0085y");
	ck_assert_str_eq(SAN("\xc2\x9b" "31m", 0), "\\u009B31m");
	/* The raw 8-bit CSI byte is not UTF-8 at all. */
	ck_assert_str_eq(SAN("\x9b" "31m", 0), "\xef\xbf\xbd" "31m");
}
END_TEST

START_TEST(test_invalid_utf8)
{
	ck_assert_str_eq(SAN("a\xff" "b", 0), "a\xef\xbf\xbd" "b");
	/* A truncated sequence is one bad sequence. */
	ck_assert_str_eq(SAN("\xe2\x82" "x", 0), "\xef\xbf\xbd" "x");
	ck_assert_str_eq(SAN("\xf0\x9f\x98", 0), "\xef\xbf\xbd");
	/* Overlong "/" and a surrogate: each byte is its own bad sequence. */
	ck_assert_str_eq(SAN("\xc0\xaf", 0), "\xef\xbf\xbd\xef\xbf\xbd");
	ck_assert_str_eq(SAN("\xed\xa0\x80", 0),
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* Past U+10FFFF. */
	ck_assert_str_eq(SAN("\xf4\x90\x80\x80", 0),
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}
END_TEST

START_TEST(test_bidi_neutralised)
{
	ck_assert_str_eq(SAN("abc\xe2\x80\xae" "fed", 0), "abc<U+202E>fed");
	ck_assert_str_eq(SAN("\xe2\x81\xa6x\xe2\x81\xa9", 0),
	    "<U+2066>x<U+2069>");
	ck_assert_str_eq(SAN("\xe2\x80\x8f\xd8\x9c", 0), "<U+200F><U+061C>");
}
END_TEST

START_TEST(test_unprintable_to_fffd)
{
	/* U+2028 line separator, U+FFFE noncharacter. */
	ck_assert_str_eq(SAN("a\xe2\x80\xa8" "b\xef\xbf\xbe", 0),
	    "a\xef\xbf\xbd" "b\xef\xbf\xbd");
}
END_TEST

START_TEST(test_wide_kept)
{
	ck_assert_str_eq(SAN("\xe4\xb8\xad\xe6\x96\x87\xf0\x9f\x98\x80", 0),
	    "\xe4\xb8\xad\xe6\x96\x87\xf0\x9f\x98\x80");
	ck_assert_str_eq(SAN("e\xcc\x81", 0), "e\xcc\x81");
}
END_TEST

START_TEST(test_newlines)
{
	ck_assert_str_eq(SAN("a\nb", 0), "a\xe2\x86\xb5" "b");
	ck_assert_str_eq(SAN("a\nb", HG_SAN_NEWLINES), "a\nb");
}
END_TEST

START_TEST(test_tabs)
{
	ck_assert_str_eq(SAN("a\tb", 0), "a b");
	ck_assert_str_eq(SAN("a\tb", HG_SAN_TABS), "a       b");
	ck_assert_str_eq(SAN("abcdefgh\tx", HG_SAN_TABS),
	    "abcdefgh        x");
	/* Tab stops count display columns: the CJK char is 2 wide. */
	ck_assert_str_eq(SAN("\xe4\xb8\xad\tx", HG_SAN_TABS),
	    "\xe4\xb8\xad      x");
	ck_assert_str_eq(SAN("ab\n\tc", HG_SAN_TABS | HG_SAN_NEWLINES),
	    "ab\n        c");
}
END_TEST

/* widths, fit, truncation, wrap */

START_TEST(test_widths)
{
	ck_assert_int_eq(WIDTH("abc"), 3);
	ck_assert_int_eq(WIDTH("\xe4\xb8\xad\xe6\x96\x87"), 4);
	ck_assert_int_eq(WIDTH("\xf0\x9f\x98\x80"), 2);
	ck_assert_int_eq(WIDTH("e\xcc\x81"), 1);
	ck_assert_int_eq(WIDTH("\xef\xbf\xbd"), 1);
	ck_assert_int_eq(WIDTH(""), 0);
}
END_TEST

START_TEST(test_fit)
{
	int used = -1;

	/* "中文" in 3 columns: the second char does not fit whole. */
	ck_assert_uint_eq(hg_text_fit("\xe4\xb8\xad\xe6\x96\x87", 6, 3, &used),
	    3);
	ck_assert_int_eq(used, 2);
	ck_assert_uint_eq(hg_text_fit("ab\xe4\xb8\xad", 5, 3, &used), 2);
	ck_assert_int_eq(used, 2);
	/* The combining acute stays with its "e". */
	ck_assert_uint_eq(hg_text_fit("e\xcc\x81x", 4, 1, &used), 3);
	ck_assert_int_eq(used, 1);
	ck_assert_uint_eq(hg_text_fit("abc", 3, 0, &used), 0);
	ck_assert_int_eq(used, 0);
	ck_assert_uint_eq(hg_text_fit("abc", 3, 10, &used), 3);
	ck_assert_int_eq(used, 3);
}
END_TEST

START_TEST(test_trunc)
{
	ck_assert_str_eq(trunc_str("hello world", 8, "~"), "hello w~");
	ck_assert_str_eq(trunc_str("hello", 10, "~"), "hello");
	ck_assert_str_eq(trunc_str("abcd", 4, "~"), "abcd");
	ck_assert_str_eq(trunc_str("abcde", 4, "\xe2\x80\xa6"),
	    "abc\xe2\x80\xa6");
	/* "中文字" in 4 columns: "中" + marker; "文" is not split. */
	ck_assert_str_eq(trunc_str("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 4,
	    "\xe2\x80\xa6"), "\xe4\xb8\xad\xe2\x80\xa6");
	ck_assert_str_eq(trunc_str("e\xcc\x81" "e\xcc\x81" "e\xcc\x81", 3,
	    "~"), "e\xcc\x81" "e\xcc\x81" "e\xcc\x81");
	ck_assert_str_eq(trunc_str("e\xcc\x81" "e\xcc\x81" "e\xcc\x81x", 3,
	    "~"), "e\xcc\x81" "e\xcc\x81~");
	ck_assert_str_eq(trunc_str("abc", 0, "~"), "");
	ck_assert_str_eq(trunc_str("abc", 1, "~~"), "a");
}
END_TEST

START_TEST(test_wrap)
{
	ck_assert_str_eq(wrap_str("hello world foo", 11), "hello world |foo");
	ck_assert_str_eq(wrap_str("hello world foo", 7), "hello |world |foo");
	ck_assert_str_eq(wrap_str("hello world", 5), "hello |world");
	ck_assert_str_eq(wrap_str("abcdefghij", 4), "abcd|efgh|ij");
	ck_assert_str_eq(wrap_str("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 3),
	    "\xe4\xb8\xad|\xe6\x96\x87|\xe5\xad\x97");
	ck_assert_str_eq(wrap_str("\xe4\xb8\xad" "a", 1), "\xe4\xb8\xad|a");
	ck_assert_str_eq(wrap_str("ab", 0), "a|b");
	ck_assert_str_eq(wrap_str("ab\ncd", 10), "ab\n|cd");
	ck_assert_str_eq(wrap_str("   abc def", 6), "   abc |def");
	/* Leading indentation is not a break opportunity. */
	ck_assert_str_eq(wrap_str("  abcdefgh", 6), "  abcd|efgh");
	/* Combining marks are never separated from their base. */
	ck_assert_str_eq(wrap_str("e\xcc\x81" "e\xcc\x81" "e\xcc\x81", 2),
	    "e\xcc\x81" "e\xcc\x81|e\xcc\x81");
	ck_assert_str_eq(wrap_str("", 5), "");
}
END_TEST

/* termtext */

static void
assert_line(size_t k, const char *text)
{
	ck_assert_uint_gt(doc.n, k);
	ck_assert_str_eq(doc.lines[k].text, text);
	ck_assert_uint_eq(doc.lines[k].len, strlen(text));
}

static void
assert_span(size_t line, size_t k, size_t start, size_t len, unsigned fg,
    unsigned bg, unsigned attrs)
{
	const struct hg_tt_span *sp;

	ck_assert_uint_gt(doc.lines[line].n_spans, k);
	sp = &doc.lines[line].spans[k];
	ck_assert_uint_eq(sp->start, start);
	ck_assert_uint_eq(sp->len, len);
	ck_assert_uint_eq(sp->fg, fg);
	ck_assert_uint_eq(sp->bg, bg);
	ck_assert_uint_eq(sp->attrs, attrs);
}

START_TEST(test_tt_osc_dropped)
{
	TT("\x1b]0;pwned\x07" "text\x1b]2;pwned\x1b\\!");
	ck_assert_uint_eq(doc.n, 1);
	assert_line(0, "text!");
	ck_assert_uint_eq(doc.lines[0].n_spans, 0);
	/* A hyperlink: the link text stays, the target goes. */
	TT("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\");
	assert_line(0, "link");
}
END_TEST

START_TEST(test_tt_csi_dropped)
{
	TT("\x1b[2J\x1b[H\x1b[?25lhello\x1b[K\x1b[10;20H world\x1b(B\x1b" "7");
	ck_assert_uint_eq(doc.n, 1);
	assert_line(0, "hello world");
	TT("\x1bP1$r0m\x1b\\dcs gone");
	assert_line(0, "dcs gone");
}
END_TEST

START_TEST(test_tt_incomplete_escape_visible)
{
	TT("a\x1b");
	assert_line(0, "a^[");
	TT("\x1b\nx");
	ck_assert_uint_eq(doc.n, 2);
	assert_line(0, "^[");
	assert_line(1, "x");
	/* An OSC cut off by a newline is shown, not swallowed. */
	TT("\x1b]0;title\nnext");
	assert_line(0, "^[]0;title");
	assert_line(1, "next");
	TT("\x1b[12");
	assert_line(0, "^[[12");
}
END_TEST

START_TEST(test_tt_controls_visible)
{
	TT("a\x07" "b\x00" "c\x7f\xff");
	assert_line(0, "a^Gb^@c^?\xef\xbf\xbd");
	TT("\xe2\x80\xae" "x");
	assert_line(0, "<U+202E>x");
}
END_TEST

START_TEST(test_tt_sgr_basic)
{
	TT("\x1b[31mred\x1b[0m plain");
	assert_line(0, "red plain");
	ck_assert_uint_eq(doc.lines[0].n_spans, 1);
	assert_span(0, 0, 0, 3, 1, HG_TT_DEFAULT, 0);

	TT("\x1b[1;4;38;5;208mX\x1b[mY");
	assert_line(0, "XY");
	ck_assert_uint_eq(doc.lines[0].n_spans, 1);
	assert_span(0, 0, 0, 1, 208, HG_TT_DEFAULT,
	    HG_TT_BOLD | HG_TT_UNDERLINE);

	TT("\x1b[91;102mB\x1b[39mC\x1b[49mD");
	ck_assert_uint_eq(doc.lines[0].n_spans, 2);
	assert_span(0, 0, 0, 1, 9, 10, 0);
	assert_span(0, 1, 1, 1, HG_TT_DEFAULT, 10, 0);

	TT("\x1b[2;3;7;9mA\x1b[22;23mB\x1b[27;29mC");
	ck_assert_uint_eq(doc.lines[0].n_spans, 2);
	assert_span(0, 0, 0, 1, HG_TT_DEFAULT, HG_TT_DEFAULT,
	    HG_TT_DIM | HG_TT_ITALIC | HG_TT_REVERSE | HG_TT_STRIKE);
	assert_span(0, 1, 1, 1, HG_TT_DEFAULT, HG_TT_DEFAULT,
	    HG_TT_REVERSE | HG_TT_STRIKE);
}
END_TEST

START_TEST(test_tt_sgr_empty_params)
{
	/* "31;" is 31 then an empty (zero) parameter: reset. */
	TT("\x1b[31;mX");
	ck_assert_uint_eq(doc.lines[0].n_spans, 0);
	TT("\x1b[;31mX");
	assert_span(0, 0, 0, 1, 1, HG_TT_DEFAULT, 0);
	/* Private-marker sequences ending in 'm' are not colours. */
	TT("\x1b[>4;2mX");
	ck_assert_uint_eq(doc.lines[0].n_spans, 0);
	assert_line(0, "X");
}
END_TEST

START_TEST(test_tt_sgr_truecolor)
{
	ck_assert_uint_eq(hg_tt_rgb_to_256(255, 0, 0), 196);
	ck_assert_uint_eq(hg_tt_rgb_to_256(0, 0, 0), 16);
	ck_assert_uint_eq(hg_tt_rgb_to_256(128, 128, 128), 244);
	ck_assert_uint_eq(hg_tt_rgb_to_256(95, 135, 175), 67);

	TT("\x1b[38;2;255;0;0mR\x1b[48;2;128;128;128mG");
	assert_span(0, 0, 0, 1, 196, HG_TT_DEFAULT, 0);
	assert_span(0, 1, 1, 1, 196, 244, 0);
	/* ITU colon forms, with and without the colour-space id. */
	TT("\x1b[38:2::0:255:0mA\x1b[38:5:33mB\x1b[38:2:0:0:255mC");
	ck_assert_uint_eq(doc.lines[0].n_spans, 3);
	assert_span(0, 0, 0, 1, 46, HG_TT_DEFAULT, 0);
	assert_span(0, 1, 1, 1, 33, HG_TT_DEFAULT, 0);
	assert_span(0, 2, 2, 1, 21, HG_TT_DEFAULT, 0);
	TT("\x1b[4:3mU\x1b[4:0mV");
	ck_assert_uint_eq(doc.lines[0].n_spans, 1);
	assert_span(0, 0, 0, 1, HG_TT_DEFAULT, HG_TT_DEFAULT, HG_TT_UNDERLINE);
}
END_TEST

START_TEST(test_tt_sgr_across_lines)
{
	TT("\x1b[32mab\ncd\x1b[0m\nef");
	ck_assert_uint_eq(doc.n, 3);
	assert_span(0, 0, 0, 2, 2, HG_TT_DEFAULT, 0);
	assert_span(1, 0, 0, 2, 2, HG_TT_DEFAULT, 0);
	ck_assert_uint_eq(doc.lines[2].n_spans, 0);
	ck_assert_ptr_null(doc.lines[2].spans);
}
END_TEST

START_TEST(test_tt_span_bytes_utf8)
{
	TT("\xe4\xb8\xad\x1b[35m\xe6\x96\x87" "e\xcc\x81");
	assert_line(0, "\xe4\xb8\xad\xe6\x96\x87" "e\xcc\x81");
	assert_span(0, 0, 3, 6, 5, HG_TT_DEFAULT, 0);
}
END_TEST

START_TEST(test_tt_cr_collapse)
{
	TT("10%\r50%\r100%\n");
	ck_assert_uint_eq(doc.n, 1);
	assert_line(0, "100%");
	TT("abcdef\rXY");
	assert_line(0, "XYcdef");
	TT("a\r\nb\r\n");
	ck_assert_uint_eq(doc.n, 2);
	assert_line(0, "a");
	assert_line(1, "b");
	/* Overwriting keeps the colour of each cell. */
	TT("\x1b[31mabc\x1b[0m\rX");
	assert_line(0, "Xbc");
	assert_span(0, 0, 1, 2, 1, HG_TT_DEFAULT, 0);
}
END_TEST

START_TEST(test_tt_cr_wide)
{
	/* Half of a wide character overwritten: the other half blanks. */
	TT("\xe4\xb8\xad\rx");
	assert_line(0, "x ");
	TT("ab\r\xe4\xb8\xad");
	assert_line(0, "\xe4\xb8\xad");
	TT("a\xe4\xb8\xad\rxy");
	assert_line(0, "xy ");
	TT("abc\r\xe4\xb8\xad\xe6\x96\x87");
	assert_line(0, "\xe4\xb8\xad\xe6\x96\x87");
}
END_TEST

START_TEST(test_tt_backspace)
{
	TT("abc\b\bXY");
	assert_line(0, "aXY");
	TT("ab\b\b\bc");
	assert_line(0, "cb");
	/* Overstrike underline as in formatted man pages. */
	TT("_\bA_\bB");
	assert_line(0, "AB");
	/* A mark after a backspace joins the character left of the cursor. */
	TT("ab\b\xcc\x81");
	assert_line(0, "a\xcc\x81" "b");
}
END_TEST

START_TEST(test_tt_tabs_lines)
{
	TT("a\tb\n\tc");
	assert_line(0, "a       b");
	assert_line(1, "        c");
	TT("");
	ck_assert_uint_eq(doc.n, 0);
	TT("\n");
	ck_assert_uint_eq(doc.n, 1);
	assert_line(0, "");
	TT("a\n\x1b[0m");
	ck_assert_uint_eq(doc.n, 1);
	TT("a\n\nb");
	ck_assert_uint_eq(doc.n, 3);
	assert_line(1, "");
}
END_TEST

START_TEST(test_tt_long_progress)
{
	struct hg_buf in = { 0 };
	int i;

	/* A large progress-bar capture collapses to its final state. */
	for (i = 0; i <= 20000; i++)
		hg_buf_printf(&in, "\x1b[32m[%5d/20000]\x1b[0m\r", i);
	hg_buf_adds(&in, "\ndone\n");
	hg_tt_parse(&doc, in.p, in.len);
	ck_assert_uint_eq(doc.n, 2);
	assert_line(0, "[20000/20000]");
	assert_line(1, "done");
	hg_buf_free(&in);
}
END_TEST

/* Properties over random input */

/* Check's ck_assert records every passing assertion (a write per call),
 * far too slow for loops over thousands of inputs: assert only on failure. */
#define REQUIRE(cond, ...) \
	do { \
		if (!(cond)) \
			ck_abort_msg(__VA_ARGS__); \
	} while (0)

static uint64_t rng_state;

static uint32_t
rng(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rng_state >> 33);
}

/* Random bytes biased towards the interesting ones. */
static size_t
random_input(char *buf, size_t max)
{
	static const char *const frags[] = {
		"\x1b", "\x1b[", "\x1b]0;", "\x07", "\x1b\\", "\r", "\n", "\b",
		"\t", "\x00", "\x7f", "\xc2\x85", "\xc2\x9b", "\xe2\x80\xae",
		"\xe4\xb8\xad", "\xf0\x9f\x98\x80", "\xcc\x81", "\xe2\x80\xa8",
		"\xed\xa0\x80", "\xf4\x90", "\xff", "m", ";", "38;2;", "5;",
		"1", " ", "ab", "\xef\xbf\xbe", "\xd8\x9c",
	};
	size_t n = rng() % max, i = 0, k, len;

	while (i < n) {
		if (rng() % 2) {
			buf[i++] = (char)(rng() & 0xFF);
			continue;
		}
		k = rng() % HG_ARRAY_SIZE(frags);
		len = k == 9 ? 1 : strlen(frags[k]);
		if (i + len > n)
			break;
		memcpy(buf + i, frags[k], len);
		i += len;
	}
	return i;
}

/* Checks the properties every displayed string must have; independent of
 * the decoder under test (uses mbrtowc). Returns the width. */
static int
check_display_text(const char *s, size_t n, int allow_newline)
{
	mbstate_t st;
	size_t i = 0, k;
	wchar_t wc;
	int width = 0, w;

	memset(&st, 0, sizeof(st));
	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		REQUIRE(c >= 0x20 || (c == '\n' && allow_newline),
		    "control byte 0x%02x in output", c);
		REQUIRE(c != 0x7f, "DEL in output");
		k = mbrtowc(&wc, s + i, n - i, &st);
		REQUIRE(k != (size_t)-1 && k != (size_t)-2,
		    "invalid UTF-8 in output at %zu", i);
		if (k == 0)
			k = 1;
		REQUIRE(!(wc >= 0x80 && wc < 0xA0), "C1 in output");
		REQUIRE(!(wc >= 0xD800 && wc < 0xE000), "surrogate");
		REQUIRE(wc != 0x202E && wc != 0x2066, "bidi in output");
		if (wc != '\n') {
			w = wcwidth(wc);
			REQUIRE(w >= 0, "unmeasurable U+%04X", (unsigned)wc);
			width += w;
		}
		i += k;
	}
	return width;
}

START_TEST(test_prop_sanitize)
{
	static const unsigned flagset[] = {
		0, HG_SAN_NEWLINES, HG_SAN_TABS, HG_SAN_NEWLINES | HG_SAN_TABS
	};
	char in[256];
	size_t n, f;
	int i, w;

	rng_state = 12345;
	for (i = 0; i < 3000; i++) {
		n = random_input(in, sizeof(in));
		for (f = 0; f < HG_ARRAY_SIZE(flagset); f++) {
			hg_buf_reset(&sbuf);
			hg_sanitize(&sbuf, in, n, flagset[f]);
			w = check_display_text(sbuf.p, sbuf.len,
			    flagset[f] & HG_SAN_NEWLINES);
			if (!(flagset[f] & HG_SAN_NEWLINES))
				REQUIRE(hg_text_width(sbuf.p, sbuf.len) == w, "width differs");
		}
	}
}
END_TEST

static void
check_wrap_props(const char *s, size_t n, int cols)
{
	size_t k, e;

	while (n > 0) {
		k = hg_text_wrap_next(s, n, cols);
		REQUIRE(k > 0 && k <= n, "wrap returned %zu of %zu", k, n);
		REQUIRE(!memchr(s, '\n', k - 1), "newline inside a segment");
		/* Without its blank tail a segment fits, unless it is a
		 * single character wider than the whole width. */
		for (e = k; e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\n'); e--)
			;
		if (hg_text_width(s, e) > cols)
			REQUIRE(hg_text_fit(s, e, cols, NULL) == 0,
			    "segment wider than %d columns", cols);
		s += k;
		n -= k;
	}
}

START_TEST(test_prop_fit_wrap)
{
	struct hg_buf t = { 0 };
	char in[256];
	size_t n, k;
	int i, cols, used;

	rng_state = 777;
	for (i = 0; i < 3000; i++) {
		n = random_input(in, sizeof(in));
		hg_buf_reset(&t);
		hg_sanitize(&t, in, n, HG_SAN_TABS | (i % 2 ? HG_SAN_NEWLINES : 0));
		cols = (int)(rng() % 12);
		k = hg_text_fit(t.p, t.len, cols, &used);
		REQUIRE(used <= cols && hg_text_width(t.p, k) == used,
		    "fit used %d of %d", used, cols);
		check_display_text(t.p, k, 1);	/* never splits a char */
		check_wrap_props(t.p, t.len, cols);
		hg_buf_reset(&sbuf);
		hg_text_trunc(&sbuf, t.p, t.len, cols, "\xe2\x80\xa6");
		REQUIRE(hg_text_width(sbuf.p, sbuf.len) <= cols, "trunc too wide");
		check_display_text(sbuf.p, sbuf.len, 1);
	}
	hg_buf_free(&t);
}
END_TEST

static void
check_doc_props(void)
{
	size_t k, j, end;
	const struct hg_tt_line *l;

	for (k = 0; k < doc.n; k++) {
		l = &doc.lines[k];
		REQUIRE(strlen(l->text) == l->len, "line length");
		check_display_text(l->text, l->len, 0);
		end = 0;
		for (j = 0; j < l->n_spans; j++) {
			REQUIRE(l->spans[j].start >= end && l->spans[j].len > 0,
			    "spans overlap or are empty");
			end = l->spans[j].start + l->spans[j].len;
			REQUIRE(end <= l->len, "span past the line");
			/* Span edges fall on character starts. */
			if (end < l->len)
				REQUIRE(((unsigned char)l->text[end] & 0xC0) != 0x80,
				    "span ends inside a character");
			REQUIRE(((unsigned char)l->text[l->spans[j].start] &
			    0xC0) != 0x80, "span starts inside a character");
			REQUIRE(l->spans[j].fg <= HG_TT_DEFAULT &&
			    l->spans[j].bg <= HG_TT_DEFAULT, "bad colour");
		}
	}
}

START_TEST(test_prop_termtext)
{
	char in[256];
	size_t n;
	int i;

	rng_state = 4242;
	for (i = 0; i < 5000; i++) {
		n = random_input(in, sizeof(in));
		hg_tt_parse(&doc, in, n);
		check_doc_props();
	}
}
END_TEST

static void
teardown(void)
{
	hg_tt_free(&doc);
	hg_buf_free(&sbuf);
}

static Suite *
sanitize_suite(void)
{
	Suite *s = suite_create("sanitize");
	TCase *tc;

	tc = tcase_create("sanitize");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_osc_title_visible);
	tcase_add_test(tc, test_clear_screen_visible);
	tcase_add_test(tc, test_c0_del_nul);
	tcase_add_test(tc, test_c1_escaped);
	tcase_add_test(tc, test_invalid_utf8);
	tcase_add_test(tc, test_bidi_neutralised);
	tcase_add_test(tc, test_unprintable_to_fffd);
	tcase_add_test(tc, test_wide_kept);
	tcase_add_test(tc, test_newlines);
	tcase_add_test(tc, test_tabs);
	suite_add_tcase(s, tc);

	tc = tcase_create("width");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_widths);
	tcase_add_test(tc, test_fit);
	tcase_add_test(tc, test_trunc);
	tcase_add_test(tc, test_wrap);
	suite_add_tcase(s, tc);

	tc = tcase_create("termtext");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_tt_osc_dropped);
	tcase_add_test(tc, test_tt_csi_dropped);
	tcase_add_test(tc, test_tt_incomplete_escape_visible);
	tcase_add_test(tc, test_tt_controls_visible);
	tcase_add_test(tc, test_tt_sgr_basic);
	tcase_add_test(tc, test_tt_sgr_empty_params);
	tcase_add_test(tc, test_tt_sgr_truecolor);
	tcase_add_test(tc, test_tt_sgr_across_lines);
	tcase_add_test(tc, test_tt_span_bytes_utf8);
	tcase_add_test(tc, test_tt_cr_collapse);
	tcase_add_test(tc, test_tt_cr_wide);
	tcase_add_test(tc, test_tt_backspace);
	tcase_add_test(tc, test_tt_tabs_lines);
	tcase_add_test(tc, test_tt_long_progress);
	suite_add_tcase(s, tc);

	tc = tcase_create("properties");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_prop_sanitize);
	tcase_add_test(tc, test_prop_fit_wrap);
	tcase_add_test(tc, test_prop_termtext);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	if (!setlocale(LC_ALL, "C.UTF-8")) {
		fprintf(stderr, "check_sanitize: no C.UTF-8 locale\n");
		return 77;	/* automake: skipped */
	}
	sr = srunner_create(sanitize_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
