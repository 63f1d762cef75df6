/* ui_tree.c - the entry tree of the selected session. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/parser.h"
#include "hgtop/sanitize.h"
#include "hgtop/ui_int.h"

struct ui_sess *
ui_sess_of(struct hg_session *s)
{
	if (!s->user)
		s->user = xcalloc(1, sizeof(struct ui_sess));
	return s->user;
}

void
ui_sess_free(struct hg_session *s)
{
	struct ui_sess *us = s->user;

	if (!us)
		return;
	hg_expand_free(&us->expand);
	hg_ann_index_free(&us->notes);
	ui_filter_sess_free(us);
	free(us);
	s->user = NULL;
}

const struct hg_row *
ui_tree_current(const struct hg_ui *u)
{
	const struct ui_pos *p = &u->pos[UI_TREE];

	if (!u->sel || u->rows.s != u->sel || p->lineno >= u->rows.n)
		return NULL;
	return &u->rows.v[p->lineno];
}

/* Save the cursor of the selected session by stable id before leaving. */
void
ui_tree_remember(struct hg_ui *u)
{
	const struct hg_row *row = ui_tree_current(u);
	struct ui_sess *us;

	if (!row)
		return;
	us = ui_sess_of(u->sel);
	us->sel_entry = row->entry;
	us->sel_attempt = row->attempt;
	us->has_sel = true;
}

static void
place_cursor(struct hg_ui *u, bool had, size_t entry, int32_t attempt)
{
	struct ui_pos *p = &u->pos[UI_TREE];
	ssize_t i;

	if (u->follow && !u->paused) {
		p->lineno = u->rows.n ? u->rows.n - 1 : 0;
	} else if (had) {
		i = hg_rows_find(&u->rows, entry, attempt);
		p->lineno = i >= 0 ? (size_t)i : hg_rows_nearest(&u->rows, entry);
	}
	ui_clamp(p, u->rows.n, ui_pane_height(u, UI_TREE));
}

/* Bring the rows up to date with the selected session, keeping the cursor
 * on the same entry/attempt (or on the newest entry while following). */
void
ui_tree_sync(struct hg_ui *u, bool rebuild)
{
	const struct hg_row *cur = ui_tree_current(u);
	size_t entry = cur ? cur->entry : 0;
	int32_t attempt = cur ? cur->attempt : -1;
	bool had = cur != NULL, changed;
	struct ui_sess *us;

	if (!u->sel) {
		hg_rows_build(&u->rows, NULL, NULL, NULL);
		return;
	}
	us = ui_sess_of(u->sel);
	if (u->rows.s != u->sel) {
		had = us->has_sel;
		entry = us->sel_entry;
		attempt = us->sel_attempt;
		u->pos[UI_TREE].offset = 0;
		u->pos[UI_TREE].col = 0;
		rebuild = true;
	}
	/* Notes attached to earlier entries need those rows rebuilt. */
	if (ui_notes_sync(u, u->sel))
		rebuild = true;
	ui_filter_update(u, u->sel);
	u->rows.notes = &us->notes;
	if (rebuild) {
		hg_rows_build(&u->rows, u->sel, &us->expand, &u->rf);
		changed = true;
	} else {
		changed = hg_rows_update(&u->rows, u->sel, &us->expand, &u->rf);
	}
	if (!changed)
		return;
	place_cursor(u, had, entry, attempt);
	u->pending |= UI_R_DRAW;
}

/* how: 1 expand, 0 collapse, -1 toggle. Returns UI_R_* flags. */
unsigned
ui_tree_expand(struct hg_ui *u, int how)
{
	struct ui_pos *p = &u->pos[UI_TREE];
	const struct hg_row *row = ui_tree_current(u);
	struct ui_sess *us;
	size_t i;
	bool on;

	if (!row)
		return UI_R_NONE;
	i = p->lineno;
	if (row->attempt >= 0) {
		if (how != 0)
			return UI_R_NONE;
		i = hg_rows_parent(&u->rows, i);	/* collapse from an attempt */
	}
	row = &u->rows.v[i];
	if (!(row->flags & HG_ROW_PARENT))
		return UI_R_NONE;
	on = how < 0 ? !(row->flags & HG_ROW_EXPANDED) : how == 1;
	us = ui_sess_of(u->sel);
	hg_expand_set(&us->expand, u->sel->entries[row->entry].line_no, on);
	hg_rows_set_expanded(&u->rows, i, on, &u->rf);
	p->lineno = i;
	ui_clamp(p, u->rows.n, ui_pane_height(u, UI_TREE));
	ui_detail_invalidate(u);
	return UI_R_DRAW;
}

