/* annotate.h - writing annotation entries, and finding what they annotate.
 *
 * An annotation is one ordinary hyperguild Entry appended to the session's
 * own file, so hyperguild's reader accepts it:
 *
 *   {"session_id":ID,"timestamp":NOW,"skill":"hgtop.annotate",
 *    "input":{"target_line":N,"target_timestamp":TS,"target_skill":SKILL,
 *             ["target_attempt":K,]"author":AUTHOR},
 *    "final_status":"annotation","message":TEXT}
 *
 * Writing is two steps so that a failure never loses the text: build the
 * line (pure, no I/O besides re-reading the target's line), then append it
 * (one write(2) on an O_APPEND descriptor of the session's own file). The
 * caller owns `text` throughout and keeps it for a retry. */
#ifndef HGTOP_ANNOTATE_H
#define HGTOP_ANNOTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "hgtop/entry.h"
#include "hgtop/session.h"
#include "hgtop/util.h"

#define HG_ANNOTATE_SKILL "hgtop.annotate"
#define HG_ANNOTATE_STATUS "annotation"

/* The target_attempt of a note on the whole entry (no attempt number). */
#define HG_ANNOTATE_ENTRY INT64_MIN

/* hyperguild's reader refuses lines of 1 MiB or more (newline excluded):
 * a line and its newline must fit its 1 MiB buffer. */
#define HG_ANNOTATE_MAX_LINE ((size_t)1 << 20)

/*
 * Append to out the complete annotation line for target (an entry of s),
 * ending in '\n'. target_attempt is an attempt number of the target (its
 * "attempt" field, 0 included), or HG_ANNOTATE_ENTRY to annotate the whole
 * entry. author and text are
 * any bytes: invalid UTF-8 becomes U+FFFD. now_ns is the wall clock in ns
 * (hg_now_wall_ns()); it is written in the local zone.
 * Returns 0, or -1 with a plain-words reason in err (out is then unchanged).
 */
int hg_annotate_build(struct hg_buf *out, const struct hg_session *s,
    const struct hg_entry *target, int64_t target_attempt, const char *author,
    const char *text, int64_t now_ns, char *err, size_t errlen);

/* A file that does not end in '\n' and changed less than this long ago
 * has a writer in the middle of a line. */
#define HG_ANNOTATE_QUIET_NS (3 * 1000000000LL)

/*
 * Append line[0..len) (from hg_annotate_build) to the session's file with
 * one write(2), all or nothing: the space is reserved first (fallocate),
 * and a write that still falls short is cut off again, so a refused note
 * leaves the file as it was. Never creates a file and never follows a
 * symlink; refuses a file that is no longer the one s read (other
 * device/inode). When the file does not end in '\n': refused while it
 * changed in the last HG_ANNOTATE_QUIET_NS (a writer is mid-line), else
 * (a dead writer's partial line) the note is prefixed with '\n'. Returns 0,
 * or -1 with a plain-words reason in err ("disk full", "file was deleted").
 *
 * Test hook: when the environment variable HGTOP_TEST_WRITE_ERROR is set to
 * ENOSPC, EROFS, EACCES, EIO, SHORT or SHORT_RACE, the write fails that way
 * (SHORT writes the first half of the bytes, as a real short write would;
 * SHORT_RACE then appends "{}\n" as another writer would).
 */
int hg_annotate_append(const struct hg_session *s, const char *line, size_t len,
    char *err, size_t errlen);

/* opt when non-empty, else $USER, else the login name, else "unknown". */
const char *hg_annotate_default_author(const char *opt);

/*
 * Index of the entry that annotation s->entries[ann_index] annotates, or -1
 * when it has none any more: not an annotation, target line missing or not
 * before it, or the line there has another skill or timestamp than recorded
 * (the file was rewritten). Such annotations stand alone at their position.
 */
ssize_t hg_annotate_target(const struct hg_session *s, size_t ann_index);

/*
 * Index into target->attempts of the attempt ann annotates, or -1 when it
 * annotates the whole entry (or an attempt number the entry does not have).
 */
ssize_t hg_annotate_attempt_index(const struct hg_entry *target, const struct hg_entry *ann);

/*
 * The whole text of an annotation (malloc'd, NUL-terminated; also for texts
 * too long to be kept in memory). NULL with errno set on failure.
 */
char *hg_annotate_read_text(const struct hg_session *s, const struct hg_entry *ann,
    size_t *len);

/*
 * Per-session index: for each entry, the annotations attached to it, in file
 * order. Updated incrementally as entries arrive; rebuilt after a reset.
 * Memory is proportional to the number of annotations.
 */
struct hg_ann_index {
	size_t *target;		/* sorted by (target, ann) */
	size_t *ann;
	size_t n, cap;
	size_t scanned;		/* entries of the session looked at */
	unsigned generation;	/* s->generation when scanned */
	const struct hg_session *s;
};

void hg_ann_index_init(struct hg_ann_index *ix);
void hg_ann_index_free(struct hg_ann_index *ix);

/* Take in the entries that arrived since the last call. Returns true when
 * the set of attached annotations changed. */
bool hg_ann_index_update(struct hg_ann_index *ix, const struct hg_session *s);

/* Annotations attached to entry_index: *anns points to their entry
 * indexes (file order, valid until the next update); returns the count. */
size_t hg_ann_index_lookup(const struct hg_ann_index *ix, size_t entry_index,
    const size_t **anns);

/* Whether annotation ann_index is shown under a target (so not at its own
 * position). Same as hg_annotate_target() >= 0. */
bool hg_ann_index_attached(const struct hg_ann_index *ix, size_t ann_index);

#endif
