/* follow.h - `hgtop --batch --follow`: print new entries as they arrive.
 *
 * Like `tail -F`, but structured: after everything present has been
 * printed, one poll() loop waits on the watcher, the stdin spool (if any)
 * and a signal self-pipe, and prints each new entry at once (flushed). */
#ifndef HGTOP_FOLLOW_H
#define HGTOP_FOLLOW_H

#include <stdio.h>

#include "hgtop/catalog.h"
#include "hgtop/options.h"
#include "hgtop/spool.h"

struct hg_filter;

/* Follow c (already loaded and printed by hg_batch_print) until SIGINT,
 * SIGTERM or SIGHUP (0), a broken pipe on out (0), another write error or
 * the loss of the directory (1, said on stderr), or the end of the stdin
 * stream when it is the only session (0). sp/stream are the stdin spool
 * and its session (in c), or NULL. */
int hg_follow_run(FILE *out, const struct hg_options *o, struct hg_catalog *c,
		  struct hg_spool *sp, struct hg_session *stream,
		  const struct hg_filter *f);

/* Say on stderr that the stream of s ended in the middle of a line (if
 * it did): that partial line is never parsed. */
void hg_follow_note_stream_end(const struct hg_session *s);

#endif
