/* ui_draw.c - the draw boundary: every log string is sanitized, fitted to
 * its columns without splitting a character, and only then drawn. */
#include "config.h"

#include <curses.h>
#include <string.h>

#include "hgtop/entry.h"
#include "hgtop/sanitize.h"
#include "hgtop/ui_int.h"

static struct hg_buf san, fit;

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
ui_verdict_role(uint8_t verdict)
{
	switch (verdict) {
	case HG_VERDICT_ACCEPT:
		return UI_ROLE_ACCEPT;
	case HG_VERDICT_ESCALATE:
		return UI_ROLE_ESCALATE;
	case HG_VERDICT_ERROR:
		return UI_ROLE_ERROR;
	default:
		return UI_ROLE_NORMAL;
	}
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
