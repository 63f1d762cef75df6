/* history.c - prompt histories and their files (history.h). */
#include "config.h"

#include "hgtop/history.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/state.h"

/* The list. */

static void
push(char ***v, size_t *n, size_t *cap, char *s)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*v = xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = s;
}

/* Remove entry I (freed). */
static void
drop(char **v, size_t *n, size_t i)
{
	free(v[i]);
	memmove(v + i, v + i + 1, (*n - i - 1) * sizeof(*v));
	(*n)--;
}

/* TEXT as the newest of V: once, and at most HG_HISTORY_MAX. */
static void
put(char ***v, size_t *n, size_t *cap, const char *text)
{
	size_t i;

	for (i = *n; i-- > 0;) {
		if (strcmp((*v)[i], text) == 0) {
			drop(*v, n, i);
			break;
		}
	}
	if (*n == HG_HISTORY_MAX)
		drop(*v, n, 0);
	push(v, n, cap, xstrdup(text));
}

void
hg_history_seed(struct hg_history *h, const char *text)
{
	if (text && *text)
		put(&h->v, &h->n, &h->cap, text);
}

void
hg_history_add(struct hg_history *h, const char *text)
{
	if (!text || !*text)
		return;
	put(&h->v, &h->n, &h->cap, text);
	put(&h->added, &h->n_added, &h->cap_added, text);
}

static void
free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
hg_history_free(struct hg_history *h)
{
	free_list(h->v, h->n);
	free_list(h->added, h->n_added);
	free(h->path);
	memset(h, 0, sizeof(*h));
}

/* Escaping. */

void
hg_history_escape(struct hg_buf *out, const char *text)
{
	const unsigned char *s;

	for (s = (const unsigned char *)text; *s; s++) {
		switch (*s) {
		case '\\': hg_buf_adds(out, "\\\\"); break;
		case '\n': hg_buf_adds(out, "\\n"); break;
		case '\r': hg_buf_adds(out, "\\r"); break;
		case '\t': hg_buf_adds(out, "\\t"); break;
		default:
			if (*s < 0x20 || *s == 0x7f)
				hg_buf_printf(out, "\\x%02x", *s);
			else
				hg_buf_addc(out, (char)*s);
		}
	}
	if (!out->p)
		hg_buf_adds(out, "");
}

/* The escape at LINE[i] (after the backslash): its byte and length, or
 * 0 when bad. */
static size_t
unescape_one(const char *line, size_t len, size_t i, char *c)
{
	int hi, lo;

	if (i >= len)
		return 0;
	switch (line[i]) {
	case '\\': *c = '\\'; return 1;
	case 'n': *c = '\n'; return 1;
	case 'r': *c = '\r'; return 1;
	case 't': *c = '\t'; return 1;
	case 'x':
		if (i + 2 >= len)
			return 0;
		hi = hg_hex_value((unsigned char)line[i + 1]);
		lo = hg_hex_value((unsigned char)line[i + 2]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
			return 0;
		*c = (char)(hi * 16 + lo);
		return 3;
	default:
		return 0;
	}
}

bool
hg_history_unescape(struct hg_buf *out, const char *line, size_t len)
{
	size_t i = 0, k;
	char c;

	hg_buf_reset(out);
	hg_buf_adds(out, "");
	while (i < len) {
		unsigned char b = (unsigned char)line[i];

		if (b < 0x20 || b == 0x7f)
			return false;
		if (b != '\\') {
			hg_buf_addc(out, (char)b);
			i++;
			continue;
		}
		k = unescape_one(line, len, i + 1, &c);
		if (!k)
			return false;
		hg_buf_addc(out, c);
		i += 1 + k;
	}
	return out->len > 0;
}

/* The file. */

size_t
hg_history_parse(struct hg_history *h, const char *data, size_t len)
{
	struct hg_buf text = { 0 };
	size_t i = 0, skipped = 0;

	while (i < len) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - data) : len;

		if (end - i > HG_HISTORY_MAX_LINE ||
		    !hg_history_unescape(&text, data + i, end - i))
			skipped += end > i;	/* an empty line is no entry */
		else
			hg_history_seed(h, text.p);
		i = end + 1;
	}
	hg_buf_free(&text);
	return skipped;
}

void
hg_history_format(const struct hg_history *h, struct hg_buf *out)
{
	struct hg_buf line = { 0 };
	size_t i, first, total = 0;

	/* The newest entries that fit in the cap, written oldest first. */
	for (first = h->n; first > 0; first--) {
		hg_buf_reset(&line);
		hg_history_escape(&line, h->v[first - 1]);
		if (line.len > HG_HISTORY_MAX_LINE ||
		    total + line.len + 1 > HG_HISTORY_MAX_BYTES)
			break;
		total += line.len + 1;
	}
	for (i = first; i < h->n; i++) {
		hg_history_escape(out, h->v[i]);
		hg_buf_addc(out, '\n');
	}
	if (!out->p)
		hg_buf_adds(out, "");
	hg_buf_free(&line);
}

/* Read PATH into a fresh list. */
static int
read_file(struct hg_history *into, const char *path, char *err, size_t errlen)
{
	struct hg_buf data = { 0 };
	int rc = hg_state_read(path, HG_HISTORY_MAX_BYTES, &data, err, errlen);

	if (rc == 0)
		hg_history_parse(into, data.p, data.len);
	hg_buf_free(&data);
	return rc;
}

int
hg_history_load(struct hg_history *h, const char *path, char *err, size_t errlen)
{
	struct hg_history f = { 0 };
	size_t i;
	int rc;

	free(h->path);
	h->path = xstrdup(path);
	rc = read_file(&f, path, err, errlen);
	/* The file's entries first, then those of this run. */
	for (i = 0; i < h->n; i++)
		hg_history_seed(&f, h->v[i]);
	free_list(h->v, h->n);
	h->v = f.v;
	h->n = f.n;
	h->cap = f.cap;
	return rc;
}

static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	return xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/* Under the lock: the file now, then what was added, written back. */
static int
merge_locked(struct hg_history *h, char *err, size_t errlen)
{
	struct hg_history f = { 0 };
	struct hg_buf out = { 0 };
	size_t i;
	int rc = read_file(&f, h->path, err, errlen);

	if (rc == 0) {
		for (i = 0; i < h->n_added; i++)
			hg_history_seed(&f, h->added[i]);
		hg_history_format(&f, &out);
		rc = hg_state_replace(h->path, out.p, out.len, err, errlen);
	}
	hg_buf_free(&out);
	hg_history_free(&f);
	return rc;
}

int
hg_history_save(struct hg_history *h, char *err, size_t errlen)
{
	char *dir;
	int fd, rc;

	if (!h->path || !h->n_added)
		return 0;
	dir = dir_of(h->path);
	rc = hg_state_mkdirs(dir, err, errlen);
	free(dir);
	if (rc < 0)
		return -1;
	fd = hg_state_lock(h->path, err, errlen);
	if (fd < 0)
		return -1;
	rc = merge_locked(h, err, errlen);
	hg_state_unlock(fd);
	if (rc == 0) {
		free_list(h->added, h->n_added);
		h->added = NULL;
		h->n_added = h->cap_added = 0;
	}
	return rc;
}
