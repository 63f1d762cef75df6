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
#include "hgtop/state.h"
#include "hgtop/ui_view.h"
#include "hgtop/ui_prompt.h"

#define SLICE_NS (8 * 1000000LL)	/* search work per loop turn */
#define PROGRESS_NS (100 * 1000000LL)	/* progress redrawn at most this often */

struct ui_search {
	struct hg_history hist;
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
	bool origin_paused;
	char note[200];			/* shown beside the prompt */
	bool note_err;
	bool msg_is_progress;		/* u->msg holds our progress */
};

static struct ui_search *
state(struct hg_ui *u)
{
	if (!u->search_state) {
		struct ui_search *S = xcalloc(1, sizeof(*S));

		hg_state_load_history(&u->state, &S->hist, "search");
		u->search_state = S;
	}
	return u->search_state;
}

static void
set_pattern(struct ui_search *S, const char *text)
{
	if (S->has_pat)
		hg_search_pattern_free(&S->pat);
	S->has_pat = text && hg_search_pattern_init(&S->pat, text);
	ui_mark_set(S->has_pat ? &S->pat : NULL);
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
	ui_history_close(u, &S->hist);
	free(S->last);
	free(S);
	u->search_state = NULL;
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
	(void)ctx;
	return hg_app_matches(s, i);
}

static void
remember_origin(struct hg_ui *u, struct ui_search *S)
{
	const struct hg_app *a = u->app;

	S->has_origin = a->sel && a->has_entry;
	S->origin_entry = a->sel_entry;
	S->origin_attempt = a->sel_attempt;
	S->origin_paused = a->paused;
}

static void
restore_origin(struct hg_ui *u, struct ui_search *S)
{
	if (!S->has_origin || !u->app->sel)
		return;
	hg_app_jump_to(u->app, S->origin_entry, S->origin_attempt, false);
	u->app->paused = S->origin_paused;
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
		u->app->msg[0] = '\0';
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
	if (j->s != u->app->sel)
		return;
	if (j->status == HG_SEARCH_FOUND) {
		hg_app_jump_to(u->app, j->found, -1, true);
		if (j->wrapped)
			say(u, false, "search wrapped to %s", j->forward ? "top" : "bottom");
	} else if (j->status == HG_SEARCH_NOT_FOUND) {
		if (prompting(u, S))
			restore_origin(u, S);
		say(u, true, "not found: %s%s", S->pat.text, hg_app_sess(u->app->sel)->loaded ?
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
	if (S->job.s != u->app->sel) {
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
		u->app->msg[0] = '\0';	/* the last search's message is stale now */
	if (!u->app->sel || !S->has_pat)
		return;
	S->t0 = hg_now_mono_ns();
	S->last_pct = -1;
	hg_app_match_update(u->app, u->app->sel);
	hg_search_start(&S->job, u->app->sel, &S->pat, from, forward, entry_visible, u);
	S->running = true;
	ui_search_step(u);	/* short searches finish at once */
}

static size_t
current_entry(const struct hg_ui *u)
{
	const struct hg_app *a = u->app;

	return a->sel && a->has_entry ? a->sel_entry : SIZE_MAX;
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
ui_cmd_search(struct hg_ui *u)
{
	struct ui_search *S = state(u);

	stop_job(S);
	remember_origin(u, S);
	S->note[0] = '\0';
	ui_prompt_open(u, "/", "", &S->hist, on_prompt, S);
	S->prompt = u->prompt;
	ui_prompt_set_note(S->prompt, S->note, &S->note_err);
	return UI_R_DRAW;
}

unsigned
ui_cmd_search_next(struct hg_ui *u, bool forward)
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
