/* ui_loop.c - hg_ui_run: the browser's loop. Each turn waits in
 * hg_app_step (terminal, watcher, spool, signals), reads keys, gives the
 * app's events to the views, and draws when something changed (at most
 * ~30 times a second while loading). Requests go to the top view, then to
 * the engine's movement, then to the commands below. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "hgtop/config.h"
#include "hgtop/sanitize.h"
#include "hgtop/state.h"
#include "hgtop/ui.h"
#include "hgtop/ui_prompt.h"
#include "hgtop/ui_view.h"

#define FRAME_NS (33 * 1000000LL)	/* at most ~30 redraws/s while busy */

/* Drawing */

static void
draw_too_small(void)
{
	const char *msg = "terminal too small";
	char quit[48];
	int y = LINES / 2;

	ui_put(y, 0, COLS, msg, A_BOLD);
	if (LINES > 2)
		ui_put(y + 1, 0, COLS, "enlarge it", 0);
	/* The way out stays on the last line, as on the status line. */
	snprintf(quit, sizeof(quit), "%s:quit", hg_ui_key(HG_REQ_QUIT));
	if (LINES > 3)
		ui_put(LINES - 1, 1, COLS - 1, quit, A_BOLD);
}

static void
log_first_screen(struct hg_ui *u)
{
	struct ui_view *e = ui_view(u, UI_V_ENTRIES);

	if (!u->keylog || u->first_screen_logged || e->ops->lines(e) == 0)
		return;
	u->first_screen_logged = true;
	fprintf(u->keylog, "first-screen ms=%.1f\n",
		(double)(hg_now_mono_ns() - u->start_ns) / 1e6);
	fflush(u->keylog);
}

static void
draw_screen(struct hg_ui *u)
{
	struct ui_view *top = ui_top(u);
	int i;

	if (top && (top->ops->flags & UI_VF_SCREEN)) {
		ui_view_draw(top, true);
		ui_draw_status(u);
		return;
	}
	ui_draw_header(u);
	if (top) {
		ui_view_draw(top, true);
	} else {
		for (i = 0; i < UI_NPANES; i++)
			ui_view_draw(ui_view(u, (enum ui_view_id)i), u->focus == (enum ui_view_id)i);
		ui_draw_separator(u);
	}
	ui_draw_status(u);
}

static void
draw(struct hg_ui *u)
{
	struct ui_view *top = ui_top(u);
	bool screen = top && (top->ops->flags & UI_VF_SCREEN);

	erase();
	if (u->lay.too_small)
		draw_too_small();
	else
		draw_screen(u);
	if (u->prompt && !u->lay.too_small && !screen) {
		curs_set(1);
		ui_prompt_place_cursor(u->prompt);
	} else {
		curs_set(0);
	}
	refresh();
	u->last_draw_ns = hg_now_mono_ns();
	u->pending &= ~(unsigned)UI_R_DRAW;
	if (!u->lay.too_small && !top)
		log_first_screen(u);
}

/* Bring layout and views up to date: the app's events may raise others
 * (a new selection), which the views take in the same turn. */
static void
apply(struct hg_ui *u)
{
	size_t n = u->app->n_order;
	unsigned ev = u->events | hg_app_take_events(u->app);
	int rounds;

	u->events = 0;
	for (rounds = 0; rounds < 4 && (ev || rounds == 0); rounds++) {
		if ((u->pending & UI_R_LAYOUT) || n != u->app->n_order) {
			ui_layout_compute(u);
			u->pending |= UI_R_DRAW;
			u->pending &= ~(unsigned)UI_R_LAYOUT;
			n = u->app->n_order;
		}
		if (ev & ~(unsigned)HG_APP_EV_INPUT)
			u->pending |= UI_R_DRAW;
		ui_views_update(u, ev);
		ev = hg_app_take_events(u->app);
	}
	u->events |= ev;
	if ((u->pending & UI_R_LAYOUT) || n != u->app->n_order) {
		ui_layout_compute(u);
		u->pending &= ~(unsigned)UI_R_LAYOUT;
		u->pending |= UI_R_DRAW;
		ui_views_update(u, 0);
	}
}

/* Requests no view handled */

