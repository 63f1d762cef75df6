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

/* Colours and attributes of the roles, without curses: the configuration
 * (config.c, in the core) names them, ui_display.c gives them to curses.
 * Colours are 0-255 (0-7 as below) or UI_C_DEFAULT, the terminal's. */
#define UI_C_DEFAULT	(-1)
#define UI_C_BLACK	0
#define UI_C_RED	1
#define UI_C_GREEN	2
#define UI_C_YELLOW	3
#define UI_C_BLUE	4
#define UI_C_MAGENTA	5
#define UI_C_CYAN	6
#define UI_C_WHITE	7
#define UI_A_BOLD	0x01u
#define UI_A_DIM	0x02u
#define UI_A_UNDERLINE	0x04u
#define UI_A_REVERSE	0x08u
#define UI_A_STANDOUT	0x10u

/* Colour roles: name, foreground, background, extra attributes in colour,
 * attributes in monochrome. A configuration file may change the colours
 * and colour attributes (color lines); monochrome stays as here. */
#define UI_ROLES(R) \
	R(NORMAL,     UI_C_DEFAULT,  UI_C_DEFAULT,  0,          0) \
	R(HEADER,     UI_C_BLACK,    UI_C_CYAN,     0,          UI_A_REVERSE) \
	R(TITLE,      UI_C_BLACK,    UI_C_WHITE,    0,          UI_A_REVERSE) \
	R(TITLE_FOC,  UI_C_BLACK,    UI_C_CYAN,     UI_A_BOLD,  UI_A_REVERSE | UI_A_BOLD) \
	R(STATUS,     UI_C_DEFAULT,  UI_C_DEFAULT,  0,          0) \
	R(KEY,        UI_C_CYAN,     UI_C_DEFAULT,  UI_A_BOLD,  UI_A_BOLD) \
	R(DIM,        UI_C_BLUE,     UI_C_DEFAULT,  UI_A_BOLD,  UI_A_DIM) \
	R(ACCEPT,     UI_C_GREEN,    UI_C_DEFAULT,  0,          0) \
	R(ESCALATE,   UI_C_YELLOW,   UI_C_DEFAULT,  0,          0) \
	R(ERROR,      UI_C_RED,      UI_C_DEFAULT,  UI_A_BOLD,  UI_A_BOLD) \
	R(LOCAL,      UI_C_CYAN,     UI_C_DEFAULT,  0,          0) \
	R(SUBAGENT,   UI_C_MAGENTA,  UI_C_DEFAULT,  0,          0) \
	R(MANAGED,    UI_C_BLUE,     UI_C_DEFAULT,  UI_A_BOLD,  0) \
	R(LIVE,       UI_C_GREEN,    UI_C_DEFAULT,  UI_A_BOLD,  UI_A_BOLD) \
	R(GONE,       UI_C_RED,      UI_C_DEFAULT,  0,          UI_A_DIM) \
	R(NOTE,       UI_C_YELLOW,   UI_C_DEFAULT,  0,          UI_A_UNDERLINE) \
	R(FIELD,      UI_C_CYAN,     UI_C_DEFAULT,  0,          UI_A_BOLD) \
	R(MATCH,      UI_C_BLACK,    UI_C_YELLOW,   0,          UI_A_UNDERLINE) \
	R(MSG_ERR,    UI_C_WHITE,    UI_C_RED,      UI_A_BOLD,  UI_A_BOLD | UI_A_REVERSE) \
	R(FOLLOW,     UI_C_BLACK,    UI_C_GREEN,    UI_A_BOLD,  UI_A_BOLD) \
	R(PAUSED,     UI_C_BLACK,    UI_C_YELLOW,   UI_A_BOLD,  UI_A_BOLD)

enum ui_role {
#define UI_ROLE_ENUM(name, fg, bg, ca, ma) UI_ROLE_##name,
	UI_ROLES(UI_ROLE_ENUM)
#undef UI_ROLE_ENUM
	UI_ROLE_N
};

/* The role of an attempt verdict (enum hg_verdict); in the core, as the
 * detail pane's lines carry roles. */
int ui_verdict_role(uint8_t verdict);

/* Glyphs with their ASCII fallbacks. */
struct ui_glyphs {
	const char *closed, *open, *arrow, *note, *vline, *live, *gone, *ellipsis;
	const char *check, *cross, *hline;
	const char *arrow_short;	/* between abbreviated tiers: L→S→M */
	const char *unverified;		/* an attempt not verified (check: verified) */
};

/* A rectangle of the screen. */
struct ui_rect {
	int y, x, h, w;
};

/* ui_display.c */
extern const struct ui_glyphs *ui_g;
extern bool ui_utf8;
struct hg_config;
/* With the colours, the colour roles and the mouse setting of CFG. */
int ui_display_init(const struct hg_config *cfg);
void ui_display_done(void);
int ui_attr(enum ui_role role);
int ui_tt_attr(uint16_t fg, uint16_t bg, uint16_t attrs);
int ui_display_fd(void);
/* Hand the terminal to a child program and take it back (ui_external.c). */
void ui_display_handover(void);
void ui_display_resume(void);
int ui_display_out_fd(void);
/* Write S[0..N) to the terminal as it is (an OSC 52 sequence). */
int ui_display_write(const char *s, size_t n);
/* Mouse capture on or off (off leaves the mouse to the terminal). */
void ui_display_mouse(bool on);

/* ui_draw.c */
int ui_put_safe(int y, int x, int w, const char *s, size_t n, int attr);
int ui_put(int y, int x, int w, const char *s, int attr);
int ui_put_fit(int y, int x, int w, const char *s, size_t n, int attr);
void ui_fill(int y, int x, int w, int attr);
void ui_sanitize_line(struct hg_buf *out, const char *s, size_t n);
int ui_tier_role(uint8_t tier);
/* V with thousands separators in BUF (hg_fmt_count), returned for printf. */
const char *ui_count(char *buf, size_t n, size_t v);
/* A title bar: TEXT on the left, RIGHT (may be NULL) on the right. */
void ui_draw_title(const struct ui_rect *r, const char *text, const char *right, bool focused);

/* The text searched for, highlighted wherever it is drawn (NULL: none). */
void ui_mark_set(const struct hg_search_pattern *p);
const struct hg_search_pattern *ui_mark_get(void);
/* Changes whenever the text searched for does. */
unsigned ui_mark_serial(void);
/* Overlay the matches in s[0..n) drawn at (y, x) in w columns. */
void ui_mark(int y, int x, int w, const char *s, size_t n);
/* Overlay the matches in text[from, to) of a line, drawn from column x
 * and stopping at column end. */
void ui_mark_line(int y, int x, int end, const char *text, size_t n, size_t from, size_t to);
void ui_mark_free(void);

#endif
