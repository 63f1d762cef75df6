/* pload.h - parse log files on every core, hand the entries back in
 * file order.
 *
 * The regular files among the sessions are cut into blocks of whole lines
 * (a few MB); one thread per core reads and parses blocks; the caller
 * takes them back session by session, block by block, in file order, so
 * what it makes of them does not depend on the threads. Only a few blocks
 * are held at a time: memory does not grow with the files. A line without
 * its newline at the end of a file is not read (as by the session
 * reader). */
#ifndef HGTOP_PLOAD_H
#define HGTOP_PLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hgtop/entry.h"
#include "hgtop/session.h"

struct hg_pload;

struct hg_pload_block {
	struct hg_entry *entries;	/* line numbers counted from the file's start */
	size_t n;
	int64_t bytes;			/* of the block */
	int err;			/* errno of a failed read (no entries then) */
	/* The first line of the block where hyperguild's reader stops
	 * (hg_goread_line), 0 if none; its reason (owned, freed with the
	 * block unless the caller takes it and sets it to NULL). */
	int64_t go_stop_line;
	char *go_stop_reason;
};

/* Plan the blocks of SS[0..n) and start THREADS threads (0: one per core
 * online). NULL when there is nothing worth splitting: the caller reads
 * every session itself. */
struct hg_pload *hg_pload_start(struct hg_session *const *ss, size_t n, int threads);

/* Whether session I is read here (else: not a regular file, cannot be
 * opened, a line too long for a block...: the caller reads it itself,
 * which also reports why it cannot). */
bool hg_pload_has(const struct hg_pload *p, size_t i);

/* The size of session I's file when it was planned, and the end of its
 * last complete line (what its blocks cover). */
void hg_pload_extent(const struct hg_pload *p, size_t i, int64_t *size, int64_t *end);

/* The next block of session I, waiting for it; NULL when the session is
 * done. The block (and what its entries own) is freed by the next call;
 * a caller that keeps the entries copies them and sets n to 0. */
struct hg_pload_block *hg_pload_next(struct hg_pload *p, size_t i);

/* Stop the threads and free everything. */
void hg_pload_free(struct hg_pload *p);

#endif
