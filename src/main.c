/* main.c - hgtop: a live terminal browser for hyperguild session logs. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hgtop/app.h"
#include "hgtop/batch.h"
#include "hgtop/catalog.h"
#include "hgtop/config.h"
#include "hgtop/demo.h"
#include "hgtop/filter.h"
#include "hgtop/follow.h"
#include "hgtop/options.h"
#include "hgtop/parser.h"
#include "hgtop/sanitize.h"
#include "hgtop/spool.h"
#include "hgtop/stats.h"
#include "hgtop/ui.h"
#include "hgtop/util.h"

/* Each path named that could not be opened, on stderr. */
static void
say_unopened(const struct hg_catalog *c)
{
	const char *p = c->unopened;

	while (p && *p) {
		size_t n = strcspn(p, "\n");

		hg_errorf("%.*s", (int)n, p);
		p += n + (p[n] != '\0');
	}
}

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
			hg_errorf("%s: %s (give a directory, set HGTOP_SESSIONS_DIR, or try --demo)",
				o->default_dir, strerror(errno));
			return -1;
		}
	}
	if (hg_catalog_open(c, npaths, paths, err, sizeof(err)) < 0) {
		say_unopened(c);
		hg_catalog_free(c);
		return -1;
	}
	/* The browser says it on its status line. */
	if (o->batch || o->stats)
		say_unopened(c);
	return err[0] ? 1 : 0;
}

/* "-": the stream on stdin, copied to an unlinked spool file so that
 * entries can be re-read like those of any session log. */
static int
open_stream(struct hg_catalog *c, struct hg_spool **sp)
{
	memset(c, 0, sizeof(*c));
	*sp = hg_spool_new(STDIN_FILENO);
	if (!*sp) {
		hg_errorf("stdin: cannot create a spool file in $TMPDIR: %s",
			strerror(errno));
		return -1;
	}
	hg_catalog_add(c, hg_spool_session(*sp, "stdin"));
	return 0;
}

static void
print_config_errors(const struct hg_config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->n_errors; i++)
		hg_errorf("%s", cfg->errors[i]);
}

static int
read_config_file(struct hg_config *cfg, const struct hg_options *o)
{
	char err[512];
	char *path, *name;
	int rc;

	if (o->no_config)
		return 0;
	path = o->config_file ? xstrdup(o->config_file) : hg_config_default_path();
	if (!path)
		return 0;
	name = o->config_file ? xstrdup(path) : hg_config_display_path(path);
	rc = hg_config_load(cfg, path, name, o->config_file != NULL, err, sizeof(err));
	if (rc < 0)
		hg_errorf("%s", err);
	free(name);
	free(path);
	return rc;
}

/* The configuration: the defaults, the file, then the command line, whose
 * options win. Returns -1 to go on, or an exit status (--dump-config, an
 * unreadable --config FILE). The browser reports the file's bad lines on
 * its status line, other modes on stderr. */
static int
load_config(struct hg_config *cfg, struct hg_options *o)
{
	hg_config_init(cfg);
	if (read_config_file(cfg, o) < 0)
		return 1;
	if (o->author)
		hg_config_set_author(cfg, o->author);
	if (o->no_color)
		cfg->colors = false;
	if (o->read_only)
		cfg->read_only = true;
	if (o->no_mouse)
		cfg->mouse = false;
	if (o->poll_ms)
		cfg->poll_ms = o->poll_ms;
	o->author = cfg->author;
	o->no_color = !cfg->colors;
	o->read_only = cfg->read_only;
	o->poll_ms = cfg->poll_ms;
	o->config = cfg;
	if (o->dump_config || o->batch || o->stats)
		print_config_errors(cfg);
	if (o->dump_config) {
		hg_config_dump(cfg, stdout);
		if (fflush(stdout) != 0) {
			hg_errorf("standard output: %s", strerror(errno));
			return 1;
		}
		return cfg->n_errors ? 1 : 0;
	}
	if (o->npaths == 0 && !o->demo)
		o->default_dir = hg_default_sessions_dir(cfg);
	return -1;
}

