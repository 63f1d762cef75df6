/* ui_view.c - the view engine: positions, the one clamp and the one
 * scroll, focus, mouse hit-testing and the modal stack. Views only say how
 * many lines they have and draw one line; the engine decides which. */
#include "config.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hgtop/ui_view.h"

static const struct ui_view_ops *const view_ops[UI_V_N] = {
#define UI_VIEW_OPS(id, ops) [UI_V_##id] = &ops,
	UI_VIEWS(UI_VIEW_OPS)
#undef UI_VIEW_OPS
};

struct ui_view *
ui_view(struct hg_ui *u, enum ui_view_id id)
{
	return &u->views[id];
}

void
ui_views_init(struct hg_ui *u, struct hg_app *a)
{
	int i;

	for (i = 0; i < UI_V_N; i++) {
		struct ui_view *v = &u->views[i];

		memset(v, 0, sizeof(*v));
		v->ops = view_ops[i];
		v->ui = u;
		v->app = a;
		if (v->ops->init)
			v->ops->init(v);
	}
}

void
ui_views_done(struct hg_ui *u)
{
	int i;

	for (i = 0; i < UI_V_N; i++)
		if (u->views[i].ops && u->views[i].ops->done)
			u->views[i].ops->done(&u->views[i]);
}

static size_t
lines_of(const struct ui_view *v)
{
	return v->ops->lines ? v->ops->lines(v) : 0;
}

int
ui_view_height(const struct ui_view *v)
{
	return v->rect.h > 0 ? v->rect.h : 1;
}

static bool
selectable(const struct ui_view *v, size_t line)
{
	return !v->ops->selectable || v->ops->selectable(v, line);
}

/* The cursor onto a line it may rest on: the nearest in direction DIR
 * (1 down, -1 up), else in the other. */
static void
settle(struct ui_view *v, size_t n, int dir)
{
	size_t i = v->pos.lineno;
	int k;

	if (selectable(v, i))
		return;
	for (k = 0; k < 2; k++, dir = -dir)
		for (i = v->pos.lineno; dir > 0 ? i + 1 < n : i > 0;) {
			i = dir > 0 ? i + 1 : i - 1;
			if (selectable(v, i)) {
				v->pos.lineno = i;
				return;
			}
		}
}

void
ui_view_clamp(struct ui_view *v)
{
	struct ui_pos *p = &v->pos;
	size_t n = lines_of(v), h = (size_t)ui_view_height(v);

	if (n == 0) {
		p->offset = p->lineno = 0;
		return;
	}
	if (v->ops->flags & UI_VF_SCROLL) {
		size_t max = n > h ? n - h : 0;

		if (p->offset > max)
			p->offset = max;
		p->lineno = p->offset;
		return;
	}
	if (p->lineno >= n)
		p->lineno = n - 1;
	settle(v, n, 1);
	if (p->lineno < p->offset)
		p->offset = p->lineno;
	if (p->lineno >= p->offset + h)
		p->offset = p->lineno - h + 1;
	if (p->offset + h > n)
		p->offset = n > h ? n - h : 0;
}

void
ui_views_update(struct hg_ui *u, unsigned events)
{
	int i;

	for (i = 0; i < UI_V_N; i++) {
		struct ui_view *v = &u->views[i];

		/* The entry tree when the timeline is in its place: it would
		 * move the selection. (The timeline keeps its rows.) */
		if (i == UI_V_TIMELINE && v->ops == &ui_entries_ops)
			continue;
		if (v->ops->update)
			u->pending |= v->ops->update(v, events);
		ui_view_clamp(v);
	}
}

static unsigned
moved(struct ui_view *v, size_t from)
{
	if (v->pos.lineno == from || !v->ops->select)
		return UI_R_DRAW;
	return UI_R_DRAW | v->ops->select(v, from);
}

bool
ui_req_moves(enum hg_ui_req req)
{
	return req == HG_REQ_MOVE_DOWN || req == HG_REQ_MOVE_UP || req == HG_REQ_PAGE_DOWN ||
	       req == HG_REQ_PAGE_UP || req == HG_REQ_FIRST || req == HG_REQ_LAST ||
	       req == HG_REQ_HALF_DOWN || req == HG_REQ_HALF_UP;
}

unsigned
ui_view_move(struct ui_view *v, enum hg_ui_req req)
{
	struct ui_pos *p = &v->pos;
	size_t n = lines_of(v), h = (size_t)ui_view_height(v), from = p->lineno;
	size_t page = h > 1 ? h - 1 : 1, half = h > 1 ? h / 2 : 1;
	bool scroll = (v->ops->flags & UI_VF_SCROLL) != 0;
	size_t *at = scroll ? &p->offset : &p->lineno;

	switch (req) {
	case HG_REQ_MOVE_DOWN:
		(*at)++;
		break;
	case HG_REQ_MOVE_UP:
		*at -= *at > 0;
		break;
	case HG_REQ_PAGE_DOWN:
		p->lineno += page;
		p->offset += page;
		break;
	case HG_REQ_PAGE_UP:
		p->lineno = p->lineno > page ? p->lineno - page : 0;
		p->offset = p->offset > page ? p->offset - page : 0;
		break;
	case HG_REQ_HALF_DOWN:
		p->lineno += half;
		p->offset += half;
		break;
	case HG_REQ_HALF_UP:
		p->lineno = p->lineno > half ? p->lineno - half : 0;
		p->offset = p->offset > half ? p->offset - half : 0;
		break;
	case HG_REQ_FIRST:
		p->lineno = p->offset = 0;
		break;
	case HG_REQ_LAST:
		p->lineno = n ? n - 1 : 0;
		p->offset = n > h ? n - h : 0;
		break;
	default:
		return UI_R_NONE;
	}
	if (scroll) {
		p->lineno = p->offset;
	} else if (n && !selectable(v, p->lineno < n ? p->lineno : n - 1)) {
		/* Skip lines the cursor may not rest on, in the direction of
		 * the move; going up past the first line one may, show what
		 * is above it. */
		size_t want = p->lineno < n ? p->lineno : n - 1;
		int dir = req == HG_REQ_MOVE_UP || req == HG_REQ_PAGE_UP ? -1 : 1;

		p->lineno = want;
		settle(v, n, dir);
		if (dir < 0 && p->lineno > want && p->offset > want)
			p->offset = want;
	}
	ui_view_clamp(v);
	return moved(v, from);
}

