/* session.h - one session log: path, entries, and incremental ingest.
 *
 * No descriptor is kept open between ingests (10,000 sessions must fit the
 * default ulimit), except for a stdin spool which has no path. */
#ifndef HGTOP_SESSION_H
#define HGTOP_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "hgtop/entry.h"
#include "hgtop/reader.h"

struct hg_session {
	char *path;		/* as opened (NULL-free); "-" for stdin */
	char *id;		/* file name without ".jsonl" */
	struct hg_entry *entries; /* owned, in file order */
	size_t n_entries;
	size_t cap_entries;
	int64_t n_unparsable;
	int64_t n_annotations;
	int64_t offset;		/* end of the last complete line read */
	int64_t line_no;	/* physical lines read so far */
	int64_t size;		/* size at the last ingest */
	int64_t mtime_ns;
	int64_t last_ts_ns;	/* newest entry timestamp (0 if none) */
	dev_t dev;
	ino_t ino;
	uint64_t head_hash;	/* hash of the first HG_HEAD_BYTES of the file */
	int64_t head_len;
	int64_t pending;	/* bytes of an incomplete last line */
	int64_t clean;		/* of them, bytes scanned for '\n' (reader) */
	int64_t clean_at;	/* the offset clean was measured from */
	uint64_t clean_hash;	/* of the first bytes of that partial line */
	int spool_fd;		/* stdin spool (-1 if a real file) */
	int err;		/* errno of the last failure, 0 if fine */
	bool gone;		/* the file was deleted */
	bool stream_ended;	/* stdin stream reached EOF */
	bool fitted;		/* entries shrunk to fit after the first read */
	bool in_order;		/* never read tail first (headless loading) */
	/* Tail-first loading of a large file (see hg_session_ingest). */
	int64_t tail_start;	/* > 0 while the head [0, tail_start) is read */
	int64_t head_offset;	/* how far the head has been read */
	int64_t head_line_no;
	struct hg_entry *head;	/* owned: head entries read so far */
	size_t n_head;
	size_t cap_head;
	unsigned generation;	/* bumped on every reset (re-read) */
	void *user;		/* for the layers above (not owned) */
};

#define HG_HEAD_BYTES 4096

/* Line numbers of entries read before the lines above them are counted
 * (tail-first loading) start here; they become real once the head is read. */
#define HG_LINE_PROVISIONAL (INT64_C(1) << 48)

enum hg_ingest_status {
	HG_INGEST_OK = 0,	/* read what was there (maybe nothing) */
	HG_INGEST_TRUNCATED,	/* size < offset: re-read from the start */
	HG_INGEST_REPLACED,	/* new inode: re-read from the start */
	HG_INGEST_REWRITTEN,	/* same file, different content: re-read */
	HG_INGEST_GONE,		/* the file no longer exists */
	HG_INGEST_ERROR,	/* open/read failed: see err */
};

struct hg_ingest_result {
	enum hg_ingest_status status;
	int64_t new_entries;	/* entries appended by this call */
	int64_t bytes;		/* bytes consumed */
	int err;
	bool more;		/* stopped by max_bytes, call again */
};

struct hg_session *hg_session_new(const char *path);
/* A session reading from a spool descriptor (stdin). Takes fd. */
struct hg_session *hg_session_new_spool(const char *name, int fd);
void hg_session_free(struct hg_session *s);

/* Read what was appended since the last call (at most max_bytes, 0: all).
 * Detects truncation, replacement and in-place rewrite; in those cases the
 * entries are dropped and the file is read again from the start.
 * With max_bytes > 0, a file larger than 4 * max_bytes that has not been
 * read yet is read tail first: the first call returns its newest entries
 * (with provisional line numbers), later calls read the older part and
 * then join it in front (s->generation changes when they are joined),
 * unless s->in_order is set. */
struct hg_ingest_result hg_session_ingest(struct hg_session *s, int64_t max_bytes);

/* A line number for display: "1234", or "?" while it is provisional. */
const char *hg_line_str(int64_t line_no, char *buf, size_t n);

/* Bytes of the file read so far (for progress while loading). */
int64_t hg_session_bytes_read(const struct hg_session *s);

/* Drop every entry and start again from offset 0. */
void hg_session_reset(struct hg_session *s);

/* Re-read the raw line of an entry (malloc'd, NUL-terminated). NULL on
 * error with errno set (ESTALE if the file changed under the entry). */
char *hg_session_read_line(const struct hg_session *s, const struct hg_entry *e, size_t *len);

/* Index of the entry at line_no (binary search), or -1. */
ssize_t hg_session_find_line(const struct hg_session *s, int64_t line_no);

const char *hg_ingest_status_text(enum hg_ingest_status st);

/* The read buffer shared by all sessions: its size (it shrinks back to
 * HG_READER_CHUNK after a long line), and a way to free it at exit. */
size_t hg_session_buffer_size(void);
void hg_session_buffer_release(void);

#endif
