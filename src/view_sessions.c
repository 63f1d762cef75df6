/* view_sessions.c - the session list: newest activity first, counts,
 * markers. The order and the selection are the app's (hg_app_sort); this
 * view shows them and moves the selection. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void
draw(struct ui_view *v, size_t line, int y)
{
	struct hg_app *a = v->app;
	struct hg_session *s = line ? a->order[--line] : NULL;
	const struct ui_rect *r = &v->rect;
	bool sel = (s ? line + 1 : 0) == v->pos.lineno;
	int base = sel ? (ui_view_focused(v) ? (int)A_REVERSE : ui_attr(UI_ROLE_TITLE)) : 0;
	char right[96];
	int rw, x = r->x;
	const char *mark;

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
	put_id(y, x, r->w - (x - r->x) - rw - 1, s->id, base | (s->gone ? ui_attr(UI_ROLE_GONE) : 0));
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
