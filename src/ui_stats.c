/* ui_stats.c - the stats view (`s`) and the one-line meter under the
 * header, both over every session and the filter in force.
 *
 * Statistics cost a pass over all entries, so they are computed only
 * when shown, and when entries arrive at most once per REFRESH_NS: a
 * burst of appends does not recompute per entry. A filter change updates
 * the view at once (the user asked for it). The meter is counted
 * incrementally (see below). */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/sanitize.h"
#include "hgtop/stats.h"
#include "hgtop/ui_int.h"

#define REFRESH_NS (500 * 1000000LL)

/* What a computation was made from. */
struct basis {
	unsigned serial;	/* ui_filter_serial */
	uint64_t stamp;		/* data_stamp */
	int64_t at_ns;		/* when (monotonic) */
	bool valid;
};

struct meter;
static void meter_free(struct meter *m);

struct ui_stats {
	/* The view. */
	struct hg_buf text;	/* hg_stats_render output */
	size_t *starts;		/* line offsets into text */
	size_t n_lines;
	size_t off;
	int col;		/* columns scrolled sideways */
	struct basis view;
	struct meter *m;	/* the header meter */
};

static struct ui_stats *
state(const struct hg_ui *u)
{
	return u->stats_state;
}

void
ui_stats_init(struct hg_ui *u)
{
	u->stats_state = xcalloc(1, sizeof(struct ui_stats));
}

void
ui_stats_done(struct hg_ui *u)
{
	struct ui_stats *st = state(u);

	if (!st)
		return;
	hg_buf_free(&st->text);
	free(st->starts);
	meter_free(st->m);
	free(st);
	u->stats_state = NULL;
}

/* Changes whenever entries arrive or a session is re-read. */
static uint64_t
data_stamp(const struct hg_ui *u)
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

static void
view_compute(struct hg_ui *u, struct ui_stats *st)
{
	struct hg_stats *s = hg_stats_compute(u->c->sessions, u->c->n, ui_filter_get(u));
	size_t i, cap = 64;

	hg_buf_reset(&st->text);
	hg_stats_render(s, &st->text, ui_utf8);
	hg_stats_free(s);
	free(st->starts);
	st->starts = xmalloc(cap * sizeof(*st->starts));
	st->n_lines = 0;
	for (i = 0; i < st->text.len; i++) {
		if (i == 0 || st->text.p[i - 1] == '\n') {
			if (st->n_lines == cap) {
				cap *= 2;
				st->starts = xrealloc(st->starts, cap * sizeof(*st->starts));
			}
			st->starts[st->n_lines++] = i;
		}
	}
}

static void
view_refresh(struct hg_ui *u, struct ui_stats *st)
{
	unsigned serial = ui_filter_serial(u);
	uint64_t stamp = data_stamp(u);
	int64_t now = hg_now_mono_ns();

	if (current(&st->view, serial, stamp))
		return;
	/* New data alone waits for the refresh interval. */
	if (st->view.valid && st->view.serial == serial && now - st->view.at_ns < REFRESH_NS)
		return;
	view_compute(u, st);
	mark(&st->view, serial, stamp, now);
}

/* Everything between the header and the status line: the report is wide
 * and covers every session, so the session list gives way too. */
static struct ui_rect
view_rect(const struct hg_ui *u)
{
	const struct ui_layout *l = &u->lay;
	struct ui_rect r = { l->list_title.y, 0, 0, l->header.w };

	r.h = l->status.y - r.y;
	return r;
}

static void
draw_title(struct hg_ui *u, struct ui_stats *st, const struct ui_rect *r, int h)
{
	struct ui_rect t = *r;
	char left[320], right[96], c1[32], c2[32], c3[32];
	size_t last = st->off + (size_t)h < st->n_lines ? st->off + (size_t)h : st->n_lines;

	t.h = 1;
	snprintf(left, sizeof(left), "Statistics: %zu session%s, %s%s  (s: back; arrows scroll)",
		 u->c->n, u->c->n == 1 ? "" : "s", u->filter_text ? "filter " : "no filter",
		 u->filter_text ? u->filter_text : "");
	snprintf(right, sizeof(right), "%s-%s/%s", ui_count(c1, sizeof(c1), st->n_lines ? st->off + 1 : 0),
		 ui_count(c2, sizeof(c2), last), ui_count(c3, sizeof(c3), st->n_lines));
	if (st->col)
		snprintf(right + strlen(right), sizeof(right) - strlen(right), "  col %d", st->col + 1);
	ui_draw_title(&t, left, right, true);
}

