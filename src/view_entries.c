/* view_entries.c - the entry tree of the selected session: one row per
 * entry, its attempts under it when expanded, notes under what they
 * annotate. The rows are built here (rows.c); the cursor row is the app's
 * entry selection, which the detail pane shows. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/parser.h"
#include "hgtop/sanitize.h"
#include "hgtop/ui_view.h"

struct entries {
	struct hg_rows rows;
};

static struct hg_rows *
rows_of(const struct ui_view *v)
{
	return &((struct entries *)v->priv)->rows;
}

static const struct hg_row *
current(const struct ui_view *v)
{
	const struct hg_rows *r = rows_of(v);

	if (!v->app->sel || r->s != v->app->sel || v->pos.lineno >= r->n)
		return NULL;
	return &r->v[v->pos.lineno];
}

/* Tell the app which entry the cursor is on (the detail pane shows it). */
static void
publish(struct ui_view *v)
{
	struct hg_app *a = v->app;
	const struct hg_row *row = current(v);

	a->hidden = rows_of(v)->hidden;
	if (!row) {
		if (a->has_entry && rows_of(v)->s == a->sel)
			hg_app_select_none(a);
		return;
	}
	if (!a->has_entry || a->sel_entry != row->entry || a->sel_attempt != row->attempt)
		hg_app_select_entry(a, row->entry, row->attempt);
}

/* The row of an entry; an annotation may sit under the entry it is about. */
static ssize_t
row_of(const struct hg_rows *r, size_t entry, int32_t attempt)
{
	ssize_t i = hg_rows_find(r, entry, attempt);
	size_t k;

	for (k = 0; i < 0 && k < r->n; k++)
		if (r->v[k].entry == entry)
			i = (ssize_t)k;
	return i;
}

/* The app selected an attempt of a collapsed entry (a search match in
 * it): show the entry's attempts. */
static void
reveal(struct ui_view *v)
{
	struct hg_app *a = v->app;
	struct hg_rows *r = rows_of(v);
	ssize_t i;

	if (a->sel_attempt < 0 || (i = hg_rows_find(r, a->sel_entry, -1)) < 0 ||
	    (r->v[i].flags & HG_ROW_EXPANDED) || !(r->v[i].flags & HG_ROW_PARENT))
		return;
	hg_expand_set(&hg_app_sess(a->sel)->expand, a->sel->entries[a->sel_entry].line_no, true);
	hg_rows_set_expanded(r, (size_t)i, true, &a->rf);
}

/* After the rows changed: the cursor on the newest row while following,
 * else on the selected entry (or the nearest one still shown). */
static void
place_cursor(struct ui_view *v)
{
	struct hg_app *a = v->app;
	struct hg_rows *r = rows_of(v);
	ssize_t i;

	if (hg_app_following(a)) {
		v->pos.lineno = r->n ? r->n - 1 : 0;
	} else if (a->has_entry) {
		i = hg_rows_find(r, a->sel_entry, a->sel_attempt);
		v->pos.lineno = i >= 0 ? (size_t)i : hg_rows_nearest(r, a->sel_entry);
	}
	ui_view_clamp(v);
}

static unsigned
update(struct ui_view *v, unsigned events)
{
	struct hg_app *a = v->app;
	struct hg_rows *r = rows_of(v);
	struct hg_app_sess *as;
	bool rebuild = (events & (HG_APP_EV_FILTER | HG_APP_EV_NOTES)) != 0, changed;

	if (!a->sel) {
		if (r->s || r->n)
			hg_rows_build(r, NULL, NULL, NULL);
		return UI_R_NONE;
	}
	as = hg_app_sess(a->sel);
	if (r->s != a->sel) {
		v->pos.offset = 0;
		v->pos.col = 0;
		rebuild = true;
	}
	if (!rebuild && !(events & (HG_APP_EV_SELECTED | HG_APP_EV_ENTRIES | HG_APP_EV_SELECT |
				     HG_APP_EV_FOLLOW)))
		return UI_R_NONE;
	hg_app_match_update(a, a->sel);
	r->notes = &as->notes;
	if (rebuild) {
		hg_rows_build(r, a->sel, &as->expand, &a->rf);
		changed = true;
	} else {
		changed = hg_rows_update(r, a->sel, &as->expand, &a->rf);
	}
	if (events & HG_APP_EV_SELECT && a->has_entry) {
		/* The app moved the selection (a search match). */
		ssize_t i;

		reveal(v);
		i = row_of(r, a->sel_entry, a->sel_attempt);

		if (i >= 0) {
			if (a->follow && (size_t)i + 1 < r->n)
				a->paused = true;
			v->pos.lineno = (size_t)i;
			ui_view_clamp(v);
		}
	} else if (changed || (events & HG_APP_EV_FOLLOW)) {
		place_cursor(v);
	}
	publish(v);
	return UI_R_DRAW;
}

