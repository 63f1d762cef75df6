/* tui_probe.c - time what a user of the interactive browser sees, through a
 * pseudo-terminal.
 *
 *   tui_probe [-x COLS] [-y ROWS] [-t TIMEOUT_S] MODE [OPTIONS] -- CMD [ARG]...
 *
 * CMD runs on a pty of COLS x ROWS (default 120 x 40) with TERM=xterm-256color,
 * LANG=LC_ALL=C.UTF-8 and HGTOP_KEYLOG set to a scratch file. Its output is
 * read all the time (so the program never blocks on the terminal) and fed
 * to a small terminal emulator, so "on screen" means what a terminal shows,
 * not which bytes happened to be sent: curses only sends the cells that
 * changed. Modes, each printing RESULT lines:
 *
 *   screen -m TEXT [-m TEXT]...
 *       Time from spawn until every TEXT is on screen (screen_ms), the
 *       keylog's "first-screen ms" (keylog_ms, counted by the program from
 *       its own start) and the time until the header line no longer says
 *       "loading" (loaded_ms), and how many different "loading N%" figures
 *       it showed meanwhile (progress).
 *
 *   keys [-e] -s LABEL=KEYS [-s LABEL=KEYS]...
 *       Waits until loading is over and the program is idle (with -e: only
 *       for the first screen, to press keys while it loads), then sends each
 *       KEYS (C escapes \r \n \e \t \\ allowed) in one write, waits for one
 *       keylog line per key and then for the program to be idle again (-e:
 *       100 ms), and prints per step (STEP LABEL ...): the keylog ms of its
 *       last key (handling + redraw: key_ms), the time from the write until
 *       the keylog had every key (wall_ms: includes waiting behind loading),
 *       the last "search ms" line it caused, and whether the header said
 *       "loading" when it was sent. A step whose screen says "not available"
 *       prints na=1.
 *
 *   follow -f FILE [-n TRIALS] [-i IDLE_S]
 *       Waits until loaded, then TRIALS times appends one complete entry line
 *       with a unique token to FILE (one write, O_APPEND) and times until the
 *       token is on screen; then the program's CPU ticks over IDLE_S seconds
 *       of no input. Prints the RESULT line of follow_latency.
 *
 * RESULT lines also give the program's peak RSS (peak_kb, VmHWM).
 * -D writes the emulated screen to stderr at the end (to check the probe).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "hgtop/gen.h"
#include "hgtop/parser.h"
#include "hgtop/util.h"

#include "benchutil.h"

#define MAX_PARAMS 16
#define IDLE_WINDOW_MS 300	/* no CPU tick for this long = idle */

/* The terminal emulator: the subset of xterm that curses uses. */

enum vt_state { VT_GROUND, VT_ESC, VT_CSI, VT_STRING, VT_STRING_ESC, VT_CHARSET };

struct vt {
	int rows, cols, y, x, top, bot, sy, sx;
	bool wrapnext, dec_graphics;
	uint32_t *cell;		/* codepoints; 0 = right half of a wide one */
	uint32_t last;		/* for REP */
	enum vt_state st;
	char csi[64];
	size_t ncsi;
	uint32_t cp;		/* UTF-8 decoding */
	int need;
	struct hg_buf text;	/* the screen as UTF-8 rows, rebuilt on demand */
	bool dirty;
};

static void
vt_init(struct vt *t, int rows, int cols)
{
	memset(t, 0, sizeof(*t));
	t->rows = rows;
	t->cols = cols;
	t->bot = rows - 1;
	t->cell = xcalloc((size_t)rows * (size_t)cols, sizeof(*t->cell));
	for (size_t i = 0; i < (size_t)rows * (size_t)cols; i++)
		t->cell[i] = ' ';
	t->dirty = true;
}

static uint32_t *
vt_at(struct vt *t, int y, int x)
{
	return &t->cell[(size_t)y * (size_t)t->cols + (size_t)x];
}

static void
vt_blank(struct vt *t, int y, int x0, int x1)
{
	int x;

	for (x = x0 < 0 ? 0 : x0; x < x1 && x < t->cols; x++)
		*vt_at(t, y, x) = ' ';
}

static void
vt_copy_row(struct vt *t, int to, int from)
{
	memcpy(vt_at(t, to, 0), vt_at(t, from, 0), (size_t)t->cols * sizeof(*t->cell));
}

