/* ui_loop.c - hg_ui_run: one poll() loop over the terminal, the watcher and
 * a signal self-pipe; incremental loading; request dispatch. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "hgtop/demo.h"
#include "hgtop/spool.h"
#include "hgtop/ui.h"
#include "hgtop/ui_int.h"
#include "hgtop/ui_prompt.h"

#define CHUNK_BYTES (4 * 1024 * 1024)
#define FRAME_NS (33 * 1000000LL)	/* at most ~30 redraws/s while busy */
#define HSCROLL 8

static int sig_fd = -1;

/* Signal handlers only write the signal number to the self-pipe. */
static void
on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;

	if (sig_fd >= 0 && write(sig_fd, &b, 1) < 0)
		(void)0;
	errno = saved;
}

static void
set_signals(bool install, bool demo)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGCHLD };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = install ? on_signal : SIG_DFL;
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < HG_ARRAY_SIZE(sigs); i++)
		if (sigs[i] != SIGCHLD || demo)
			sigaction(sigs[i], &sa, NULL);
}

/* Positions: the one clamp function. The cursor stays inside [0, n) and
 * the top row keeps the cursor visible without scrolling past the end. */
void
ui_clamp(struct ui_pos *p, size_t n, int height)
{
	size_t h = height > 0 ? (size_t)height : 1;

	if (n == 0) {
		p->offset = p->lineno = 0;
		return;
	}
	if (p->lineno >= n)
		p->lineno = n - 1;
	if (p->lineno < p->offset)
		p->offset = p->lineno;
	if (p->lineno >= p->offset + h)
		p->offset = p->lineno - h + 1;
	if (p->offset + h > n)
		p->offset = n > h ? n - h : 0;
}

size_t
ui_pane_rows(struct hg_ui *u, enum ui_pane p)
{
	if (p == UI_LIST)
		return u->n_order;
	if (p == UI_TREE)
		return u->rows.n;
	return ui_detail_lines(u);
}

/* Loading */

static void
enqueue(struct hg_ui *u, struct hg_session *s)
{
	struct ui_sess *us = ui_sess_of(s);

	if (us->queued)
		return;
	if (u->n_queue == u->cap_queue) {
		u->cap_queue = u->cap_queue ? u->cap_queue * 2 : 64;
		u->queue = xrealloc(u->queue, u->cap_queue * sizeof(*u->queue));
	}
	u->queue[u->n_queue++] = s;
	us->queued = true;
}

static void
dequeue(struct hg_ui *u, size_t i)
{
	ui_sess_of(u->queue[i])->queued = false;
	memmove(&u->queue[i], &u->queue[i + 1], (u->n_queue - i - 1) * sizeof(*u->queue));
	u->n_queue--;
}

static void
after_ingest(struct hg_ui *u, struct hg_session *s, const struct hg_ingest_result *r)
{
	struct ui_sess *us = ui_sess_of(s);

	if (us->loaded && r->new_entries)
		us->grew_ns = hg_now_mono_ns();
	if (!r->more)
		us->loaded = true;
	if (r->status == HG_INGEST_ERROR && s == u->sel)
		ui_message(u, true, "%s: %s", s->path, strerror(r->err));
	if (r->status != HG_INGEST_OK && r->status != HG_INGEST_ERROR) {
		ui_detail_invalidate(u);
		ui_message(u, r->status == HG_INGEST_GONE, "%s: %s", s->id,
			   hg_ingest_status_text(r->status));
	}
	if (r->new_entries || r->status != HG_INGEST_OK)
		u->pending |= UI_R_SORT | UI_R_DRAW;
	else if (r->more)
		u->pending |= UI_R_DRAW;	/* the loading progress moved */
	if (s == u->sel && (r->new_entries || r->status != HG_INGEST_OK))
		ui_tree_sync(u, false);
}

/* Read up to CHUNK_BYTES across the queued sessions, the selected first,
 * so keys stay responsive while big files load. */