static unsigned
select_line(struct ui_view *v, size_t from)
{
	v->app->list_touched = true;
	if (v->pos.lineno < from && hg_app_following(v->app)) {
		hg_app_pause(v->app);
		ui_message(v->ui, false, "follow paused (%s resumes)", hg_ui_key(HG_REQ_LAST));
	}
	publish(v);
	return UI_R_DRAW;
}

/* how: 1 expand, 0 collapse, -1 toggle. */
static unsigned
expand(struct ui_view *v, int how)
{
	struct hg_app *a = v->app;
	struct hg_rows *r = rows_of(v);
	const struct hg_row *row = current(v);
	size_t i;
	bool on;

	if (!row)
		return UI_R_DONE;
	i = v->pos.lineno;
	if (row->attempt >= 0) {
		if (how != 0)
			return UI_R_DONE;
		i = hg_rows_parent(r, i);	/* collapse from an attempt */
	}
	row = &r->v[i];
	if (!(row->flags & HG_ROW_PARENT))
		return UI_R_DONE;
	on = how < 0 ? !(row->flags & HG_ROW_EXPANDED) : how == 1;
	hg_expand_set(&hg_app_sess(a->sel)->expand, a->sel->entries[row->entry].line_no, on);
	hg_rows_set_expanded(r, i, on, &a->rf);
	v->pos.lineno = i;
	ui_view_clamp(v);
	publish(v);
	return UI_R_DRAW;
}

static unsigned
expand_all(struct ui_view *v, bool on)
{
	struct hg_app *a = v->app;

	if (!a->sel)
		return UI_R_DONE;
	hg_expand_all(&hg_app_sess(a->sel)->expand, on);
	hg_rows_build(rows_of(v), a->sel, &hg_app_sess(a->sel)->expand, &a->rf);
	place_cursor(v);
	publish(v);
	return UI_R_DRAW;
}

static unsigned
request(struct ui_view *v, enum hg_ui_req req)
{
	if (ui_req_moves(req)) {
		/* Reading the selected session is a choice: follow must not
		 * switch it away; the newest entry resumes following. */
		v->app->list_touched = true;
		if (req == HG_REQ_LAST)
			hg_app_resume(v->app);
		return UI_R_NONE;	/* the engine moves */
	}
	switch (req) {
	case HG_REQ_EXPAND:
		return expand(v, 1);
	case HG_REQ_COLLAPSE:
		return expand(v, 0);
	case HG_REQ_TOGGLE:
		return expand(v, -1);
	case HG_REQ_EXPAND_ALL:
	case HG_REQ_COLLAPSE_ALL:
		return expand_all(v, req == HG_REQ_EXPAND_ALL);
	default:
		return UI_R_NONE;
	}
}

/* Drawing */

struct cell {
	int y, x, end;		/* current column and the row's last column */
	int base;		/* selection attributes */
	bool plain;		/* selected in an unfocused pane: no colours */
};

static int
role_attr(const struct cell *c, int role)
{
	return c->plain ? c->base : c->base | ui_attr((enum ui_role)role);
}

/* Put text in a column of width w (or the rest when w <= 0), then a gap. */
static void
col(struct cell *c, const char *s, int w, int role)
{
	int avail = c->end - c->x;

	if (w <= 0 || w > avail)
		w = avail;
	if (w <= 0)
		return;
	ui_put(c->y, c->x, w, s, role_attr(c, role));
	ui_mark(c->y, c->x, w, s, strlen(s));
	c->x += w + 1;
}

static int
status_role(const char *st)
{
	if (!strcmp(st, "ok") || !strcmp(st, "success") || !strcmp(st, "done"))
		return UI_ROLE_ACCEPT;
	if (!strcmp(st, "failed") || !strcmp(st, "error") || !strcmp(st, "fail"))
		return UI_ROLE_ERROR;
	if (!strcmp(st, "escalated"))
		return UI_ROLE_ESCALATE;
	return UI_ROLE_NORMAL;
}

