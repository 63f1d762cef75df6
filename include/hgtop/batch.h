/* batch.h - headless output: the tree as text, or the raw JSON lines. */
#ifndef HGTOP_BATCH_H
#define HGTOP_BATCH_H

#include <stdbool.h>
#include <stdio.h>

#include "hgtop/catalog.h"
#include "hgtop/options.h"

struct hg_filter;

/* Print every session of c (already ingested) to out. Returns 0, or 1
 * when stdout failed. */
int hg_batch_print(FILE *out, const struct hg_options *o, struct hg_catalog *c,
		   const struct hg_filter *f);

/* Print the entries [from, n_entries) of one session: a text row per
 * entry (with its attempts), or the JSON line itself. */
void hg_batch_print_entries(FILE *out, const struct hg_options *o, struct hg_session *s,
			    size_t from, const struct hg_filter *f);

/* Load a catalog for headless use: ingest every session, reporting files
 * that cannot be read on stderr. With progress (stderr is a terminal), a
 * progress line on stderr, overwritten in place and cleared at the end.
 * With parallel (not to be followed after), regular files are parsed on
 * every core (pload.h). Returns the number of failures. */
int hg_batch_load(struct hg_catalog *c, bool progress, bool parallel);

/* --batch over files when nothing waits for every log (no filter value is
 * checked against them): each session is loaded as hg_batch_load does,
 * its partial last line counted, printed as hg_batch_print prints it, and
 * its entries dropped before the next, so memory does not grow with the
 * entries and printing overlaps the parsing. Returns 0, or 1 when out
 * failed; *failures as returned by hg_batch_load. */
int hg_batch_stream(FILE *out, const struct hg_options *o, struct hg_catalog *c,
		    const struct hg_filter *f, bool progress, int *failures);

/* --stats over a catalog of files: read every session as hg_batch_load
 * does, folding each entry into the statistics of what F keeps as it is
 * read, then dropping it (memory does not grow with the entries). The
 * sessions are left holding only what hg_filter_check_values needs (the
 * tier and verdict texts outside the enums). *failures as returned by
 * hg_batch_load. */
struct hg_stats *hg_batch_stats(struct hg_catalog *c, const struct hg_filter *f, bool progress,
				int *failures);

/* Count the last line of each session that has no newline yet, as
 * hyperguild's reader does (not when following: it may still grow). */
void hg_batch_take_partials(struct hg_catalog *c);

#endif
