/* detail.c - the detail pane's lines, built from an entry's line. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/detail.h"
#include "hgtop/entry.h"
#include "hgtop/goread.h"
#include "hgtop/parser.h"
#include "hgtop/sanitize.h"
#include "hgtop/search.h"
#include "hgtop/ui_draw.h"
#include "hgtop/util.h"
#include "hgtop/values.h"

#define RAW_MAX (1024 * 1024)

/* Lines */

static struct hg_dline *
add_line(struct hg_detail *d, const char *text, size_t len, int indent, int role, bool own)
{
	struct hg_dline *l;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->lines = xrealloc(d->lines, d->cap * sizeof(*d->lines));
	}
	l = &d->lines[d->n++];
	memset(l, 0, sizeof(*l));
	l->text = xstrndup(text, len);
	l->len = len;
	l->indent = indent;
	l->role = role;
	l->own = own;
	return l;
}

static void
text_lines(struct hg_detail *d, const char *s, size_t n, int indent, int role, bool own)
{
	struct hg_buf b = { 0 };
	const char *p, *end, *nl;

	hg_sanitize(&b, s, n, HG_SAN_NEWLINES | HG_SAN_TABS);
	p = b.p ? b.p : "";
	end = p + b.len;
	do {
		nl = memchr(p, '\n', (size_t)(end - p));
		add_line(d, p, (size_t)((nl ? nl : end) - p), indent, role, own);
		p = nl ? nl + 1 : end;
	} while (p < end);
	hg_buf_free(&b);
}

static void
field_line(struct hg_detail *d, const char *key, const char *val, int indent, bool own)
{
	struct hg_buf b = { 0 };
	size_t klen;

	hg_sanitize(&b, key, strlen(key), 0);
	hg_buf_adds(&b, ":");
	klen = b.len;
	hg_buf_adds(&b, " ");
	hg_sanitize(&b, val, strlen(val), HG_SAN_TABS);
	add_line(d, b.p, b.len, indent, UI_ROLE_NORMAL, own)->label_len = (int)klen;
	hg_buf_free(&b);
}

void
hg_detail_add_text(struct hg_detail *d, const char *s, size_t n, int indent, int role)
{
	text_lines(d, s, n, indent, role, false);
}

void
hg_detail_add_field(struct hg_detail *d, const char *key, const char *val, int indent)
{
	field_line(d, key, val, indent, false);
}

/* Fields: every line below is the part's own (counted by the search). */

static void
add_text(struct hg_detail *d, const char *s, size_t n, int indent, int role)
{
	text_lines(d, s, n, indent, role, true);
}

static void
add_field(struct hg_detail *d, const char *key, const char *val, int indent)
{
	field_line(d, key, val, indent, true);
}

static void
add_label(struct hg_detail *d, const char *key, int indent)
{
	add_field(d, key, "", indent);
}

static void
add_runner_output(struct hg_detail *d, const char *s, size_t n, int indent)
{
	struct hg_tt_doc *doc;
	size_t i;

	d->docs = xrealloc(d->docs, (d->n_docs + 1) * sizeof(*d->docs));
	doc = &d->docs[d->n_docs++];
	memset(doc, 0, sizeof(*doc));
	hg_tt_parse(doc, s, n);
	for (i = 0; i < doc->n; i++) {
		struct hg_dline *l = add_line(d, doc->lines[i].text, doc->lines[i].len,
					      indent, UI_ROLE_NORMAL, true);

		l->spans = doc->lines[i].spans;
		l->n_spans = doc->lines[i].n_spans;
	}
}

static void
add_string(struct hg_detail *d, const char *key, const char *v, int indent)
{
	size_t n = strlen(v);

	if (!strcmp(key, "runner_output")) {
		add_label(d, key, indent);
		add_runner_output(d, v, n, indent + 2);
	} else if (memchr(v, '\n', n) || !strcmp(key, "feedback") ||
		   !strcmp(key, "output_summary") || !strcmp(key, "message")) {
		add_label(d, key, indent);
		add_text(d, v, n, indent + 2, UI_ROLE_NORMAL);
	} else {
		add_field(d, key, v, indent);
	}
}