/* Scroll rows [top, bot] up by n (down when n < 0). */
static void
vt_scroll(struct vt *t, int top, int bot, int n)
{
	int y, h = bot - top + 1;

	if (n > h)
		n = h;
	if (n < -h)
		n = -h;
	if (n > 0) {
		for (y = top; y + n <= bot; y++)
			vt_copy_row(t, y, y + n);
		for (y = bot - n + 1; y <= bot; y++)
			vt_blank(t, y, 0, t->cols);
	} else if (n < 0) {
		for (y = bot; y + n >= top; y--)
			vt_copy_row(t, y, y + n);
		for (y = top; y < top - n; y++)
			vt_blank(t, y, 0, t->cols);
	}
}

static void
vt_linefeed(struct vt *t)
{
	if (t->y == t->bot)
		vt_scroll(t, t->top, t->bot, 1);
	else if (t->y < t->rows - 1)
		t->y++;
}

static void
vt_goto(struct vt *t, int y, int x)
{
	t->y = y < 0 ? 0 : y >= t->rows ? t->rows - 1 : y;
	t->x = x < 0 ? 0 : x >= t->cols ? t->cols - 1 : x;
	t->wrapnext = false;
}

static uint32_t
vt_dec_graphics(uint32_t c)
{
	static const char from[] = "jklmnqtuvwx";
	static const uint32_t to[] = { 0x2518, 0x2510, 0x250c, 0x2514, 0x253c, 0x2500,
				       0x251c, 0x2524, 0x2534, 0x252c, 0x2502 };
	const char *p = c < 0x80 ? strchr(from, (int)c) : NULL;

	return p && c ? to[p - from] : c;
}

static void
vt_put(struct vt *t, uint32_t c)
{
	int w = c < 0x80 ? 1 : wcwidth((wchar_t)c);

	if (t->dec_graphics)
		c = vt_dec_graphics(c);
	if (w < 0)
		w = 1;
	if (w == 0)
		return;	/* combining marks do not move the cursor */
	if (t->wrapnext || t->x + w > t->cols) {
		t->x = 0;
		vt_linefeed(t);
	}
	t->wrapnext = false;
	*vt_at(t, t->y, t->x) = c;
	if (w == 2 && t->x + 1 < t->cols)
		*vt_at(t, t->y, t->x + 1) = 0;
	t->last = c;
	t->x += w;
	if (t->x >= t->cols) {
		t->x = t->cols - 1;
		t->wrapnext = true;
	}
}

static int
vt_params(const struct vt *t, int *p, bool *priv)
{
	const char *s = t->csi;
	int n = 0;

	*priv = s[0] == '?' || s[0] == '>' || s[0] == '<' || s[0] == '=';
	if (*priv)
		s++;
	p[0] = 0;
	while (*s && n < MAX_PARAMS) {
		if (*s >= '0' && *s <= '9') {
			p[n] = p[n] * 10 + (*s - '0');
		} else if (*s == ';' || *s == ':') {
			if (++n < MAX_PARAMS)
				p[n] = 0;
		}
		s++;
	}
	return n + 1;
}

static void
vt_erase(struct vt *t, char f, int mode)
{
	int y;

	if (f == 'K') {
		if (mode == 0)
			vt_blank(t, t->y, t->x, t->cols);
		else if (mode == 1)
			vt_blank(t, t->y, 0, t->x + 1);
		else
			vt_blank(t, t->y, 0, t->cols);
		return;
	}
	if (mode == 0) {
		vt_blank(t, t->y, t->x, t->cols);
		for (y = t->y + 1; y < t->rows; y++)
			vt_blank(t, y, 0, t->cols);
	} else if (mode == 1) {
		for (y = 0; y < t->y; y++)
			vt_blank(t, y, 0, t->cols);
		vt_blank(t, t->y, 0, t->x + 1);
	} else {
		for (y = 0; y < t->rows; y++)
			vt_blank(t, y, 0, t->cols);
	}
}

/* Insert (n > 0) or delete (n < 0) characters at the cursor. */
static void
vt_shift_chars(struct vt *t, int n)
{
	uint32_t *row = vt_at(t, t->y, 0);
	int x = t->x, w = t->cols - x;

	if (n > w)
		n = w;
	if (n < -w)
		n = -w;
	if (n > 0) {
		memmove(row + x + n, row + x, (size_t)(w - n) * sizeof(*row));
		vt_blank(t, t->y, x, x + n);
	} else if (n < 0) {
		memmove(row + x, row + x - n, (size_t)(w + n) * sizeof(*row));
		vt_blank(t, t->y, t->cols + n, t->cols);
	}
}

