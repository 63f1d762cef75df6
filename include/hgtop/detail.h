/* detail.h - the text of the detail pane, without a terminal.
 *
 * An entry's line (or one of its attempts) becomes logical lines: every
 * field as "key: value", multi-line text under its key, runner_output
 * rendered by termtext (its colours as spans), the input with its strings
 * decoded. Everything is sanitized here, so the lines are safe to draw.
 * The same lines serve the detail pane, which draws them, and the search,
 * which counts the matches a part of an entry shows (hg_detail_count), so
 * that "the third match of attempt #2" means the same to both.
 * No ncurses here. */
#ifndef HGTOP_DETAIL_H
#define HGTOP_DETAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hgtop/session.h"
#include "hgtop/termtext.h"

struct hg_search_pattern;

/* A logical line: text owned by the detail, spans may point into a
 * termtext document the detail owns. */
struct hg_dline {
	char *text;
	size_t len;
	const struct hg_tt_span *spans;
	size_t n_spans;
	int indent;		/* columns before the text */
	int role;		/* enum ui_role for unstyled text */
	int label_len;		/* bytes of a leading "key:" label */
	bool own;		/* a field of the part itself: the search counts
				 * its matches (not notes, not the attempt
				 * summaries of an entry, not an attempt's
				 * "entry:" line) */
};

struct hg_detail {
	struct hg_dline *lines;
	size_t n, cap;
	struct hg_tt_doc *docs;	/* runner_output documents (owned) */
	size_t n_docs;
};

/* Sanitized multi-line text, one logical line per '\n' (not counted by
 * the search). */
void hg_detail_add_text(struct hg_detail *d, const char *s, size_t n, int indent, int role);
/* "key: value" on one line, the key a label (not counted by the search). */
void hg_detail_add_field(struct hg_detail *d, const char *key, const char *val, int indent);

/* What hyperguild's reader makes of entry E's line, when it says
 * something: "hyperguild's reader stops here: <Go's error>" on the line
 * where it stops reading session S, and a note on a last line that has
 * no newline yet. */
void hg_detail_add_go(struct hg_detail *d, const struct hg_session *s, const struct hg_entry *e);

/* Append the fields of entry E (ATTEMPT -1) or of its attempt ATTEMPT,
 * from LINE[0..n), the entry's line as read from the file. */
void hg_detail_build(struct hg_detail *d, const struct hg_entry *e, int32_t attempt,
		     const char *line, size_t n);
/* Append the whole line LINE[0..n) as indented JSON: two spaces per
 * level, one member or element per line, strings as written in the file
 * (escapes stay escapes), then sanitized. Not parsed: a line that is not
 * JSON is indented as far as its brackets go. */
void hg_detail_build_json(struct hg_detail *d, const char *line, size_t n);

/* Matches of P in the lines the search counts (own). */
size_t hg_detail_count(const struct hg_detail *d, const struct hg_search_pattern *p);
/* Where match K of P is: its line and byte offset. ALL: in every line,
 * else only in the lines the search counts. False when there are fewer. */
bool hg_detail_nth(const struct hg_detail *d, const struct hg_search_pattern *p, bool all,
		   size_t k, size_t *line, size_t *off);

/* Empty it (keeps the arrays for reuse); hg_detail_free releases all. */
void hg_detail_clear(struct hg_detail *d);
void hg_detail_free(struct hg_detail *d);

#endif
