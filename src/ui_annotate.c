/* ui_annotate.c - `a`: a note on the selected entry or attempt, appended
 * to the session's own file as one hyperguild entry (annotate.c writes
 * it; the app's notes index shows it under what it annotates).
 *
 * The note appears in the tree when the watcher reads the appended line,
 * like any other entry; nothing is inserted by hand. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hgtop/annotate.h"
#include "hgtop/state.h"
#include "hgtop/ui_view.h"
#include "hgtop/ui_prompt.h"

struct ui_notes {
	struct hg_history hist;	/* typed notes, also the failed ones */
	/* The target of the open prompt. */
	struct hg_session *s;
	unsigned generation;
	size_t entry;
	int64_t attempt_no;	/* HG_ANNOTATE_ENTRY: the whole entry */
};

static struct ui_notes *
state(struct hg_ui *u)
{
	if (!u->note_state) {
		struct ui_notes *st = xcalloc(1, sizeof(*st));

		hg_state_load_history(&u->state, &st->hist, "note");
		u->note_state = st;
	}
	return u->note_state;
}

void
ui_annotate_done(struct hg_ui *u)
{
	struct ui_notes *st = u->note_state;

	if (!st)
		return;
	ui_history_close(u, &st->hist);
	free(st);
	u->note_state = NULL;
}

static bool
blank(const char *s)
{
	return s[strspn(s, " \t\n")] == '\0';
}

static unsigned
on_prompt(struct hg_ui *u, struct ui_prompt *p, enum ui_prompt_event ev, void *ctx)
{
	struct ui_notes *st = state(u);
	const char *text = ui_prompt_text(p), *refused = ui_prompt_refused(p);
	struct hg_session *s = st->s;
	struct hg_buf line = { 0 };
	char err[512], *trimmed;
	size_t n;

	(void)ctx;
	if (ev == UI_PROMPT_CANCEL) {
		ui_message(u, false, "note cancelled");
		return UI_R_DRAW;
	}
	if (ev != UI_PROMPT_ACCEPT)
		return UI_R_NONE;
	if (blank(text)) {
		ui_message(u, false, "empty note: nothing was added");
		return UI_R_DRAW;
	}
	if (s->generation != st->generation || st->entry >= s->n_entries) {
		ui_message(u, true, "%s was re-read while you typed: select the entry again "
			   "(%s, then Up, brings the text back)", s->id, hg_ui_key(HG_REQ_ANNOTATE));
		return UI_R_DRAW;
	}
	/* A pasted text's last newline ends it; the others are kept. */
	n = strlen(text);
	while (n > 0 && text[n - 1] == '\n')
		n--;
	trimmed = xstrndup(text, n);
	if (hg_annotate_build(&line, s, &s->entries[st->entry], st->attempt_no,
			      hg_annotate_default_author(u->app->o->author), trimmed,
			      hg_now_wall_ns(), err, sizeof(err)) < 0 ||
	    hg_annotate_append(s, line.p, line.len, err, sizeof(err)) < 0)
		ui_message(u, true, "note not added to %s: %s (%s, then Up, brings the text back)",
			   s->id, err, hg_ui_key(HG_REQ_ANNOTATE));
	else if (refused)
		ui_message(u, true, "note added to %s without the input refused: %s", s->id, refused);
	else
		ui_message(u, false, "note added to %s", s->id);
	free(trimmed);
	hg_buf_free(&line);
	return UI_R_DRAW;
}

/* Why the selection cannot be annotated, or NULL when it can. */
static const char *
refusal(struct hg_ui *u, char *buf, size_t n)
{
	const struct hg_app *a = u->app;
	const struct hg_session *s = a->sel;
	const struct hg_entry *e;

	if (a->o->read_only)
		return "annotating is off: hgtop was started with --read-only";
	if (s && s->spool_fd >= 0)
		return "no file to write the note to: this session is a stream read from stdin";
	if (!s || !a->has_entry || a->sel_entry >= s->n_entries)
		return "nothing selected: choose an entry or an attempt to annotate";
	if (s->gone) {
		snprintf(buf, n, "%s was deleted: there is no file to write the note to", s->path);
		return buf;
	}
	e = &s->entries[a->sel_entry];
	if (e->kind == HG_ENTRY_UNPARSABLE) {
		snprintf(buf, n, "line %lld is unparsable: choose an entry or an attempt to annotate",
			 (long long)hg_entry_line(e));
		return buf;
	}
	if (e->kind == HG_ENTRY_ANNOTATION)
		return "this row is a note: choose an entry or an attempt to annotate";
	return NULL;
}

unsigned
ui_cmd_annotate(struct hg_ui *u)
{
	struct hg_app *a = u->app;
	struct ui_notes *st = state(u);
	const struct hg_entry *e;
	const char *why;
	char buf[256], label[128];

	why = refusal(u, buf, sizeof(buf));
	if (why) {
		ui_message(u, true, "%s", why);
		return UI_R_DRAW;
	}
	e = &a->sel->entries[a->sel_entry];
	st->s = a->sel;
	st->generation = a->sel->generation;
	st->entry = a->sel_entry;
	st->attempt_no = a->sel_attempt >= 0 ? hg_attempt_no(&e->attempts[a->sel_attempt],
							     (uint32_t)a->sel_attempt)
					      : HG_ANNOTATE_ENTRY;
	if (st->attempt_no != HG_ANNOTATE_ENTRY)
		snprintf(label, sizeof(label), "note on attempt #%lld of line %lld: ",
			 (long long)st->attempt_no, (long long)hg_entry_line(e));
	else
		snprintf(label, sizeof(label), "note on line %lld: ", (long long)hg_entry_line(e));
	ui_prompt_open(u, label, "", &st->hist, on_prompt, NULL);
	ui_prompt_multiline(u->prompt);
	return UI_R_DRAW;
}