/* A list of --verdict or --tier on its own: NULL (reported) when bad. */
static struct hg_filter *
parse_list(const char *key, const char *list)
{
	char err[256];
	int col;
	struct hg_filter *f = hg_filter_parse_effective(NULL, strcmp(key, "verdict") ? NULL : list,
							strcmp(key, "tier") ? NULL : list,
							err, sizeof(err), &col);

	if (!f)
		hg_errorf("%s", err);
	return f;
}

/* --filter, --verdict and --tier as one filter. Repeated options all hold,
 * as terms of one expression: the --filter expressions (their "@name"s
 * expanded) joined, then a "verdict:LIST" or "tier:LIST" term for every
 * list after the first (the first ones are the quick filters). Each is
 * parsed on its own first, so that an error's column is in its own text.
 * NULL after a bad one, which is reported as a usage error. */
static struct hg_filter *
make_filter(struct hg_options *o, char **expr)
{
	struct hg_buf b = { 0 };
	char err[256], *one;
	int col = 0, i;
	struct hg_filter *f;

	*expr = NULL;
	for (i = 0; i < o->n_filters; i++) {
		if (hg_config_expand(o->config, o->filters[i], &one, err, sizeof(err), &col) < 0) {
			hg_errorf("--filter: %s", err);
			hg_buf_free(&b);
			return NULL;
		}
		f = hg_filter_parse(one, err, sizeof(err), &col);
		if (!f) {
			hg_errorf("%s", err);
			free(one);
			hg_buf_free(&b);
			return NULL;
		}
		if (b.len && *one)
			hg_buf_addc(&b, ' ');
		/* Joined to other terms, "a | b" keeps its meaning: "(a | b)". */
		if (hg_filter_has_or(f) && (o->n_filters > 1 || o->n_verdicts > 1 ||
					    o->n_tiers > 1 || o->since || o->until))
			hg_buf_printf(&b, "(%s)", one);
		else
			hg_buf_adds(&b, one);
		hg_filter_free(f);
		free(one);
	}
	for (i = 0; i < 2; i++) {
		const char *key = i ? "until" : "since", *v = i ? o->until : o->since;

		if (!v)
			continue;
		one = xasprintf("%s:%s", key, v);
		f = strpbrk(v, " \t()|") ? NULL : hg_filter_parse(one, err, sizeof(err), NULL);
		if (!f) {
			hg_errorf("--%s: bad time '%s' (expected e.g. 2h, 30m, 3d, today, "
				  "yesterday, 2026-11-28, 2026-11-28T14:00 or 2026-11-28T14:00Z)",
				  key, v);
			hg_filter_free(f);
			free(one);
			hg_buf_free(&b);
			return NULL;
		}
		hg_filter_free(f);
		if (b.len)
			hg_buf_addc(&b, ' ');
		hg_buf_adds(&b, one);
		free(one);
	}
	for (i = 0; i < o->n_verdicts + o->n_tiers; i++) {
		bool verdict = i < o->n_verdicts;
		const char *key = verdict ? "verdict" : "tier";
		const char *list = verdict ? o->verdicts[i] : o->tiers[i - o->n_verdicts];

		if (!(f = parse_list(key, list))) {
			hg_buf_free(&b);
			return NULL;
		}
		if (i != 0 && i != o->n_verdicts && *hg_filter_text(f)) {
			if (b.len)
				hg_buf_addc(&b, ' ');
			hg_buf_adds(&b, hg_filter_text(f));
		}
		hg_filter_free(f);
	}
	/* The app parses the expression again. */
	*expr = b.p;
	o->filter = *expr;
	f = hg_filter_parse_effective(o->filter ? o->filter : "", o->verdict, o->tier,
				      err, sizeof(err), &col);
	if (!f)
		hg_errorf("%s", err);
	return f;
}

/* The values of verdict and tier in the options that are no known value
 * and occur in none of SS[0..n) are typos (usage errors), said on stderr
 * when SAY. Every --filter is checked in its own text (a column when it
 * has no "@name"). */
