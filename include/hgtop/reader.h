/* reader.h - incremental reader of complete lines from a file. */
#ifndef HGTOP_READER_H
#define HGTOP_READER_H

#include <stddef.h>
#include <stdint.h>

/* Buffer reused between calls. Grows for long lines and shrinks back to
 * HG_READER_CHUNK after a long line has been delivered. (Overridable at
 * build time so the fuzz target reaches the growth path on small input.) */
#ifndef HG_READER_CHUNK
#define HG_READER_CHUNK (1024 * 1024)
#endif

/* The longest line held in memory. A longer line is read past in chunks
 * and delivered without its text (line NULL, len its length): it becomes
 * an unparsable row that says its size, and memory stays bounded. */
#define HG_LINE_MAX_DEFAULT ((int64_t)64 * 1024 * 1024)

/* Set the limit (tests use a small one); 0 or less restores the default. */
void hg_reader_set_line_max(int64_t max);
int64_t hg_reader_line_max(void);

struct hg_linebuf {
	char *buf;
	size_t cap;
};

/* Called for each complete line; len excludes "\n" and a "\r" before it.
 * Empty lines are delivered too (len 0): the caller decides about them. A
 * line longer than hg_reader_line_max() comes with line NULL and len its
 * length in bytes (without the newline).
 * Return non-zero to stop after this line. */
typedef int (*hg_line_fn)(void *ctx, const char *line, size_t len,
			  int64_t offset, int64_t line_no);

struct hg_read_result {
	int64_t bytes;		/* bytes consumed (complete lines only) */
	int64_t lines;		/* physical lines consumed */
	int err;		/* errno of a read error, 0 if none */
	int more;		/* 1 when stopped by max_bytes or fn, not EOF */
	int64_t pending;	/* bytes of an incomplete last line seen */
};

/* Read fd with pread from *offset; deliver every complete line; advance
 * *offset past the last complete line and *line_no by the lines read.
 * Stops at EOF, after max_bytes (0: no limit) or when fn returns non-zero. */
struct hg_read_result hg_read_lines(int fd, int64_t *offset, int64_t *line_no,
				    struct hg_linebuf *lb, int64_t max_bytes,
				    hg_line_fn fn, void *ctx);

/* The same, resuming a partial last line: *clean is the number of bytes
 * from *offset already known to hold no '\n' (0 when unknown). Only bytes
 * past them are scanned, and a partial line is not held between calls, so
 * a line that grows by small appends costs linear time, not quadratic; the
 * whole line is read once, when its newline arrives. On return *clean is
 * the length of the partial line after the new *offset (0 when the call
 * stopped early). The caller resets it to 0 whenever *offset is changed by
 * anything but this function, or the file is replaced. */
struct hg_read_result hg_read_lines_resume(int fd, int64_t *offset, int64_t *line_no,
					   int64_t *clean, struct hg_linebuf *lb,
					   int64_t max_bytes, hg_line_fn fn, void *ctx);

void hg_linebuf_free(struct hg_linebuf *lb);

#endif
