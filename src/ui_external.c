/* ui_external.c - the selection handed to other programs: `o` shows it in
 * $PAGER (default "less -R"), `e` in $EDITOR (default "vi") on a read-only
 * temporary copy, `y` and `Y` copy it to the clipboard with OSC 52.
 *
 * What is handed over: with the detail pane focused, the field at its top
 * (ui_detail_top_field); else the whole entry. The text is sanitized
 * (export.h); the pager alone gets runner_output's colours, as SGR.
 *
 * While a child program runs, the terminal is its own: curses steps aside
 * (ui_display_handover), and hgtop ignores Ctrl-C and Ctrl-\ as a shell
 * does while it waits, so that they reach the child only; Ctrl-Z stops
 * both. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>

#include "hgtop/clip.h"
#include "hgtop/export.h"
#include "hgtop/sanitize.h"
#include "hgtop/session.h"
#include "hgtop/ui_view.h"

#define FIELD_MAX 128

/* What the selection is */

struct handout {
	struct hg_buf text;
	char what[FIELD_MAX + 32];	/* "runner_output", "line 3" */
	bool json;			/* the whole object, as JSON */
};

/* Why nothing can be handed out, or NULL. */
static const char *
no_entry(const struct hg_app *a)
{
	const struct hg_session *s = a->sel;

	if (!s || !a->has_entry || a->sel_entry >= s->n_entries)
		return "nothing selected: choose an entry first";
	return NULL;
}

static char *
read_line(struct hg_ui *u, size_t *n)
{
	const struct hg_app *a = u->app;
	const struct hg_entry *e = &a->sel->entries[a->sel_entry];
	char *line = hg_session_read_line(a->sel, e, n);

	if (!line)
		ui_message(u, true, "cannot read line %lld: %s", (long long)hg_entry_line(e),
			   errno == ESTALE ? "the file changed" : strerror(errno));
	return line;
}

/* The detail pane's field (focused), else the whole entry. */
static int
selection(struct hg_ui *u, struct handout *h, unsigned flags)
{
	const struct hg_app *a = u->app;
	const char *why = no_entry(a);
	char field[FIELD_MAX];
	bool detail = u->focus == UI_V_DETAIL && !ui_top(u);
	int32_t attempt = detail ? a->sel_attempt : -1;
	size_t n;
	char *line;

	if (why) {
		ui_message(u, true, "%s", why);
		return -1;
	}
	if (!(line = read_line(u, &n)))
		return -1;
	if (!detail || !ui_detail_top_field(ui_view(u, UI_V_DETAIL), field, sizeof(field)))
		field[0] = '\0';
	h->json = !hg_export_text(&h->text, line, n, attempt, field[0] ? field : NULL, flags);
	if (!h->json)
		snprintf(h->what, sizeof(h->what), "%s", field);
	else if (attempt >= 0)
		snprintf(h->what, sizeof(h->what), "attempt #%lld of line %lld",
			 (long long)hg_attempt_no(&a->sel->entries[a->sel_entry].attempts[attempt],
						  (uint32_t)attempt),
			 (long long)hg_entry_line(&a->sel->entries[a->sel_entry]));
	else
		snprintf(h->what, sizeof(h->what), "line %lld",
			 (long long)hg_entry_line(&a->sel->entries[a->sel_entry]));
	free(line);
	return 0;
}

/* Running a program */

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A temporary file holding TEXT, at PATH (PATH_MAX bytes); open for
 * reading, or -1 with a message. */
