/* sanitize.h - make untrusted log text safe to show, and measure it.
 *
 * Every string that comes from a session log passes through hg_sanitize()
 * before it reaches the terminal or stdout. The result is valid UTF-8 with
 * no C0/C1 control characters, no DEL and no bidirectional controls: those
 * are rendered visibly instead, so a log line can neither move the cursor,
 * retitle the terminal, nor reorder what is on screen.
 *
 * Widths are display columns as wcwidth(3) reports them, so the program must
 * run under a UTF-8 LC_CTYPE (setlocale(LC_ALL, "") with a UTF-8 locale, or
 * "C.UTF-8"). Under a non-UTF-8 locale every non-ASCII character is treated
 * as unprintable and becomes U+FFFD. */
#ifndef HGTOP_SANITIZE_H
#define HGTOP_SANITIZE_H

#include <stddef.h>
#include <stdint.h>

#include "hgtop/util.h"

/* Flags for hg_sanitize(). */
#define HG_SAN_NEWLINES	0x1u	/* keep '\n' as a line break (else "↵") */
#define HG_SAN_TABS	0x2u	/* expand '\t' to 8-column stops (else ' ') */

#define HG_TAB_WIDTH	8

/* Returned by hg_utf8_decode() for a malformed sequence. */
#define HG_UTF8_INVALID	0xFFFFFFFFu

/*
 * Append the safe rendering of s[0..n) to out. Replacements:
 *   valid printable UTF-8            kept as is
 *   C0 control, NUL                  caret notation: "^[" (ESC), "^G", "^@"
 *   DEL                              "^?"
 *   C1 control U+0080..U+009F        "\u0085" (backslash escape, 6 columns)
 *   bidi controls (U+202A..202E,     "<U+202E>"
 *     U+2066..2069, U+200E/F, U+061C)
 *   the bytes C0 80 (a NUL character  "␀" (U+2400), "\0" outside a UTF-8
 *     of a log's string, values.h)     locale
 *   malformed UTF-8                  one U+FFFD per maximal bad subsequence
 *   other unprintable code points    U+FFFD
 *   '\n'                             kept with HG_SAN_NEWLINES, else "↵"
 *   '\t'                             spaces to the next tab stop with
 *                                    HG_SAN_TABS (columns counted from the
 *                                    start of s and of each kept line), else
 *                                    one space
 * Linear in n; s may contain NUL bytes.
 */
void hg_sanitize(struct hg_buf *out, const char *s, size_t n, unsigned flags);

/*
 * Decode one UTF-8 character from s[0..n), n > 0. Returns the bytes consumed
 * (>= 1) and stores the code point, or HG_UTF8_INVALID for a malformed
 * sequence (overlong, surrogate, > U+10FFFF, truncated). A malformed sequence
 * consumes its maximal valid prefix, or one byte, as Unicode recommends.
 */
size_t hg_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Display width of one code point: wcwidth(), with < 0 counted as 1. */
int hg_text_char_width(uint32_t cp);

/* Display width of already-sanitized text (sum of hg_text_char_width). */
int hg_text_width(const char *s, size_t n);

/*
 * Bytes of s[0..n) that fit in cols columns without splitting a character:
 * a wide character that does not fit is left out whole, and zero-width
 * characters (combining marks) stay with the character before them. Stores
 * the columns actually used in *used when used is not NULL.
 */
size_t hg_text_fit(const char *s, size_t n, int cols, int *used);

/*
 * Append s[0..n) to out, fitted to cols columns. When s is wider than cols
 * it is cut and marker (e.g. "~" or "…") is appended; marker plus the kept
 * text never exceed cols (the result may be one column short when a wide
 * character had to go). If marker itself does not fit it is left out.
 */
void hg_text_trunc(struct hg_buf *out, const char *s, size_t n, int cols,
    const char *marker);

/*
 * Word wrap by display columns: the byte length of the next line of s[0..n)
 * when wrapping at cols columns. Breaks after the last space that fits when
 * there is one (the segment then includes the run of spaces at the break,
 * which may reach past cols: they are blank, so draw the segment through
 * hg_text_fit), otherwise at a character boundary. A '\n' ends a segment and
 * is included in it (do not draw it). Always returns at least one character
 * when n > 0, so a loop
 *	while (n > 0) { k = hg_text_wrap_next(s, n, cols); ...; s += k; n -= k; }
 * terminates even for cols <= 0 or characters wider than cols.
 */
size_t hg_text_wrap_next(const char *s, size_t n, int cols);

/*
 * Print "hgtop: " and the formatted message on stderr, followed by a
 * newline. The whole message goes through hg_sanitize(), so a path or name
 * in it (a file name is untrusted text) cannot reach the terminal raw.
 */
void hg_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