static int
view_height(const struct hg_ui *u)
{
	int h = view_rect(u).h - 1;

	return h > 0 ? h : 1;
}

static void
clamp_off(struct ui_stats *st, int h)
{
	size_t max = st->n_lines > (size_t)h ? st->n_lines - (size_t)h : 0;

	if (st->off > max)
		st->off = max;
}

void
ui_stats_draw(struct hg_ui *u)
{
	struct ui_stats *st = state(u);
	struct ui_rect r = view_rect(u);
	int h = view_height(u), y;
	size_t i;

	view_refresh(u, st);
	clamp_off(st, h);
	draw_title(u, st, &r, h);
	for (y = r.y + 1; y < r.y + 1 + h; y++)
		ui_fill(y, r.x, r.w, ui_attr(UI_ROLE_NORMAL));
	for (i = st->off, y = r.y + 1; i < st->n_lines && y < r.y + 1 + h; i++, y++) {
		const char *p = st->text.p + st->starts[i];
		size_t end = i + 1 < st->n_lines ? st->starts[i + 1] : st->text.len;
		size_t len = end - st->starts[i], skip;

		if (len && st->text.p[end - 1] == '\n')
			len--;
		skip = hg_text_fit(p, len, st->col, NULL);
		ui_put_safe(y, r.x + 1, r.w - 2, p + skip, len - skip, ui_attr(UI_ROLE_NORMAL));
	}
}

/* Keys while the view is shown: moving keys scroll it (Left/Right
 * sideways), s and q close it, keys of the hidden panes are refused.
 * UI_R_NONE: not handled here. */
unsigned
ui_stats_key(struct hg_ui *u, int req)
{
	struct ui_stats *st = state(u);
	size_t h = (size_t)view_height(u), page = h > 1 ? h - 1 : 1;

	switch (req) {
	case HG_REQ_STATS:
	case HG_REQ_QUIT:
		u->stats = false;
		return UI_R_DRAW;
	case HG_REQ_EXPAND:
		st->col += 8;
		return UI_R_DRAW;
	case HG_REQ_COLLAPSE:
		st->col = st->col > 8 ? st->col - 8 : 0;
		return UI_R_DRAW;
	case HG_REQ_NEXT_PANE:
	case HG_REQ_PREV_PANE:
	case HG_REQ_TOGGLE:
	case HG_REQ_EXPAND_ALL:
	case HG_REQ_COLLAPSE_ALL:
	case HG_REQ_DETAIL_DOWN:
	case HG_REQ_DETAIL_UP:
	case HG_REQ_WRAP:
	case HG_REQ_ANNOTATE:
		ui_message(u, false, "the stats view is shown: s goes back to the entries");
		return UI_R_DRAW;
	default:
		break;
	}
	switch (req) {
	case HG_REQ_MOVE_DOWN:
		st->off++;
		break;
	case HG_REQ_MOVE_UP:
		st->off -= st->off > 0;
		break;
	case HG_REQ_PAGE_DOWN:
		st->off += page;
		break;
	case HG_REQ_PAGE_UP:
		st->off = st->off > page ? st->off - page : 0;
		break;
	case HG_REQ_FIRST:
		st->off = 0;
		break;
	case HG_REQ_LAST:
		st->off = (size_t)-1 / 2;
		break;
	default:
		return UI_R_NONE;
	}
	clamp_off(st, (int)h);
	return UI_R_DRAW;
}

unsigned
ui_action_stats(struct hg_ui *u)
{
	struct ui_stats *st = state(u);

	u->stats = !u->stats;
	if (u->stats) {
		st->off = 0;
		st->col = 0;
		st->view.valid = false;		/* fresh numbers on opening */
	}
	return UI_R_DRAW;
}

/* The meter: per-tier numbers kept up to date as entries arrive (each
 * entry is counted once, by hg_meter, so they equal the stats view's). A
 * new filter or a re-read session starts the count again, a slice at a
 * time between keys (ui_stats_step). */

#define STEP_ENTRIES 65536	/* entries per slice while recounting */

struct meter {
	struct hg_meter *core;
	unsigned serial;	/* filter counted */
	bool recounting;	/* started again; not every session counted */
	size_t next;		/* session to count next while recounting */
	char line[512];		/* the last complete line */
	int width;
	bool shown_stale;
};

