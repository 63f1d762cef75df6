/* filter.c - the filter language (grammar in filter.h).
 *
 * An expression is parsed once into terms. Matching an entry costs a few
 * pointer comparisons per term: every field a value is compared with is an
 * interned string, so each term remembers its answer per string pointer
 * (a small open-addressing table plus the last pointer seen). */
#include "config.h"

#include "hgtop/filter.h"
#include "hgtop/parser.h"

#include <stdarg.h>
#include <time.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/annotate.h"
#include "hgtop/util.h"
#include "hgtop/values.h"

enum term_type {
	TERM_WORD,
	TERM_SET,
	TERM_KIND,
	TERM_NUM,
	TERM_TIME,
	TERM_HGREAD,
};

enum field {
	FLD_VERDICT,
	FLD_TIER,
	FLD_MODEL,
	FLD_SKILL,
	FLD_STATUS,
	FLD_PHASE,
	FLD_SESSION,
	FLD_FILE,
	FLD_MODEL_USED,
	FLD_PROJECT,
	FLD_KIND,
	FLD_DUR,
	FLD_ATTEMPTS,
	FLD_SINCE,
	FLD_UNTIL,
	FLD_HGREAD,
	FLD_NONE,
};

/* What a since: or until: value names. */
enum when {
	WHEN_ABS,		/* a fixed instant (num) */
	WHEN_AGO,		/* num ns before now */
	WHEN_TODAY,		/* local midnight today */
	WHEN_YESTERDAY,		/* local midnight yesterday */
};

enum op {
	OP_GT,
	OP_GE,
	OP_LT,
	OP_LE,
	OP_EQ,
	OP_NE,
};

static const struct key_def {
	const char *name;
	uint8_t field;
	uint8_t type;
	bool attempt;
} key_defs[] = {
	{ "verdict", FLD_VERDICT, TERM_SET, true },
	{ "tier", FLD_TIER, TERM_SET, true },
	{ "model", FLD_MODEL, TERM_SET, true },
	{ "skill", FLD_SKILL, TERM_SET, false },
	{ "status", FLD_STATUS, TERM_SET, false },
	{ "phase", FLD_PHASE, TERM_SET, false },
	{ "session", FLD_SESSION, TERM_SET, false },
	{ "file", FLD_FILE, TERM_SET, false },
	{ "model_used", FLD_MODEL_USED, TERM_SET, false },
	{ "project", FLD_PROJECT, TERM_SET, false },
	{ "kind", FLD_KIND, TERM_KIND, false },
	{ "dur", FLD_DUR, TERM_NUM, false },
	{ "attempts", FLD_ATTEMPTS, TERM_NUM, false },
	{ "since", FLD_SINCE, TERM_TIME, false },
	{ "until", FLD_UNTIL, TERM_TIME, false },
	{ "hgread", FLD_HGREAD, TERM_HGREAD, false },
};

#define KEY_LIST "verdict, tier, model, skill, status, phase, session, file, model_used, project, kind, dur, attempts, since, until, hgread"
#define OP_LIST "(expected >, >=, <, <=, = or !=)"

/* Entries a memo may hold: fields with many distinct values (file paths)
 * are then compared directly instead of growing the table forever. */
#define MEMO_MAX 65536

struct memo {
	const char **keys;	/* NULL: free slot */
	uint8_t *vals;
	size_t cap;
	size_t n;
	const char *last[2];	/* the two strings seen last (fields alternate) */
	bool last_val[2];
	unsigned last_next;
	const struct hg_session *last_s;
	bool last_s_val;
};

struct value {
	char *s;		/* lowercased */
	size_t len;
	size_t from, to;	/* where it was written in the expression */
	bool prefix;		/* ends in an unquoted "*" (not kept in s) */
	bool glob;		/* s holds an unquoted "*" too */
	bool any;		/* "*" */
};

struct term {
	uint8_t type;
	uint8_t field;
	uint8_t op;
	bool neg;
	bool attempt;		/* attempt-level key */
	bool plain;		/* word: its JSON form is itself */
	unsigned kinds;		/* TERM_KIND: bit per enum hg_entry_kind;
				 * TERM_HGREAD: bit per hgread_names */
	unsigned enum_bits;	/* tier/verdict: answer per known enum value */
	int64_t num;		/* TERM_TIME: the instant, or the span back */
	uint8_t when;		/* TERM_TIME: enum when */
	int64_t inst;		/* TERM_TIME: the instant in force (ns) */
	struct value *vals;
	size_t n_vals;
	size_t cap_vals;
	struct memo *memo;	/* mutable even through a const filter */
};

struct hg_filter {
	struct term *terms;
	size_t n;
	size_t cap;
	size_t *order;		/* non-word, non-group terms, cheapest first */
	size_t n_order;
	bool has_group;		/* some non-negated attempt-level term */
	bool group_by_masks;	/* the group is one tier or verdict term */
	bool group_by_pairs;	/* the group has only tier and verdict terms */
	uint32_t group_pairs;	/* then: the (tier, verdict) pairs it accepts */
	bool lists_notes;	/* asks for notes: they are matched themselves */
	bool moves;		/* some time term is relative to the clock */
	bool has_time;		/* some time term */
	bool not_unparsable;	/* some term other than words and kinds */
	char *text;
	/* With "|" or parentheses: the expression as a tree whose leaves are
	 * flat filters (AND groups); terms is then empty. */
	struct node *tree;
	struct hg_filter **leaves;
	size_t n_leaves, cap_leaves;
};

enum node_type {
	NODE_LEAF,
	NODE_AND,
	NODE_OR,
};

struct node {
	uint8_t type;
	bool neg;
	struct hg_filter *leaf;	/* NODE_LEAF: owned by the filter's leaves */
	struct node **kids;
	size_t n, cap;
};

struct parser {
	const char *src;
	size_t pos;
	char *err;
	size_t errlen;
	int *err_col;
	struct hg_buf text;
	int depth;		/* open parentheses */
	size_t opened;		/* text.len right after a group's '(' */
};

/* Lexing helpers */

static bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool
at_end_of_term(const struct parser *p)
{
	char c = p->src[p->pos];

	return c == '\0' || is_space(c) || (c == ')' && p->depth > 0);
}

static char
lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool
ident_char(char c)
{
	c = lower(c);
	return (c >= 'a' && c <= 'z') || c == '_';
}

