/* ui_view.h - the browser: views behind one ops table, and the engine that
 * owns their positions, scrolling, focus, mouse and the modal stack.
 *
 * Layers (each uses only those below it):
 *   ui_loop.c      hg_ui_run: the loop over hg_app_step, keys, dispatch of
 *                  the requests no view handles, drawing
 *   ui_filter.c, ui_search.c, ui_annotate.c
 *                  commands: prompts over the app's filter, the search
 *                  engine (search.h) and the annotation writer
 *   ui_external.c  commands: the selection in $PAGER, $EDITOR or on the
 *                  clipboard (export.h, clip.h)
 *   ui_input.c     keys: UTF-8 from bytes, bracketed paste
 *   view_*.c       the views: sessions, entries, detail, stats, help
 *   ui_view.c      the engine: positions, the one clamp and scroll, focus,
 *                  hit-testing, the modal stack, drawing a view
 *   ui_layout.c    pane geometry, header, meter and status line
 *   ui_prompt.c    the one-line editor
 *   ui_keys.c      the request/key table
 *   ui_draw.c, ui_display.c   the terminal (ui_draw.h)
 *   app.c          the application without a terminal (app.h)
 * Views never call each other: what one shows of another's choice (the
 * detail of the selected entry) goes through the app's selection.
 *
 * Adding a view: a view_NAME.c with its ops table, a row in the view
 * table (UI_VIEWS below), its key rows in ui_keys.h, and the file in
 * Makefile.am. */
#ifndef HGTOP_UI_VIEW_H
#define HGTOP_UI_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <wchar.h>

#include "hgtop/app.h"
#include "hgtop/state.h"
#include "hgtop/ui_draw.h"
#include "hgtop/ui_keys.h"

struct ui_prompt;
struct hg_ui;
struct ui_view;

/* Results of a handler: what the loop must do. 0: not handled. */
#define UI_R_NONE	0x00u
#define UI_R_DRAW	0x01u	/* redraw the screen */
#define UI_R_LAYOUT	0x02u	/* recompute pane geometry first */
#define UI_R_QUIT	0x10u
#define UI_R_DONE	0x20u	/* handled, nothing else to do */

/* View flags. */
#define UI_VF_SCROLL	0x1u	/* no cursor: the position is the top line */
#define UI_VF_BODY	0x2u	/* modal over the panes (header and status stay) */
#define UI_VF_SCREEN	0x4u	/* modal over the whole screen */
#define UI_VF_CLICK_TOGGLES 0x8u /* a click on the cursor line is TOGGLE */

struct ui_view_ops {
	const char *name;
	unsigned flags;
	void (*init)(struct ui_view *v);
	void (*done)(struct ui_view *v);
	/* Bring the view's data up to date with the app (HG_APP_EV_* that
	 * came since the last call). Reading files and parsing happen here,
	 * never while drawing. Returns UI_R_*. */
	unsigned (*update)(struct ui_view *v, unsigned events);
	size_t (*lines)(const struct ui_view *v);
	/* Draw line LINE at screen row Y of v->rect. */
	void (*draw)(struct ui_view *v, size_t line, int y);
	/* Title bar text; RIGHT may stay empty. */
	void (*title)(struct ui_view *v, char *left, size_t nl, char *right, size_t nr);
	/* What an empty view says (NULL: nothing). */
	const char *(*empty)(struct ui_view *v, char *buf, size_t n);
	/* A request for this view; 0 when not handled here (the engine then
	 * moves or passes it on). */
	unsigned (*request)(struct ui_view *v, enum hg_ui_req req);
	/* The cursor moved from line FROM (by key or click). */
	unsigned (*select)(struct ui_view *v, size_t from);
	/* May the cursor rest on LINE? (NULL: on every line.) Moves skip
	 * the lines it may not. */
	bool (*selectable)(const struct ui_view *v, size_t line);
};

/* One scroll position: top line, cursor line, columns scrolled sideways. */
struct ui_pos {
	size_t offset;
	size_t lineno;
	int col;
};

struct ui_view {
	const struct ui_view_ops *ops;
	struct hg_ui *ui;
	struct hg_app *app;
	struct ui_pos pos;
	struct ui_rect rect;	/* the lines */
	struct ui_rect title;	/* its title bar */
	int max_col;		/* widest line minus the width: sideways limit */
	void *priv;
};

