/* view_stats.c - the stats view (`s`): the --stats report over every
 * session under the filter in force, opened over the panes, with a
 * cursor over its lines. O sorts the table under the cursor by its next
 * column; Enter on a row of the tiers, models, skills, projects or
 * sessions adds the row as a filter term (drill-down) and goes back to
 * the tree.
 *
 * Statistics cost a pass over all entries, so they are computed only
 * while shown (in update), and when entries arrive at most once per
 * REFRESH_NS: a burst of appends does not recompute per entry. A filter
 * change updates the view at once (the user asked for it). The one-line
 * meter under the header is the app's (hg_app_meter_line). */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/sanitize.h"
#include "hgtop/stats.h"
#include "hgtop/ui_view.h"

#define REFRESH_NS (500 * 1000000LL)

/* What a computation was made from. */
struct basis {
	unsigned serial;	/* ui_filter_serial */
	uint64_t stamp;		/* data_stamp */
	int64_t at_ns;		/* when (monotonic) */
	bool valid;
};

struct ui_stats {
	struct hg_stats *st;	/* the statistics shown (sorted as asked) */
	enum hg_stats_order order[HG_STATS_T_N];	/* chosen with O */
	struct hg_stats_line *map;	/* table and row of each line */
	size_t n_map;
	struct hg_buf text;	/* hg_stats_render output */
	size_t *starts;		/* line offsets into text */
	size_t n_lines;
	int widest;		/* columns of the widest line */
	bool shown;		/* on the screen at the last update */
	struct basis view;
};

static struct ui_stats *
state(const struct ui_view *v)
{
	return v->priv;
}

static void
init(struct ui_view *v)
{
	v->priv = xcalloc(1, sizeof(struct ui_stats));
}

static void
done(struct ui_view *v)
{
	struct ui_stats *st = state(v);

	hg_buf_free(&st->text);
	free(st->starts);
	free(st->map);
	hg_stats_free(st->st);
	free(st);
	v->priv = NULL;
}

/* Changes whenever entries arrive or a session is re-read. */
static uint64_t
data_stamp(const struct hg_app *u)
{
	uint64_t h = u->c->n;
	size_t i;

	for (i = 0; i < u->c->n; i++) {
		const struct hg_session *s = u->c->sessions[i];

		h = h * 1000003u + s->n_entries + ((uint64_t)s->generation << 40);
	}
	return h;
}

static bool
current(const struct basis *b, unsigned serial, uint64_t stamp)
{
	return b->valid && b->serial == serial && b->stamp == stamp;
}

static void
mark(struct basis *b, unsigned serial, uint64_t stamp, int64_t now)
{
	b->serial = serial;
	b->stamp = stamp;
	b->at_ns = now;
	b->valid = true;
}

/* The view */

/* The text of st->st, its lines and their tables. */
static void
render(struct ui_stats *st)
{
	size_t i, cap = 64;

	hg_buf_reset(&st->text);
	free(st->map);
	st->map = NULL;
	st->n_map = 0;
	hg_stats_render_lines(st->st, &st->text, ui_utf8, &st->map, &st->n_map);
	free(st->starts);
	st->starts = xmalloc(cap * sizeof(*st->starts));
	st->n_lines = 0;
	st->widest = 0;
	for (i = 0; i < st->text.len; i++) {
		if (i == 0 || st->text.p[i - 1] == '\n') {
			const char *nl = memchr(st->text.p + i, '\n', st->text.len - i);
			size_t len = nl ? (size_t)(nl - st->text.p) - i : st->text.len - i;
			int w = hg_text_width(st->text.p + i, len);

			if (st->n_lines == cap) {
				cap *= 2;
				st->starts = xrealloc(st->starts, cap * sizeof(*st->starts));
			}
			st->starts[st->n_lines++] = i;
			if (w > st->widest)
				st->widest = w;
		}
	}
}

static void
compute(struct ui_view *v, struct ui_stats *st)
{
	struct hg_app *a = v->app;

	hg_stats_free(st->st);
	st->st = hg_stats_compute(a->c->sessions, a->c->n, a->filter);
	for (int t = HG_STATS_T_NONE + 1; t < HG_STATS_T_N; t++)
		if (st->order[t] != HG_STATS_ORDER_DEFAULT)
			hg_stats_sort(st->st, (enum hg_stats_table)t, st->order[t]);
	render(st);
}

/* Computed while shown: fresh on opening and on a filter change, at most
 * every REFRESH_NS for new data. */
