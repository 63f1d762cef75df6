/* view_timeline.c - every entry of every session in one list, by time:
 * the app's merged index (timeline.h) as tree rows with a session column,
 * in the tree's pane. The cursor row is the app's selection (its session
 * and entry), which the detail pane, notes and search use as they do for
 * the per-session tree. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/ui_view.h"

struct timeline {
	struct hg_tl_rows rows;
	struct hg_tl_hooks hooks;
	bool built;
	bool had_expanded;	/* rows made while an entry was expanded */
};

static struct timeline *
tl_of(const struct ui_view *v)
{
	return v->priv;
}

static bool
expanded(struct hg_session *s, const struct hg_entry *e, void *ctx)
{
	(void)ctx;
	return hg_expand_get(&hg_app_sess(s)->expand, hg_entry_line(e));
}

static bool
visible(const struct hg_session *s, const struct hg_entry *e, void *ctx)
{
	(void)ctx;
	return hg_app_matches(s, (size_t)(e - s->entries));
}

/* Does any session have an expanded entry? (Without, rows are made
 * without looking at each entry's session: many fewer cache misses.) */
static bool
any_expanded(const struct hg_app *a)
{
	size_t i;

	for (i = 0; i < a->tl.n_sess; i++) {
		const struct hg_app_sess *as = a->tl.sess[i].s->user;

		if (as && (as->expand.n || as->expand.all))
			return true;
	}
	return false;
}

static const struct hg_ann_index *
notes(const struct hg_session *s, void *ctx)
{
	const struct hg_app_sess *as = s->user;

	(void)ctx;
	return &as->notes;
}

/* Does any session have notes on its entries? (Without, rows are made
 * without looking at each entry.) */
static bool
any_notes(const struct hg_app *a)
{
	size_t i;

	for (i = 0; i < a->tl.n_sess; i++) {
		const struct hg_app_sess *as = a->tl.sess[i].s->user;

		if (as && as->notes.n)
			return true;
	}
	return false;
}

static const struct hg_tl_hooks *
hooks(struct ui_view *v)
{
	struct timeline *T = tl_of(v);

	T->hooks.visible = v->app->filter ? visible : NULL;
	T->hooks.highlight = NULL;
	T->hooks.expanded = any_expanded(v->app) ? expanded : NULL;
	if (T->hooks.expanded)
		T->had_expanded = true;
	T->hooks.ctx = v->app;
	/* A filter that asks for notes shows them as rows of their own. */
	T->hooks.notes = !hg_filter_lists_notes(v->app->filter) && any_notes(v->app) ? notes : NULL;
	return &T->hooks;
}

static const struct hg_row *
current(const struct ui_view *v)
{
	const struct hg_tl_rows *r = &tl_of(v)->rows;

	return v->pos.lineno < r->n ? &r->v[v->pos.lineno] : NULL;
}

static const struct hg_tl_ref *
ref_of(const struct ui_view *v, const struct hg_row *row)
{
	return &v->app->tl.v[row->ref];
}

/* The session and entry of row I: a note under an entry is in the
 * entry's session. */
static struct hg_session *
row_entry(const struct ui_view *v, size_t i, uint32_t *entry)
{
	const struct hg_tl_rows *r = &tl_of(v)->rows;
	const struct hg_row *row = &r->v[i];
	const struct hg_tl_ref *ref = ref_of(v, &r->v[hg_tl_rows_parent(r, i)]);

	*entry = row->kind == HG_ROW_ANNOTATION && row->depth > 0 ? row->entry : ref->entry;
	return hg_timeline_session(&v->app->tl, ref);
}

/* The cursor row becomes the app's selection: its session, its entry. */
static void
publish(struct ui_view *v)
{
	struct hg_app *a = v->app;
	const struct hg_row *row = current(v);
	struct hg_session *s;
	int32_t attempt;
	uint32_t entry;

	a->hidden = tl_of(v)->rows.hidden;
	if (!row)
		return;
	s = row_entry(v, v->pos.lineno, &entry);
	attempt = row->attempt;
	hg_app_timeline_select(a, s);
	if (!a->has_entry || a->sel_entry != entry || a->sel_attempt != attempt)
		hg_app_select_entry(a, entry, attempt);
}

/* The row of the app's selection, or -1. */
static ssize_t
selected_row(const struct ui_view *v)
{
	struct hg_app *a = v->app;

	if (!a->sel || !a->has_entry || !hg_app_sess(a->sel)->tl_in)
		return -1;
	return hg_tl_rows_find_entry(&tl_of(v)->rows, &a->tl, hg_app_sess(a->sel)->tl_no,
				     a->sel_entry, a->sel_attempt, true);
}

