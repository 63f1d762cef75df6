/* view_sessions.c - the session list: newest activity first, counts,
 * markers. The order and the selection are the app's (hg_app_sort); this
 * view shows them and moves the selection. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hgtop/sanitize.h"
#include "hgtop/ui_view.h"

static void
right_part(struct hg_app *app, struct hg_session *s, char *buf, size_t n, int64_t now)
{
	char cnt[72], age[16], bad[40] = "";
	size_t hits, total;

	if (hg_app_filter_counts(app, s, &hits, &total)) {
		char a[32], b[32];

		/* "matching/all" while a filter is in force */
		hg_fmt_count(a, sizeof(a), (int64_t)hits);
		hg_fmt_count(b, sizeof(b), (int64_t)total);
		snprintf(cnt, sizeof(cnt), "%s/%s", a, b);
	} else {
		hg_fmt_count(cnt, sizeof(cnt), (int64_t)s->n_entries - s->n_unparsable);
	}
	if (s->gone)
		snprintf(age, sizeof(age), "gone");
	else if (hg_app_activity_ns(s) > 0)
		hg_fmt_age(age, sizeof(age), (now - hg_app_activity_ns(s)) / 1000000000LL);
	else
		snprintf(age, sizeof(age), "-");
	if (s->n_unparsable) {
		char b[32];

		hg_fmt_count(b, sizeof(b), s->n_unparsable);
		snprintf(bad, sizeof(bad), " !%-3s", b);
	}
	snprintf(buf, n, " %7s %4s%-5s", cnt, age, bad);
}

/* Where hyperguild's reader stops, right before the counts: the cross and
 * the line number ("✗12"), or the cross alone when the pane is narrow.
 * Drawn to end at column END; returns the columns taken (with a space). */
static int
go_mark(const struct hg_session *s, int y, int end, bool wide, int avail, int base)
{
	char buf[40];
	int w;

	if (hg_session_go(s) != HG_GO_STOPS)
		return 0;
	if (wide)
		snprintf(buf, sizeof(buf), "%s%lld", ui_g->cross, (long long)s->go_stop_line);
	else
		snprintf(buf, sizeof(buf), "%s", ui_g->cross);
	w = hg_text_width(buf, strlen(buf));
	if (w + 1 > avail - 4) {
		snprintf(buf, sizeof(buf), "%s", ui_g->cross);
		w = hg_text_width(buf, strlen(buf));
		if (w + 1 > avail - 2)
			return 0;
	}
	ui_put(y, end - w, w, buf, base | ui_attr(ui_verdict_role(HG_VERDICT_ERROR)));
	return w + 1;
}

/* Session ids share long prefixes (dates): cut them in the middle. */
static void
put_id(int y, int x, int w, const char *id, int attr)
{
	struct hg_buf b = { 0 }, out = { 0 };
	int total, head, used;
	size_t k, t;

	ui_sanitize_line(&b, id, strlen(id));
	total = b.p ? hg_text_width(b.p, b.len) : 0;
	if (total <= w || w < 8) {
		ui_put(y, x, w, id, attr);
		hg_buf_free(&b);
		return;
	}
	head = (w - 1) / 3;
	k = hg_text_fit(b.p, b.len, head, &used);
	hg_buf_add(&out, b.p, k);
	hg_buf_adds(&out, ui_g->ellipsis);
	t = hg_text_fit(b.p, b.len, total - (w - 1 - used), NULL);
	hg_buf_add(&out, b.p + t, b.len - t);
	ui_put_safe(y, x, w, out.p, out.len, attr);
	hg_buf_free(&b);
	hg_buf_free(&out);
}

/* Line 0: "All sessions", the timeline (view_timeline.c). */
static void
draw_all(struct ui_view *v, int y, int base)
{
	char cnt[32], buf[64];
	int64_t entries, bad;

	hg_app_counts(v->app, &entries, &bad);
	hg_fmt_count(cnt, sizeof(cnt), entries);
	snprintf(buf, sizeof(buf), " %7s", cnt);
	ui_fill(y, v->rect.x, v->rect.w, base);
	ui_put(y, v->rect.x + 3, v->rect.w - 4, "All sessions", base | A_BOLD);
	if ((int)strlen(buf) < v->rect.w - 16)
		ui_put(y, v->rect.x + v->rect.w - (int)strlen(buf) - 1, (int)strlen(buf), buf, base);
}

/* The columns after the name, by priority, when the pane is wide
 * enough: the source directory (several given), the start date, the
 * project (the last component of its project_root). */
#define NAME_MIN 16	/* columns the name keeps before any of them */
#define SOURCE_W 14
#define START_W 10	/* 2026-11-24 */
#define PROJECT_W 12
#define NAME_CAP 32	/* with columns after it: they follow the name */

struct extra {
	int source, start, project;	/* widths, 0: not shown */
};

static struct extra
extras(const struct ui_view *v, int avail)
{
	struct extra e = { 0, 0, 0 };

	avail -= NAME_MIN;
	if (v->app->c->n_dirs > 1 && avail >= SOURCE_W + 1) {
		e.source = SOURCE_W;
		avail -= SOURCE_W + 1;
	}
	if (avail >= START_W + 1) {
		e.start = START_W;
		avail -= START_W + 1;
	}
	if (avail >= PROJECT_W + 1)
		e.project = PROJECT_W;
	return e;
}

