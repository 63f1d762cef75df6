/* progress.h - the progress line of long command-line work (--stats,
 * --batch): bytes read of the total, entries, rate, and when to show it.
 *
 * No I/O here: the program decides whether stderr is a terminal and writes
 * what these functions return. */
#ifndef HGTOP_PROGRESS_H
#define HGTOP_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

/* At most ten lines a second; nothing before the first interval is over,
 * so that quick work prints nothing. */
#define HG_PROGRESS_INTERVAL_NS INT64_C(100000000)

struct hg_progress {
	int64_t total;		/* bytes expected (0: unknown) */
	int64_t bytes;		/* bytes read so far */
	int64_t entries;	/* entries read so far */
	int64_t start_ns;
	int64_t next_ns;	/* no line before this time */
	int cols;		/* terminal width (0: unknown, taken as 80) */
	size_t shown;		/* columns of the line on screen (0: none) */
};

void hg_progress_start(struct hg_progress *p, int64_t total_bytes, int cols, int64_t now_ns);

/* Record the bytes and entries read so far. When a line is due, write into
 * buf a carriage return, the text (hg_progress_text) and the blanks that
 * cover a longer line shown before, and return its length; otherwise
 * return 0. */
size_t hg_progress_update(struct hg_progress *p, int64_t bytes, int64_t entries,
			  int64_t now_ns, char *buf, size_t n);

/* The text of the line, cut to the terminal width less one column:
 * "hgtop: reading 312.4 MB of 1.1 GB (27%), 1,234,567 entries, 245.3 MB/s"
 * ("reading 312.4 MB," when the total is unknown; no rate at time 0). */
void hg_progress_text(const struct hg_progress *p, int64_t now_ns, char *buf, size_t n);

/* What erases the line shown ("\r", blanks, "\r"), or "" when none is
 * shown; returns its length. Afterwards nothing is shown. */
size_t hg_progress_clear(struct hg_progress *p, char *buf, size_t n);

/* A byte count in decimal units: "512 B", "12.3 kB", "312.4 MB", "1.1 GB". */
void hg_fmt_bytes(char *buf, size_t n, int64_t bytes);

#endif
