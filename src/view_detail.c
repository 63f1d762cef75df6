/* view_detail.c - every field of the selected entry or attempt (the app's
 * selection), or the whole entry as indented JSON (p).
 *
 * The line is re-read from the file in update when the selection changes
 * (large fields are not kept in memory) and turned into lines by detail.c;
 * only the detail of the selected entry is cached. Lines are wrapped by
 * display columns, a field's continuation under its value. The searched
 * text is highlighted; the match a search moved to stands out (reverse),
 * and with the focus here / n N search this text, less-style. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/annotate.h"
#include "hgtop/config.h"
#include "hgtop/detail.h"
#include "hgtop/parser.h"
#include "hgtop/sanitize.h"
#include "hgtop/search.h"
#include "hgtop/ui_view.h"

#define HSCROLL 8
#define CONTEXT_LINES 2		/* lines kept above a search match */

/* A screen line: part of one logical line. */
struct ui_vline {
	size_t line;
	size_t start, len;
	int cont;		/* columns a continuation is indented by */
	bool first;
};

struct ui_detail {
	const struct hg_session *s;
	/* The text at the top when the lines were last laid out again, and
	 * the screen line it went to. */
	bool has_top;
	size_t top_line, top_off, top_vis;
	unsigned generation;
	int64_t line_no;
	int32_t attempt;
	bool valid;
	bool built_json;	/* what the cache holds */
	struct hg_detail doc;
	struct ui_vline *vis;
	size_t n_vis, cap_vis;
	int vis_width;
	bool vis_wrap;
	int max_width;		/* widest logical line, for sideways scrolling */
	bool wrap;
	bool json;		/* p: the whole entry as JSON */
	/* The match a search moved to, for the pattern of serial cur_serial. */
	bool has_cur;
	size_t cur_line, cur_off;
	unsigned cur_serial;
};

/* The notes on entry E (or on its attempt AI), newest last. */
static void
add_notes(struct hg_detail *d, struct hg_session *s, size_t entry, int32_t attempt)
{
	const struct hg_entry *e = &s->entries[entry];
	const size_t *anns;
	size_t n, i, shown = 0;
	char head[256], when[40];

	if (e->kind != HG_ENTRY_OK)
		return;
	n = hg_ann_index_lookup(&hg_app_sess(s)->notes, entry, &anns);
	for (i = 0; i < n; i++) {
		const struct hg_entry *a = &s->entries[anns[i]];
		ssize_t ai = hg_annotate_attempt_index(e, a);
		size_t len = 0;
		char *text;

		if (attempt >= 0 && ai != attempt)
			continue;
		if (!shown++)
			hg_detail_add_field(d, "notes", "", 0);
		hg_format_datetime(a->ts_ns, when, sizeof(when));
		snprintf(head, sizeof(head), "%s %s, %s (line %lld)%s", ui_g->note,
			 hg_note_author(a), when,
			 (long long)hg_entry_line(a), ai >= 0 && attempt < 0 ? ", on attempt" : "");
		if (ai >= 0 && attempt < 0)
			snprintf(head + strlen(head), sizeof(head) - strlen(head), " #%lld",
				 (long long)hg_attempt_no(&e->attempts[ai], (uint32_t)ai));
		hg_detail_add_text(d, head, strlen(head), 2, UI_ROLE_NOTE);
		text = hg_annotate_read_text(s, a, &len);
		if (text)
			hg_detail_add_text(d, text, len, 4, UI_ROLE_NORMAL);
		else
			hg_detail_add_text(d, "(cannot read the note)", 22, 4, UI_ROLE_ERROR);
		free(text);
	}
}

static void
detail_clear(struct ui_detail *d)
{
	hg_detail_clear(&d->doc);
	d->n_vis = 0;
	d->vis_width = -1;
	d->valid = false;
	d->has_cur = false;
}

static void
build(struct ui_detail *d, struct hg_session *s, size_t entry, int32_t attempt)
{
	const struct hg_entry *e = &s->entries[entry];
	size_t n = 0;
	char *line;

	detail_clear(d);
	d->has_top = false;
	d->s = s;
	d->generation = s->generation;
	d->line_no = hg_entry_line(e);
	d->attempt = attempt;
	d->valid = true;
	d->built_json = d->json;
	hg_detail_add_go(&d->doc, s, e);
	line = hg_session_read_line(s, e, &n);
	if (!line) {
		char buf[256];

		snprintf(buf, sizeof(buf), "cannot read line %lld: %s", (long long)hg_entry_line(e),
			 errno == ESTALE ? "the file changed"
			 : errno == EFBIG && hg_entry_reason(e) ? hg_entry_reason(e) : strerror(errno));
		hg_detail_add_text(&d->doc, buf, strlen(buf), 0, UI_ROLE_ERROR);
		return;
	}
	if (d->json) {
		hg_detail_build_json(&d->doc, line, n);
	} else {
		add_notes(&d->doc, s, entry, attempt);
		hg_detail_build(&d->doc, e, attempt, line, n);
	}
	free(line);
}

