/* ui_search.c - incremental search in the entry tree: "/" opens a prompt
 * and the selection follows the typing; n and N repeat. A match is a place
 * in the detail of an entry or of one of its attempts: the selection goes
 * to that attempt and the detail pane to that match, and n N go through
 * the matches in order (the entry's fields, then each attempt's, then the
 * next entry). The engine (search.c) finds the next entry holding the text
 * in slices between key reads, so a gigabyte-sized session never freezes
 * the keyboard; detail.c says how many matches each part of it shows.
 * With the focus on the detail pane, "/" searches that pane's text
 * ("detail /"; view_detail.c moves). */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/detail.h"
#include "hgtop/sanitize.h"
#include "hgtop/search.h"
#include "hgtop/state.h"
#include "hgtop/timeline.h"
#include "hgtop/ui_view.h"
#include "hgtop/ui_prompt.h"

#define SLICE_NS (8 * 1000000LL)	/* search work per loop turn */
#define PROGRESS_NS (100 * 1000000LL)	/* progress redrawn at most this often */

/* A place among the matches: part -1 is the entry's own fields, part i
 * its attempt i; K is the match in that part's detail, when known (else
 * the place is before the part's matches going back, after them going
 * on). */
struct ui_search_at {
	const struct hg_session *s;
	unsigned generation;
	size_t entry;
	int32_t part;
	bool has_k;
	size_t k;
};

/* The lines of each part of one entry (docs[0] the entry's own fields,
 * docs[1 + i] attempt i's) and how many matches each shows (cnt). */
struct ui_parts {
	const struct hg_session *s;
	unsigned generation;
	size_t entry;
	struct hg_detail *docs;
	size_t *cnt;
	size_t n, cap;
	unsigned serial;	/* of the pattern counted */
	unsigned used;		/* when last used */
};

struct ui_search {
	struct hg_history hist;
	char *last;			/* the text n and N look for */
	struct hg_search_pattern pat;	/* searched for and highlighted */
	bool has_pat;
	unsigned pat_serial;		/* bumped when pat changes */
	struct hg_search job;
	struct hg_tl_search tl_job;	/* in the timeline: all sessions */
	bool in_tl;			/* the job running is tl_job */
	bool running;
	int restarts;			/* after the session was re-read */
	int last_pct;
	int64_t t0, shown_ns;
	/* The match shown last (where n and N go on from). */
	struct ui_search_at at;
	bool has_at;
	/* The parts of the entries looked at last (where the prompt opened,
	 * and the match), and their matches. */
	struct ui_parts parts[2];
	unsigned parts_clock;
	/* The prompt, and where the selection was when it opened. */
	struct ui_prompt *prompt;
	bool has_origin;
	struct hg_session *origin_s;
	size_t origin_entry;
	int32_t origin_attempt;
	bool origin_paused;
	/* The detail prompt, and the detail's top line when it opened. */
	struct ui_prompt *dprompt;
	size_t dorigin;
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
	S->pat_serial++;
	S->has_at = false;
	ui_mark_set(S->has_pat ? &S->pat : NULL);
}

static void
stop_job(struct ui_search *S)
{
	if (S->running && !S->in_tl)
		hg_search_end(&S->job);
	else if (S->running)
		hg_tl_search_end(&S->tl_job);
	S->running = false;
}

static void
drop_parts(struct ui_parts *P)
{
	size_t p;

	for (p = 0; p < P->cap; p++)
		hg_detail_free(&P->docs[p]);
	free(P->docs);
	free(P->cnt);
	memset(P, 0, sizeof(*P));
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
	drop_parts(&S->parts[0]);
	drop_parts(&S->parts[1]);
	free(S->last);
	free(S);
	u->search_state = NULL;
}

static bool
prompting(const struct hg_ui *u, const struct ui_search *S)
{
	return u->prompt && (u->prompt == S->prompt || u->prompt == S->dprompt);
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
	S->origin_s = a->sel;
	S->origin_entry = a->sel_entry;
	S->origin_attempt = a->sel_attempt;
	S->origin_paused = a->paused;
}

static void
restore_origin(struct hg_ui *u, struct ui_search *S)
{
	if (!S->has_origin || !u->app->sel)
		return;
	if (u->timeline)
		hg_app_timeline_select(u->app, S->origin_s);
	hg_app_jump_to(u->app, S->origin_entry, S->origin_attempt, false);
	u->app->paused = S->origin_paused;
}

