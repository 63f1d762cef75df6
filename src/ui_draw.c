/* ui_draw.c - the draw boundary: every log string is sanitized, fitted to
 * its columns without splitting a character, and only then drawn. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "hgtop/entry.h"
#include "hgtop/sanitize.h"
#include "hgtop/search.h"
#include "hgtop/ui_draw.h"

static struct hg_buf san, fit;
static struct hg_buf msan, mfit;	/* the highlight's own */
static const struct hg_search_pattern *hl;	/* highlighted text */
static unsigned hl_serial;	/* bumped by every ui_mark_set */

/* Outside a UTF-8 locale the terminal cannot show non-ASCII: one '?'
 * per character (the sanitizer measured each as one column). */
static size_t
asciify(char *p, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c >= 0x80 && (c & 0xC0) == 0x80)
			continue;
		p[o++] = c >= 0x80 ? '?' : (char)c;
	}
	return o;
}

static int
draw_raw(int y, int x, char *p, size_t n, int attr)
{
	if (!p || n == 0)
		return 0;
	if (!ui_utf8)
		n = asciify(p, n);
	attrset(attr);
	mvaddnstr(y, x, p, (int)n);
	attrset(A_NORMAL);
	return hg_text_width(p, n);
}

void
ui_sanitize_line(struct hg_buf *out, const char *s, size_t n)
{
	hg_buf_reset(out);
	hg_sanitize(out, s, n, 0);
}

/* Draw s[0..n) at (y, x) in at most w columns, cut with a marker. */
int
ui_put_safe(int y, int x, int w, const char *s, size_t n, int attr)
{
	if (w <= 0 || !s)
		return 0;
	ui_sanitize_line(&san, s, n);
	hg_buf_reset(&fit);
	if (san.len)
		hg_text_trunc(&fit, san.p, san.len, w, ui_g->ellipsis);
	return draw_raw(y, x, fit.p, fit.len, attr);
}

int
ui_put(int y, int x, int w, const char *s, int attr)
{
	return ui_put_safe(y, x, w, s, strlen(s), attr);
}

/* Already sanitized text, cut without a marker (scrolled detail lines). */
int
ui_put_fit(int y, int x, int w, const char *s, size_t n, int attr)
{
	int used;
	size_t k;

	if (w <= 0 || n == 0)
		return 0;
	k = hg_text_fit(s, n, w, &used);
	hg_buf_reset(&fit);
	hg_buf_add(&fit, s, k);
	return draw_raw(y, x, fit.p, fit.len, attr);
}

void
ui_fill(int y, int x, int w, int attr)
{
	if (w <= 0)
		return;
	mvhline(y, x, (chtype)' ' | (chtype)attr, w);
}

int
ui_tier_role(uint8_t tier)
{
	switch (tier) {
	case HG_TIER_LOCAL:
		return UI_ROLE_LOCAL;
	case HG_TIER_SUBAGENT:
		return UI_ROLE_SUBAGENT;
	case HG_TIER_MANAGED:
		return UI_ROLE_MANAGED;
	default:
		return UI_ROLE_NORMAL;
	}
}

const char *
ui_count(char *buf, size_t n, size_t v)
{
	hg_fmt_count(buf, n, (int64_t)v);
	return buf;
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

/* The search highlight */

void
ui_mark_set(const struct hg_search_pattern *p)
{
	hl = p;
	hl_serial++;
}

unsigned
ui_mark_serial(void)
{
	return hl_serial;
}

const struct hg_search_pattern *
ui_mark_get(void)
{
	return hl;
}

void
ui_mark_free(void)
{
	hl = NULL;
	hg_buf_free(&san);
	hg_buf_free(&fit);
	hg_buf_free(&msan);
	hg_buf_free(&mfit);
}

/* Overlay every match of the searched text in text[0..n) that falls in
 * [from, to), which is drawn from column x0 and must stop at column end. */
static void
mark_runs(int y, int x0, int end, const char *text, size_t n, size_t from, size_t to)
{
	int attr = ui_attr(UI_ROLE_MATCH) | (int)A_UNDERLINE;
	size_t at = 0;

	while (at < n) {
		const char *m = hg_search_find_text(hl, text + at, n - at);
		size_t ms, me;
		int x;

		if (!m)
			return;
		ms = (size_t)(m - text);
		me = ms + hg_search_match_len(hl);
		at = me > ms ? me : ms + 1;
		if (me <= from)
			continue;
		if (ms >= to)
			return;
		ms = ms < from ? from : ms;
		me = me > to ? to : me;
		x = x0 + hg_text_width(text + from, ms - from);
		if (x < end)
			ui_put_fit(y, x, end - x, text + ms, me - ms, attr);
	}
}

void
ui_mark(int y, int x, int w, const char *s, size_t n)
{
	if (!hl || w <= 0 || !s)
		return;
	ui_sanitize_line(&msan, s, n);
	hg_buf_reset(&mfit);
	if (msan.len)
		hg_text_trunc(&mfit, msan.p, msan.len, w, ui_g->ellipsis);
	if (mfit.len)
		mark_runs(y, x, x + w, mfit.p, mfit.len, 0, mfit.len);
}

void
ui_mark_line(int y, int x, int end, const char *text, size_t n, size_t from, size_t to)
{
	if (hl && text)
		mark_runs(y, x, end, text, n, from, to);
}