static unsigned
command(struct hg_ui *u, enum hg_ui_req req)
{
	struct hg_app *a = u->app;

	switch (req) {
	case HG_REQ_NEXT_PANE:
	case HG_REQ_PREV_PANE:
		ui_focus_step(u, req == HG_REQ_NEXT_PANE ? 1 : -1);
		return UI_R_DRAW;
	case HG_REQ_EXPAND_ALL:
	case HG_REQ_COLLAPSE_ALL:
	case HG_REQ_NEXT_ERROR:
	case HG_REQ_PREV_ERROR:
	case HG_REQ_NEXT_ESCALATION:
	case HG_REQ_PREV_ESCALATION:
	case HG_REQ_NEXT_NOTE:
	case HG_REQ_PREV_NOTE:
		return ui_view(u, UI_V_ENTRIES)->ops->request(ui_view(u, UI_V_ENTRIES), req);
	case HG_REQ_SORT:
		return ui_view(u, UI_V_SESSIONS)->ops->request(ui_view(u, UI_V_SESSIONS), req);
	case HG_REQ_DETAIL_DOWN:
	case HG_REQ_DETAIL_UP:
	case HG_REQ_WRAP:
	case HG_REQ_PRETTY:
		return ui_view(u, UI_V_DETAIL)->ops->request(ui_view(u, UI_V_DETAIL), req);
	case HG_REQ_SEARCH:
		return ui_cmd_search(u);
	case HG_REQ_SEARCH_NEXT:
	case HG_REQ_SEARCH_PREV:
		return ui_cmd_search_next(u, req == HG_REQ_SEARCH_NEXT);
	case HG_REQ_FILTER:
		return ui_cmd_filter(u);
	case HG_REQ_VERDICT:
	case HG_REQ_TIER:
		return ui_cmd_cycle(u, req == HG_REQ_VERDICT);
	case HG_REQ_CLEAR:
		return ui_cmd_clear(u);
	case HG_REQ_ANNOTATE:
		return ui_cmd_annotate(u);
	case HG_REQ_PAGER:
	case HG_REQ_EDITOR:
		return ui_cmd_open(u, req == HG_REQ_EDITOR);
	case HG_REQ_YANK:
	case HG_REQ_YANK_JSON:
		return ui_cmd_yank(u, req == HG_REQ_YANK_JSON);
	case HG_REQ_FOLLOW:
		hg_app_set_follow(a, !a->follow);
		return UI_R_DRAW;
	case HG_REQ_LIVE:
		hg_app_set_live_jump(a, !a->live_jump);
		return UI_R_DRAW;
	case HG_REQ_TIMELINE:
		ui_focus(u, UI_V_ENTRIES);
		return ui_timeline_show(u, !u->timeline);
	case HG_REQ_STATS:
		ui_push(u, UI_V_STATS);
		return UI_R_DRAW;
	case HG_REQ_HELP:
		ui_push(u, UI_V_HELP);
		ui_view(u, UI_V_HELP)->pos.offset = 0;
		return UI_R_DRAW;
	case HG_REQ_ZOOM:
		return ui_layout_zoom(u);
	case HG_REQ_SPLIT_LESS:
	case HG_REQ_SPLIT_MORE:
		return ui_layout_split(u, req == HG_REQ_SPLIT_MORE ? 1 : -1);
	case HG_REQ_MOUSE_TOGGLE:
		u->mouse = !u->mouse;
		ui_display_mouse(u->mouse);
		ui_message(u, false, u->mouse ? "mouse on: click selects, the wheel scrolls" :
			   "mouse off: select text with the terminal");
		return UI_R_DRAW;
	case HG_REQ_REDRAW:
		clearok(curscr, TRUE);
		return UI_R_DRAW | UI_R_LAYOUT;
	case HG_REQ_QUIT:
		u->quit = true;
		return UI_R_QUIT;
	default:
		return UI_R_NONE;
	}
}

static bool
detail_at_end(const struct ui_view *v)
{
	size_t n = v->ops->lines(v), h = (size_t)ui_view_height(v);

	return n <= h || v->pos.offset >= n - h;
}

static unsigned
request(struct hg_ui *u, enum hg_ui_req req)
{
	struct ui_view *t = ui_target(u);
	unsigned r;

	/* Paused while reading the detail: G scrolls to its end, then goes
	 * back to following (the tree moves to the newest entry, the detail
	 * shows it). */
	if (req == HG_REQ_LAST && t == ui_view(u, UI_V_DETAIL) && u->app->follow &&
	    u->app->paused && detail_at_end(t)) {
		u->app->list_touched = true;
		hg_app_resume(u->app);
		ui_message(u, false, "following again");
		return UI_R_DRAW;
	}
	r = t->ops->request ? t->ops->request(t, req) : UI_R_NONE;
	if (r)
		return r;
	r = ui_view_move(t, req);
	if (r)
		return r;
	return command(u, req);
}