/* Where n and N go on from: the match shown last while it is still the
 * selection, else the selected entry or attempt. False without one. */
static bool
current_place(const struct hg_ui *u, const struct ui_search *S, struct ui_search_at *at)
{
	const struct hg_app *a = u->app;

	if (!a->sel || !a->has_entry || a->sel_entry >= a->sel->n_entries)
		return false;
	if (S->has_at && S->at.s == a->sel && S->at.generation == a->sel->generation &&
	    S->at.entry == a->sel_entry && S->at.part == a->sel_attempt) {
		*at = S->at;
		return true;
	}
	memset(at, 0, sizeof(*at));
	at->s = a->sel;
	at->generation = a->sel->generation;
	at->entry = a->sel_entry;
	at->part = a->sel_attempt;
	return true;
}

/* The parts of entry I with their matches counted. The parts' lines are
 * kept for the last two entries: typing the search text only counts
 * again. */
static struct ui_parts *
count_parts(struct ui_search *S, struct hg_session *s, size_t i)
{
	const struct hg_entry *e = &s->entries[i];
	struct ui_parts *P = NULL;
	size_t n = 0, p, k;
	char *line;

	for (k = 0; k < 2 && !P; k++)
		if (S->parts[k].s == s && S->parts[k].generation == s->generation &&
		    S->parts[k].entry == i)
			P = &S->parts[k];
	if (!P) {
		P = &S->parts[S->parts[0].used <= S->parts[1].used ? 0 : 1];
		drop_parts(P);
		P->n = P->cap = 1 + (e->kind == HG_ENTRY_OK ? e->n_attempts : 0);
		P->docs = xcalloc(P->n, sizeof(*P->docs));
		P->cnt = xcalloc(P->n, sizeof(*P->cnt));
		line = hg_session_read_line(s, e, &n);
		for (p = 0; line && p < P->n; p++)
			hg_detail_build(&P->docs[p], e, (int32_t)p - 1, line, n);
		free(line);
		P->s = s;
		P->generation = s->generation;
		P->entry = i;
		P->serial = S->pat_serial - 1;
	}
	P->used = ++S->parts_clock;
	if (P->serial != S->pat_serial) {
		P->serial = S->pat_serial;
		for (p = 0; p < P->n; p++)
			P->cnt[p] = hg_detail_count(&P->docs[p], &S->pat);
	}
	return P;
}

/* Select match K of part PART of entry I (PART -1, K 0 and no match
 * counted: the entry, found by its raw line only). */
static void
show(struct hg_ui *u, struct ui_search *S, size_t i, int32_t part, size_t k)
{
	struct hg_app *a = u->app;

	hg_app_jump_to(a, i, part, true);
	a->jump_nth = k;
	S->has_at = true;
	S->at.s = a->sel;
	S->at.generation = a->sel->generation;
	S->at.entry = i;
	S->at.part = part;
	S->at.has_k = true;
	S->at.k = k;
}

/* The next match inside entry AT->entry, after (or before) AT. */
static bool
within(struct hg_ui *u, struct ui_search *S, const struct ui_search_at *at, bool forward)
{
	const struct ui_parts *P = count_parts(S, u->app->sel, at->entry);
	int32_t p, n = (int32_t)P->n;

	if (at->part + 1 >= n)
		return false;
	if (forward) {
		if (at->has_k && at->k + 1 < P->cnt[at->part + 1]) {
			show(u, S, at->entry, at->part, at->k + 1);
			return true;
		}
		for (p = at->part + 1; p + 1 < n; p++)
			if (P->cnt[p + 1]) {
				show(u, S, at->entry, p, 0);
				return true;
			}
		return false;
	}
	if (at->has_k && at->k > 0 && at->k <= P->cnt[at->part + 1]) {
		show(u, S, at->entry, at->part, at->k - 1);
		return true;
	}
	for (p = at->part - 1; p >= -1; p--)
		if (P->cnt[p + 1]) {
			show(u, S, at->entry, p, P->cnt[p + 1] - 1);
			return true;
		}
	return false;
}

/* The entry the engine found: its first match (going on) or its last
 * (going back). */
static void
show_found(struct hg_ui *u, struct ui_search *S, size_t i, bool forward)
{
	const struct ui_parts *P = count_parts(S, u->app->sel, i);
	int32_t p, n = (int32_t)P->n;

	if (forward) {
		for (p = -1; p + 1 < n; p++)
			if (P->cnt[p + 1]) {
				show(u, S, i, p, 0);
				return;
			}
	} else {
		for (p = n - 2; p >= -1; p--)
			if (P->cnt[p + 1]) {
				show(u, S, i, p, P->cnt[p + 1] - 1);
				return;
			}
	}
	show(u, S, i, -1, 0);
}