/* Copy of the user's text for a message: bounded, controls made visible. */
static void
snippet(char *out, size_t outlen, const char *s, size_t n)
{
	size_t j = 0;

	if (n > 40)
		n = 40;
	for (size_t i = 0; i < n && j + 1 < outlen; i++) {
		unsigned char c = (unsigned char)s[i];

		out[j++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	out[j] = '\0';
}

static bool
fail(struct parser *p, size_t pos, const char *what, const char *tail)
{
	int col = hg_utf8_column(p->src, pos);

	if (p->err && p->errlen)
		snprintf(p->err, p->errlen, "%s at column %d%s", what, col, tail);
	if (p->err_col)
		*p->err_col = col;
	return false;
}

static bool
fail_text(struct parser *p, size_t pos, const char *pre, size_t from, size_t to,
	  const char *tail)
{
	char snip[64], what[128];

	snippet(snip, sizeof(snip), p->src + from, to - from);
	snprintf(what, sizeof(what), "%s '%s'", pre, snip);
	return fail(p, pos, what, tail);
}

static bool
ascii_case_eq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

static const struct key_def *
find_key(const char *s, size_t n)
{
	for (size_t i = 0; i < HG_ARRAY_SIZE(key_defs); i++)
		if (strlen(key_defs[i].name) == n && ascii_case_eq(key_defs[i].name, s, n))
			return &key_defs[i];
	return NULL;
}

/* Terms */

/* Room for one more element in an array of *cap: grown by doubling, so a
 * pasted filter of a million values parses in linear time. */
static void *
grow(void *p, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 4;
	return xrealloc(p, *cap * size);
}

static struct term *
add_term(struct hg_filter *f)
{
	struct term *t;

	f->terms = grow(f->terms, f->n, &f->cap, sizeof(*f->terms));
	t = &f->terms[f->n++];
	memset(t, 0, sizeof(*t));
	t->memo = xcalloc(1, sizeof(*t->memo));
	return t;
}

static void
add_value(struct term *t, const char *s, size_t n, bool prefix)
{
	struct value *v;

	t->vals = grow(t->vals, t->n_vals, &t->cap_vals, sizeof(*t->vals));
	v = &t->vals[t->n_vals++];
	v->s = xstrndup(s, n);
	for (size_t i = 0; i < n; i++)
		v->s[i] = lower(v->s[i]);
	/* "␀", as a NUL character of a log is shown, stands for it. */
	for (char *z = v->s; (z = memmem(z, (size_t)(v->s + n - z), HG_NUL_SHOWN, 3)); ) {
		memcpy(z, HG_NUL, 2);
		memmove(z + 2, z + 3, (size_t)(v->s + n - z - 3) + 1);
		n--;
	}
	v->len = n;
	v->prefix = prefix;
	v->any = prefix && n == 0;
}

static void
free_term(struct term *t)
{
	for (size_t i = 0; i < t->n_vals; i++)
		free(t->vals[i].s);
	free(t->vals);
	if (t->memo) {
		free(t->memo->keys);
		free(t->memo->vals);
		free(t->memo);
	}
}

/* Parsing */

/* A quoted string at p->pos: '"' ... '"' with \" and \\ escapes. */
static bool
parse_quoted(struct parser *p, struct hg_buf *out)
{
	size_t start = p->pos;
	const char *s = p->src;

	hg_buf_reset(out);
	hg_buf_reserve(out, 1);
	out->p[0] = '\0';
	p->pos++;
	while (s[p->pos] != '"') {
		if (s[p->pos] == '\0')
			return fail(p, start, "unterminated quote", "");
		if (s[p->pos] == '\\' && (s[p->pos + 1] == '"' || s[p->pos + 1] == '\\'))
			p->pos++;
		hg_buf_addc(out, s[p->pos++]);
	}
	p->pos++;
	return true;
}

static bool
word_is_plain(const char *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];

		if (c < 0x20 || c > 0x7e || strchr("\"\\<>&", c))
			return false;
	}
	return true;
}

static bool
parse_word(struct parser *p, struct term *t)
{
	struct hg_buf b = { 0 };
	size_t start = p->pos;

	t->type = TERM_WORD;
	t->field = FLD_NONE;
	if (p->src[p->pos] == '"') {
		if (!parse_quoted(p, &b)) {
			hg_buf_free(&b);
			return false;
		}
		if (!at_end_of_term(p)) {
			hg_buf_free(&b);
			return fail(p, p->pos, "space expected after closing quote", "");
		}
		add_value(t, b.p, b.len, false);
		hg_buf_free(&b);
	} else {
		while (!at_end_of_term(p))
			p->pos++;
		size_t n = p->pos - start;

		if (n > 1 && p->src[p->pos - 1] == '*')
			n--;
		add_value(t, p->src + start, n, false);
	}
	t->plain = word_is_plain(t->vals[0].s, t->vals[0].len);
	return true;
}

/* "none" and "" both mean an absent verdict / empty tier. */
static void
add_set_value(struct term *t, const char *s, size_t n, bool prefix)
{
	if ((t->field == FLD_VERDICT || t->field == FLD_TIER) && !prefix && n == 4 &&
	    ascii_case_eq(s, "none", 4))
		n = 0;
	add_value(t, s, n, prefix);
}

/* Bit k for each of the N NAMES that S (N bytes) names, ignoring case; a
 * PREFIX value names each name it begins. */
static unsigned
name_bits(const char *const *names, size_t count, const char *s, size_t n, bool prefix)
{
	unsigned bits = 0;

	for (size_t k = 0; k < count; k++) {
		size_t kl = strlen(names[k]);

		if ((prefix ? n <= kl : n == kl) && ascii_case_eq(names[k], s, n))
			bits |= 1u << k;
	}
	return bits;
}

static const char *const kind_names[] = {
	[HG_ENTRY_OK] = "entry",
	[HG_ENTRY_UNPARSABLE] = "unparsable",
	[HG_ENTRY_ANNOTATION] = "annotation",
};

static bool
add_kind_value(struct parser *p, struct term *t, size_t vpos, const char *s, size_t n,
	       bool prefix)
{
	unsigned bits = name_bits(kind_names, HG_ARRAY_SIZE(kind_names), s, n, prefix);

	if (n == 2 && !prefix && ascii_case_eq(s, "ok", 2))
		bits |= 1u << HG_ENTRY_OK;
	if (!bits)
		return fail_text(p, vpos, "unknown kind", vpos, p->pos,
				 " (kinds: entry, annotation, unparsable)");
	t->kinds |= bits;
	return true;
}

/* hgread: what hyperguild's reader makes of the session (session.h):
 * the line where it stops, the entries of sessions it stops in, of
 * those it reads wholly. */
static const char *const hgread_names[] = { "stop", "fails", "ok" };
enum { HGREAD_STOP, HGREAD_FAILS, HGREAD_OK };

static bool
add_hgread_value(struct parser *p, struct term *t, size_t vpos, const char *s, size_t n,
		 bool prefix)
{
	unsigned bits = name_bits(hgread_names, HG_ARRAY_SIZE(hgread_names), s, n, prefix);

	if (!bits)
		return fail_text(p, vpos, "unknown hgread value", vpos, p->pos,
				 " (hgread: stop, fails, ok)");
	t->kinds |= bits;
	return true;
}

static bool
hgread_test(const struct term *t, const struct hg_session *s, const struct hg_entry *e)
{
	enum hg_go_verdict v;

	if (!s)
		return false;
	v = hg_session_go(s);
	if ((t->kinds >> HGREAD_STOP) & 1u && v == HG_GO_STOPS &&
	    hg_entry_line(e) == s->go_stop_line)
		return true;
	if ((t->kinds >> HGREAD_FAILS) & 1u && v == HG_GO_STOPS)
		return true;
	/* Read in order so far without a stop (not while read tail first). */
	return (t->kinds >> HGREAD_OK) & 1u && v != HG_GO_STOPS && !s->tail_start;
}

/* One value of key:v1,v2 at p->pos. */
static bool
parse_value(struct parser *p, struct term *t, size_t keypos)
{
	const char *s = p->src;
	size_t vpos = p->pos;
	struct hg_buf b = { 0 };
	bool prefix = false, ok = true;

	if (at_end_of_term(p) || s[vpos] == ',')
		return fail_text(p, vpos, "value expected after", keypos, vpos, "");
	if (s[vpos] == '"') {
		if (!parse_quoted(p, &b)) {
			hg_buf_free(&b);
			return false;
		}
		if (s[p->pos] == '*') {
			prefix = true;
			p->pos++;
		}
		if (!at_end_of_term(p) && s[p->pos] != ',') {
			hg_buf_free(&b);
			return fail(p, p->pos, "',' or space expected after closing quote", "");
		}
	} else {
		while (!at_end_of_term(p) && s[p->pos] != ',')
			p->pos++;
		hg_buf_add(&b, s + vpos, p->pos - vpos);
		if (b.len && b.p[b.len - 1] == '*') {
			prefix = true;
			b.len--;
		}
	}
	if (t->type == TERM_KIND) {
		ok = add_kind_value(p, t, vpos, b.p ? b.p : "", b.len, prefix);
	} else if (t->type == TERM_HGREAD) {
		ok = add_hgread_value(p, t, vpos, b.p ? b.p : "", b.len, prefix);
	} else {
		add_set_value(t, b.p ? b.p : "", b.len, prefix);
		t->vals[t->n_vals - 1].glob = s[vpos] != '"' && b.len && memchr(b.p, '*', b.len);
		t->vals[t->n_vals - 1].from = vpos;
		t->vals[t->n_vals - 1].to = p->pos;
	}
	hg_buf_free(&b);
	return ok;
}

static bool
parse_set(struct parser *p, struct term *t, size_t keypos)
{
	p->pos++;	/* ':' */
	for (;;) {
		if (!parse_value(p, t, keypos))
			return false;
		if (p->src[p->pos] != ',')
			return true;
		p->pos++;
	}
}