static void
load_step(struct hg_ui *u)
{
	int64_t budget = CHUNK_BYTES;
	size_t i = 0;

	while (i < u->n_queue && budget > 0) {
		struct hg_session *s = u->queue[i];
		struct hg_ingest_result r;

		if (u->sel && ui_sess_of(u->sel)->queued && s != u->sel) {
			size_t j;

			for (j = 0; j < u->n_queue && u->queue[j] != u->sel; j++)
				;
			s = u->queue[j];
			i = j;
		}
		r = hg_session_ingest(s, budget);
		budget -= r.bytes > 0 ? r.bytes : 1;
		ui_sess_of(s)->more = r.more;
		after_ingest(u, s, &r);
		if (r.more)
			i++;
		else
			dequeue(u, i);
	}
	u->loading = false;
	for (i = 0; i < u->n_queue; i++)
		u->loading |= ui_sess_of(u->queue[i])->more;
}

static void
watch_step(struct hg_ui *u)
{
	size_t i, before = u->c->n;

	if (!hg_watch_collect(u->w, &u->ev))
		return;
	if (u->ev.rescan && hg_catalog_scan(u->c) != 0)
		hg_watch_catalog_changed(u->w);
	for (i = 0; i < u->c->n; i++)
		if (i >= before || u->ev.all || u->ev.rescan)
			enqueue(u, u->c->sessions[i]);
	for (i = 0; i < u->ev.n_changed; i++)
		enqueue(u, u->ev.changed[i]);
	if (u->ev.dir_gone && !u->c->dir_gone)
		ui_message(u, true, "%s: the directory was deleted or moved", u->title);
	u->pending |= UI_R_SORT | UI_R_DRAW;
}

/* Drawing */

static void
draw_too_small(void)
{
	const char *msg = "terminal too small";
	int y = LINES / 2;

	ui_put(y, 0, COLS, msg, A_BOLD);
	if (LINES > 2)
		ui_put(y + 1, 0, COLS, "enlarge it or press q", 0);
}

static void
draw_separator(struct hg_ui *u)
{
	int y;

	if (!u->lay.wide)
		return;
	for (y = u->lay.list_title.y; y < u->lay.list.y + u->lay.list.h; y++)
		ui_put(y, u->lay.list.w, 1, ui_g->vline, ui_attr(UI_ROLE_DIM));
}

static void
draw_panes(struct hg_ui *u)
{
	ui_draw_header(u);
	ui_list_draw(u);
	draw_separator(u);
	ui_tree_draw(u);
	ui_detail_draw(u);
	ui_draw_status(u);
}

static void
log_first_screen(struct hg_ui *u)
{
	if (!u->keylog || u->first_screen_logged || u->rows.n == 0)
		return;
	u->first_screen_logged = true;
	fprintf(u->keylog, "first-screen ms=%.1f\n",
		(double)(hg_now_mono_ns() - u->start_ns) / 1e6);
	fflush(u->keylog);
}

static void
draw(struct hg_ui *u)
{
	erase();
	if (u->lay.too_small)
		draw_too_small();
	else if (u->help)
		ui_help_draw(u);
	else
		draw_panes(u);
	if (u->prompt && !u->lay.too_small && !u->help) {
		curs_set(1);
		ui_prompt_place_cursor(u->prompt);
	} else {
		curs_set(0);
	}
	refresh();
	u->last_draw_ns = hg_now_mono_ns();
	u->pending &= ~(unsigned)UI_R_DRAW;
	if (!u->lay.too_small && !u->help)
		log_first_screen(u);
}

static void
apply(struct hg_ui *u)
{
	size_t n = u->n_order;

	if (u->pending & UI_R_SORT) {
		ui_list_sort(u);
		u->pending |= UI_R_DRAW;
	}
	/* The stacked layout sizes the list by its length. */
	if ((u->pending & UI_R_LAYOUT) || n != u->n_order) {
		ui_layout_compute(u);
		ui_detail_invalidate(u);
		u->pending |= UI_R_DRAW;
	}
	if (u->pending & UI_R_ROWS) {
		ui_tree_sync(u, true);
		ui_detail_invalidate(u);
	}
	u->pending &= ~(unsigned)(UI_R_LAYOUT | UI_R_SORT | UI_R_ROWS);
}

/* Requests */

static void
move_pos(struct ui_pos *p, size_t n, int h, enum hg_ui_req req)
{
	size_t page = h > 1 ? (size_t)h - 1 : 1;

	switch (req) {
	case HG_REQ_MOVE_DOWN:
		p->lineno++;
		break;
	case HG_REQ_MOVE_UP:
		p->lineno -= p->lineno > 0;
		break;
	case HG_REQ_PAGE_DOWN:
		p->lineno += page;
		p->offset += page;
		break;
	case HG_REQ_PAGE_UP:
		p->lineno = p->lineno > page ? p->lineno - page : 0;
		p->offset = p->offset > page ? p->offset - page : 0;
		break;
	case HG_REQ_FIRST:
		p->lineno = 0;
		break;
	case HG_REQ_LAST:
		p->lineno = n ? n - 1 : 0;
		break;
	default:
		break;
	}
	ui_clamp(p, n, h);
}

