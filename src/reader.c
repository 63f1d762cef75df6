/* reader.c - incremental line reader.
 *
 * Reads with pread() from a saved offset, so a file that is appended to is
 * read once, and a partial last line is left for the next call. The buffer
 * grows to hold a long line and shrinks back afterwards, so one 50 MB line
 * does not keep 50 MB resident. A line longer than the limit is never held
 * whole: it is scanned past and delivered as its length alone. */
#include "config.h"

#include "hgtop/reader.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hgtop/util.h"

static int64_t line_max = HG_LINE_MAX_DEFAULT;

void
hg_reader_set_line_max(int64_t max)
{
	line_max = max > 0 ? max : HG_LINE_MAX_DEFAULT;
}

int64_t
hg_reader_line_max(void)
{
	return line_max;
}

void
hg_linebuf_free(struct hg_linebuf *lb)
{
	free(lb->buf);
	lb->buf = NULL;
	lb->cap = 0;
}

/* Give back the memory of a long line, keeping the first `keep` bytes. */
static void
shrink(struct hg_linebuf *lb, size_t keep)
{
	char *nb;

	if (lb->cap <= HG_READER_CHUNK || keep > HG_READER_CHUNK / 2)
		return;
	nb = xmalloc(HG_READER_CHUNK);
	memcpy(nb, lb->buf, keep);
	free(lb->buf);
	lb->buf = nb;
	lb->cap = HG_READER_CHUNK;
}

/* A buffer size of at least need bytes, doubling from cap, but never more
 * than one byte past the line limit (enough to know a line is over it). */
static size_t
grown(size_t cap, size_t need)
{
	size_t most = (size_t)line_max + 1;

	while (cap < need && cap < most)
		cap *= 2;
	return cap < most ? cap : (need > most ? need : most);
}

/* Read into lb->buf[have..cap) at file offset pos. Returns bytes or -1. */
static ssize_t
fill(int fd, struct hg_linebuf *lb, size_t have, int64_t pos)
{
	ssize_t r;

	do
		r = pread(fd, lb->buf + have, lb->cap - have, (off_t)pos);
	while (r < 0 && errno == EINTR);
	return r;
}

/* Scan the file from *offset + *clean for a '\n', a chunk at a time, without
 * keeping what was scanned. Returns 1 when one is there (*clean then counts
 * the bytes before it), 0 at EOF (*clean is the partial line), -1 on error. */
static int
skip_clean(int fd, struct hg_linebuf *lb, int64_t offset, int64_t *clean)
{
	for (;;) {
		ssize_t r = fill(fd, lb, 0, offset + *clean);
		char *nl;

		if (r < 0)
			return -1;
		if (r == 0)
			return 0;
		nl = memchr(lb->buf, '\n', (size_t)r);
		if (nl) {
			*clean += nl - lb->buf;
			return 1;
		}
		*clean += r;
	}
}

/* Account for one line of raw bytes (its newline excluded) that is not
 * held, and hand its length over. Returns fn's verdict. */
static int
deliver_long(int64_t raw, int64_t *offset, int64_t *line_no, struct hg_read_result *res,
	     hg_line_fn fn, void *ctx)
{
	int64_t at = *offset;

	(*line_no)++;
	res->lines++;
	*offset += raw + 1;
	res->bytes += raw + 1;
	return fn(ctx, NULL, (size_t)raw, at, *line_no);
}

struct hg_read_result
hg_read_lines(int fd, int64_t *offset, int64_t *line_no, struct hg_linebuf *lb,
	      int64_t max_bytes, hg_line_fn fn, void *ctx)
{
	return hg_read_lines_resume(fd, offset, line_no, NULL, lb, max_bytes, fn, ctx);
}

struct hg_read_result
hg_read_lines_resume(int fd, int64_t *offset, int64_t *line_no, int64_t *clean,
		     struct hg_linebuf *lb, int64_t max_bytes, hg_line_fn fn, void *ctx)
{
	struct hg_read_result res = { 0 };
	size_t have = 0;	/* bytes in buf starting at file offset *offset */
	size_t scanned = 0;	/* of them, bytes known to hold no '\n' */
	bool stop = false;