static bool
parse_op(struct parser *p, struct term *t)
{
	static const struct { const char *s; uint8_t op; } ops[] = {
		{ ">", OP_GT }, { ">=", OP_GE }, { "<", OP_LT }, { "<=", OP_LE },
		{ "=", OP_EQ }, { "==", OP_EQ }, { "!=", OP_NE },
	};
	size_t start = p->pos;

	while (p->src[p->pos] && strchr("<>=!:~", p->src[p->pos]))
		p->pos++;
	for (size_t i = 0; i < HG_ARRAY_SIZE(ops); i++)
		if (strlen(ops[i].s) == p->pos - start &&
		    memcmp(ops[i].s, p->src + start, p->pos - start) == 0) {
			t->op = ops[i].op;
			return true;
		}
	return fail_text(p, start, "bad operator", start, p->pos, " " OP_LIST);
}

/* Digits with an optional fraction and unit, into milliseconds (or a
 * plain count when units are not allowed). Integer arithmetic only: the
 * UI may set LC_NUMERIC, and strtod would then want a decimal comma. */
static bool
parse_number(const char *s, size_t n, bool units, int64_t *out)
{
	static const struct { const char *u; int64_t mult; } unit_defs[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
	};
	int64_t ip = 0, frac = 0, fscale = 1, mult = 1;
	size_t i = 0, nd = 0;

	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, nd++) {
		if (nd >= 12)
			return false;
		ip = ip * 10 + (s[i] - '0');
	}
	if (nd == 0)
		return false;
	if (units && i < n && s[i] == '.') {
		size_t fd = 0;

		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, fd++)
			if (fd < 6) {
				frac = frac * 10 + (s[i] - '0');
				fscale *= 10;
			}
		if (fd == 0)
			return false;
	}
	if (i < n) {
		size_t k;

		if (!units)
			return false;
		for (k = 0; k < HG_ARRAY_SIZE(unit_defs); k++)
			if (strlen(unit_defs[k].u) == n - i && ascii_case_eq(unit_defs[k].u, s + i, n - i))
				break;
		if (k == HG_ARRAY_SIZE(unit_defs))
			return false;
		mult = unit_defs[k].mult;
	}
	*out = ip * mult + frac * mult / fscale;
	return true;
}

static bool
parse_cmp(struct parser *p, struct term *t, size_t keypos)
{
	size_t npos;
	bool units = t->field == FLD_DUR;

	if (!parse_op(p, t))
		return false;
	npos = p->pos;
	while (!at_end_of_term(p))
		p->pos++;
	if (npos == p->pos)
		return fail_text(p, npos, "number expected after", keypos, npos, "");
	if (!parse_number(p->src + npos, p->pos - npos, units, &t->num))
		return fail_text(p, npos, "bad number", npos, p->pos,
				 units ? " (expected e.g. 500, 500ms, 2s, 1.5m, 1h)"
				       : " (expected a whole number)");
	return true;
}

/* Time values of since: and until: */

#define NS_PER_S INT64_C(1000000000)
#define TIME_HINT " (expected e.g. 2h, 30m, 90s, 3d, today, yesterday, 2026-11-28, " \
	"2026-11-28T14:00, 2026-11-28T14:00:05Z or 2026-11-28T14:00+01:00)"

/* N decimal digits at S into *out. */
static bool
digits(const char *s, size_t n, int *out)
{
	*out = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*out = *out * 10 + (s[i] - '0');
	}
	return true;
}

/* Local midnight DAYS days after that of the day holding NOW (ns). */
static int64_t
local_midnight(int64_t now, int days)
{
	time_t t = (time_t)(now / NS_PER_S);
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return now;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += days;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	return (int64_t)t * NS_PER_S;
}

/* YYYY-MM-DD[Thh:mm[:ss]][Z|+hh:mm|-hh:mm]: local time without a zone. */
static bool
parse_instant(const char *s, size_t n, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, off = 0;
	bool zoned = false;
	size_t i = 10;

	if (n < 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
	    !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d))
		return false;
	if (y < 1 || d < 1 || d > hg_days_in_month(y, mo))
		return false;
	if (i < n) {
		if ((s[i] != 'T' && s[i] != 't') || n < i + 6 || s[i + 3] != ':' ||
		    !digits(s + i + 1, 2, &h) || !digits(s + i + 4, 2, &mi) || h > 23 || mi > 59)
			return false;
		i += 6;
		if (i < n && s[i] == ':') {
			if (n < i + 3 || !digits(s + i + 1, 2, &sec) || sec > 59)
				return false;
			i += 3;
		}
		if (i < n && (s[i] == 'Z' || s[i] == 'z') && i + 1 == n) {
			zoned = true;
			i++;
		} else if (i < n && (s[i] == '+' || s[i] == '-')) {
			int oh, om;

			if (n != i + 6 || s[i + 3] != ':' || !digits(s + i + 1, 2, &oh) ||
			    !digits(s + i + 4, 2, &om) || oh > 23 || om > 59)
				return false;
			off = (s[i] == '-' ? -1 : 1) * (oh * 60 + om);
			zoned = true;
			i = n;
		}
		if (i != n)
			return false;
	}
	if (zoned) {
		*out = ((hg_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 +
			 mi * 60 + sec) - off * 60) * NS_PER_S;
	} else {
		struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
				 .tm_hour = h, .tm_min = mi, .tm_sec = sec, .tm_isdst = -1 };
		time_t t = mktime(&tm);

		*out = (int64_t)t * NS_PER_S;
	}
	return true;
}

/* A span back from now: digits and a unit s, m, h or d. */
static bool
parse_ago(const char *s, size_t n, int64_t *out)
{
	static const struct { char u; int64_t secs; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
	};
	int v;

	if (n < 2 || n > 8 || !digits(s, n - 1, &v))
		return false;
	for (size_t k = 0; k < HG_ARRAY_SIZE(units); k++)
		if (lower(s[n - 1]) == units[k].u) {
			*out = (int64_t)v * units[k].secs * NS_PER_S;
			return true;
		}
	return false;
}

/* The instant a time term stands for at NOW. A span of an hour or more
 * counts from the whole minute, a shorter one from the whole second: a
 * live view is filtered again at most once a minute, or once a second. */
static int64_t
resolve_time(const struct term *t, int64_t now)
{
	switch (t->when) {
	case WHEN_AGO:
		now -= now % (t->num >= 3600 * NS_PER_S ? 60 * NS_PER_S : NS_PER_S);
		return now - t->num;
	case WHEN_TODAY:
		return local_midnight(now, 0);
	case WHEN_YESTERDAY:
		return local_midnight(now, -1);
	default:
		return t->num;
	}
}

static bool
parse_time(struct parser *p, struct term *t, size_t keypos)
{
	size_t vpos = ++p->pos;	/* past ':' */
	const char *v = p->src + vpos;
	size_t n;

	while (!at_end_of_term(p))
		p->pos++;
	n = p->pos - vpos;
	if (n == 0)
		return fail_text(p, vpos, "time expected after", keypos, vpos, TIME_HINT);
	if (n == 5 && ascii_case_eq(v, "today", 5))
		t->when = WHEN_TODAY;
	else if (n == 9 && ascii_case_eq(v, "yesterday", 9))
		t->when = WHEN_YESTERDAY;
	else if (parse_ago(v, n, &t->num))
		t->when = WHEN_AGO;
	else if (parse_instant(v, n, &t->num))
		t->when = WHEN_ABS;
	else
		return fail_text(p, vpos, "bad time", vpos, p->pos, TIME_HINT);
	return true;
}