/* The detail pane scrolls: its "cursor" is its top line. */
static void
scroll_detail(struct hg_ui *u, enum hg_ui_req req)
{
	struct ui_pos *p = &u->pos[UI_DETAIL];
	size_t n = ui_detail_lines(u), h = (size_t)ui_pane_height(u, UI_DETAIL);
	size_t max = n > h ? n - h : 0;

	if (req == HG_REQ_MOVE_DOWN)
		p->offset++;
	else if (req == HG_REQ_MOVE_UP)
		p->offset -= p->offset > 0;
	else if (req == HG_REQ_PAGE_DOWN)
		p->offset += h > 1 ? h - 1 : 1;
	else if (req == HG_REQ_PAGE_UP)
		p->offset = p->offset > h - 1 ? p->offset - (h > 1 ? h - 1 : 1) : 0;
	else if (req == HG_REQ_FIRST)
		p->offset = 0;
	else if (req == HG_REQ_LAST)
		p->offset = max;
	if (p->offset > max)
		p->offset = max;
	p->lineno = p->offset;
}

static void
hscroll_detail(struct hg_ui *u, int delta)
{
	struct ui_pos *p = &u->pos[UI_DETAIL];
	int max;

	if (u->wrap) {
		ui_message(u, false, "lines are wrapped: w turns wrapping off to scroll sideways");
		return;
	}
	ui_detail_lines(u);
	max = u->detail.max_width - (u->lay.detail.w - 2);
	p->col += delta;
	if (p->col > max)
		p->col = max;
	if (p->col < 0)
		p->col = 0;
}

/* Leaving the newest entry pauses follow; say so once (the header keeps
 * showing PAUSED). */
static void
pause_follow(struct hg_ui *u)
{
	if (!u->follow || u->paused)
		return;
	u->paused = true;
	ui_message(u, false, "follow paused (G resumes)");
}

static unsigned
move_request(struct hg_ui *u, enum hg_ui_req req)
{
	enum ui_pane f = u->focus;
	struct ui_pos *p = &u->pos[f];
	size_t before = p->lineno;

	/* Moving in the tree or the detail reads the selected session: that
	 * is a choice too, live follow must not switch it away. */
	if (f != UI_LIST)
		u->list_touched = true;
	if (f == UI_DETAIL) {
		scroll_detail(u, req);
		return UI_R_DRAW;
	}
	move_pos(p, ui_pane_rows(u, f), ui_pane_height(u, f), req);
	if (f == UI_LIST) {
		if (p->lineno != before || req == HG_REQ_FIRST || req == HG_REQ_LAST)
			u->list_touched = true;
		ui_list_select(u, p->lineno);
		return UI_R_DRAW;
	}
	if (req == HG_REQ_LAST)
		u->paused = false;
	else if (p->lineno < before)
		pause_follow(u);
	if (p->lineno != before)
		ui_detail_invalidate(u);
	return UI_R_DRAW;
}

static unsigned
pane_request(struct hg_ui *u, enum hg_ui_req req)
{
	if (req == HG_REQ_NEXT_PANE || req == HG_REQ_PREV_PANE) {
		u->focus = (enum ui_pane)((u->focus + (req == HG_REQ_NEXT_PANE ? 1 : UI_NPANES - 1)) % UI_NPANES);
		return UI_R_DRAW;
	}
	if (u->focus == UI_DETAIL) {
		if (req == HG_REQ_EXPAND || req == HG_REQ_COLLAPSE)
			hscroll_detail(u, req == HG_REQ_EXPAND ? HSCROLL : -HSCROLL);
		return UI_R_DRAW;
	}
	if (u->focus == UI_LIST) {
		if (req != HG_REQ_COLLAPSE) {
			u->list_touched = true;
			u->focus = UI_TREE;
		}
		return UI_R_DRAW;
	}
	return ui_tree_expand(u, req == HG_REQ_EXPAND ? 1 : req == HG_REQ_COLLAPSE ? 0 : -1);
}