/* Running a search */

static void
log_search(struct hg_ui *u, struct ui_search *S)
{
	if (!u->keylog)
		return;
	fprintf(u->keylog, "search ms=%.1f entries=%zu\n",
		(double)(hg_now_mono_ns() - S->t0) / 1e6, S->in_tl ? S->tl_job.done : S->job.scanned);
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

static void start(struct hg_ui *u, struct ui_search *S, bool from_origin, bool forward);

/* The job's outcome, whichever it was. */
struct outcome {
	enum hg_search_status status;
	size_t found;
	bool forward, wrapped;
	int err;
};

static void
finished(struct hg_ui *u, struct ui_search *S)
{
	const struct hg_search *sj = &S->job;
	const struct hg_tl_search *tj = &S->tl_job;
	struct outcome o = { sj->status, sj->found, sj->forward, sj->wrapped, sj->err }, *j = &o;

	if (S->in_tl) {
		o = (struct outcome){ tj->status, tj->found, tj->forward, tj->wrapped, tj->err };
		/* A match in another session: the timeline's row moves there. */
		if (o.status == HG_SEARCH_FOUND) {
			const struct hg_tl_ref *r = &tj->t->v[tj->found];

			hg_app_timeline_select(u->app, hg_timeline_session(tj->t, r));
			o.found = r->entry;
		}
	}
	S->running = false;
	log_search(u, S);
	clear_progress(u, S);
	if (!S->in_tl && sj->s != u->app->sel)
		return;
	if (j->status == HG_SEARCH_FOUND) {
		show_found(u, S, j->found, j->forward);
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
		S->has_at = false;
		start(u, S, false, j->forward);
		S->restarts--;
	} else {
		say(u, true, "search stopped: %s", j->err == ESTALE ?
		    "the file was re-read" : strerror(j->err));
	}
}

static void
show_progress(struct hg_ui *u, struct ui_search *S)
{
	int pc = S->in_tl ? hg_tl_search_percent(&S->tl_job) : hg_search_percent(&S->job);
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
	if (S->in_tl ? !u->timeline : S->job.s != u->app->sel) {
		stop_job(S);
		clear_progress(u, S);
		return;
	}
	if ((S->in_tl ? hg_tl_search_step(&S->tl_job, SLICE_NS) :
	     hg_search_step(&S->job, SLICE_NS)) == HG_SEARCH_RUNNING)
		show_progress(u, S);
	else
		finished(u, S);
}

/* In the timeline: every session in its order, from the place of entry
 * FROM of the selected session. */
static void
start_timeline(struct hg_ui *u, struct ui_search *S, size_t from, bool forward)
{
	struct hg_app *a = u->app;
	struct hg_timeline *t = hg_app_timeline(a);
	ssize_t at = -1;
	size_t i;

	for (i = 0; a->filter && i < t->n_sess; i++)
		hg_app_match_update(a, t->sess[i].s);
	if (from != SIZE_MAX && hg_app_sess(a->sel)->tl_in)
		at = hg_timeline_find(t, hg_app_sess(a->sel)->tl_no, from);
	hg_tl_search_start(&S->tl_job, t, &S->pat, at < 0 ? SIZE_MAX : (size_t)at, forward,
			   entry_visible, u);
}

/* From where the prompt opened (FROM_ORIGIN) or the current place: the
 * next match in the same entry, else the engine looks from the next
 * entry on (before the first when nothing is selected). */
static void
start(struct hg_ui *u, struct ui_search *S, bool from_origin, bool forward)
{
	struct ui_search_at at;
	bool has;
	size_t from;

	stop_job(S);
	S->note[0] = '\0';
	if (!prompting(u, S))
		u->app->msg[0] = '\0';	/* the last search's message is stale now */
	if (!u->app->sel || !S->has_pat)
		return;
	if (from_origin && u->timeline && S->has_origin)
		hg_app_timeline_select(u->app, S->origin_s);
	hg_app_match_update(u->app, u->app->sel);
	if (from_origin) {
		has = S->has_origin && S->origin_entry < u->app->sel->n_entries;
		memset(&at, 0, sizeof(at));
		at.entry = S->origin_entry;
		at.part = S->origin_attempt;
	} else {
		has = current_place(u, S, &at);
	}
	if (has && within(u, S, &at, forward))
		return;
	from = has ? at.entry : SIZE_MAX;
	S->t0 = hg_now_mono_ns();
	S->last_pct = -1;
	S->in_tl = u->timeline;
	if (S->in_tl)
		start_timeline(u, S, from, forward);
	else
		hg_search_start(&S->job, u->app->sel, &S->pat, from, forward, entry_visible, u);
	S->running = true;
	ui_search_step(u);	/* short searches finish at once */
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
			/* A bad regular expression: regerror's words. */
			snprintf(S->note, sizeof(S->note), "%.200s", S->pat.error);
			S->note_err = true;
			restore_origin(u, S);
			return UI_R_DRAW;
		}
		start(u, S, true, true);
	} else if (ev == UI_PROMPT_CANCEL) {
		stop_job(S);
		S->prompt = NULL;
		S->note[0] = '\0';
		restore_origin(u, S);
		set_pattern(S, S->last);
	} else if (ev == UI_PROMPT_ACCEPT) {
		if (*text && !S->has_pat && S->pat.error[0]) {
			/* Stay open with the text to fix it. */
			ui_prompt_error(p, 0, S->pat.error);
			ui_prompt_keep(p);
			return UI_R_DRAW;
		}
		S->prompt = NULL;
		if (*text) {
			free(S->last);
			S->last = xstrdup(text);
		} else if (S->last) {
			set_pattern(S, S->last);
			start(u, S, false, true);
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
	start(u, S, false, forward);
	return UI_R_DRAW;
}

/* The detail prompt: the detail pane moves to the first match at or after
 * the top line it had when the prompt opened; what it says goes beside
 * the prompt. */

static unsigned
detail_go(struct hg_ui *u, struct ui_search *S)
{
	struct ui_view *v = ui_view(u, UI_V_DETAIL);
	unsigned r;

	v->pos.offset = v->pos.lineno = S->dorigin;
	u->app->msg[0] = '\0';
	S->note[0] = '\0';
	if (!S->has_pat)
		return UI_R_DRAW;
	r = v->ops->request(v, HG_REQ_SEARCH_NEXT);
	if (prompting(u, S) && u->app->msg[0]) {
		snprintf(S->note, sizeof(S->note), "%.190s", u->app->msg);
		S->note_err = u->app->msg_err;
		u->app->msg[0] = '\0';
	}
	return r | UI_R_DRAW;
}

static unsigned
on_detail_prompt(struct hg_ui *u, struct ui_prompt *p, enum ui_prompt_event ev, void *ctx)
{
	struct ui_search *S = ctx;
	const char *text = ui_prompt_text(p);
	bool err;

	if (ev == UI_PROMPT_CHANGED) {
		set_pattern(S, text);
		if (!S->has_pat && S->pat.error[0]) {
			snprintf(S->note, sizeof(S->note), "%.190s", S->pat.error);
			S->note_err = true;
			return UI_R_DRAW;
		}
		return detail_go(u, S);
	}
	if (ev == UI_PROMPT_ACCEPT && *text && !S->has_pat && S->pat.error[0]) {
		ui_prompt_error(p, 0, S->pat.error);
		ui_prompt_keep(p);
		return UI_R_DRAW;
	}
	S->dprompt = NULL;
	if (ev == UI_PROMPT_CANCEL) {
		set_pattern(S, S->last);
		ui_view(u, UI_V_DETAIL)->pos.offset = S->dorigin;
		S->note[0] = '\0';
		return UI_R_DRAW;
	}
	if (*text) {
		free(S->last);
		S->last = xstrdup(text);
	} else if (S->last) {
		set_pattern(S, S->last);
		detail_go(u, S);
	}
	/* Said again on the status line once the prompt is gone. */
	err = S->note_err;
	if (S->note[0])
		ui_message(u, err, "%s", S->note);
	S->note[0] = '\0';
	return UI_R_DRAW;
}

unsigned
ui_cmd_detail_search(struct hg_ui *u)
{
	struct ui_search *S = state(u);

	stop_job(S);
	S->dorigin = ui_view(u, UI_V_DETAIL)->pos.offset;
	S->note[0] = '\0';
	ui_prompt_open(u, "detail /", "", &S->hist, on_detail_prompt, S);
	S->dprompt = u->prompt;
	ui_prompt_set_note(S->dprompt, S->note, &S->note_err);
	return UI_R_DRAW;
}
