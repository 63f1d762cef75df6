/* ui_search.c - incremental search in the entry tree: "/" opens a prompt
 * and the selection follows the typing; n and N repeat. The engine
 * (search.c) runs in slices between key reads so a gigabyte-sized session
 * never freezes the keyboard; matches are highlighted where they show. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/sanitize.h"
#include "hgtop/search.h"
#include "hgtop/ui_int.h"
#include "hgtop/ui_prompt.h"

#define SLICE_NS (8 * 1000000LL)	/* search work per loop turn */
#define PROGRESS_NS (100 * 1000000LL)	/* progress redrawn at most this often */
#define CONTEXT_LINES 2			/* detail lines kept above a match */

struct ui_search {
	struct ui_history hist;
	char *last;			/* the text n and N look for */
	struct hg_search_pattern pat;	/* searched for and highlighted */
	bool has_pat;
	struct hg_search job;
	bool running;
	int restarts;			/* after the session was re-read */
	int last_pct;
	int64_t t0, shown_ns;
	/* The prompt, and where the selection was when it opened. */
	struct ui_prompt *prompt;
	bool has_origin;
	size_t origin_entry;
	int32_t origin_attempt;
	size_t origin_offset;
	bool origin_paused;
	char note[200];			/* shown beside the prompt */
	bool note_err;
	bool msg_is_progress;		/* u->msg holds our progress */
};

/* The drawing hooks run without the browser at hand. */
static const struct hg_search_pattern *hl;
static struct hg_buf san, fit;

static struct ui_search *
state(struct hg_ui *u)
{
	if (!u->search_state)
		u->search_state = xcalloc(1, sizeof(struct ui_search));
	return u->search_state;
}

static void
set_pattern(struct ui_search *S, const char *text)
{
	if (S->has_pat)
		hg_search_pattern_free(&S->pat);
	S->has_pat = text && hg_search_pattern_init(&S->pat, text);
	hl = S->has_pat ? &S->pat : NULL;
}

static void
stop_job(struct ui_search *S)
{
	if (S->running)
		hg_search_end(&S->job);
	S->running = false;
}

void
ui_search_done(struct hg_ui *u)
{
	struct ui_search *S = u->search_state;

	if (!S)
		return;
	stop_job(S);
	set_pattern(S, NULL);
	ui_history_free(&S->hist);
	free(S->last);
	free(S);
	u->search_state = NULL;
	hg_buf_free(&san);
	hg_buf_free(&fit);
}

static bool
prompting(const struct hg_ui *u, const struct ui_search *S)
{
	return S->prompt && u->prompt == S->prompt;
}