static void
add_number(struct hg_detail *d, const char *key, const cJSON *v, int indent)
{
	bool text = hg_values_marked(v->valuestring, HG_VAL_NUMBER);	/* as written */
	char *txt = text ? xstrdup(v->valuestring + 2) : cJSON_PrintUnformatted(v);
	char buf[128], dur[32];
	int64_t ms = 0;

	if (!strcmp(key, "duration_ms") &&
	    (text ? hg_values_int(txt, strlen(txt), &ms) : cJSON_IsNumber(v))) {
		hg_fmt_duration(dur, sizeof(dur), text ? ms : (int64_t)v->valuedouble);
		snprintf(buf, sizeof(buf), "%s (%s)", txt ? txt : "", dur);
		add_field(d, key, buf, indent);
	} else {
		add_field(d, key, txt ? txt : "", indent);
	}
	free(txt);
}

/* An object or array (the input) with its strings decoded: members one
 * per line under their key, elements under "[i]", text with newlines and
 * tabs shown as line breaks and indentation, not as escapes. */
static void
add_tree(struct hg_detail *d, const char *key, const cJSON *v, int indent, int depth)
{
	const cJSON *c;
	char k[32];
	int i = 0;

	if (cJSON_IsString(v) && hg_values_marked(v->valuestring, HG_VAL_NUMBER)) {
		add_number(d, key, v, indent);
		return;
	}
	if (cJSON_IsString(v)) {
		add_string(d, key, v->valuestring +
			   (hg_values_marked(v->valuestring, HG_VAL_ESCAPED) ? 2 : 0), indent);
		return;
	}
	if (!cJSON_IsObject(v) && !cJSON_IsArray(v)) {
		add_number(d, key, v, indent);
		return;
	}
	if (!v->child || depth > 64) {
		add_field(d, key, !v->child ? (cJSON_IsArray(v) ? "[]" : "{}") : "...", indent);
		return;
	}
	add_label(d, key, indent);
	cJSON_ArrayForEach(c, v) {
		snprintf(k, sizeof(k), "[%d]", i++);
		add_tree(d, cJSON_IsObject(v) ? (c->string ? c->string : "?") : k, c,
			 indent + 2, depth + 1);
	}
}

static void
add_timestamp(struct hg_detail *d, const char *v, int indent)
{
	struct hg_entry_more more = { 0 };
	struct hg_entry t = { .more = &more };
	char buf[160], local[40];
	int32_t nsec;
	int16_t tz;
	bool zero;

	if (hg_values_marked(v, HG_VAL_ESCAPED) || hg_values_marked(v, HG_VAL_NUMBER)) {
		add_field(d, "timestamp", v + 2, indent);
		return;
	}
	if (!hg_parse_time_sec(v, strlen(v), &more.far_sec, &nsec, &tz, &zero) || zero) {
		add_field(d, "timestamp", v, indent);
		return;
	}
	/* Also before 1677 or after 2262 (outside what ts_ns holds). */
	t.tz_min = tz;
	hg_time_ns(more.far_sec, nsec, &t.ts_ns);
	hg_entry_datetime(&t, local, sizeof(local));
	snprintf(buf, sizeof(buf), "%.80s  (local %s)", v, local);
	add_field(d, "timestamp", buf, indent);
}

/* The colour role of a verdict (the tree's verdict column too). */
int
ui_verdict_role(uint8_t verdict)
{
	switch (verdict) {
	case HG_VERDICT_ACCEPT:
		return UI_ROLE_ACCEPT;
	case HG_VERDICT_ESCALATE:
		return UI_ROLE_ESCALATE;
	case HG_VERDICT_ERROR:
		return UI_ROLE_ERROR;
	default:
		return UI_ROLE_NORMAL;
	}
}

/* One line per attempt: the attempts' own fields are theirs, not the
 * entry's (the search finds them in the attempt). */
