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

/* hgtop keeps a NUL character inside a string as C0 80 (HG_NUL, never
 * valid UTF-8 otherwise): it is the one byte 00 to Go. */
static void
quote(FILE *out, const char *s, size_t n)
{
	size_t i;

	fputc('"', out);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0xc0 && i + 1 < n && (unsigned char)s[i + 1] == 0x80) {
			fputs("\\x00", out);
			i++;
		} else if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
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
	const char *p = s;
	uint32_t go_len = len;

	/* Go's length: a NUL is one byte, not two. */
	while (p && (p = memchr(p, 0xc0, (size_t)(s + len - p))) && p + 1 < s + len) {
		if ((unsigned char)p[1] == 0x80)
			go_len--;
		p++;
	}
	fprintf(out, "%u", go_len);
	if (s && len > 0 && len < HG_SHORT_TEXT_MAX) {
		fputc(':', out);
		quote(out, s, len);
	}
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Go's time.RFC3339Nano of sec (since the epoch, UTC) + nsec in the zone
 * tz_min, for the times hgtop's nanoseconds do not reach. */
static void
far_time(int64_t sec, int32_t nsec, int tz_min, char *buf, size_t n)
{
	int64_t z, era, doe, yoe, doy, mp, y, days, sod;
	int m, d, digits = 9, a = tz_min < 0 ? -tz_min : tz_min;
	char fr[16] = "", zone[16] = "Z";

	sec += (int64_t)tz_min * 60;
	days = floor_div(sec, 86400);
	sod = sec - days * 86400;
	z = days + 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = (int)(doy - (153 * mp + 2) / 5 + 1);
	m = (int)(mp < 10 ? mp + 3 : mp - 9);
	y = yoe + era * 400 + (m <= 2);
	if (nsec) {
		snprintf(fr, sizeof(fr), ".%09d", (int)nsec);
		while (fr[digits] == '0')
			fr[digits--] = '\0';
	}
	if (tz_min)
		snprintf(zone, sizeof(zone), "%c%02d:%02d", tz_min < 0 ? '-' : '+', a / 60, a % 60);
	snprintf(buf, n, "%04lld-%02d-%02dT%02d:%02d:%02d%s%s", (long long)y, m, d, (int)(sod / 3600),
		 (int)(sod / 60 % 60), (int)(sod % 60), fr, zone);
}

#define ZERO_TIME_SEC INT64_C(-62135596800)	/* 0001-01-01T00:00:00Z */

static void
dump(FILE *out, const struct hg_entry *e)
{
	char ts[HG_TIME_LEN];
	uint32_t i;

	if (e->ts_zero)
		far_time(ZERO_TIME_SEC, 0, e->tz_min, ts, sizeof(ts));
	else if (e->ts_ns == INT64_MIN || e->ts_ns == INT64_MAX)
		far_time(e->more->far_sec, e->more->far_nsec, e->tz_min, ts, sizeof(ts));
	else
		hg_format_time(e->ts_ns, e->tz_min, e->ts_zero, ts, sizeof(ts));
	fputs("session_id=", out);
	qs(out, hg_entry_str(e, HG_E_SESSION_ID));
	fprintf(out, " timestamp=%s skill=", ts);
	qs(out, hg_entry_str(e, HG_E_SKILL));
	fputs(" phase=", out);
	qs(out, hg_entry_str(e, HG_E_PHASE));
	fputs(" project_root=", out);
	qs(out, hg_entry_str(e, HG_E_PROJECT_ROOT));
	fprintf(out, " input=%s final_status=", e->has_input ? "true" : "false");
	qs(out, hg_entry_str(e, HG_E_FINAL_STATUS));
	fputs(" file_path=", out);
	qs(out, hg_sym_str(e->file_path));
	fputs(" model_used=", out);
	qs(out, hg_entry_str(e, HG_E_MODEL_USED));
	fprintf(out, " duration_ms=%lld message=", (long long)hg_entry_ms(e));
	text(out, hg_entry_message(e), hg_entry_message_len(e));
	fprintf(out, " attempts=%u", e->n_attempts);
	for (i = 0; i < e->n_attempts; i++) {
		const struct hg_attempt *a = &e->attempts[i];

		fprintf(out, " {attempt=%lld model=", (long long)hg_attempt_no(a, i));
		qs(out, hg_sym_str(hg_attempt_model(a)));
		fputs(" tier=", out);
		qs(out, hg_attempt_tier(a));
		fprintf(out, " duration_ms=%lld warm_start=%s verified=%s verdict=",
			(long long)hg_attempt_ms(a), hg_attempt_warm(a) ? "true" : "false",
			hg_attempt_verified(a) ? "true" : "false");
		qs(out, hg_attempt_verdict(a));
		fputs(" feedback=", out);
		text(out, hg_attempt_feedback(e, i), hg_attempt_feedback_len(a));
		fprintf(out, " output_summary=%s runner_output=%s}",
			hg_attempt_has_output_summary(a) ? "true" : "false", hg_attempt_has_runner_output(a) ? "true" : "false");
	}
}

/* The line of e as it is in the file: its bytes, and its length there
 * with a '\r' before the newline counted. */
static char *
raw_line(int fd, const struct hg_entry *e, size_t *raw)
{
	char *buf = xmalloc((size_t)hg_entry_length(e) + 2);
	ssize_t r = pread(fd, buf, (size_t)hg_entry_length(e) + 1, (off_t)e->offset);

	if (r < hg_entry_length(e)) {
		fprintf(stderr, "dump: cannot read line %lld\n", (long long)hg_entry_line(e));
		exit(1);
	}
	*raw = (size_t)hg_entry_length(e) + (r > hg_entry_length(e) &&
					     buf[hg_entry_length(e)] == '\r');
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

		printf("%s:%lld ", path, (long long)hg_entry_line(e));
		switch (hg_goread_line(line, (size_t)hg_entry_length(e), raw, msg, sizeof(msg))) {
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
