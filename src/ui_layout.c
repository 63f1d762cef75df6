/* ui_layout.c - pane geometry, header, status line and pane titles. */
#include "config.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hgtop/sanitize.h"
#include "hgtop/ui_int.h"
#include "hgtop/ui_prompt.h"

#define MIN_COLS 40
#define MIN_LINES 10
#define WIDE_COLS 110
#define MSG_NS (5 * 1000000000LL)

static struct ui_rect
rect(int y, int x, int h, int w)
{
	struct ui_rect r = { y, x, h < 0 ? 0 : h, w < 0 ? 0 : w };

	return r;
}

static int
clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Sessions on the left, entries over detail on the right; the body
 * starts at row y. */
static void
layout_wide(struct ui_layout *l, int y, int bh, int W)
{
	int lw = clampi(W / 3, 26, 44), rx = lw + 1, rw = W - rx;
	int th = (bh - 2) * 55 / 100;

	l->list_title = rect(y, 0, 1, lw);
	l->list = rect(y + 1, 0, bh - 1, lw);
	l->tree_title = rect(y, rx, 1, rw);
	l->tree = rect(y + 1, rx, th, rw);
	l->detail_title = rect(y + 1 + th, rx, 1, rw);
	l->detail = rect(y + 2 + th, rx, bh - 2 - th, rw);
}

/* Everything stacked: a short session list, then entries, then detail. */
static void
layout_narrow(struct ui_layout *l, int y, int bh, int W, size_t nsess)
{
	int lh = clampi((int)nsess, 1, (bh - 3) / 4 > 1 ? (bh - 3) / 4 : 1);
	int th = (bh - 3 - lh) * 55 / 100;

	l->list_title = rect(y, 0, 1, W);
	l->list = rect(y + 1, 0, lh, W);
	l->tree_title = rect(y + 1 + lh, 0, 1, W);
	l->tree = rect(y + 2 + lh, 0, th, W);
	l->detail_title = rect(y + 2 + lh + th, 0, 1, W);
	l->detail = rect(y + 3 + lh + th, 0, bh - 3 - lh - th, W);
}

void
ui_layout_compute(struct hg_ui *u)
{
	struct ui_layout *l = &u->lay;
	int H = LINES, W = COLS, top;

	memset(l, 0, sizeof(*l));
	l->too_small = W < MIN_COLS || H < MIN_LINES;
	if (l->too_small)
		return;
	l->header = rect(0, 0, 1, W);
	/* The per-tier meter under the header, unless rows are scarce. */
	top = H >= MIN_LINES + 2 ? 2 : 1;
	l->meter = rect(1, 0, top - 1, W);
	l->status = rect(H - 1, 0, 1, W);
	l->wide = W >= WIDE_COLS;
	if (l->wide)
		layout_wide(l, top, H - 1 - top, W);
	else
		layout_narrow(l, top, H - 1 - top, W, u->n_order);
}

int
ui_pane_height(const struct hg_ui *u, enum ui_pane p)
{
	const struct ui_rect *r = p == UI_LIST ? &u->lay.list :
		p == UI_TREE ? &u->lay.tree : &u->lay.detail;

	return r->h > 0 ? r->h : 1;
}

void
ui_message(struct hg_ui *u, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof(u->msg), fmt, ap);
	va_end(ap);
	u->msg_err = error;
	u->msg_until_ns = hg_now_mono_ns() + MSG_NS;
	u->pending |= UI_R_DRAW;
}

void
ui_draw_title(const struct ui_rect *r, const char *text, const char *right, bool focused)
{
	int attr = ui_attr(focused ? UI_ROLE_TITLE_FOC : UI_ROLE_TITLE);
	int rw = right ? hg_text_width(right, strlen(right)) : 0;

	if (r->w <= 0)
		return;
	ui_fill(r->y, r->x, r->w, attr);
	if (rw && rw + 2 < r->w)
		ui_put(r->y, r->x + r->w - rw - 1, rw, right, attr);
	else
		rw = 0;
	ui_put(r->y, r->x + 1, r->w - rw - 3, text, attr);
}

static void
count_entries(const struct hg_ui *u, int64_t *entries, int64_t *bad)
{
	size_t i;

	*entries = *bad = 0;
	for (i = 0; i < u->c->n; i++) {
		const struct hg_session *s = u->c->sessions[i];

		*entries += (int64_t)s->n_entries - s->n_unparsable - s->n_annotations;
		*bad += s->n_unparsable;
	}
}

static int
loading_percent(const struct hg_ui *u)
{
	int64_t done = 0, total = 0;
	size_t i;

	for (i = 0; i < u->n_queue; i++) {
		done += hg_session_bytes_read(u->queue[i]);
		total += u->queue[i]->size > u->queue[i]->offset ?
			u->queue[i]->size : u->queue[i]->offset;
	}
	return total > 0 ? (int)(done * 100 / total) : 0;
}