static void
vt_csi_edit(struct vt *t, char f, int n)
{
	int i;

	switch (f) {
	case 'L': case 'M':
		if (t->y >= t->top && t->y <= t->bot)
			vt_scroll(t, t->y, t->bot, f == 'L' ? -n : n);
		t->x = 0;
		break;
	case '@': vt_shift_chars(t, n); break;
	case 'P': vt_shift_chars(t, -n); break;
	case 'X': vt_blank(t, t->y, t->x, t->x + n); break;
	case 'S': vt_scroll(t, t->top, t->bot, n); break;
	case 'T': vt_scroll(t, t->top, t->bot, -n); break;
	case 'b':
		for (i = 0; i < n && i < 10000; i++)
			vt_put(t, t->last);
		break;
	default:
		break;
	}
}

static void
vt_csi(struct vt *t, char f)
{
	int p[MAX_PARAMS], np, n;
	bool priv;

	np = vt_params(t, p, &priv);
	n = p[0] > 0 ? p[0] : 1;
	if (priv) {
		/* 1049/47/1047: the alternate screen starts blank. */
		if ((f == 'h' || f == 'l') && (p[0] == 1049 || p[0] == 47 || p[0] == 1047))
			vt_erase(t, 'J', 2);
		return;
	}
	switch (f) {
	case 'A': vt_goto(t, t->y - n, t->x); break;
	case 'B': case 'e': vt_goto(t, t->y + n, t->x); break;
	case 'C': case 'a': vt_goto(t, t->y, t->x + n); break;
	case 'D': vt_goto(t, t->y, t->x - n); break;
	case 'E': vt_goto(t, t->y + n, 0); break;
	case 'F': vt_goto(t, t->y - n, 0); break;
	case 'G': case '`': vt_goto(t, t->y, n - 1); break;
	case 'd': vt_goto(t, n - 1, t->x); break;
	case 'H': case 'f': vt_goto(t, n - 1, (np > 1 && p[1] > 0 ? p[1] : 1) - 1); break;
	case 'J': case 'K': vt_erase(t, f, p[0]); break;
	case 'r':
		t->top = n - 1;
		t->bot = (np > 1 && p[1] > 0 ? p[1] : t->rows) - 1;
		if (t->top < 0 || t->top >= t->rows || t->bot >= t->rows || t->top >= t->bot) {
			t->top = 0;
			t->bot = t->rows - 1;
		}
		vt_goto(t, 0, 0);
		break;
	case 's': t->sy = t->y; t->sx = t->x; break;
	case 'u': vt_goto(t, t->sy, t->sx); break;
	default:
		vt_csi_edit(t, f, n);
		break;
	}
}

static void
vt_esc(struct vt *t, unsigned char c)
{
	t->st = VT_GROUND;
	switch (c) {
	case '[': t->st = VT_CSI; t->ncsi = 0; t->csi[0] = '\0'; break;
	case ']': case 'P': case '_': case '^': t->st = VT_STRING; break;
	case '(': case ')': case '*': case '+': t->st = VT_CHARSET; break;
	case '7': t->sy = t->y; t->sx = t->x; break;
	case '8': vt_goto(t, t->sy, t->sx); break;
	case 'D': vt_linefeed(t); break;
	case 'E': t->x = 0; vt_linefeed(t); break;
	case 'M':
		if (t->y == t->top)
			vt_scroll(t, t->top, t->bot, -1);
		else if (t->y > 0)
			t->y--;
		break;
	case 'c':
		vt_erase(t, 'J', 2);
		t->top = 0;
		t->bot = t->rows - 1;
		vt_goto(t, 0, 0);
		break;
	default:
		break;
	}
}

static void
vt_control(struct vt *t, unsigned char c)
{
	switch (c) {
	case '\r': t->x = 0; t->wrapnext = false; break;
	case '\n': case '\v': case '\f': vt_linefeed(t); t->wrapnext = false; break;
	case '\b': if (t->x > 0) t->x--; t->wrapnext = false; break;
	case '\t': vt_goto(t, t->y, (t->x / 8 + 1) * 8); break;
	case 0x1b: t->st = VT_ESC; break;
	case 0x0e: case 0x0f: break;	/* SO / SI: charset shifts */
	default: break;
	}
}

