/* dump.c - hgtop's side of tests/fidelity.test: each line of each file as
 * hgtop reads it (the session reader, the parser and goread's verdict),
 * printed as the Go program tests/fidelity/go prints hyperguild's:
 * "FILE:N ok DUMP", "FILE:N stop ERROR" or "FILE:N skip", then
 * "FILE first-stop N" from the session's own verdict. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hgtop/entry.h"
#include "hgtop/goread.h"
#include "hgtop/parser.h"
#include "hgtop/session.h"
#include "hgtop/util.h"

static void
quote(FILE *out, const char *s, size_t n)
{
	size_t i;

	fputc('"', out);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			fputc(c, out);
		else
			fprintf(out, "\\x%02x", c);
	}
	fputc('"', out);
}

static void
qs(FILE *out, const char *s)
{
	quote(out, s ? s : "", s ? strlen(s) : 0);
}

/* "len" or "len:\"text\"" when hgtop keeps the text (shorter than
 * HG_SHORT_TEXT_MAX, as the Go side prints it). */
static void
text(FILE *out, const char *s, uint32_t len)
{
	fprintf(out, "%u", len);
	if (s && len > 0 && len < HG_SHORT_TEXT_MAX) {
		fputc(':', out);
		quote(out, s, len);
	}
}

static void
dump(FILE *out, const struct hg_entry *e)
{
	char ts[HG_TIME_LEN];
	uint32_t i;

	hg_format_time(e->ts_ns, e->tz_min, e->ts_zero, ts, sizeof(ts));
	fputs("session_id=", out);
	qs(out, e->session_id);
	fprintf(out, " timestamp=%s skill=", ts);
	qs(out, e->skill);
	fputs(" phase=", out);
	qs(out, e->phase);
	fputs(" project_root=", out);
	qs(out, e->project_root);
	fprintf(out, " input=%s final_status=", e->has_input ? "true" : "false");
	qs(out, e->final_status);
	fputs(" file_path=", out);
	qs(out, e->file_path);
	fputs(" model_used=", out);
	qs(out, e->model_used);
	fprintf(out, " duration_ms=%lld message=", (long long)e->duration_ms);
	text(out, e->message, e->message_len);
	fprintf(out, " attempts=%u", e->n_attempts);
	for (i = 0; i < e->n_attempts; i++) {
		const struct hg_attempt *a = &e->attempts[i];

		fprintf(out, " {attempt=%lld model=", (long long)a->attempt);
		qs(out, a->model);
		fputs(" tier=", out);
		qs(out, a->tier_text);
		fprintf(out, " duration_ms=%lld warm_start=%s verified=%s verdict=",
			(long long)a->duration_ms, a->warm_start ? "true" : "false",
			a->verified ? "true" : "false");
		qs(out, a->verdict_text);
		fputs(" feedback=", out);
		text(out, a->feedback, a->feedback_len);
		fprintf(out, " output_summary=%s runner_output=%s}",
			a->has_output_summary ? "true" : "false", a->has_runner_output ? "true" : "false");
	}
}

/* The line of e as it is in the file: its bytes, and its length there
 * with a '\r' before the newline counted. */
static char *
raw_line(int fd, const struct hg_entry *e, size_t *raw)
{
	char *buf = xmalloc((size_t)e->length + 2);
	ssize_t r = pread(fd, buf, (size_t)e->length + 1, (off_t)e->offset);

	if (r < e->length) {
		fprintf(stderr, "dump: cannot read line %lld\n", (long long)e->line_no);
		exit(1);
	}
	*raw = (size_t)e->length + (r > e->length && buf[e->length] == '\r');
	return buf;
}

static int
dump_file(const char *path)
{
	struct hg_session *s = hg_session_new(path);
	struct hg_ingest_result r;
	int fd;
	size_t i;

	r = hg_session_ingest(s, 0);
	if (r.status != HG_INGEST_OK) {
		fprintf(stderr, "dump: %s: %s\n", path, strerror(r.err));
		return 1;
	}
	hg_session_take_partial(s);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "dump: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (i = 0; i < s->n_entries; i++) {
		const struct hg_entry *e = &s->entries[i];
		char msg[HG_GOREAD_MSG];
		size_t raw;
		char *line = raw_line(fd, e, &raw);

		printf("%s:%lld ", path, (long long)e->line_no);
		switch (hg_goread_line(line, (size_t)e->length, raw, msg, sizeof(msg))) {
		case HG_GOREAD_OK:
			fputs("ok ", stdout);
			dump(stdout, e);
			fputc('\n', stdout);
			break;
		case HG_GOREAD_SKIP:
			puts("skip");
			break;
		default:
			printf("stop %s\n", msg);
			break;
		}
		free(line);
	}
	close(fd);
	printf("%s first-stop %lld\n", path, (long long)(hg_session_go(s) == HG_GO_STOPS ? s->go_stop_line : 0));
	hg_session_free(s);
	return 0;
}

int
main(int argc, char **argv)
{
	int i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: dump FILE...\n");
		return 2;
	}
	for (i = 1; i < argc; i++)
		rc |= dump_file(argv[i]);
	if (fflush(stdout) != 0)
		rc = 1;
	return rc;
}