static bool
values_valid(const struct hg_options *o, struct hg_session *const *ss, size_t n, bool say)
{
	char err[256], *one, *term;
	int col, i;
	bool ok = true;

	for (i = 0; ok && i < o->n_filters; i++) {
		if (hg_config_expand(o->config, o->filters[i], &one, err, sizeof(err), &col) < 0)
			continue;	/* already refused by make_filter */
		ok = hg_filter_check_values(one, ss, n, err, sizeof(err),
					    strcmp(one, o->filters[i]) == 0 ? &col : NULL);
		free(one);
		if (!ok && say)
			hg_errorf("%s", err);
	}
	for (i = 0; ok && i < o->n_verdicts + o->n_tiers; i++) {
		bool verdict = i < o->n_verdicts;

		term = xasprintf("%s:%s", verdict ? "verdict" : "tier",
				 verdict ? o->verdicts[i] : o->tiers[i - o->n_verdicts]);
		ok = hg_filter_check_values(term, ss, n, err, sizeof(err), NULL);
		free(term);
		if (!ok && say)
			hg_errorf("--%s: %s", verdict ? "verdict" : "tier", err);
	}
	return ok;
}

/* Once the logs are read. */
static bool
check_values(const struct hg_options *o, const struct hg_catalog *c)
{
	return values_valid(o, c->sessions, c->n, true);
}

/* Whether every verdict and tier value the options name is known without
 * looking at the logs (then check_values cannot fail, whatever they
 * hold). */
static bool
values_known(const struct hg_options *o)
{
	return values_valid(o, NULL, 0, false);
}

static int
print_stats(const struct hg_options *o, struct hg_stats *st)
{
	if (o->json)
		hg_stats_print_json(st, stdout);
	else
		hg_stats_print_text(st, stdout, hg_utf8_locale());
	hg_stats_free(st);
	if (fflush(stdout) != 0 && errno != EPIPE) {
		hg_errorf("standard output: %s", strerror(errno));
		return 1;
	}
	return 0;
}

static int
run_stats(const struct hg_options *o, struct hg_catalog *c, const struct hg_filter *f)
{
	return print_stats(o, hg_stats_compute(c->sessions, c->n, f));
}

/* The stream's entries to the sessions of their session_id; its own
 * session, left empty, is not printed nor counted (unless followed). */
static void
split_stream(struct hg_catalog *c, struct hg_spool *sp, struct hg_session **stream, bool follow)
{
	hg_spool_split(sp, c, *stream, 0, NULL, NULL);
	if (follow || (*stream)->n_entries || c->n < 2 || c->sessions[0] != *stream)
		return;
	memmove(&c->sessions[0], &c->sessions[1], (c->n - 1) * sizeof(*c->sessions));
	c->n--;
	hg_session_free(*stream);
	*stream = NULL;
}