static void
vt_utf8(struct vt *t, unsigned char c)
{
	if (t->need && (c & 0xc0) == 0x80) {
		t->cp = (t->cp << 6) | (c & 0x3f);
		if (--t->need == 0)
			vt_put(t, t->cp);
		return;
	}
	t->need = 0;
	if (c >= 0xc0 && c < 0xe0) {
		t->cp = c & 0x1f;
		t->need = 1;
	} else if (c >= 0xe0 && c < 0xf0) {
		t->cp = c & 0x0f;
		t->need = 2;
	} else if (c >= 0xf0 && c < 0xf8) {
		t->cp = c & 0x07;
		t->need = 3;
	} else {
		vt_put(t, 0xfffd);
	}
}

static void
vt_byte(struct vt *t, unsigned char c)
{
	switch (t->st) {
	case VT_ESC:
		vt_esc(t, c);
		return;
	case VT_CHARSET:
		t->dec_graphics = c == '0';
		t->st = VT_GROUND;
		return;
	case VT_STRING:
		if (c == 0x07)
			t->st = VT_GROUND;
		else if (c == 0x1b)
			t->st = VT_STRING_ESC;
		return;
	case VT_STRING_ESC:
		t->st = c == '\\' ? VT_GROUND : VT_STRING;
		return;
	case VT_CSI:
		if (c >= 0x40 && c <= 0x7e) {
			t->csi[t->ncsi] = '\0';
			t->st = VT_GROUND;
			vt_csi(t, (char)c);
		} else if (c >= 0x30 && c <= 0x3f && t->ncsi + 1 < sizeof(t->csi)) {
			t->csi[t->ncsi++] = (char)c;
		} else if (c < 0x20) {
			vt_control(t, c);
		}
		return;
	case VT_GROUND:
		break;
	}
	if (c < 0x20 || c == 0x7f)
		vt_control(t, c);
	else if (c < 0x80) {
		t->need = 0;
		vt_put(t, c);
	} else
		vt_utf8(t, c);
}

static void
vt_feed(struct vt *t, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		vt_byte(t, (unsigned char)p[i]);
	if (n)
		t->dirty = true;
}

/* The screen as text, one '\n'-terminated line per row. */
static const struct hg_buf *
vt_text(struct vt *t)
{
	char u[8];
	int y, x;

	if (!t->dirty)
		return &t->text;
	hg_buf_reset(&t->text);
	for (y = 0; y < t->rows; y++) {
		for (x = 0; x < t->cols; x++) {
			uint32_t c = *vt_at(t, y, x);
			mbstate_t ms;
			size_t k;

			if (c == 0)
				continue;
			memset(&ms, 0, sizeof(ms));
			k = wcrtomb(u, (wchar_t)c, &ms);
			hg_buf_add(&t->text, k == (size_t)-1 ? "?" : u, k == (size_t)-1 ? 1 : k);
		}
		hg_buf_addc(&t->text, '\n');
	}
	t->dirty = false;
	return &t->text;
}

static bool
vt_has(struct vt *t, const char *s)
{
	const struct hg_buf *b = vt_text(t);

	return b->len && memmem(b->p, b->len, s, strlen(s)) != NULL;
}

/* The first row (the header) contains S. */
static bool
vt_header_has(struct vt *t, const char *s)
{
	const struct hg_buf *b = vt_text(t);
	const char *nl = b->len ? memchr(b->p, '\n', b->len) : NULL;

	return nl && memmem(b->p, (size_t)(nl - b->p), s, strlen(s)) != NULL;
}

/* The program on the pty */

struct probe {
	pid_t pid;
	int fd;
	bool exited;
	struct vt vt;
	char keylog[64];
	FILE *kl;		/* the keylog, read as it grows */
	char line[512];
	size_t nline;
	int timeout_s;
	int64_t t_spawn;
	/* What the keylog said since the last probe_mark(). */
	int keys;
	double last_key_ms, last_search_ms, first_screen_ms;
	long search_entries;
};