static void
place_cursor(struct ui_view *v)
{
	const struct hg_tl_rows *r = &tl_of(v)->rows;
	ssize_t i;

	if (hg_app_following(v->app) || (i = selected_row(v)) < 0)
		v->pos.lineno = r->n ? r->n - 1 : 0;
	else
		v->pos.lineno = (size_t)i;
	ui_view_clamp(v);
}

/* Filter caches and notes of every session in the timeline, up to date;
 * true when notes came or went (the rows are made again). */
static bool
match_all(struct hg_app *a)
{
	bool notes = false;
	size_t i;

	for (i = 0; i < a->tl.n_sess; i++) {
		if (a->filter)
			hg_app_match_update(a, a->tl.sess[i].s);
		notes |= hg_app_notes_sync(a, a->tl.sess[i].s);
	}
	return notes;
}

/* A search match (or the app's selection) in a collapsed entry: open it. */
static void
reveal(struct ui_view *v)
{
	struct hg_app *a = v->app;
	struct hg_tl_rows *r = &tl_of(v)->rows;
	ssize_t at, i;

	if (a->sel_attempt < 0 || !hg_app_sess(a->sel)->tl_in ||
	    (at = hg_timeline_find(&a->tl, hg_app_sess(a->sel)->tl_no, a->sel_entry)) < 0 ||
	    (i = hg_tl_rows_find(r, (size_t)at, -1, false)) < 0 ||
	    (r->v[i].flags & HG_ROW_EXPANDED) || !(r->v[i].flags & HG_ROW_PARENT))
		return;
	hg_expand_set(&hg_app_sess(a->sel)->expand, hg_entry_line(&a->sel->entries[a->sel_entry]),
		      true);
	hg_tl_rows_set_expanded(r, &a->tl, (size_t)i, true, hooks(v));
}

static unsigned
update(struct ui_view *v, unsigned events)
{
	struct hg_app *a = v->app;
	struct timeline *T = tl_of(v);
	bool changed;

	if (v != ui_view(v->ui, UI_V_ENTRIES)) {
		/* Not shown: the rows follow the index as entries arrive (so
		 * opening costs no row-making on a large corpus); a new filter
		 * waits until the timeline is shown. */
		if (events & (HG_APP_EV_FILTER | HG_APP_EV_NOTES))
			T->built = false;
		if (T->built && (events & (HG_APP_EV_ENTRIES | HG_APP_EV_SESSIONS))) {
			hg_app_timeline(a);
			if (match_all(a))
				hg_tl_rows_build(&T->rows, &a->tl, hooks(v));
			else
				hg_tl_rows_update(&T->rows, &a->tl, hooks(v));
		}
		return UI_R_NONE;
	}
	if (!T->built || (events & (HG_APP_EV_FILTER | HG_APP_EV_NOTES))) {
		/* Shown once: from then on kept up to date as entries
		 * arrive, so that opening it again costs no merge. */
		a->tl_keep = true;
		hg_app_timeline(a);
		match_all(a);
		hg_tl_rows_build(&T->rows, &a->tl, hooks(v));
		T->built = true;
		changed = true;
	} else if (events & (HG_APP_EV_ENTRIES | HG_APP_EV_SELECTED | HG_APP_EV_SESSIONS |
			     HG_APP_EV_SELECT | HG_APP_EV_FOLLOW)) {
		hg_app_timeline(a);
		if (match_all(a)) {
			hg_tl_rows_build(&T->rows, &a->tl, hooks(v));
			changed = true;
		} else {
			changed = hg_tl_rows_update(&T->rows, &a->tl, hooks(v));
		}
	} else {
		return UI_R_NONE;
	}
	if ((events & HG_APP_EV_SELECT) && a->has_entry &&
	    (a->jump_match || !hg_app_following(a))) {
		ssize_t i;

		reveal(v);
		i = selected_row(v);
		if (i >= 0 && (size_t)i != v->pos.lineno)
			ui_tree_cursor_to(v, T->rows.n, (size_t)i);
	} else if (changed || (events & HG_APP_EV_FOLLOW)) {
		place_cursor(v);
	}
	publish(v);
	return UI_R_DRAW;
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
	struct hg_tl_rows *r = &tl_of(v)->rows;
	const struct hg_tl_ref *ref;
	size_t i;
	bool on;

	if (!ui_tree_expand_at(v, r->v, r->n, how, &i, &on))
		return UI_R_DONE;
	ref = ref_of(v, &r->v[i]);
	hg_expand_set(&hg_app_sess(hg_timeline_session(&a->tl, ref))->expand,
		      hg_entry_line(hg_timeline_entry(&a->tl, ref)), on);
	hg_tl_rows_set_expanded(r, &a->tl, i, on, hooks(v));
	ui_tree_expanded(v, r->v, r->n, i, on);
	publish(v);
	return UI_R_DRAW;
}

