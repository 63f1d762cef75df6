/* annotate.c - annotation entries: build, append, and attach to targets.
 *
 * The line is built with cJSON so it is valid JSON whatever the text holds;
 * invalid UTF-8 is replaced by U+FFFD first, so hyperguild's Go reader and
 * hgtop's parser read back the same text. */
#include "config.h"

#include "hgtop/annotate.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hgtop/parser.h"
#include "hgtop/sanitize.h"
#include "hgtop/values.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Building the line */

/* s with one U+FFFD for each byte of a malformed UTF-8 sequence, as Go's
 * encoding/json does (malloc'd). */
static char *
valid_utf8(const char *s)
{
	size_t n = strlen(s), i = 0;
	struct hg_buf b = { 0 };

	hg_buf_reserve(&b, n + 1);
	while (i < n) {
		uint32_t cp;
		size_t k = hg_utf8_decode(s + i, n - i, &cp);

		if (cp == HG_UTF8_INVALID) {
			size_t j;

			for (j = 0; j < k; j++)
				hg_buf_adds(&b, "\xEF\xBF\xBD");
		} else {
			hg_buf_add(&b, s + i, k);
		}
		i += k;
	}
	hg_buf_addc(&b, '\0');
	return b.p;
}

/* Zone offset of the local time at t, in minutes (Go prints the same). */
static int
local_zone_minutes(time_t t)
{
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return 0;
	return (int)(tm.tm_gmtoff / 60);
}

static void
format_now(int64_t now_ns, char *buf, size_t n)
{
	time_t t = (time_t)(now_ns / 1000000000);

	hg_format_time(now_ns, local_zone_minutes(t), false, buf, n);
}

/*
 * The target's timestamp exactly as its line has it: the line is read
 * again from the file (the model keeps only the parsed time). Also checks
 * the line is still the entry the caller saw.
 */
static int
target_timestamp(const struct hg_session *s, const struct hg_entry *t, char *ts, size_t tslen,
		 char *err, size_t errlen)
{
	size_t len;
	char *line = hg_session_read_line(s, t, &len);
	const cJSON *v, *sk;
	cJSON *root;
	int rc = 0;

	if (!line) {
		if (errno == ESTALE)
			return fail(err, errlen, "file changed since it was read");
		return fail(err, errlen, "cannot read line %lld: %s", (long long)hg_entry_line(t),
			    strerror(errno));
	}
	root = hg_values_parse(line, len, 0);
	free(line);
	sk = cJSON_GetObjectItemCaseSensitive(root, "skill");
	v = cJSON_GetObjectItemCaseSensitive(root, "timestamp");
	if (!cJSON_IsObject(root) || !cJSON_IsString(sk) ||
	    strcmp(sk->valuestring, hg_entry_str(t, HG_E_SKILL)) != 0)
		rc = fail(err, errlen, "file changed since it was read");
	else if (cJSON_IsString(v) && strlen(v->valuestring) < tslen)
		snprintf(ts, tslen, "%s", v->valuestring);
	else if (t->ts_zero)
		hg_format_time(0, 0, true, ts, tslen);	/* absent or null: Go's zero time */
	else
		rc = fail(err, errlen, "line %lld has no usable timestamp",
			  (long long)hg_entry_line(t));
	cJSON_Delete(root);
	return rc;
}

static bool
has_attempt(const struct hg_entry *t, int64_t n)
{
	uint32_t i;

	for (i = 0; i < t->n_attempts; i++)
		if (hg_attempt_no(&t->attempts[i], i) == n)
			return true;
	return false;
}

static int
check_target(const struct hg_entry *t, int64_t attempt, char *err, size_t errlen)
{
	if (t->kind == HG_ENTRY_UNPARSABLE)
		return fail(err, errlen, "line %lld is unparsable; nothing to annotate",
			    (long long)hg_entry_line(t));
	if (t->kind == HG_ENTRY_ANNOTATION)
		return fail(err, errlen, "line %lld is an annotation; annotate its entry instead",
			    (long long)hg_entry_line(t));
	if (attempt != HG_ANNOTATE_ENTRY && !has_attempt(t, attempt))
		return fail(err, errlen, "entry has no attempt #%lld", (long long)attempt);
	return 0;
}

