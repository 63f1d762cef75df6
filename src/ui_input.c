/* ui_input.c - keys from the terminal: bytes become characters here, and
 * a bracketed paste becomes text.
 *
 * Characters are assembled from the bytes curses reads (wgetch), as UTF-8
 * whatever the locale: under LANG=C a typed "é" is still the two bytes of
 * UTF-8 that the terminal sent, and is kept as typed. A byte that is not
 * UTF-8 is refused and said (on the prompt, or the status line), and the
 * keys after it are kept.
 *
 * The display asks the terminal for bracketed paste (ESC [ ? 2004 h): a
 * paste then arrives between ESC [ 200 ~ and ESC [ 201 ~, which curses
 * hands over as plain characters. Between the two, nothing is a key: the
 * text goes to the open prompt (ui_prompt_paste), newlines included, or is
 * ignored with a message when no prompt is open. The text of a paste is
 * read straight from the terminal in 64 KB reads (curses reads a byte per
 * system call: 540 KB took 6 s that way, 0.4 s so); what follows its end
 * in the same read is made keys of as curses would (tail_get). */
#include "config.h"

#include <curses.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hgtop/sanitize.h"
#include "hgtop/ui_prompt.h"
#include "hgtop/ui_view.h"

#define PASTE_MAX (1024 * 1024)	/* bytes of one paste kept */
#define SEQ_WAIT_MS 50		/* the rest of a sequence already sent */

static const char paste_start[] = "[200~";	/* after ESC */
static const char paste_end[] = "\033[201~";

static struct {
	int queue[16];		/* read ahead, given back first */
	size_t nq;
	struct hg_buf tail;	/* read after a paste's end, before curses reads */
	size_t tail_at;
	bool pasting;
	size_t end_match;	/* bytes of paste_end seen */
	bool cr;		/* the last pasted byte was '\r' */
	struct hg_buf paste;
	size_t dropped;		/* bytes past PASTE_MAX */
} in;

/* The next key of what followed a paste: a key's sequence (as curses
 * knows them) or one byte. */
static int
tail_get(void)
{
	const char *p = in.tail.p + in.tail_at;
	size_t left = in.tail.len - in.tail_at, n;
	char seq[16];
	int k;

	for (n = 2; *p == 27 && n <= left && n < sizeof(seq); n++) {
		memcpy(seq, p, n);
		seq[n] = '\0';
		k = key_defined(seq);
		if (k > 0) {
			in.tail_at += n;
			return k;
		}
		if (k == 0)
			break;
	}
	in.tail_at++;
	return (unsigned char)*p;
}

/* The next key or byte: given back ones first, then curses (ERR: none).
 * WAIT: wait a moment for one (the rest of a sequence). */
static int
raw_get(bool wait)
{
	int c;

	if (in.nq) {
		c = in.queue[0];
		memmove(in.queue, in.queue + 1, --in.nq * sizeof(in.queue[0]));
		return c;
	}
	if (in.tail_at < in.tail.len)
		return tail_get();
	if (!wait)
		return getch();
	timeout(SEQ_WAIT_MS);
	c = getch();
	nodelay(stdscr, TRUE);
	return c;
}

static void
give_back(const int *c, size_t n)
{
	if (n + in.nq > HG_ARRAY_SIZE(in.queue))
		n = HG_ARRAY_SIZE(in.queue) - in.nq;
	memmove(in.queue + n, in.queue, in.nq * sizeof(in.queue[0]));
	memcpy(in.queue, c, n * sizeof(in.queue[0]));
	in.nq += n;
}

/* After an ESC: does SEQ follow? If not, what was read is given back. */
static bool
sequence(const char *seq)
{
	int got[8];
	size_t n;

	for (n = 0; seq[n]; n++) {
		int c = raw_get(n > 0);

		if (c == ERR) {
			give_back(got, n);
			return false;
		}
		got[n] = c;
		if (c != (unsigned char)seq[n]) {
			give_back(got, n + 1);
			return false;
		}
	}
	return true;
}

/* Input refused: on the open prompt (it stays there, and the note says it
 * with its outcome), else on the status line. */
static void
refuse(struct hg_ui *u, const unsigned char *b, size_t n)
{
	char msg[160];

	snprintf(msg, sizeof(msg), "invalid UTF-8 input refused (%zu byte%s: 0x%02X%s)%s", n,
		 n == 1 ? "" : "s", b[0], n > 1 ? "..." : "",
		 ui_utf8 ? "" : "; non-ASCII input needs a UTF-8 locale");
	if (u->prompt)
		ui_prompt_refuse(u, msg);
	else
		ui_message(u, true, "%s", msg);
	u->pending |= UI_R_DRAW;
}

/* A byte >= 0x80 starts a character: read its continuation bytes. Returns
 * the code point, or -1 when the bytes were refused. */
