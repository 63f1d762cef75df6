/* parser.h - one JSONL line to one hg_entry (cJSON), and Go timestamps. */
#ifndef HGTOP_PARSER_H
#define HGTOP_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hgtop/entry.h"

struct cJSON;

/* Parse one line (without its newline). Always fills *e: on failure
 * e->kind is HG_ENTRY_UNPARSABLE and e->reason says why (e.g.
 * "field duration_ms: expected a number, got string"). The caller sets
 * offset, length and line_no. */
void hg_parse_line(const char *line, size_t len, struct hg_entry *e);

struct hg_goread_spans;
/* The same, with where the line's skipped strings are (from the Go-reader
 * check of the same line, NULL when it was not run or found it wrong). */
void hg_parse_line_spans(const char *line, size_t len, const struct hg_goread_spans *sp,
			 struct hg_entry *e);

/* Whether parsed entries keep their short message and feedback texts
 * (the default) or only their lengths, their texts then read back from
 * the line when shown (hg_session_entry_text). Set before any parsing;
 * notes always keep theirs. */
void hg_parse_keep_texts(bool keep);
/* Entries this thread parses from now on take their attempts from P
 * (NULL: each its own allocation); P is freed after every such entry. */
struct hg_pool;
void hg_parse_set_pool(struct hg_pool *p);

/* hg_parse_line keeping the message and feedback texts whatever that
 * setting and however long they are. */
void hg_parse_line_texts(const char *line, size_t len, struct hg_entry *e);

/* The same without the fast path that skips runner_output and
 * output_summary before handing the line to cJSON (for tests). */
void hg_parse_line_full(const char *line, size_t len, struct hg_entry *e);
/* Free the calling thread's parsing buffers (a thread that parsed calls
 * it before it ends; they are made again when needed). */
void hg_parse_release(void);

/* Copy line into out with every "input" nested deeper than cJSON goes
 * (and valid by Go's grammar) replaced by a string saying how deep it
 * nests. False when there is none (out is then unspecified). */
struct hg_buf;
bool hg_parse_deep_input(const char *line, size_t len, struct hg_buf *out);

/* Fill *e as the unparsable row of a line of len bytes that is longer
 * than the reader's limit (hg_reader_line_max) and was not read; the
 * reason says its size and the limit. */
void hg_parse_too_long(size_t len, struct hg_entry *e);

/* Fill *e from an already parsed JSON value (used by the parser itself
 * and by tests). Returns false with e->reason set on a type error. */
bool hg_entry_from_json(const struct cJSON *root, struct hg_entry *e);

/* Go RFC 3339 ("2006-01-02T15:04:05.999999999Z07:00"), 0-9 fractional
 * digits, 'Z' or +hh:mm / -hh:mm. */
bool hg_parse_time(const char *s, size_t n, int64_t *ns, int16_t *tz_min, bool *zero);

/* The same in seconds and nanoseconds, for every year Go reads (0000 to
 * 9999). */
bool hg_parse_time_sec(const char *s, size_t n, int64_t *sec, int32_t *nsec, int16_t *tz_min,
		       bool *zero);

/* sec and nsec as nanoseconds since the epoch; false, and *ns saturated to
 * INT64_MIN or INT64_MAX, outside 1677-09-21 .. 2262-04-11. */
bool hg_time_ns(int64_t sec, int32_t nsec, int64_t *ns);

/* Format like Go's time.RFC3339Nano (trailing zeros of the fraction
 * dropped) in the given zone offset (minutes east of UTC; 0 writes 'Z'),
 * or Go's zero time "0001-01-01T00:00:00Z" when ZERO. The one RFC 3339
 * writer: log lines, annotations and reports use it. buf needs
 * HG_TIME_LEN bytes. */
#define HG_TIME_LEN 40
void hg_format_time(int64_t ns, int tz_min, bool zero, char *buf, size_t n);

/* Local-time display helpers: "10:04:05" and "2026-11-24 10:04:05". */
void hg_format_clock(int64_t ns, char *buf, size_t n);
void hg_format_datetime(int64_t ns, char *buf, size_t n);

/* An entry's time in local time like hg_format_clock and
 * hg_format_datetime, also when it lies outside what ts_ns can hold. */
void hg_entry_clock(const struct hg_entry *e, char *buf, size_t n);
void hg_entry_datetime(const struct hg_entry *e, char *buf, size_t n);

#endif
