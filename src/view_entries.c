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
	hg_expand_set(&hg_app_sess(a->sel)->expand, hg_entry_line(&a->sel->entries[a->sel_entry]),
		      true);
	hg_rows_set_expanded(r, (size_t)i, true, &a->rf);
}

/* After the rows changed: the cursor on the newest row while following,
 * else on the selected entry (or the nearest one still shown); a session
 * with no entry chosen yet opens at its newest. */
static void
place_cursor(struct ui_view *v)
{
	struct hg_app *a = v->app;
	struct hg_rows *r = rows_of(v);
	ssize_t i;

	if (hg_app_following(a) || !a->has_entry) {
		v->pos.lineno = r->n ? r->n - 1 : 0;
	} else {
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
	/* A filter that asks for notes shows them as rows of their own. */
	r->notes = hg_filter_lists_notes(a->filter) ? NULL : &as->notes;
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
		if (i >= 0)
			ui_tree_cursor_to(v, r->n, (size_t)i);
	} else if (changed || (events & HG_APP_EV_FOLLOW)) {
		place_cursor(v);
	}
	publish(v);
	return UI_R_DRAW;
}

/* Shared with the timeline (ui_view.h) */

unsigned
ui_tree_select(struct ui_view *v, size_t from, void (*show)(struct ui_view *v))
{
	v->app->list_touched = true;
	if (v->pos.lineno < from && hg_app_following(v->app)) {
		hg_app_pause(v->app);
		ui_message(v->ui, false, "follow paused (%s resumes)", hg_ui_key(HG_REQ_LAST));
	}
	show(v);
	return UI_R_DRAW;
}

bool
ui_tree_expand_at(const struct ui_view *v, const struct hg_row *rows, size_t n, int how,
		  size_t *i, bool *on)
{
	const struct hg_row *row;

	if (v->pos.lineno >= n)
		return false;
	*i = v->pos.lineno;
	if (rows[*i].attempt >= 0) {
		if (how != 0)
			return false;
		*i = hg_row_parent(rows, n, *i);	/* collapse from an attempt */
	}
	row = &rows[*i];
	if (!(row->flags & HG_ROW_PARENT))
		return false;
	*on = how < 0 ? !(row->flags & HG_ROW_EXPANDED) : how == 1;
	return true;
}

/* Scrolled so that the rows under entry row I (its attempts and notes)
 * are in view, as many as fit with row I still at the top. */
void
ui_tree_expanded(struct ui_view *v, const struct hg_row *rows, size_t n, size_t i, bool on)
{
	size_t h = (size_t)ui_view_height(v), last = i;

	v->pos.lineno = i;
	ui_view_clamp(v);
	if (!on)
		return;
	while (last + 1 < n && rows[last + 1].depth > 0)
		last++;
	if (last - i + 1 > h)
		last = i + h - 1;
	if (last >= v->pos.offset + h)
		v->pos.offset = last - h + 1;
}

void
ui_tree_cursor_to(struct ui_view *v, size_t n, size_t i)
{
	if (i + 1 < n)
		hg_app_hold(v->app);
	v->pos.lineno = i;
	ui_view_clamp(v);
}

unsigned
ui_tree_request(struct ui_view *v, enum hg_ui_req req,
		unsigned (*expand)(struct ui_view *v, int how),
		unsigned (*expand_all)(struct ui_view *v, bool on))
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

void
ui_tree_title(const struct ui_view *v, size_t hidden, size_t n, char *left, size_t nl,
	      char *right, size_t nr)
{
	char c1[32], c2[32];

	if (hidden)
		snprintf(left + strlen(left), nl - strlen(left), "  %s hidden",
			 ui_count(c1, sizeof(c1), hidden));
	snprintf(right, nr, "%s/%s", ui_count(c1, sizeof(c1), n ? v->pos.lineno + 1 : 0),
		 ui_count(c2, sizeof(c2), n));
}