static long
utf8_char(struct hg_ui *u, int lead)
{
	unsigned char b[4];
	size_t n = 1, need, k;
	uint32_t cp;

	b[0] = (unsigned char)lead;
	need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	while (n < need) {
		int c = raw_get(true);

		if (c == ERR)
			break;
		if (c < 0x80 || c > 0xBF) {
			give_back(&c, 1);
			break;
		}
		b[n++] = (unsigned char)c;
	}
	k = hg_utf8_decode((const char *)b, n, &cp);
	if (cp == HG_UTF8_INVALID || k != n) {
		refuse(u, b, n);
		return -1;
	}
	return (long)cp;
}

static void
paste_add(int c)
{
	if (c == '\n' && in.cr) {
		in.cr = false;
		return;
	}
	in.cr = c == '\r';
	if (c == '\r')
		c = '\n';
	if (in.paste.len >= PASTE_MAX) {
		in.dropped++;
		return;
	}
	hg_buf_addc(&in.paste, (char)c);
}

/* One byte of a paste: text, or part of its end. True at its end. */
static bool
paste_byte(int c)
{
	size_t i;

	if (c >= KEY_MIN)	/* a key curses saw in the text: not text */
		return false;
	if (c == (unsigned char)paste_end[in.end_match]) {
		if (paste_end[++in.end_match])
			return false;
		in.end_match = 0;
		return true;
	}
	/* What looked like the end was text. */
	for (i = 0; i < in.end_match; i++)
		paste_add((unsigned char)paste_end[i]);
	in.end_match = c == paste_end[0];
	if (!in.end_match)
		paste_add(c);
	return false;
}

/* What followed a paste in the same read: read before curses reads more
 * (tail_get makes keys of it as curses would). */
static void
give_back_bytes(const char *p, size_t n)
{
	if (in.tail_at == in.tail.len) {
		hg_buf_reset(&in.tail);
		in.tail_at = 0;
	}
	hg_buf_add(&in.tail, p, n);
}

/* The terminal's bytes in bulk (curses reads one byte per system call,
 * too slow for a large paste): 0 when none is there. */
static ssize_t
bulk_read(char *buf, size_t n)
{
	struct pollfd pfd = { .fd = ui_display_fd(), .events = POLLIN };
	ssize_t r;

	if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & (POLLIN | POLLHUP)))
		return 0;
	r = read(pfd.fd, buf, n);
	return r > 0 ? r : 0;
}

static void
paste_done(struct hg_ui *u)
{
	char n1[32], n2[32], msg[128];

	in.pasting = false;
	if (!u->prompt) {
		ui_message(u, false, "paste ignored: no prompt open");
	} else {
		ui_search_interrupt(u);
		u->pending |= ui_prompt_paste(u, in.paste.p ? in.paste.p : "", in.paste.len);
		if (in.dropped) {
			hg_fmt_count(n1, sizeof(n1), (int64_t)in.dropped);
			hg_fmt_count(n2, sizeof(n2), PASTE_MAX);
			snprintf(msg, sizeof(msg), "paste cut: %s bytes past the first %s left out",
				 n1, n2);
			ui_prompt_refuse(u, msg);
		}
	}
	hg_buf_reset(&in.paste);
	in.dropped = 0;
	u->pending |= UI_R_DRAW;
}

/* Inside a paste: collect until its end, first what was read ahead, then
 * straight from the terminal. Curses holds nothing of it then: it hands
 * out what it read ahead of an ESC before reading more, and reads no
 * further than the "~" that starts a paste. Returns false when no more
 * input is there yet (the paste goes on in a later turn). */
static bool
paste_read(struct hg_ui *u)
{
	static char buf[64 * 1024];
	ssize_t n, i;
	int c;

	while (in.pasting) {
		if (in.nq || in.tail_at < in.tail.len) {
			c = raw_get(false);
			if (paste_byte(c))
				paste_done(u);
			continue;
		}
		if ((n = bulk_read(buf, sizeof(buf))) == 0)
			return false;
		for (i = 0; i < n; i++) {
			if (paste_byte((unsigned char)buf[i])) {
				paste_done(u);
				give_back_bytes(buf + i + 1, (size_t)(n - i - 1));
				break;
			}
		}
	}
	return true;
}

bool
ui_input_next(struct hg_ui *u, int *rc, wint_t *ch)
{
	for (;;) {
		long cp;
		int c;

		if (in.pasting && !paste_read(u))
			return false;
		c = raw_get(false);
		if (c == ERR)
			return false;
		if (c == 27 && sequence(paste_start)) {
			in.pasting = true;
			in.cr = false;
			in.end_match = 0;
			continue;
		}
		if (c >= KEY_MIN) {
			*rc = KEY_CODE_YES;
			*ch = (wint_t)c;
			return true;
		}
		cp = c < 0x80 ? c : utf8_char(u, c);
		if (cp < 0)
			continue;
		*rc = OK;
		*ch = (wint_t)cp;
		return true;
	}
}

void
ui_input_done(void)
{
	hg_buf_free(&in.paste);
	hg_buf_free(&in.tail);
	memset(&in, 0, sizeof(in));
}