static struct meter *
meter_of(struct hg_ui *u)
{
	struct ui_stats *st = state(u);

	if (!st->m) {
		st->m = xcalloc(1, sizeof(*st->m));
		st->m->core = hg_meter_new();
	}
	return st->m;
}

static void
meter_free(struct meter *m)
{
	if (m)
		hg_meter_free(m->core);
	free(m);
}

/* A session re-read after some of its entries were counted. */
static bool
stale(const struct hg_session *s, const struct ui_sess *us)
{
	return us && us->meter_done > 0 &&
	       (us->meter_gen != s->generation || us->meter_done > s->n_entries);
}

/* Count entries of S up to LIMIT more; returns how many were looked at. */
static size_t
count_session(struct hg_ui *u, struct meter *m, struct hg_session *s, size_t limit)
{
	struct ui_sess *us = ui_sess_of(s);
	const struct hg_filter *f = ui_filter_get(u);
	size_t i, end;

	if (us->meter_done == 0)
		us->meter_gen = s->generation;
	else if (stale(s, us))
		return 0;	/* the caller starts the count again */
	if (f)
		ui_filter_update(u, s);
	end = s->n_entries - us->meter_done > limit ? us->meter_done + limit : s->n_entries;
	for (i = us->meter_done; i < end; i++) {
		const struct hg_entry *e = &s->entries[i];

		if (i + 16 < end)
			ui_prefetch_attempts(&s->entries[i + 16]);
		if (!f || us->fc.match[i])
			hg_meter_add_entry(m->core, e);
	}
	end -= us->meter_done;
	us->meter_done = i;
	return end;
}

static void
recount(struct hg_ui *u, struct meter *m)
{
	size_t i;

	hg_meter_reset(m->core);
	m->serial = ui_filter_serial(u);
	m->recounting = true;
	m->next = 0;
	for (i = 0; i < u->c->n; i++) {
		struct ui_sess *us = ui_sess_of(u->c->sessions[i]);

		us->meter_done = 0;
		us->meter_gen = u->c->sessions[i]->generation;
	}
}

static bool
needs_recount(struct hg_ui *u, const struct meter *m)
{
	size_t i;

	if (m->serial != ui_filter_serial(u))
		return true;
	for (i = 0; i < u->c->n; i++)
		if (stale(u->c->sessions[i], u->c->sessions[i]->user))
			return true;
	return false;
}

static void
make_line(struct hg_ui *u, struct meter *m, int width)
{
	hg_meter_line(m->core, u->filter_text, width, m->line, sizeof(m->line));
	m->width = width;
}

bool
ui_stats_busy(const struct hg_ui *u)
{
	const struct ui_stats *st = state(u);

	return st && st->m && st->m->recounting;
}

/* One slice of a recount; the line is made when every session is in. */
void
ui_stats_step(struct hg_ui *u)
{
	struct meter *m = meter_of(u);
	size_t budget = STEP_ENTRIES;

	if (needs_recount(u, m))
		recount(u, m);
	while (m->next < u->c->n && budget > 0) {
		struct hg_session *s = u->c->sessions[m->next];
		size_t k = count_session(u, m, s, budget);

		budget -= k < budget ? k : budget;
		if (ui_sess_of(s)->meter_done >= s->n_entries)
			m->next++;
		else if (k == 0)
			break;
	}
	if (m->next >= u->c->n) {
		m->recounting = false;
		make_line(u, m, u->lay.meter.w - 1);
		u->pending |= UI_R_DRAW;
	}
}

/* Count what arrived since the last draw (cheap: new entries only). */
static void
catch_up(struct hg_ui *u, struct meter *m)
{
	size_t i;

	if (needs_recount(u, m))
		recount(u, m);
	if (m->recounting)
		return;
	for (i = 0; i < u->c->n; i++)
		count_session(u, m, u->c->sessions[i], (size_t)-1);
}

void
ui_stats_meter(struct hg_ui *u, const struct ui_rect *r)
{
	struct meter *m = meter_of(u);

	if (r->h <= 0 || r->w <= 2)
		return;
	catch_up(u, m);
	if (!m->recounting)
		make_line(u, m, r->w - 1);
	ui_fill(r->y, r->x, r->w, ui_attr(UI_ROLE_NORMAL));
	/* While recounting, the last numbers stay, dimmed. */
	ui_put(r->y, r->x, r->w - 1, m->line[0] ? m->line : " counting...",
	       ui_attr(m->recounting ? UI_ROLE_DIM : UI_ROLE_NORMAL));
}
