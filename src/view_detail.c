/* view_detail.c - every field of the selected entry or attempt (the app's
 * selection).
 *
 * The line is re-read from the file and parsed with cJSON in update when
 * the selection changes (large fields are not kept in memory); only the
 * detail of the selected entry is cached. Text fields are decoded, sanitized and
 * wrapped by display columns; runner_output goes through termtext so its
 * colours show and its other escapes do not. */
#include "config.h"

#include <cjson/cJSON.h>
#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/annotate.h"
#include "hgtop/config.h"
#include "hgtop/parser.h"
#include "hgtop/sanitize.h"
#include "hgtop/search.h"
#include "hgtop/termtext.h"
#include "hgtop/ui_view.h"

#define RAW_MAX (1024 * 1024)
#define HSCROLL 8
#define CONTEXT_LINES 2		/* lines kept above a search match */

/* A logical line: text owned by the cache, spans may point into a
 * termtext document the cache owns. */
struct ui_dline {
	char *text;
	size_t len;
	const struct hg_tt_span *spans;
	size_t n_spans;
	int indent;		/* columns before the text */
	int role;		/* enum ui_role for unstyled text */
	int label_len;		/* bytes of a leading label drawn in FIELD */
};

/* A screen line: part of one logical line. */
struct ui_vline {
	size_t line;
	size_t start, len;
	bool first;
};

struct ui_detail {
	const struct hg_session *s;
	unsigned generation;
	int64_t line_no;
	int32_t attempt;
	bool valid;
	struct ui_dline *lines;
	size_t n, cap;
	struct hg_tt_doc *docs;	/* runner_output documents (owned) */
	size_t n_docs;
	struct ui_vline *vis;
	size_t n_vis, cap_vis;
	int vis_width;
	bool vis_wrap;
	int max_width;		/* widest logical line, for sideways scrolling */
	bool wrap;
};

/* Building the logical lines */

static struct ui_dline *
add_line(struct ui_detail *d, const char *text, size_t len, int indent, int role)
{
	struct ui_dline *l;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->lines = xrealloc(d->lines, d->cap * sizeof(*d->lines));
	}
	l = &d->lines[d->n++];
	memset(l, 0, sizeof(*l));
	l->text = xstrndup(text, len);
	l->len = len;
	l->indent = indent;
	l->role = role;
	return l;
}

/* Sanitized multi-line text, one logical line per '\n'. */
static void
add_text(struct ui_detail *d, const char *s, size_t n, int indent, int role)
{
	struct hg_buf b = { 0 };
	const char *p, *end, *nl;

	hg_sanitize(&b, s, n, HG_SAN_NEWLINES | HG_SAN_TABS);
	p = b.p ? b.p : "";
	end = p + b.len;
	do {
		nl = memchr(p, '\n', (size_t)(end - p));
		add_line(d, p, (size_t)((nl ? nl : end) - p), indent, role);
		p = nl ? nl + 1 : end;
	} while (p < end);
	hg_buf_free(&b);
}

/* "key: value" on one line, the key drawn as a label. */
static void
add_field(struct ui_detail *d, const char *key, const char *val, int indent)
{
	struct hg_buf b = { 0 };
	size_t klen;

	hg_sanitize(&b, key, strlen(key), 0);
	hg_buf_adds(&b, ":");
	klen = b.len;
	hg_buf_adds(&b, " ");
	hg_sanitize(&b, val, strlen(val), HG_SAN_TABS);
	add_line(d, b.p, b.len, indent, UI_ROLE_NORMAL)->label_len = (int)klen;
	hg_buf_free(&b);
}

static void
add_label(struct ui_detail *d, const char *key, int indent)
{
	add_field(d, key, "", indent);
}

static void
add_runner_output(struct ui_detail *d, const char *s, size_t n, int indent)
{
	struct hg_tt_doc *doc;
	size_t i;

	d->docs = xrealloc(d->docs, (d->n_docs + 1) * sizeof(*d->docs));
	doc = &d->docs[d->n_docs++];
	memset(doc, 0, sizeof(*doc));
	hg_tt_parse(doc, s, n);
	for (i = 0; i < doc->n; i++) {
		struct ui_dline *l = add_line(d, doc->lines[i].text, doc->lines[i].len,
					      indent, UI_ROLE_NORMAL);

		l->spans = doc->lines[i].spans;
		l->n_spans = doc->lines[i].n_spans;
	}
}

