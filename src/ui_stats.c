/* ui_stats.c - the stats view (`s`) and the one-line meter under the
 * header, both over every session and the filter in force.
 *
 * Statistics cost a pass over all entries, so they are computed only
 * when shown, and when entries arrive at most once per REFRESH_NS: a
 * burst of appends does not recompute per entry. A filter change updates
 * the view at once (the user asked for it) and the meter on the next
 * refresh, so the key itself stays quick. */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

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

struct ui_stats {
	/* The view. */
	struct hg_buf text;	/* hg_stats_render output */
	size_t *starts;		/* line offsets into text */
	size_t n_lines;
	size_t off;
	struct basis view;
	/* The meter. */
	struct hg_stats *sum;
	struct basis meter;
	unsigned meter_seen;	/* filter serial the meter has waited for */
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
	hg_stats_free(st->sum);
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

/* The rectangle of the tree and detail panes, titles included. */
static struct ui_rect
view_rect(const struct hg_ui *u)
{
	const struct ui_layout *l = &u->lay;
	struct ui_rect r = l->tree_title;

	r.h = l->detail.y + l->detail.h - r.y;
	return r;
}

static void
draw_title(struct hg_ui *u, struct ui_stats *st, const struct ui_rect *r, int h)
{
	struct ui_rect t = *r;
	char left[320], right[64];
	size_t last = st->off + (size_t)h < st->n_lines ? st->off + (size_t)h : st->n_lines;

	t.h = 1;
	snprintf(left, sizeof(left), "Statistics: %zu session%s, %s%s  (s: back to the entries)",
		 u->c->n, u->c->n == 1 ? "" : "s", u->filter_text ? "filter " : "no filter",
		 u->filter_text ? u->filter_text : "");
	snprintf(right, sizeof(right), "%zu-%zu/%zu", st->n_lines ? st->off + 1 : 0, last,
		 st->n_lines);
	ui_draw_title(&t, left, right, u->focus != UI_LIST);
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
	for (i = st->off, y = r.y + 1; i < st->n_lines && y < r.y + 1 + h; i++, y++) {
		size_t end = i + 1 < st->n_lines ? st->starts[i + 1] : st->text.len;
		size_t len = end - st->starts[i];

		if (len && st->text.p[end - 1] == '\n')
			len--;
		ui_put_safe(y, r.x + 1, r.w - 2, st->text.p + st->starts[i], len,
			    ui_attr(UI_ROLE_NORMAL));
	}
}

/* Keys while the view is shown: scrolling (unless the session list has
 * the focus), s and q close it, keys of the hidden tree are refused.
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
	case HG_REQ_COLLAPSE:
	case HG_REQ_TOGGLE:
	case HG_REQ_EXPAND_ALL:
	case HG_REQ_COLLAPSE_ALL:
	case HG_REQ_DETAIL_DOWN:
	case HG_REQ_DETAIL_UP:
	case HG_REQ_WRAP:
	case HG_REQ_ANNOTATE:
		if (u->focus == UI_LIST && req == HG_REQ_TOGGLE)
			return UI_R_NONE;
		ui_message(u, false, "the stats view is shown: s goes back to the entries");
		return UI_R_DRAW;
	default:
		break;
	}
	if (u->focus == UI_LIST)
		return UI_R_NONE;
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
		st->view.valid = false;		/* fresh numbers on opening */
		if (u->focus == UI_DETAIL)
			u->focus = UI_TREE;
	}
	return UI_R_DRAW;
}

/* The meter */

static bool
meter_due(struct hg_ui *u, struct ui_stats *st, unsigned serial, uint64_t stamp, int64_t now)
{
	if (!st->meter.valid)
		return true;
	if (current(&st->meter, serial, stamp))
		return false;
	/* A new filter: wait a little, so that the key that changed it is
	 * answered first; the next clock tick brings the numbers. */
	if (st->meter.serial != serial && st->meter_seen != serial) {
		st->meter_seen = serial;
		st->meter.at_ns = now - REFRESH_NS + REFRESH_NS / 4;
		return false;
	}
	return now - st->meter.at_ns >= REFRESH_NS;
}

void
ui_stats_meter(struct hg_ui *u, const struct ui_rect *r)
{
	struct ui_stats *st = state(u);
	unsigned serial = ui_filter_serial(u);
	uint64_t stamp = data_stamp(u);
	int64_t now = hg_now_mono_ns();
	char buf[512];
	bool stale;

	if (r->h <= 0 || r->w <= 2)
		return;
	if (meter_due(u, st, serial, stamp, now)) {
		hg_stats_free(st->sum);
		st->sum = hg_stats_compute_summary(u->c->sessions, u->c->n, ui_filter_get(u));
		mark(&st->meter, serial, stamp, now);
	}
	stale = st->meter.serial != serial;
	ui_fill(r->y, r->x, r->w, ui_attr(UI_ROLE_NORMAL));
	hg_stats_summary_line(st->sum, r->w - 1, buf, sizeof(buf));
	ui_put(r->y, r->x, r->w - 1, buf, ui_attr(stale ? UI_ROLE_DIM : UI_ROLE_NORMAL));
}
