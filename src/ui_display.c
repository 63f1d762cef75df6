/* ui_display.c - terminal init/teardown, colour roles and glyphs. */
#include "config.h"

#include <curses.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hgtop/config.h"
#include "hgtop/termtext.h"
#include "hgtop/ui_draw.h"

static const struct ui_glyphs glyphs_utf8 = {
	"▸", "▾", "→", "✎", "│", "●", "✝", "…", "✓", "✗", "─",
};
static const struct ui_glyphs glyphs_ascii = {
	">", "v", "->", "*", "|", "*", "x", "~", "+", "x", "-",
};

const struct ui_glyphs *ui_g = &glyphs_ascii;
bool ui_utf8;

static SCREEN *screen;
static FILE *tty_in, *tty_out;
static bool colour;
static int role_attr[UI_ROLE_N];

/* Pairs for runner_output colours, allocated on first use. */
#define TT_PAIRS 512
static struct { uint16_t fg, bg; short pair; } tt_pair[TT_PAIRS];
static int n_tt_pairs;

/* Monochrome stays as in the table; the colours are the configuration's
 * (its defaults are the table's). */
static const unsigned mono_attrs[UI_ROLE_N] = {
#define UI_ROLE_MONO(name, fg, bg, ca, ma) [UI_ROLE_##name] = ma,
	UI_ROLES(UI_ROLE_MONO)
#undef UI_ROLE_MONO
};

static int
curses_attrs(unsigned a)
{
	return (a & UI_A_BOLD ? A_BOLD : 0) | (a & UI_A_DIM ? A_DIM : 0) |
	       (a & UI_A_UNDERLINE ? A_UNDERLINE : 0) | (a & UI_A_REVERSE ? A_REVERSE : 0) |
	       (a & UI_A_STANDOUT ? A_STANDOUT : 0);
}

/* A configured colour the terminal lacks: bright ones fold onto the
 * eight, others become the default. */
static short
role_colour(int c)
{
	if (c < 0 || c < COLORS)
		return (short)c;
	return c >= 8 && c < 16 ? (short)(c - 8) : -1;
}

static void
init_roles(const struct hg_config *cfg)
{
	int i;

	for (i = 0; i < UI_ROLE_N; i++) {
		const struct hg_config_color *d = &cfg->color[i];

		if (!colour) {
			role_attr[i] = curses_attrs(mono_attrs[i]);
			continue;
		}
		init_pair((short)(i + 1), role_colour(d->fg), role_colour(d->bg));
		role_attr[i] = (int)COLOR_PAIR(i + 1) | curses_attrs(d->attrs);
	}
}

int
ui_attr(enum ui_role role)
{
	return role_attr[role];
}

static short
tt_colour(uint16_t c)
{
	if (c == HG_TT_DEFAULT)
		return -1;
	if (c >= COLORS) {
		/* Fold bright and 256-colour indexes onto what the terminal has. */
		if (c >= 8 && c < 16)
			return (short)(c - 8);
		return -1;
	}
	return (short)c;
}

static int
tt_pair_for(uint16_t fg, uint16_t bg)
{
	short f = tt_colour(fg), b = tt_colour(bg);
	int i;

	if (f < 0 && b < 0)
		return 0;
	for (i = 0; i < n_tt_pairs; i++)
		if (tt_pair[i].fg == fg && tt_pair[i].bg == bg)
			return COLOR_PAIR(tt_pair[i].pair);
	if (n_tt_pairs >= TT_PAIRS || UI_ROLE_N + 1 + n_tt_pairs >= COLOR_PAIRS)
		return 0;
	tt_pair[n_tt_pairs].fg = fg;
	tt_pair[n_tt_pairs].bg = bg;
	tt_pair[n_tt_pairs].pair = (short)(UI_ROLE_N + 1 + n_tt_pairs);
	init_pair(tt_pair[n_tt_pairs].pair, f, b);
	return COLOR_PAIR(tt_pair[n_tt_pairs++].pair);
}

int
ui_tt_attr(uint16_t fg, uint16_t bg, uint16_t attrs)
{
	int a = 0;

	if (attrs & HG_TT_BOLD)
		a |= A_BOLD;
	if (attrs & HG_TT_DIM)
		a |= A_DIM;
	if (attrs & HG_TT_UNDERLINE)
		a |= A_UNDERLINE;
	if (attrs & HG_TT_REVERSE)
		a |= A_REVERSE;
#ifdef A_ITALIC
	if (attrs & HG_TT_ITALIC)
		a |= A_ITALIC;
#endif
	if (colour)
		a |= tt_pair_for(fg, bg);
	return a;
}

/* stdin may be the data ("hgtop -"): talk to the terminal through /dev/tty. */
static int
open_terminal(void)
{
	tty_in = stdin;
	tty_out = stdout;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		FILE *f = fopen("/dev/tty", "r+e");

		if (!f)
			return -1;
		tty_in = tty_out = f;
	}
	screen = newterm(NULL, tty_out, tty_in);
	return screen ? 0 : -1;
}

int
ui_display_init(const struct hg_config *cfg)
{
	const char *nc = getenv("NO_COLOR");

	ui_utf8 = hg_utf8_locale();
	ui_g = ui_utf8 ? &glyphs_utf8 : &glyphs_ascii;
	if (open_terminal() < 0)
		return -1;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (cfg->mouse) {
		mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED |
			  BUTTON5_PRESSED, NULL);
		mouseinterval(0);
	}
	colour = cfg->colors && !(nc && *nc) && has_colors();
	if (colour) {
		start_color();
		use_default_colors();
	}
	init_roles(cfg);
	return 0;
}

int
ui_display_fd(void)
{
	return fileno(tty_in);
}

/* Safe to call more than once, from die() and from signal paths in the
 * loop: the terminal is restored exactly once. */
void
ui_display_done(void)
{
	if (!screen)
		return;
	endwin();
	fflush(tty_out);
	delscreen(screen);
	screen = NULL;
	if (tty_in && tty_in != stdin)
		fclose(tty_in);
	tty_in = tty_out = NULL;
}