static bool
cached(const struct ui_detail *d, const struct hg_session *s, size_t entry, int32_t attempt)
{
	return d->valid && d->s == s && d->generation == s->generation &&
	       d->line_no == hg_entry_line(&s->entries[entry]) && d->attempt == attempt &&
	       d->built_json == d->json;
}

/* Screen lines */

static void
add_vis(struct ui_detail *d, size_t line, size_t start, size_t len, int cont)
{
	struct ui_vline *vl;

	if (d->n_vis == d->cap_vis) {
		d->cap_vis = d->cap_vis ? d->cap_vis * 2 : 256;
		d->vis = xrealloc(d->vis, d->cap_vis * sizeof(*d->vis));
	}
	vl = &d->vis[d->n_vis++];
	vl->line = line;
	vl->start = start;
	vl->len = len;
	vl->first = start == 0;
	vl->cont = vl->first ? 0 : cont;
}

/* A wrapped "key: value" goes on under its value, so that it cannot pass
 * for another field (two columns in when the key is very long); text
 * under a key is indented already and goes on under itself. */
static int
continuation(const struct hg_dline *l, int avail)
{
	int c;

	if (l->label_len <= 0)
		return 0;
	c = hg_text_width(l->text, (size_t)l->label_len) + 1;
	return c <= avail / 2 ? c : 2;
}

static void
layout_lines(struct ui_detail *d, int width, bool wrap)
{
	size_t i;

	d->n_vis = 0;
	d->max_width = 0;
	for (i = 0; i < d->doc.n; i++) {
		const struct hg_dline *l = &d->doc.lines[i];
		int avail = width - l->indent, w = hg_text_width(l->text, l->len) + l->indent;
		int cont = continuation(l, avail);
		size_t off = 0;

		if (w > d->max_width)
			d->max_width = w;
		if (!wrap || l->len == 0) {
			add_vis(d, i, 0, l->len, 0);
			continue;
		}
		while (off < l->len) {
			size_t k = hg_text_wrap_next(l->text + off, l->len - off,
						     off ? avail - cont : avail);

			add_vis(d, i, off, k, cont);
			off += k;
		}
	}
	d->vis_width = width;
	d->vis_wrap = wrap;
}

static struct ui_detail *
det(const struct ui_view *v)
{
	return v->priv;
}

