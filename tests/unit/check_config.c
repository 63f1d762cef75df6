/* check_config.c - the configuration file: defaults, every statement,
 * errors with file:line:column, named filters, and --dump-config read
 * back giving the same dump. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/config.h"
#include "hgtop/util.h"
#include "tmpdir.h"

static void
parse(struct hg_config *c, const char *text)
{
	hg_config_init(c);
	hg_config_parse(c, "cfg", text, strlen(text));
}

static char *
dump(const struct hg_config *c)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	ck_assert_ptr_nonnull(f);
	hg_config_dump(c, f);
	fclose(f);
	return buf;
}

/* The keys bound to REQ, space-separated, in table order. */
static void
keys_of(const struct hg_config *c, enum hg_ui_req req, char *buf, size_t n)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < c->n_binds; i++)
		if (c->binds[i].req == req)
			snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", buf[0] ? " " : "",
				 c->binds[i].key);
}

START_TEST(test_defaults)
{
	struct hg_config c;
	char keys[64];

	hg_config_init(&c);
	ck_assert_str_eq(c.sessions_dir, "~/.hyperguild/sessions");
	ck_assert_ptr_null(c.author);
	ck_assert(c.wrap && c.mouse && c.colors && c.follow && !c.read_only);
	ck_assert_int_eq(c.split, 55);
	ck_assert_int_eq(c.poll_ms, 0);
	keys_of(&c, HG_REQ_MOVE_DOWN, keys, sizeof(keys));
	ck_assert_str_eq(keys, "j Down");
	keys_of(&c, HG_REQ_TOGGLE, keys, sizeof(keys));
	ck_assert_str_eq(keys, "Enter Space");
	ck_assert_int_eq(c.color[UI_ROLE_HEADER].fg, UI_C_BLACK);
	ck_assert_int_eq(c.color[UI_ROLE_HEADER].bg, UI_C_CYAN);
	ck_assert_uint_eq(c.color[UI_ROLE_TITLE_FOC].attrs, UI_A_BOLD);
	ck_assert_int_eq(c.n_errors, 0);
	hg_config_free(&c);
}
END_TEST

START_TEST(test_names)
{
	char k[HG_CONFIG_KEY_MAX];

	ck_assert_str_eq(hg_config_request_name(HG_REQ_MOVE_DOWN), "move-down");
	ck_assert_str_eq(hg_config_request_name(HG_REQ_SEARCH_PREV), "search-prev");
	ck_assert_int_eq(hg_config_request("quit"), HG_REQ_QUIT);
	ck_assert_int_eq(hg_config_request("none"), HG_REQ_NONE);
	ck_assert_int_eq(hg_config_request("QUIT"), -1);
	ck_assert_str_eq(hg_config_role_name(UI_ROLE_TITLE_FOC), "title-foc");
	ck_assert(hg_config_key_name("pgdn", k, sizeof(k)));
	ck_assert_str_eq(k, "PgDn");
	ck_assert(hg_config_key_name("PageUp", k, sizeof(k)));
	ck_assert_str_eq(k, "PgUp");
	ck_assert(hg_config_key_name("^f", k, sizeof(k)));
	ck_assert_str_eq(k, "^F");
	ck_assert(hg_config_key_name("^I", k, sizeof(k)));
	ck_assert_str_eq(k, "Tab");
	ck_assert(hg_config_key_name("^M", k, sizeof(k)));
	ck_assert_str_eq(k, "Enter");
	ck_assert(hg_config_key_name("F12", k, sizeof(k)));
	ck_assert(hg_config_key_name("#", k, sizeof(k)));
	ck_assert_str_eq(k, "#");
	ck_assert(!hg_config_key_name("F13", k, sizeof(k)));
	ck_assert(!hg_config_key_name("^1", k, sizeof(k)));
	ck_assert(!hg_config_key_name("jj", k, sizeof(k)));
	ck_assert(!hg_config_key_name("\xc3\xa9", k, sizeof(k)));
}
END_TEST

