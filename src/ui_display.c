/* ui_display.c - terminal init/teardown, colour roles and glyphs. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "hgtop/config.h"
#include "hgtop/termtext.h"
#include "hgtop/ui_draw.h"

static const struct ui_glyphs glyphs_utf8 = {
	"▸", "▾", "→", "✎", "│", "●", "✝", "…", "✓", "✗", "─",
	"→", "·",
};
static const struct ui_glyphs glyphs_ascii = {
	">", "v", "->", "*", "|", "*", "x", "~", "+", "x", "-",
	">", "-",
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

/* --- a fatal signal ---------------------------------------------------------
 *
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT go through the app's self-pipe: the
 * loop quits and endwin() restores the terminal. The others that would end
 * hgtop (a crash: SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT; or a signal
 * nobody sends it but someone might) cannot wait for the loop: the handler
 * puts the terminal back as it was at start, with async-signal-safe calls
 * only (write and tcsetattr on what was prepared at init), then lets the
 * signal do what it would have done. */

/* Bracketed paste (ui_input.c reads what it brings). */
#define PASTE_ON "\033[?2004h"
#define PASTE_OFF "\033[?2004l"

static const int fatal_sigs[] = {
	SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS, SIGXCPU,
	SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF,
};
static struct sigaction fatal_old[HG_ARRAY_SIZE(fatal_sigs)];
static bool fatal_set;
static int tty_fd = -1;
static struct termios tty_saved;
static bool tty_saved_ok;
static char tty_reset[256];	/* leave the alternate screen, cursor on, ... */
static size_t tty_reset_len;

static void
reset_add(const char *cap)
{
	size_t n;

	if (!cap || cap == (const char *)-1)
		return;
	n = strlen(cap);
	if (tty_reset_len + n < sizeof(tty_reset)) {
		memcpy(tty_reset + tty_reset_len, cap, n);
		tty_reset_len += n;
	}
}

static void
on_fatal(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;
	size_t i;

	(void)uc;
	if (tty_fd >= 0) {
		if (tty_reset_len && write(tty_fd, tty_reset, tty_reset_len) < 0) {
			/* Nothing more to try. */
		}
		if (tty_saved_ok)
			tcsetattr(tty_fd, TCSANOW, &tty_saved);
	}
	/* What was there before (the default, or a sanitizer's report). */
	for (i = 0; i < HG_ARRAY_SIZE(fatal_sigs); i++)
		if (fatal_sigs[i] == sig)
			sigaction(sig, &fatal_old[i], NULL);
	/* A fault happens again on return; anything sent is sent again. */
	if (si->si_code <= 0 || sig == SIGABRT || sig == SIGTRAP || sig == SIGSYS ||
	    sig == SIGXCPU || sig == SIGUSR1 || sig == SIGUSR2 || sig == SIGALRM ||
	    sig == SIGVTALRM || sig == SIGPROF)
		raise(sig);
	errno = saved;
}

static void
fatal_signals(bool install)
{
	struct sigaction sa;
	size_t i;

	if (install == fatal_set)
		return;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_sigaction = on_fatal;
	sa.sa_flags = SA_SIGINFO;
	for (i = 0; i < HG_ARRAY_SIZE(fatal_sigs); i++) {
		if (install) {
			/* One the user chose to ignore stays ignored. */
			sigaction(fatal_sigs[i], NULL, &fatal_old[i]);
			if (fatal_old[i].sa_handler != SIG_IGN)
				sigaction(fatal_sigs[i], &sa, NULL);
		} else {
			sigaction(fatal_sigs[i], &fatal_old[i], NULL);
		}
	}
	fatal_set = install;
}

/* What the handler needs, prepared while it is safe to call anything. */
static void
prepare_reset(void)
{
	tty_fd = fileno(tty_out);
	tty_reset_len = 0;
	reset_add(tigetstr("sgr0"));
	reset_add(tigetstr("cnorm"));
	reset_add(tigetstr("rmkx"));
	/* Mouse reporting off: M may turn it on while running. */
	reset_add("\033[?1000l\033[?1002l\033[?1006l");
	reset_add(PASTE_OFF);
	reset_add(tigetstr("rmcup"));
	reset_add("\r\n");
	fatal_signals(true);
}

static void
paste_mode(bool on)
{
	fputs(on ? PASTE_ON : PASTE_OFF, tty_out);
	fflush(tty_out);
}

/* Ctrl-Z: curses' own handler (endwin, stop, refresh on return) with
 * bracketed paste off while stopped, so the shell gets no brackets. */