/* key:..., key<op>..., or a bare word that merely starts with letters. */
static bool
parse_keyed(struct parser *p, struct term *t, bool *keyed)
{
	size_t start = p->pos, n = 0;
	const struct key_def *k;
	char next;

	while (ident_char(p->src[start + n]))
		n++;
	next = p->src[start + n];
	k = n ? find_key(p->src + start, n) : NULL;
	*keyed = n > 0 && (strchr(":<>=", next) != NULL || (k && next == '!')) && next != '\0';
	if (!*keyed)
		return true;
	if (!k)
		return fail_text(p, start, "unknown key", start, start + n, " (keys: " KEY_LIST ")");
	t->type = k->type;
	t->field = k->field;
	t->attempt = k->attempt;
	p->pos = start + n;
	if (k->type == TERM_NUM)
		return parse_cmp(p, t, start);
	if (next != ':') {
		char tail[64];

		snprintf(tail, sizeof(tail), " (key '%s' takes ':')", k->name);
		return fail_text(p, p->pos, "bad operator", p->pos, p->pos + 1, tail);
	}
	if (k->type == TERM_TIME)
		return parse_time(p, t, start);
	return parse_set(p, t, start);
}

/* A space before the next token of the normalised text, but none right
 * after a group's opening parenthesis (a word may end in '(' too: "a(",
 * and needs its space). */
static void
text_sep(struct parser *p)
{
	if (p->text.len && p->text.len != p->opened)
		hg_buf_addc(&p->text, ' ');
}

static bool
parse_term(struct parser *p, struct hg_filter *f)
{
	size_t start = p->pos;
	struct term *t = add_term(f);
	bool keyed = false;

	if (p->src[p->pos] == '!') {
		t->neg = true;
		p->pos++;
		if (at_end_of_term(p))
			return fail(p, p->pos, "term expected after '!'", "");
	}
	if (p->src[p->pos] != '"' && !parse_keyed(p, t, &keyed))
		return false;
	if (!keyed && !parse_word(p, t))
		return false;
	if (t->type == TERM_SET && t->attempt && !t->neg) {
		/* One tier or verdict term: the entry masks answer it. */
		f->group_by_masks = !f->has_group &&
			(t->field == FLD_TIER || t->field == FLD_VERDICT);
		f->has_group = true;
	}
	text_sep(p);
	hg_buf_add(&p->text, p->src + start, p->pos - start);
	return true;
}

/* Evaluation cost class of a term matched on its own (-1: not on its
 * own: words go last, the one-attempt group is matched apart). */
static int
cost_class(const struct term *t)
{
	if (t->type == TERM_WORD || (t->type == TERM_SET && t->attempt && !t->neg))
		return -1;
	if (t->type == TERM_NUM || t->type == TERM_KIND || t->type == TERM_TIME ||
	    t->type == TERM_HGREAD)
		return 0;
	return t->attempt ? 2 : 1;
}

static bool values_match(const struct term *t, const char *s);

static void
prepare(struct hg_filter *f)
{
	f->order = xcalloc(f->n ? f->n : 1, sizeof(*f->order));
	for (int c = 0; c <= 2; c++)
		for (size_t i = 0; i < f->n; i++)
			if (cost_class(&f->terms[i]) == c)
				f->order[f->n_order++] = i;
	hg_filter_set_now(f, hg_now_wall_ns());
	for (size_t i = 0; i < f->n; i++) {
		struct term *t = &f->terms[i];

		if (!t->neg && ((t->type == TERM_KIND && (t->kinds >> HG_ENTRY_ANNOTATION) & 1u) ||
				(t->type == TERM_SET && t->field == FLD_SKILL &&
				 values_match(t, HG_ANNOTATE_SKILL))))
			f->lists_notes = true;
		if (t->type != TERM_SET || (t->field != FLD_TIER && t->field != FLD_VERDICT))
			continue;
		for (unsigned k = 0; k < 4; k++) {
			const char *name = t->field == FLD_TIER ? hg_tier_name((enum hg_tier)k)
								 : hg_verdict_name((enum hg_verdict)k);

			if (values_match(t, name))
				t->enum_bits |= 1u << k;
		}
	}
}

/* A group of tier and verdict terms is one set of (tier, verdict) pairs,
 * answered from the entry's pair mask (bit tier * 5 + verdict) without
 * reading its attempts. Values outside the enums are not in the set: an
 * entry with such a value is matched attempt by attempt. */
static void
prepare_pairs(struct hg_filter *f)
{
	uint32_t pairs = (1u << 25) - 1;

	f->group_by_pairs = f->has_group;
	for (size_t i = 0; i < f->n && f->group_by_pairs; i++) {
		const struct term *t = &f->terms[i];
		uint32_t allowed = 0;

		if (t->type != TERM_SET || !t->attempt || t->neg)
			continue;
		if (t->field != FLD_TIER && t->field != FLD_VERDICT) {
			f->group_by_pairs = false;
			break;
		}
		for (unsigned tier = 0; tier < 5; tier++)
			for (unsigned v = 0; v < 5; v++) {
				unsigned k = t->field == FLD_TIER ? tier : v;

				if (k < 4 && ((t->enum_bits >> k) & 1u))
					allowed |= 1u << (tier * 5 + v);
			}
		pairs &= allowed;
	}
	f->group_pairs = pairs;
}

static struct hg_filter *
new_leaf(struct hg_filter *top)
{
	struct hg_filter *f = xcalloc(1, sizeof(*f));

	top->leaves = grow(top->leaves, top->n_leaves, &top->cap_leaves, sizeof(*top->leaves));
	top->leaves[top->n_leaves++] = f;
	return f;
}

static void
finish_leaf(struct hg_filter *f)
{
	if (!f->text)
		f->text = xstrdup("");
	for (size_t i = 0; i < f->n; i++) {
		uint8_t ty = f->terms[i].type;

		f->has_time |= ty == TERM_TIME;
		f->not_unparsable |= ty != TERM_WORD && ty != TERM_KIND && ty != TERM_HGREAD;
	}
	prepare(f);
	prepare_pairs(f);
}

static struct node *
new_node(uint8_t type)
{
	struct node *n = xcalloc(1, sizeof(*n));

	n->type = type;
	return n;
}

static void
node_add(struct node *n, struct node *kid)
{
	n->kids = grow(n->kids, n->n, &n->cap, sizeof(*n->kids));
	n->kids[n->n++] = kid;
}

static void
node_free(struct node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n);
}

static struct node *parse_or(struct parser *p, struct hg_filter *top);

/* Terms side by side (AND), parenthesised groups among them; stops at
 * "|", at the end, or at the ")" closing a group. NULL after an error;
 * an empty group is an error that names the token around it. */
static struct node *
parse_and(struct parser *p, struct hg_filter *top)
{
	struct hg_filter *leaf = NULL;
	struct node *n = new_node(NODE_AND);

	for (;;) {
		const char *s = p->src;
		size_t at;
		char c;

		while (is_space(s[p->pos]))
			p->pos++;
		c = s[p->pos];
		if (c == '\0' || c == '|' || (c == ')' && p->depth > 0))
			break;
		at = p->pos;
		if (c == '(' || (c == '!' && s[p->pos + 1] == '(')) {
			struct node *g;

			text_sep(p);
			hg_buf_adds(&p->text, c == '!' ? "!(" : "(");
			p->opened = p->text.len;
			p->pos += c == '!' ? 2 : 1;
			p->depth++;
			g = parse_or(p, top);
			p->depth--;
			if (!g) {
				node_free(n);
				return NULL;
			}
			if (s[p->pos] != ')') {
				node_free(g);
				node_free(n);
				fail(p, at + (c == '!'), "unbalanced '('", " (')' expected)");
				return NULL;
			}
			p->pos++;
			hg_buf_addc(&p->text, ')');
			g->neg ^= c == '!';
			node_add(n, g);
			continue;
		}
		if (!leaf) {
			leaf = new_leaf(top);
			struct node *ln = new_node(NODE_LEAF);

			ln->leaf = leaf;
			node_add(n, ln);
		}
		if (!parse_term(p, leaf)) {
			node_free(n);
			return NULL;
		}
	}
	if (leaf)
		finish_leaf(leaf);
	if (n->n == 0) {
		char c = p->src[p->pos];

		size_t b = p->pos;

		node_free(n);
		while (b > 0 && is_space(p->src[b - 1]))
			b--;
		if (b > 0 && (p->src[b - 1] == '|' || p->src[b - 1] == '('))
			fail(p, p->pos, p->src[b - 1] == '|' ? "term expected after '|'"
							     : "term expected after '('", "");
		else
			fail(p, p->pos, c == '|' ? "term expected before '|'" : "term expected", "");
		return NULL;
	}
	if (n->n == 1) {
		struct node *k = n->kids[0];

		n->n = 0;
		node_free(n);
		return k;
	}
	return n;
}