START_TEST(test_settings)
{
	struct hg_config c;

	parse(&c, "# a comment\n\n  \t\nset sessions-dir = ~/logs\nset author \"Jane Doe\"\n"
		  "set wrap = off\nset mouse=no\nset colors off\nset follow = false\n"
		  "set read-only = on\nset split = 70\nset poll = 250\n");
	ck_assert_int_eq(c.n_errors, 0);
	ck_assert_str_eq(c.sessions_dir, "~/logs");
	ck_assert_str_eq(c.author, "Jane Doe");
	ck_assert(!c.wrap && !c.mouse && !c.colors && !c.follow && c.read_only);
	ck_assert_int_eq(c.split, 70);
	ck_assert_int_eq(c.poll_ms, 250);
	hg_config_free(&c);
}
END_TEST

START_TEST(test_bind)
{
	struct hg_config c;
	char keys[64];

	/* j moves to search: it leaves move-down; x is unbound. */
	parse(&c, "bind ^N move-down\nbind j search\nbind x none\n");
	ck_assert_int_eq(c.n_errors, 0);
	keys_of(&c, HG_REQ_MOVE_DOWN, keys, sizeof(keys));
	ck_assert_str_eq(keys, "Down ^N");
	keys_of(&c, HG_REQ_SEARCH, keys, sizeof(keys));
	ck_assert_str_eq(keys, "/ j");
	keys_of(&c, HG_REQ_CLEAR, keys, sizeof(keys));
	ck_assert_str_eq(keys, "");
	hg_config_free(&c);
}
END_TEST

START_TEST(test_color)
{
	struct hg_config c;

	parse(&c, "color header red 196 bold underline\ncolor key default 4\n"
		  "color title-foc white blue normal\n");
	ck_assert_int_eq(c.n_errors, 0);
	ck_assert_int_eq(c.color[UI_ROLE_HEADER].fg, UI_C_RED);
	ck_assert_int_eq(c.color[UI_ROLE_HEADER].bg, 196);
	ck_assert_uint_eq(c.color[UI_ROLE_HEADER].attrs, UI_A_BOLD | UI_A_UNDERLINE);
	ck_assert_int_eq(c.color[UI_ROLE_KEY].fg, UI_C_DEFAULT);
	ck_assert_int_eq(c.color[UI_ROLE_KEY].bg, UI_C_BLUE);
	ck_assert_uint_eq(c.color[UI_ROLE_KEY].attrs, 0);
	ck_assert_uint_eq(c.color[UI_ROLE_TITLE_FOC].attrs, 0);
	hg_config_free(&c);
}
END_TEST

/* Bad lines: the message names file:line:column of the offending token,
 * and the line changes nothing. */