static void
add_attempt_summaries(struct hg_detail *d, const struct hg_entry *e, int indent)
{
	char buf[256], dur[16];
	uint32_t i;

	snprintf(buf, sizeof(buf), "%u (expand the entry and select one to see all its fields)",
		 e->n_attempts);
	field_line(d, "attempts", buf, indent, false);
	for (i = 0; i < e->n_attempts; i++) {
		const struct hg_attempt *a = &e->attempts[i];

		hg_fmt_duration(dur, sizeof(dur), hg_attempt_ms(a));
		snprintf(buf, sizeof(buf), "#%lld %s %s %s %s %s %s",
			 (long long)hg_attempt_no(a, i),
			 hg_attempt_tier(a), hg_sym_str(hg_attempt_model(a)), dur, hg_attempt_warm(a) ? "warm" : "cold",
			 hg_attempt_verified(a) ? "verified" : "unverified", hg_attempt_verdict(a));
		text_lines(d, buf, strlen(buf), indent + 2, ui_verdict_role(a->verdict), false);
	}
}

/* Every member of OBJ, in file order; unknown fields included. */
static void
add_object(struct hg_detail *d, const cJSON *obj, const struct hg_entry *e, int indent)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, obj) {
		const char *k = v->string ? v->string : "?";

		if (!strcmp(k, "attempts") && e && cJSON_IsArray(v))
			add_attempt_summaries(d, e, indent);
		else if (!strcmp(k, "timestamp") && cJSON_IsString(v))
			add_timestamp(d, v->valuestring, indent);
		else
			add_tree(d, k, v, indent, 0);
	}
}

static void
build_unparsable(struct hg_detail *d, const struct hg_entry *e, const char *raw, size_t n)
{
	char buf[64];

	hg_line_str(hg_entry_line(e), buf, sizeof(buf));
	add_field(d, "unparsable line", buf, 0);
	add_field(d, "reason", hg_entry_reason(e) ? hg_entry_reason(e) : "?", 0);
	add_label(d, "raw line", 0);
	add_text(d, raw, n > RAW_MAX ? RAW_MAX : n, 2, UI_ROLE_DIM);
	if (n > RAW_MAX)
		hg_detail_add_text(d, "(cut at 1 MB)", 13, 2, UI_ROLE_DIM);
}

static void
build_attempt(struct hg_detail *d, const cJSON *root, const struct hg_entry *e, int32_t ai)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "attempts");
	const cJSON *a = cJSON_GetArrayItem(arr, ai);
	char buf[160], ln[24];

	snprintf(buf, sizeof(buf), "line %s, %s", hg_line_str(hg_entry_line(e), ln, sizeof(ln)),
		 hg_entry_str(e, HG_E_SKILL));
	hg_detail_add_field(d, "entry", buf, 0);
	if (!a) {
		hg_detail_add_text(d, "(attempt not found in the line)", 31, 0, UI_ROLE_ERROR);
		return;
	}
	add_object(d, a, NULL, 0);
}

void
hg_detail_add_go(struct hg_detail *d, const struct hg_session *s, const struct hg_entry *e)
{
	struct hg_buf b = { 0 };

	if (hg_session_entry_partial(s, e))
		hg_detail_add_text(d, "last line, no newline yet: counted as it is now", 47, 0,
				   UI_ROLE_DIM);
	if (hg_session_go(s) == HG_GO_STOPS && hg_entry_line(e) == s->go_stop_line) {
		hg_buf_printf(&b, "hyperguild's reader stops here: %s", s->go_stop_reason);
	} else if (hg_entry_length(e) >= HG_GO_LINE_MAX) {
		/* After the first stop, a line it could not read either. */
		char n[32];

		hg_fmt_count(n, sizeof(n), hg_entry_length(e));
		hg_buf_printf(&b, "hyperguild's reader could not read this line either: %s (%s bytes)",
			      HG_GO_TOO_LONG, n);
	} else {
		return;
	}
	hg_detail_add_text(d, b.p, b.len, 0, UI_ROLE_ERROR);
	hg_buf_free(&b);
}