static struct sigaction tstp_old;
static bool tstp_set;

static void
tstp_raw(const char *s, size_t n)
{
	if (tty_fd >= 0 && write(tty_fd, s, n) < 0) {
		/* Nothing more to try. */
	}
}

static void
on_tstp(int sig)
{
	struct sigaction dfl, mine;
	sigset_t set;

	tstp_raw(PASTE_OFF, sizeof(PASTE_OFF) - 1);
	if (!(tstp_old.sa_flags & SA_SIGINFO) && tstp_old.sa_handler != SIG_DFL &&
	    tstp_old.sa_handler != SIG_IGN) {
		tstp_old.sa_handler(sig);
	} else {
		/* Nobody else handles it: stop with the default action. */
		memset(&dfl, 0, sizeof(dfl));
		dfl.sa_handler = SIG_DFL;
		sigemptyset(&dfl.sa_mask);
		sigaction(SIGTSTP, &dfl, &mine);
		sigemptyset(&set);
		sigaddset(&set, SIGTSTP);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		raise(SIGTSTP);
		sigaction(SIGTSTP, &mine, NULL);
	}
	tstp_raw(PASTE_ON, sizeof(PASTE_ON) - 1);
}

static void
suspend_signal(bool install)
{
	struct sigaction sa;

	if (install == tstp_set)
		return;
	if (install) {
		sigaction(SIGTSTP, NULL, &tstp_old);
		if (tstp_old.sa_handler == SIG_IGN)
			return;
		memset(&sa, 0, sizeof(sa));
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = on_tstp;
		sa.sa_flags = SA_RESTART;
		sigaction(SIGTSTP, &sa, NULL);
	} else {
		sigaction(SIGTSTP, &tstp_old, NULL);
	}
	tstp_set = install;
}

/* stdin may be the data ("hgtop -"): talk to the terminal through /dev/tty. */
static int
open_terminal(void)
{
	const char *cup;

	tty_in = stdin;
	tty_out = stdout;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		FILE *f = fopen("/dev/tty", "r+e");

		if (!f)
			return -1;
		tty_in = tty_out = f;
	}
	/* The modes to put back should hgtop die of a signal. */
	tty_saved_ok = tcgetattr(fileno(tty_in), &tty_saved) == 0;
	screen = newterm(NULL, tty_out, tty_in);
	if (!screen)
		return -1;
	/* A terminal that cannot move the cursor (TERM=dumb) cannot show
	 * the panes: refused rather than scribbled on. */
	cup = tigetstr("cup");
	if (!cup || cup == (char *)-1) {
		endwin();
		delscreen(screen);
		screen = NULL;
		return -1;
	}
	return 0;
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
	ui_display_mouse(cfg->mouse);
	colour = cfg->colors && !(nc && *nc) && has_colors();
	if (colour) {
		start_color();
		use_default_colors();
	}
	init_roles(cfg);
	prepare_reset();
	suspend_signal(true);
	paste_mode(true);
	return 0;
}

void
ui_display_mouse(bool on)
{
	mousemask(on ? BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED : 0,
		  NULL);
	if (on)
		mouseinterval(0);
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
	paste_mode(false);
	suspend_signal(false);
	fatal_signals(false);
	tty_fd = -1;
	endwin();
	fflush(tty_out);
	delscreen(screen);
	screen = NULL;
	if (tty_in && tty_in != stdin)
		fclose(tty_in);
	tty_in = tty_out = NULL;
}

/* Handing the terminal to another program (a pager, an editor): curses
 * steps aside, bracketed paste and the mouse are off, and the modes come
 * back in ui_display_resume. */
static mmask_t handover_mouse;

void
ui_display_handover(void)
{
	if (!screen)
		return;
	paste_mode(false);
	mousemask(0, &handover_mouse);
	def_prog_mode();
	endwin();
	fflush(tty_out);
}

void
ui_display_resume(void)
{
	if (!screen)
		return;
	reset_prog_mode();
	if (handover_mouse)
		mousemask(handover_mouse, NULL);
	clearok(curscr, TRUE);
	refresh();
	paste_mode(true);
}

/* The terminal's output descriptor (a child's stdout and stderr). */
int
ui_display_out_fd(void)
{
	return tty_out ? fileno(tty_out) : -1;
}

/* Bytes for the terminal itself (OSC 52), after what curses drew. */
int
ui_display_write(const char *s, size_t n)
{
	if (!tty_out)
		return -1;
	if (fwrite(s, 1, n, tty_out) != n || fflush(tty_out) != 0)
		return -1;
	return 0;
}