static unsigned
update(struct ui_view *v, unsigned events)
{
	struct ui_stats *st = state(v);
	unsigned serial = v->app->serial;
	uint64_t stamp;
	int64_t now;

	(void)events;
	if (ui_top(v->ui) != v) {
		st->shown = false;
		return UI_R_NONE;
	}
	stamp = data_stamp(v->app);
	now = hg_now_mono_ns();
	if (!st->shown) {
		st->shown = true;
		st->view.valid = false;
		v->pos.offset = v->pos.lineno = 0;
		v->pos.col = 0;
	}
	if (current(&st->view, serial, stamp))
		return UI_R_NONE;
	if (st->view.valid && st->view.serial == serial && now - st->view.at_ns < REFRESH_NS)
		return UI_R_NONE;
	compute(v, st);
	mark(&st->view, serial, stamp, now);
	v->max_col = st->widest - (v->rect.w - 2) > 0 ? st->widest - (v->rect.w - 2) : 0;
	return UI_R_DRAW;
}

static size_t
lines(const struct ui_view *v)
{
	return state(v)->n_lines;
}

static void
title(struct ui_view *v, char *left, size_t nl, char *right, size_t nr)
{
	const struct hg_app *a = v->app;
	const struct ui_stats *st = state(v);
	char c1[32], c2[32];

	snprintf(left, nl, "Statistics: %zu session%s, %s%s  (%s: back; %s: sort; %s: filter)",
		 a->c->n, a->c->n == 1 ? "" : "s", a->filter_text ? "filter " : "no filter",
		 a->filter_text ? a->filter_text : "", hg_ui_key(HG_REQ_STATS), hg_ui_key(HG_REQ_SORT),
		 hg_ui_key(HG_REQ_TOGGLE));
	snprintf(right, nr, "line %s/%s",
		 ui_count(c1, sizeof(c1), st->n_lines ? v->pos.lineno + 1 : 0),
		 ui_count(c2, sizeof(c2), st->n_lines));
	if (v->pos.col)
		snprintf(right + strlen(right), nr - strlen(right), "  col %d", v->pos.col + 1);
}

/* Blank lines are skipped by the cursor. */
static bool
selectable(const struct ui_view *v, size_t i)
{
	const struct ui_stats *st = state(v);
	size_t end = i + 1 < st->n_lines ? st->starts[i + 1] : st->text.len;

	return i < st->n_lines && end - st->starts[i] > 1;
}

static void
draw(struct ui_view *v, size_t i, int y)
{
	const struct ui_stats *st = state(v);
	const struct ui_rect *r = &v->rect;
	const char *p = st->text.p + st->starts[i];
	size_t end = i + 1 < st->n_lines ? st->starts[i + 1] : st->text.len;
	size_t len = end - st->starts[i], skip;
	bool cursor = i == v->pos.lineno;

	if (len && st->text.p[end - 1] == '\n')
		len--;
	skip = hg_text_fit(p, len, v->pos.col, NULL);
	if (cursor)
		ui_fill(y, r->x + 1, r->w - 2, A_REVERSE);
	ui_put_safe(y, r->x + 1, r->w - 2, p + skip, len - skip,
		    cursor ? (int)A_REVERSE : ui_attr(UI_ROLE_NORMAL));
}

static const struct hg_stats_line *
line_at(const struct ui_view *v)
{
	const struct ui_stats *st = state(v);

	return v->pos.lineno < st->n_map ? &st->map[v->pos.lineno] : NULL;
}

static const char *const table_names[HG_STATS_T_N] = {
	[HG_STATS_T_TIERS] = "tiers", [HG_STATS_T_MODELS] = "models",
	[HG_STATS_T_SKILLS] = "skills", [HG_STATS_T_PROJECTS] = "projects",
	[HG_STATS_T_SESSIONS] = "sessions",
};

/* O: the table under the cursor by its next column. */
static unsigned
sort(struct ui_view *v)
{
	struct ui_stats *st = state(v);
	const struct hg_stats_line *l = line_at(v);
	enum hg_stats_order o;
	enum hg_stats_table t;

	if (!st->st || !l || l->table == HG_STATS_T_NONE) {
		ui_message(v->ui, false, "%s sorts a table: move the cursor onto the tiers, models, "
			   "skills, projects or sessions", hg_ui_key(HG_REQ_SORT));
		return UI_R_DRAW;
	}
	t = l->table;	/* l points into the line map that render() replaces */
	o = hg_stats_order_next(t, st->order[t]);
	st->order[t] = o;
	hg_stats_sort(st->st, t, o);
	render(st);
	ui_message(v->ui, false, "%s sorted by %s", table_names[t], hg_stats_order_name(t, o));
	return UI_R_DRAW;
}