/* AND groups separated by "|" (OR): juxtaposition binds tighter. */
static struct node *
parse_or(struct parser *p, struct hg_filter *top)
{
	struct node *n = NULL, *k;

	for (;;) {
		if (!(k = parse_and(p, top))) {
			node_free(n);
			return NULL;
		}
		if (p->src[p->pos] != '|')
			break;
		if (!n)
			n = new_node(NODE_OR);
		node_add(n, k);
		p->pos++;
		hg_buf_adds(&p->text, " |");
	}
	if (!n)
		return k;
	node_add(n, k);
	return n;
}

struct hg_filter *
hg_filter_parse(const char *expr, char *err, size_t errlen, int *err_col)
{
	struct parser p = { .src = expr ? expr : "", .err = err, .errlen = errlen,
			    .err_col = err_col };
	struct hg_filter *f = xcalloc(1, sizeof(*f));
	struct node *tree;
	size_t i = 0;

	if (err && errlen)
		err[0] = '\0';
	if (err_col)
		*err_col = 0;
	while (is_space(p.src[i]))
		i++;
	if (p.src[i] == '\0') {
		f->text = xstrdup("");
		prepare(f);
		return f;
	}
	tree = parse_or(&p, f);
	if (!tree) {
		hg_buf_free(&p.text);
		hg_filter_free(f);
		return NULL;
	}
	if (tree->type == NODE_LEAF && !tree->neg) {
		/* No "|" nor group: the one flat filter is the filter. */
		struct hg_filter *leaf = tree->leaf;

		node_free(tree);
		f->n_leaves = 0;
		hg_filter_free(f);
		free(leaf->text);
		leaf->text = p.text.p;
		return leaf;
	}
	f->tree = tree;
	f->text = p.text.p;
	prepare(f);
	for (i = 0; i < f->n_leaves; i++) {
		f->moves |= f->leaves[i]->moves;
		f->has_group |= f->leaves[i]->has_group;
		f->lists_notes |= f->leaves[i]->lists_notes;
	}
	return f;
}

/* A quick-filter list ("accept,escalate") as one "key:list" term. */
static bool
quick_term(struct hg_buf *out, const char *key, const char *list, char *err, size_t errlen)
{
	struct hg_filter *f;
	char *term;

	if (!list || !*list)
		return true;
	term = xasprintf("%s:%s", key, list);
	f = hg_filter_parse(term, NULL, 0, NULL);
	if (!f || f->n != 1) {
		if (err && errlen)
			snprintf(err, errlen, "%s list: bad list '%s' (expected e.g. %s)", key, list,
				 strcmp(key, "tier") == 0 ? "local,managed" : "accept,escalate");
		hg_filter_free(f);
		free(term);
		return false;
	}
	if (out->len)
		hg_buf_addc(out, ' ');
	hg_buf_adds(out, f->text);
	hg_filter_free(f);
	free(term);
	return true;
}

struct hg_filter *
hg_filter_parse_effective(const char *expr, const char *verdicts, const char *tiers,
			  char *err, size_t errlen, int *err_col)
{
	struct hg_filter *f = hg_filter_parse(expr, err, errlen, err_col);
	struct hg_buf b = { 0 };

	if (!f)
		return NULL;
	if (!quick_term(&b, "tier", tiers, err, errlen) ||
	    !quick_term(&b, "verdict", verdicts, err, errlen)) {
		hg_filter_free(f);
		hg_buf_free(&b);
		return NULL;
	}
	if (b.len == 0)
		return f;
	if (f->text[0]) {
		/* "a | b" with a quick filter is "tier:x (a | b)". */
		hg_buf_adds(&b, f->tree ? " (" : " ");
		hg_buf_adds(&b, f->text);
		if (f->tree)
			hg_buf_addc(&b, ')');
	}
	hg_filter_free(f);
	f = hg_filter_parse(b.p, err, errlen, err_col);
	hg_buf_free(&b);
	return f;
}

/* Texts not kept in memory (long ones, or all in the browser) are read
 * back from the file, a block of lines at a time (word_long). */
static _Thread_local struct hg_line_reader lines;

static void
filter_release(void)
{
	hg_line_reader_close(&lines);
}

void
hg_filter_free(struct hg_filter *f)
{
	if (!f)
		return;
	filter_release();
	for (size_t i = 0; i < f->n; i++)
		free_term(&f->terms[i]);
	for (size_t i = 0; i < f->n_leaves; i++)
		hg_filter_free(f->leaves[i]);
	free(f->leaves);
	node_free(f->tree);
	free(f->terms);
	free(f->order);
	free(f->text);
	free(f);
}

bool
hg_filter_is_empty(const struct hg_filter *f)
{
	return !f || (f->n == 0 && !f->tree);
}

bool
hg_filter_has_or(const struct hg_filter *f)
{
	return f && f->tree;
}

const char *
hg_filter_text(const struct hg_filter *f)
{
	return f && f->text ? f->text : "";
}

bool
hg_filter_moves(const struct hg_filter *f)
{
	return f && f->moves;
}

bool
hg_filter_set_now(struct hg_filter *f, int64_t now_ns)
{
	bool changed = false;

	for (size_t i = 0; f && i < f->n_leaves; i++)
		changed |= hg_filter_set_now(f->leaves[i], now_ns);
	for (size_t i = 0; f && i < f->n; i++) {
		struct term *t = &f->terms[i];
		int64_t inst;

		if (t->type != TERM_TIME)
			continue;
		f->moves |= t->when != WHEN_ABS;
		inst = resolve_time(t, now_ns);
		changed |= inst != t->inst;
		t->inst = inst;
	}
	return changed;
}

bool
hg_filter_has_attempt_terms(const struct hg_filter *f)
{
	return f && f->has_group;
}

bool
hg_filter_lists_notes(const struct hg_filter *f)
{
	return f && f->lists_notes;
}

/* Checking values: a verdict or tier value must name a known one, or one
 * that occurs in the logs (a newer hyperguild's), else it is a typo. */

static bool value_takes(const struct value *v, const char *s, size_t n);

static bool
value_names(const struct value *v, const char *s)
{
	return v->any || value_takes(v, s, strlen(s));
}

/* Values outside the enum that occur in the logs, a few of them kept to
 * be named in the message. */
#define SEEN_MAX 8

struct seen {
	const char *v[SEEN_MAX];
	size_t n;
	bool more;
};

static void
seen_add(struct seen *sn, const char *s)
{
	for (size_t i = 0; i < sn->n; i++)
		if (sn->v[i] == s)
			return;
	if (sn->n < SEEN_MAX)
		sn->v[sn->n++] = s;
	else
		sn->more = true;
}

/* Whether V names a value of FIELD that occurs in the sessions; the
 * values outside the enum seen on the way are added to SN. */
static bool
value_in_logs(const struct value *v, bool verdict, struct hg_session *const *ss, size_t n,
	      struct seen *sn)
{
	unsigned other = 1u << (verdict ? HG_VERDICT_OTHER : HG_TIER_OTHER);
	bool found = false;

	for (size_t i = 0; i < n; i++) {
		const struct hg_session *s = ss[i];

		for (size_t k = 0; k < s->n_entries; k++) {
			const struct hg_entry *e = &s->entries[k];

			if (!((verdict ? hg_entry_verdict_mask(e) : hg_entry_tier_mask(e)) & other))
				continue;
			for (uint32_t a = 0; a < e->n_attempts; a++) {
				const struct hg_attempt *at = &e->attempts[a];
				const char *text = verdict ? hg_attempt_verdict(at) : hg_attempt_tier(at);

				if ((verdict ? at->verdict != HG_VERDICT_OTHER
					     : at->tier != HG_TIER_OTHER) || !text)
					continue;
				seen_add(sn, text);
				if (value_names(v, text))
					found = true;
			}
		}
	}
	return found;
}