static void
add_string(cJSON *obj, const char *key, const char *s)
{
	char *v = valid_utf8(s);

	cJSON_AddItemToObject(obj, key, cJSON_CreateString(v));
	free(v);
}

/* The Entry, fields in Go struct order. */
static cJSON *
make_entry(const char *sid, const char *now, const struct hg_entry *t, const char *ts,
	   int64_t attempt, const char *author, const char *text)
{
	cJSON *root = cJSON_CreateObject(), *in = cJSON_CreateObject();

	add_string(root, "session_id", sid);
	add_string(root, "timestamp", now);
	add_string(root, "skill", HG_ANNOTATE_SKILL);
	cJSON_AddNumberToObject(in, "target_line", (double)hg_entry_line(t));
	add_string(in, "target_timestamp", ts);
	add_string(in, "target_skill", hg_entry_str(t, HG_E_SKILL));
	if (attempt != HG_ANNOTATE_ENTRY)
		cJSON_AddNumberToObject(in, "target_attempt", (double)attempt);
	add_string(in, "author", author);
	cJSON_AddItemToObject(root, "input", in);
	add_string(root, "final_status", HG_ANNOTATE_STATUS);
	add_string(root, "message", text);
	return root;
}

int
hg_annotate_build(struct hg_buf *out, const struct hg_session *s, const struct hg_entry *target,
		  int64_t target_attempt, const char *author, const char *text, int64_t now_ns,
		  char *err, size_t errlen)
{
	char now[48], ts[64];
	const char *sid;
	cJSON *root;
	char *json;
	size_t n;

	if (!text || !*text)
		return fail(err, errlen, "empty note; nothing written");
	if (target && hg_entry_line(target) >= HG_LINE_PROVISIONAL)
		return fail(err, errlen, "the file is still loading; try again in a moment");
	if (check_target(target, target_attempt, err, errlen) < 0 ||
	    target_timestamp(s, target, ts, sizeof(ts), err, errlen) < 0)
		return -1;
	format_now(now_ns, now, sizeof(now));
	/* 0 is "" */
	sid = hg_entry_sym(target, HG_E_SESSION_ID) ? hg_entry_str(target, HG_E_SESSION_ID) : s->id;
	root = make_entry(sid, now, target, ts, target_attempt, author ? author : "", text);
	json = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (!json)
		die("out of memory");
	n = strlen(json);
	if (n >= HG_ANNOTATE_MAX_LINE) {
		char c[32];

		free(json);
		hg_fmt_count(c, sizeof(c), (int64_t)n);
		return fail(err, errlen, "note too long (%s bytes as JSON; hyperguild reads "
			    "lines of at most 1,048,575 bytes)", c);
	}
	hg_buf_add(out, json, n);
	hg_buf_addc(out, '\n');
	free(json);
	return 0;
}

/* Appending */

/* Test hook: simulate a failure at the write boundary (see annotate.h). */
static ssize_t
do_write(int fd, const char *p, size_t n)
{
	const char *sim = getenv("HGTOP_TEST_WRITE_ERROR");

	if (sim && *sim) {
		if (strcmp(sim, "SHORT") == 0)
			return write(fd, p, n / 2);
		if (strcmp(sim, "SHORT_RACE") == 0) {
			/* Half, then another writer (its own descriptor)
			 * appends a whole line. */
			ssize_t w = write(fd, p, n / 2);
			char other[64];
			int o;

			snprintf(other, sizeof(other), "/proc/self/fd/%d", fd);
			o = open(other, O_WRONLY | O_APPEND | O_CLOEXEC);
			if (o < 0 || write(o, "{}\n", 3) != 3)
				w = -1;
			if (o >= 0)
				close(o);
			return w;
		}
		errno = strcmp(sim, "ENOSPC") == 0 ? ENOSPC : strcmp(sim, "EROFS") == 0 ? EROFS
		      : strcmp(sim, "EACCES") == 0 ? EACCES : EIO;
		return -1;
	}
	return write(fd, p, n);
}