void
hg_detail_build(struct hg_detail *d, const struct hg_entry *e, int32_t attempt,
		const char *line, size_t n)
{
	cJSON *root;

	if (e->kind == HG_ENTRY_UNPARSABLE) {
		build_unparsable(d, e, line, n);
		return;
	}
	/* Numbers of the entry and its attempts come as their text (an
	 * int64 is shown exactly), see values.h. */
	root = hg_values_parse(line, n, HG_VALUES_MARKS);
	if (!root) {
		/* An input nested deeper than cJSON goes (the parser did so). */
		struct hg_buf b = { 0 };

		if (hg_parse_deep_input(line, n, &b))
			root = cJSON_ParseWithLength(b.p, b.len);
		hg_buf_free(&b);
	}
	if (!root) {
		hg_detail_add_text(d, "the line no longer parses (file changed?)", 41, 0, UI_ROLE_ERROR);
		return;
	}
	if (attempt >= 0)
		build_attempt(d, root, e, attempt);
	else
		add_object(d, root, e, 0);
	cJSON_Delete(root);
}

/* The JSON view */

struct jline {
	struct hg_detail *d;
	struct hg_buf b;
	int depth;
};

static void
jflush(struct jline *j)
{
	struct hg_buf s = { 0 };

	if (!j->b.len)
		return;
	hg_sanitize(&s, j->b.p, j->b.len, 0);
	add_line(j->d, s.p ? s.p : "", s.len, 2 * j->depth, UI_ROLE_NORMAL, true);
	hg_buf_free(&s);
	hg_buf_reset(&j->b);
}

static size_t
skip_space(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

/* A string from its opening quote: the index after its closing one. */
static size_t
string_end(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return n;
}

void
hg_detail_build_json(struct hg_detail *d, const char *s, size_t n)
{
	struct jline j = { d, { 0 }, 0 };
	size_t i = skip_space(s, n, 0), k;

	while (i < n) {
		char c = s[i];

		if (c == '"') {
			k = string_end(s, n, i);
			hg_buf_add(&j.b, s + i, k - i);
			i = k;
			continue;
		}
		if (c == '{' || c == '[') {
			k = skip_space(s, n, i + 1);
			if (k < n && s[k] == (c == '{' ? '}' : ']')) {
				hg_buf_addc(&j.b, c);
				hg_buf_addc(&j.b, s[k]);
				i = k + 1;
				continue;
			}
			hg_buf_addc(&j.b, c);
			jflush(&j);
			j.depth++;
			i = k;
			continue;
		}
		if (c == '}' || c == ']') {
			jflush(&j);
			j.depth -= j.depth > 0;
			hg_buf_addc(&j.b, c);
		} else if (c == ',') {
			hg_buf_addc(&j.b, c);
			jflush(&j);
		} else if (c == ':') {
			hg_buf_adds(&j.b, ": ");
		} else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
			hg_buf_addc(&j.b, c);
		}
		i++;
	}
	jflush(&j);
	hg_buf_free(&j.b);
}

/* Matches */

static bool
find_nth(const struct hg_detail *d, const struct hg_search_pattern *p, bool all,
	 size_t k, size_t *line, size_t *off, size_t *count)
{
	size_t i, seen = 0;

	for (i = 0; p && p->len && i < d->n; i++) {
		const struct hg_dline *l = &d->lines[i];
		size_t at = 0;
		const char *m;

		if (!all && !l->own)
			continue;
		while (at < l->len && (m = hg_search_find_text(p, l->text + at, l->len - at))) {
			if (seen++ == k && line) {
				*line = i;
				*off = (size_t)(m - l->text);
				return true;
			}
			at = (size_t)(m - l->text) + hg_search_match_len(p);
		}
	}
	if (count)
		*count = seen;
	return false;
}

size_t
hg_detail_count(const struct hg_detail *d, const struct hg_search_pattern *p)
{
	size_t n = 0;

	find_nth(d, p, false, SIZE_MAX, NULL, NULL, &n);
	return n;
}

bool
hg_detail_nth(const struct hg_detail *d, const struct hg_search_pattern *p, bool all,
	      size_t k, size_t *line, size_t *off)
{
	return find_nth(d, p, all, k, line, off, NULL);
}

void
hg_detail_clear(struct hg_detail *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->lines[i].text);
	d->n = 0;
	for (i = 0; i < d->n_docs; i++)
		hg_tt_free(&d->docs[i]);
	free(d->docs);
	d->docs = NULL;
	d->n_docs = 0;
}

void
hg_detail_free(struct hg_detail *d)
{
	hg_detail_clear(d);
	free(d->lines);
	memset(d, 0, sizeof(*d));
}
