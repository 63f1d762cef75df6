/* ui_draw.h - the terminal: colour roles, glyphs, and drawing of
 * untrusted text.
 *
 *   ui_display.c  terminal init/teardown, colour roles, glyphs
 *   ui_draw.c     safe text output clipped by display columns, pane
 *                 titles, and the search highlight overlay
 *
 * Every string from a log reaches the screen through ui_put*() (sanitized,
 * fitted to its columns without splitting a character). */
#ifndef HGTOP_UI_DRAW_H
#define HGTOP_UI_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hgtop/util.h"

struct hg_search_pattern;

/* Colour roles: name, foreground, background, extra attributes in colour,
 * attributes in monochrome. -1 is the terminal's default colour. */
#define UI_ROLES(R) \
	R(NORMAL,    -1,            -1,         0,         0) \
	R(HEADER,    COLOR_BLACK,   COLOR_CYAN, 0,         A_REVERSE) \
	R(TITLE,     COLOR_BLACK,   COLOR_WHITE, 0,        A_REVERSE) \
	R(TITLE_FOC, COLOR_BLACK,   COLOR_CYAN, A_BOLD,    A_REVERSE | A_BOLD) \
	R(STATUS,    -1,            -1,         0,         0) \
	R(KEY,       COLOR_CYAN,    -1,         A_BOLD,    A_BOLD) \
	R(DIM,       COLOR_BLUE,    -1,         A_BOLD,    A_DIM) \
	R(ACCEPT,    COLOR_GREEN,   -1,         0,         0) \
	R(ESCALATE,  COLOR_YELLOW,  -1,         0,         0) \
	R(ERROR,     COLOR_RED,     -1,         A_BOLD,    A_BOLD) \
	R(LOCAL,     COLOR_CYAN,    -1,         0,         0) \
	R(SUBAGENT,  COLOR_MAGENTA, -1,         0,         0) \
	R(MANAGED,   COLOR_BLUE,    -1,         A_BOLD,    0) \
	R(LIVE,      COLOR_GREEN,   -1,         A_BOLD,    A_BOLD) \
	R(GONE,      COLOR_RED,     -1,         0,         A_DIM) \
	R(NOTE,      COLOR_YELLOW,  -1,         0,         A_UNDERLINE) \
	R(FIELD,     COLOR_CYAN,    -1,         0,         A_BOLD) \
	R(MATCH,     COLOR_BLACK,   COLOR_YELLOW, 0,       A_UNDERLINE) \
	R(MSG_ERR,   COLOR_WHITE,   COLOR_RED,  A_BOLD,    A_BOLD | A_REVERSE) \
	R(FOLLOW,    COLOR_BLACK,   COLOR_GREEN, A_BOLD,   A_BOLD) \
	R(PAUSED,    COLOR_BLACK,   COLOR_YELLOW, A_BOLD,  A_BOLD)

enum ui_role {
#define UI_ROLE_ENUM(name, fg, bg, ca, ma) UI_ROLE_##name,
	UI_ROLES(UI_ROLE_ENUM)
#undef UI_ROLE_ENUM
	UI_ROLE_N
};

/* Glyphs with their ASCII fallbacks. */
struct ui_glyphs {
	const char *closed, *open, *arrow, *note, *vline, *live, *gone, *ellipsis;
	const char *check, *cross, *hline;
};

/* A rectangle of the screen. */
struct ui_rect {
	int y, x, h, w;
};

/* ui_display.c */
extern const struct ui_glyphs *ui_g;
extern bool ui_utf8;
int ui_display_init(bool no_color);
void ui_display_done(void);
int ui_attr(enum ui_role role);
int ui_tt_attr(uint16_t fg, uint16_t bg, uint16_t attrs);
int ui_display_fd(void);

/* ui_draw.c */
int ui_put_safe(int y, int x, int w, const char *s, size_t n, int attr);
int ui_put(int y, int x, int w, const char *s, int attr);
int ui_put_fit(int y, int x, int w, const char *s, size_t n, int attr);
void ui_fill(int y, int x, int w, int attr);
void ui_sanitize_line(struct hg_buf *out, const char *s, size_t n);
int ui_verdict_role(uint8_t verdict);
int ui_tier_role(uint8_t tier);
/* V with thousands separators in BUF (hg_fmt_count), returned for printf. */
const char *ui_count(char *buf, size_t n, size_t v);
/* A title bar: TEXT on the left, RIGHT (may be NULL) on the right. */
void ui_draw_title(const struct ui_rect *r, const char *text, const char *right, bool focused);

/* The text searched for, highlighted wherever it is drawn (NULL: none). */
void ui_mark_set(const struct hg_search_pattern *p);
const struct hg_search_pattern *ui_mark_get(void);
/* Overlay the matches in s[0..n) drawn at (y, x) in w columns. */
void ui_mark(int y, int x, int w, const char *s, size_t n);
/* Overlay the matches in text[from, to) of a line, drawn from column x
 * and stopping at column end. */
void ui_mark_line(int y, int x, int end, const char *text, size_t n, size_t from, size_t to);
void ui_mark_free(void);

#endif