static int
temp_file(struct hg_ui *u, const struct handout *h, char *path, size_t n)
{
	const char *dir = getenv("TMPDIR");
	const char *ext = h->json ? ".json" : ".txt";
	int fd;

	snprintf(path, n, "%s/hgtop-XXXXXX%s", dir && *dir ? dir : "/tmp", ext);
	fd = mkostemps(path, (int)strlen(ext), O_CLOEXEC);
	if (fd < 0) {
		ui_message(u, true, "cannot make a temporary file in %s: %s",
			   dir && *dir ? dir : "/tmp", strerror(errno));
		return -1;
	}
	if (write_all(fd, h->text.p ? h->text.p : "", h->text.len) < 0 ||
	    lseek(fd, 0, SEEK_SET) < 0) {
		ui_message(u, true, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

static void
child(const char *cmd, const char *file, int in_fd)
{
	static const int sigs[] = { SIGINT, SIGQUIT, SIGTSTP, SIGPIPE, SIGTERM, SIGHUP };
	int out = ui_display_out_fd();
	sigset_t none;
	size_t i;

	for (i = 0; i < HG_ARRAY_SIZE(sigs); i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (in_fd >= 0 && in_fd != STDIN_FILENO)
		dup2(in_fd, STDIN_FILENO);
	if (out >= 0 && out != STDOUT_FILENO)
		dup2(out, STDOUT_FILENO);
	if (out >= 0 && !isatty(STDERR_FILENO))
		dup2(out, STDERR_FILENO);
	/* As git runs them: the variable is shell text, the file "$@". */
	if (file)
		execl("/bin/sh", "sh", "-c", xasprintf("%s \"$@\"", cmd), cmd, file, (char *)NULL);
	else
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

/* Run CMD (a shell command; with FILE, it gets FILE as its argument) on
 * the terminal, its stdin IN_FD. Returns its wait status, or -1. */
static int
run(const char *cmd, const char *file, int in_fd)
{
	struct sigaction ign, dfl, old_int, old_quit, old_tstp;
	int status = -1;
	pid_t pid;

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	dfl = ign;
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	/* Ctrl-Z stops the child and hgtop with it, as a shell job; both go
	 * on together, and curses stays out of the child's way meanwhile. */
	sigaction(SIGTSTP, &dfl, &old_tstp);
	ui_display_handover();
	pid = fork();
	if (pid == 0)
		child(cmd, file, in_fd);
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	sigaction(SIGTSTP, &old_tstp, NULL);
	ui_display_resume();
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	return pid < 0 ? -1 : status;
}

/* The outcome on the status line. */
static void
report(struct hg_ui *u, const char *var, const char *cmd, int status)
{
	if (status == -1)
		ui_message(u, true, "cannot start %s: %s", cmd, strerror(errno));
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		ui_message(u, true, "%s: command not found (%s=%s)", cmd, var, cmd);
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		ui_message(u, true, "%s exited with status %d", cmd, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		ui_message(u, true, "%s was killed by signal %d", cmd, WTERMSIG(status));
}

static const char *
command_of(const char *var, const char *dflt)
{
	const char *c = getenv(var);

	return c && c[strspn(c, " \t")] ? c : dflt;
}

unsigned
ui_cmd_open(struct hg_ui *u, bool editor)
{
	const char *var = editor ? "EDITOR" : "PAGER";
	const char *cmd = command_of(var, editor ? "vi" : "less -R");
	struct handout h = { 0 };
	char path[4096];
	int fd, status;

	if (selection(u, &h, editor ? 0 : HG_EXPORT_SGR) < 0)
		return UI_R_DRAW;
	fd = temp_file(u, &h, path, sizeof(path));
	hg_buf_free(&h.text);
	if (fd < 0)
		return UI_R_DRAW;
	if (editor) {
		/* A copy to read: changing it would change nothing. */
		close(fd);
		fd = -1;
		if (chmod(path, 0400) < 0) {
			ui_message(u, true, "cannot make %s read-only: %s", path, strerror(errno));
			unlink(path);
			return UI_R_DRAW;
		}
	} else {
		/* The pager reads it on its stdin: the name can go now. */
		unlink(path);
	}
	status = run(cmd, editor ? path : NULL, editor ? ui_display_fd() : fd);
	if (fd >= 0)
		close(fd);
	if (editor)
		unlink(path);
	report(u, var, cmd, status);
	if (status == 0)
		ui_message(u, false, "%s: %s shown in %s", var, h.what, cmd);
	return UI_R_DRAW | UI_R_LAYOUT;
}

/* Copying */

/* The selected row of the focused list as the screen shows it. */
static int
row_text(struct hg_ui *u, struct hg_buf *out)
{
	struct ui_view *v = ui_target(u);
	wchar_t wbuf[1024];
	char mb[8];
	int w = v->rect.w < 1023 ? v->rect.w : 1023, i, n;
	mbstate_t st;

	if (!v->ops->lines(v) || v->pos.lineno < v->pos.offset ||
	    v->pos.lineno - v->pos.offset >= (size_t)v->rect.h) {
		ui_message(u, true, "nothing selected to copy");
		return -1;
	}
	n = mvinnwstr(v->rect.y + (int)(v->pos.lineno - v->pos.offset), v->rect.x, wbuf, w);
	if (n == ERR)
		n = 0;
	wbuf[n > 0 ? n : 0] = L'\0';
	/* Neither the pane's padding nor the cursor bar. */
	while (n > 0 && wbuf[n - 1] == L' ')
		n--;
	for (i = 0; i < n && wbuf[i] == L' '; i++)
		;
	for (; i < n; i++) {
		size_t k;

		memset(&st, 0, sizeof(st));
		k = wcrtomb(mb, wbuf[i], &st);
		if (k != (size_t)-1)
			hg_buf_add(out, mb, k);
	}
	return 0;
}

static void
copy(struct hg_ui *u, const char *s, size_t n, const char *what)
{
	struct hg_buf seq = { 0 };
	size_t k = hg_clip_cut(s, n, HG_CLIP_MAX);
	char c1[32], c2[32];

	hg_osc52(&seq, s, k);
	hg_fmt_count(c1, sizeof(c1), (int64_t)k);
	hg_fmt_count(c2, sizeof(c2), (int64_t)n);
	if (ui_display_write(seq.p, seq.len) < 0)
		ui_message(u, true, "cannot write to the terminal: %s", strerror(errno));
	else if (k < n)
		ui_message(u, true, "copied the first %s of %s bytes of %s to the clipboard "
			   "(OSC 52; cut at 100 KB)", c1, c2, what);
	else
		ui_message(u, false, "copied %s byte%s of %s to the clipboard (OSC 52)", c1,
			   k == 1 ? "" : "s", what);
	hg_buf_free(&seq);
}

unsigned
ui_cmd_yank(struct hg_ui *u, bool raw)
{
	struct handout h = { 0 };
	const char *why;
	size_t n;
	char *line;

	if (raw) {
		if ((why = no_entry(u->app))) {
			ui_message(u, true, "%s", why);
			return UI_R_DRAW;
		}
		if (!(line = read_line(u, &n)))
			return UI_R_DRAW;
		snprintf(h.what, sizeof(h.what), "the JSON line %lld",
			 (long long)hg_entry_line(&u->app->sel->entries[u->app->sel_entry]));
		copy(u, line, n, h.what);
		free(line);
		return UI_R_DRAW;
	}
	if (u->focus == UI_V_DETAIL && !ui_top(u)) {
		if (selection(u, &h, 0) < 0)
			return UI_R_DRAW;
		/* The text without the newline that ends it. */
		if (h.text.len && h.text.p[h.text.len - 1] == '\n')
			h.text.len--;
	} else {
		if (row_text(u, &h.text) < 0)
			return UI_R_DRAW;
		snprintf(h.what, sizeof(h.what), "the row");
	}
	copy(u, h.text.p ? h.text.p : "", h.text.len, h.what);
	hg_buf_free(&h.text);
	return UI_R_DRAW;
}