static unsigned
toggle_follow(struct hg_ui *u)
{
	u->follow = !u->follow;
	u->paused = false;
	if (u->follow) {
		u->pos[UI_TREE].lineno = u->rows.n ? u->rows.n - 1 : 0;
		ui_detail_invalidate(u);
	}
	ui_message(u, false, u->follow ? "follow on: new entries stay in view" : "follow off");
	return UI_R_DRAW | UI_R_SORT;
}

static unsigned
view_request(struct hg_ui *u, enum hg_ui_req req)
{
	switch (req) {
	case HG_REQ_EXPAND_ALL:
	case HG_REQ_COLLAPSE_ALL:
		return ui_tree_expand_all(u, req == HG_REQ_EXPAND_ALL);
	case HG_REQ_DETAIL_DOWN:
		scroll_detail(u, HG_REQ_MOVE_DOWN);
		return UI_R_DRAW;
	case HG_REQ_DETAIL_UP:
		scroll_detail(u, HG_REQ_MOVE_UP);
		return UI_R_DRAW;
	case HG_REQ_WRAP:
		u->wrap = !u->wrap;
		u->pos[UI_DETAIL].col = 0;
		ui_detail_invalidate(u);
		return UI_R_DRAW;
	case HG_REQ_FOLLOW:
		return toggle_follow(u);
	case HG_REQ_REDRAW:
		clearok(curscr, TRUE);
		return UI_R_DRAW | UI_R_LAYOUT;
	case HG_REQ_HELP:
		u->help = true;
		u->help_off = 0;
		return UI_R_DRAW;
	case HG_REQ_QUIT:
		u->quit = true;
		return UI_R_QUIT;
	default:
		return UI_R_NONE;
	}
}

static unsigned
action_request(struct hg_ui *u, enum hg_ui_req req)
{
	switch (req) {
	case HG_REQ_SEARCH:
		return ui_action_search(u);
	case HG_REQ_SEARCH_NEXT:
	case HG_REQ_SEARCH_PREV:
		return ui_action_search_next(u, req == HG_REQ_SEARCH_NEXT);
	case HG_REQ_FILTER:
		return ui_action_filter(u);
	case HG_REQ_VERDICT:
		return ui_action_verdict(u);
	case HG_REQ_TIER:
		return ui_action_tier(u);
	case HG_REQ_CLEAR:
		return ui_action_clear(u);
	case HG_REQ_STATS:
		return ui_action_stats(u);
	case HG_REQ_ANNOTATE:
		return ui_action_annotate(u);
	default:
		return view_request(u, req);
	}
}

static unsigned
request(struct hg_ui *u, enum hg_ui_req req)
{
	unsigned r;

	if (u->help)
		return ui_help_key(u, (int)req);
	if (u->stats && (r = ui_stats_key(u, (int)req)) != UI_R_NONE)
		return r;
	switch (req) {
	case HG_REQ_MOVE_DOWN:
	case HG_REQ_MOVE_UP:
	case HG_REQ_PAGE_DOWN:
	case HG_REQ_PAGE_UP:
	case HG_REQ_FIRST:
	case HG_REQ_LAST:
		return move_request(u, req);
	case HG_REQ_NEXT_PANE:
	case HG_REQ_PREV_PANE:
	case HG_REQ_EXPAND:
	case HG_REQ_COLLAPSE:
	case HG_REQ_TOGGLE:
		return pane_request(u, req);
	default:
		return action_request(u, req);
	}
}

/* Mouse: a click selects (a second click on an entry toggles it), the
 * wheel scrolls the pane under the pointer. */
static bool
inside(const struct ui_rect *r, int y, int x)
{
	return y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w;
}

static unsigned
wheel(struct hg_ui *u, enum ui_pane p, bool down)
{
	enum ui_pane saved = u->focus;
	unsigned r = 0;
	int i;

	u->focus = p;
	for (i = 0; i < 3; i++)
		r |= request(u, down ? HG_REQ_MOVE_DOWN : HG_REQ_MOVE_UP);
	u->focus = saved;
	return r;
}

