/* search.h - text search over the raw lines of a session (no ncurses).
 *
 * What the user types is what they see in the browser, but the file holds
 * JSON written by Go's encoding/json: "<b>" is stored as \u003cb\u003e, a
 * newline inside a string as \n, a quote as \", a backslash as \\. Instead
 * of decoding every line (far too slow for a gigabyte), the search text is
 * encoded the ways a line can store it and the raw bytes are searched for
 * each form; a line matches when any form occurs in it:
 *   1. the text as typed (also finds JSON syntax and non-Go writers' text);
 *   2. the text encoded like Go's json.Marshal (hg_json_escape): " \
 *      escaped with a backslash, \n \r \t, other control characters as
 *      \u00XX, < > & as \u003c \u003e \u0026, U+2028/U+2029 as \u2028
 *      \u2029, other non-ASCII kept as UTF-8 (each byte of invalid UTF-8
 *      as \ufffd);
 *   3. when the text has non-ASCII characters, the same with every
 *      non-ASCII character as \uXXXX (UTF-16 surrogate pairs above U+FFFF),
 *      as ASCII-only writers store them (HG_JSON_ASCII).
 * A form is only found whole: a line that mixes raw and escaped characters
 * inside the searched text is not found.
 *
 * Smartcase: without an ASCII capital letter in the text the search
 * ignores ASCII case (the escapes' hex digits then match either case);
 * with one it is exact. Non-ASCII characters always compare exactly.
 *
 * A search job walks the entries of a session from a starting entry,
 * reading the file in large sequential blocks (many entries per pread) and
 * mapping every hit back to its entry by binary search on the entries'
 * offsets. It runs in time slices (hg_search_step) so the caller can keep
 * serving keys; it wraps around the end of the session and stops at the
 * entry it started from. */
#ifndef HGTOP_SEARCH_H
#define HGTOP_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hgtop/session.h"
#include "hgtop/util.h"

#define HG_SEARCH_FORMS 3

struct hg_search_pattern {
	char *text;		/* as typed */
	size_t len;
	bool icase;		/* no ASCII capital: ignore ASCII case */
	char *forms[HG_SEARCH_FORMS];	/* the encodings, folded when icase */
	size_t form_len[HG_SEARCH_FORMS];
	size_t n_forms;		/* distinct forms (at least 1) */
	bool form_has_alpha;	/* some form has an ASCII letter to fold */
	/* "re:EXPR": a POSIX extended regular expression (n_forms 0), matched
	 * against each raw line of the file and against displayed text,
	 * ignoring case when EXPR has no ASCII capital. */
	void *re;		/* regex_t */
	size_t *match_len;	/* of the last hg_search_find_text hit */
	char error[160];	/* why init refused TEXT ("" for "") */
};

/* Compile TEXT. Returns false (and an empty pattern) for "", and for a
 * bad regular expression, with regerror's message in p->error (a regular
 * expression that matches empty text is refused too: it would match
 * everywhere). */
bool hg_search_pattern_init(struct hg_search_pattern *p, const char *text);
void hg_search_pattern_free(struct hg_search_pattern *p);

/* The first occurrence of the text as typed in displayed (decoded) text,
 * with the pattern's case rule, or NULL. */
const char *hg_search_find_text(const struct hg_search_pattern *p, const char *s, size_t n);
/* The length of the last hit of hg_search_find_text (the text's length
 * for plain text, the match's for a regular expression; at least 1). */
size_t hg_search_match_len(const struct hg_search_pattern *p);

/* Whether raw line LINE (N bytes, changed: folded) holds P. */
bool hg_search_line(const struct hg_search_pattern *p, char *line, size_t n);

/* Decides which entries count (e.g. those a filter shows). */
typedef bool (*hg_search_visible_fn)(const struct hg_session *s, size_t entry, void *ctx);

enum hg_search_status {
	HG_SEARCH_RUNNING = 0,
	HG_SEARCH_FOUND,
	HG_SEARCH_NOT_FOUND,
	HG_SEARCH_ERROR,	/* err holds errno (ESTALE: the file was re-read) */
};

/* A range of entries to visit, ascending [lo, hi) walked in direction. */
struct hg_search_seg {
	size_t lo, hi;
};

struct hg_search {
	const struct hg_session *s;
	const struct hg_search_pattern *p;	/* not owned; must outlive the job */
	hg_search_visible_fn visible;
	void *ctx;
	bool forward;
	unsigned generation;	/* of s when started */
	struct hg_search_seg seg[2];	/* before and after the wrap */
	int cur_seg;
	size_t next;		/* forward: next entry; backward: one past it */
	int fd;
	bool own_fd;
	char *buf;
	size_t cap;
	enum hg_search_status status;
	/* Results. */
	size_t found;		/* entry index when FOUND */
	bool wrapped;		/* found after passing the end (or start) */
	int err;
	size_t scanned;		/* entries read so far */
	int64_t bytes, total_bytes;
};

/* Start searching S for P from entry FROM (exclusive: the first entry
 * looked at is FROM + 1 forward, FROM - 1 backward; FROM itself is looked
 * at last, after wrapping). FROM >= n_entries starts at the first (or the
 * last) entry. VISIBLE may be NULL (every entry counts). */
void hg_search_start(struct hg_search *j, const struct hg_session *s,
		     const struct hg_search_pattern *p, size_t from, bool forward,
		     hg_search_visible_fn visible, void *ctx);

/* Work for about budget_ns (at least one block), then return the status. */
enum hg_search_status hg_search_step(struct hg_search *j, int64_t budget_ns);

/* Progress, 0..100. */
int hg_search_percent(const struct hg_search *j);

/* Read LEN bytes at offset OFF of the job's session into j->buf (the
 * descriptor is opened at the first read and kept). 0, or the errno. */
int hg_search_read(struct hg_search *j, int64_t off, size_t len);

/* Release the job's buffer and descriptor (safe to call twice). */
void hg_search_end(struct hg_search *j);

#endif