/* Input */

static unsigned
mouse(struct hg_ui *u)
{
	MEVENT ev;
	bool wheel;

	if (getmouse(&ev) != OK || u->lay.too_small || u->prompt)
		return UI_R_NONE;
	wheel = (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) != 0;
	return ui_mouse(u, ev.y, ev.x, wheel, (ev.bstate & BUTTON5_PRESSED) != 0);
}

static const char *
req_key_name(int rc, wint_t ch, char *buf, size_t n)
{
	const char *k = rc == KEY_CODE_YES ? keyname((int)ch) : NULL;

	if (k)
		return k;
	if (ch < 0x20 || ch == 0x7f)
		snprintf(buf, n, "^%c", (char)(ch ^ 0x40));
	else
		snprintf(buf, n, "%lc", (wint_t)ch);
	return buf;
}

static void
log_key(struct hg_ui *u, int rc, wint_t ch, int64_t t0)
{
	char buf[32];

	apply(u);
	draw(u);
	fprintf(u->keylog, "key=%s ms=%.3f\n", req_key_name(rc, ch, buf, sizeof(buf)),
		(double)(hg_now_mono_ns() - t0) / 1e6);
	fflush(u->keylog);
}

static unsigned
handle_key(struct hg_ui *u, int rc, wint_t ch)
{
	int key = (int)ch;

	if (rc == KEY_CODE_YES && ch == KEY_RESIZE)
		return UI_R_LAYOUT | UI_R_DRAW;
	if (rc == KEY_CODE_YES && ch == KEY_MOUSE)
		return mouse(u);
	if (u->lay.too_small)
		return hg_ui_key_request(key) == HG_REQ_QUIT ? request(u, HG_REQ_QUIT) : UI_R_NONE;
	ui_search_interrupt(u);
	if (u->prompt)
		return ui_prompt_feed(u, rc == KEY_CODE_YES, ch);
	if (rc == OK && ch >= 0x100)
		return UI_R_NONE;
	return request(u, hg_ui_key_request(key));
}

/* Scrolling the detail pane (any key, the wheel) is reading it: like
 * leaving the newest row of the tree, it pauses follow, so that the next
 * entry does not replace the text. */
static void
detail_scrolled(struct hg_ui *u, size_t top)
{
	if (ui_view(u, UI_V_DETAIL)->pos.offset == top || !hg_app_following(u->app))
		return;
	u->app->list_touched = true;
	hg_app_pause(u->app);
	ui_message(u, false, "follow paused (%s at the end of the detail resumes)",
		   hg_ui_key(HG_REQ_LAST));
}

static void
read_keys(struct hg_ui *u)
{
	wint_t ch;
	int rc;

	while (!u->quit && ui_input_next(u, &rc, &ch)) {
		int64_t t0 = hg_now_mono_ns();
		size_t top = ui_view(u, UI_V_DETAIL)->pos.offset;

		u->pending |= handle_key(u, rc, ch);
		u->keyed = true;
		detail_scrolled(u, top);
		if (u->keylog)
			log_key(u, rc, ch, t0);
	}
}

