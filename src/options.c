/* options.c - command-line parsing, --help and --version. */
#include "config.h"

#include "hgtop/options.h"

#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/config.h"
#include "hgtop/util.h"

static const char usage_text[] =
"Usage: hgtop [OPTION]... [DIR | FILE]...\n"
"       hgtop [OPTION]... -\n"
"Browse hyperguild session logs (one JSON entry per line) live.\n"
"\n"
"With no path, hgtop opens $HGTOP_SESSIONS_DIR, else the configuration's\n"
"sessions-dir (default ~/.hyperguild/sessions).\n"
"A DIR shows every *.jsonl in it; FILEs are shown as sessions; - reads a\n"
"stream from standard input, one session per session_id in it. Files are\n"
"followed like tail -F: a file renamed away (rotated) is read to its end and\n"
"the new file under its name read from its start; a rename to another *.jsonl\n"
"name in DIR is a move; appends through a symlink's target or another hard\n"
"link are seen. Several DIRs (hostA/sessions hostB/sessions) are shown\n"
"together, with a source column; a DIR on a network file system (NFS, SMB,\n"
"sshfs, 9p) is polled. Remote and live: ssh host tail -q -n +1 -F 'DIR/*.jsonl'\n"
"| hgtop -\n"
"\n"
"  -b, --batch          print the (filtered) tree as text and exit\n"
"      --json           with --batch: print the matching JSON lines as they are\n"
"  -f, --follow         with --batch: keep printing new entries as they arrive\n"
"      --stats          print statistics (with --json: as JSON) and exit\n"
"      --filter EXPR    show only entries matching EXPR (see hgtop(1))\n"
"      --verdict LIST   only entries with an attempt of these verdicts\n"
"      --tier LIST      only entries with an attempt on these tiers\n"
"                       (--filter, --verdict and --tier may be repeated:\n"
"                       all of them hold; a verdict or tier that names\n"
"                       nothing in the logs is an error)\n"
"      --since TIME     only entries at or after TIME: 2h, 30m, 3d, today,\n"
"                       yesterday, 2026-11-28, 2026-11-28T14:00 (local time\n"
"                       unless a zone such as Z or +01:00 follows)\n"
"      --until TIME     only entries before TIME (the instant itself excluded)\n"
"      --read-only      never write: no annotations, no remembered history\n"
"                       or last filter\n"
"      --author NAME    author of annotations (default: $USER)\n"
"      --poll[=MS]      poll files every MS ms (default 1000) instead of inotify\n"
"      --no-color       monochrome display (also when NO_COLOR is set)\n"
"      --no-mouse       leave the mouse to the terminal (select text); M in\n"
"                       the browser turns mouse capture on and off\n"
"      --demo           browse a temporary directory that a simulated\n"
"                       hyperguild keeps appending to\n"
"      --config FILE    read the configuration from FILE instead of\n"
"                       $XDG_CONFIG_HOME/hgtop/config (~/.config/hgtop/config)\n"
"      --no-config      read no configuration file\n"
"      --dump-config    print the effective configuration and exit\n"
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version and exit\n"
"\n"
"Exit status: 0 ok, 1 runtime error, 2 usage error; 130 after Ctrl-C (SIGINT)\n"
"and 131 after Ctrl-\\ (SIGQUIT) in the browser and with --follow.\n";

void
hg_options_usage(FILE *f)
{
	fputs(usage_text, f);
}

char *
hg_default_sessions_dir(const struct hg_config *cfg)
{
	const char *env = getenv("HGTOP_SESSIONS_DIR");

	if (env && *env)
		return xstrdup(env);
	return hg_config_sessions_dir(cfg);
}

enum {
	OPT_JSON = 256, OPT_STATS, OPT_FILTER, OPT_VERDICT, OPT_TIER, OPT_READ_ONLY,
	OPT_AUTHOR, OPT_POLL, OPT_NO_COLOR, OPT_DEMO, OPT_CONFIG, OPT_NO_CONFIG,
	OPT_DUMP_CONFIG, OPT_NO_MOUSE,
	OPT_SINCE, OPT_UNTIL,
};