unsigned
ui_tree_expand_all(struct hg_ui *u, bool on)
{
	if (!u->sel)
		return UI_R_NONE;
	hg_expand_all(&ui_sess_of(u->sel)->expand, on);
	ui_tree_sync(u, true);
	ui_detail_invalidate(u);
	return UI_R_DRAW;
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
	ui_search_mark(c->y, c->x, w, s, strlen(s));
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
draw_row(struct hg_ui *u, size_t i, int y)
{
	const struct ui_rect *r = &u->lay.tree;
	const struct hg_row *row = &u->rows.v[i];
	const struct hg_entry *e = &u->sel->entries[row->entry];
	bool sel = i == u->pos[UI_TREE].lineno;
	struct cell c = { y, r->x + 1, r->x + r->w - 1, 0, false };
	struct hg_row hl;

	if (sel) {
		c.plain = u->focus != UI_TREE;
		c.base = c.plain ? ui_attr(UI_ROLE_TITLE) : (int)A_REVERSE;
	}
	ui_fill(y, r->x, r->w, c.base);
	if (ui_filter_highlight(u, e, row)) {
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
draw_title(struct hg_ui *u)
{
	char left[160], right[64], cnt[32], c1[32], c2[32];
	struct hg_session *s = u->sel;

	if (!s) {
		ui_draw_title(&u->lay.tree_title, "Entries", NULL, u->focus == UI_TREE);
		return;
	}
	hg_fmt_count(cnt, sizeof(cnt), (int64_t)s->n_entries);
	snprintf(left, sizeof(left), "%s  %s line%s%s%s", s->id, cnt, s->n_entries == 1 ? "" : "s",
		 s->gone ? "  (gone)" : ui_session_live(s) ? "  (live)" : "",
		 s->err ? "  (read error)" : "");
	if (u->rows.hidden)
		snprintf(left + strlen(left), sizeof(left) - strlen(left), "  %s hidden",
			 ui_count(c1, sizeof(c1), u->rows.hidden));
	snprintf(right, sizeof(right), "%s/%s",
		 ui_count(c1, sizeof(c1), u->rows.n ? u->pos[UI_TREE].lineno + 1 : 0),
		 ui_count(c2, sizeof(c2), u->rows.n));
	ui_draw_title(&u->lay.tree_title, left, right, u->focus == UI_TREE);
}

static void
draw_empty(struct hg_ui *u)
{
	const struct ui_rect *r = &u->lay.tree;
	char buf[600];

	if (!u->sel)
		snprintf(buf, sizeof(buf), "no session selected");
	else if (u->rows.hidden)
		snprintf(buf, sizeof(buf), "no entries match %s  (%zu hidden; x clears the filter)",
			 u->filter_text ? u->filter_text : "the filter", u->rows.hidden);
	else if (u->loading)
		snprintf(buf, sizeof(buf), "loading...");
	else
		snprintf(buf, sizeof(buf), "no entries yet");
	ui_put(r->y, r->x + 1, r->w - 2, buf, ui_attr(UI_ROLE_DIM));
}

void
ui_tree_draw(struct hg_ui *u)
{
	const struct ui_rect *r = &u->lay.tree;
	struct ui_pos *p = &u->pos[UI_TREE];
	size_t i;

	if (u->stats) {
		ui_stats_draw(u);	/* in place of the tree and the detail */
		return;
	}
	ui_clamp(p, u->rows.n, r->h);
	draw_title(u);
	if (!u->sel || u->rows.n == 0) {
		draw_empty(u);
		return;
	}
	for (i = 0; i < (size_t)r->h && p->offset + i < u->rows.n; i++)
		draw_row(u, p->offset + i, r->y + (int)i);
}