static void
draw_chain(struct cell *c, const struct hg_entry *e, int w)
{
	int x0 = c->x, stop = c->x + w < c->end ? c->x + w : c->end;
	uint32_t i;

	for (i = 0; i < e->n_attempts && c->x < stop; i++) {
		const char *t = hg_attempt_tier(&e->attempts[i]);

		if (i)
			c->x += ui_put(c->y, c->x, stop - c->x, ui_g->arrow, role_attr(c, UI_ROLE_DIM));
		c->x += ui_put(c->y, c->x, stop - c->x, *t ? t : "?",
			       role_attr(c, ui_tier_role(e->attempts[i].tier)));
	}
	if (!e->n_attempts)
		ui_put(c->y, c->x, stop - c->x, "-", role_attr(c, UI_ROLE_DIM));
	c->x = x0 + w + 1;
}

static int
skill_width(int w)
{
	int sk = w / 5;

	return sk < 10 ? 10 : sk > 24 ? 24 : sk;
}

static void
first_line(const char *s, char *buf, size_t n)
{
	size_t k = strcspn(s ? s : "", "\n");

	if (k >= n)
		k = n - 1;
	memcpy(buf, s ? s : "", k);
	buf[k] = '\0';
}

static void
draw_entry(struct cell *c, const struct hg_entry *e, const struct hg_row *row, int w)
{
	char t[16], d[16], msg[256];
	const char *glyph = !(row->flags & HG_ROW_PARENT) ? " " :
		row->flags & HG_ROW_EXPANDED ? ui_g->open : ui_g->closed;

	if (e->ts_zero)
		snprintf(t, sizeof(t), "--:--:--");
	else
		hg_format_clock(e->ts_ns, t, sizeof(t));
	col(c, t, 8, UI_ROLE_DIM);
	col(c, glyph, 1, row->flags & HG_ROW_MATCH ? UI_ROLE_MATCH : UI_ROLE_DIM);
	col(c, e->skill, skill_width(w), UI_ROLE_NORMAL);
	col(c, e->final_status, 9, status_role(e->final_status));
	draw_chain(c, e, w >= 100 ? 26 : 18);
	if (e->duration_ms > 0)
		hg_fmt_duration(d, sizeof(d), e->duration_ms);
	else
		snprintf(d, sizeof(d), "-");
	snprintf(t, sizeof(t), "%7s", d);
	col(c, t, 7, UI_ROLE_NORMAL);
	if (e->message) {
		first_line(e->message, msg, sizeof(msg));
		c->x++;
		col(c, msg, 0, UI_ROLE_DIM);
	}
}

static void
draw_attempt(struct cell *c, const struct hg_entry *e, const struct hg_row *row)
{
	const struct hg_attempt *a = &e->attempts[row->attempt];
	char n[24], d[16], fb[256], q[260];

	c->x += 11;
	snprintf(n, sizeof(n), "#%lld", (long long)a->attempt);
	col(c, n, 3, row->flags & HG_ROW_MATCH ? UI_ROLE_MATCH : UI_ROLE_DIM);
	col(c, hg_attempt_tier(a), 8, ui_tier_role(a->tier));
	col(c, a->model, 18, UI_ROLE_NORMAL);
	hg_fmt_duration(d, sizeof(d), a->duration_ms);
	snprintf(fb, sizeof(fb), "%6s", d);
	col(c, fb, 6, UI_ROLE_NORMAL);
	col(c, a->warm_start ? "warm" : "cold", 4, UI_ROLE_DIM);
	col(c, a->verified ? ui_g->check : ui_g->cross, 1,
	    a->verified ? UI_ROLE_ACCEPT : UI_ROLE_DIM);
	col(c, hg_attempt_verdict(a), 8, ui_verdict_role(a->verdict));
	if (a->feedback && *a->feedback) {
		first_line(a->feedback, fb, sizeof(fb));
		snprintf(q, sizeof(q), "\"%s\"", fb);
		col(c, q, 0, UI_ROLE_NORMAL);
	} else if (a->feedback_len) {
		col(c, "(long feedback: see detail)", 0, UI_ROLE_DIM);
	}
}

static void
draw_unparsable(struct cell *c, const struct hg_entry *e)
{
	char buf[600];

	char ln[24];

	snprintf(buf, sizeof(buf), "line %s", hg_line_str(e->line_no, ln, sizeof(ln)));
	col(c, buf, 8, UI_ROLE_DIM);
	col(c, ui_g->cross, 1, UI_ROLE_ERROR);
	snprintf(buf, sizeof(buf), "unparsable: %s", e->reason ? e->reason : "?");
	col(c, buf, 0, UI_ROLE_ERROR);
}