static const char *
follow_text(const struct hg_ui *u, int *role)
{
	*role = u->follow ? (u->paused ? UI_ROLE_PAUSED : UI_ROLE_FOLLOW) : UI_ROLE_HEADER;
	return !u->follow ? "follow off" : u->paused ? "PAUSED" : "FOLLOW";
}

static int
text_width(const char *s)
{
	return hg_text_width(s, strlen(s));
}

/* The path is the least useful part of the header: when the rest does
 * not fit, it becomes its last component (and is clipped after that). */
static const char *
short_title(const char *title, int w)
{
	const char *b = strrchr(title, '/');

	if (text_width(title) <= w || !b)
		return title;
	if (!b[1]) {		/* "dir/": keep the last name with its slash */
		while (b > title && b[-1] != '/')
			b--;
		return b;
	}
	return b + 1;
}

void
ui_draw_header(struct hg_ui *u)
{
	const struct ui_rect *r = &u->lay.header;
	char ent[32], nb[32], buf[256], mid[256], filt[512];
	int64_t entries, bad;
	int x, tw, role, hattr = ui_attr(UI_ROLE_HEADER);
	const char *ft;

	count_entries(u, &entries, &bad);
	hg_fmt_count(ent, sizeof(ent), entries);
	if (u->filter_text && u->rows.hidden)
		snprintf(filt, sizeof(filt), "  filter: %s  (%s hidden)", u->filter_text,
			 ui_count(nb, sizeof(nb), u->rows.hidden));
	else
		snprintf(filt, sizeof(filt), "  filter: %s", u->filter_text ? u->filter_text : "none");
	snprintf(mid, sizeof(mid), "  %zu session%s  %s entries", u->c->n,
		 u->c->n == 1 ? "" : "s", ent);
	if (bad) {
		hg_fmt_count(nb, sizeof(nb), bad);
		snprintf(mid + strlen(mid), sizeof(mid) - strlen(mid), "  %s unparsable", nb);
	}
	ft = follow_text(u, &role);
	ui_fill(r->y, 0, r->w, hattr);
	x = 1 + ui_put(r->y, 1, r->w - 2, "hgtop", hattr | A_BOLD);
	x += 2;
	/* The filter and the counts win over the path. */
	tw = r->w - 1 - x - text_width(mid) - 2 - text_width(ft) - text_width(filt);
	if (tw > r->w / 3)
		tw = r->w / 3;
	if (tw < 8)
		tw = 8;
	x += ui_put(r->y, x, tw, short_title(u->title, tw), hattr);
	x += ui_put(r->y, x, r->w - x, mid, hattr);
	x += 2;
	x += ui_put(r->y, x, r->w - x, ft, ui_attr(role) | (role == UI_ROLE_HEADER ? 0 : A_BOLD));
	if (u->loading) {
		snprintf(buf, sizeof(buf), "  loading %d%%", loading_percent(u));
		x += ui_put(r->y, x, r->w - x, buf, hattr | A_BOLD);
	}
	if (u->w && hg_watch_mode(u->w) == HG_WATCH_POLL && hg_watch_reason(u->w)) {
		snprintf(buf, sizeof(buf), "  polling (%s)", hg_watch_reason(u->w));
		x += ui_put(r->y, x, r->w - x, buf, hattr);
	}
	ui_put(r->y, x, r->w - x - 1, filt, hattr | (u->filter_text ? (int)A_BOLD : 0));
	ui_stats_meter(u, &u->lay.meter);
}

static void
draw_hints(const struct ui_rect *r)
{
	static const char *const hints[][2] = {
		{ "?", "help" }, { "Tab", "pane" }, { "Enter", "expand" },
		{ "/", "search" }, { "f", "filter" }, { "v", "verdict" },
		{ "t", "tier" }, { "a", "annotate" }, { "F", "follow" }, { "q", "quit" },
	};
	size_t i;
	int x = r->x + 1, end = r->x + r->w;

	for (i = 0; i < HG_ARRAY_SIZE(hints) && x < end - 4; i++) {
		x += ui_put(r->y, x, end - x, hints[i][0], ui_attr(UI_ROLE_KEY));
		x += ui_put(r->y, x, end - x, ":", ui_attr(UI_ROLE_STATUS));
		x += ui_put(r->y, x, end - x, hints[i][1], ui_attr(UI_ROLE_STATUS));
		x += 2;
	}
}

void
ui_draw_status(struct hg_ui *u)
{
	const struct ui_rect *r = &u->lay.status;

	ui_fill(r->y, 0, r->w, ui_attr(UI_ROLE_STATUS));
	if (u->prompt) {
		ui_prompt_draw(u->prompt, r->y, 0, r->w - ui_search_note(u, r));
		return;
	}
	if (u->msg[0] && hg_now_mono_ns() < u->msg_until_ns) {
		ui_put(r->y, 1, r->w - 2, u->msg,
		       ui_attr(u->msg_err ? UI_ROLE_MSG_ERR : UI_ROLE_STATUS));
		return;
	}
	u->msg[0] = '\0';
	draw_hints(r);
}
