/* filter.h - the filter language: parse an expression once, match entries.
 *
 * Grammar (as implemented):
 *
 *   expr     = alt { "|" alt }                 (OR)
 *   alt      = { space } item { { space } item } { space }   (AND)
 *   item     = [ "!" ] "(" expr ")" | term
 *   term     = [ "!" ] ( keyterm | cmpterm | timeterm | word )
 *   keyterm  = key ":" value { "," value }
 *   cmpterm  = numkey op number
 *   word     = quoted | bare
 *   value    = ( quoted [ "*" ] ) | bare-value
 *   key      = "verdict" | "tier" | "model"                  (attempt-level)
 *            | "skill" | "status" | "phase" | "session"
 *            | "file" | "model_used" | "project" | "kind"   (entry-level)
 *   numkey   = "dur" | "attempts"
 *   timeterm = ( "since" | "until" ) ":" time
 *   time     = digits ( "s" | "m" | "h" | "d" ) | "today" | "yesterday"
 *            | date [ "T" hh ":" mm [ ":" ss ] [ "Z" | ( "+" | "-" ) hh ":" mm ] ]
 *   date     = yyyy "-" mm "-" dd
 *   op       = ">" | ">=" | "<" | "<=" | "=" | "==" | "!="
 *   number   = digits [ "." digits ] [ unit ]   unit = "ms" | "s" | "m" | "h"
 *   quoted   = '"' { char | '\"' | '\\' } '"'
 *   bare     = a run of characters other than space
 *   bare-value = a run of characters other than space and ","
 *   space    = " " | tab
 *
 * A term that starts with letters/underscores followed by ":", "<", ">"
 * or "=" (or "!" after a known key) is a key term, and an unknown key is
 * an error: to search for text such as "http://x", quote it.
 *
 * Every term of an alt must hold (AND); alts separated by "|" are
 * alternatives, side by side binding tighter than "|"; "!(...)" negates a
 * group. "|" and "(" are tokens at the start of a term only, and ")" ends
 * a term inside parentheses only: "foo(bar)" stays a word. The attempt
 * terms of one alt hold on one attempt (below); an unparsable line, or an
 * entry without a timestamp against a time term, stays out of a negated
 * group as it does of a negated term.
 * The values of one key are alternatives (OR).
 * A "␀" (U+2400) in a value or word stands for a NUL character of a log's
 * string (HG_NUL, values.h), which is shown so.
 * Keys are case-insensitive. Values compare case-insensitively (ASCII) with
 * the whole field; an unquoted "*" anywhere in a value stands for any run
 * of characters ("x*" is a prefix, "*retry*" a substring). A value with a
 * star never takes an empty field ("file:*": the entry has a file). A
 * star inside quotes is literal; one right after the closing quote makes
 * a prefix.
 *
 * Fields: verdict, tier, model are those of an attempt; skill, status
 * (final_status), phase, session (session_id, or the session's file name),
 * file (file_path), model_used, project (project_root) are those of the
 * entry. kind is one of
 * "entry", "annotation", "unparsable". dur is the entry's duration_ms
 * (a bare number is milliseconds); attempts is the number of attempts
 * (whole number, no unit).
 *
 * since:T holds for an entry whose timestamp is at or after T, until:T
 * for one strictly before T (until: excludes its instant). T is a span
 * back from now (2h, 30m, 90s, 3d), local midnight today or yesterday, or
 * a date and time, in local time unless a zone (Z, +01:00) is given; a
 * date alone is its local midnight. An entry without a timestamp (Go's
 * zero time) satisfies no time term, negated or not. The clock is
 * hg_now_wall_ns() when the filter is parsed; hg_filter_set_now() moves
 * it (a live view). A span of an hour or more counts from the whole
 * minute, a shorter one from the whole second.
 *
 * Attempt-level terms hold together on one attempt: "tier:local
 * verdict:escalate" means some attempt is local and escalated. A negated
 * attempt-level term means that no attempt satisfies it ("!verdict:error":
 * no attempt errored); it is not part of the one-attempt group.
 *
 * For verdict and tier, the value "none" (or "") matches an absent/empty
 * verdict or tier. For other keys, "" matches an empty field.
 *
 * A word (bare or quoted) matches case-insensitively (ASCII) as a substring
 * of skill, message, final_status or the feedback of any attempt. A bare
 * word's trailing "*" is ignored (a substring match already covers it).
 * Long message/feedback texts (not kept in memory) are read back from the
 * session file when a session is given to the matcher.
 *
 * Unparsable lines: they match the empty filter. Otherwise only words
 * (matched against the parser's reason) and kind terms apply to them; any
 * other term, negated or not, fails, so "kind:unparsable" lists them all.
 *
 * An annotation follows its target: it is shown when the entry it
 * annotates (hg_annotate_target) is, and an annotation without a target
 * (missing, or the line there is another entry now) stands alone and is
 * matched itself. hg_filter_subject() is that rule; hg_filter_shown() and
 * hg_filter_session() apply it. A filter that asks for notes (a kind term
 * naming "annotation", or a skill term whose values take
 * "hgtop.annotate", not negated: hg_filter_lists_notes) matches every
 * annotation itself, and the notes it keeps are shown as rows of their
 * own, not under their targets.
 *
 * Matching keeps small caches inside the filter (results per interned
 * string pointer), so a filter must not outlive hg_intern_clear() and must
 * not be used from two threads at once. */
