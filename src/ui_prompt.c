/* ui_prompt.c - the one-line editor used by filter, search and annotate. */
#include "config.h"

#include <curses.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "hgtop/sanitize.h"
#include "hgtop/state.h"
#include "hgtop/ui_view.h"
#include "hgtop/ui_prompt.h"

struct ui_prompt {
	char *label;
	struct hg_buf text;
	size_t cur;		/* byte offset of the cursor, on a boundary */
	struct hg_history *hist;
	size_t hist_pos;	/* == hist->n: the line being edited */
	char *draft;		/* the edited line while browsing history */
	char *error;
	char *refused;		/* input refused since the prompt opened */
	bool multiline;		/* a paste keeps its newlines */
	const char *note;	/* the owner's note, shown on the right */
	const bool *note_err;
	bool keep;
	bool completes;		/* Tab: UI_PROMPT_COMPLETE */
	int cy, cx;		/* screen cursor after the last draw */
	ui_prompt_fn fn;
	void *ctx;
};

/* Text helpers: the buffer is UTF-8, the cursor moves by characters. */

static size_t
next_char(const struct hg_buf *b, size_t i)
{
	uint32_t cp;

	return i < b->len ? i + hg_utf8_decode(b->p + i, b->len - i, &cp) : i;
}

static size_t
prev_char(const struct hg_buf *b, size_t i)
{
	while (i > 0 && ((unsigned char)b->p[--i] & 0xC0) == 0x80)
		;
	return i;
}

static void
cut(struct ui_prompt *p, size_t from, size_t to)
{
	memmove(p->text.p + from, p->text.p + to, p->text.len - to + 1);
	p->text.len -= to - from;
	p->cur = from;
}

static void
set_text(struct ui_prompt *p, const char *s)
{
	hg_buf_reset(&p->text);
	hg_buf_adds(&p->text, s ? s : "");
	p->cur = p->text.len;
}

/* UTF-8 of code point CP into MB (at least 4 bytes); returns the length.
 * Not wcrtomb: the text is UTF-8 whatever the locale. */