/* TERM already a whole term of EXPR? */
static bool
has_term(const char *expr, const char *term)
{
	size_t n = strlen(term);

	for (const char *p = expr; (p = strstr(p, term)) != NULL; p++)
		if ((p == expr || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return true;
	return false;
}

/* Enter on a row: its filter term with the expression in force (both
 * hold), then the tree. */
static unsigned
drill(struct ui_view *v)
{
	struct ui_stats *st = state(v);
	struct hg_app *a = v->app;
	const struct hg_stats_line *l = line_at(v);
	struct hg_buf term = { 0 }, expr = { 0 };
	const char *old = a->expr ? a->expr : "";
	char err[256];
	int col, rc;
	enum hg_stats_table table;
	size_t row;

	if (!st->st || !l || l->row < 0 ||
	    !hg_stats_filter_term(st->st, l->table, (size_t)l->row, &term)) {
		ui_message(v->ui, false, "%s on a row of the tiers, models, skills, projects or "
			   "sessions filters by it", hg_ui_key(HG_REQ_TOGGLE));
		return UI_R_DRAW;
	}
	/* The line map may be rebuilt while the filter changes. */
	table = l->table;
	row = (size_t)l->row;
	while (*old == ' ')
		old++;
	if (!*old)
		hg_buf_adds(&expr, term.p);
	else if (has_term(old, term.p))
		hg_buf_adds(&expr, old);
	else if (strchr(old, '|'))
		hg_buf_printf(&expr, "(%s) %s", old, term.p);
	else
		hg_buf_printf(&expr, "%s %s", old, term.p);
	rc = hg_app_set_filter(a, expr.p, a->verdict, a->tier, err, sizeof(err), &col);
	if (rc < 0) {
		ui_message(v->ui, true, "filter %s: %s", term.p, err);
	} else {
		if (table == HG_STATS_T_SESSIONS) {
			const char *id = st->st->session_rows[row].name;

			for (size_t i = 0; i < a->n_order; i++)
				if (a->order[i]->id && strcmp(a->order[i]->id, id) == 0) {
					hg_app_select_session(a, i);
					break;
				}
		}
		ui_pop(v->ui);
		ui_focus(v->ui, UI_V_ENTRIES);
		ui_message(v->ui, false, "filter: %s", a->filter_text ? a->filter_text : expr.p);
	}
	hg_buf_free(&term);
	hg_buf_free(&expr);
	return UI_R_DRAW;
}

/* Moving keys move the cursor (the engine does that), Left/Right scroll
 * sideways; O sorts, Enter drills down; s, q and Esc close it; keys of the
 * hidden panes are refused; the others (filter, search, help...) work as
 * usual. */
static unsigned
request(struct ui_view *v, enum hg_ui_req req)
{
	switch (req) {
	case HG_REQ_STATS:
	case HG_REQ_QUIT:
	case HG_REQ_CLOSE:
		ui_pop(v->ui);
		return UI_R_DRAW;
	case HG_REQ_EXPAND:
	case HG_REQ_COLLAPSE:
		ui_view_hscroll(v, req == HG_REQ_EXPAND ? 8 : -8);
		return UI_R_DRAW;
	case HG_REQ_SORT:
		return sort(v);
	case HG_REQ_TOGGLE:
		return drill(v);
	case HG_REQ_NEXT_PANE:
	case HG_REQ_PREV_PANE:
	case HG_REQ_EXPAND_ALL:
	case HG_REQ_COLLAPSE_ALL:
	case HG_REQ_DETAIL_DOWN:
	case HG_REQ_DETAIL_UP:
	case HG_REQ_WRAP:
	case HG_REQ_ANNOTATE:
	case HG_REQ_ZOOM:
	case HG_REQ_SPLIT_LESS:
	case HG_REQ_SPLIT_MORE:
		ui_message(v->ui, false, "the stats view is shown: %s goes back to the entries",
			   hg_ui_key(HG_REQ_STATS));
		return UI_R_DRAW;
	default:
		return UI_R_NONE;
	}
}

const struct ui_view_ops ui_stats_ops = {
	.name = "stats",
	.flags = UI_VF_BODY,
	.init = init,
	.done = done,
	.update = update,
	.lines = lines,
	.draw = draw,
	.title = title,
	.request = request,
	.selectable = selectable,
};