static unsigned
click(struct hg_ui *u, enum ui_pane p, int y)
{
	const struct ui_rect *r = p == UI_LIST ? &u->lay.list : &u->lay.tree;
	size_t i = u->pos[p].offset + (size_t)(y - r->y);

	u->focus = p;
	if (p != UI_LIST)
		u->list_touched = true;
	if (p == UI_DETAIL || i >= ui_pane_rows(u, p))
		return UI_R_DRAW;
	if (p == UI_LIST) {
		u->list_touched = true;
		ui_list_select(u, i);
		return UI_R_DRAW;
	}
	if (i == u->pos[UI_TREE].lineno)
		return ui_tree_expand(u, -1);
	if (i < u->pos[UI_TREE].lineno)
		pause_follow(u);
	u->pos[UI_TREE].lineno = i;
	ui_detail_invalidate(u);
	return UI_R_DRAW;
}

static unsigned
mouse(struct hg_ui *u)
{
	MEVENT ev;
	enum ui_pane p;

	if (getmouse(&ev) != OK || u->lay.too_small || u->help || u->prompt)
		return UI_R_NONE;
	if (inside(&u->lay.list, ev.y, ev.x))
		p = UI_LIST;
	else if (inside(&u->lay.tree, ev.y, ev.x))
		p = UI_TREE;
	else if (inside(&u->lay.detail, ev.y, ev.x))
		p = UI_DETAIL;
	else
		return UI_R_NONE;
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED))
		return wheel(u, p, (ev.bstate & BUTTON5_PRESSED) != 0);
	return click(u, p, ev.y);
}

/* Input */

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
		return key == 'q' ? request(u, HG_REQ_QUIT) : UI_R_NONE;
	ui_search_interrupt(u);
	if (u->prompt)
		return ui_prompt_feed(u, rc == KEY_CODE_YES, ch);
	if (u->help && (key == 27 || key == 'q' || key == '?'))
		return ui_help_key(u, HG_REQ_NONE);
	if (rc == OK && ch >= 0x100)
		return UI_R_NONE;
	return request(u, hg_ui_key_request(key));
}