static void
resize(struct hg_ui *u)
{
	struct winsize ws;

	if (ioctl(ui_display_fd(), TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
	u->pending |= UI_R_LAYOUT | UI_R_DRAW;
}

/* The loop */

static int
next_timeout(struct hg_ui *u)
{
	if ((u->pending & UI_R_DRAW) || u->events || ui_search_busy(u))
		return 0;
	return hg_app_timeout(u->app);
}

static void
loop_turn(struct hg_ui *u)
{
	unsigned ev = hg_app_step(u->app, ui_display_fd(), next_timeout(u));

	if (ev & HG_APP_EV_QUIT)
		u->quit = true;
	if (ev & HG_APP_EV_RESIZE)
		resize(u);
	u->events |= ev & ~(unsigned)(HG_APP_EV_QUIT | HG_APP_EV_RESIZE);
	/* Keys are read every turn: curses may hold some already. */
	read_keys(u);
	if (ui_search_busy(u))
		ui_search_step(u);
	if (hg_app_meter_busy(u->app))
		hg_app_meter_step(u->app);
	apply(u);
	/* While files load, redraws for what they bring are spaced; what a
	 * key changed is shown at once. */
	if ((u->pending & UI_R_DRAW) &&
	    (!u->app->n_queue || u->keyed || hg_now_mono_ns() - u->last_draw_ns >= FRAME_NS))
		draw(u);
	u->keyed = false;
}

/* The last filter of a sessions directory (keyed by its absolute path):
 * restored when the command line gives none, remembered at exit. */
static char *
filter_key(const struct hg_ui *u)
{
	const struct hg_catalog *c = u->app->c;

	return c->dir && !u->app->o->demo ? realpath(c->dir, NULL) : NULL;
}

static void
restore_filter(struct hg_ui *u)
{
	const struct hg_options *o = u->app->o;
	struct hg_app *a = u->app;
	char *key, *expr = NULL, err[256];
	int col;

	if (o->filter || o->verdict || o->tier || !(key = filter_key(u)))
		return;
	expr = hg_state_last_filter(&u->state, key);
	if (expr && hg_app_set_filter(a, expr, a->verdict, a->tier, err, sizeof(err), &col) < 0)
		hg_app_message(a, true, "the last filter used here no longer applies: %s", err);
	else if (expr && a->filter_text)
		hg_app_message(a, false, "filter from the last run here: %s  (%s clears it)",
			       a->filter_text, hg_ui_key(HG_REQ_CLEAR));
	free(expr);
	free(key);
}

static void
remember_filter(struct hg_ui *u)
{
	char *key = filter_key(u), err[512];

	if (key && hg_state_set_last_filter(&u->state, key, u->app->expr, err, sizeof(err)) > 0)
		fprintf(stderr, "hgtop: last filter not saved: %s\n", err);
	free(key);
}

static void
teardown(struct hg_ui *u)
{
	ui_search_done(u);
	ui_input_done();
	ui_annotate_done(u);
	ui_filter_done(u);
	ui_prompt_free(u->prompt);
	u->prompt = NULL;
	ui_views_done(u);
	ui_mark_free();
	if (u->keylog)
		fclose(u->keylog);
	hg_state_done(&u->state);
}

/* Bad lines of the configuration file: how many, and the first. */
static void
config_errors(struct hg_app *a, const struct hg_config *cfg)
{
	struct hg_buf b = { 0 };
	const char *first;

	if (!cfg->n_errors)
		return;
	first = cfg->errors[0];
	hg_sanitize(&b, first, strlen(first), 0);
	if (cfg->n_errors == 1)
		hg_app_message(a, true, "config: %s", b.p);
	else
		hg_app_message(a, true, "config: %zu errors, first: %s", cfg->n_errors, b.p);
	hg_buf_free(&b);
}

int
hg_ui_run(const struct hg_options *o, struct hg_catalog *c, const char *title,
	  struct hg_demo *demo, struct hg_spool *spool)
{
	struct hg_app app;
	struct hg_ui u;
	const char *kl = getenv("HGTOP_KEYLOG");
	int status;

	memset(&u, 0, sizeof(u));
	u.start_ns = hg_now_mono_ns();
	if (hg_app_init(&app, o, c, title, demo, spool, false) < 0)
		die("pipe: %s", strerror(errno));
	u.app = &app;
	/* Only the browser remembers anything: it alone has prompts. */
	hg_state_init(&u.state, !o->read_only && !o->batch && !o->stats);
	/* The keys first: the restored filter's message names the one that clears it. */
	hg_ui_keys_load(o->config);
	restore_filter(&u);
	app.follow = o->config->follow;
	app.take_partials = true;
	config_errors(&app, o->config);
	if (kl && *kl)
		u.keylog = fopen(kl, "ae");
	ui_views_init(&u, &app);
	/* j/k move the list the user sees when there is a choice to make. */
	u.focus = c->n > 1 ? UI_V_SESSIONS : UI_V_ENTRIES;
	hg_set_die_hook(ui_display_done);
	u.mouse = o->config->mouse;
	if (ui_display_init(o->config) < 0) {
		fprintf(stderr, "hgtop: cannot use the terminal (TERM=%s); try --batch\n",
			getenv("TERM") ? getenv("TERM") : "");
		hg_set_die_hook(NULL);
		teardown(&u);
		hg_app_done(&app);
		return 1;
	}
	u.pending = UI_R_LAYOUT | UI_R_DRAW;
	while (!u.quit)
		loop_turn(&u);
	ui_display_done();
	hg_set_die_hook(NULL);
	remember_filter(&u);
	teardown(&u);
	status = hg_app_quit_status(&app);
	hg_app_done(&app);
	return status;
}