unsigned
ui_view_goto(struct ui_view *v, size_t line)
{
	size_t from = v->pos.lineno;

	v->pos.lineno = line;
	if (v->ops->flags & UI_VF_SCROLL)
		v->pos.offset = line;
	ui_view_clamp(v);
	return moved(v, from);
}

void
ui_view_hscroll(struct ui_view *v, int delta)
{
	v->pos.col += delta;
	if (v->pos.col > v->max_col)
		v->pos.col = v->max_col;
	if (v->pos.col < 0)
		v->pos.col = 0;
}

bool
ui_view_focused(const struct ui_view *v)
{
	struct hg_ui *u = v->ui;

	if (u->depth)
		return v == &u->views[u->stack[u->depth - 1]];
	return v == &u->views[u->focus];
}

void
ui_view_draw(struct ui_view *v, bool focused)
{
	char left[512] = "", right[160] = "", buf[600];
	size_t n, i;

	ui_view_clamp(v);
	if (v->title.h > 0) {
		if (v->ops->title)
			v->ops->title(v, left, sizeof(left), right, sizeof(right));
		else
			snprintf(left, sizeof(left), "%s", v->ops->name);
		ui_draw_title(&v->title, left, right[0] ? right : NULL, focused);
	}
	n = lines_of(v);
	if (n == 0) {
		const char *e = v->ops->empty ? v->ops->empty(v, buf, sizeof(buf)) : NULL;

		if (e && v->rect.h > 0)
			ui_put(v->rect.y, v->rect.x + 1, v->rect.w - 2, e, ui_attr(UI_ROLE_DIM));
		return;
	}
	for (i = 0; i < (size_t)v->rect.h && v->pos.offset + i < n; i++)
		v->ops->draw(v, v->pos.offset + i, v->rect.y + (int)i);
}

/* Focus and the modal stack */

void
ui_focus(struct hg_ui *u, enum ui_view_id id)
{
	if (id < UI_NPANES)
		u->focus = id;
	u->pending |= UI_R_DRAW | (u->zoom ? UI_R_LAYOUT : 0);
}

void
ui_focus_step(struct hg_ui *u, int dir)
{
	ui_focus(u, (enum ui_view_id)((u->focus + (dir > 0 ? 1 : UI_NPANES - 1)) % UI_NPANES));
}

struct ui_view *
ui_top(struct hg_ui *u)
{
	return u->depth ? &u->views[u->stack[u->depth - 1]] : NULL;
}

struct ui_view *
ui_target(struct hg_ui *u)
{
	struct ui_view *t = ui_top(u);

	return t ? t : &u->views[u->focus];
}

void
ui_push(struct hg_ui *u, enum ui_view_id id)
{
	size_t i;

	for (i = 0; i < u->depth; i++)
		if (u->stack[i] == id)
			return;
	if (u->depth < HG_ARRAY_SIZE(u->stack))
		u->stack[u->depth++] = id;
	u->pending |= UI_R_DRAW | UI_R_LAYOUT;
}

void
ui_pop(struct hg_ui *u)
{
	if (u->depth)
		u->depth--;
	u->pending |= UI_R_DRAW | UI_R_LAYOUT;
}

/* Mouse */

static bool
inside(const struct ui_rect *r, int y, int x)
{
	return y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w;
}

/* The view whose lines are at (y, x): the top modal only, if any. */
static struct ui_view *
hit(struct hg_ui *u, int y, int x)
{
	struct ui_view *t = ui_top(u);
	int i;

	if (t)
		return inside(&t->rect, y, x) ? t : NULL;
	for (i = 0; i < UI_NPANES; i++)
		if (inside(&u->views[i].rect, y, x))
			return &u->views[i];
	return NULL;
}

unsigned
ui_mouse(struct hg_ui *u, int y, int x, bool wheel, bool down)
{
	struct ui_view *v = hit(u, y, x);
	size_t line, from;
	unsigned r = UI_R_DRAW;
	int i;

	if (!v)
		return UI_R_NONE;
	if (wheel) {
		for (i = 0; i < 3; i++)
			r |= ui_view_move(v, down ? HG_REQ_MOVE_DOWN : HG_REQ_MOVE_UP);
		return r;
	}
	if (!u->depth)
		ui_focus(u, (enum ui_view_id)(v - u->views));
	if (v->ops->flags & UI_VF_SCROLL)
		return r;
	line = v->pos.offset + (size_t)(y - v->rect.y);
	from = v->pos.lineno;
	if (line >= lines_of(v))
		return r;
	if (line == from && (v->ops->flags & UI_VF_CLICK_TOGGLES) && v->ops->request)
		return r | v->ops->request(v, HG_REQ_TOGGLE);
	return r | ui_view_goto(v, line);
}

void
ui_message(struct hg_ui *u, bool error, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	hg_app_message(u->app, error, "%s", buf);
	u->pending |= UI_R_DRAW;
}