static bool
value_known(const struct value *v, bool verdict)
{
	if (v->any || (v->len == 0 && !v->prefix))
		return true;
	for (unsigned k = 1; k < 4; k++)
		if (value_names(v, verdict ? hg_verdict_name((enum hg_verdict)k)
					   : hg_tier_name((enum hg_tier)k)))
			return true;
	return v->prefix && value_names(v, "none");
}

static void
unknown_value(const char *expr, const struct value *v, bool verdict,
	      const struct seen *sn, char *err, size_t errlen, int *err_col)
{
	struct hg_buf b = { 0 };
	char snip[64];
	int col = hg_utf8_column(expr, v->from);

	snippet(snip, sizeof(snip), expr + v->from, v->to - v->from);
	hg_buf_printf(&b, "unknown %s '%s'", verdict ? "verdict" : "tier", snip);
	if (err_col) {
		hg_buf_printf(&b, " at column %d", col);
		*err_col = col;
	}
	hg_buf_adds(&b, verdict ? " (verdicts: accept, escalate, error, none"
				: " (tiers: local, subagent, managed, none");
	for (size_t i = 0; i < sn->n; i++) {
		hg_buf_adds(&b, i ? ", " : "; in these logs also: ");
		snippet(snip, sizeof(snip), sn->v[i], strlen(sn->v[i]));
		hg_buf_adds(&b, snip);
	}
	if (sn->more)
		hg_buf_adds(&b, ", ...");
	hg_buf_addc(&b, ')');
	if (err && errlen)
		snprintf(err, errlen, "%s", b.p);
	hg_buf_free(&b);
}

bool
hg_filter_check_values(const char *expr, struct hg_session *const *sessions, size_t n,
		       char *err, size_t errlen, int *err_col)
{
	struct hg_filter *top = hg_filter_parse(expr, err, errlen, err_col), *f = top;
	bool ok = f != NULL;
	size_t leaf = 0;

	if (top && top->tree)
		f = top->n_leaves ? top->leaves[0] : NULL;
again:
	for (size_t i = 0; f && ok && i < f->n; i++) {
		const struct term *t = &f->terms[i];
		bool verdict = t->field == FLD_VERDICT;

		if (t->type != TERM_SET || (t->field != FLD_VERDICT && t->field != FLD_TIER))
			continue;
		for (size_t j = 0; ok && j < t->n_vals; j++) {
			struct seen sn = { .n = 0 };

			if (value_known(&t->vals[j], verdict) ||
			    value_in_logs(&t->vals[j], verdict, sessions, n, &sn))
				continue;
			unknown_value(expr, &t->vals[j], verdict, &sn, err, errlen, err_col);
			ok = false;
		}
	}
	if (ok && top && top->tree && ++leaf < top->n_leaves) {
		f = top->leaves[leaf];
		goto again;
	}
	hg_filter_free(top);
	return ok;
}

/* Matching: string tests */

static bool
contains(const struct value *w, const char *s, size_t n)
{
	return w->len == 0 || hg_memcasemem(s, n, w->s, w->len) != NULL;
}

/* Case-insensitive match of S against pattern P, whose "*" stand for any
 * run of characters (TAIL: one more "*" at its end). */
static bool
glob_match(const char *p, size_t pn, const char *s, size_t n, bool tail)
{
	size_t i = 0, j = 0, star = SIZE_MAX, mark = 0;

	while (j < n) {
		if (i < pn && p[i] == '*') {
			star = i++;
			mark = j;
		} else if (i < pn && p[i] == lower(s[j])) {
			i++;
			j++;
		} else if (i == pn && tail) {
			return true;
		} else if (star != SIZE_MAX) {
			i = star + 1;
			j = ++mark;
		} else {
			return false;
		}
	}
	while (i < pn && p[i] == '*')
		i++;
	return i == pn;
}

/* Whether value V takes field text S (N bytes). A value with a star
 * never takes an empty field: "file:*" means the entry has a file. */
static bool
value_takes(const struct value *v, const char *s, size_t n)
{
	if (n == 0 && (v->prefix || v->glob))
		return false;
	if (v->any)
		return true;
	if (v->glob)
		return glob_match(v->s, v->len, s, n, v->prefix);
	return (v->prefix ? n >= v->len : n == v->len) && ascii_case_eq(s, v->s, v->len);
}

static bool
values_match(const struct term *t, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < t->n_vals; i++)
		if (value_takes(&t->vals[i], s, n))
			return true;
	return false;
}

static bool
string_test(const struct term *t, const char *s)
{
	if (t->type == TERM_WORD)
		return contains(&t->vals[0], s, strlen(s));
	return values_match(t, s);
}

static size_t
ptr_slot(const void *p, size_t mask)
{
	uintptr_t h = (uintptr_t)p;

	h ^= h >> 17;
	return (size_t)(h * UINT64_C(0x9E3779B97F4A7C15) >> 7) & mask;
}

