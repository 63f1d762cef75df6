/* session.h - one session log: path, entries, and incremental ingest.
 *
 * A descriptor is kept open between ingests only for the few sessions read
 * most recently (HG_SESSION_KEEP_FDS, least recently used closed first), so
 * that lines appended just before the file is renamed away (log rotation)
 * are still read from the old file; 10,000 idle sessions hold none. A stdin
 * spool, which has no path, keeps its own. */
#ifndef HGTOP_SESSION_H
#define HGTOP_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "hgtop/entry.h"
#include "hgtop/reader.h"
#include "hgtop/util.h"

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
	int64_t seen_size;	/* the file's size when the watcher listed it */
	bool seen;		/* (and mtime_ns set then): seen_size holds */
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
	int keep_fd;		/* the file as last read (-1 if not kept) */
	bool keep_stale;	/* keep_fd: a file no longer under the path */
	int err;		/* errno of the last failure, 0 if fine */
	bool gone;		/* the file was deleted */
	bool rotated;		/* renamed away and read to its end: the path
				 * now names another file (a new session) */
	bool stream_ended;	/* stdin stream reached EOF */
	bool split;		/* one session_id of a stream split by it: its
				 * entries come from the stream's session, it
				 * is never read by itself (spool.h) */
	bool fitted;		/* entries shrunk to fit after the first read */
	bool in_order;		/* never read tail first (headless loading) */
	/* Tail-first loading of a large file (see hg_session_ingest). */
	int64_t tail_start;	/* > 0 while the head [0, tail_start) is read */
	int64_t head_offset;	/* how far the head has been read */
	int64_t head_line_no;
	struct hg_entry *head;	/* owned: head entries read so far */
	size_t n_head;
	size_t cap_head;
	int64_t head_unparsable; /* of them (n_unparsable and n_annotations */
	int64_t head_annotations; /* count the entries array only) */
	unsigned generation;	/* bumped on every reset (re-read) */
	unsigned dir_ix;	/* 1 + index of the catalog directory it was
				 * found in; 0: a file named, or a stream */
	void *user;		/* for the layers above (not owned) */
	/* The attempts of the entries it read itself (not of a stream's,
	 * which other sessions take over: see spool.h). */
	struct hg_pool pool;
	/* hyperguild's own reader (goread.h): the first line it stops at,
	 * with Go's error (0 and NULL: none so far); the same for the head
	 * while a file is read tail first. */
	int64_t go_stop_line;
	char *go_stop_reason;	/* owned */
	int64_t go_head_stop_line;
	char *go_head_stop_reason; /* owned */
	bool partial_taken;	/* the last entry is the incomplete last line
				 * (hg_session_take_partial) */
};

#define HG_HEAD_BYTES 4096
#define HG_SESSION_KEEP_FDS 16


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
	bool rotated;		/* s->rotated became true in this call */
};

struct hg_session *hg_session_new(const char *path);
/* A session reading from a spool descriptor (stdin). Takes fd. */
struct hg_session *hg_session_new_spool(const char *name, int fd);
void hg_session_free(struct hg_session *s);

/* Read what was appended since the last call (at most max_bytes, 0: all).
 * Detects truncation, replacement and in-place rewrite; in those cases the
 * entries are dropped and the file is read again from the start.
 * When the descriptor of the last read was kept and the path now names
 * another file (or none), what was appended to the old file is read first.
 * If the old file still has a name (it was renamed, e.g. r.jsonl to
 * r.jsonl.0, or moved away), the session keeps its entries and becomes
 * rotated (and gone; res.rotated says so once; later calls do nothing):
 * the caller starts a new session for the path. If it was deleted, the
 * drained entries are returned with res.more set, and the next call
 * reports the deletion or replacement.
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

/* Close the descriptors kept between ingests (at exit, or when out of
 * descriptors). Returns how many were closed. */
size_t hg_session_close_kept(void);
size_t hg_session_kept(void);	/* how many are open */

/* The file is now known by another name (renamed in the directory). */
void hg_session_rename(struct hg_session *s, const char *path);

/* Drop every entry and start again from offset 0. */
void hg_session_reset(struct hg_session *s);

/* A descriptor on the file the entries were read from (the caller closes
 * it): the kept or spool descriptor, or the path opened again. -1 with
 * errno ESTALE when the path now names another file. */
int hg_session_open(const struct hg_session *s);

/* Re-read the raw line of an entry (malloc'd, NUL-terminated). NULL on
 * error with errno set (ESTALE if the file changed under the entry). */
char *hg_session_read_line(const struct hg_session *s, const struct hg_entry *e, size_t *len);

/* Lines read back in blocks, for a pass over many entries of a session
 * (a filter's words): one read of up to HG_LINE_BLOCK bytes serves the
 * lines around it, in either direction. Zero-initialised; closed with
 * hg_line_reader_close. */
#define HG_LINE_BLOCK (1024 * 1024)
struct hg_line_reader {
	const struct hg_session *s;
	unsigned generation;
	int fd;			/* open while s is the session read */
	int64_t base;		/* file offset of buf[0] */
	size_t len, cap;
	char *buf;
};

/* E's line (not NUL-terminated, valid until the next call), NULL on error
 * with errno set as by hg_session_read_line. */
const char *hg_line_reader_get(struct hg_line_reader *r, const struct hg_session *s,
			       const struct hg_entry *e, size_t *len);
void hg_line_reader_close(struct hg_line_reader *r);

/* The texts an entry shows in its rows, read back from its line (entries
 * parsed without them, hg_parse_keep_texts, or longer than they keep).
 * Text 0 is the message, text 1 + i the feedback of attempt i; texts[k]
 * receives text first + k, for n of them (malloc'd, NULL where there is
 * none). -1 with errno set (ESTALE when the line no longer gives the
 * entry, or as by hg_session_read_line), the slots then NULL. */
int hg_session_entry_texts(const struct hg_session *s, const struct hg_entry *e, size_t first,
			   char **texts, size_t n);

/* Index of the entry at line_no (binary search), or -1. */
ssize_t hg_session_find_line(const struct hg_session *s, int64_t line_no);

/* What hyperguild's reader (Read in session.go) makes of the file read so
 * far: it reads all of it, it stops at go_stop_line (go_stop_reason says
 * why), or not known yet (the file is still being loaded). */
enum hg_go_verdict {
	HG_GO_READS,
	HG_GO_STOPS,
	HG_GO_UNKNOWN,
};
enum hg_go_verdict hg_session_go(const struct hg_session *s);

/* Read the incomplete last line (s->pending bytes after s->offset, with no
 * newline yet) as an entry, as hyperguild's reader does at the end of the
 * file, without moving past it: the next ingest drops that entry first
 * (and changes the generation) and reads the line again once it is
 * complete, so it is never counted twice. Returns true when an entry was
 * added. */
bool hg_session_take_partial(struct hg_session *s);

/* The entry is that incomplete last line. */
bool hg_session_entry_partial(const struct hg_session *s, const struct hg_entry *e);

const char *hg_ingest_status_text(enum hg_ingest_status st);

/* The read buffer shared by all sessions: its size (it shrinks back to
 * HG_READER_CHUNK after a long line), and a way to free it at exit. */
size_t hg_session_buffer_size(void);
void hg_session_buffer_release(void);

#endif