static void
draw(struct ui_view *v, size_t line, int y)
{
	struct hg_app *a = v->app;
	struct hg_session *s = line ? a->order[--line] : NULL;
	const struct ui_rect *r = &v->rect;
	bool sel = (s ? line + 1 : 0) == v->pos.lineno;
	int base = sel ? (ui_view_focused(v) ? (int)A_REVERSE : ui_attr(UI_ROLE_TITLE)) : 0;
	char right[96];
	int rw, x = r->x, nw, rx;
	const char *mark;
	struct extra e;

	if (!s) {
		draw_all(v, y, base);
		return;
	}
	mark = s->gone ? ui_g->gone : hg_app_live(s) ? ui_g->live : " ";

	right_part(a, s, right, sizeof(right), hg_now_wall_ns());
	rw = (int)strlen(right);
	ui_fill(y, r->x, r->w, base);
	x += ui_put(y, x + 1, 2, mark, base | ui_attr(s->gone ? UI_ROLE_GONE : UI_ROLE_LIVE)) + 2;
	if (rw > r->w - 6)
		rw = 0;
	nw = r->w - (x - r->x) - rw - 1;
	nw -= go_mark(s, y, r->x + r->w - rw - 1, rw > 0, nw, base);
	e = extras(v, nw);
	if (e.source || e.start || e.project) {
		nw -= (e.source ? e.source + 1 : 0) + (e.start ? e.start + 1 : 0) +
		      (e.project ? e.project + 1 : 0);
		if (nw > NAME_CAP)
			nw = NAME_CAP;
	}
	put_id(y, x, nw, s->id, base | (s->gone ? ui_attr(UI_ROLE_GONE) : 0));
	rx = x + nw + 1;
	if (e.project) {
		const char *p = hg_app_project(s), *slash = strrchr(p, '/');

		if (slash && slash[1])
			p = slash + 1;
		put_id(y, rx, e.project, p, base | ui_attr(UI_ROLE_DIM));
		rx += e.project + 1;
	}
	if (e.start) {
		int64_t st = hg_app_start_ns(s);
		char d[32] = "";

		if (st > 0) {
			time_t t = (time_t)(st / 1000000000LL);
			struct tm tm;

			if (localtime_r(&t, &tm))
				strftime(d, sizeof(d), "%Y-%m-%d", &tm);
		}
		ui_put(y, rx, e.start, d, base);
		rx += e.start + 1;
	}
	if (e.source) {
		const char *src = hg_catalog_label_of(a->c, s);

		put_id(y, rx, e.source, src ? src : "-", base | ui_attr(UI_ROLE_DIM));
	}
	if (rw)
		ui_put(y, r->x + r->w - rw - 1, rw, right, base);
}

static size_t
lines(const struct ui_view *v)
{
	return v->app->n_order ? v->app->n_order + 1 : 0;	/* and "All sessions" */
}

static void
title(struct ui_view *v, char *left, size_t nl, char *right, size_t nr)
{
	(void)right;
	(void)nr;
	/* The order, unless it is the default (last activity). */
	if (v->app->sort_order != HG_ORDER_ACTIVITY)
		snprintf(left, nl, "Sessions (%zu) by %s", v->app->n_order,
			 hg_app_order_name(v->app->sort_order));
	else
		snprintf(left, nl, "Sessions (%zu)", v->app->n_order);
}

static const char *
empty(struct ui_view *v, char *buf, size_t n)
{
	(void)v;
	snprintf(buf, n, "no session files (*.jsonl) yet");
	return buf;
}

/* The cursor follows the app's selection (the order may have changed). */
static unsigned
update(struct ui_view *v, unsigned events)
{
	struct hg_app *a = v->app;

	if (events & (HG_APP_EV_SESSIONS | HG_APP_EV_ENTRIES | HG_APP_EV_FOLLOW))
		hg_app_sort(a);
	if (a->sel && v->pos.lineno != (v->ui->timeline ? 0 : a->sel_order + 1)) {
		v->pos.lineno = v->ui->timeline ? 0 : a->sel_order + 1;
		return UI_R_DRAW;
	}
	return UI_R_NONE;
}

static unsigned
select_line(struct ui_view *v, size_t from)
{
	(void)from;
	v->app->list_touched = true;
	if (v->pos.lineno == 0)		/* All sessions */
		return ui_timeline_show(v->ui, true);
	ui_timeline_show(v->ui, false);
	hg_app_select_session(v->app, v->pos.lineno - 1);
	return UI_R_DRAW | UI_R_LAYOUT;
}

static unsigned
request(struct ui_view *v, enum hg_ui_req req)
{
	switch (req) {
	case HG_REQ_FIRST:
	case HG_REQ_LAST:
		v->app->list_touched = true;
		return UI_R_NONE;	/* the engine moves */
	case HG_REQ_EXPAND:
	case HG_REQ_TOGGLE:
		v->app->list_touched = true;
		if (v->pos.lineno == 0)
			ui_timeline_show(v->ui, true);
		ui_focus(v->ui, UI_V_ENTRIES);
		return UI_R_DRAW;
	case HG_REQ_COLLAPSE:
		return UI_R_DRAW;
	case HG_REQ_SORT:
		hg_app_set_order(v->app, (v->app->sort_order + 1) % HG_ORDER_N);
		ui_message(v->ui, false, "sessions by %s", hg_app_order_name(v->app->sort_order));
		return UI_R_DRAW | UI_R_LAYOUT;
	default:
		return UI_R_NONE;
	}
}

const struct ui_view_ops ui_sessions_ops = {
	.name = "sessions",
	.update = update,
	.lines = lines,
	.draw = draw,
	.title = title,
	.empty = empty,
	.request = request,
	.select = select_line,
};
