/* fuzz_reader.c - libFuzzer target for the incremental line reader.
 *
 * The input is split into chunks (sizes taken from its first bytes) that
 * are appended to a memfd one by one, with hg_read_lines() called after
 * each, sometimes stopping early through max_bytes or the callback. The
 * lines delivered, their offsets and numbers must be exactly those of
 * reading the whole input at once (the chunked reads go through
 * hg_read_lines_resume(), which resumes the scan of a partial line). Built with a tiny HG_READER_CHUNK so
 * that growing and shrinking the buffer is exercised on small inputs; the
 * line limit is sometimes set small too, so lines over it (delivered as
 * their length alone) are read past the same way in both readings. */
#define _GNU_SOURCE
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hgtop/reader.h"
#include "hgtop/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct sink {
	struct hg_buf out;	/* "offset:line_no:len:" line "\n" per line */
	int stop_every;		/* stop after every n-th line (0: never) */
	int count;
};

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_reader: %s\n", what);
	abort();
}

static int
collect(void *ctx, const char *line, size_t len, int64_t offset, int64_t line_no)
{
	struct sink *k = ctx;
	char head[80];
	int n = snprintf(head, sizeof(head), "%lld:%lld:%zu:", (long long)offset,
			 (long long)line_no, len);

	if (line && memchr(line, '\n', len))
		fail("delivered a line holding a newline");
	if (!line && (int64_t)len <= hg_reader_line_max())
		fail("a line within the limit delivered without its text");
	if (line && (int64_t)len > hg_reader_line_max())
		fail("a line over the limit delivered with its text");
	hg_buf_add(&k->out, head, (size_t)n);
	if (line)
		hg_buf_add(&k->out, line, len);
	else
		hg_buf_adds(&k->out, "(over the limit)");
	hg_buf_addc(&k->out, '\n');
	k->count++;
	return k->stop_every && k->count % k->stop_every == 0;
}

static void
check_linebuf(const struct hg_linebuf *lb)
{
	if (lb->cap != HG_READER_CHUNK || !lb->buf)
		fail("buffer not back to its chunk size after a read");
}

/* Read everything there is now, resuming after each early stop. */
static void
drain(int fd, int64_t *off, int64_t *line_no, int64_t *clean, struct hg_linebuf *lb,
      int64_t max, struct sink *k)
{
	struct hg_read_result r;

	do {
		int64_t before = *off;

		r = hg_read_lines_resume(fd, off, line_no, clean, lb, max, collect, k);
		if (r.err)
			fail("read error on a memfd");
		if (r.bytes != *off - before)
			fail("bytes consumed disagree with the offset");
		if (clean && !r.more && *clean != r.pending)
			fail("the scanned partial line is not what is pending");
		check_linebuf(lb);
	} while (r.more);
}

static void
append(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			fail("memfd write");
		p += w;
		n -= (size_t)w;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sink whole = { 0 }, parts = { 0 };
	struct hg_linebuf lb = { 0 };
	int64_t off = 0, line_no = 0, off2 = 0, line_no2 = 0, clean = 0, max;
	size_t pos, nsplit, i;
	int fd;

	if (size < 3)
		return 0;
	nsplit = data[0] % 16 + 1;
	max = data[1] % 4 == 0 ? 0 : data[1] % 64;
	parts.stop_every = data[2] % 5;
	hg_reader_set_line_max(data[2] / 5 % 2 ? 4 + data[2] / 10 : 0);
	data += 3;
	size -= 3;

	fd = memfd_create("fuzz_reader", 0);
	if (fd < 0)
		fail("memfd_create");
	append(fd, data, size);
	drain(fd, &off, &line_no, NULL, &lb, 0, &whole);
	hg_linebuf_free(&lb);

	if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0)
		fail("ftruncate");
	/* Chunk boundaries from the data itself, so the fuzzer steers them. */
	for (pos = 0, i = 0; pos < size; i++) {
		size_t n = i < nsplit && size > 0 ? (size_t)data[(i * 7) % size] + 1 : size - pos;

		if (n > size - pos)
			n = size - pos;
		append(fd, data + pos, n);
		pos += n;
		drain(fd, &off2, &line_no2, &clean, &lb, max, &parts);
	}
	if (off != off2 || line_no != line_no2)
		fail("chunked read ended elsewhere than the whole read");
	if (whole.out.len != parts.out.len ||
	    (whole.out.len && memcmp(whole.out.p, parts.out.p, whole.out.len) != 0))
		fail("chunked read delivered other lines than the whole read");
	hg_linebuf_free(&lb);
	hg_buf_free(&whole.out);
	hg_buf_free(&parts.out);
	close(fd);
	return 0;
}
