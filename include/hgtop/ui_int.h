/* ui_int.h - state shared by the modules of the interactive browser.
 *
 * The browser is one struct hg_ui: the catalog and its watcher, the
 * session order, the rows of the selected session, one position per pane,
 * the cached detail of the selected row, and the prompt. Modules:
 *   ui_display.c  terminal init/teardown, colour roles, glyphs
 *   ui_keys.c     the request/key table (help and docs come from it)
 *   ui_draw.c     safe text output clipped by display columns
 *   ui_layout.c   pane geometry, the header and status line
 *   ui_list.c     the session list
 *   ui_tree.c     the entry tree
 *   ui_detail.c   the detail pane
 *   ui_help.c     the help screen
 *   ui_prompt.c   the one-line editor
 *   ui_actions.c  search, filters, stats, annotations (request entry points)
 *   ui_filter.c   the filter: prompt, quick filters, match caches
 *   ui_stats.c    the stats view and the header meter
 *   ui_annotate.c the annotation prompt and the per-session note index
 *   ui_loop.c     hg_ui_run: the poll() loop, ingest, signals, requests */
#ifndef HGTOP_UI_INT_H
#define HGTOP_UI_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "hgtop/annotate.h"
#include "hgtop/catalog.h"
#include "hgtop/options.h"
#include "hgtop/rows.h"
#include "hgtop/termtext.h"
#include "hgtop/ui_keys.h"
#include "hgtop/util.h"
#include "hgtop/watch.h"

struct hg_demo;
struct ui_prompt;

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

enum ui_pane { UI_LIST = 0, UI_TREE, UI_DETAIL, UI_NPANES };

/* One scroll position per pane: top row, cursor row, horizontal column. */
struct ui_pos {
	size_t offset;
	size_t lineno;
	int col;
};

struct ui_rect {
	int y, x, h, w;
};

struct ui_layout {
	bool too_small;
	bool wide;
	struct ui_rect header, meter, list, tree, detail, status;
	struct ui_rect list_title, tree_title, detail_title;
};

/* Which entries of a session match the filter (ui_filter.c): one bool per
 * entry, filled incrementally as entries arrive. */
struct ui_fcache {
	bool *match;
	size_t cap;
	size_t done;		/* entries looked at */
	size_t hits;		/* matching entries that are not unparsable */
	unsigned serial;	/* filter it was computed for */
	unsigned generation;	/* session->generation */
};

/* Per-session state kept in session->user (owned by the UI). */
struct ui_sess {
	struct ui_fcache fc;
	struct hg_ann_index notes;	/* annotations by target */
	size_t meter_done;		/* entries counted in the header meter */
	unsigned meter_gen;		/* session->generation they came from */
	struct hg_expand expand;
	size_t sel_entry;	/* tree cursor to restore when coming back */
	int32_t sel_attempt;
	bool has_sel;
	bool queued;		/* in hg_ui.queue, waiting to be read */
	bool listed;		/* in hg_ui.order */
	bool loaded;		/* read to the end once */
	int64_t grew_ns;	/* when entries last arrived after loading */
	bool more;		/* the last read stopped at the chunk limit */
};

/* A logical line of the detail pane: text owned by the cache, spans may
 * point into a termtext document the cache owns. */
struct ui_dline {
	char *text;
	size_t len;
	const struct hg_tt_span *spans;
	size_t n_spans;
	int indent;		/* columns before the text */
	int role;		/* enum ui_role for unstyled text */
	int label_len;		/* bytes of a leading label drawn in FIELD */
};

/* A screen line of the detail pane: part of one logical line. */
struct ui_vline {
	size_t line;
	size_t start, len;
	bool first;
};

struct ui_detail {
	const struct hg_session *s;
	unsigned generation;
	int64_t line_no;
	int32_t attempt;
	bool valid;
	struct ui_dline *lines;
	size_t n, cap;
	struct hg_tt_doc *docs;	/* runner_output documents (owned) */
	size_t n_docs;
	struct ui_vline *vis;
	size_t n_vis, cap_vis;
	int vis_width;
	bool vis_wrap;
	int max_width;		/* widest logical line, for horizontal scroll */
};

/* Handler results: what the loop must do after a request. */
#define UI_R_NONE	0x00u
#define UI_R_DRAW	0x01u	/* redraw the screen */
#define UI_R_LAYOUT	0x02u	/* recompute pane geometry first */
#define UI_R_ROWS	0x04u	/* rebuild the tree rows (filter/expansion) */
#define UI_R_SORT	0x08u	/* re-sort the session list */
#define UI_R_QUIT	0x10u

struct hg_ui {
	const struct hg_options *o;
	struct hg_catalog *c;
	const char *title;
	struct hg_demo *demo;
	struct hg_spool *spool;	/* "hgtop -": stdin copied as it arrives */
	struct hg_watch *w;
	struct hg_watch_events ev;

	struct hg_session **order;	/* sessions, newest activity first */
	size_t n_order;
	struct hg_session *sel;		/* selected session (not owned) */
	bool list_touched;		/* the user chose a session */

	struct hg_rows rows;
	struct hg_row_filter rf;

	struct ui_pos pos[UI_NPANES];
	enum ui_pane focus;
	struct ui_layout lay;
	struct ui_detail detail;
	bool wrap;

	bool follow;			/* F: on */
	bool paused;			/* follow on, but the user scrolled up */

	bool help;
	size_t help_off;
	struct ui_prompt *prompt;	/* active prompt or NULL */

	char msg[512];
	bool msg_err;
	int64_t msg_until_ns;

	/* Loading. */
	struct hg_session **queue;	/* sessions with more to read */
	size_t n_queue, cap_queue;
	bool loading;