static size_t
utf8_encode(uint32_t cp, char *mb)
{
	if (cp < 0x80) {
		mb[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		mb[0] = (char)(0xC0 | (cp >> 6));
		mb[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		mb[0] = (char)(0xE0 | (cp >> 12));
		mb[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		mb[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	mb[0] = (char)(0xF0 | (cp >> 18));
	mb[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	mb[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	mb[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static void
insert_bytes(struct ui_prompt *p, const char *mb, size_t k)
{
	hg_buf_reserve(&p->text, k);
	memmove(p->text.p + p->cur + k, p->text.p + p->cur, p->text.len - p->cur + 1);
	memcpy(p->text.p + p->cur, mb, k);
	p->text.len += k;
	p->cur += k;
}

static void
insert(struct ui_prompt *p, wint_t ch)
{
	char mb[4];

	/* Control characters never enter the text, nor do surrogates. */
	if (ch < 0x20 || (ch >= 0x7f && ch < 0xa0) || ch > 0x10FFFF ||
	    (ch >= 0xD800 && ch < 0xE000))
		return;
	insert_bytes(p, mb, utf8_encode((uint32_t)ch, mb));
}

static size_t
word_start(const struct ui_prompt *p)
{
	size_t i = p->cur;

	while (i > 0 && p->text.p[i - 1] == ' ')
		i--;
	while (i > 0 && p->text.p[i - 1] != ' ')
		i--;
	return i;
}

static void
history_move(struct ui_prompt *p, int dir)
{
	size_t n = p->hist ? p->hist->n : 0;

	if ((dir < 0 && p->hist_pos == 0) || (dir > 0 && p->hist_pos >= n))
		return;
	if (p->hist_pos == n) {
		free(p->draft);
		p->draft = xstrdup(p->text.p ? p->text.p : "");
	}
	p->hist_pos = (size_t)((long)p->hist_pos + dir);
	set_text(p, p->hist_pos == n ? p->draft : p->hist->v[p->hist_pos]);
}

/* Keys that only move: return true when handled. */
static bool
motion(struct ui_prompt *p, bool is_key, wint_t ch)
{
	if ((is_key && ch == KEY_LEFT) || (!is_key && ch == 2))
		p->cur = prev_char(&p->text, p->cur);
	else if ((is_key && ch == KEY_RIGHT) || (!is_key && ch == 6))
		p->cur = next_char(&p->text, p->cur);
	else if ((is_key && ch == KEY_HOME) || (!is_key && ch == 1))
		p->cur = 0;
	else if ((is_key && ch == KEY_END) || (!is_key && ch == 5))
		p->cur = p->text.len;
	else if (is_key && ch == KEY_UP)
		history_move(p, -1);
	else if (is_key && ch == KEY_DOWN)
		history_move(p, 1);
	else
		return false;
	return true;
}

/* Keys that edit: return true when handled. */
static bool
edit(struct ui_prompt *p, bool is_key, wint_t ch)
{
	if ((is_key && ch == KEY_BACKSPACE) || (!is_key && (ch == 8 || ch == 127))) {
		if (p->cur > 0)
			cut(p, prev_char(&p->text, p->cur), p->cur);
	} else if ((is_key && ch == KEY_DC) || (!is_key && ch == 4)) {
		cut(p, p->cur, next_char(&p->text, p->cur));
	} else if (!is_key && ch == 21) {
		cut(p, 0, p->cur);
	} else if (!is_key && ch == 11) {
		p->text.len = p->cur;
		p->text.p[p->cur] = '\0';
	} else if (!is_key && ch == 23) {
		cut(p, word_start(p), p->cur);
	} else if (!is_key) {
		insert(p, ch);
	} else {
		return false;
	}
	return true;
}

static enum ui_prompt_event
prompt_key(struct ui_prompt *p, bool is_key, wint_t ch)
{
	if ((!is_key && (ch == '\n' || ch == '\r')) || (is_key && ch == KEY_ENTER))
		return UI_PROMPT_ACCEPT;
	if (!is_key && (ch == 27 || ch == 7))
		return UI_PROMPT_CANCEL;
	if (!is_key && ch == '\t')
		return p->completes ? UI_PROMPT_COMPLETE : UI_PROMPT_NONE;
	if (motion(p, is_key, ch))
		return is_key && (ch == KEY_UP || ch == KEY_DOWN) ?
			UI_PROMPT_CHANGED : UI_PROMPT_NONE;
	if (!edit(p, is_key, ch))
		return UI_PROMPT_NONE;
	free(p->error);
	p->error = NULL;
	return UI_PROMPT_CHANGED;
}

static struct ui_prompt *
prompt_new(const char *label, const char *initial, struct hg_history *hist)
{
	struct ui_prompt *p = xcalloc(1, sizeof(*p));

	p->label = xstrdup(label);
	p->hist = hist;
	p->hist_pos = hist ? hist->n : 0;
	set_text(p, initial);
	return p;
}

void
ui_prompt_free(struct ui_prompt *p)
{
	if (!p)
		return;
	free(p->label);
	free(p->draft);
	free(p->error);
	free(p->refused);
	hg_buf_free(&p->text);
	free(p);
}

void
ui_prompt_completes(struct ui_prompt *p)
{
	p->completes = true;
}

size_t
ui_prompt_cursor(const struct ui_prompt *p)
{
	return p->cur;
}

void
ui_prompt_replace(struct ui_prompt *p, size_t from, size_t to, const char *s)
{
	if (from > to || to > p->text.len)
		return;
	hg_buf_reserve(&p->text, 1);
	if (p->text.len == 0)
		p->text.p[0] = '\0';
	cut(p, from, to);
	insert_bytes(p, s, strlen(s));
	free(p->error);
	p->error = NULL;
}

const char *
ui_prompt_text(const struct ui_prompt *p)
{
	return p->text.p ? p->text.p : "";
}

void
ui_prompt_keep(struct ui_prompt *p)
{
	p->keep = true;
}

void
ui_prompt_error(struct ui_prompt *p, int col, const char *msg)
{
	size_t i = 0;

	free(p->error);
	p->error = xstrdup(msg);
	if (col <= 0)
		return;
	while (--col > 0 && i < p->text.len)
		i = next_char(&p->text, i);
	p->cur = i;
}

void
ui_prompt_set_note(struct ui_prompt *p, const char *note, const bool *err)
{
	p->note = note;
	p->note_err = err;
}

/* The owner's note, right-aligned; returns the columns it took. */
static int
draw_note(const struct ui_prompt *p, int y, int x, int w)
{
	int nw;

	if (!p->note || !p->note[0])
		return 0;
	nw = hg_text_width(p->note, strlen(p->note));
	if (nw > w / 2)
		nw = w / 2;
	ui_put(y, x + w - nw - 1, nw, p->note,
	       ui_attr(p->note_err && *p->note_err ? UI_ROLE_MSG_ERR : UI_ROLE_KEY));
	return nw + 2;
}

/* Draw the label, then the text scrolled so the cursor stays visible. */
void
ui_prompt_draw(struct ui_prompt *p, int y, int x, int w)
{
	int lw;

	w -= draw_note(p, y, x, w);
	lw = ui_put(y, x, w, p->label, ui_attr(UI_ROLE_KEY));
	int avail, ccol, skipcols = 0, used;
	size_t skip = 0;
	const char *t = ui_prompt_text(p);

	avail = w - lw - 1;
	ccol = hg_text_width(t, p->cur);
	if (p->error || p->refused)
		avail -= avail / 2;
	if (ccol >= avail && avail > 0) {
		skip = hg_text_fit(t, p->cur, ccol - avail + 1, &skipcols);
		if (skipcols < ccol - avail + 1)
			skip = next_char(&p->text, skip);
		skipcols = hg_text_width(t, skip);
	}
	used = ui_put_safe(y, x + lw, avail, t + skip, p->text.len - skip, ui_attr(UI_ROLE_NORMAL));
	p->cy = y;
	p->cx = x + lw + ccol - skipcols;
	if (p->error || p->refused)
		ui_put(y, x + lw + used + 2, w - lw - used - 2, p->error ? p->error : p->refused,
		       ui_attr(UI_ROLE_MSG_ERR));
}

void
ui_prompt_place_cursor(const struct ui_prompt *p)
{
	move(p->cy, p->cx);
}

void
ui_history_close(struct hg_ui *u, struct hg_history *h)
{
	char err[512];

	if (hg_state_save_history(&u->state, h, err, sizeof(err)) > 0)
		fprintf(stderr, "hgtop: history not saved: %s\n", err);
	hg_history_free(h);
}

/* The prompt as the browser's modal input. */

void
ui_prompt_open(struct hg_ui *u, const char *label, const char *initial,
	       struct hg_history *hist, ui_prompt_fn fn, void *ctx)
{
	ui_prompt_close(u);
	u->prompt = prompt_new(label, initial, hist);
	u->prompt->fn = fn;
	u->prompt->ctx = ctx;
	u->pending |= UI_R_DRAW;
}

void
ui_prompt_close(struct hg_ui *u)
{
	ui_prompt_free(u->prompt);
	u->prompt = NULL;
	u->pending |= UI_R_DRAW;
}

unsigned
ui_prompt_feed(struct hg_ui *u, bool is_key, wint_t ch)
{
	struct ui_prompt *p = u->prompt;
	enum ui_prompt_event ev = prompt_key(p, is_key, ch);
	unsigned r = UI_R_DRAW;
	char err[512];
	int saved = 0;

	if (ev == UI_PROMPT_NONE)
		return r;
	p->keep = false;
	if (ev == UI_PROMPT_ACCEPT && p->hist && p->text.len) {
		hg_history_add(p->hist, ui_prompt_text(p));
		saved = hg_state_save_history(&u->state, p->hist, err, sizeof(err));
	}
	/* A message from before the prompt would read as its outcome. */
	if (ev == UI_PROMPT_CANCEL)
		u->app->msg[0] = '\0';
	if (p->fn)
		r |= p->fn(u, p, ev, p->ctx);
	if ((ev == UI_PROMPT_ACCEPT || ev == UI_PROMPT_CANCEL) && !p->keep && u->prompt == p)
		ui_prompt_close(u);
	if (ev == UI_PROMPT_ACCEPT && p == u->prompt)
		p->hist_pos = p->hist ? p->hist->n : 0;
	/* Once, after the owner's own message: the history stays this run's. */
	if (saved > 0)
		ui_message(u, true, "history not saved: %s", err);
	return r;
}

void
ui_prompt_multiline(struct ui_prompt *p)
{
	p->multiline = true;
}

void
ui_prompt_refuse(struct hg_ui *u, const char *msg)
{
	struct ui_prompt *p = u->prompt;

	free(p->refused);
	p->refused = xstrdup(msg);
	u->pending |= UI_R_DRAW;
}

const char *
ui_prompt_refused(const struct ui_prompt *p)
{
	return p->refused;
}

/* A paste: text, never keys. Its valid UTF-8 is inserted at the cursor
 * (newlines too in a multi-line prompt, else they become spaces; a tab is
 * a space); other control characters are left out; invalid bytes are
 * refused and said. */
unsigned
ui_prompt_paste(struct hg_ui *u, const char *s, size_t n)
{
	struct ui_prompt *p = u->prompt;
	size_t i = 0, k, bad = 0;
	char msg[128];
	uint32_t cp;

	while (i < n) {
		k = hg_utf8_decode(s + i, n - i, &cp);
		if (cp == HG_UTF8_INVALID)
			bad += k;
		else if (cp == '\n' && p->multiline)
			insert_bytes(p, "\n", 1);
		else if (cp == '\n' || cp == '\t')
			insert_bytes(p, " ", 1);
		else
			insert(p, (wint_t)cp);
		i += k;
	}
	if (bad) {
		snprintf(msg, sizeof(msg), "%zu invalid UTF-8 byte%s of the paste refused",
			 bad, bad == 1 ? "" : "s");
		ui_prompt_refuse(u, msg);
	}
	free(p->error);
	p->error = NULL;
	return UI_R_DRAW | (p->fn ? p->fn(u, p, UI_PROMPT_CHANGED, p->ctx) : 0);
}
