/* gen_corpus.c - write the benchmark corpora (deterministic, cached).
 *
 *   gen_corpus [-c] [-s SCALE] [-o a|b|c|d] OUTDIR
 *
 * (a) OUTDIR/large/<id>.jsonl  one session, 60,000 entries, median line
 *     ~6 KB, p99 ~350 KB (~1 GB)
 * (b) OUTDIR/many/             10,000 small sessions (~125 MB)
 * (c) OUTDIR/short/<id>.jsonl  one session of 1,000,000 ~1 KB entries
 * (d) OUTDIR/mid/<id>.jsonl    one session of 1,000,000 ~1.4 KB entries
 *     (~1.4 GB; short runner outputs, as Go writes them)
 *
 * SCALE (default 1) multiplies the entry and session counts. A corpus is
 * complete when its ".complete" marker exists; complete corpora are kept,
 * anything else is written again from scratch. With -c nothing is written:
 * the exit status says whether every corpus asked for is complete. */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hgtop/gen.h"
#include "hgtop/util.h"

#define START_NS 1767225600000000000LL	/* 2026-01-01T00:00:00Z */

/* Line sizes (see struct hg_gen_knot). (a): median 6 KB, p99 350 KB; the
 * mean (~17 KB) makes 60,000 lines ~1 GB. (b) and (c): ~1 KB. */
static const struct hg_gen_knot large_knots[] = {
	{ 0.0, 1700 }, { 0.5, 6800 }, { 0.9, 21000 }, { 0.97, 90000 },
	{ 0.99, 365000 }, { 1.0, 450000 },
};
static const struct hg_gen_knot small_knots[] = {
	{ 0.0, 600 }, { 0.5, 950 }, { 1.0, 1400 },
};
/* (d): ~1.4 KB lines, 1,000,000 of them make ~1.4 GB. */
static const struct hg_gen_knot mid_knots[] = {
	{ 0.0, 900 }, { 0.5, 1400 }, { 1.0, 2100 },
};
/* Bump when the generator's output changes: cached corpora are redone. */
#define CORPUS_FORMAT "hgtop-bench-corpus 3"

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static void
fresh_dir(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	if (mkdir(dir, 0755) < 0)
		die("%s: %s", dir, strerror(errno));
}

static bool
is_complete(const char *dir)
{
	char *m = xasprintf("%s/.complete", dir), line[64] = "";
	FILE *f = fopen(m, "r");
	bool ok = f && fgets(line, sizeof(line), f) &&
		  strncmp(line, CORPUS_FORMAT "\n", sizeof(CORPUS_FORMAT)) == 0;

	if (f)
		fclose(f);
	free(m);
	return ok;
}

static void
mark_complete(const char *dir, long long entries, long long bytes)
{
	char *m = xasprintf("%s/.complete", dir);
	FILE *f = fopen(m, "w");

	if (!f)
		die("%s: %s", m, strerror(errno));
	fprintf(f, "%s\nentries %lld\nbytes %lld\n", CORPUS_FORMAT, entries, bytes);
	fclose(f);
	free(m);
}

/* Write n entries of one session to dir/<id>.jsonl; returns bytes. */
static long long
write_session(struct hg_gen *g, const char *dir, long n, const struct hg_gen_opts *o)
{
	struct hg_buf b = { 0 };
	char id[64], *path;
	long long total = 0;
	FILE *f;
	long i;

	hg_gen_session_id(g, id, sizeof(id));
	path = xasprintf("%s/%s.jsonl", dir, id);
	f = fopen(path, "w");
	if (!f)
		die("%s: %s", path, strerror(errno));
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	for (i = 0; i < n; i++) {
		hg_buf_reset(&b);
		hg_gen_entry(g, &b, id, o);
		if (fwrite(b.p, 1, b.len, f) != b.len)
			die("%s: %s", path, strerror(errno));
		total += (long long)b.len;
	}
	if (fclose(f) != 0)
		die("%s: %s", path, strerror(errno));
	free(path);
	hg_buf_free(&b);
	return total;
}

static long
scaled(double base, double scale)
{
	long n = (long)(base * scale + 0.5);

	return n < 1 ? 1 : n;
}

