/* ui_annotate.c - `a`: a note on the selected entry or attempt, appended
 * to the session's own file as one hyperguild entry; and the per-session
 * index that shows notes under what they annotate.
 *
 * The note appears in the tree when the watcher reads the appended line,
 * like any other entry; nothing is inserted by hand. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hgtop/annotate.h"
#include "hgtop/ui_int.h"
#include "hgtop/ui_prompt.h"

struct ui_notes {
	struct ui_history hist;	/* typed notes, also the failed ones */
	/* The target of the open prompt. */
	struct hg_session *s;
	unsigned generation;
	size_t entry;
	int64_t attempt_no;	/* 0: the whole entry */
};

void
ui_annotate_init(struct hg_ui *u)
{
	u->note_state = xcalloc(1, sizeof(struct ui_notes));
}

void
ui_annotate_done(struct hg_ui *u)
{
	struct ui_notes *st = u->note_state;

	if (!st)
		return;
	ui_history_free(&st->hist);
	free(st);
	u->note_state = NULL;
}

/* Take in the annotations that arrived in S. True when notes were
 * attached or detached, so the rows must be rebuilt. */
bool
ui_notes_sync(struct hg_ui *u, struct hg_session *s)
{
	bool changed = hg_ann_index_update(&ui_sess_of(s)->notes, s);

	if (changed && s == u->sel)
		u->detail.valid = false;	/* the detail lists the notes */
	return changed;
}

static bool
blank(const char *s)
{
	return s[strspn(s, " \t")] == '\0';
}

static unsigned
on_prompt(struct hg_ui *u, struct ui_prompt *p, enum ui_prompt_event ev, void *ctx)
{
	struct ui_notes *st = u->note_state;
	const char *text = ui_prompt_text(p);
	struct hg_session *s = st->s;
	struct hg_buf line = { 0 };
	char err[512];

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
			   "(a, then Up, brings the text back)", s->id);
		return UI_R_DRAW;
	}
	if (hg_annotate_build(&line, s, &s->entries[st->entry], st->attempt_no,
			      hg_annotate_default_author(u->o->author), text,
			      hg_now_wall_ns(), err, sizeof(err)) < 0 ||
	    hg_annotate_append(s, line.p, line.len, err, sizeof(err)) < 0)
		ui_message(u, true, "note not added to %s: %s (a, then Up, brings the text back)",
			   s->id, err);
	else
		ui_message(u, false, "note added to %s", s->id);
	hg_buf_free(&line);
	return UI_R_DRAW;
}

/* Why the selected row cannot be annotated, or NULL when it can. */
static const char *
refusal(struct hg_ui *u, const struct hg_row *row, char *buf, size_t n)
{
	const struct hg_session *s = u->sel;

	if (u->o->read_only)
		return "annotating is off: hgtop was started with --read-only";
	if (s && s->spool_fd >= 0)
		return "no file to write the note to: this session is a stream read from stdin";
	if (!s || !row)
		return "nothing selected: choose an entry or an attempt to annotate";
	if (s->gone) {
		snprintf(buf, n, "%s was deleted: there is no file to write the note to", s->path);
		return buf;
	}
	if (row->kind == HG_ROW_UNPARSABLE) {
		snprintf(buf, n, "line %lld is unparsable: choose an entry or an attempt to annotate",
			 (long long)s->entries[row->entry].line_no);
		return buf;
	}
	if (row->kind == HG_ROW_ANNOTATION)
		return "this row is a note: choose an entry or an attempt to annotate";
	return NULL;
}

unsigned
ui_action_annotate(struct hg_ui *u)
{
	struct ui_notes *st = u->note_state;
	const struct hg_row *row = ui_tree_current(u);
	const struct hg_entry *e;
	const char *why;
	char buf[256], label[128];

	why = refusal(u, row, buf, sizeof(buf));
	if (why) {
		ui_message(u, true, "%s", why);
		return UI_R_DRAW;
	}
	e = &u->sel->entries[row->entry];
	st->s = u->sel;
	st->generation = u->sel->generation;
	st->entry = row->entry;
	st->attempt_no = row->kind == HG_ROW_ATTEMPT ? e->attempts[row->attempt].attempt : 0;
	if (st->attempt_no)
		snprintf(label, sizeof(label), "note on attempt #%lld of line %lld: ",
			 (long long)st->attempt_no, (long long)e->line_no);
	else
		snprintf(label, sizeof(label), "note on line %lld: ", (long long)e->line_no);
	ui_prompt_open(u, label, "", &st->hist, on_prompt, NULL);
	return UI_R_DRAW;
}