static void
add_string(struct ui_detail *d, const char *key, const char *v, int indent)
{
	size_t n = strlen(v);

	if (!strcmp(key, "runner_output")) {
		add_label(d, key, indent);
		add_runner_output(d, v, n, indent + 2);
	} else if (memchr(v, '\n', n) || !strcmp(key, "feedback") ||
		   !strcmp(key, "output_summary") || !strcmp(key, "message")) {
		add_label(d, key, indent);
		add_text(d, v, n, indent + 2, UI_ROLE_NORMAL);
	} else {
		add_field(d, key, v, indent);
	}
}

/* cJSON_Print formats with tabs (in strings they are escaped): two spaces
 * per level and one after a key read better. */
static void
add_json(struct ui_detail *d, const char *key, const cJSON *v, int indent)
{
	char *txt = cJSON_Print(v);
	struct hg_buf b = { 0 };
	const char *p;
	bool bol = true;

	add_label(d, key, indent);
	for (p = txt ? txt : ""; *p; p++) {
		if (*p == '\t') {
			hg_buf_adds(&b, bol ? "  " : " ");
			continue;
		}
		bol = *p == '\n';
		hg_buf_addc(&b, *p);
	}
	if (b.len)
		add_text(d, b.p, b.len, indent + 2, UI_ROLE_NORMAL);
	hg_buf_free(&b);
	free(txt);
}

static void
add_number(struct ui_detail *d, const char *key, const cJSON *v, int indent)
{
	char *txt = cJSON_PrintUnformatted(v);
	char buf[128], dur[32];

	if (!strcmp(key, "duration_ms") && cJSON_IsNumber(v)) {
		hg_fmt_duration(dur, sizeof(dur), (int64_t)v->valuedouble);
		snprintf(buf, sizeof(buf), "%s (%s)", txt ? txt : "", dur);
		add_field(d, key, buf, indent);
	} else {
		add_field(d, key, txt ? txt : "", indent);
	}
	free(txt);
}

static void
add_timestamp(struct ui_detail *d, const char *v, int indent)
{
	char buf[160], local[40];
	int64_t ns;
	int16_t tz;
	bool zero;

	if (!hg_parse_time(v, strlen(v), &ns, &tz, &zero) || zero) {
		add_field(d, "timestamp", v, indent);
		return;
	}
	hg_format_datetime(ns, local, sizeof(local));
	snprintf(buf, sizeof(buf), "%.80s  (local %s)", v, local);
	add_field(d, "timestamp", buf, indent);
}

static void
add_attempt_summaries(struct ui_detail *d, const struct hg_entry *e, int indent)
{
	char buf[256], dur[16];
	uint32_t i;

	snprintf(buf, sizeof(buf), "%u (expand the entry and select one to see all its fields)",
		 e->n_attempts);
	add_field(d, "attempts", buf, indent);
	for (i = 0; i < e->n_attempts; i++) {
		const struct hg_attempt *a = &e->attempts[i];

		hg_fmt_duration(dur, sizeof(dur), a->duration_ms);
		snprintf(buf, sizeof(buf), "#%lld %s %s %s %s %s %s", (long long)a->attempt,
			 hg_attempt_tier(a), a->model, dur, a->warm_start ? "warm" : "cold",
			 a->verified ? "verified" : "unverified", hg_attempt_verdict(a));
		add_text(d, buf, strlen(buf), indent + 2, ui_verdict_role(a->verdict));
	}
}

/* Every member of OBJ, in file order; unknown fields included. */
static void
add_object(struct ui_detail *d, const cJSON *obj, const struct hg_entry *e, int indent)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, obj) {
		const char *k = v->string ? v->string : "?";

		if (!strcmp(k, "attempts") && e && cJSON_IsArray(v))
			add_attempt_summaries(d, e, indent);
		else if (!strcmp(k, "timestamp") && cJSON_IsString(v))
			add_timestamp(d, v->valuestring, indent);
		else if (cJSON_IsString(v))
			add_string(d, k, v->valuestring, indent);
		else if (cJSON_IsNumber(v) || cJSON_IsBool(v) || cJSON_IsNull(v))
			add_number(d, k, v, indent);
		else
			add_json(d, k, v, indent);
	}
}