static unsigned
expand_all(struct ui_view *v, bool on)
{
	struct hg_app *a = v->app;
	size_t i;

	for (i = 0; i < a->tl.n_sess; i++)
		hg_expand_all(&hg_app_sess(a->tl.sess[i].s)->expand, on);
	hg_tl_rows_build(&tl_of(v)->rows, &a->tl, hooks(v));
	place_cursor(v);
	publish(v);
	return UI_R_DRAW;
}

static unsigned
request(struct ui_view *v, enum hg_ui_req req)
{
	return ui_tree_request(v, req, expand, expand_all);
}

/* The session column: a tenth of the pane, 8 to 16 columns. */
static int
sess_cols(const struct ui_view *v)
{
	int w = v->rect.w / 10;

	return w < 8 ? 8 : w > 16 ? 16 : w;
}

static void
draw(struct ui_view *v, size_t line, int y)
{
	const struct ui_rect *r = &v->rect;
	struct hg_row hr = tl_of(v)->rows.v[line];
	const struct hg_session *s = row_entry(v, line, &hr.entry);
	int base = 0, w = sess_cols(v);

	if (line == v->pos.lineno)
		base = ui_view_focused(v) ? (int)A_REVERSE : ui_attr(UI_ROLE_TITLE);
	ui_fill(y, r->x, r->w, base);
	if (hr.depth == 0 && hr.kind != HG_ROW_DAY)
		ui_put_id(y, r->x + 1, w, s->id, base | ui_attr(UI_ROLE_DIM), false);
	ui_entries_draw_row(v, s, &hr, line, y, w + 1);
}

static void
title(struct ui_view *v, char *left, size_t nl, char *right, size_t nr)
{
	const struct hg_tl_rows *r = &tl_of(v)->rows;
	char c1[32];

	snprintf(left, nl, "All sessions  %s line%s", ui_count(c1, sizeof(c1), v->app->tl.n),
		 v->app->tl.n == 1 ? "" : "s");
	ui_tree_title(v, r->hidden, r->n, left, nl, right, nr);
}

static const char *
empty(struct ui_view *v, char *buf, size_t n)
{
	return ui_tree_empty(v, tl_of(v)->rows.hidden, buf, n);
}

static size_t
lines(const struct ui_view *v)
{
	return tl_of(v)->rows.n;
}

static bool
selectable(const struct ui_view *v, size_t line)
{
	const struct hg_tl_rows *r = &tl_of(v)->rows;

	return line >= r->n || hg_row_selectable(&r->v[line]);
}

static void
init(struct ui_view *v)
{
	v->priv = xcalloc(1, sizeof(struct timeline));
	/* Nothing is indexed until the timeline is first shown: a browser
	 * that never opens it keeps no index and no rows of it. */
}

static void
done(struct ui_view *v)
{
	hg_tl_rows_free(&tl_of(v)->rows);
	free(v->priv);
	v->priv = NULL;
}

const struct ui_view_ops ui_timeline_ops = {
	.name = "timeline",
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

/* The two views trade places in the tree's pane; the one coming in is
 * brought up to date at once. */
unsigned
ui_timeline_show(struct hg_ui *u, bool on)
{
	struct ui_view tmp, *v;

	if (u->timeline == on)
		return UI_R_DRAW;
	tmp = u->views[UI_V_ENTRIES];
	u->views[UI_V_ENTRIES] = u->views[UI_V_TIMELINE];
	u->views[UI_V_TIMELINE] = tmp;
	u->timeline = on;
	hg_app_show_timeline(u->app, on);
	v = &u->views[UI_V_ENTRIES];
	v->rect = tmp.rect;
	v->title = tmp.title;
	if (on) {
		struct timeline *T = tl_of(v);

		u->app->list_touched = true;
		/* Entries expanded or collapsed in the tree meanwhile. */
		if (T->had_expanded || any_expanded(u->app)) {
			T->built = false;
			T->had_expanded = false;
		}
	}
	/* The entry tree is made again; the timeline's rows were kept. */
	u->pending |= v->ops->update(v, HG_APP_EV_SELECTED | HG_APP_EV_ENTRIES |
				     HG_APP_EV_FOLLOW | (on ? 0 : HG_APP_EV_FILTER));
	ui_view_clamp(v);
	u->app->events |= HG_APP_EV_SESSIONS;	/* the session list's cursor */
	return UI_R_DRAW | UI_R_LAYOUT;
}