/* The view table: R(id, ops). Panes first, in Tab order. */
#define UI_VIEWS(R) \
	R(SESSIONS, ui_sessions_ops) \
	R(ENTRIES,  ui_entries_ops) \
	R(DETAIL,   ui_detail_ops) \
	R(STATS,    ui_stats_ops) \
	R(HELP,     ui_help_ops) \
	R(TIMELINE, ui_timeline_ops)

enum ui_view_id {
#define UI_VIEW_ENUM(id, ops) UI_V_##id,
	UI_VIEWS(UI_VIEW_ENUM)
#undef UI_VIEW_ENUM
	UI_V_N
};
#define UI_NPANES 3	/* sessions, entries, detail */
/* The timeline and the entry tree take turns in the tree's pane: the one
 * shown is at UI_V_ENTRIES, the other at UI_V_TIMELINE (ui_timeline_show). */

#define UI_VIEW_DECL(id, ops) extern const struct ui_view_ops ops;
UI_VIEWS(UI_VIEW_DECL)
#undef UI_VIEW_DECL

struct ui_layout {
	bool too_small;
	bool wide;
	struct ui_rect header, meter, status;
};

struct hg_ui {
	struct hg_app *app;
	struct ui_view views[UI_V_N];
	enum ui_view_id focus;		/* a pane */
	enum ui_view_id stack[4];	/* modal views, top last */
	size_t depth;
	struct ui_layout lay;
	struct ui_prompt *prompt;	/* active prompt or NULL */
	unsigned pending;		/* UI_R_* not acted on yet */
	unsigned events;		/* HG_APP_EV_* not given to the views yet */
	int64_t last_draw_ns;
	FILE *keylog;
	int64_t start_ns;
	bool first_screen_logged;
	bool keyed;		/* a key was handled this turn: draw now */
	bool quit;
	void *search_state;		/* ui_search.c */
	void *filter_state;		/* ui_filter.c */
	void *note_state;		/* ui_annotate.c */
	struct hg_state state;		/* what is remembered between runs */
	bool zoom;			/* the focused pane takes the whole body */
	int split;			/* percent of tree over detail (0: the configuration's) */
	bool mouse;			/* mouse capture on */
	bool timeline;			/* the timeline is in the tree's pane */
};

/* ui_view.c: the engine. */
struct ui_view *ui_view(struct hg_ui *u, enum ui_view_id id);
void ui_views_init(struct hg_ui *u, struct hg_app *a);
void ui_views_done(struct hg_ui *u);
/* Give the app's events to every view (panes first), then clamp. */
void ui_views_update(struct hg_ui *u, unsigned events);
/* The one clamp: the cursor inside [0, n), the top row keeping it in
 * view without scrolling past the end. */