static int
run_batch(const struct hg_options *o, struct hg_catalog *c, struct hg_spool *sp,
	  const struct hg_filter *f, int status)
{
	struct hg_session *stream = sp ? c->sessions[0] : NULL;
	int failures;

	if (o->stats && !stream) {
		/* Files: the statistics are made as the entries are read;
		 * without a filter no message or feedback text is needed. */
		if (hg_filter_is_empty(f))
			hg_parse_keep_texts(false);
		struct hg_stats *st = hg_batch_stats(c, f, isatty(STDERR_FILENO), &failures);
		int rc;

		if (!check_values(o, c)) {
			hg_stats_free(st);
			return 2;
		}
		rc = print_stats(o, st);
		return rc ? rc : failures && !c->dir ? 1 : status;
	}
	if (!o->follow && !isatty(STDOUT_FILENO)) {
		/* Output that nobody watches line by line (a file, a pipe)
		 * goes out in large writes, not in one per 4 KB. */
		static char out_buf[256 * 1024];

		setvbuf(stdout, out_buf, _IOFBF, sizeof(out_buf));
	}
	if (!stream && !o->follow && !o->stats && values_known(o)) {
		/* Nothing waits for every log: each session printed once read. */
		int rc = hg_batch_stream(stdout, o, c, f,
					 isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO), &failures);

		if (rc != 0) {
			if (errno == EPIPE)
				return status;
			hg_errorf("standard output: %s", strerror(errno));
			return 1;
		}
		return failures && !c->dir ? 1 : status;
	}
	if (stream && !o->follow) {
		if (hg_spool_drain(sp) < 0)
			hg_errorf("stdin: %s", strerror(errno));
		hg_spool_update_session(sp, stream);
	}
	failures = hg_batch_load(c, isatty(STDERR_FILENO), !o->follow);
	if (!o->follow)
		hg_batch_take_partials(c);
	if (stream && !o->follow)
		hg_follow_note_stream_end(stream);
	if (stream)
		split_stream(c, sp, &stream, o->follow);
	if (!check_values(o, c))
		return 2;
	if (o->stats) {
		int rc = run_stats(o, c, f);

		return rc ? rc : failures && !c->dir ? 1 : status;
	}
	/* A signal that comes once --follow prints what is there waits for
	 * the app's handlers (hg_app_init unblocks it): it must not be lost,
	 * even where the shell started us with it ignored. */
	if (o->follow)
		hg_app_hold_signals();
	if (hg_batch_print(stdout, o, c, f) != 0) {
		if (errno == EPIPE)
			return status;
		hg_errorf("standard output: %s", strerror(errno));
		return 1;
	}
	if (o->follow)
		return hg_follow_run(stdout, o, c, sp, stream, f);
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
	struct hg_config cfg;
	char *expr;
	struct hg_catalog c;
	struct hg_spool *sp = NULL;
	struct hg_filter *f;
	struct hg_demo demo = { 0 };
	char *demo_path[1];
	char err[512];
	int rc, status;

	setlocale(LC_ALL, "");
	signal(SIGPIPE, SIG_IGN);
	/* At the file size limit (ulimit -f) a write fails with EFBIG, which
	 * is reported, rather than killing hgtop with the terminal raw. */
	signal(SIGXFSZ, SIG_IGN);
	rc = hg_options_parse(&o, argc, argv);
	if (rc >= 0) {
		hg_options_free(&o);
		return rc;
	}
	rc = load_config(&cfg, &o);
	if (rc >= 0) {
		hg_config_free(&cfg);
		hg_options_free(&o);
		return rc;
	}
	f = make_filter(&o, &expr);
	if (!f) {
		free(expr);
		hg_config_free(&cfg);
		hg_options_free(&o);
		return 2;
	}
	/* --demo: a temporary sessions directory that a child keeps writing
	 * to; every mode then works on it like on any directory. */
	if (o.demo) {
		if (hg_demo_start(&demo, err, sizeof(err)) < 0) {
			hg_errorf("--demo: %s", err);
			hg_filter_free(f);
			hg_config_free(&cfg);
			free(expr);
			hg_options_free(&o);
			return 1;
		}
		demo_path[0] = demo.dir;
		o.paths = demo_path;
		o.npaths = 1;
	}
	if (o.npaths == 1 && strcmp(o.paths[0], "-") == 0)
		status = open_stream(&c, &sp);
	else
		status = open_catalog(&c, &o);
	if (status < 0) {
		if (o.demo)
			hg_demo_stop(&demo);
		hg_filter_free(f);
		hg_config_free(&cfg);
		free(expr);
		hg_options_free(&o);
		return 1;
	}
	if (o.batch || o.stats) {
		rc = run_batch(&o, &c, sp, f, status);
	} else {
		/* Several directories: their short names ("hostA/sessions,
		 * hostB/sessions"). */
		struct hg_buf t = { 0 };
		size_t k;

		/* The browser shows a few rows at a time: their message and
		 * feedback are read back when drawn, not held for every entry. */
		hg_parse_keep_texts(false);
		for (k = 0; c.n_dirs > 1 && k < c.n_dirs; k++) {
			hg_buf_adds(&t, k ? ", " : "");
			hg_buf_adds(&t, c.labels[k]);
		}
		if (t.len)
			hg_buf_addc(&t, '\0');
		rc = hg_ui_run(&o, &c, t.len ? t.p : c.dir ? c.dir : sp ? "stdin" :
			       o.npaths == 1 ? o.paths[0] : "(files)", o.demo ? &demo : NULL, sp);
		hg_buf_free(&t);
		if (rc == 0)
			rc = status;
	}
	hg_filter_free(f);
	hg_catalog_free(&c);
	hg_session_close_kept();
	hg_session_buffer_release();
	hg_spool_free(sp);
	if (o.demo)
		hg_demo_stop(&demo);
	hg_config_free(&cfg);
	free(expr);
	hg_options_free(&o);
	/* After Ctrl-C (130) or Ctrl-\ (131): end by that signal. */
	hg_app_exit_by_signal(rc);
	return rc;
}
