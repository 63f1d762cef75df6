/* progress.c - the progress line of --stats and --batch (progress.h). */
#include "config.h"

#include "hgtop/progress.h"

#include <stdio.h>
#include <string.h>

#include "hgtop/util.h"

void
hg_fmt_bytes(char *buf, size_t n, int64_t bytes)
{
	static const char *const units[] = { "kB", "MB", "GB", "TB", "PB" };
	double v = (double)bytes;
	size_t u = 0;

	if (bytes < 1000) {
		snprintf(buf, n, "%lld B", (long long)(bytes < 0 ? 0 : bytes));
		return;
	}
	v /= 1000;
	/* 999.96 kB would print as "1000.0 kB": move up a unit first. */
	while (v >= 999.95 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1000;
		u++;
	}
	snprintf(buf, n, "%.1f %s", v, units[u]);
}

void
hg_progress_start(struct hg_progress *p, int64_t total_bytes, int cols, int64_t now_ns)
{
	memset(p, 0, sizeof(*p));
	p->total = total_bytes > 0 ? total_bytes : 0;
	p->cols = cols;
	p->start_ns = now_ns;
	p->next_ns = now_ns + HG_PROGRESS_INTERVAL_NS;
}

static size_t
width(const struct hg_progress *p)
{
	int cols = p->cols > 1 ? p->cols : 80;

	/* The last column is left free: writing there makes some terminals
	 * wrap, and a carriage return would then go to the wrong row. */
	return (size_t)cols - 1;
}

void
hg_progress_text(const struct hg_progress *p, int64_t now_ns, char *buf, size_t n)
{
	char done[32], total[32], entries[32], rate[32];
	int64_t elapsed = now_ns - p->start_ns;
	struct hg_buf b = { 0 };

	hg_fmt_bytes(done, sizeof(done), p->bytes);
	hg_fmt_count(entries, sizeof(entries), p->entries);
	hg_buf_printf(&b, "hgtop: reading %s", done);
	if (p->total > 0) {
		/* Files may grow while they are read. */
		int64_t t = p->total > p->bytes ? p->total : p->bytes;

		hg_fmt_bytes(total, sizeof(total), t);
		hg_buf_printf(&b, " of %s (%d%%)", total, (int)((double)p->bytes * 100 / (double)t));
	}
	hg_buf_printf(&b, ", %s entr%s", entries, p->entries == 1 ? "y" : "ies");
	if (elapsed > 0) {
		hg_fmt_bytes(rate, sizeof(rate), (int64_t)((double)p->bytes * 1e9 / (double)elapsed));
		hg_buf_printf(&b, ", %s/s", rate);
	}
	if (b.len > width(p))
		b.len = width(p);
	snprintf(buf, n, "%.*s", (int)b.len, b.p);
	hg_buf_free(&b);
}

size_t
hg_progress_update(struct hg_progress *p, int64_t bytes, int64_t entries,
		   int64_t now_ns, char *buf, size_t n)
{
	char text[256];
	size_t len, pad;

	p->bytes = bytes;
	p->entries = entries;
	if (n == 0 || now_ns < p->next_ns)
		return 0;
	p->next_ns = now_ns + HG_PROGRESS_INTERVAL_NS;
	hg_progress_text(p, now_ns, text, sizeof(text));
	len = strlen(text);
	pad = p->shown > len ? p->shown - len : 0;
	if (1 + len + pad >= n)
		return 0;
	buf[0] = '\r';
	memcpy(buf + 1, text, len);
	memset(buf + 1 + len, ' ', pad);
	buf[1 + len + pad] = '\0';
	p->shown = len;
	return 1 + len + pad;
}

size_t
hg_progress_clear(struct hg_progress *p, char *buf, size_t n)
{
	size_t len = p->shown ? p->shown + 2 : 0;

	if (n == 0)
		return 0;
	if (len == 0 || len >= n) {
		buf[0] = '\0';
		return 0;
	}
	buf[0] = '\r';
	memset(buf + 1, ' ', p->shown);
	buf[len - 1] = '\r';
	buf[len] = '\0';
	p->shown = 0;
	return len;
}
