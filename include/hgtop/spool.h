/* spool.h - a stream on stdin, copied into an unlinked temporary file.
 *
 * `ssh host tail -F s.jsonl | hgtop -` : the stream cannot be read twice,
 * but entries keep only offsets and large fields are re-read with pread(),
 * so everything read from the stream is appended to a spool file that the
 * session reads like any log. The spool file is unlinked at once: it
 * vanishes when hgtop exits, however it exits.
 *
 * The owner polls hg_spool_fd() for readability, calls hg_spool_pump(),
 * then hg_session_ingest() on the session from hg_spool_session(). */
#ifndef HGTOP_SPOOL_H
#define HGTOP_SPOOL_H

#include <stdbool.h>
#include <stdint.h>

#include "hgtop/session.h"

struct hg_spool;

/* Spool in_fd (not closed by the spool) into a temporary file in $TMPDIR
 * (else /tmp). NULL with errno set when no temporary file can be made. */
struct hg_spool *hg_spool_new(int in_fd);
void hg_spool_free(struct hg_spool *sp);

/* The input descriptor to poll for readability; -1 after end of stream. */
int hg_spool_fd(const struct hg_spool *sp);

/* A session reading the spool file, named name (e.g. "stdin"). It owns a
 * descriptor of its own on the spool file; the caller owns the session
 * and must free it before or after the spool, in any order. */
struct hg_session *hg_spool_session(struct hg_spool *sp, const char *name);

/* Copy what the input has ready, without blocking (poll() said readable,
 * or the input is a regular file). Returns bytes copied, 0 at end of
 * stream (hg_spool_eof() turns true), -1 with errno on a read or write
 * error (the stream is then treated as ended). */
int64_t hg_spool_pump(struct hg_spool *sp);

/* Pump until the end of the stream, blocking (for --batch without
 * --follow). Returns 0, or -1 with errno. */
int hg_spool_drain(struct hg_spool *sp);

bool hg_spool_eof(const struct hg_spool *sp);
int64_t hg_spool_size(const struct hg_spool *sp);	/* bytes spooled */

/* After a pump: mark the session's stream ended when the input is done. */
void hg_spool_update_session(const struct hg_spool *sp, struct hg_session *s);

/* A stream of many sessions (`cat dir/\*.jsonl | hgtop -`, `tail -F` of
 * several files) is split by the entries' session_id: each id gets a
 * session of its own, in the order first seen, holding its entries (which
 * keep their offsets in the spool file and their line numbers in the
 * stream); unparsable lines and entries with no session_id stay in the
 * stream's own session. */
struct hg_catalog;
typedef void (*hg_spool_split_fn)(void *ctx, struct hg_session *s, int64_t new_entries,
				  bool is_new);
/* Move the entries of STREAM (the spool's session) from index FROM on
 * that carry a session_id to the session of that id in C, made and added
 * to C on first sight (flagged split, its path that of STREAM). FN (may be
 * NULL) is called once for each session that received entries. Returns
 * the entries STREAM kept from FROM on. */
size_t hg_spool_split(struct hg_spool *sp, struct hg_catalog *c, struct hg_session *stream,
		      size_t from, hg_spool_split_fn fn, void *ctx);

#endif