/* The screen line showing byte OFF of logical line LINE. */
static size_t
vis_of(const struct ui_detail *d, size_t line, size_t off)
{
	size_t lo = 0, hi = d->n_vis;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ui_vline *vl = &d->vis[mid];

		if (vl->line < line || (vl->line == line && vl->start <= off))
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Make match (LINE, OFF) the current one and scroll it into view, a few
 * lines from the top (sideways too when lines are not wrapped). */
static void
show_match(struct ui_view *v, size_t line, size_t off)
{
	struct ui_detail *d = det(v);
	const struct hg_dline *l = &d->doc.lines[line];
	size_t i;
	int x, h = ui_view_height(v), w = v->rect.w - 2;

	d->has_cur = true;
	d->cur_line = line;
	d->cur_off = off;
	d->cur_serial = ui_mark_serial();
	if (!d->n_vis)
		return;
	i = vis_of(d, line, off);
	if (i < v->pos.offset || i >= v->pos.offset + (size_t)h)
		v->pos.offset = i > CONTEXT_LINES ? i - CONTEXT_LINES : 0;
	v->pos.lineno = v->pos.offset;
	if (!d->wrap) {
		x = l->indent + hg_text_width(l->text, off);
		if (x < v->pos.col || x + 8 > v->pos.col + w)
			v->pos.col = x > w / 2 ? x - w / 2 : 0;
		ui_view_hscroll(v, 0);
	}
}

/* Match NTH of the search's pattern among the part's own fields. */
static void
to_match(struct ui_view *v, const struct hg_search_pattern *p, size_t nth)
{
	struct ui_detail *d = det(v);
	size_t line, off;

	if (p && (hg_detail_nth(&d->doc, p, false, nth, &line, &off) ||
		  hg_detail_nth(&d->doc, p, false, 0, &line, &off)))
		show_match(v, line, off);
}

/* The cache follows the app's selection and the pane's width. */
static unsigned
update(struct ui_view *v, unsigned events)
{
	struct hg_app *a = v->app;
	struct ui_detail *d = det(v);
	int width = v->rect.w - 2;
	unsigned r = UI_R_NONE;

	if (!a->sel || !a->has_entry || a->sel_entry >= a->sel->n_entries) {
		if (d->valid || d->doc.n) {
			detail_clear(d);
			r = UI_R_DRAW;
		}
		return r;
	}
	if (events & HG_APP_EV_NOTES)
		d->valid = false;
	if (!cached(d, a->sel, a->sel_entry, a->sel_attempt)) {
		build(d, a->sel, a->sel_entry, a->sel_attempt);
		v->pos.offset = v->pos.lineno = 0;
		v->pos.col = 0;
		r = UI_R_DRAW;
	}
	if (d->vis_width != width || d->vis_wrap != d->wrap) {
		/* The text at the top stays at the top (a resize, a zoom,
		 * the split or w), not the screen line number. */
		bool keep = v->pos.offset && v->pos.offset < d->n_vis;

		/* Unmoved since the last layout: the same text as then, so
		 * that resizing back and forth does not drift. */
		if (keep && !(d->has_top && d->top_vis == v->pos.offset)) {
			d->top_line = d->vis[v->pos.offset].line;
			d->top_off = d->vis[v->pos.offset].start;
		}
		layout_lines(d, width, d->wrap);
		d->has_top = keep;
		if (keep)
			v->pos.offset = v->pos.lineno = d->top_vis = vis_of(d, d->top_line, d->top_off);
		v->max_col = d->max_width - width > 0 ? d->max_width - width : 0;
		r = UI_R_DRAW;
	}
	if (a->jump_match) {
		a->jump_match = false;
		if (!d->json)
			to_match(v, ui_mark_get(), a->jump_nth);
		r = UI_R_DRAW;
	}
	return r;
}

static size_t
lines(const struct ui_view *v)
{
	return det(v)->n_vis;
}

/* Searching the detail text, less-style */

/* Is the current match's line on the screen? */
static bool
cur_in_sight(struct ui_view *v)
{
	struct ui_detail *d = det(v);
	size_t i = vis_of(d, d->cur_line, d->cur_off);

	return d->n_vis && i >= v->pos.offset && i < v->pos.offset + (size_t)ui_view_height(v);
}

/* Is match (l1, o1) before (l2, o2)? */
static bool
before(size_t l1, size_t o1, size_t l2, size_t o2)
{
	return l1 < l2 || (l1 == l2 && o1 < o2);
}

/* The next (or previous) match of the highlighted text after the current
 * match, or from the top line when there is none or it has been scrolled
 * out of sight (as less does); wraps around. */
static unsigned
detail_next(struct ui_view *v, bool forward)
{
	struct ui_detail *d = det(v);
	const struct hg_search_pattern *p = ui_mark_get();
	size_t i, rl = 0, ro = 0, fl = 0, fo = 0, ll = 0, lo = 0, bl = 0, bo = 0;
	bool any = false, has = false;

	if (!p) {
		ui_message(v->ui, false, "no search yet: %s searches", hg_ui_key(HG_REQ_SEARCH));
		return UI_R_DRAW;
	}
	if (d->has_cur && d->cur_serial == ui_mark_serial() && cur_in_sight(v)) {
		rl = d->cur_line;
		ro = forward ? d->cur_off + 1 : d->cur_off;
	} else if (v->pos.offset < d->n_vis) {
		rl = d->vis[v->pos.offset].line;
		ro = d->vis[v->pos.offset].start;
	}
	for (i = 0; i < d->doc.n && !(forward && has); i++) {
		const struct hg_dline *l = &d->doc.lines[i];
		const char *m;
		size_t at = 0, off;

		while (at < l->len && (m = hg_search_find_text(p, l->text + at, l->len - at))) {
			off = (size_t)(m - l->text);
			at = off + hg_search_match_len(p);
			if (!any)
				fl = i, fo = off;
			any = true;
			ll = i, lo = off;
			if (forward ? !before(i, off, rl, ro) : before(i, off, rl, ro)) {
				if (forward && has)
					break;
				if (forward || !has || before(bl, bo, i, off))
					bl = i, bo = off;
				has = true;
				if (forward)
					break;
			}
		}
	}
	if (!any) {
		d->has_cur = false;
		ui_message(v->ui, true, "pattern not found: %s", p->text);
		return UI_R_DRAW;
	}
	if (has) {
		show_match(v, bl, bo);
		return UI_R_DRAW;
	}
	if (forward)
		show_match(v, fl, fo);
	else
		show_match(v, ll, lo);
	ui_message(v->ui, false, "search wrapped");
	return UI_R_DRAW;
}

static unsigned
request(struct ui_view *v, enum hg_ui_req req)
{
	struct ui_detail *d = det(v);

	if (ui_req_moves(req)) {
		/* Reading the selected session is a choice: follow must not
		 * switch it away. */
		v->app->list_touched = true;
		return UI_R_NONE;	/* the engine scrolls */
	}
	switch (req) {
	case HG_REQ_DETAIL_DOWN:
		return ui_view_move(v, HG_REQ_MOVE_DOWN);
	case HG_REQ_DETAIL_UP:
		return ui_view_move(v, HG_REQ_MOVE_UP);
	case HG_REQ_EXPAND:
	case HG_REQ_COLLAPSE:
		if (d->wrap) {
			ui_message(v->ui, false, "lines are wrapped: %s turns wrapping off to scroll sideways",
				   hg_ui_key(HG_REQ_WRAP));
			return UI_R_DRAW;
		}
		ui_view_hscroll(v, req == HG_REQ_EXPAND ? HSCROLL : -HSCROLL);
		return UI_R_DRAW;
	case HG_REQ_TOGGLE:
		/* Space (and Enter) read on, a page at a time. */
		v->app->list_touched = true;
		return ui_view_move(v, HG_REQ_PAGE_DOWN);
	case HG_REQ_WRAP:
		d->wrap = !d->wrap;
		v->pos.col = 0;
		return UI_R_DRAW;
	case HG_REQ_PRETTY:
		d->json = !d->json;
		return UI_R_DRAW;
	case HG_REQ_SEARCH:
		return ui_view_focused(v) ? ui_cmd_detail_search(v->ui) : UI_R_NONE;
	case HG_REQ_SEARCH_NEXT:
	case HG_REQ_SEARCH_PREV:
		if (!ui_view_focused(v))
			return UI_R_NONE;
		return detail_next(v, req == HG_REQ_SEARCH_NEXT);
	default:
		return UI_R_NONE;
	}
}

static void
init(struct ui_view *v)
{
	struct ui_detail *d = xcalloc(1, sizeof(*d));

	d->vis_width = -1;
	d->wrap = !v->app->o->config || v->app->o->config->wrap;
	v->priv = d;
}

static void
done(struct ui_view *v)
{
	struct ui_detail *d = det(v);

	hg_detail_free(&d->doc);
	free(d->vis);
	free(d);
	v->priv = NULL;
}

/* Drawing */

struct piece {
	int y, x, end;
};

static void
put_piece(struct piece *pc, const char *s, size_t n, int attr)
{
	if (n && pc->x < pc->end)
		pc->x += ui_put_fit(pc->y, pc->x, pc->end - pc->x, s, n, attr);
}

/* Draw text[from, to) of a line, split where its styles change. */
static void
draw_styled(struct piece *pc, const struct hg_dline *l, size_t from, size_t to)
{
	int normal = ui_attr((enum ui_role)l->role);
	size_t i, at = from;

	if ((size_t)l->label_len > at) {
		size_t e = (size_t)l->label_len < to ? (size_t)l->label_len : to;

		put_piece(pc, l->text + at, e - at, ui_attr(UI_ROLE_FIELD));
		at = e;
	}
	for (i = 0; i < l->n_spans && at < to; i++) {
		const struct hg_tt_span *sp = &l->spans[i];
		size_t s0 = sp->start, s1 = sp->start + sp->len;

		if (s1 <= at)
			continue;
		if (s0 >= to)
			break;
		if (s0 > at) {
			put_piece(pc, l->text + at, s0 - at, normal);
			at = s0;
		}
		s1 = s1 < to ? s1 : to;
		put_piece(pc, l->text + at, s1 - at, ui_tt_attr(sp->fg, sp->bg, sp->attrs));
		at = s1;
	}
	put_piece(pc, l->text + at, to - at, normal);
}

/* The current match, in reverse video over the highlight. */
static void
draw_current(const struct ui_detail *d, const struct hg_dline *l, size_t li, int y, int x0,
	     int end, size_t from, size_t to)
{
	const struct hg_search_pattern *p = ui_mark_get();
	size_t ms, me;
	int x;

	if (!d->has_cur || !p || d->cur_line != li || d->cur_serial != ui_mark_serial())
		return;
	ms = d->cur_off;
	{
		/* A regular expression's match is as long as it is there. */
		const char *m = ms < l->len ? hg_search_find_text(p, l->text + ms, l->len - ms) : NULL;
		size_t ml = m == l->text + ms ? hg_search_match_len(p) : p->len;

		me = ms + ml > l->len ? l->len : ms + ml;
	}
	if (me <= from || ms >= to)
		return;
	ms = ms < from ? from : ms;
	me = me > to ? to : me;
	x = x0 + hg_text_width(l->text + from, ms - from);
	if (x < end)
		ui_put_fit(y, x, end - x, l->text + ms, me - ms,
			   ui_attr(UI_ROLE_MATCH) | (int)(A_UNDERLINE | A_REVERSE));
}

static void
draw(struct ui_view *v, size_t line, int y)
{
	const struct ui_detail *d = det(v);
	const struct ui_vline *vl = &d->vis[line];
	const struct ui_rect *r = &v->rect;
	const struct hg_dline *l = &d->doc.lines[vl->line];
	struct piece pc = { y, r->x + 1, r->x + r->w - 1 };
	int skip = d->wrap ? 0 : v->pos.col, used = 0, x0, indent = l->indent + vl->cont;
	size_t from = vl->start, to = vl->start + vl->len;

	if (indent > skip)
		pc.x += indent - skip;
	skip = skip > indent ? skip - indent : 0;
	if (skip > 0) {
		from += hg_text_fit(l->text + from, to - from, skip, &used);
		/* A wide character cut by the left edge: leave its half blank. */
		if (used < skip && from < to) {
			uint32_t cp;

			from += hg_utf8_decode(l->text + from, to - from, &cp);
			pc.x += hg_text_char_width(cp) - (skip - used);
		}
	}
	x0 = pc.x;
	draw_styled(&pc, l, from, to);
	ui_mark_line(y, x0, pc.end, l->text, l->len, from, to);
	draw_current(d, l, vl->line, y, x0, pc.end, from, to);
}

static void
title(struct ui_view *v, char *left, size_t nl, char *right, size_t nr)
{
	const struct hg_app *a = v->app;
	const struct ui_detail *d = det(v);
	char ln[24], c1[32], c2[32], c3[32];
	size_t top = v->pos.offset;

	if (!d->valid) {
		snprintf(left, nl, "Detail");
		return;
	}
	if (d->built_json)
		snprintf(left, nl, "Detail: line %s as JSON", hg_line_str(d->line_no, ln, sizeof(ln)));
	else if (d->attempt >= 0)
		snprintf(left, nl, "Detail: attempt #%lld of line %s",
			 (long long)hg_attempt_no(&a->sel->entries[a->sel_entry].attempts[d->attempt], (uint32_t)d->attempt),
			 hg_line_str(d->line_no, ln, sizeof(ln)));
	else
		snprintf(left, nl, "Detail: line %s", hg_line_str(d->line_no, ln, sizeof(ln)));
	snprintf(right, nr, "%s%s-%s/%s", d->wrap ? "wrap  " : "",
		 ui_count(c1, sizeof(c1), d->n_vis ? top + 1 : 0),
		 ui_count(c2, sizeof(c2), top + (size_t)v->rect.h < d->n_vis ?
			  top + (size_t)v->rect.h : d->n_vis),
		 ui_count(c3, sizeof(c3), d->n_vis));
	if (!d->wrap && v->pos.col)
		snprintf(right + strlen(right), nr - strlen(right), "  col %d", v->pos.col + 1);
}

const struct ui_view_ops ui_detail_ops = {
	.name = "detail",
	.flags = UI_VF_SCROLL,
	.init = init,
	.done = done,
	.update = update,
	.lines = lines,
	.draw = draw,
	.title = title,
	.request = request,
};

/* The top-level field at the top of the pane ("runner_output"), as its
 * label shows it, in BUF; false when the top line belongs to no field of
 * the line (the notes, an unparsable line, an empty pane). */
bool
ui_detail_top_field(struct ui_view *v, char *buf, size_t n)
{
	const struct ui_detail *d = det(v);
	size_t i;

	if (!d->valid || v->pos.offset >= d->n_vis)
		return false;
	for (i = d->vis[v->pos.offset].line + 1; i-- > 0;) {
		const struct hg_dline *l = &d->doc.lines[i];

		if (l->indent > 0)
			continue;
		if (l->label_len < 1)
			return false;
		snprintf(buf, n, "%.*s", l->label_len - 1, l->text);
		return true;
	}
	return false;
}