static void
child(char **cmd, const char *keylog)
{
	setenv("TERM", "xterm-256color", 1);
	setenv("LANG", "C.UTF-8", 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	setenv("HGTOP_KEYLOG", keylog, 1);
	/* curses prefers these to the pty size. */
	unsetenv("LINES");
	unsetenv("COLUMNS");
	execvp(cmd[0], cmd);
	_exit(127);
}

static void
probe_spawn(struct probe *p, char **cmd, int rows, int cols)
{
	struct winsize ws = { (unsigned short)rows, (unsigned short)cols, 0, 0 };
	int fd;

	snprintf(p->keylog, sizeof(p->keylog), "%s", "/tmp/tui_probe.XXXXXX");
	fd = mkstemp(p->keylog);
	if (fd < 0)
		die("mkstemp: %s", strerror(errno));
	close(fd);
	p->kl = fopen(p->keylog, "r");
	if (!p->kl)
		die("%s: %s", p->keylog, strerror(errno));
	vt_init(&p->vt, rows, cols);
	p->first_screen_ms = -1;
	p->t_spawn = hg_now_mono_ns();
	p->pid = forkpty(&p->fd, NULL, NULL, &ws);
	if (p->pid < 0)
		die("forkpty: %s", strerror(errno));
	if (p->pid == 0)
		child(cmd, p->keylog);
	fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL) | O_NONBLOCK);
}

static void
keylog_line(struct probe *p, const char *l)
{
	double ms;
	long n = -1;

	if (sscanf(l, "first-screen ms=%lf", &ms) == 1) {
		p->first_screen_ms = ms;
	} else if (strncmp(l, "key=", 4) == 0) {
		const char *m = strstr(l, " ms=");

		if (m) {
			p->keys++;
			p->last_key_ms = atof(m + 4);
		}
	} else if (sscanf(l, "search ms=%lf entries=%ld", &ms, &n) >= 1) {
		p->last_search_ms = ms;
		p->search_entries = n;
	}
}

static void
keylog_read(struct probe *p)
{
	int c;

	clearerr(p->kl);
	while ((c = getc(p->kl)) != EOF) {
		if (c != '\n') {
			if (p->nline + 1 < sizeof(p->line))
				p->line[p->nline++] = (char)c;
			continue;
		}
		p->line[p->nline] = '\0';
		keylog_line(p, p->line);
		p->nline = 0;
	}
}

static void
probe_mark(struct probe *p)
{
	keylog_read(p);
	p->keys = 0;
	p->last_key_ms = p->last_search_ms = -1;
	p->search_entries = -1;
}

/* Read what the program wrote, waiting up to ms for something. */
static void
pump(struct probe *p, int ms)
{
	struct pollfd pfd = { p->fd, POLLIN, 0 };
	char buf[65536];
	ssize_t n;

	if (!p->exited && poll(&pfd, 1, ms) > 0) {
		while ((n = read(p->fd, buf, sizeof(buf))) > 0)
			vt_feed(&p->vt, buf, (size_t)n);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			p->exited = true;	/* EIO: the pty's other side closed */
	} else if (p->exited) {
		sleep_ms(ms);
	}
	keylog_read(p);
}

static double
since_ms(int64_t t0)
{
	return (double)(hg_now_mono_ns() - t0) / 1e6;
}

static void
check_deadline(struct probe *p, int64_t t0, const char *what)
{
	if (p->exited)
		die("the program exited while waiting for %s", what);
	if (since_ms(t0) > p->timeout_s * 1000.0)
		die("timed out after %d s waiting for %s", p->timeout_s, what);
}

/* Its peak resident set (VmHWM), in kB; -1 when unknown. */
static long
peak_rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Until the program used no CPU tick for IDLE_WINDOW_MS, reading its output. */
static void
wait_idle(struct probe *p, const char *what)
{
	int64_t t0 = hg_now_mono_ns(), w0 = t0;
	long long ticks = cpu_ticks(p->pid), now;

	for (;;) {
		pump(p, 20);
		check_deadline(p, t0, what);
		now = cpu_ticks(p->pid);
		if (now != ticks) {
			ticks = now;
			w0 = hg_now_mono_ns();
		} else if (since_ms(w0) >= IDLE_WINDOW_MS) {
			return;
		}
	}
}

/* Loaded: something is on screen, the header no longer says "loading" and
 * the program is idle. */
static void
wait_loaded(struct probe *p)
{
	int64_t t0 = hg_now_mono_ns();

	while (p->first_screen_ms < 0 || vt_header_has(&p->vt, "loading")) {
		pump(p, 50);
		check_deadline(p, t0, "the end of loading");
	}
	wait_idle(p, "the program to be idle after loading");
}

