/* options.h - the command line. */
#ifndef HGTOP_OPTIONS_H
#define HGTOP_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

struct hg_config;

struct hg_options {
	bool batch;
	bool json;
	bool follow;
	bool stats;
	bool read_only;
	bool no_color;
	bool no_mouse;		/* --no-mouse */
	bool demo;
	int poll_ms;		/* > 0: poll stat() at this interval */
	const char *filter;	/* --filter EXPR (main joins repeated ones) */
	const char *verdict;	/* --verdict LIST (the first one) */
	const char *tier;	/* --tier LIST (the first one) */
	/* Every --filter, --verdict and --tier given, in order (owned arrays
	 * of pointers into argv): repeated options all hold. */
	const char **filters, **verdicts, **tiers;
	int n_filters, n_verdicts, n_tiers;
	const char *since;	/* --since TIME (the last one) */
	const char *until;	/* --until TIME (the last one) */
	const char *author;	/* --author NAME */
	int npaths;
	char **paths;		/* points into argv */
	char *default_dir;	/* owned: used when no path is given */
	const char *config_file; /* --config FILE */
	bool no_config;		/* --no-config */
	bool dump_config;	/* --dump-config */
	/* The effective configuration (file and options), set by main. */
	const struct hg_config *config;
};

/* Parse argv. Returns -1 to go on, or an exit status (0 after --help or
 * --version, 2 after a usage error, already reported on stderr). */
int hg_options_parse(struct hg_options *o, int argc, char **argv);
void hg_options_free(struct hg_options *o);
void hg_options_usage(FILE *f);

/* $HGTOP_SESSIONS_DIR, else the configuration's sessions-dir, whose
 * default is ~/.hyperguild/sessions (malloc'd). */
char *hg_default_sessions_dir(const struct hg_config *cfg);

#endif