	if (!lb->buf) {
		lb->buf = xmalloc(HG_READER_CHUNK);
		lb->cap = HG_READER_CHUNK;
	}
	if (clean && *clean > 0) {
		int k = skip_clean(fd, lb, *offset, clean);

		if (k <= 0) {
			if (k < 0)
				res.err = errno;
			else
				res.pending = *clean;
			shrink(lb, 0);
			return res;
		}
		if (*clean > line_max) {
			/* Too long to hold: count it and go on after it. */
			int64_t raw = *clean;

			*clean = 0;
			if (deliver_long(raw, offset, line_no, &res, fn, ctx) ||
			    (max_bytes > 0 && res.bytes >= max_bytes)) {
				res.more = 1;
				shrink(lb, 0);
				return res;
			}
		} else if ((uint64_t)*clean >= lb->cap) {
			/* The line is complete now: read it whole, once, below. */
			lb->cap = grown(lb->cap, (size_t)*clean + 1);
			free(lb->buf);
			lb->buf = xmalloc(lb->cap);
		}
		if (*clean > 0)
			scanned = (size_t)*clean;
	}
	if (clean)
		*clean = 0;
	while (!stop) {
		ssize_t r;
		size_t start = 0;
		char *nl;

		if (have == lb->cap && (int64_t)have > line_max) {
			/* The partial line at the front is over the limit:
			 * scan on for its end without keeping it. */
			int64_t raw = (int64_t)have;
			int k = skip_clean(fd, lb, *offset, &raw);

			if (k < 0) {
				res.err = errno;
				break;
			}
			if (k == 0) {
				res.pending = raw;
				break;
			}
			have = scanned = 0;
			if (deliver_long(raw, offset, line_no, &res, fn, ctx) ||
			    (max_bytes > 0 && res.bytes >= max_bytes)) {
				res.more = 1;
				break;
			}
			shrink(lb, 0);
			continue;
		}
		if (have == lb->cap) {
			/* One line longer than the buffer: grow it, to one
			 * byte past the limit at most. */
			lb->cap = grown(lb->cap, lb->cap + 1);
			lb->buf = xrealloc(lb->buf, lb->cap);
		}
		r = fill(fd, lb, have, *offset + (int64_t)have);
		if (r < 0) {
			res.err = errno;
			break;
		}
		if (r == 0) {
			res.pending = (int64_t)have;
			break;
		}
		have += (size_t)r;
		for (;;) {
			size_t from = start > scanned ? start : scanned;
			const char *line = lb->buf + start;
			int64_t at = *offset;
			size_t raw, len;

			if (from >= have || !(nl = memchr(lb->buf + from, '\n', have - from)))
				break;
			raw = len = (size_t)(nl - line);

			if (len > 0 && line[len - 1] == '\r')
				len--;
			(*line_no)++;
			res.lines++;
			*offset += (int64_t)raw + 1;
			res.bytes += (int64_t)raw + 1;
			start += raw + 1;
			if ((int64_t)raw > line_max) {
				if (fn(ctx, NULL, raw, at, *line_no))
					stop = true;
			} else if (fn(ctx, line, len, at, *line_no))
				stop = true;
			if (!stop && max_bytes > 0 && res.bytes >= max_bytes)
				stop = true;
			if (stop)
				break;
		}
		if (stop) {
			res.more = 1;
			break;
		}
		/* Keep the partial line at the front of the buffer. */
		if (start > 0) {
			memmove(lb->buf, lb->buf + start, have - start);
			have -= start;
		}
		scanned = have;	/* all of it was searched */
		shrink(lb, have);
	}
	if (clean && !res.more && !res.err)
		*clean = res.pending;
	shrink(lb, 0);
	return res;
}
