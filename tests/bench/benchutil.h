/* benchutil.h - small helpers shared by the benchmark programs. */
#ifndef HGTOP_BENCHUTIL_H
#define HGTOP_BENCHUTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/types.h>

#include "hgtop/util.h"

static inline void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Append b to path with one write(2), as hyperguild does. */
static inline void
append(const char *path, const struct hg_buf *b)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);

	if (fd < 0 || write(fd, b->p, b->len) != (ssize_t)b->len)
		die("%s: %s", path, strerror(errno));
	close(fd);
}

/* The session id of a log path: its file name without ".jsonl". */
static inline char *
session_of(const char *path)
{
	const char *base = strrchr(path, '/');
	char *id = xstrdup(base ? base + 1 : path), *dot = strstr(id, ".jsonl");

	if (dot)
		*dot = '\0';
	return id;
}

static inline int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank quantile q of n sorted nanosecond values, in ms. */
static inline double
ms_at(const int64_t *v, int n, double q)
{
	int i = (int)(q * n + 0.999999) - 1;

	if (i < 0)
		i = 0;
	if (i >= n)
		i = n - 1;
	return (double)v[i] / 1e6;
}

/* CPU clock ticks (user + system) a process has used, or -1. */
static inline long long
cpu_ticks(pid_t pid)
{
	char path[64], buf[1024], *s;
	unsigned long long ut = 0, st = 0;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	s = strrchr(buf, ')');
	/* Fields after the command: 3 state ... 14 utime 15 stime. */
	if (!s || sscanf(s + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &ut, &st) != 2)
		return -1;
	return (long long)(ut + st);
}

#endif