static const struct {
	const char *line;
	const char *err;
} bad[] = {
	{ "bind j serach", "cfg:1:8: unknown request 'serach'" },
	{ "bind Foo quit", "cfg:1:6: unknown key 'Foo'" },
	{ "bind Mouse quit", "cfg:1:6: the mouse is not a key to bind (set mouse = off turns it off)" },
	{ "bind j", "cfg:1:7: bind: a request is expected after 'j'" },
	{ "bind j quit now", "cfg:1:13: unexpected 'now'" },
	{ "  set wrap = maybe", "cfg:1:14: wrap: 'maybe' is not on or off" },
	{ "set wrap = off # why", "cfg:1:16: a comment takes a line of its own" },
	{ "set split = 90", "cfg:1:13: split: '90' is not a percentage from 20 to 80" },
	{ "set split = 5x", "cfg:1:13: split: '5x' is not a percentage from 20 to 80" },
	{ "set poll = 5", "cfg:1:12: poll: '5' is not 0 (inotify) or milliseconds from 10 to 3600000" },
	{ "set colour = on", "cfg:1:5: unknown setting 'colour'" },
	{ "set wrap", "cfg:1:9: a value is expected after 'wrap'" },
	{ "set sessions-dir =", "cfg:1:19: sessions-dir: a directory is expected" },
	{ "color headr red blue", "cfg:1:7: unknown colour role 'headr'" },
	{ "color header pink blue", "cfg:1:14: unknown colour 'pink' (default, black, red, green, "
	  "yellow, blue, magenta, cyan, white or 0-255)" },
	{ "color header red 256", "cfg:1:18: unknown colour '256' (default, black, red, green, "
	  "yellow, blue, magenta, cyan, white or 0-255)" },
	{ "color header red", "cfg:1:17: a background colour is expected" },
	{ "color header red blue blink", "cfg:1:23: unknown attribute 'blink' (bold, dim, "
	  "underline, reverse, standout or normal)" },
	{ "filter errors = tier:", "cfg:1:22: filter errors: value expected after 'tier:'" },
	{ "filter \xc3\xa9t\xc3\xa9 = x y \"z", "cfg:1:8: filter: '\xc3\xa9t\xc3\xa9' is not a name "
	  "(letters, digits, '-' and '_', up to 32)" },
	{ "filter e = \xc3\xa9 \xc3\xa9 \"z", "cfg:1:16: filter e: unterminated quote" },
	{ "filter e verdict:error", "cfg:1:10: '=' expected after 'e'" },
	{ "filter e =", "cfg:1:11: filter e: an expression is expected" },
	{ "filter e = tier:local @x", "cfg:1:23: filter e: a named filter cannot use another (@x)" },
	{ "sett wrap = on", "cfg:1:1: unknown statement 'sett' (set, bind, color or filter)" },
	{ "set author = a\x1b[2Jb", "cfg:1:15: a control character or invalid UTF-8" },
	{ "set author = \xc3\xa9\xff", "cfg:1:15: a control character or invalid UTF-8" },
};

START_TEST(test_errors)
{
	struct hg_config c, d;
	char *a, *b;

	parse(&c, bad[_i].line);
	ck_assert_int_eq(c.n_errors, 1);
	ck_assert_str_eq(c.errors[0], bad[_i].err);
	hg_config_init(&d);
	a = dump(&c);
	b = dump(&d);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	hg_config_free(&d);
	hg_config_free(&c);
}
END_TEST

/* The rest of the file still applies; errors count per line. */
START_TEST(test_errors_rest)
{
	struct hg_config c;

	parse(&c, "set wrap = off\nbind j serach\r\nset split = 99\nset split = 30\n");
	ck_assert_int_eq(c.n_errors, 2);
	ck_assert_str_eq(c.errors[0], "cfg:2:8: unknown request 'serach'");
	ck_assert_str_eq(c.errors[1], "cfg:3:13: split: '99' is not a percentage from 20 to 80");
	ck_assert(!c.wrap);
	ck_assert_int_eq(c.split, 30);
	hg_config_free(&c);
}
END_TEST

START_TEST(test_filters)
{
	struct hg_config c;
	char err[128], *out;
	int col;

	parse(&c, "filter errors = verdict:error\nfilter slow = dur>10s\n"
		  "filter errors = verdict:error,escalate\n");
	ck_assert_int_eq(c.n_errors, 0);
	ck_assert_int_eq(c.n_filters, 2);
	ck_assert_str_eq(c.filters[0].name, "errors");
	ck_assert_str_eq(hg_config_filter(&c, "errors"), "verdict:error,escalate");
	ck_assert_ptr_null(hg_config_filter(&c, "fast"));
	ck_assert_int_eq(hg_config_expand(&c, "@errors tier:local", &out, err, sizeof(err), &col),
			 0);
	ck_assert_str_eq(out, "verdict:error,escalate tier:local");
	free(out);
	/* Not a reference: inside quotes, inside a word, "@" alone. */
	ck_assert_int_eq(hg_config_expand(&c, "\"@slow\" a@slow @ x", &out, err, sizeof(err),
					  &col), 0);
	ck_assert_str_eq(out, "\"@slow\" a@slow @ x");
	free(out);
	ck_assert_int_eq(hg_config_expand(&c, "", &out, err, sizeof(err), &col), 0);
	ck_assert_str_eq(out, "");
	free(out);
	ck_assert_int_eq(hg_config_expand(&c, "\xc3\xa9 @slo", &out, err, sizeof(err), &col), -1);
	ck_assert_str_eq(err, "unknown named filter '@slo'");
	ck_assert_int_eq(col, 3);
	hg_config_free(&c);
}
END_TEST