static void
draw_annotation(struct cell *c, const struct hg_entry *e, const struct hg_row *row)
{
	char t[16], buf[400];
	char text[256];

	if (row->depth > 0) {
		c->x += row->depth > 1 ? 15 : 11;	/* under the entry, or its attempt */
	} else {
		hg_format_clock(e->ts_ns, t, sizeof(t));
		col(c, t, 8, UI_ROLE_DIM);
	}
	first_line(e->message ? e->message : "(long note: see detail)", text, sizeof(text));
	snprintf(buf, sizeof(buf), "%s note (%s): %s", ui_g->note,
		 e->ann_author && *e->ann_author ? e->ann_author : "?", text);
	col(c, buf, 0, UI_ROLE_NOTE);
}

static void
draw(struct ui_view *v, size_t line, int y)
{
	struct hg_app *a = v->app;
	const struct ui_rect *r = &v->rect;
	const struct hg_row *row = &rows_of(v)->v[line];
	const struct hg_entry *e = &a->sel->entries[row->entry];
	struct cell c = { y, r->x + 1, r->x + r->w - 1, 0, false };
	struct hg_row hl;

	if (line == v->pos.lineno) {
		c.plain = !ui_view_focused(v);
		c.base = c.plain ? ui_attr(UI_ROLE_TITLE) : (int)A_REVERSE;
	}
	ui_fill(y, r->x, r->w, c.base);
	if (hg_app_highlight(a, e, row)) {
		hl = *row;
		hl.flags |= HG_ROW_MATCH;
		row = &hl;
	}
	if (row->kind == HG_ROW_ATTEMPT)
		draw_attempt(&c, e, row);
	else if (row->kind == HG_ROW_UNPARSABLE)
		draw_unparsable(&c, e);
	else if (row->kind == HG_ROW_ANNOTATION)
		draw_annotation(&c, e, row);
	else
		draw_entry(&c, e, row, r->w);
}

static void
title(struct ui_view *v, char *left, size_t nl, char *right, size_t nr)
{
	const struct hg_rows *r = rows_of(v);
	struct hg_session *s = v->app->sel;
	char cnt[32], c1[32], c2[32];

	if (!s) {
		snprintf(left, nl, "Entries");
		return;
	}
	hg_fmt_count(cnt, sizeof(cnt), (int64_t)s->n_entries);
	snprintf(left, nl, "%s  %s line%s%s%s", s->id, cnt, s->n_entries == 1 ? "" : "s",
		 s->gone ? "  (gone)" : hg_app_live(s) ? "  (live)" : "",
		 s->err ? "  (read error)" : "");
	if (r->hidden)
		snprintf(left + strlen(left), nl - strlen(left), "  %s hidden",
			 ui_count(c1, sizeof(c1), r->hidden));
	snprintf(right, nr, "%s/%s", ui_count(c1, sizeof(c1), r->n ? v->pos.lineno + 1 : 0),
		 ui_count(c2, sizeof(c2), r->n));
}

static const char *
empty(struct ui_view *v, char *buf, size_t n)
{
	const struct hg_app *a = v->app;

	if (!a->sel)
		snprintf(buf, n, "no session selected");
	else if (rows_of(v)->hidden)
		snprintf(buf, n, "no entries match %s  (%zu hidden; %s clears the filter)",
			 a->filter_text ? a->filter_text : "the filter", rows_of(v)->hidden,
			 hg_ui_key(HG_REQ_CLEAR));
	else if (a->loading)
		snprintf(buf, n, "loading...");
	else
		snprintf(buf, n, "no entries yet");
	return buf;
}

static size_t
lines(const struct ui_view *v)
{
	return v->app->sel ? rows_of(v)->n : 0;
}

static void
init(struct ui_view *v)
{
	v->priv = xcalloc(1, sizeof(struct entries));
}

static void
done(struct ui_view *v)
{
	hg_rows_free(rows_of(v));
	free(v->priv);
	v->priv = NULL;
}

const struct ui_view_ops ui_entries_ops = {
	.name = "entries",
	.flags = UI_VF_CLICK_TOGGLES,
	.init = init,
	.done = done,
	.update = update,
	.lines = lines,
	.draw = draw,
	.title = title,
	.empty = empty,
	.request = request,
	.select = select_line,
};
