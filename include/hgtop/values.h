/* values.h - a log line's values made to read as Go's encoding/json reads them.
 *
 * cJSON keeps C strings and stores numbers as doubles; Go keeps NUL bytes in
 * strings, reads int64 fields from the number's text, turns lone surrogate
 * escapes into U+FFFD and rejects number forms cJSON lets through. Before a
 * line goes to cJSON, hg_values_rewrite() makes a copy where:
 *
 *   - "\u0000" becomes the two bytes C0 80 (HG_NUL), which are never valid
 *     UTF-8, and every byte of a string that does not start a valid UTF-8
 *     character becomes U+FFFD, as Go reads it (so the C0 80 of a file
 *     cannot be confused with a NUL);
 *   - a lone surrogate escape becomes U+FFFD; a \u escape without four hex
 *     digits makes the line invalid;
 *   - a number that breaks JSON's grammar (01, -01, 1., 1.e5) makes the
 *     line invalid; a number that is a field's value at the top level or in
 *     an attempt and is not a short plain integer becomes the string
 *     HG_VAL_NUMBER followed by its text, so an integer field is read from
 *     its digits (see hg_values_int);
 *   - a top-level string written with escapes, under a key that may be
 *     "timestamp", starts with HG_VAL_ESCAPED: Go parses a time from the raw
 *     bytes, escapes included.
 *
 * The markers start with the byte C1, which the copy never holds otherwise. */
#ifndef HGTOP_VALUES_H
#define HGTOP_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hgtop/util.h"

#define HG_NUL "\xC0\x80"		/* a NUL character inside a string */
#define HG_NUL_SHOWN "\xE2\x90\x80"	/* U+2400, how it is drawn */
#define HG_VAL_NUMBER "\xC1" "N"
#define HG_VAL_ESCAPED "\xC1" "E"

enum hg_values_result {
	HG_VALUES_SAME = 0,	/* nothing to change: parse the line itself */
	HG_VALUES_COPY,		/* parse out instead */
	HG_VALUES_INVALID,	/* Go rejects the line: *bad is the byte */
};

/* With HG_VALUES_MARKS the number and escape markers are added too (the
 * entry parser reads them); without, only strings and grammar are seen to. */
#define HG_VALUES_MARKS 0x1u

enum hg_values_result hg_values_rewrite(const char *line, size_t len, struct hg_buf *out,
					unsigned flags, size_t *bad);

/* Whether s[0..n) is all valid UTF-8 as Go reads it (no byte of it would be
 * read as U+FFFD). */
bool hg_values_utf8(const char *s, size_t n);

/* Whether the number p[0, n) is a plain integer of at most 15 digits,
 * which cJSON's double holds exactly (the value pass marks any other). */
bool hg_values_plain_int(const char *p, size_t n);

/* A number's text as Go's strconv.ParseInt reads it for an int64 field. */
bool hg_values_int(const char *s, size_t n, int64_t *out);

/* Whether s (a decoded string) is a marker of the given kind. */
static inline bool
hg_values_marked(const char *s, const char *kind)
{
	return s && s[0] == kind[0] && s[1] == kind[1];
}

/* Parse a whole JSON text (a line read back from a log) with the same
 * rewrite, so NUL characters survive; NULL when it is not valid. flags as
 * for hg_values_rewrite (with HG_VALUES_MARKS the reader must expect the
 * markers). */
struct cJSON *hg_values_parse(const char *line, size_t len, unsigned flags);

#endif