static const char *const round_trip[] = {
	"",
	"set author = \" Jane \\\"J\\\" Doe \"\nset sessions-dir = /srv/logs dir\n",
	"set wrap off\nset split 20\nbind ^N move-down\nbind j search\nbind x none\nbind q none\n"
	"bind Enter quit\nbind F5 redraw\nbind # help\n",
	"color header 202 default bold dim underline reverse standout\ncolor normal white black\n"
	"filter b = \"a b\" dur>1s\nfilter a = !verdict:accept\nfilter b = tier:local\n",
	"set author = \"\\\"quoted\\\"\"\nset colors = off\nset poll = 10\nset read-only = yes\n",
};

/* Dump, read the dump back, dump again: the same text. */
START_TEST(test_round_trip)
{
	struct hg_config c, d;
	char *a, *b;

	parse(&c, round_trip[_i]);
	ck_assert_int_eq(c.n_errors, 0);
	a = dump(&c);
	parse(&d, a);
	ck_assert_msg(d.n_errors == 0, "%s", d.n_errors ? d.errors[0] : "");
	b = dump(&d);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	hg_config_free(&c);
	hg_config_free(&d);
}
END_TEST

START_TEST(test_load)
{
	struct hg_config c;
	char err[256], *p, *q;

	tmpdir_create("config");
	p = tmp_path("missing");
	hg_config_init(&c);
	ck_assert_int_eq(hg_config_load(&c, p, "~/missing", false, err, sizeof(err)), 0);
	ck_assert_int_eq(c.n_errors, 0);
	ck_assert_int_eq(hg_config_load(&c, p, "x/missing", true, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "x/missing: No such file or directory");
	q = tmp_path("config");
	{
		FILE *f = fopen(q, "w");

		ck_assert_ptr_nonnull(f);
		fputs("set split = 40\nset wrap = of\n", f);
		fclose(f);
	}
	ck_assert_int_eq(hg_config_load(&c, q, "~/config", true, err, sizeof(err)), 0);
	ck_assert_int_eq(c.split, 40);
	ck_assert_int_eq(c.n_errors, 1);
	ck_assert_str_eq(c.errors[0], "~/config:2:12: wrap: 'of' is not on or off");
	hg_config_free(&c);
	free(p);
	free(q);
	teardown_tmp();
}
END_TEST

START_TEST(test_paths)
{
	struct hg_config c;
	char *p;

	setenv("HOME", "/home/u", 1);
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	p = hg_config_default_path();
	ck_assert_str_eq(p, "/xdg/hgtop/config");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative", 1);
	p = hg_config_default_path();
	ck_assert_str_eq(p, "/home/u/.config/hgtop/config");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	p = hg_config_default_path();
	ck_assert_str_eq(p, "/home/u/.config/hgtop/config");
	p = (free(p), hg_config_display_path("/home/u/.config/hgtop/config"));
	ck_assert_str_eq(p, "~/.config/hgtop/config");
	free(p);
	p = hg_config_display_path("/home/user/x");
	ck_assert_str_eq(p, "/home/user/x");
	free(p);
	hg_config_init(&c);
	p = hg_config_sessions_dir(&c);
	ck_assert_str_eq(p, "/home/u/.hyperguild/sessions");
	free(p);
	hg_config_free(&c);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_settings);
	tcase_add_test(tc, test_bind);
	tcase_add_test(tc, test_color);
	tcase_add_loop_test(tc, test_errors, 0, (int)HG_ARRAY_SIZE(bad));
	tcase_add_test(tc, test_errors_rest);
	tcase_add_test(tc, test_filters);
	tcase_add_loop_test(tc, test_round_trip, 0, (int)HG_ARRAY_SIZE(round_trip));
	tcase_add_test(tc, test_load);
	tcase_add_test(tc, test_paths);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