static void
memo_put(struct memo *m, const char *key, bool val)
{
	size_t i;

	if (m->n >= MEMO_MAX)
		return;
	if ((m->n + 1) * 2 > m->cap) {
		struct memo old = *m;

		m->cap = m->cap ? m->cap * 2 : 64;
		m->keys = xcalloc(m->cap, sizeof(*m->keys));
		m->vals = xcalloc(m->cap, 1);
		m->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.keys[i])
				memo_put(m, old.keys[i], old.vals[i]);
		free(old.keys);
		free(old.vals);
	}
	for (i = ptr_slot(key, m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		;
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
}

/* The term's answer for interned string S, remembered per pointer. */
static bool
memo_test(const struct term *t, const char *s)
{
	struct memo *m = t->memo;
	bool v;

	if (!s)
		s = "";
	if (s == m->last[0])
		return m->last_val[0];
	if (s == m->last[1])
		return m->last_val[1];
	if (m->cap) {
		for (size_t i = ptr_slot(s, m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
			if (m->keys[i] == s) {
				v = m->vals[i];
				goto done;
			}
	}
	v = string_test(t, s);
	memo_put(m, s, v);
done:
	m->last[m->last_next] = s;
	m->last_val[m->last_next] = v;
	m->last_next ^= 1;
	return v;
}

/* Matching: fields */

static const char *
attempt_field(const struct term *t, const struct hg_attempt *a)
{
	switch (t->field) {
	case FLD_VERDICT:
		return hg_attempt_verdict(a);
	case FLD_TIER:
		return hg_attempt_tier(a);
	default:
		return hg_sym_str(hg_attempt_model(a));
	}
}

/* Known tiers and verdicts are answered from the enum: their text is
 * exactly the enum's name, so the precomputed bit is the same answer. */
static bool
attempt_test(const struct term *t, const struct hg_attempt *a)
{
	if (t->field == FLD_TIER && a->tier != HG_TIER_OTHER)
		return (t->enum_bits >> a->tier) & 1u;
	if (t->field == FLD_VERDICT && a->verdict != HG_VERDICT_OTHER)
		return (t->enum_bits >> a->verdict) & 1u;
	return memo_test(t, attempt_field(t, a));
}

/* Tier and verdict terms answered from the entry's masks, without
 * touching its attempts: 1 or 0, or -1 when an attempt has a value
 * outside the enum and must be looked at. */
static int
mask_answer(const struct term *t, const struct hg_entry *e)
{
	unsigned mask, other;

	if (t->field == FLD_TIER) {
		mask = hg_entry_tier_mask(e);
		other = 1u << HG_TIER_OTHER;
	} else if (t->field == FLD_VERDICT) {
		mask = hg_entry_verdict_mask(e);
		other = 1u << HG_VERDICT_OTHER;
	} else {
		return -1;
	}
	if (mask & t->enum_bits & ~other)
		return 1;
	return mask & other ? -1 : 0;
}

static bool
any_attempt(const struct term *t, const struct hg_entry *e)
{
	int m = mask_answer(t, e);

	if (m >= 0)
		return m;
	for (uint32_t i = 0; i < e->n_attempts; i++)
		if (attempt_test(t, &e->attempts[i]))
			return true;
	return false;
}

static bool
session_test(const struct term *t, const struct hg_session *s, const struct hg_entry *e)
{
	struct memo *m = t->memo;

	if (memo_test(t, hg_entry_str(e, HG_E_SESSION_ID)))
		return true;
	if (!s || !s->id)
		return false;
	if (m->last_s != s) {
		m->last_s = s;
		m->last_s_val = values_match(t, s->id);
	}
	return m->last_s_val;
}

static int64_t
num_field(const struct term *t, const struct hg_entry *e)
{
	return t->field == FLD_DUR ? hg_entry_ms(e) : (int64_t)e->n_attempts;
}

static bool
num_test(const struct term *t, const struct hg_entry *e)
{
	int64_t v = num_field(t, e);

	switch (t->op) {
	case OP_GT:
		return v > t->num;
	case OP_GE:
		return v >= t->num;
	case OP_LT:
		return v < t->num;
	case OP_LE:
		return v <= t->num;
	case OP_EQ:
		return v == t->num;
	default:
		return v != t->num;
	}
}


/* The value of FIELD in entry E's text fields (attempt fields: NULL,
 * they are read per attempt). */
static const char *
entry_text_field(uint8_t field, const struct hg_entry *e)
{
	switch (field) {
	case FLD_SKILL:
		return hg_entry_str(e, HG_E_SKILL);
	case FLD_STATUS:
		return hg_entry_str(e, HG_E_FINAL_STATUS);
	case FLD_PHASE:
		return hg_entry_str(e, HG_E_PHASE);
	case FLD_SESSION:
		return hg_entry_str(e, HG_E_SESSION_ID);
	case FLD_FILE:
		return hg_sym_str(e->file_path);
	case FLD_MODEL_USED:
		return hg_entry_str(e, HG_E_MODEL_USED);
	case FLD_PROJECT:
		return hg_entry_str(e, HG_E_PROJECT_ROOT);
	default:
		return NULL;
	}
}

/* A non-word term, without its negation applied. Positive attempt-level
 * terms are handled as a group (match_group). */
static bool
eval_term(const struct term *t, const struct hg_session *s, const struct hg_entry *e)
{
	switch (t->type) {
	case TERM_KIND:
		return (t->kinds >> e->kind) & 1u;
	case TERM_HGREAD:
		return hgread_test(t, s, e);
	case TERM_NUM:
		return num_test(t, e);
	case TERM_TIME:
		return t->field == FLD_SINCE ? e->ts_ns >= t->inst : e->ts_ns < t->inst;
	default:
		if (t->attempt)
			return any_attempt(t, e);
		if (t->field == FLD_SESSION)
			return session_test(t, s, e);
		return memo_test(t, entry_text_field(t->field, e));
	}
}

static bool
attempt_in_group(const struct hg_filter *f, const struct hg_attempt *a)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct term *t = &f->terms[i];

		if (t->type == TERM_SET && t->attempt && !t->neg && !attempt_test(t, a))
			return false;
	}
	return true;
}

static bool
match_group(const struct hg_filter *f, const struct hg_entry *e)
{
	/* Every term of the group must hold on some attempt: a term that no
	 * attempt satisfies rejects the entry before its attempts are read. */
	for (size_t i = 0; i < f->n; i++) {
		const struct term *t = &f->terms[i];

		if (t->type == TERM_SET && t->attempt && !t->neg) {
			int m = mask_answer(t, e);

			if (m == 0)
				return false;
			if (m == 1 && f->group_by_masks)
				return true;
		}
	}
	if (f->group_by_pairs && !(hg_entry_tier_mask(e) & (1u << HG_TIER_OTHER)) &&
	    !(hg_entry_verdict_mask(e) & (1u << HG_VERDICT_OTHER)))
		return (e->pair_mask & f->group_pairs) != 0;
	for (uint32_t i = 0; i < e->n_attempts; i++)
		if (attempt_in_group(f, &e->attempts[i]))
			return true;
	return false;
}

/* Matching: words */

/* A long text, or any in the browser, is read back (lines, above). A
 * plain word (no character JSON escapes) is ruled out on the raw line
 * before the line is parsed again. */
static bool
word_long(const struct term *t, const struct hg_session *s, const struct hg_entry *e)
{
	size_t len = 0;
	const char *line = hg_line_reader_get(&lines, s, e, &len);
	struct hg_entry back = { 0 };
	const char *fb;
	bool hit;

	if (!line)
		return false;
	if (t->plain && !hg_memcasemem(line, len, t->vals[0].s, t->vals[0].len))
		return false;
	hg_parse_line_texts(line, len, &back);
	hit = hg_entry_message(&back) &&
	      contains(&t->vals[0], hg_entry_message(&back), hg_entry_message_len(&back));
	fb = hg_feedback_first(&back);
	for (uint32_t i = 0; !hit && i < back.n_attempts; i++) {
		const struct hg_attempt *a = &back.attempts[i];
		const char *text = hg_feedback_next(a, &fb);

		hit = text && contains(&t->vals[0], text, hg_attempt_feedback_len(a));
	}
	hg_entry_free(&back);
	return hit;
}

static bool
word_test(const struct term *t, const struct hg_session *s, const struct hg_entry *e)
{
	const struct value *w = &t->vals[0];
	const char *fb;
	bool longtext;

	if (w->len == 0 || memo_test(t, hg_entry_str(e, HG_E_SKILL)) ||
	    memo_test(t, hg_entry_str(e, HG_E_FINAL_STATUS)))
		return true;
	if (hg_entry_message(e) && contains(w, hg_entry_message(e), hg_entry_message_len(e)))
		return true;
	longtext = !hg_entry_message(e) && hg_entry_message_len(e) > 0;
	fb = hg_feedback_first(e);
	for (uint32_t i = 0; i < e->n_attempts; i++) {
		const struct hg_attempt *a = &e->attempts[i];
		const char *text = hg_feedback_next(a, &fb);

		if (text && contains(w, text, hg_attempt_feedback_len(a)))
			return true;
		if (!text && hg_attempt_feedback_len(a) > 0)
			longtext = true;
	}
	return longtext && s && word_long(t, s, e);
}

static bool
match_unparsable(const struct hg_filter *f, const struct hg_session *s, const struct hg_entry *e)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct term *t = &f->terms[i];
		bool r;

		if (t->type == TERM_WORD)
			r = hg_entry_reason(e) && contains(&t->vals[0], hg_entry_reason(e),
							   strlen(hg_entry_reason(e)));
		else if (t->type == TERM_KIND)
			r = (t->kinds >> e->kind) & 1u;
		else if (t->type == TERM_HGREAD)
			r = hgread_test(t, s, e);
		else
			return false;
		if (r == t->neg)
			return false;
	}
	return true;
}

/* Three answers for groups: an unparsable line against a leaf with a term
 * other than words and kinds, or an entry without a timestamp against a
 * leaf with a time term, is out (X): negation leaves it out, as it does a
 * single such term. */
enum { ANS_F, ANS_T, ANS_X };

static int
eval_leaf(const struct hg_filter *f, const struct hg_session *s, const struct hg_entry *e)
{
	if (e->kind == HG_ENTRY_UNPARSABLE ? f->not_unparsable : e->ts_zero && f->has_time)
		return ANS_X;
	return hg_filter_match(f, s, e) ? ANS_T : ANS_F;
}

static int
eval_node(const struct node *n, const struct hg_session *s, const struct hg_entry *e)
{
	int r, k;

	switch (n->type) {
	case NODE_LEAF:
		r = eval_leaf(n->leaf, s, e);
		break;
	case NODE_AND:
		r = ANS_T;
		for (size_t i = 0; r != ANS_F && i < n->n; i++)
			if ((k = eval_node(n->kids[i], s, e)) != ANS_T)
				r = k;
		break;
	default:
		r = ANS_F;
		for (size_t i = 0; r != ANS_T && i < n->n; i++)
			if ((k = eval_node(n->kids[i], s, e)) != ANS_F)
				r = k;
		break;
	}
	if (n->neg && r != ANS_X)
		r = r == ANS_T ? ANS_F : ANS_T;
	return r;
}