static int
errno_reason(int e, char *err, size_t errlen)
{
	switch (e) {
	case ENOENT:
		return fail(err, errlen, "file was deleted");
	case ELOOP:
		return fail(err, errlen, "is a symlink; not writing through it");
	case EACCES:
	case EROFS:
	case EPERM:
	case ETXTBSY:
		return fail(err, errlen, "not writable: %s", strerror(e));
	case ENOSPC:
		return fail(err, errlen, "disk full");
	case EDQUOT:
		return fail(err, errlen, "disk quota exceeded");
	case EFBIG:
		return fail(err, errlen, "file too large");
	default:
		return fail(err, errlen, "cannot write: %s", strerror(e));
	}
}

/* Whether the file behind fd ends in '\n' (an empty file counts as ended). */
static int
ends_in_newline(int fd, const struct stat *st, bool *yes, char *err, size_t errlen)
{
	char c;
	ssize_t r;

	*yes = true;
	if (st->st_size == 0)
		return 0;
	do
		r = pread(fd, &c, 1, (off_t)(st->st_size - 1));
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return fail(err, errlen, "cannot read the end of the file: %s", strerror(errno));
	*yes = r == 0 || c == '\n';
	return 0;
}

/*
 * Reserve the bytes the note will take, so that the write cannot fall
 * short for want of space. FALLOC_FL_KEEP_SIZE allocates past the end
 * without changing the size, so a reader or the writer sees nothing.
 * Returns 0 (reserved, or the filesystem cannot reserve: the write then
 * runs unreserved), or -1 when there is no room (the note is refused and
 * the file is untouched).
 */
static int
reserve(int fd, off_t off, size_t n, char *err, size_t errlen)
{
#if defined(HAVE_FALLOCATE) && defined(FALLOC_FL_KEEP_SIZE)
	int r;

	do
		r = fallocate(fd, FALLOC_FL_KEEP_SIZE, off, (off_t)n);
	while (r < 0 && errno == EINTR);
	if (r < 0 && (errno == ENOSPC || errno == EDQUOT || errno == EFBIG))
		return errno_reason(errno, err, errlen);
#else
	(void)fd;
	(void)off;
	(void)n;
	(void)err;
	(void)errlen;
#endif
	return 0;
}

/*
 * One write(2) of p[0..n) on the O_APPEND descriptor, all or nothing.
 *
 * A write can still fall short: where the filesystem cannot reserve space,
 * at the file size limit (ulimit -f: the kernel writes up to the limit),
 * or when another writer took the reserved room first. The bytes written
 * would then be the start of a line, and the writer's next entry would be
 * glued to them. So they are cut off again: the write ended at the
 * descriptor's offset, and if the file is still exactly that long, no one
 * appended after us, and truncating to where the write began restores the
 * file byte for byte. If the file is longer, someone else appended behind
 * our partial bytes: truncating would destroy their lines, so the bytes
 * stay and the message says so. (Another writer appending *between* the
 * fstat and the ftruncate is not excluded, but that window is a few
 * system calls wide, where without the check it would be every case.)
 */
static int
write_all_once(int fd, const char *p, size_t n, char *err, size_t errlen)
{
	struct stat st;
	ssize_t w;
	off_t end;

	do
		w = do_write(fd, p, n);
	while (w < 0 && errno == EINTR);
	if (w < 0)
		return errno_reason(errno, err, errlen);
	if ((size_t)w == n)
		return 0;
	end = lseek(fd, 0, SEEK_CUR);
	if (w > 0 && end >= w && fstat(fd, &st) == 0 && st.st_size == end &&
	    ftruncate(fd, end - w) == 0)
		return fail(err, errlen, "short write (%zd of %zu bytes: disk full or file size "
			    "limit); nothing was added", w, n);
	if (w == 0)
		return fail(err, errlen, "nothing written (disk full or file size limit)");
	return fail(err, errlen, "short write (%zd of %zu bytes) and the file grew since; "
		    "it may hold a partial line", w, n);
}

/* Looks at an unended tail before it counts as a writer mid-line. */
#define MID_LINE_TRIES 50	/* 2 ms apart: 0.1 s in all */

/*
 * Whether a writer is in the middle of a line: the file does not end in
 * '\n' and changed less than HG_ANNOTATE_QUIET_NS ago (or its time is
 * ahead of the clock). A note then would split the writer's line in two.
 * A tail that has been quiet for longer is a dead writer's.
 */
static bool
writer_mid_line(const struct stat *st)
{
	struct timespec now;
	int64_t m, t;

	if (clock_gettime(CLOCK_REALTIME, &now) < 0)
		return true;
	m = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	t = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
	return t - m < HG_ANNOTATE_QUIET_NS;
}