const char *
ui_tree_empty(const struct ui_view *v, size_t hidden, char *buf, size_t n)
{
	const struct hg_app *a = v->app;

	if (hidden)
		snprintf(buf, n, "no entries match %s  (%zu hidden; %s clears the filter)",
			 a->filter_text ? a->filter_text : "the filter", hidden,
			 hg_ui_key(HG_REQ_CLEAR));
	else if (a->loading)
		snprintf(buf, n, "loading...");
	else
		snprintf(buf, n, "no entries yet");
	return buf;
}

static unsigned
select_line(struct ui_view *v, size_t from)
{
	return ui_tree_select(v, from, publish);
}

/* how: 1 expand, 0 collapse, -1 toggle. */
static unsigned
expand(struct ui_view *v, int how)
{
	struct hg_app *a = v->app;
	struct hg_rows *r = rows_of(v);
	size_t i;
	bool on;

	if (!current(v) || !ui_tree_expand_at(v, r->v, r->n, how, &i, &on))
		return UI_R_DONE;
	hg_expand_set(&hg_app_sess(a->sel)->expand, hg_entry_line(&a->sel->entries[r->v[i].entry]),
		      on);
	hg_rows_set_expanded(r, i, on, &a->rf);
	ui_tree_expanded(v, r->v, r->n, i, on);
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


/* ] [ } { ) (: the next or previous entry with an error, an escalation
 * or a note, among the rows shown; nothing is expanded. */
static unsigned
jump(struct ui_view *v, enum hg_jump kind, int dir)
{
	static const char *const what[] = { "an error", "an escalation", "a note" };
	struct hg_app *a = v->app;
	struct hg_rows *r = rows_of(v);
	bool wrapped;
	ssize_t i;

	if (!a->sel || r->s != a->sel)
		return UI_R_DONE;
	i = hg_rows_jump(r, a->sel, v->pos.lineno, dir, kind, &wrapped);
	if (i < 0) {
		ui_message(v->ui, false, "no %sentries with %s",
			   r->n && hg_rows_jump_match(r, a->sel, hg_rows_parent(r, v->pos.lineno),
						      kind) ? "more " : "", what[kind]);
		return UI_R_DRAW;
	}
	a->list_touched = true;
	v->pos.lineno = (size_t)i;
	ui_view_clamp(v);
	if ((size_t)i + 1 < r->n && hg_app_following(a))
		hg_app_hold(a);
	if (wrapped)
		ui_message(v->ui, false, "wrapped to %s", dir > 0 ? "top" : "bottom");
	else if (!hg_app_following(a) && a->follow && a->paused)
		ui_message(v->ui, false, "follow paused (%s resumes)", hg_ui_key(HG_REQ_LAST));
	publish(v);
	return UI_R_DRAW;
}

static unsigned
request(struct ui_view *v, enum hg_ui_req req)
{
	switch (req) {
	case HG_REQ_NEXT_ERROR:
	case HG_REQ_PREV_ERROR:
		return jump(v, HG_JUMP_ERROR, req == HG_REQ_NEXT_ERROR ? 1 : -1);
	case HG_REQ_NEXT_ESCALATION:
	case HG_REQ_PREV_ESCALATION:
		return jump(v, HG_JUMP_ESCALATE, req == HG_REQ_NEXT_ESCALATION ? 1 : -1);
	case HG_REQ_NEXT_NOTE:
	case HG_REQ_PREV_NOTE:
		return jump(v, HG_JUMP_NOTE, req == HG_REQ_NEXT_NOTE ? 1 : -1);
	default:
		return ui_tree_request(v, req, expand, expand_all);
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

/* The columns of an entry row in a pane of AVAIL columns. The time, the
 * escalation chain and the duration are never cut (a chain too long for
 * its column is abbreviated to the first letter of each tier, L→S→M);
 * skill and status shrink on narrow panes, the message takes the rest. */
struct entry_cols {
	int skill, status, chain;
};

static void
entry_cols(int avail, struct entry_cols *w)
{
	int rest;

	w->chain = avail >= 96 ? 22 : avail >= 56 ? 14 : 5;
	w->skill = (avail + 2) / 5 < 10 ? 10 : (avail + 2) / 5 > 24 ? 24 : (avail + 2) / 5;
	w->status = 9;
	/* time, glyph, chain, duration and their gaps */
	rest = avail - 9 - 2 - (w->chain + 1) - 7;
	if (rest - (w->skill + 1) - (w->status + 1) >= 10)
		return;
	w->status = 6;
	w->skill = rest - (w->status + 1) - 1 - 10;
	if (w->skill < 8)
		w->skill = rest - (w->status + 1) - 1;
	if (w->skill > 10)
		w->skill = 10;
	if (w->skill < 1)
		w->skill = 1;
}

/* Columns of S once sanitized (as it will be drawn). */
static int
text_cols(const char *s)
{
	struct hg_buf b = { 0 };
	int w;

	ui_sanitize_line(&b, s, strlen(s));
	w = b.len ? hg_text_width(b.p, b.len) : 0;
	hg_buf_free(&b);
	return w;
}

static const char *
tier_text(const struct hg_attempt *a, bool abbrev, char *buf, size_t n)
{
	const char *t = hg_attempt_tier(a);
	unsigned char c = (unsigned char)t[0];

	if (!abbrev)
		return *t ? t : "?";
	snprintf(buf, n, "%c", c >= 'a' && c <= 'z' ? c - 'a' + 'A' :
		 (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '?');
	return buf;
}

/* The columns the chain takes, in full or abbreviated. */
static int
chain_cols(const struct hg_entry *e, bool abbrev)
{
	int w = 0;
	uint32_t i;
	char b[4];

	if (!e->n_attempts)
		return 1;
	for (i = 0; i < e->n_attempts; i++) {
		if (i)
			w += text_cols(abbrev ? ui_g->arrow_short : ui_g->arrow);
		if (e->n_attempts > HG_CHAIN_MAX && i == HG_CHAIN_HEAD) {
			w += text_cols(ui_g->ellipsis) + text_cols(abbrev ? ui_g->arrow_short : ui_g->arrow);
			i = e->n_attempts - HG_CHAIN_TAIL;
		}
		w += text_cols(tier_text(&e->attempts[i], abbrev, b, sizeof(b)));
	}
	return w;
}

/* The escalation chain in a column of W; it is never cut: abbreviated
 * when it does not fit, wider than W when even that does not fit; past
 * HG_CHAIN_MAX attempts summarised. */
static void
draw_chain(struct cell *c, const struct hg_entry *e, int w)
{
	bool abbrev = chain_cols(e, false) > w;
	int x0 = c->x, need = chain_cols(e, abbrev);
	const char *arrow = abbrev ? ui_g->arrow_short : ui_g->arrow;
	uint32_t i;
	char b[4];

	if (need > w)
		w = need;
	for (i = 0; i < e->n_attempts && c->x < c->end; i++) {
		if (i)
			c->x += ui_put(c->y, c->x, c->end - c->x, arrow, role_attr(c, UI_ROLE_DIM));
		/* More than HG_CHAIN_MAX: the first and the last few around
		 * an ellipsis, as --batch and the statistics show it. */
		if (e->n_attempts > HG_CHAIN_MAX && i == HG_CHAIN_HEAD) {
			c->x += ui_put(c->y, c->x, c->end - c->x, ui_g->ellipsis, role_attr(c, UI_ROLE_DIM));
			c->x += ui_put(c->y, c->x, c->end - c->x, arrow, role_attr(c, UI_ROLE_DIM));
			i = e->n_attempts - HG_CHAIN_TAIL;
		}
		c->x += ui_put(c->y, c->x, c->end - c->x, tier_text(&e->attempts[i], abbrev, b, sizeof(b)),
			       role_attr(c, ui_tier_role(e->attempts[i].tier)));
	}
	if (!e->n_attempts)
		ui_put(c->y, c->x, c->end - c->x, "-", role_attr(c, UI_ROLE_DIM));
	c->x = x0 + w + 1;
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

/* The first line of a text the entry does not keep in memory (a long
 * one, or any when entries are parsed without texts), read back from the
 * file: one reading gives the message and the first feedbacks, and the
 * last ones read are remembered, as rows are redrawn often. */
#define TEXT_CACHE 256
#define TEXT_READ 16		/* message + feedbacks of one reading */

static struct text_slot {
	const struct hg_session *s;
	unsigned generation;
	int64_t offset, length;
	int which;		/* -1 the message, else the attempt's feedback */
	char text[256];
} text_cache[TEXT_CACHE];
static unsigned text_next;

static struct text_slot *
text_find(const struct hg_session *s, const struct hg_entry *e, int which)
{
	for (size_t i = 0; i < TEXT_CACHE; i++) {
		struct text_slot *t = &text_cache[i];

		if (t->s == s && t->generation == s->generation && t->offset == e->offset &&
		    t->length == hg_entry_length(e) && t->which == which)
			return t;
	}
	return NULL;
}

static void
text_put(const struct hg_session *s, const struct hg_entry *e, int which, const char *text)
{
	struct text_slot *t = &text_cache[text_next++ % TEXT_CACHE];

	t->s = s;
	t->generation = s->generation;
	t->offset = e->offset;
	t->length = hg_entry_length(e);
	t->which = which;
	first_line(text, t->text, sizeof(t->text));
}

static void
read_first_line(const struct hg_session *s, const struct hg_entry *e, int which, char *buf,
		size_t n)
{
	const struct text_slot *t = text_find(s, e, which);
	char *texts[TEXT_READ];
	size_t k, first, count;

	if (!t) {
		/* The slots from this one on (an attempt's row reads its
		 * entry's next feedbacks with it). */
		first = (size_t)(which + 1);
		count = e->n_attempts + 1 - first;
		if (count > TEXT_READ)
			count = TEXT_READ;
		if (hg_session_entry_texts(s, e, first, texts, count) < 0) {
			first_line("(unreadable: see detail)", buf, n);
			return;
		}
		for (k = 0; k < count; k++) {
			text_put(s, e, (int)(first + k) - 1, texts[k] ? texts[k] : "");
			free(texts[k]);
		}
		t = text_find(s, e, which);
	}
	first_line(t ? t->text : "", buf, n);
}

static void
draw_entry(struct cell *c, const struct hg_session *s, const struct hg_entry *e,
	   const struct hg_row *row)
{
	char t[16], d[16], msg[256];
	const char *glyph = !(row->flags & HG_ROW_PARENT) ? " " :
		row->flags & HG_ROW_EXPANDED ? ui_g->open : ui_g->closed;
	struct entry_cols w;
	int dw, need, over;

	entry_cols(c->end - c->x, &w);
	if (hg_entry_ms(e) > 0)
		hg_fmt_duration(d, sizeof(d), hg_entry_ms(e));
	else
		snprintf(d, sizeof(d), "-");
	snprintf(t, sizeof(t), "%7s", d);
	dw = (int)strlen(t);
	/* A chain wider than its column even abbreviated takes its room
	 * from the skill, then the status, so that the duration stays whole. */
	need = chain_cols(e, chain_cols(e, false) > w.chain);
	over = 9 + 2 + (w.skill + 1) + (w.status + 1) + ((need > w.chain ? need : w.chain) + 1) + dw -
	       (c->end - c->x);
	while (over > 0 && w.skill > 1)
		w.skill--, over--;
	while (over > 0 && w.status > 1)
		w.status--, over--;
	if (e->ts_zero)
		snprintf(t, sizeof(t), "--:--:--");
	else
		hg_entry_clock(e, t, sizeof(t));
	col(c, t, 8, UI_ROLE_DIM);
	col(c, glyph, 1, row->flags & HG_ROW_MATCH ? UI_ROLE_MATCH : UI_ROLE_DIM);
	col(c, hg_entry_str(e, HG_E_SKILL), w.skill, UI_ROLE_NORMAL);
	col(c, hg_entry_str(e, HG_E_FINAL_STATUS), w.status,
	    status_role(hg_entry_str(e, HG_E_FINAL_STATUS)));
	draw_chain(c, e, w.chain);
	snprintf(t, sizeof(t), "%7s", d);
	col(c, t, dw, UI_ROLE_NORMAL);
	if (hg_entry_message_len(e) && c->x + 1 < c->end) {
		if (hg_entry_message(e))
			first_line(hg_entry_message(e), msg, sizeof(msg));
		else
			read_first_line(s, e, -1, msg, sizeof(msg));
		c->x++;
		col(c, msg, 0, UI_ROLE_DIM);
	}
}

static void
draw_attempt(struct cell *c, const struct hg_session *s, const struct hg_entry *e,
	     const struct hg_row *row)
{
	const struct hg_attempt *a = &e->attempts[row->attempt];
	char n[24], d[16], fb[256], q[260];

	c->x += 11;
	snprintf(n, sizeof(n), "#%lld", (long long)hg_attempt_no(a, (uint32_t)row->attempt));
	col(c, n, 3, row->flags & HG_ROW_MATCH ? UI_ROLE_MATCH : UI_ROLE_DIM);
	col(c, hg_attempt_tier(a), 8, ui_tier_role(a->tier));
	col(c, hg_sym_str(hg_attempt_model(a)), 18, UI_ROLE_NORMAL);
	hg_fmt_duration(d, sizeof(d), hg_attempt_ms(a));
	snprintf(fb, sizeof(fb), "%6s", d);
	col(c, fb, 6, UI_ROLE_NORMAL);
	col(c, hg_attempt_warm(a) ? "warm" : "cold", 4, UI_ROLE_DIM);
	col(c, hg_attempt_verified(a) ? ui_g->check : ui_g->unverified, 1,
	    hg_attempt_verified(a) ? UI_ROLE_ACCEPT : UI_ROLE_DIM);
	col(c, hg_attempt_verdict(a), 8, ui_verdict_role(a->verdict));
	if (hg_attempt_feedback_len(a)) {
		if (a->feedback_kept)
			first_line(hg_attempt_feedback(e, (uint32_t)row->attempt), fb, sizeof(fb));
		else
			read_first_line(s, e, (int)row->attempt, fb, sizeof(fb));
		snprintf(q, sizeof(q), "\"%s\"", fb);
		col(c, q, 0, UI_ROLE_NORMAL);
	}
}

static void
draw_unparsable(struct cell *c, const struct hg_entry *e)
{
	char buf[600];

	char ln[24];

	snprintf(buf, sizeof(buf), "line %s", hg_line_str(hg_entry_line(e), ln, sizeof(ln)));
	col(c, buf, 8, UI_ROLE_DIM);
	col(c, ui_g->cross, 1, UI_ROLE_ERROR);
	snprintf(buf, sizeof(buf), "unparsable: %s", hg_entry_reason(e) ? hg_entry_reason(e) : "?");
	col(c, buf, 0, UI_ROLE_ERROR);
}

static void
draw_annotation(struct cell *c, const struct hg_session *s, const struct hg_entry *e,
		const struct hg_row *row)
{
	char t[16], buf[400];
	char text[256];

	if (row->depth > 0) {
		c->x += row->depth > 1 ? 15 : 11;	/* under the entry, or its attempt */
	} else {
		hg_entry_clock(e, t, sizeof(t));
		col(c, t, 8, UI_ROLE_DIM);
	}
	if (hg_entry_message(e) || !hg_entry_message_len(e))
		first_line(hg_entry_message(e), text, sizeof(text));
	else
		read_first_line(s, e, -1, text, sizeof(text));
	snprintf(buf, sizeof(buf), "%s note (%s): %s", ui_g->note,
		 hg_note_author(e), text);
	col(c, buf, 0, UI_ROLE_NOTE);
}

/* "── 2026-11-28 ──────": the day of the entries below. */
static void
draw_day(struct cell *c, const struct hg_entry *e)
{
	char d[32], buf[64];
	int x;

	hg_entry_datetime(e, d, sizeof(d));
	d[strcspn(d, " ")] = '\0';
	snprintf(buf, sizeof(buf), "%s%s %s %s%s", ui_g->hline, ui_g->hline, d, ui_g->hline,
		 ui_g->hline);
	x = c->x + ui_put(c->y, c->x, c->end - c->x, buf, role_attr(c, UI_ROLE_DIM));
	for (; x < c->end; x++)
		ui_put(c->y, x, 1, ui_g->hline, role_attr(c, UI_ROLE_DIM));
}

static void
draw(struct ui_view *v, size_t line, int y)
{
	ui_entries_draw_row(v, v->app->sel, &rows_of(v)->v[line], line, y, 0);
}

void
ui_entries_draw_row(struct ui_view *v, const struct hg_session *s, const struct hg_row *row,
		    size_t line, int y, int skip)
{
	struct hg_app *a = v->app;
	const struct ui_rect *r = &v->rect;
	const struct hg_entry *e = &s->entries[row->entry];
	struct cell c = { y, r->x + 1 + skip, r->x + r->w - 1, 0, false };
	struct hg_row hl;

	if (line == v->pos.lineno) {
		c.plain = !ui_view_focused(v);
		c.base = c.plain ? ui_attr(UI_ROLE_TITLE) : (int)A_REVERSE;
	}
	if (!skip)
		ui_fill(y, r->x, r->w, c.base);
	if (row->kind == HG_ROW_DAY) {
		draw_day(&c, e);
		return;
	}
	if (hg_app_highlight(a, e, row)) {
		hl = *row;
		hl.flags |= HG_ROW_MATCH;
		row = &hl;
	}
	if (row->kind == HG_ROW_ATTEMPT)
		draw_attempt(&c, s, e, row);
	else if (row->kind == HG_ROW_UNPARSABLE)
		draw_unparsable(&c, e);
	else if (row->kind == HG_ROW_ANNOTATION)
		draw_annotation(&c, s, e, row);
	else
		draw_entry(&c, s, e, row);
}

static bool
selectable(const struct ui_view *v, size_t line)
{
	const struct hg_rows *r = rows_of(v);

	return line >= r->n || hg_row_selectable(&r->v[line]);
}

static void
title(struct ui_view *v, char *left, size_t nl, char *right, size_t nr)
{
	const struct hg_rows *r = rows_of(v);
	struct hg_session *s = v->app->sel;
	char cnt[32];

	if (!s) {
		snprintf(left, nl, "Entries");
		return;
	}
	hg_fmt_count(cnt, sizeof(cnt), (int64_t)s->n_entries);
	snprintf(left, nl, "%s  %s line%s%s%s", s->id, cnt, s->n_entries == 1 ? "" : "s",
		 s->gone ? "  (gone)" : hg_app_live(s) ? "  (live)" : "",
		 s->err ? "  (read error)" : "");
	ui_tree_title(v, r->hidden, r->n, left, nl, right, nr);
}

static const char *
empty(struct ui_view *v, char *buf, size_t n)
{
	if (!v->app->sel) {
		snprintf(buf, n, "no session selected");
		return buf;
	}
	return ui_tree_empty(v, rows_of(v)->hidden, buf, n);
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
	.selectable = selectable,
};
