/* ui_list.c - the session list: newest activity first, counts, markers. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/sanitize.h"
#include "hgtop/ui_int.h"

/* A session "grew recently" for this long after new entries arrived. */
#define LIVE_NS (10 * 1000000000LL)

int64_t
ui_session_activity_ns(const struct hg_session *s)
{
	return s->mtime_ns > s->last_ts_ns ? s->mtime_ns : s->last_ts_ns;
}

/* Growth during the initial load does not count as live. */
bool
ui_session_live(struct hg_session *s)
{
	const struct ui_sess *us = ui_sess_of(s);

	return !s->gone && us->grew_ns && hg_now_mono_ns() - us->grew_ns < LIVE_NS;
}

static int
by_activity(const void *a, const void *b)
{
	const struct hg_session *x = *(struct hg_session *const *)a;
	const struct hg_session *y = *(struct hg_session *const *)b;
	int64_t ax = ui_session_activity_ns(x), ay = ui_session_activity_ns(y);

	if (ax != ay)
		return ax > ay ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Keep the known order and add the sessions the list has not seen yet.
 * Sessions are never removed from the catalog
 * while the browser runs: a deleted file stays, marked gone. */
static void
merge_new(struct hg_ui *u)
{
	size_t i;

	u->order = xrealloc(u->order, (u->c->n ? u->c->n : 1) * sizeof(*u->order));
	for (i = 0; i < u->c->n && u->n_order < u->c->n; i++)
		if (!ui_sess_of(u->c->sessions[i])->listed) {
			ui_sess_of(u->c->sessions[i])->listed = true;
			u->order[u->n_order++] = u->c->sessions[i];
		}
}

static size_t
index_of(const struct hg_ui *u, const struct hg_session *s)
{
	size_t i;

	for (i = 0; i < u->n_order; i++)
		if (u->order[i] == s)
			return i;
	return 0;
}

/* Re-sort when following (newest first), keep the selection by pointer.
 * Only live follow (on, not paused) moves to the newest session, and only
 * until the user picks a session: otherwise the entries the user is
 * reading would be swapped for another session's under the cursor. */
void
ui_list_sort(struct hg_ui *u)
{
	bool live = u->follow && !u->paused;

	if (u->n_order != u->c->n)
		merge_new(u);
	if (u->follow || !u->list_touched)
		qsort(u->order, u->n_order, sizeof(*u->order), by_activity);
	if (u->n_order == 0)
		return;
	if (!u->sel || (live && !u->list_touched && u->sel != u->order[0])) {
		ui_list_select(u, 0);
		return;
	}
	u->pos[UI_LIST].lineno = index_of(u, u->sel);
	ui_clamp(&u->pos[UI_LIST], u->n_order, ui_pane_height(u, UI_LIST));
}

void
ui_list_select(struct hg_ui *u, size_t i)
{
	if (i >= u->n_order)
		return;
	if (u->sel && u->sel != u->order[i])
		ui_tree_remember(u);
	u->pos[UI_LIST].lineno = i;
	ui_clamp(&u->pos[UI_LIST], u->n_order, ui_pane_height(u, UI_LIST));
	if (u->sel == u->order[i])
		return;
	u->sel = u->order[i];
	ui_tree_sync(u, true);
	ui_detail_invalidate(u);
	u->pending |= UI_R_DRAW;
}

static void
right_part(struct hg_ui *u, struct hg_session *s, char *buf, size_t n, int64_t now)
{
	char cnt[72], age[16], bad[40] = "";
	size_t hits, total;

	if (ui_filter_counts(u, s, &hits, &total)) {
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
	else if (ui_session_activity_ns(s) > 0)
		hg_fmt_age(age, sizeof(age), (now - ui_session_activity_ns(s)) / 1000000000LL);
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

static void
draw_row(struct hg_ui *u, struct hg_session *s, int y, bool sel)
{
	const struct ui_rect *r = &u->lay.list;
	int base = sel ? (u->focus == UI_LIST ? (int)A_REVERSE : ui_attr(UI_ROLE_TITLE)) : 0;
	char right[96];
	int rw, x = r->x;
	const char *mark = s->gone ? ui_g->gone : ui_session_live(s) ? ui_g->live : " ";

	right_part(u, s, right, sizeof(right), hg_now_wall_ns());
	rw = (int)strlen(right);
	ui_fill(y, r->x, r->w, base);
	x += ui_put(y, x + 1, 2, mark, base | ui_attr(s->gone ? UI_ROLE_GONE : UI_ROLE_LIVE)) + 2;
	if (rw > r->w - 6)
		rw = 0;
	put_id(y, x, r->w - (x - r->x) - rw - 1, s->id, base | (s->gone ? ui_attr(UI_ROLE_GONE) : 0));
	if (rw)
		ui_put(y, r->x + r->w - rw - 1, rw, right, base);
}

void
ui_list_draw(struct hg_ui *u)
{
	const struct ui_rect *r = &u->lay.list;
	struct ui_pos *p = &u->pos[UI_LIST];
	char title[64];
	size_t i;

	snprintf(title, sizeof(title), "Sessions (%zu)", u->n_order);
	ui_draw_title(&u->lay.list_title, title, NULL, u->focus == UI_LIST);
	ui_clamp(p, u->n_order, r->h);
	for (i = 0; i < (size_t)r->h && p->offset + i < u->n_order; i++)
		draw_row(u, u->order[p->offset + i], r->y + (int)i, p->offset + i == p->lineno);
	if (u->n_order == 0)
		ui_put(r->y, r->x + 1, r->w - 2, "no session files (*.jsonl) yet", ui_attr(UI_ROLE_DIM));
}