/* Open the session's own file for appending, checking it is the one read. */
static int
open_session_file(const struct hg_session *s, struct stat *st, char *err, size_t errlen)
{
	int fd;

	/* O_RDWR rather than O_WRONLY: the last byte must be read through the
	 * same descriptor that writes, so both see the same file. Never
	 * O_CREAT: no file but the session's own is ever written. */
	fd = open(s->path, O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return errno_reason(errno, err, errlen);
	if (fstat(fd, st) < 0) {
		int e = errno;

		close(fd);
		return fail(err, errlen, "cannot stat: %s", strerror(e));
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		return fail(err, errlen, "not a regular file; not writing to it");
	}
	if (st->st_dev != s->dev || st->st_ino != s->ino) {
		close(fd);
		return fail(err, errlen, "file was replaced since it was read");
	}
	return fd;
}

int
hg_annotate_append(const struct hg_session *s, const char *line, size_t len, char *err,
		   size_t errlen)
{
	struct hg_buf b = { 0 };
	struct stat st;
	bool nl;
	int fd, rc, tries;

	if (s->spool_fd >= 0 || !s->path || strcmp(s->path, "-") == 0)
		return fail(err, errlen, "stdin stream: no file to write to");
	if (len == 0 || line[len - 1] != '\n')
		return fail(err, errlen, "internal error: annotation line must end in a newline");
	fd = open_session_file(s, &st, err, errlen);
	if (fd < 0)
		return -1;
	rc = ends_in_newline(fd, &st, &nl, err, errlen);
	/* A reader can see another process's write(2) half copied: a
	 * writer that writes whole lines ends its line within moments, so
	 * look again a few times before calling it mid-line. */
	for (tries = 0; rc == 0 && !nl && writer_mid_line(&st) && tries < MID_LINE_TRIES; tries++) {
		struct timespec pause = { 0, 2000000 };

		nanosleep(&pause, NULL);
		if (fstat(fd, &st) < 0)
			rc = fail(err, errlen, "cannot stat: %s", strerror(errno));
		else
			rc = ends_in_newline(fd, &st, &nl, err, errlen);
	}
	if (rc == 0 && !nl && writer_mid_line(&st))
		rc = fail(err, errlen, "a writer is in the middle of a line: try again in a moment");
	if (rc == 0) {
		/* One write(2) of everything: O_APPEND makes it atomic with
		 * respect to hyperguild's own appends. */
		if (!nl)
			hg_buf_addc(&b, '\n');
		hg_buf_add(&b, line, len);
		rc = reserve(fd, st.st_size, b.len, err, errlen);
		if (rc == 0)
			rc = write_all_once(fd, b.p, b.len, err, errlen);
	}
	if (close(fd) < 0 && rc == 0)
		rc = errno_reason(errno, err, errlen);
	hg_buf_free(&b);
	return rc;
}

const char *
hg_annotate_default_author(const char *opt)
{
	const char *u;
	struct passwd *pw;

	if (opt && *opt)
		return opt;
	u = getenv("USER");
	if (u && *u)
		return u;
	u = getlogin();
	if (u && *u)
		return u;
	pw = getpwuid(getuid());
	if (pw && pw->pw_name && *pw->pw_name)
		return pw->pw_name;
	return "unknown";
}

/* Association */

static bool
same_time(const struct hg_note_ref *n, const struct hg_entry *t)
{
	if (!n->has_target_ts)
		return false;
	if (n->target_ts_zero || t->ts_zero)
		return n->target_ts_zero && t->ts_zero;
	return n->target_ts_ns == t->ts_ns;
}

ssize_t
hg_annotate_target(const struct hg_session *s, size_t ann_index)
{
	const struct hg_entry *a, *t;
	const struct hg_note_ref *n;
	ssize_t i;

	if (ann_index >= s->n_entries)
		return -1;
	a = &s->entries[ann_index];
	n = hg_entry_note(a);
	if (a->kind != HG_ENTRY_ANNOTATION || n->target_line < 1 ||
	    n->target_line >= hg_entry_line(a) || !n->target_skill)
		return -1;
	i = hg_session_find_line(s, n->target_line);
	if (i < 0)
		return -1;
	t = &s->entries[i];
	if (t->kind != HG_ENTRY_OK || strcmp(hg_entry_str(t, HG_E_SKILL), n->target_skill) != 0 ||
	    !same_time(n, t))
		return -1;
	return i;
}

ssize_t
hg_annotate_attempt_index(const struct hg_entry *target, const struct hg_entry *ann)
{
	const struct hg_note_ref *n = hg_entry_note(ann);
	uint32_t i;

	if (!n->has_target_attempt)
		return -1;
	for (i = 0; i < target->n_attempts; i++)
		if (hg_attempt_no(&target->attempts[i], i) == n->target_attempt)
			return (ssize_t)i;
	return -1;
}

char *
hg_annotate_read_text(const struct hg_session *s, const struct hg_entry *ann, size_t *len)
{
	char *text;

	if (hg_entry_message(ann)) {
		if (len)
			*len = hg_entry_message_len(ann);
		return xstrndup(hg_entry_message(ann), hg_entry_message_len(ann));
	}
	if (hg_session_entry_texts(s, ann, 0, &text, 1) < 0)
		return NULL;
	if (!text)
		text = xstrdup("");	/* it has none */
	if (len)
		*len = strlen(text);
	return text;
}

/* The index */

void
hg_ann_index_init(struct hg_ann_index *ix)
{
	memset(ix, 0, sizeof(*ix));
}

void
hg_ann_index_free(struct hg_ann_index *ix)
{
	free(ix->target);
	free(ix->ann);
	hg_ann_index_init(ix);
}

static void
index_push(struct hg_ann_index *ix, size_t target, size_t ann)
{
	if (ix->n == ix->cap) {
		ix->cap = ix->cap ? ix->cap * 2 : 16;
		ix->target = xrealloc(ix->target, ix->cap * sizeof(*ix->target));
		ix->ann = xrealloc(ix->ann, ix->cap * sizeof(*ix->ann));
	}
	ix->target[ix->n] = target;
	ix->ann[ix->n] = ann;
	ix->n++;
}

/* Move the pairs from `from` on into (target, ann) order. They arrive in
 * ann order, so an insertion pass keeps the common case (notes on recent
 * entries) linear. */
static void
index_sort_tail(struct hg_ann_index *ix, size_t from)
{
	size_t i;

	for (i = from > 0 ? from : 1; i < ix->n; i++) {
		size_t t = ix->target[i], a = ix->ann[i], j = i;

		while (j > 0 && ix->target[j - 1] > t) {
			ix->target[j] = ix->target[j - 1];
			ix->ann[j] = ix->ann[j - 1];
			j--;
		}
		ix->target[j] = t;
		ix->ann[j] = a;
	}
}

bool
hg_ann_index_update(struct hg_ann_index *ix, const struct hg_session *s)
{
	bool changed = false;
	size_t old_n, i;

	if (ix->s != s || ix->generation != s->generation || ix->scanned > s->n_entries) {
		changed = ix->n > 0;
		ix->n = 0;
		ix->scanned = 0;
		ix->s = s;
		ix->generation = s->generation;
	}
	if (s->n_annotations == 0) {
		ix->scanned = s->n_entries;
		return changed;
	}
	old_n = ix->n;
	for (i = ix->scanned; i < s->n_entries; i++) {
		ssize_t t;

		if (s->entries[i].kind != HG_ENTRY_ANNOTATION)
			continue;
		t = hg_annotate_target(s, i);
		if (t >= 0)
			index_push(ix, (size_t)t, i);
	}
	ix->scanned = s->n_entries;
	index_sort_tail(ix, old_n);
	return changed || ix->n != old_n;
}

size_t
hg_ann_index_lookup(const struct hg_ann_index *ix, size_t entry_index, const size_t **anns)
{
	size_t lo = 0, hi = ix->n, end;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ix->target[mid] < entry_index)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < ix->n && ix->target[end] == entry_index; end++)
		;
	*anns = ix->ann ? ix->ann + lo : NULL;
	return end - lo;
}

bool
hg_ann_index_attached(const struct hg_ann_index *ix, size_t ann_index)
{
	return ix->s && ann_index < ix->scanned && hg_annotate_target(ix->s, ann_index) >= 0;
}
