/* ui_layout.c - pane geometry, header, status line and pane titles. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "hgtop/config.h"
#include "hgtop/sanitize.h"
#include "hgtop/ui_view.h"
#include "hgtop/ui_prompt.h"

#define MIN_COLS 40
#define MIN_LINES 10
#define WIDE_COLS 110

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

static void
place(struct ui_view *v, struct ui_rect title, struct ui_rect lines)
{
	v->title = title;
	v->rect = lines;
}

/* The percentage of the right side (or of what is below the sessions)
 * that the entry tree takes from the detail: "set split". */
static int
split(const struct hg_ui *u)
{
	const struct hg_config *cfg = u->app->o->config;

	if (u->split)
		return u->split;
	return cfg ? cfg->split : 55;
}

#define SPLIT_STEP 5

unsigned
ui_layout_split(struct hg_ui *u, int dir)
{
	int was = split(u);

	u->split = clampi(was + dir * SPLIT_STEP, HG_CONFIG_SPLIT_MIN, HG_CONFIG_SPLIT_MAX);
	if (u->split == was)
		ui_message(u, false, "split: tree %d%%, detail %d%% (the %s)", u->split,
			   100 - u->split, dir < 0 ? "least" : "most");
	else
		ui_message(u, false, "split: tree %d%%, detail %d%%", u->split, 100 - u->split);
	return UI_R_LAYOUT | UI_R_DRAW;
}

unsigned
ui_layout_zoom(struct hg_ui *u)
{
	u->zoom = !u->zoom;
	if (u->zoom)
		ui_message(u, false, "%s zoomed (%s goes back)", ui_view(u, u->focus)->ops->name,
			   hg_ui_key(HG_REQ_ZOOM));
	else if (strstr(u->app->msg, " zoomed ("))
		u->app->msg[0] = '\0';	/* "z goes back" is done */
	return UI_R_LAYOUT | UI_R_DRAW;
}

/* Zoomed: the focused pane alone. */
static void
layout_zoom(struct hg_ui *u, int y, int bh, int W)
{
	place(ui_view(u, u->focus), rect(y, 0, 1, W), rect(y + 1, 0, bh - 1, W));
}

/* Sessions on the left, entries over detail on the right; the body
 * starts at row y. */
static void
layout_wide(struct hg_ui *u, int y, int bh, int W)
{
	/* Very wide: room for the session list's start and project columns. */
	int lw = clampi(W / 3, 26, W >= 180 ? 64 : 44), rx = lw + 1, rw = W - rx;
	int th = (bh - 2) * split(u) / 100;

	place(ui_view(u, UI_V_SESSIONS), rect(y, 0, 1, lw), rect(y + 1, 0, bh - 1, lw));
	place(ui_view(u, UI_V_ENTRIES), rect(y, rx, 1, rw), rect(y + 1, rx, th, rw));
	place(ui_view(u, UI_V_DETAIL), rect(y + 1 + th, rx, 1, rw),
	      rect(y + 2 + th, rx, bh - 2 - th, rw));
}

/* Everything stacked: a short session list, then entries, then detail. */
static void
layout_narrow(struct hg_ui *u, int y, int bh, int W)
{
	int lh = clampi((int)u->app->n_order, 1, (bh - 3) / 4 > 1 ? (bh - 3) / 4 : 1);
	int th = (bh - 3 - lh) * split(u) / 100;

	place(ui_view(u, UI_V_SESSIONS), rect(y, 0, 1, W), rect(y + 1, 0, lh, W));
	place(ui_view(u, UI_V_ENTRIES), rect(y + 1 + lh, 0, 1, W), rect(y + 2 + lh, 0, th, W));
	place(ui_view(u, UI_V_DETAIL), rect(y + 2 + lh + th, 0, 1, W),
	      rect(y + 3 + lh + th, 0, bh - 3 - lh - th, W));
}

/* Every view gets its rectangles: the panes, the body views (title on the
 * first body row) and the screen views (title on the first row, the
 * status line kept). */
void
ui_layout_compute(struct hg_ui *u)
{
	struct ui_layout *l = &u->lay;
	int H = LINES, W = COLS, top, i;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < UI_V_N; i++) {
		struct ui_view *v = ui_view(u, (enum ui_view_id)i);

		v->rect = v->title = rect(0, 0, 0, 0);
	}
	l->too_small = W < MIN_COLS || H < MIN_LINES;
	if (l->too_small)
		return;
	l->header = rect(0, 0, 1, W);
	/* The per-tier meter under the header, unless rows are scarce. */
	top = H >= MIN_LINES + 2 ? 2 : 1;
	l->meter = rect(1, 0, top - 1, W);
	l->status = rect(H - 1, 0, 1, W);
	l->wide = W >= WIDE_COLS && !u->zoom;
	if (u->zoom)
		layout_zoom(u, top, H - 1 - top, W);
	else if (l->wide)
		layout_wide(u, top, H - 1 - top, W);
	else
		layout_narrow(u, top, H - 1 - top, W);
	for (i = UI_NPANES; i < UI_V_N; i++) {
		struct ui_view *v = ui_view(u, (enum ui_view_id)i);

		if (v->ops->flags & UI_VF_SCREEN)
			place(v, rect(0, 0, 1, W), rect(1, 0, H - 2, W));
		else
			place(v, rect(top, 0, 1, W), rect(top + 1, 0, H - 2 - top, W));
	}
}

