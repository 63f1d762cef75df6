/* main.c - hgtop: a live terminal browser for hyperguild session logs. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hgtop/batch.h"
#include "hgtop/catalog.h"
#include "hgtop/options.h"
#include "hgtop/util.h"

static int
open_catalog(struct hg_catalog *c, const struct hg_options *o)
{
	char err[4096];
	char *dflt[1];
	int npaths = o->npaths;
	char *const *paths = o->paths;

	if (npaths == 0) {
		struct stat st;

		dflt[0] = o->default_dir;
		paths = dflt;
		npaths = 1;
		if (stat(o->default_dir, &st) < 0) {
			fprintf(stderr, "hgtop: %s: %s (give a directory, set HGTOP_SESSIONS_DIR, or try --demo)\n",
				o->default_dir, strerror(errno));
			return -1;
		}
	}
	if (hg_catalog_open(c, npaths, paths, err, sizeof(err)) < 0) {
		fprintf(stderr, "hgtop: %s\n", err);
		return -1;
	}
	if (err[0])
		fprintf(stderr, "hgtop: %s\n", err);
	return err[0] ? 1 : 0;
}

static int
run_batch(const struct hg_options *o, struct hg_catalog *c, int status)
{
	int failures = hg_batch_load(c);

	if (hg_batch_print(stdout, o, c, NULL) != 0) {
		if (errno == EPIPE)
			return status;
		fprintf(stderr, "hgtop: standard output: %s\n", strerror(errno));
		return 1;
	}
	/* An unreadable file named by the user is an error; in a directory,
	 * the other sessions still count as a success. */
	if (failures && !c->dir)
		return 1;
	return status;
}

int
main(int argc, char **argv)
{
	struct hg_options o;
	struct hg_catalog c;
	int rc, status;

	setlocale(LC_ALL, "");
	signal(SIGPIPE, SIG_IGN);
	rc = hg_options_parse(&o, argc, argv);
	if (rc >= 0)
		return rc;
	status = open_catalog(&c, &o);
	if (status < 0) {
		hg_options_free(&o);
		return 1;
	}
	if (o.batch || o.stats) {
		rc = run_batch(&o, &c, status);
	} else {
		fprintf(stderr, "hgtop: the interactive browser is not available in this build; use --batch\n");
		rc = 2;
	}
	hg_catalog_free(&c);
	hg_options_free(&o);
	return rc;
}