static void
sized_opts(struct hg_gen_opts *o, const struct hg_gen_knot *knots, size_t n)
{
	hg_gen_opts_init(o);
	o->knots = knots;
	o->n_knots = n;
}

static void
corpus_one(const char *out, const char *name, uint64_t seed, long entries,
	   const struct hg_gen_knot *knots, size_t n_knots)
{
	char *dir = xasprintf("%s/%s", out, name);
	struct hg_gen_opts o;
	struct hg_gen g;
	long long bytes;

	if (is_complete(dir)) {
		printf("%s: cached\n", dir);
		free(dir);
		return;
	}
	fprintf(stderr, "gen_corpus: writing %s (%ld entries)...\n", dir, entries);
	fresh_dir(dir);
	sized_opts(&o, knots, n_knots);
	hg_gen_init(&g, seed, START_NS);
	bytes = write_session(&g, dir, entries, &o);
	mark_complete(dir, entries, bytes);
	printf("%s: %ld entries, %lld bytes\n", dir, entries, bytes);
	hg_gen_free(&g);
	free(dir);
}

/* (b): many sessions of 4-20 short entries, spread over a month. */
static void
corpus_many(const char *out, double scale)
{
	char *dir = xasprintf("%s/many", out);
	long sessions = scaled(10000, scale), i;
	long long bytes = 0, entries = 0, n;
	struct hg_gen_opts o;
	struct hg_gen g;

	if (is_complete(dir)) {
		printf("%s: cached\n", dir);
		free(dir);
		return;
	}
	fprintf(stderr, "gen_corpus: writing %s (%ld sessions)...\n", dir, sessions);
	fresh_dir(dir);
	sized_opts(&o, small_knots, HG_ARRAY_SIZE(small_knots));
	hg_gen_init(&g, 0xb0b, START_NS);
	for (i = 0; i < sessions; i++) {
		g.now_ns = START_NS + hg_gen_range(&g, 0, 30LL * 86400) * 1000000000LL;
		n = hg_gen_range(&g, 4, 20);
		bytes += write_session(&g, dir, (long)n, &o);
		entries += n;
	}
	mark_complete(dir, entries, bytes);
	printf("%s: %ld sessions, %lld entries, %lld bytes\n", dir, sessions, entries, bytes);
	hg_gen_free(&g);
	free(dir);
}

static bool
all_complete(const char *out, const char *only)
{
	static const char *const names[] = { "large", "many", "short", "mid" };
	bool ok = true;
	char *dir;
	int i;

	for (i = 0; i < 4; i++) {
		if (!strchr(only, 'a' + i))
			continue;
		dir = xasprintf("%s/%s", out, names[i]);
		ok = ok && is_complete(dir);
		free(dir);
	}
	return ok;
}

static void
usage(void)
{
	fprintf(stderr, "usage: gen_corpus [-c] [-s SCALE] [-o a|b|c|d] OUTDIR\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	double scale = 1.0;
	const char *only = "abcd";
	bool check = false;
	int c;

	while ((c = getopt(argc, argv, "cs:o:h")) != -1) {
		switch (c) {
		case 'c': check = true; break;
		case 's': scale = strtod(optarg, NULL); break;
		case 'o': only = optarg; break;
		default: usage();
		}
	}
	if (optind != argc - 1 || scale <= 0)
		usage();
	if (check)
		return all_complete(argv[optind], only) ? 0 : 1;
	if (mkdir(argv[optind], 0755) < 0 && errno != EEXIST)
		die("%s: %s", argv[optind], strerror(errno));
	if (strchr(only, 'a'))
		corpus_one(argv[optind], "large", 0xa11ce, scaled(60000, scale),
			   large_knots, HG_ARRAY_SIZE(large_knots));
	if (strchr(only, 'b'))
		corpus_many(argv[optind], scale);
	if (strchr(only, 'c'))
		corpus_one(argv[optind], "short", 0xc0ffee, scaled(1000000, scale),
			   small_knots, HG_ARRAY_SIZE(small_knots));
	if (strchr(only, 'd'))
		corpus_one(argv[optind], "mid", 0xd1d, scaled(1000000, scale),
			   mid_knots, HG_ARRAY_SIZE(mid_knots));
	return 0;
}