static void
read_keys(struct hg_ui *u)
{
	wint_t ch;
	int rc;

	while (!u->quit && (rc = get_wch(&ch)) != ERR) {
		int64_t t0 = hg_now_mono_ns();

		u->pending |= handle_key(u, rc, ch);
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

static void
read_signals(struct hg_ui *u)
{
	unsigned char b[64];
	ssize_t n, i;

	while ((n = read(u->sig_pipe[0], b, sizeof(b))) > 0) {
		for (i = 0; i < n; i++) {
			if (b[i] == SIGWINCH)
				resize(u);
			else if (b[i] == SIGCHLD && u->demo && hg_demo_reap(u->demo))
				ui_message(u, true, "the demo writer stopped");
			else if (b[i] != SIGCHLD)
				u->quit = true;
		}
	}
}

/* The loop */

static int
next_timeout(struct hg_ui *u)
{
	int64_t now = hg_now_mono_ns(), t;
	int wt = hg_watch_timeout_ms(u->w);

	if (u->n_queue || ui_search_busy(u) || ui_stats_busy(u))
		return 0;
	if (u->pending & UI_R_DRAW)
		return 0;
	t = 1000 - (hg_now_wall_ns() / 1000000) % 1000;	/* next whole second */
	if (u->msg[0] && u->msg_until_ns > now && (u->msg_until_ns - now) / 1000000 + 1 < t)
		t = (u->msg_until_ns - now) / 1000000 + 1;
	if (wt >= 0 && wt < t)
		t = wt;
	return (int)t;
}

/* "hgtop -": copy what stdin has into the spool, then read it like a file. */
static void
stream_step(struct hg_ui *u)
{
	struct hg_session *s = u->c->sessions[0];

	if (hg_spool_pump(u->spool) < 0)
		ui_message(u, true, "stdin: %s", strerror(errno));
	hg_spool_update_session(u->spool, s);
	enqueue(u, s);
	if (hg_spool_eof(u->spool)) {
		struct hg_ingest_result r = hg_session_ingest(s, 0);

		after_ingest(u, s, &r);
		if (s->pending)
			ui_message(u, true, "stdin: the stream ended in the middle of a line (%lld bytes)",
				   (long long)s->pending);
		else
			ui_message(u, false, "stdin: end of the stream");
	}
	u->pending |= UI_R_DRAW;
}

static void
loop_turn(struct hg_ui *u)
{
	struct pollfd fds[4];
	int n = 0, rc, wfd = hg_watch_fd(u->w);
	int sfd = u->spool ? hg_spool_fd(u->spool) : -1, sidx = -1;

	fds[n++] = (struct pollfd){ ui_display_fd(), POLLIN, 0 };
	fds[n++] = (struct pollfd){ u->sig_pipe[0], POLLIN, 0 };
	if (wfd >= 0)
		fds[n++] = (struct pollfd){ wfd, POLLIN, 0 };
	if (sfd >= 0) {
		sidx = n;
		fds[n++] = (struct pollfd){ sfd, POLLIN, 0 };
	}
	rc = poll(fds, (nfds_t)n, next_timeout(u));
	if (rc > 0 && sidx >= 0 && fds[sidx].revents)
		stream_step(u);
	if (rc < 0 && errno != EINTR)
		die("poll: %s", strerror(errno));
	if (rc == 0 && !u->n_queue && !ui_search_busy(u) && !ui_stats_busy(u))
		u->pending |= UI_R_DRAW;	/* the clock ticked: ages change */
	read_signals(u);
	read_keys(u);
	watch_step(u);
	if (u->n_queue)
		load_step(u);
	if (ui_search_busy(u))
		ui_search_step(u);
	if (ui_stats_busy(u))
		ui_stats_step(u);
	apply(u);
	if ((u->pending & UI_R_DRAW) &&
	    (!u->n_queue || hg_now_mono_ns() - u->last_draw_ns >= FRAME_NS))
		draw(u);
}

static void
setup(struct hg_ui *u, const struct hg_options *o, struct hg_catalog *c,
      const char *title, struct hg_demo *demo)
{
	const char *kl = getenv("HGTOP_KEYLOG");
	size_t i;

	memset(u, 0, sizeof(*u));
	u->start_ns = hg_now_mono_ns();
	u->o = o;
	u->c = c;
	u->title = title;
	u->demo = demo;
	u->follow = true;
	u->wrap = true;
	/* j/k move the list the user sees when there is a choice to make. */
	u->focus = c->n > 1 ? UI_LIST : UI_TREE;
	u->detail.vis_width = -1;
	if (kl && *kl)
		u->keylog = fopen(kl, "ae");
	u->w = hg_watch_new(c, o->poll_ms);
	for (i = 0; i < c->n; i++)
		enqueue(u, c->sessions[i]);
	ui_actions_init(u);
}

static void
teardown(struct hg_ui *u)
{
	size_t i;

	ui_actions_done(u);
	ui_prompt_free(u->prompt);
	hg_watch_events_free(&u->ev);
	hg_watch_free(u->w);
	hg_rows_free(&u->rows);
	ui_detail_free(&u->detail);
	for (i = 0; i < u->c->n; i++)
		ui_sess_free(u->c->sessions[i]);
	free(u->order);
	free(u->queue);
	if (u->keylog)
		fclose(u->keylog);
}

static int
open_pipe(struct hg_ui *u)
{
	if (pipe2(u->sig_pipe, O_NONBLOCK | O_CLOEXEC) < 0)
		return -1;
	sig_fd = u->sig_pipe[1];
	return 0;
}

static void
close_pipe(struct hg_ui *u)
{
	sig_fd = -1;
	close(u->sig_pipe[0]);
	close(u->sig_pipe[1]);
}

int
hg_ui_run(const struct hg_options *o, struct hg_catalog *c, const char *title,
	  struct hg_demo *demo, struct hg_spool *spool)
{
	struct hg_ui u;

	setup(&u, o, c, title, demo);
	u.spool = spool;
	if (open_pipe(&u) < 0)
		die("pipe: %s", strerror(errno));
	set_signals(true, demo != NULL);
	hg_set_die_hook(ui_display_done);
	if (ui_display_init(o->no_color) < 0) {
		set_signals(false, demo != NULL);
		fprintf(stderr, "hgtop: cannot use the terminal (TERM=%s); try --batch\n",
			getenv("TERM") ? getenv("TERM") : "");
		teardown(&u);
		close_pipe(&u);
		return 1;
	}
	u.pending = UI_R_LAYOUT | UI_R_SORT | UI_R_DRAW;
	while (!u.quit)
		loop_turn(&u);
	ui_display_done();
	set_signals(false, demo != NULL);
	hg_set_die_hook(NULL);
	teardown(&u);
	close_pipe(&u);
	return 0;
}