static int
probe_stop(struct probe *p)
{
	int i, status = 0;

	if (write(p->fd, "q", 1) < 0)
		(void)0;
	for (i = 0; i < 300; i++) {
		pump(p, 10);
		if (waitpid(p->pid, &status, WNOHANG) == p->pid)
			goto done;
	}
	kill(p->pid, SIGTERM);
	for (i = 0; i < 100; i++) {
		pump(p, 10);
		if (waitpid(p->pid, &status, WNOHANG) == p->pid)
			goto done;
	}
	kill(p->pid, SIGKILL);
	waitpid(p->pid, &status, 0);
done:
	close(p->fd);
	fclose(p->kl);
	unlink(p->keylog);
	free(p->vt.cell);
	hg_buf_free(&p->vt.text);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Mode: screen */

/* The "loading N%" figure of the header, or -1. */
static int
header_percent(struct vt *t)
{
	const struct hg_buf *b = vt_text(t);
	const char *nl = b->len ? memchr(b->p, '\n', b->len) : NULL;
	const char *l = nl ? memmem(b->p, (size_t)(nl - b->p), "loading ", 8) : NULL;

	return l ? atoi(l + 8) : -1;
}

static int
mode_screen(struct probe *p, char **markers, int n_markers)
{
	double screen_ms = -1, loaded_ms = -1;
	int i, pc, last_pc = -1, progress = 0;

	for (;;) {
		bool all = true;

		pump(p, 5);
		pc = header_percent(&p->vt);
		if (pc >= 0 && pc != last_pc) {
			progress++;
			last_pc = pc;
		}
		for (i = 0; i < n_markers && all; i++)
			all = vt_has(&p->vt, markers[i]);
		if (all && screen_ms < 0)
			screen_ms = since_ms(p->t_spawn);
		if (screen_ms >= 0 && p->first_screen_ms >= 0 &&
		    !vt_header_has(&p->vt, "loading")) {
			loaded_ms = since_ms(p->t_spawn);
			break;
		}
		check_deadline(p, p->t_spawn, screen_ms < 0 ? "the markers" : "the end of loading");
	}
	printf("RESULT screen_ms=%.1f keylog_ms=%.1f loaded_ms=%.1f peak_kb=%ld progress=%d\n",
	       screen_ms, p->first_screen_ms, loaded_ms, peak_rss_kb(p->pid), progress);
	return 0;
}

/* Mode: keys */

static size_t
unescape(const char *s, char *out, size_t cap)
{
	size_t n = 0;

	for (; *s && n + 1 < cap; s++) {
		char c = *s;

		if (c == '\\' && s[1]) {
			s++;
			c = *s == 'r' ? '\r' : *s == 'n' ? '\n' : *s == 't' ? '\t' :
			    *s == 'e' ? 0x1b : *s;
		}
		out[n++] = c;
	}
	out[n] = '\0';
	return n;
}

/* Sleep while reading the program's output. */
static void
drain_for(struct probe *p, long ms)
{
	int64_t end = hg_now_mono_ns() + ms * 1000000LL;

	while (hg_now_mono_ns() < end)
		pump(p, (int)((end - hg_now_mono_ns()) / 1000000) + 1);
}

/* Send one step; wall_ms runs from the write until the keylog holds a line
 * for each of its keys, so it includes any wait behind other work. */
static void
run_step(struct probe *p, const char *spec, bool early)
{
	const char *eq = strchr(spec, '=');
	char keys[256], label[64];
	bool loading;
	double wall;
	size_t n;
	int64_t t0;

	if (!eq || eq == spec)
		die("a step is LABEL=KEYS, not %s", spec);
	snprintf(label, sizeof(label), "%.*s", (int)(eq - spec), spec);
	n = unescape(eq + 1, keys, sizeof(keys));
	probe_mark(p);
	loading = vt_header_has(&p->vt, "loading");
	t0 = hg_now_mono_ns();
	if (write(p->fd, keys, n) != (ssize_t)n)
		die("write to the pty: %s", strerror(errno));
	while (p->keys < (int)n) {
		pump(p, 1);
		check_deadline(p, t0, label);
	}
	wall = since_ms(t0);
	if (early)
		drain_for(p, 100);
	else
		wait_idle(p, label);
	printf("STEP %s key_ms=%.3f wall_ms=%.3f search_ms=%.1f search_entries=%ld "
	       "loading=%d na=%d\n", label, p->last_key_ms, wall, p->last_search_ms,
	       p->search_entries, loading ? 1 : 0, vt_has(&p->vt, "not available") ? 1 : 0);
	fflush(stdout);
}

static int
mode_keys(struct probe *p, char **steps, int n_steps, bool early)
{
	int64_t t0 = hg_now_mono_ns();
	int i;

	if (early) {
		while (p->first_screen_ms < 0) {
			pump(p, 5);
			check_deadline(p, t0, "the first screen");
		}
		drain_for(p, 50);
	} else {
		wait_loaded(p);
	}
	printf("%s loaded_ms=%.1f first_screen_ms=%.1f peak_kb=%ld\n",
	       early ? "STARTED" : "LOADED", since_ms(p->t_spawn), p->first_screen_ms,
	       peak_rss_kb(p->pid));
	for (i = 0; i < n_steps; i++)
		run_step(p, steps[i], early);
	printf("RESULT steps=%d peak_kb=%ld\n", n_steps, peak_rss_kb(p->pid));
	return 0;
}

/* Mode: follow */

/* One probe entry, exactly as hyperguild would write it. */
static void
probe_line(struct hg_buf *b, const char *sid, const char *token)
{
	char msg[128], ts[HG_TIME_LEN];

	hg_buf_reset(b);
	hg_buf_adds(b, "{\"session_id\":");
	hg_json_string(b, sid, strlen(sid), 0);
	hg_buf_adds(b, ",\"timestamp\":\"");
	hg_format_time(hg_now_wall_ns(), 0, false, ts, sizeof(ts));
	hg_buf_adds(b, ts);
	hg_buf_adds(b, "\",\"skill\":\"write-file\",\"attempts\":[{\"attempt\":1,"
		    "\"model\":\"qwen2.5-coder-7b\",\"tier\":\"local\",\"duration_ms\":1234,"
		    "\"warm_start\":true,\"verified\":true,\"verdict\":\"accept\"");
	snprintf(msg, sizeof(msg), "probe %s", token);
	hg_buf_adds(b, "}],\"final_status\":\"ok\",\"duration_ms\":1300,\"message\":");
	hg_json_string(b, msg, strlen(msg), 0);
	hg_buf_adds(b, "}\n");
}

/* Append a probe and wait until its token is on screen; -1 on timeout. */
static int64_t
follow_trial(struct probe *p, const char *file, const char *sid, const char *token,
	     int64_t limit_ns)
{
	struct hg_buf b = { 0 };
	int64_t t0;

	probe_line(&b, sid, token);
	t0 = hg_now_mono_ns();
	append(file, &b);
	hg_buf_free(&b);
	for (;;) {
		pump(p, 1);
		if (vt_has(&p->vt, token))
			return hg_now_mono_ns() - t0;
		if (p->exited)
			die("the program exited while following");
		if (hg_now_mono_ns() - t0 > limit_ns)
			return -1;
	}
}

static int
mode_follow(struct probe *p, const char *file, int trials, int idle_s)
{
	char *sid = session_of(file), token[64];
	int64_t *lat = xcalloc((size_t)trials, sizeof(*lat)), d;
	struct hg_gen g;
	long long t0, t1;
	int i, n = 0, timeouts = 0;

	wait_loaded(p);
	hg_gen_init(&g, (uint64_t)getpid(), 0);
	snprintf(token, sizeof(token), "w%d-warmup", (int)getpid());
	if (follow_trial(p, file, sid, token, (int64_t)p->timeout_s * 1000000000LL) < 0)
		die("the warm-up probe never showed on screen");
	for (i = 0; i < trials; i++) {
		drain_for(p, (long)hg_gen_range(&g, 20, 60));
		snprintf(token, sizeof(token), "p%d-%d-%08llx", (int)getpid(), i,
			 (unsigned long long)(hg_gen_u64(&g) & 0xffffffffu));
		d = follow_trial(p, file, sid, token, 5000000000LL);
		if (d >= 0)
			lat[n++] = d;
		else
			timeouts++;
	}
	drain_for(p, 200);	/* let the last redraw settle */
	t0 = cpu_ticks(p->pid);
	drain_for(p, (long)idle_s * 1000);
	t1 = cpu_ticks(p->pid);
	qsort(lat, (size_t)n, sizeof(*lat), cmp_i64);
	printf("RESULT n=%d median_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f timeouts=%d "
	       "idle_ticks=%lld idle_s=%d clk_tck=%ld peak_kb=%ld\n", n,
	       n ? ms_at(lat, n, 0.5) : -1.0, n ? ms_at(lat, n, 0.9) : -1.0,
	       n ? ms_at(lat, n, 0.99) : -1.0, n ? (double)lat[n - 1] / 1e6 : -1.0,
	       timeouts, t0 >= 0 && t1 >= 0 ? t1 - t0 : -1LL, idle_s, sysconf(_SC_CLK_TCK),
	       peak_rss_kb(p->pid));
	hg_gen_free(&g);
	free(lat);
	free(sid);
	return 0;
}

/* Main */

static void
usage(void)
{
	fprintf(stderr,
		"usage: tui_probe [-x COLS] [-y ROWS] [-t TIMEOUT_S] screen -m TEXT... -- CMD [ARG]...\n"
		"       tui_probe [-x COLS] [-y ROWS] [-t TIMEOUT_S] keys [-e] -s LABEL=KEYS... -- CMD [ARG]...\n"
		"       tui_probe [-x COLS] [-y ROWS] [-t TIMEOUT_S] follow -f FILE [-n TRIALS] [-i IDLE_S] -- CMD [ARG]...\n");
	exit(2);
}

struct args {
	int cols, rows, timeout_s, trials, idle_s, n_markers, n_steps;
	bool dump, early;
	char *markers[32], *steps[256];
	const char *file;
};

static int
parse_opts(struct args *a, int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "+x:y:t:m:s:f:n:i:De")) != -1) {
		switch (c) {
		case 'x': a->cols = atoi(optarg); break;
		case 'y': a->rows = atoi(optarg); break;
		case 't': a->timeout_s = atoi(optarg); break;
		case 'n': a->trials = atoi(optarg); break;
		case 'i': a->idle_s = atoi(optarg); break;
		case 'f': a->file = optarg; break;
		case 'D': a->dump = true; break;
		case 'e': a->early = true; break;
		case 'm':
			if (a->n_markers < (int)HG_ARRAY_SIZE(a->markers))
				a->markers[a->n_markers++] = optarg;
			break;
		case 's':
			if (a->n_steps < (int)HG_ARRAY_SIZE(a->steps))
				a->steps[a->n_steps++] = optarg;
			break;
		default: usage();
		}
	}
	return optind;
}

