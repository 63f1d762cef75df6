/* goread.h - would hyperguild's own reader accept this line?
 *
 * hyperguild reads a session with a bufio.Scanner limited to lines under
 * 1 MiB and json.Unmarshal of each line into its Entry struct; the first
 * error stops the whole read. hgtop reads more than that. This module
 * answers for one line what Go would say, without building any value:
 * the syntax as Go's encoding/json scanner checks it (nesting up to
 * 10,000 levels, its number grammar and escapes; UTF-8 is not checked),
 * then the types of the fields Entry and Attempt know (a string where an
 * int64 is wanted, a fraction in an integer, a timestamp that is not RFC
 * 3339), with Go's own error text. */
#ifndef HGTOP_GOREAD_H
#define HGTOP_GOREAD_H

#include <stdbool.h>
#include <stddef.h>

/* bufio.Scanner's limit in hyperguild's Read: a line of this many bytes
 * or more (counting a '\r' before its '\n') stops it. */
#define HG_GO_LINE_MAX (1024 * 1024)
#define HG_GO_TOO_LONG "bufio.Scanner: token too long"

/* Go's maximum nesting depth of arrays and objects. */
#define HG_GO_MAX_DEPTH 10000

/* Room for any message written by hg_goread_*. */
#define HG_GOREAD_MSG 320

enum hg_goread_result {
	HG_GOREAD_OK = 0,	/* json.Unmarshal into Entry succeeds */
	HG_GOREAD_SKIP,		/* an empty line: Read skips it */
	HG_GOREAD_SYNTAX,	/* a syntax error (Go's SyntaxError text) */
	HG_GOREAD_TYPE,		/* a value of the wrong type for its field */
	HG_GOREAD_TOO_LONG,	/* the line is over the scanner's limit */
};

/* The verdict on one JSON text (a line without its newline and without
 * the '\r' before it). When it is not OK or SKIP, msg (of n bytes, n >=
 * HG_GOREAD_MSG for the whole text) gets Go's error text. */
enum hg_goread_result hg_goread_json(const char *p, size_t len, char *msg, size_t n);

/* Where the values of the attempts' output_summary and runner_output
 * strings are in a line (their content, between the quotes), as a check
 * that found the line OK saw them: the parser skips them without looking
 * for them again. odd: a \\u escape of a surrogate or of NUL is inside
 * (the parser reads such a value itself). */
#define HG_GOREAD_SPANS 32
#define HG_GOREAD_NUMS 32
struct hg_goread_spans {
	size_t n;
	bool full;		/* more than HG_GOREAD_SPANS: not all here */
	/* The line is OK and holds nothing cJSON reads otherwise than Go
	 * apart from bytes that are not UTF-8 (values.h): no \u escape of
	 * NUL or of a surrogate, every number a plain integer of at most 15
	 * digits (a time written with escapes is never OK to Go). */
	bool plain;
	/* The line's input, an object or array at [input_start, input_end)
	 * (input_end 0: none, or not to be skipped: the line may be an
	 * annotation, whose input the parser reads, or holds more than one). */
	size_t input_start, input_end;
	bool input_many;
	struct {
		size_t start, end;
		bool odd;
	} v[HG_GOREAD_SPANS];
	/* The numbers of the integer fields (duration_ms, attempt), the
	 * first HG_GOREAD_NUMS of them: each fits an int64. */
	size_t n_nums;
	struct {
		size_t start, end;
	} nums[HG_GOREAD_NUMS];
};

/* Lines that are OK are read a quicker way than through Go's state
 * machine, which reads the others (and says why); true: every line through
 * the state machine (tests compare the two ways). */
extern bool hg_goread_machine_only;

/* The verdict on one line as the reader delivers it: raw_len is its length
 * in the file with a '\r' before the newline counted (not the newline);
 * line may be NULL when it was too long to be held. */
enum hg_goread_result hg_goread_line(const char *line, size_t len, size_t raw_len, char *msg,
				     size_t n);
/* The same, noting the spans (sp->n is 0 unless the line is OK). */
enum hg_goread_result hg_goread_line_spans(const char *line, size_t len, size_t raw_len,
					   char *msg, size_t n, struct hg_goread_spans *sp);

/* The length of the JSON object or array (Go's grammar, nested up to
 * HG_GO_MAX_DEPTH) at the start of p, whitespace before it included, or
 * 0 when there is none or it is invalid; *depth (may be NULL) gets how
 * deep it nests. Steps over a value without building it. */
size_t hg_goread_container_len(const char *p, size_t len, size_t *depth);

/* Quote byte c the way Go's scanner does in its messages ('x', '\x01',
 * '"', '\u0085'). buf needs 12 bytes. */
void hg_goread_quote_char(unsigned char c, char *buf, size_t n);

#endif