#ifndef HGTOP_FILTER_H
#define HGTOP_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hgtop/entry.h"
#include "hgtop/session.h"

struct hg_filter;

/* Parse EXPR (NULL or blank: the empty filter, which matches everything).
 * On error returns NULL, writes a message such as "value expected after
 * 'tier:' at column 6" to err and the 1-based column (in characters) to
 * *err_col (either may be NULL/0). */
struct hg_filter *hg_filter_parse(const char *expr, char *err, size_t errlen, int *err_col);

/* Combine an expression with the quick filters (comma lists of verdicts
 * and tiers, NULL or "" for none) into one filter. Errors in EXPR have
 * columns relative to EXPR; errors in a list are prefixed "verdict list:"
 * or "tier list:". The text of the result puts the quick filters first:
 * "tier:local verdict:escalate skill:x*". */
struct hg_filter *hg_filter_parse_effective(const char *expr, const char *verdicts,
					    const char *tiers, char *err, size_t errlen,
					    int *err_col);

/* Also closes what the calling thread's filters keep open to read lines
 * back. */
void hg_filter_free(struct hg_filter *f);

/* Check the values of the verdict and tier terms of EXPR (a valid
 * expression): each must name a known value (a prefix or "*" at least
 * one), "none" or "", or a value that occurs in SESSIONS (a log written
 * by a newer hyperguild). Returns false for the first that does not, with
 * a message such as "unknown verdict 'acept' at column 9 (verdicts:
 * accept, escalate, error, none)" in err, and the column in *err_col;
 * without err_col, the message has no column. Kinds are checked by the
 * parser itself: there are only three. A bad expression gets the
 * parser's message. */
bool hg_filter_check_values(const char *expr, struct hg_session *const *sessions, size_t n,
			    char *err, size_t errlen, int *err_col);

/* True for NULL and for a filter without terms. */
bool hg_filter_is_empty(const struct hg_filter *f);

/* True when F has "|" or parentheses: joined to other terms, its text
 * must go inside parentheses. */
bool hg_filter_has_or(const struct hg_filter *f);

/* The filter as normalised text (terms joined by one space), "" if empty. */
const char *hg_filter_text(const struct hg_filter *f);

/* Does entry E (of session S, which may be NULL) match? A NULL filter
 * matches everything. S is used for the session key (file name) and to
 * read back long texts for words. */
bool hg_filter_match(const struct hg_filter *f, const struct hg_session *s,
		     const struct hg_entry *e);

/* Does attempt I of E satisfy the filter's one-attempt group (its
 * non-negated attempt-level terms)? False when there is no such group,
 * so the UI highlights nothing for a filter without attempt terms. */
bool hg_filter_match_attempt(const struct hg_filter *f, const struct hg_entry *e, size_t i);

/* True when some time term of F is relative (2h, today): its instant
 * moves with the clock. */
bool hg_filter_moves(const struct hg_filter *f);

/* Count the relative time terms of F from NOW_NS (ns since the epoch).
 * Returns true when an instant changed (entries must be matched again). */
bool hg_filter_set_now(struct hg_filter *f, int64_t now_ns);

/* True when the filter has a one-attempt group (attempts get highlighted). */
bool hg_filter_has_attempt_terms(const struct hg_filter *f);

/* Whether the filter asks for notes (see above): annotations are then
 * matched themselves and shown at their own place. */
bool hg_filter_lists_notes(const struct hg_filter *f);

/* The entry whose match decides whether entry I of S is shown: the
 * target of an attached annotation, else I itself. */
size_t hg_filter_subject(const struct hg_session *s, size_t i);

/* Whether entry I of S is shown under F (NULL: all), annotations
 * following their targets unless F lists notes. */
bool hg_filter_shown(const struct hg_filter *f, const struct hg_session *s, size_t i);

/* Fill MATCH[i] for the entries i >= FROM of S (MATCH has n_entries
 * elements; it must already hold the results of the entries before FROM),
 * notes following their targets unless F lists notes. Returns how many
 * lines in [FROM, n_entries) match; with ENTRIES, how many of those are
 * entries (not notes or unparsable lines) there. */
size_t hg_filter_session(const struct hg_filter *f, const struct hg_session *s,
			 bool *match, size_t from, size_t *entries);

/* Completion of the word before byte CUR of TEXT (the f prompt's Tab):
 * a key ("ti" -> "tier:"), or a value of the key before the ":" (after
 * the last ","): for kind and since/until a fixed list, for the other
 * text keys the values seen in SESSIONS (sorted, at most 200; quoted
 * when they hold a space or a quote). CANDS replace [FROM, CUR). */
struct hg_filter_completion {
	size_t from;
	char **cands;
	size_t n;
	bool keys;		/* the candidates are keys */
};
void hg_filter_complete(const char *text, size_t cur, struct hg_session *const *sessions,
			size_t n, struct hg_filter_completion *c);
void hg_filter_completion_free(struct hg_filter_completion *c);

#endif