int
main(int argc, char **argv)
{
	struct args a = { 120, 40, 300, 200, 10, 0, 0, false, false, { 0 }, { 0 }, NULL };
	struct probe p;
	const char *mode;
	int i, rc = 2, status;

	setlocale(LC_ALL, "C.UTF-8");
	i = parse_opts(&a, argc, argv);
	if (i >= argc)
		usage();
	mode = argv[i];
	optind = i + 1;
	/* getopt takes the "--" before CMD itself. */
	i = parse_opts(&a, argc, argv);
	if (i >= argc || strcmp(argv[i - 1], "--") != 0 || a.cols < 20 || a.rows < 5 ||
	    a.trials < 1)
		usage();
	signal(SIGPIPE, SIG_IGN);
	memset(&p, 0, sizeof(p));
	p.timeout_s = a.timeout_s;
	if (strcmp(mode, "screen") == 0 && a.n_markers) {
		probe_spawn(&p, argv + i, a.rows, a.cols);
		rc = mode_screen(&p, a.markers, a.n_markers);
	} else if (strcmp(mode, "keys") == 0) {
		probe_spawn(&p, argv + i, a.rows, a.cols);
		rc = mode_keys(&p, a.steps, a.n_steps, a.early);
	} else if (strcmp(mode, "follow") == 0 && a.file) {
		probe_spawn(&p, argv + i, a.rows, a.cols);
		rc = mode_follow(&p, a.file, a.trials, a.idle_s);
	} else {
		usage();
	}
	if (a.dump)
		fwrite(vt_text(&p.vt)->p, 1, vt_text(&p.vt)->len, stderr);
	status = probe_stop(&p);
	if (status != 0)
		fprintf(stderr, "tui_probe: the program exited with status %d\n", status);
	return rc ? rc : status != 0;
}