static void
build_unparsable(struct ui_detail *d, const struct hg_entry *e, const char *raw, size_t n)
{
	char buf[64];

	hg_line_str(e->line_no, buf, sizeof(buf));
	add_field(d, "unparsable line", buf, 0);
	add_field(d, "reason", e->reason ? e->reason : "?", 0);
	add_label(d, "raw line", 0);
	add_text(d, raw, n > RAW_MAX ? RAW_MAX : n, 2, UI_ROLE_DIM);
	if (n > RAW_MAX)
		add_text(d, "(cut at 1 MB)", 13, 2, UI_ROLE_DIM);
}

static void
build_attempt(struct ui_detail *d, const cJSON *root, const struct hg_entry *e, int32_t ai)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "attempts");
	const cJSON *a = cJSON_GetArrayItem(arr, ai);
	char buf[160];

	char ln[24];

	snprintf(buf, sizeof(buf), "line %s, %s", hg_line_str(e->line_no, ln, sizeof(ln)), e->skill);
	add_field(d, "entry", buf, 0);
	if (!a) {
		add_text(d, "(attempt not found in the line)", 31, 0, UI_ROLE_ERROR);
		return;
	}
	add_object(d, a, NULL, 0);
}

static void
build_from_line(struct ui_detail *d, const struct hg_entry *e, int32_t attempt,
		const char *line, size_t n)
{
	cJSON *root;

	if (e->kind == HG_ENTRY_UNPARSABLE) {
		build_unparsable(d, e, line, n);
		return;
	}
	root = cJSON_ParseWithLength(line, n);
	if (!root) {
		add_text(d, "the line no longer parses (file changed?)", 41, 0, UI_ROLE_ERROR);
		return;
	}
	if (attempt >= 0)
		build_attempt(d, root, e, attempt);
	else
		add_object(d, root, e, 0);
	cJSON_Delete(root);
}

/* The notes on entry E (or on its attempt AI), newest last. */
static void
add_notes(struct ui_detail *d, struct hg_session *s, size_t entry, int32_t attempt)
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
			add_label(d, "notes", 0);
		hg_format_datetime(a->ts_ns, when, sizeof(when));
		snprintf(head, sizeof(head), "%s %s, %s (line %lld)%s", ui_g->note,
			 a->ann_author && *a->ann_author ? a->ann_author : "?", when,
			 (long long)a->line_no, ai >= 0 && attempt < 0 ? ", on attempt" : "");
		if (ai >= 0 && attempt < 0)
			snprintf(head + strlen(head), sizeof(head) - strlen(head), " #%lld",
				 (long long)e->attempts[ai].attempt);
		add_text(d, head, strlen(head), 2, UI_ROLE_NOTE);
		text = hg_annotate_read_text(s, a, &len);
		if (text)
			add_text(d, text, len, 4, UI_ROLE_NORMAL);
		else
			add_text(d, "(cannot read the note)", 22, 4, UI_ROLE_ERROR);
		free(text);
	}
}

static void
detail_clear(struct ui_detail *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->lines[i].text);
	d->n = 0;
	for (i = 0; i < d->n_docs; i++)
		hg_tt_free(&d->docs[i]);
	free(d->docs);
	d->docs = NULL;
	d->n_docs = 0;
	d->n_vis = 0;
	d->vis_width = -1;
	d->valid = false;
}

static void
build(struct ui_detail *d, struct hg_session *s, size_t entry, int32_t attempt)
{
	const struct hg_entry *e = &s->entries[entry];
	size_t n = 0;
	char *line;

	detail_clear(d);
	d->s = s;
	d->generation = s->generation;
	d->line_no = e->line_no;
	d->attempt = attempt;
	d->valid = true;
	line = hg_session_read_line(s, e, &n);
	if (!line) {
		char buf[256];

		snprintf(buf, sizeof(buf), "cannot read line %lld: %s", (long long)e->line_no,
			 errno == ESTALE ? "the file changed"
			 : errno == EFBIG && e->reason ? e->reason : strerror(errno));
		add_text(d, buf, strlen(buf), 0, UI_ROLE_ERROR);
		return;
	}
	add_notes(d, s, entry, attempt);
	build_from_line(d, e, attempt, line, n);
	free(line);
}