	unsigned pending;		/* UI_R_* accumulated, not yet acted on */
	int64_t last_draw_ns;
	int sig_pipe[2];
	FILE *keylog;
	int64_t start_ns;
	bool first_screen_logged;
	bool quit;

	/* For the action modules (filter, search, stats, annotations). */
	bool stats;			/* the stats view replaces tree and detail */
	void *stats_state;
	void *note_state;
	void *filter_state;
	void *search_state;
	const char *filter_text;	/* shown in the header, NULL when none */
};

/* ui_display.c */
extern const struct ui_glyphs *ui_g;
extern bool ui_utf8;
int ui_display_init(bool no_color);
void ui_display_done(void);
int ui_attr(enum ui_role role);
int ui_tt_attr(uint16_t fg, uint16_t bg, uint16_t attrs);
int ui_display_fd(void);

/* ui_draw.c: every string from a log is drawn through these. */
int ui_put_safe(int y, int x, int w, const char *s, size_t n, int attr);
int ui_put(int y, int x, int w, const char *s, int attr);
int ui_put_fit(int y, int x, int w, const char *s, size_t n, int attr);
void ui_fill(int y, int x, int w, int attr);
void ui_sanitize_line(struct hg_buf *out, const char *s, size_t n);
int ui_verdict_role(uint8_t verdict);
/* V with thousands separators in BUF (hg_fmt_count), returned for printf. */
const char *ui_count(char *buf, size_t n, size_t v);
int ui_tier_role(uint8_t tier);

/* ui_layout.c */
void ui_layout_compute(struct hg_ui *u);
void ui_draw_header(struct hg_ui *u);
void ui_draw_status(struct hg_ui *u);
void ui_draw_title(const struct ui_rect *r, const char *text, const char *right, bool focused);
int ui_pane_height(const struct hg_ui *u, enum ui_pane p);
void ui_message(struct hg_ui *u, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ui_list.c */
void ui_list_sort(struct hg_ui *u);
void ui_list_draw(struct hg_ui *u);
void ui_list_select(struct hg_ui *u, size_t i);
int64_t ui_session_activity_ns(const struct hg_session *s);
bool ui_session_live(struct hg_session *s);

/* ui_tree.c */
struct ui_sess *ui_sess_of(struct hg_session *s);
void ui_sess_free(struct hg_session *s);
void ui_tree_sync(struct hg_ui *u, bool rebuild);
void ui_tree_draw(struct hg_ui *u);
unsigned ui_tree_expand(struct hg_ui *u, int how);
unsigned ui_tree_expand_all(struct hg_ui *u, bool on);
void ui_tree_remember(struct hg_ui *u);
const struct hg_row *ui_tree_current(const struct hg_ui *u);

/* ui_detail.c */
void ui_detail_draw(struct hg_ui *u);
void ui_detail_invalidate(struct hg_ui *u);
void ui_detail_free(struct ui_detail *d);
size_t ui_detail_lines(struct hg_ui *u);

/* ui_help.c */
void ui_help_draw(struct hg_ui *u);
unsigned ui_help_key(struct hg_ui *u, int req);

/* ui_loop.c: movement shared by panes. */
void ui_clamp(struct ui_pos *p, size_t n, int height);
size_t ui_pane_rows(struct hg_ui *u, enum ui_pane p);

/* ui_filter.c */
void ui_filter_init(struct hg_ui *u);
void ui_filter_done(struct hg_ui *u);
const struct hg_filter *ui_filter_get(const struct hg_ui *u);
unsigned ui_filter_serial(const struct hg_ui *u);
void ui_filter_update(struct hg_ui *u, struct hg_session *s);
bool ui_filter_counts(struct hg_ui *u, struct hg_session *s, size_t *hits, size_t *total);
bool ui_filter_highlight(const struct hg_ui *u, const struct hg_entry *e, const struct hg_row *row);
void ui_filter_sess_free(struct ui_sess *us);
void ui_prefetch_attempts(const struct hg_entry *e);

/* ui_stats.c */
void ui_stats_init(struct hg_ui *u);
void ui_stats_done(struct hg_ui *u);
void ui_stats_draw(struct hg_ui *u);
unsigned ui_stats_key(struct hg_ui *u, int req);
void ui_stats_meter(struct hg_ui *u, const struct ui_rect *r);
bool ui_stats_busy(const struct hg_ui *u);
void ui_stats_step(struct hg_ui *u);

/* ui_annotate.c */
void ui_annotate_init(struct hg_ui *u);
void ui_annotate_done(struct hg_ui *u);
bool ui_notes_sync(struct hg_ui *u, struct hg_session *s);

/* ui_search.c: incremental search (the actions are below). */
void ui_search_done(struct hg_ui *u);
bool ui_search_busy(const struct hg_ui *u);
void ui_search_step(struct hg_ui *u);
void ui_search_interrupt(struct hg_ui *u);
int ui_search_note(struct hg_ui *u, const struct ui_rect *r);
void ui_search_mark(int y, int x, int w, const char *s, size_t n);
void ui_search_mark_line(int y, int x, int end, const char *text, size_t n,
			 size_t from, size_t to);

/* ui_actions.c: features that plug into the browser. Each returns UI_R_*. */
void ui_actions_init(struct hg_ui *u);
void ui_actions_done(struct hg_ui *u);
unsigned ui_action_search(struct hg_ui *u);
unsigned ui_action_search_next(struct hg_ui *u, bool forward);
unsigned ui_action_filter(struct hg_ui *u);
unsigned ui_action_verdict(struct hg_ui *u);
unsigned ui_action_tier(struct hg_ui *u);
unsigned ui_action_clear(struct hg_ui *u);
unsigned ui_action_stats(struct hg_ui *u);
unsigned ui_action_annotate(struct hg_ui *u);

#endif