/* A note beside the search prompt, or the status message without one. */
static void
say(struct hg_ui *u, bool err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
say(struct hg_ui *u, bool err, const char *fmt, ...)
{
	struct ui_search *S = state(u);
	char buf[sizeof(S->note)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	S->msg_is_progress = false;
	if (prompting(u, S)) {
		snprintf(S->note, sizeof(S->note), "%s", buf);
		S->note_err = err;
		u->pending |= UI_R_DRAW;
	} else if (buf[0]) {
		ui_message(u, err, "%s", buf);
	}
}

/* Selection */

static bool
entry_visible(const struct hg_session *s, size_t i, void *ctx)
{
	const struct hg_ui *u = ctx;

	return !u->rf.visible || u->rf.visible(s, &s->entries[i], u->rf.ctx);
}

static void
remember_origin(struct hg_ui *u, struct ui_search *S)
{
	const struct hg_row *row = ui_tree_current(u);

	S->has_origin = row != NULL;
	S->origin_entry = row ? row->entry : 0;
	S->origin_attempt = row ? row->attempt : -1;
	S->origin_offset = u->pos[UI_TREE].offset;
	S->origin_paused = u->paused;
}

static void
restore_origin(struct hg_ui *u, struct ui_search *S)
{
	ssize_t i;

	if (!S->has_origin || !u->sel)
		return;
	i = hg_rows_find(&u->rows, S->origin_entry, S->origin_attempt);
	if (i < 0)
		return;
	u->pos[UI_TREE].lineno = (size_t)i;
	u->pos[UI_TREE].offset = S->origin_offset;
	u->paused = S->origin_paused;
	ui_clamp(&u->pos[UI_TREE], u->rows.n, ui_pane_height(u, UI_TREE));
	ui_detail_invalidate(u);
}

/* Scroll the detail pane to the first line showing the text. */
static void
detail_to_match(struct hg_ui *u, const struct hg_search_pattern *p)
{
	const struct ui_detail *d = &u->detail;
	size_t n = ui_detail_lines(u), i;

	for (i = 0; i < n; i++) {
		const struct ui_vline *v = &d->vis[i];
		const struct ui_dline *l = &d->lines[v->line];
		const char *m = hg_search_find_text(p, l->text + v->start,
						    l->len - v->start);

		if (m && (size_t)(m - l->text) < v->start + v->len) {
			u->pos[UI_DETAIL].offset = i > CONTEXT_LINES ? i - CONTEXT_LINES : 0;
			u->pos[UI_DETAIL].lineno = u->pos[UI_DETAIL].offset;
			return;
		}
	}
}

/* The row of an entry; an annotation may sit under the entry it is about. */
static ssize_t
row_of(const struct hg_rows *r, size_t entry)
{
	ssize_t i = hg_rows_find(r, entry, -1);
	size_t k;

	for (k = 0; i < 0 && k < r->n; k++)
		if (r->v[k].entry == entry)
			i = (ssize_t)k;
	return i;
}

static void
select_entry(struct hg_ui *u, struct ui_search *S, size_t entry)
{
	struct ui_pos *p = &u->pos[UI_TREE];
	ssize_t i;

	ui_tree_sync(u, false);
	i = row_of(&u->rows, entry);
	if (i < 0)
		return;
	if (u->follow && (size_t)i + 1 < u->rows.n)
		u->paused = true;
	p->lineno = (size_t)i;
	ui_clamp(p, u->rows.n, ui_pane_height(u, UI_TREE));
	ui_detail_invalidate(u);
	detail_to_match(u, &S->pat);
}

/* Running a search */

static void
log_search(struct hg_ui *u, struct ui_search *S)
{
	if (!u->keylog)
		return;
	fprintf(u->keylog, "search ms=%.1f entries=%zu\n",
		(double)(hg_now_mono_ns() - S->t0) / 1e6, S->job.scanned);
	fflush(u->keylog);
}

static void
clear_progress(struct hg_ui *u, struct ui_search *S)
{
	if (S->msg_is_progress)
		u->msg[0] = '\0';
	S->msg_is_progress = false;
	S->note[0] = '\0';
	u->pending |= UI_R_DRAW;
}

static void start(struct hg_ui *u, struct ui_search *S, size_t from, bool forward);
static size_t current_entry(const struct hg_ui *u);

static void
finished(struct hg_ui *u, struct ui_search *S)
{
	const struct hg_search *j = &S->job;

	S->running = false;
	log_search(u, S);
	clear_progress(u, S);
	if (j->s != u->sel)
		return;
	if (j->status == HG_SEARCH_FOUND) {
		select_entry(u, S, j->found);
		if (j->wrapped)
			say(u, false, "search wrapped to %s", j->forward ? "top" : "bottom");
	} else if (j->status == HG_SEARCH_NOT_FOUND) {
		if (prompting(u, S))
			restore_origin(u, S);
		say(u, true, "not found: %s%s", S->pat.text, ui_sess_of(u->sel)->loaded ?
		    "" : " (still loading)");
	} else if (j->err == ESTALE && S->restarts < 3) {
		/* Re-read (e.g. the older part of a big file joined in front):
		 * the entry indexes changed, so start again from the selection. */
		S->restarts++;
		start(u, S, current_entry(u), j->forward);
		S->restarts--;
	} else {
		say(u, true, "search stopped: %s", j->err == ESTALE ?
		    "the file was re-read" : strerror(j->err));
	}
}

static void
show_progress(struct hg_ui *u, struct ui_search *S)
{
	int pc = hg_search_percent(&S->job);
	int64_t now = hg_now_mono_ns();

	/* A redraw costs more than a slice of searching: not every turn. */
	if (pc == S->last_pct || (S->last_pct >= 0 && now - S->shown_ns < PROGRESS_NS))
		return;
	S->last_pct = pc;
	S->shown_ns = now;
	if (prompting(u, S)) {
		snprintf(S->note, sizeof(S->note), "searching%s %d%%", ui_g->ellipsis, pc);
		S->note_err = false;
	} else {
		ui_message(u, false, "searching%s %d%%", ui_g->ellipsis, pc);
		S->msg_is_progress = true;
	}
	u->pending |= UI_R_DRAW;
}

bool
ui_search_busy(const struct hg_ui *u)
{
	const struct ui_search *S = u->search_state;

	return S && S->running;
}

void
ui_search_step(struct hg_ui *u)
{
	struct ui_search *S = state(u);

	if (!S->running)
		return;
	if (S->job.s != u->sel) {
		stop_job(S);
		clear_progress(u, S);
		return;
	}
	if (hg_search_step(&S->job, SLICE_NS) == HG_SEARCH_RUNNING)
		show_progress(u, S);
	else
		finished(u, S);
}

/* From the entry of the selected row (before the first row when none). */
static void
start(struct hg_ui *u, struct ui_search *S, size_t from, bool forward)
{
	stop_job(S);
	S->note[0] = '\0';
	if (!prompting(u, S))
		u->msg[0] = '\0';	/* the last search's message is stale now */
	if (!u->sel || !S->has_pat)
		return;
	S->t0 = hg_now_mono_ns();
	S->last_pct = -1;
	hg_search_start(&S->job, u->sel, &S->pat, from, forward, entry_visible, u);
	S->running = true;
	ui_search_step(u);	/* short searches finish at once */
}

static size_t
current_entry(const struct hg_ui *u)
{
	const struct hg_row *row = ui_tree_current(u);

	return row ? row->entry : SIZE_MAX;
}

/* A key while n / N runs: stop there (the key then does its own work). */
void
ui_search_interrupt(struct hg_ui *u)
{
	struct ui_search *S = u->search_state;

	if (!S || !S->running || prompting(u, S))
		return;
	stop_job(S);
	S->msg_is_progress = false;
	ui_message(u, false, "search cancelled");
}

/* The prompt */

static unsigned
on_prompt(struct hg_ui *u, struct ui_prompt *p, enum ui_prompt_event ev, void *ctx)
{
	struct ui_search *S = ctx;
	const char *text = ui_prompt_text(p);

	if (ev == UI_PROMPT_CHANGED) {
		set_pattern(S, text);
		if (!S->has_pat) {
			stop_job(S);
			S->note[0] = '\0';
			restore_origin(u, S);
			return UI_R_DRAW;
		}
		start(u, S, S->has_origin ? S->origin_entry : SIZE_MAX, true);
	} else if (ev == UI_PROMPT_CANCEL) {
		stop_job(S);
		S->prompt = NULL;
		S->note[0] = '\0';
		restore_origin(u, S);
		set_pattern(S, S->last);
	} else if (ev == UI_PROMPT_ACCEPT) {
		S->prompt = NULL;
		if (*text) {
			free(S->last);
			S->last = xstrdup(text);
		} else if (S->last) {
			set_pattern(S, S->last);
			start(u, S, current_entry(u), true);
		}
		S->last_pct = -1;
		if (S->running)
			show_progress(u, S);
		else if (S->note[0])
			ui_message(u, S->note_err, "%s", S->note);
		S->note[0] = '\0';
	}
	return UI_R_DRAW;
}

unsigned
ui_action_search(struct hg_ui *u)
{
	struct ui_search *S = state(u);

	stop_job(S);
	remember_origin(u, S);
	S->note[0] = '\0';
	ui_prompt_open(u, "/", "", &S->hist, on_prompt, S);
	S->prompt = u->prompt;
	return UI_R_DRAW;
}

unsigned
ui_action_search_next(struct hg_ui *u, bool forward)
{
	struct ui_search *S = state(u);

	if (!S->last) {
		ui_message(u, false, "no search yet: / searches");
		return UI_R_DRAW;
	}
	if (!S->has_pat)
		set_pattern(S, S->last);
	start(u, S, current_entry(u), forward);
	return UI_R_DRAW;
}

/* Drawing */

/* Right-aligned note on the status line beside the search prompt; returns
 * the columns it took. */
int
ui_search_note(struct hg_ui *u, const struct ui_rect *r)
{
	struct ui_search *S = u->search_state;
	int w, x;

	if (!S || !prompting(u, S) || !S->note[0])
		return 0;
	w = hg_text_width(S->note, strlen(S->note));
	if (w > r->w / 2)
		w = r->w / 2;
	x = r->x + r->w - w - 1;
	ui_put(r->y, x, w, S->note, ui_attr(S->note_err ? UI_ROLE_MSG_ERR : UI_ROLE_KEY));
	return w + 2;
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
		me = ms + hl->len;
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
ui_search_mark(int y, int x, int w, const char *s, size_t n)
{
	if (!hl || w <= 0 || !s)
		return;
	ui_sanitize_line(&san, s, n);
	hg_buf_reset(&fit);
	if (san.len)
		hg_text_trunc(&fit, san.p, san.len, w, ui_g->ellipsis);
	if (fit.len)
		mark_runs(y, x, x + w, fit.p, fit.len, 0, fit.len);
}

void
ui_search_mark_line(int y, int x, int end, const char *text, size_t n, size_t from, size_t to)
{
	if (hl && text)
		mark_runs(y, x, end, text, n, from, to);
}