bool
hg_filter_match(const struct hg_filter *f, const struct hg_session *s, const struct hg_entry *e)
{
	if (f && f->tree)
		return eval_node(f->tree, s, e) == ANS_T;
	if (!f || f->n == 0)
		return true;
	if (e->kind == HG_ENTRY_UNPARSABLE)
		return match_unparsable(f, s, e);
	/* Cheap terms first, then the attempt group, then text search. */
	for (size_t i = 0; i < f->n_order; i++) {
		const struct term *t = &f->terms[f->order[i]];

		/* No timestamp: no time term holds, negated or not. */
		if (t->type == TERM_TIME && e->ts_zero)
			return false;
		if (eval_term(t, s, e) == t->neg)
			return false;
	}
	if (f->has_group && !match_group(f, e))
		return false;
	for (size_t i = 0; i < f->n; i++) {
		const struct term *t = &f->terms[i];

		if (t->type == TERM_WORD && word_test(t, s, e) == t->neg)
			return false;
	}
	return true;
}

bool
hg_filter_match_attempt(const struct hg_filter *f, const struct hg_entry *e, size_t i)
{
	if (f && f->tree) {
		for (size_t k = 0; k < f->n_leaves; k++)
			if (hg_filter_match_attempt(f->leaves[k], e, i))
				return true;
		return false;
	}
	if (!f || !f->has_group || i >= e->n_attempts)
		return false;
	return attempt_in_group(f, &e->attempts[i]);
}

size_t
hg_filter_subject(const struct hg_session *s, size_t i)
{
	ssize_t t = hg_annotate_target(s, i);

	return t >= 0 ? (size_t)t : i;
}

bool
hg_filter_shown(const struct hg_filter *f, const struct hg_session *s, size_t i)
{
	if (hg_filter_is_empty(f))
		return true;
	if (f->lists_notes)
		return hg_filter_match(f, s, &s->entries[i]);
	return hg_filter_match(f, s, &s->entries[hg_filter_subject(s, i)]);
}

/* One pass over the entries (a million of them are read once, not three
 * times): a note's target is an earlier line, so its result is already
 * in MATCH when the note comes. */
size_t
hg_filter_session(const struct hg_filter *f, const struct hg_session *s, bool *match, size_t from,
		  size_t *entries)
{
	bool follow = !hg_filter_lists_notes(f);
	size_t n = 0, ok = 0;

	for (size_t i = from; i < s->n_entries; i++) {
		const struct hg_entry *e = &s->entries[i];
		size_t subject = i;

		if (i + HG_PREFETCH_AHEAD < s->n_entries)
			hg_entry_prefetch(&s->entries[i + HG_PREFETCH_AHEAD]);
		if (follow && e->kind == HG_ENTRY_ANNOTATION)
			subject = hg_filter_subject(s, i);
		match[i] = subject < i ? match[subject] : hg_filter_match(f, s, e);
		n += match[i];
		ok += match[i] && e->kind == HG_ENTRY_OK;
	}
	if (entries)
		*entries = ok;
	return n;
}

/* Completion */

static void
cand_add(struct hg_filter_completion *c, size_t *cap, const char *s)
{
	c->cands = grow(c->cands, c->n, cap, sizeof(*c->cands));
	c->cands[c->n++] = xstrdup(s);
}

static int
cand_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether S starts with the N bytes of P, ignoring ASCII case. */
static bool
starts_with(const char *s, const char *p, size_t n)
{
	return strlen(s) >= n && ascii_case_eq(s, p, n);
}


#define COMPLETE_MAX 200
#define SEEN_SLOTS 4096

/* Add S (an interned string) once, if it starts with the prefix. */
static void
seen_value(struct hg_filter_completion *c, size_t *cap, const char **slots, size_t *n_slots,
	   const char *s, const char *pre, size_t np)
{
	size_t i;

	if (!s || !*s || c->n >= COMPLETE_MAX || !starts_with(s, pre, np))
		return;
	for (i = ptr_slot(s, SEEN_SLOTS - 1); slots[i]; i = (i + 1) & (SEEN_SLOTS - 1))
		if (slots[i] == s)
			return;
	if (*n_slots + 1 >= SEEN_SLOTS / 2)
		return;
	slots[i] = s;
	(*n_slots)++;
	cand_add(c, cap, s);
}

void
hg_filter_complete(const char *text, size_t cur, struct hg_session *const *ss, size_t n_ss,
		   struct hg_filter_completion *c)
{
	static const char *const kinds[] = { "entry", "annotation", "unparsable" };
	static const char *const times[] = { "1h", "2h", "30m", "1d", "today", "yesterday" };
	size_t w = cur, cap = 0, colon;
	const struct key_def *k;

	memset(c, 0, sizeof(*c));
	while (w > 0 && !is_space(text[w - 1]) && text[w - 1] != '(' && text[w - 1] != '|')
		w--;
	if (text[w] == '!')
		w++;
	for (colon = w; colon < cur && text[colon] != ':'; colon++)
		;
	if (colon == cur) {
		/* A key. */
		c->from = w;
		for (size_t i = 0; i < HG_ARRAY_SIZE(key_defs); i++) {
			char buf[32];

			if (!starts_with(key_defs[i].name, text + w, cur - w))
				continue;
			snprintf(buf, sizeof(buf), "%s%s", key_defs[i].name,
				 key_defs[i].type == TERM_NUM ? "" : ":");
			cand_add(c, &cap, buf);
		}
		c->keys = true;
		return;
	}
	k = find_key(text + w, colon - w);
	if (!k)
		return;
	c->from = colon + 1;
	for (size_t i = c->from; i < cur; i++)
		if (text[i] == ',')
			c->from = i + 1;
	{
		const char *pre = text + c->from;
		size_t np = cur - c->from;

		if (k->type == TERM_KIND || k->type == TERM_TIME || k->type == TERM_HGREAD) {
			const char *const *list = k->type == TERM_KIND ? kinds
						: k->type == TERM_HGREAD ? hgread_names : times;
			size_t nl = k->type == TERM_KIND ? HG_ARRAY_SIZE(kinds)
				  : k->type == TERM_HGREAD ? HG_ARRAY_SIZE(hgread_names) : HG_ARRAY_SIZE(times);

			for (size_t i = 0; i < nl; i++)
				if (starts_with(list[i], pre, np))
					cand_add(c, &cap, list[i]);
			return;
		}
		if (k->type != TERM_SET)
			return;
		const char **slots = xcalloc(SEEN_SLOTS, sizeof(*slots));
		size_t n_slots = 0;

		for (size_t si = 0; si < n_ss && c->n < COMPLETE_MAX; si++) {
			const struct hg_session *s = ss[si];

			for (size_t i = 0; i < s->n_entries && c->n < COMPLETE_MAX; i++) {
				const struct hg_entry *e = &s->entries[i];

				if (e->kind == HG_ENTRY_UNPARSABLE)
					continue;
				if (!k->attempt) {
					seen_value(c, &cap, slots, &n_slots, entry_text_field(k->field, e),
						   pre, np);
					continue;
				}
				for (uint32_t a = 0; a < e->n_attempts; a++) {
					const struct hg_attempt *at = &e->attempts[a];
					const char *v = k->field == FLD_TIER ? hg_attempt_tier(at)
						      : k->field == FLD_VERDICT ? hg_attempt_verdict(at)
						      : hg_sym_str(hg_attempt_model(at));

					seen_value(c, &cap, slots, &n_slots, v, pre, np);
				}
			}
		}
		free(slots);
	}
	if (c->n > 1)
		qsort(c->cands, c->n, sizeof(*c->cands), cand_cmp);
	/* A value with a space, quote, comma or parenthesis goes quoted. */
	for (size_t i = 0; i < c->n; i++) {
		const char *v = c->cands[i];

		if (strpbrk(v, " \t\",()|\\")) {
			struct hg_buf b = { 0 };

			hg_buf_addc(&b, '"');
			for (; *v; v++) {
				if (*v == '"' || *v == '\\')
					hg_buf_addc(&b, '\\');
				hg_buf_addc(&b, *v);
			}
			hg_buf_addc(&b, '"');
			free(c->cands[i]);
			c->cands[i] = b.p;
		}
	}
}

void
hg_filter_completion_free(struct hg_filter_completion *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->cands[i]);
	free(c->cands);
	memset(c, 0, sizeof(*c));
}
