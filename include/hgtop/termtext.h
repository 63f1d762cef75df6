/* termtext.h - terminal output (runner_output) as styled display lines.
 *
 * Interprets captured terminal output the way a terminal would show it,
 * without a terminal: SGR colour and attribute sequences become spans, '\r'
 * returns to column 0 so later text overwrites (progress bars collapse to
 * their final state), '\b' moves one column left, tabs go to 8-column stops.
 * Every other escape sequence (cursor movement, screen clearing, OSC title
 * changes, DCS, ...) is dropped. Remaining control characters and malformed
 * UTF-8 are shown visibly via hg_sanitize(), so line text is always safe to
 * draw. An ESC that does not start a complete sequence is shown as "^[".
 * No ncurses here. */
#ifndef HGTOP_TERMTEXT_H
#define HGTOP_TERMTEXT_H

#include <stddef.h>
#include <stdint.h>

/* Colours: 0-7 standard, 8-15 bright, 16-231 the 6x6x6 cube, 232-255 the
 * grey ramp (xterm-256 numbering). 24-bit colours are mapped to the nearest
 * index. HG_TT_DEFAULT is the terminal's default colour. */
#define HG_TT_DEFAULT	256

/* Attribute bits. */
#define HG_TT_BOLD	0x01u
#define HG_TT_DIM	0x02u
#define HG_TT_ITALIC	0x04u
#define HG_TT_UNDERLINE	0x08u
#define HG_TT_REVERSE	0x10u
#define HG_TT_STRIKE	0x20u

/* A styled run of line text: bytes [start, start + len) of hg_tt_line.text.
 * Spans are sorted, never overlap, never split a character and only exist
 * for non-default styles: bytes not covered are drawn in the default style. */
struct hg_tt_span {
	size_t start, len;
	uint16_t fg, bg;	/* 0-255 or HG_TT_DEFAULT */
	uint16_t attrs;		/* HG_TT_* bits */
};

/* One display line: sanitized UTF-8 (no '\n', no control characters, tabs
 * expanded), NUL-terminated, len bytes. */
struct hg_tt_line {
	char *text;
	size_t len;
	struct hg_tt_span *spans;
	size_t n_spans;
};

/* The parsed document. lines[] point into storage the doc owns; release it
 * all with hg_tt_free(). A zero-initialised doc is empty and valid. */
struct hg_tt_doc {
	struct hg_tt_line *lines;
	size_t n;
	char *text_store;		/* private */
	struct hg_tt_span *span_store;	/* private */
};

/*
 * Parse s[0..n) into doc, which must be zero-initialised or hold an earlier
 * parse (that content is freed first). A final line without '\n' still
 * counts; a trailing '\n' (or trailing escapes after it) does not start an
 * empty last line. "\r\n" and "\n" end a line; the colour state carries
 * over to the next line as it would on a terminal. Linear in n.
 */
void hg_tt_parse(struct hg_tt_doc *doc, const char *s, size_t n);
void hg_tt_free(struct hg_tt_doc *doc);

/* Nearest xterm-256 colour index (16-255) of a 24-bit colour. */
uint8_t hg_tt_rgb_to_256(uint8_t r, uint8_t g, uint8_t b);

#endif