static bool
cached(const struct ui_detail *d, const struct hg_session *s, size_t entry, int32_t attempt)
{
	return d->valid && d->s == s && d->generation == s->generation &&
	       d->line_no == s->entries[entry].line_no && d->attempt == attempt;
}

/* Screen lines */

static void
add_vis(struct ui_detail *d, size_t line, size_t start, size_t len, bool first)
{
	if (d->n_vis == d->cap_vis) {
		d->cap_vis = d->cap_vis ? d->cap_vis * 2 : 256;
		d->vis = xrealloc(d->vis, d->cap_vis * sizeof(*d->vis));
	}
	d->vis[d->n_vis].line = line;
	d->vis[d->n_vis].start = start;
	d->vis[d->n_vis].len = len;
	d->vis[d->n_vis++].first = first;
}

static void
layout_lines(struct ui_detail *d, int width, bool wrap)
{
	size_t i;

	d->n_vis = 0;
	d->max_width = 0;
	for (i = 0; i < d->n; i++) {
		const struct ui_dline *l = &d->lines[i];
		int avail = width - l->indent, w = hg_text_width(l->text, l->len) + l->indent;
		size_t off = 0;

		if (w > d->max_width)
			d->max_width = w;
		if (!wrap || l->len == 0) {
			add_vis(d, i, 0, l->len, true);
			continue;
		}
		while (off < l->len) {
			size_t k = hg_text_wrap_next(l->text + off, l->len - off, avail);

			add_vis(d, i, off, k, off == 0);
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

/* Scroll to the first screen line showing the searched text. */
static void
to_match(struct ui_view *v, const struct hg_search_pattern *p)
{
	const struct ui_detail *d = det(v);
	size_t i;

	for (i = 0; p && i < d->n_vis; i++) {
		const struct ui_vline *vl = &d->vis[i];
		const struct ui_dline *l = &d->lines[vl->line];
		const char *m = hg_search_find_text(p, l->text + vl->start, l->len - vl->start);

		if (m && (size_t)(m - l->text) < vl->start + vl->len) {
			v->pos.offset = i > CONTEXT_LINES ? i - CONTEXT_LINES : 0;
			v->pos.lineno = v->pos.offset;
			return;
		}
	}
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
		if (d->valid || d->n) {
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
		layout_lines(d, width, d->wrap);
		v->max_col = d->max_width - width > 0 ? d->max_width - width : 0;
		r = UI_R_DRAW;
	}
	if (a->jump_match) {
		a->jump_match = false;
		to_match(v, ui_mark_get());
		r = UI_R_DRAW;
	}
	return r;
}

static size_t
lines(const struct ui_view *v)
{
	return det(v)->n_vis;
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
		return UI_R_DONE;
	case HG_REQ_WRAP:
		d->wrap = !d->wrap;
		v->pos.col = 0;
		return UI_R_DRAW;
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

	detail_clear(d);
	free(d->lines);
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
draw_styled(struct piece *pc, const struct ui_dline *l, size_t from, size_t to)
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

static void
draw(struct ui_view *v, size_t line, int y)
{
	const struct ui_detail *d = det(v);
	const struct ui_vline *vl = &d->vis[line];
	const struct ui_rect *r = &v->rect;
	const struct ui_dline *l = &d->lines[vl->line];
	struct piece pc = { y, r->x + 1, r->x + r->w - 1 };
	int skip = d->wrap ? 0 : v->pos.col, used = 0, x0;
	size_t from = vl->start, to = vl->start + vl->len;

	if (l->indent > skip)
		pc.x += l->indent - skip;
	skip = skip > l->indent ? skip - l->indent : 0;
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
	if (d->attempt >= 0)
		snprintf(left, nl, "Detail: attempt #%lld of line %s",
			 (long long)a->sel->entries[a->sel_entry].attempts[d->attempt].attempt,
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
		const struct ui_dline *l = &d->lines[i];

		if (l->indent > 0)
			continue;
		if (l->label_len < 1)
			return false;
		snprintf(buf, n, "%.*s", l->label_len - 1, l->text);
		return true;
	}
	return false;
}