void ui_view_clamp(struct ui_view *v);
/* MOVE_DOWN, MOVE_UP, PAGE_DOWN, PAGE_UP, FIRST or LAST. */
bool ui_req_moves(enum hg_ui_req req);
/* The one scroll: a moving request on V. Returns UI_R_*. */
unsigned ui_view_move(struct ui_view *v, enum hg_ui_req req);
/* Put the cursor on LINE (keeping it in view) and tell the view. */
unsigned ui_view_goto(struct ui_view *v, size_t line);
/* Scroll sideways by DELTA columns within [0, v->max_col]. */
void ui_view_hscroll(struct ui_view *v, int delta);
int ui_view_height(const struct ui_view *v);
void ui_view_draw(struct ui_view *v, bool focused);
bool ui_view_focused(const struct ui_view *v);
void ui_focus(struct hg_ui *u, enum ui_view_id id);
void ui_focus_step(struct hg_ui *u, int dir);
/* The modal stack: help and stats open over the panes. */
void ui_push(struct hg_ui *u, enum ui_view_id id);
void ui_pop(struct hg_ui *u);
struct ui_view *ui_top(struct hg_ui *u);	/* NULL without a modal */
/* The view a request goes to: the top modal, else the focused pane. */
struct ui_view *ui_target(struct hg_ui *u);
/* A mouse event at (y, x): clicks go to the top view only. */
unsigned ui_mouse(struct hg_ui *u, int y, int x, bool wheel, bool down);
void ui_message(struct hg_ui *u, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ui_input.c: the next key (rc OK: a character, KEY_CODE_YES: a curses
 * key), false when none is there; pastes are handled on the way. */
bool ui_input_next(struct hg_ui *u, int *rc, wint_t *ch);
void ui_input_done(void);

/* ui_layout.c */
void ui_layout_compute(struct hg_ui *u);
/* Zoom the focused pane on/off; move the split one step down (DIR 1,
 * a taller tree) or up (-1). Return UI_R_*. */
unsigned ui_layout_zoom(struct hg_ui *u);
unsigned ui_layout_split(struct hg_ui *u, int dir);
void ui_draw_header(struct hg_ui *u);
void ui_draw_status(struct hg_ui *u);
void ui_draw_separator(struct hg_ui *u);

/* Commands (ui_filter.c, ui_search.c, ui_annotate.c). Each returns UI_R_*. */
void ui_filter_done(struct hg_ui *u);
unsigned ui_cmd_filter(struct hg_ui *u);
unsigned ui_cmd_cycle(struct hg_ui *u, bool verdict);
unsigned ui_cmd_clear(struct hg_ui *u);
void ui_search_done(struct hg_ui *u);
bool ui_search_busy(const struct hg_ui *u);
void ui_search_step(struct hg_ui *u);
void ui_search_interrupt(struct hg_ui *u);
unsigned ui_cmd_search(struct hg_ui *u);
unsigned ui_cmd_search_next(struct hg_ui *u, bool forward);
/* "detail /": search the detail pane's text (view_detail.c moves). */
unsigned ui_cmd_detail_search(struct hg_ui *u);
void ui_annotate_done(struct hg_ui *u);
unsigned ui_cmd_annotate(struct hg_ui *u);
/* ui_external.c: the selection in $PAGER or $EDITOR, or on the clipboard
 * (OSC 52): the detail pane's field, or the selected row or entry. */
unsigned ui_cmd_open(struct hg_ui *u, bool editor);
unsigned ui_cmd_yank(struct hg_ui *u, bool raw);

/* view_entries.c: draw tree row ROW of session S at line LINE, screen row
 * Y, from SKIP columns into the view (SKIP 0: the whole row is filled). */
void ui_entries_draw_row(struct ui_view *v, const struct hg_session *s,
			 const struct hg_row *row, size_t line, int y, int skip);
/* view_entries.c: what the entry tree and the timeline do alike, on a
 * view's rows ROWS (N of them). The cursor moved from FROM: up, follow
 * pauses; SHOW makes its row the app's selection. The entry row that expanding (HOW 1), collapsing (0) or
 * toggling (-1) acts on from the cursor, and whether it is to be open
 * (false: none). After row I was expanded or collapsed: the cursor on it,
 * the rows under it in view. The cursor to row I (a search match): follow
 * holds unless it is the newest. Moves, expanding and collapsing (EXPAND
 * and EXPAND_ALL are the view's). What the title says of the rows, and
 * what the pane says without any. */
unsigned ui_tree_select(struct ui_view *v, size_t from, void (*show)(struct ui_view *v));
bool ui_tree_expand_at(const struct ui_view *v, const struct hg_row *rows, size_t n, int how,
		       size_t *i, bool *on);
void ui_tree_expanded(struct ui_view *v, const struct hg_row *rows, size_t n, size_t i, bool on);
void ui_tree_cursor_to(struct ui_view *v, size_t n, size_t i);
unsigned ui_tree_request(struct ui_view *v, enum hg_ui_req req,
			 unsigned (*expand)(struct ui_view *v, int how),
			 unsigned (*expand_all)(struct ui_view *v, bool on));
void ui_tree_title(const struct ui_view *v, size_t hidden, size_t n, char *left, size_t nl,
		   char *right, size_t nr);
const char *ui_tree_empty(const struct ui_view *v, size_t hidden, char *buf, size_t n);
/* view_sessions.c: a session id in W columns; one too long is cut with an
 * ellipsis in the middle (MIDDLE: ids share long prefixes, dates), or at
 * its start (its end kept). */
void ui_put_id(int y, int x, int w, const char *id, int attr, bool middle);
/* view_timeline.c: the timeline of all sessions in the tree's place, or
 * the per-session tree again. */
unsigned ui_timeline_show(struct hg_ui *u, bool on);

/* view_detail.c: the top-level field at the top of the detail pane. */
bool ui_detail_top_field(struct ui_view *v, char *buf, size_t n);

#endif
