/* reader.c - incremental line reader.
 *
 * Reads with pread() from a saved offset, so a file that is appended to is
 * read once, and a partial last line is left for the next call. The buffer
 * grows to hold a long line and shrinks back afterwards, so one 50 MB line
 * does not keep 50 MB resident. */
#include "config.h"

#include "hgtop/reader.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hgtop/util.h"

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

struct hg_read_result
hg_read_lines(int fd, int64_t *offset, int64_t *line_no, struct hg_linebuf *lb,
	      int64_t max_bytes, hg_line_fn fn, void *ctx)
{
	struct hg_read_result res = { 0 };
	size_t have = 0;	/* bytes in buf starting at file offset *offset */
	bool stop = false;

	if (!lb->buf) {
		lb->buf = xmalloc(HG_READER_CHUNK);
		lb->cap = HG_READER_CHUNK;
	}
	while (!stop) {
		ssize_t r;
		size_t start = 0;
		char *nl;

		if (have == lb->cap) {
			/* One line longer than the buffer: grow it. */
			lb->cap *= 2;
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
		while (start < have && (nl = memchr(lb->buf + start, '\n', have - start))) {
			const char *line = lb->buf + start;
			size_t raw = (size_t)(nl - line);
			size_t len = raw;
			int64_t at = *offset;

			if (len > 0 && line[len - 1] == '\r')
				len--;
			(*line_no)++;
			res.lines++;
			*offset += (int64_t)raw + 1;
			res.bytes += (int64_t)raw + 1;
			start += raw + 1;
			if (len > 0 && fn(ctx, line, len, at, *line_no))
				stop = true;
			else if (max_bytes > 0 && res.bytes >= max_bytes)
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
		shrink(lb, have);
	}
	shrink(lb, 0);
	return res;
}
