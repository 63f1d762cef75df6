/* gen.h - deterministic generator of realistic hyperguild log lines.
 *
 * Lines come out byte for byte as Go's json.Marshal writes an Entry:
 * struct field order, omitempty, HTML-safe string escaping, RFC 3339
 * timestamps with nanoseconds. Used by --demo, the tests and the
 * benchmark corpora. No ncurses, no cJSON. */
#ifndef HGTOP_GEN_H
#define HGTOP_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hgtop/util.h"

/* Line sizes follow a table of knots. A knot is one point of the
 * distribution of whole-line sizes: a share q (0..1) of lines is at most
 * `bytes` long. Sizes between knots are interpolated in log space. The
 * first knot has q == 0, the last q == 1. */
struct hg_gen_knot {
	double q;
	uint32_t bytes;
};

struct hg_gen_opts {
	/* The size table, used when n_knots >= 2; otherwise the default one:
	 * a few KB, now and then 100-200 KB (what --demo writes). */
	const struct hg_gen_knot *knots;
	size_t n_knots;
	/* Share of lines (0..1) written malformed, as a crashed or foreign
	 * writer would leave them. */
	double malformed_rate;
	/* Zone offset of timestamps in minutes east of UTC; 0 writes 'Z'. */
	int tz_min;
	/* Go >= 1.22 writes \b and \f; older releases \u0008 and \u000c. */
	bool short_bf_escapes;
};

struct hg_gen {
	uint64_t s[4];		/* xoshiro256** state */
	int64_t now_ns;		/* timestamp of the next entry */
	uint64_t n_entries;
	struct hg_buf scratch;
};

/* Fill *o with the defaults (default sizes, no malformed lines, UTC). */
void hg_gen_opts_init(struct hg_gen_opts *o);

void hg_gen_init(struct hg_gen *g, uint64_t seed, int64_t start_ns);
void hg_gen_free(struct hg_gen *g);

/* Append one entry line, with its trailing '\n', for session_id; with
 * o->malformed_rate, that share of calls appends a hg_gen_malformed() line
 * instead. o may be NULL (the defaults). Timestamps advance 0.8 to 6
 * seconds per entry. */
void hg_gen_entry(struct hg_gen *g, struct hg_buf *out, const char *session_id,
		  const struct hg_gen_opts *o);

/* Append one malformed line (with '\n') of a random kind: an entry cut
 * mid-line, a Go panic message, invalid JSON, or fields of the wrong
 * type. Its timestamp, if any, is in UTC. */
void hg_gen_malformed(struct hg_gen *g, struct hg_buf *out, const char *session_id);

/* Write a plausible session id ("hg-20260311-4f9a2c1e") into buf. */
void hg_gen_session_id(struct hg_gen *g, char *buf, size_t n);

/* The PRNG: a raw 64-bit draw, and a uniform draw in [lo, hi]. */
uint64_t hg_gen_u64(struct hg_gen *g);
int64_t hg_gen_range(struct hg_gen *g, int64_t lo, int64_t hi);


#endif