static const struct option long_options[] = {
	{ "batch", no_argument, NULL, 'b' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "follow", no_argument, NULL, 'f' },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "filter", required_argument, NULL, OPT_FILTER },
	{ "verdict", required_argument, NULL, OPT_VERDICT },
	{ "tier", required_argument, NULL, OPT_TIER },
	{ "read-only", no_argument, NULL, OPT_READ_ONLY },
	{ "author", required_argument, NULL, OPT_AUTHOR },
	{ "poll", optional_argument, NULL, OPT_POLL },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "no-mouse", no_argument, NULL, OPT_NO_MOUSE },
	{ "demo", no_argument, NULL, OPT_DEMO },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "no-config", no_argument, NULL, OPT_NO_CONFIG },
	{ "dump-config", no_argument, NULL, OPT_DUMP_CONFIG },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int __attribute__((format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("hgtop: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'hgtop --help' for more information.\n", stderr);
	return 2;
}

static int
parse_poll(struct hg_options *o, const char *arg)
{
	char *end;
	long v;

	if (!arg) {
		o->poll_ms = 1000;
		return -1;
	}
	v = strtol(arg, &end, 10);
	if (*arg == '\0' || *end || v < 10 || v > 3600000)
		return usage_error("--poll: '%s' is not a number of milliseconds (10 to 3600000)", arg);
	o->poll_ms = (int)v;
	return -1;
}

/* A repeated option: every value is kept. */
static void
add_arg(const char ***v, int *n, const char *arg)
{
	*v = xrealloc(*v, (size_t)(*n + 1) * sizeof(**v));
	(*v)[(*n)++] = arg;
}

static int
check_combination(const struct hg_options *o)
{
	if (o->json && !o->batch && !o->stats)
		return usage_error("%s needs --batch or --stats", "--json");
	if (o->follow && !o->batch)
		return usage_error("%s needs --batch", "--follow");
	if (o->follow && o->stats)
		return usage_error("%s cannot be combined with --stats", "--follow");
	if (o->demo && o->npaths > 0)
		return usage_error("%s takes no path", "--demo");
	if (o->config_file && o->no_config)
		return usage_error("%s cannot be combined with --no-config", "--config");
	return -1;
}

int
hg_options_parse(struct hg_options *o, int argc, char **argv)
{
	int c, rc;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":bfhV", long_options, NULL)) != -1) {
		switch (c) {
		case 'b': o->batch = true; break;
		case 'f': o->follow = true; break;
		case OPT_JSON: o->json = true; break;
		case OPT_STATS: o->stats = true; break;
		case OPT_FILTER: add_arg(&o->filters, &o->n_filters, optarg); break;
		case OPT_VERDICT: add_arg(&o->verdicts, &o->n_verdicts, optarg); break;
		case OPT_TIER: add_arg(&o->tiers, &o->n_tiers, optarg); break;
		case OPT_READ_ONLY: o->read_only = true; break;
		case OPT_AUTHOR: o->author = optarg; break;
		case OPT_NO_COLOR: o->no_color = true; break;
		case OPT_NO_MOUSE: o->no_mouse = true; break;
		case OPT_DEMO: o->demo = true; break;
		case OPT_CONFIG: o->config_file = optarg; break;
		case OPT_NO_CONFIG: o->no_config = true; break;
		case OPT_DUMP_CONFIG: o->dump_config = true; break;
		case OPT_SINCE: o->since = optarg; break;
		case OPT_UNTIL: o->until = optarg; break;
		case OPT_POLL:
			if ((rc = parse_poll(o, optarg)) >= 0)
				return rc;
			break;
		case 'h':
			hg_options_usage(stdout);
			return 0;
		case 'V':
			printf("hgtop %s\n", PACKAGE_VERSION);
			return 0;
		case ':':
			return usage_error("option '%s' needs an argument", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	o->npaths = argc - optind;
	o->paths = argv + optind;
	o->filter = o->n_filters ? o->filters[0] : NULL;
	o->verdict = o->n_verdicts ? o->verdicts[0] : NULL;
	o->tier = o->n_tiers ? o->tiers[0] : NULL;
	if ((rc = check_combination(o)) >= 0)
		return rc;
	return -1;
}

void
hg_options_free(struct hg_options *o)
{
	free(o->default_dir);
	o->default_dir = NULL;
	free(o->filters);
	free(o->verdicts);
	free(o->tiers);
	o->filters = o->verdicts = o->tiers = NULL;
}