void
ui_draw_separator(struct hg_ui *u)
{
	const struct ui_view *v = ui_view(u, UI_V_SESSIONS);
	int y;

	if (!u->lay.wide)
		return;
	for (y = v->title.y; y < v->rect.y + v->rect.h; y++)
		ui_put(y, v->rect.w, 1, ui_g->vline, ui_attr(UI_ROLE_DIM));
}

/* "FOLLOW", "PAUSED" with the entries that came below meanwhile, or
 * "follow off"; then "live: newest session" when L is on. */
static const char *
follow_text(const struct hg_app *u, int *role, char *buf, size_t n)
{
	size_t news = hg_app_new_below(u);
	char c[32];

	*role = u->follow ? (u->paused ? UI_ROLE_PAUSED : UI_ROLE_FOLLOW) : UI_ROLE_HEADER;
	snprintf(buf, n, "%s", !u->follow ? "follow off" : u->paused ? "PAUSED" : "FOLLOW");
	if (news)
		snprintf(buf + strlen(buf), n - strlen(buf), " +%s new", ui_count(c, sizeof(c), news));
	if (u->live_jump)
		snprintf(buf + strlen(buf), n - strlen(buf), "  live: newest session");
	return buf;
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

static void
draw_meter(struct hg_ui *u, const struct ui_rect *r)
{
	char line[512];
	bool done;

	if (r->h <= 0 || r->w <= 2)
		return;
	done = hg_app_meter_line(u->app, r->w - 1, line, sizeof(line));
	ui_fill(r->y, r->x, r->w, ui_attr(UI_ROLE_NORMAL));
	/* While recounting, the last numbers stay, dimmed. */
	ui_put(r->y, r->x, r->w - 1, line[0] ? line : " counting...",
	       ui_attr(done ? UI_ROLE_NORMAL : UI_ROLE_DIM));
}

void
ui_draw_header(struct hg_ui *u)
{
	const struct hg_app *a = u->app;
	const struct ui_rect *r = &u->lay.header;
	char ent[32], nb[32], buf[256], mid[256], filt[512], fbuf[96];
	int64_t entries, bad;
	int x, tw, role, hattr = ui_attr(UI_ROLE_HEADER);
	const char *ft;

	hg_app_counts(a, &entries, &bad);
	hg_fmt_count(ent, sizeof(ent), entries);
	if (a->filter_text && a->hidden)
		snprintf(filt, sizeof(filt), "  filter: %s  (%s hidden)", a->filter_text,
			 ui_count(nb, sizeof(nb), a->hidden));
	else
		snprintf(filt, sizeof(filt), "  filter: %s", a->filter_text ? a->filter_text : "none");
	snprintf(mid, sizeof(mid), "  %zu session%s  %s entr%s", a->c->n,
		 a->c->n == 1 ? "" : "s", ent, entries == 1 ? "y" : "ies");
	if (bad) {
		hg_fmt_count(nb, sizeof(nb), bad);
		snprintf(mid + strlen(mid), sizeof(mid) - strlen(mid), "  %s unparsable", nb);
	}
	ft = follow_text(a, &role, fbuf, sizeof(fbuf));
	ui_fill(r->y, 0, r->w, hattr);
	x = 1 + ui_put(r->y, 1, r->w - 2, "hgtop", hattr | A_BOLD);
	x += 2;
	/* The filter and the counts win over the path. */
	tw = r->w - 1 - x - text_width(mid) - 2 - text_width(ft) - text_width(filt);
	if (tw > r->w / 3)
		tw = r->w / 3;
	if (tw < 8)
		tw = 8;
	x += ui_put(r->y, x, tw, u->timeline ? "All sessions" : short_title(a->title, tw), hattr);
	x += ui_put(r->y, x, r->w - x, mid, hattr);
	x += 2;
	x += ui_put(r->y, x, r->w - x, ft, ui_attr(role) | (role == UI_ROLE_HEADER ? 0 : A_BOLD));
	if (a->loading) {
		snprintf(buf, sizeof(buf), "  loading %d%%", hg_app_loading_percent(a));
		x += ui_put(r->y, x, r->w - x, buf, hattr | A_BOLD);
	}
	if (a->w && hg_watch_mode(a->w) == HG_WATCH_POLL && hg_watch_reason(a->w)) {
		snprintf(buf, sizeof(buf), "  polling (%s)", hg_watch_reason(a->w));
		x += ui_put(r->y, x, r->w - x, buf, hattr);
	}
	ui_put(r->y, x, r->w - x - 1, filt, hattr | (a->filter_text ? (int)A_BOLD : 0));
	draw_meter(u, &u->lay.meter);
}

/* The hint bar of the view in front: requests and their first key, from
 * the key table, as many as fit from X; the quit hint always (last). */
struct hint {
	enum hg_ui_req req;
	const char *label;
	unsigned where;
};

static const struct hint hints[] = {
#define HG_UI_HINT(id, label, where) { HG_REQ_##id, label, where },
	HG_UI_HINTS(HG_UI_HINT)
#undef HG_UI_HINT
};

/* The first key of the hint's request ("" when unbound), and its width
 * as drawn ("key:label"). */
static int
hint_key(const struct hint *h, char *key, size_t n)
{
	hg_ui_key_names(h->req, key, n);
	key[strcspn(key, " ")] = '\0';
	return key[0] ? text_width(key) + 1 + text_width(h->label) : 0;
}

static int
put_hint(int y, int x, int end, const char *key, const char *label)
{
	int x0 = x;

	x += ui_put(y, x, end - x, key, ui_attr(UI_ROLE_KEY));
	x += ui_put(y, x, end - x, ":", ui_attr(UI_ROLE_STATUS));
	x += ui_put(y, x, end - x, label, ui_attr(UI_ROLE_STATUS));
	return x - x0;
}

static unsigned
hint_place(struct hg_ui *u)
{
	struct ui_view *t = ui_top(u);

	if (t)
		return t == ui_view(u, UI_V_HELP) ? HG_HINT_HELP : HG_HINT_STATS;
	return u->focus == UI_V_SESSIONS ? HG_HINT_SESSIONS :
	       u->focus == UI_V_DETAIL ? HG_HINT_DETAIL : HG_HINT_ENTRIES;
}

static void
draw_hints(struct hg_ui *u, const struct ui_rect *r, int x)
{
	unsigned where = hint_place(u);
	const struct hint *quit = NULL;
	char key[64], qkey[64];
	int end = r->x + r->w, qw = 0, w;
	size_t i;

	for (i = 0; i < HG_ARRAY_SIZE(hints); i++)
		if (hints[i].req == HG_REQ_QUIT && (hints[i].where & where) &&
		    (qw = hint_key(&hints[i], qkey, sizeof(qkey))) > 0) {
			quit = &hints[i];
			break;
		}
	for (i = 0; i < HG_ARRAY_SIZE(hints); i++) {
		if (&hints[i] == quit || !(hints[i].where & where) ||
		    (w = hint_key(&hints[i], key, sizeof(key))) == 0)
			continue;
		if (x + w + (quit ? 2 + qw : 0) > end - 1)
			break;
		x += put_hint(r->y, x, end, key, hints[i].label) + 2;
	}
	if (quit)
		put_hint(r->y, x + qw > end - 1 && end - 1 - qw > r->x ? end - 1 - qw : x, end,
			 qkey, quit->label);
}

/* A screen view (help) shows where it is on the status line; returns
 * the column after it. */
static int
draw_position(struct hg_ui *u, const struct ui_rect *r)
{
	struct ui_view *t = ui_top(u);
	char buf[96];
	size_t n, h;

	if (!t || !(t->ops->flags & UI_VF_SCREEN))
		return r->x + 1;
	n = t->ops->lines(t);
	h = (size_t)ui_view_height(t);
	snprintf(buf, sizeof(buf), "lines %zu-%zu of %zu", t->pos.offset + 1,
		 t->pos.offset + h < n ? t->pos.offset + h : n, n);
	return 1 + ui_put(r->y, 1, r->w - 2, buf, ui_attr(UI_ROLE_DIM)) + 2;
}

void
ui_draw_status(struct hg_ui *u)
{
	const struct ui_rect *r = &u->lay.status;
	const char *msg;
	bool err = false;

	ui_fill(r->y, 0, r->w, ui_attr(UI_ROLE_STATUS));
	if (u->prompt) {
		ui_prompt_draw(u->prompt, r->y, 0, r->w);
		return;
	}
	if ((msg = hg_app_current_message(u->app, &err)) != NULL) {
		ui_put(r->y, 1, r->w - 2, msg, ui_attr(err ? UI_ROLE_MSG_ERR : UI_ROLE_STATUS));
		return;
	}
	draw_hints(u, r, draw_position(u, r));
}
