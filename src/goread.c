/* goread.c - Go's verdict on one session-log line, without building it.
 *
 * The syntax check follows the state machine of Go's encoding/json scanner
 * (scanner.go) state for state, so that the error texts are Go's: the
 * character is quoted as Go quotes it and named with the same context
 * ("looking for beginning of object key string", "in string literal"...),
 * and at the end of the input one space is stepped through the machine as
 * Go's eof() does ("-" alone is "invalid character ' ' in numeric
 * literal"). Go only checks the syntax of strings: bytes of 0x80 and up
 * are taken as they are (invalid UTF-8 becomes U+FFFD when decoded).
 *
 * The type check follows json.Unmarshal into hyperguild's Entry: keys are
 * matched to fields ignoring case (with Go's special folds of the Kelvin
 * sign and the long s), unknown keys are skipped, null fits every field,
 * the first value of a wrong type is reported (decoding goes on), and a
 * timestamp that time.Parse rejects stops the decoding at once (its error
 * wins over an earlier type error). A syntax error anywhere wins over both,
 * as Go checks the whole line before decoding it. */
#include "config.h"

#include "hgtop/goread.h"
#include "hgtop/annotate.h"
#include "hgtop/util.h"
#include "hgtop/values.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif


enum state {
	S_BEGIN_VALUE,
	S_BEGIN_VALUE_OR_EMPTY,
	S_BEGIN_STRING_OR_EMPTY,
	S_BEGIN_STRING,
	S_END_VALUE,
	S_END_TOP,
	S_IN_STRING,
	S_ESC,
	S_U1, S_U2, S_U3, S_U4,
	S_NEG, S_1, S_0, S_DOT, S_DOT0, S_E, S_ESIGN, S_E0,
	S_T, S_TR, S_TRU,
	S_F, S_FA, S_FAL, S_FALS,
	S_N, S_NU, S_NUL,
	S_ERROR,
};

/* Go's parse states of an open array or object. */
enum { PS_OBJECT_KEY, PS_OBJECT_VALUE, PS_ARRAY_VALUE };

/* What the value about to be decoded is stored into. */
enum slot {
	SL_IGNORE,	/* an unknown key, or inside a skipped value */
	SL_ENTRY,	/* the line itself */
	SL_STRING,
	SL_INT,		/* int or int64: strconv.ParseInt of the literal */
	SL_BOOL,
	SL_TIME,	/* time.Time: its UnmarshalJSON */
	SL_ATTEMPTS,	/* []Attempt */
	SL_ATTEMPT,	/* one element of it */
	SL_RAW,		/* json.RawMessage: anything */
};

/* The kind of an open container, for the first levels. */
enum kind { K_IGNORE, K_ENTRY, K_ATTEMPTS, K_ATTEMPT };

/* What the spans (hg_goread_spans) note of a field's value. */
enum mark {
	M_NONE,
	M_SPAN,		/* a string's place */
	M_INPUT,	/* a container's place */
	M_SKILL,	/* whether it may be an annotation's */
};

struct field {
	const char *name;
	size_t len;
	enum slot slot;
	const char *path;	/* for Go's "Go struct field PATH" */
	const char *type;	/* Go's type name */
	enum mark mark;		/* a value whose place or text is noted */
};

static const struct field entry_fields[] = {
	{ "session_id", 10, SL_STRING, "Entry.session_id", "string", M_NONE },
	{ "timestamp", 9, SL_TIME, "Entry.timestamp", "time.Time", M_NONE },
	{ "skill", 5, SL_STRING, "Entry.skill", "string", M_SKILL },
	{ "phase", 5, SL_STRING, "Entry.phase", "string", M_NONE },
	{ "project_root", 12, SL_STRING, "Entry.project_root", "string", M_NONE },
	{ "input", 5, SL_RAW, "Entry.input", "json.RawMessage", M_INPUT },
	{ "attempts", 8, SL_ATTEMPTS, "Entry.attempts", "[]session.Attempt", M_NONE },
	{ "final_status", 12, SL_STRING, "Entry.final_status", "string", M_NONE },
	{ "file_path", 9, SL_STRING, "Entry.file_path", "string", M_NONE },
	{ "model_used", 10, SL_STRING, "Entry.model_used", "string", M_NONE },
	{ "duration_ms", 11, SL_INT, "Entry.duration_ms", "int64", M_NONE },
	{ "message", 7, SL_STRING, "Entry.message", "string", M_NONE },
	{ NULL, 0, SL_IGNORE, NULL, NULL, M_NONE },
};

static const struct field attempt_fields[] = {
	{ "attempt", 7, SL_INT, "Attempt.attempts.attempt", "int", M_NONE },
	{ "model", 5, SL_STRING, "Attempt.attempts.model", "string", M_NONE },
	{ "tier", 4, SL_STRING, "Attempt.attempts.tier", "string", M_NONE },
	{ "duration_ms", 11, SL_INT, "Attempt.attempts.duration_ms", "int64", M_NONE },
	{ "warm_start", 10, SL_BOOL, "Attempt.attempts.warm_start", "bool", M_NONE },
	{ "verified", 8, SL_BOOL, "Attempt.attempts.verified", "bool", M_NONE },
	{ "verdict", 7, SL_STRING, "Attempt.attempts.verdict", "string", M_NONE },
	{ "feedback", 8, SL_STRING, "Attempt.attempts.feedback", "string", M_NONE },
	{ "output_summary", 14, SL_STRING, "Attempt.attempts.output_summary", "string", M_SPAN },
	{ "runner_output", 13, SL_STRING, "Attempt.attempts.runner_output", "string", M_SPAN },
	{ NULL, 0, SL_IGNORE, NULL, NULL, M_NONE },
};

static const struct field top_field = { "", 0, SL_ENTRY, NULL, "session.Entry", M_NONE };
static const struct field element_field = { "", 0, SL_ATTEMPT, "Entry.attempts", "session.Attempt",
						 M_NONE };
static const struct field ignore_field = { "", 0, SL_IGNORE, NULL, NULL, M_NONE };

#define KIND_LEVELS 4

struct scan {
	const char *p;
	size_t len;
	enum state st;
	size_t depth;
	size_t max_depth;
	uint8_t ps[HG_GO_MAX_DEPTH + 1];	/* parse state per level, 1-based */
	/* Typing (off for hg_goread_value_len). */
	bool typing;
	bool in_key;			/* the string being read is a key */
	size_t str_start;		/* its first byte after the quote */
	uint8_t kind[KIND_LEVELS];	/* containers of levels 1..3 */
	const struct field *key_field[KIND_LEVELS]; /* field of the last key */
	const struct field *val;	/* the scalar being read goes there */
	size_t val_start;
	size_t time_level;		/* a container in a time field: its level */
	size_t time_start;
	/* Spans (when asked for): the string being read is one. */
	struct hg_goread_spans *spans;
	bool in_span;
	bool span_odd;
	size_t span_start;
	size_t input_level;		/* the input's container: its level */
	size_t input_start;
	bool in_skill;			/* the string being read is a skill */
	size_t skill_start;
	bool maybe_note;		/* a skill may be the annotations' */
	/* Whether cJSON reads every value as Go does (hg_goread_spans.plain). */
	bool plain;
	size_t num_start;		/* of the number being read */
	/* Results. */
	bool syntax;			/* a syntax error, in msg */
	bool fatal;			/* a timestamp error, in msg */
	bool saved;			/* a type error, in msg */
	char *msg;
	size_t n;
};

void
hg_goread_quote_char(unsigned char c, char *buf, size_t n)
{
	if (c == '\'')
		snprintf(buf, n, "'\\''");
	else if (c == '"')
		snprintf(buf, n, "'\"'");
	else if (c == '\\')
		snprintf(buf, n, "'\\\\'");
	else if (c >= 0x20 && c < 0x7f)
		snprintf(buf, n, "'%c'", c);
	else if (c == '\a' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t' ||
		 c == '\v')
		snprintf(buf, n, "'\\%c'", "abtnvfr"[c == '\a' ? 0 : c == '\b' ? 1 : c == '\t' ? 2 :
					       c == '\n' ? 3 : c == '\v' ? 4 : c == '\f' ? 5 : 6]);
	else if (c < 0x20 || c == 0x7f)
		snprintf(buf, n, "'\\x%02x'", c);
	else if (c < 0xa1 || c == 0xad)
		/* Go quotes string(rune(c)): U+0080..U+00A0 and the soft
		 * hyphen are not printable, the rest of Latin-1 is. */
		snprintf(buf, n, "'\\u%04x'", c);
	else
		snprintf(buf, n, "'%c%c'", 0xc0 | (c >> 6), 0x80 | (c & 0x3f));
}

static enum state
syntax_error(struct scan *s, unsigned char c, const char *context)
{
	char q[16];

	if (!s->syntax && s->msg && s->n) {
		hg_goread_quote_char(c, q, sizeof(q));
		snprintf(s->msg, s->n, "invalid character %s %s", q, context);
	}
	s->syntax = true;
	return S_ERROR;
}

/* Types */

static const char *
json_type(unsigned char c)
{
	switch (c) {
	case '{': return "object";
	case '[': return "array";
	case '"': return "string";
	case 't': case 'f': return "bool";
	case 'n': return "null";
	default: return "number";
	}
}

/* A value of Go type name "what" does not fit field f (first one only). */
static void
type_error(struct scan *s, const struct field *f, const char *what, size_t what_len)
{
	if (s->saved || s->fatal || !s->msg || !s->n)
		return;
	s->saved = true;
	if (f->path)
		snprintf(s->msg, s->n, "json: cannot unmarshal %.*s into Go struct field %s of type %s",
			 (int)what_len, what, f->path, f->type);
	else
		snprintf(s->msg, s->n, "json: cannot unmarshal %.*s into Go value of type %s",
			 (int)what_len, what, f->type);
}

/* Go's quote() of the time package: bytes under 0x20 and from 0x80 as
 * \xNN, a quote and a backslash escaped. */
static void
time_quote(char *out, size_t n, const char *v, size_t len)
{
	size_t o = 0, i;

	if (n < 8)
		return;
	out[o++] = '"';
	for (i = 0; i < len && o + 6 < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c >= 0x80 || c < 0x20) {
			o += (size_t)snprintf(out + o, n - o, "\\x%02x", c);
		} else {
			if (c == '"' || c == '\\')
				out[o++] = '\\';
			out[o++] = (char)c;
		}
	}
	out[o++] = '"';
	out[o] = '\0';
}

static inline bool
dig(const char *v, size_t n, size_t i)
{
	return i < n && v[i] >= '0' && v[i] <= '9';
}

/* strconv-free atoi of Go's time package on 2 bytes: an optional sign and
 * digits, all of them. */
static bool
atoi2(const char *v)
{
	if (v[0] == '+' || v[0] == '-')
		return v[1] >= '0' && v[1] <= '9';
	return v[0] >= '0' && v[0] <= '9' && v[1] >= '0' && v[1] <= '9';
}

/* time.Time's UnmarshalJSON (Go 1.19): time.Parse of the raw value v with
 * the layout "\"2006-01-02T15:04:05Z07:00\"" (RFC 3339 in quotes), step
 * for step, so that what it accepts (one-digit hours, a comma before the
 * fraction, any number of fraction digits, any two-character zone offset)
 * and its error text are Go's. True when it parses. */
static bool
go_time(const char *v, size_t n, char *msg, size_t mn)
{
	static const char layout[] = "\"\\\"2006-01-02T15:04:05Z07:00\\\"\"";
	char qv[4 * 64 + 8], qe[4 * 64 + 8], qx[16];
	const char *elem = NULL, *range = NULL;
	size_t i = 0, at = 0;
	int year, month, day, hour, min, sec, k;

#define BAD(e, pos) do { elem = (e); at = (pos); goto bad; } while (0)
#define NUM2(x) ((x) = (v[i] - '0') * 10 + (v[i + 1] - '0'), i += 2)
	if (i >= n || v[i] != '"')
		BAD("\"", i);
	i++;
	if (n - i < 4 || !dig(v, n, i))
		BAD("2006", i);
	for (k = 1; k < 4; k++)
		if (!dig(v, n, i + (size_t)k))
			BAD("2006", i + 4);
	year = (v[i] - '0') * 1000 + (v[i + 1] - '0') * 100 + (v[i + 2] - '0') * 10 + (v[i + 3] - '0');
	i += 4;
	if (i >= n || v[i] != '-')
		BAD("-", i);
	i++;
	if (!dig(v, n, i) || !dig(v, n, i + 1))
		BAD("01", i);
	NUM2(month);
	if (month < 1 || month > 12) {
		range = "month";
		goto bad;
	}
	if (i >= n || v[i] != '-')
		BAD("-", i);
	i++;
	if (!dig(v, n, i) || !dig(v, n, i + 1))
		BAD("02", i);
	NUM2(day);
	if (i >= n || v[i] != 'T')
		BAD("T", i);
	i++;
	if (!dig(v, n, i))
		BAD("15", i);
	if (dig(v, n, i + 1)) {
		NUM2(hour);
	} else {
		hour = v[i] - '0';
		i++;
	}
	if (hour >= 24) {
		range = "hour";
		goto bad;
	}
	if (i >= n || v[i] != ':')
		BAD(":", i);
	i++;
	if (!dig(v, n, i) || !dig(v, n, i + 1))
		BAD("04", i);
	NUM2(min);
	if (min >= 60) {
		range = "minute";
		goto bad;
	}
	if (i >= n || v[i] != ':')
		BAD(":", i);
	i++;
	if (!dig(v, n, i) || !dig(v, n, i + 1))
		BAD("05", i);
	NUM2(sec);
	if (sec >= 60) {
		range = "second";
		goto bad;
	}
	/* A fraction the layout does not have: '.' or ',' and digits. */
	if (n - i >= 2 && (v[i] == '.' || v[i] == ',') && dig(v, n, i + 1))
		for (i += 2; dig(v, n, i); i++)
			;
	if (i < n && v[i] == 'Z') {
		i++;
	} else {
		if (n - i < 6 || v[i + 3] != ':')
			BAD("Z07:00", i);
		if (!atoi2(v + i + 1) || !atoi2(v + i + 4) || (v[i] != '+' && v[i] != '-'))
			BAD("Z07:00", i + 6);
		i += 6;
	}
	if (i >= n || v[i] != '"')
		BAD("\"", i);
	i++;
	if (i < n) {
		time_quote(qv, sizeof(qv), v, n > 64 ? 64 : n);
		time_quote(qe, sizeof(qe), v + i, n - i > 64 ? 64 : n - i);
		snprintf(msg, mn, "parsing time %s: extra text: %s", qv, qe);
		return false;
	}
	if (day < 1 || day > hg_days_in_month(year, month)) {
		range = "day";
		goto bad;
	}
	return true;
bad:
	time_quote(qv, sizeof(qv), v, n > 64 ? 64 : n);
	if (range) {
		snprintf(msg, mn, "parsing time %s: %s out of range", qv, range);
		return false;
	}
	time_quote(qe, sizeof(qe), v + at, n - at > 64 ? 64 : n - at);
	time_quote(qx, sizeof(qx), elem, strlen(elem));
	snprintf(msg, mn, "parsing time %s as %s: cannot parse %s as %s", qv, layout, qe, qx);
	return false;
#undef BAD
#undef NUM2
}

/* The timestamp p[a, b) does not parse: decoding stops there, with Go's
 * error (which wins over an earlier type error). */
static void
time_check(struct scan *s, size_t a, size_t b)
{
	char buf[1024];

	if (s->fatal || go_time(s->p + a, b - a, buf, sizeof(buf)))
		return;
	s->fatal = true;
	s->typing = false;
	if (s->msg && s->n)
		snprintf(s->msg, s->n, "%s", buf);
}

/* strconv.ParseInt(text, 10, 64) succeeds. text is a valid JSON number. */
static bool
fits_int64(const char *t, size_t n)
{
	const char *max = "9223372036854775807";
	bool neg = n > 0 && t[0] == '-';
	size_t i, digits;
	int cmp;

	for (i = 0; i < n; i++)
		if (t[i] == '.' || t[i] == 'e' || t[i] == 'E')
			return false;
	t += neg;
	digits = n - neg;
	if (digits != 19)
		return digits < 19;
	cmp = memcmp(t, neg ? "9223372036854775808" : max, 19);
	return cmp <= 0;
}

/* The field of the value that starts now. */
static const struct field *
value_field(struct scan *s)
{
	if (s->depth == 0)
		return &top_field;
	if (s->depth >= KIND_LEVELS)
		return &ignore_field;
	switch (s->kind[s->depth]) {
	case K_ENTRY:
	case K_ATTEMPT:
		return s->key_field[s->depth];
	case K_ATTEMPTS:
		return &element_field;
	}
	return &ignore_field;
}

/* A value starts with c at i. */
static void
value_begins(struct scan *s, unsigned char c, size_t i)
{
	const struct field *f = value_field(s);
	enum kind k = K_IGNORE;

	s->val = NULL;
	if (f->mark == M_INPUT && s->spans && (c == '{' || c == '[')) {
		if (s->spans->input_end)
			s->spans->input_many = true;
		s->input_level = s->depth + 1;
		s->input_start = i;
	}
	if (c == 'n' || f->slot == SL_IGNORE || f->slot == SL_RAW) {
		/* null fits anything; nothing else to check */
	} else if (c == '{' || c == '[') {
		if (c == '{' && f->slot == SL_ENTRY)
			k = K_ENTRY;
		else if (c == '[' && f->slot == SL_ATTEMPTS)
			k = K_ATTEMPTS;
		else if (c == '{' && f->slot == SL_ATTEMPT)
			k = K_ATTEMPT;
		else if (f->slot == SL_TIME) {
			s->time_level = s->depth + 1;
			s->time_start = i;
		} else
			type_error(s, f, json_type(c), strlen(json_type(c)));
	} else if ((c == '"' && f->slot == SL_STRING) ||
		   ((c == 't' || c == 'f') && f->slot == SL_BOOL)) {
		/* fits */
		if (f->mark == M_SKILL && c == '"') {
			s->in_skill = true;
			s->skill_start = i + 1;
		}
		if (f->mark == M_SPAN && s->spans) {
			s->in_span = true;
			s->span_odd = false;
			s->span_start = i + 1;
		}
	} else if (f->slot == SL_TIME || (f->slot == SL_INT && c != '"' && c != 't' && c != 'f')) {
		s->val = f;	/* checked when it ends */
		s->val_start = i;
	} else {
		type_error(s, f, json_type(c), strlen(json_type(c)));
	}
	if (s->depth + 1 < KIND_LEVELS && (c == '{' || c == '['))
		s->kind[s->depth + 1] = (uint8_t)k;
}

/* An integer field's number at [a, b), noted while there is room (the
 * parser reads one not noted as cJSON gives it). */
static void
note_number(struct hg_goread_spans *sp, size_t a, size_t b)
{
	if (sp->n_nums < HG_GOREAD_NUMS) {
		sp->nums[sp->n_nums].start = a;
		sp->nums[sp->n_nums].end = b;
		sp->n_nums++;
	}
}

/* The scalar that started at val_start ends before i. */
static void
scalar_ends(struct scan *s, size_t i)
{
	const struct field *f = s->val;
	const char *t = s->p + s->val_start;
	size_t n = i - s->val_start;

	s->val = NULL;
	if (!s->typing || !f)
		return;
	if (f->slot == SL_INT) {
		char what[96];
		int w;

		if (fits_int64(t, n)) {
			if (s->spans)
				note_number(s->spans, s->val_start, i);
			return;
		}
		w = snprintf(what, sizeof(what), "number %.*s", (int)(n > 64 ? 64 : n), t);
		type_error(s, f, what, (size_t)w);
	} else if (f->slot == SL_TIME) {
		/* Go parses the raw bytes, quotes included: an escape
		 * there is not a time either. */
		time_check(s, s->val_start, i);
	}
}

/* A noted string's content [a, b); odd as in hg_goread_spans. */
static void
note_span(struct hg_goread_spans *sp, size_t a, size_t b, bool odd)
{
	if (sp->n == HG_GOREAD_SPANS) {
		sp->full = true;
		return;
	}
	sp->v[sp->n].start = a;
	sp->v[sp->n].end = b;
	sp->v[sp->n].odd = odd;
	sp->n++;
}

/* The string noted as a span ends with its quote at i. */
static void
span_ends(struct scan *s, size_t i)
{
	s->in_span = false;
	note_span(s->spans, s->span_start, i, s->span_odd);
}

/* Whether a skill's raw string v[0, n) may be the annotations' skill: it
 * is, or it is written with escapes. */
static bool
may_be_note(const char *v, size_t n)
{
	static const char note[] = HG_ANNOTATE_SKILL;

	return (n == sizeof(note) - 1 && memcmp(v, note, n) == 0) || memchr(v, '\\', n);
}

/* The skill's string ends with its quote at i. */
static void
skill_ends(struct scan *s, size_t i)
{
	s->in_skill = false;
	if (may_be_note(s->p + s->skill_start, i - s->skill_start))
		s->maybe_note = true;
}

/* Go matches a key to a field name ignoring ASCII case, and takes the
 * Kelvin sign for k and the long s for s (equalFoldRight). */
static bool
key_matches(const char *name, const unsigned char *k, size_t n)
{
	size_t i = 0;

	for (; *name; name++) {
		char c = *name;

		if (i >= n)
			return false;
		if (k[i] < 0x80) {
			if ((k[i] | 0x20) != c && k[i] != c)
				return false;
			i++;
		} else if (c == 'k' && n - i >= 3 && k[i] == 0xe2 && k[i + 1] == 0x84 && k[i + 2] == 0xaa) {
			i += 3;
		} else if (c == 's' && n - i >= 2 && k[i] == 0xc5 && k[i + 1] == 0xbf) {
			i += 2;
		} else {
			return false;
		}
	}
	return i == n;
}

static int
hex4(const char *p)
{
	int v = 0, i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else
			v |= c - 'A' + 10;
	}
	return v;
}

/* The field names of an entry and of an attempt, by name_hash(); an
 * open-addressing table each. */
#define NAME_INDEX 64
static const struct field *entry_index[NAME_INDEX], *attempt_index[NAME_INDEX];

static inline size_t
name_hash(size_t len, char first)
{
	return (len * 7 + (unsigned char)first) & (NAME_INDEX - 1);
}

static void
index_names(const struct field **x, const struct field *fields)
{
	for (; fields->name; fields++) {
		size_t i = name_hash(fields->len, fields->name[0]);

		while (x[i])
			i = (i + 1) & (NAME_INDEX - 1);
		x[i] = fields;
	}
}

__attribute__((constructor)) static void
names_init(void)
{
	index_names(entry_index, entry_fields);
	index_names(attempt_index, attempt_fields);
}

/* Decode the key p[a, b) (valid JSON string content) far enough to match
 * field names: escapes undone, the two special runes kept in UTF-8. */
static const struct field *
key_field(const struct field *fields, const char *p, size_t a, size_t b)
{
	unsigned char k[32];
	size_t n = 0, i;
	const struct field *const *x = fields == entry_fields ? entry_index : attempt_index;
	const struct field *f;

	/* The commonest case: the name itself, found by its length and its
	 * first letter. */
	if (b > a) {
		for (i = name_hash(b - a, p[a]); (f = x[i]); i = (i + 1) & (NAME_INDEX - 1))
			if (f->len == b - a && memcmp(p + a, f->name, f->len) == 0)
				return f;
	}
	/* The common case: a plain ASCII key, matched by length first. */
	for (i = a; i < b && p[i] != '\\' && (unsigned char)p[i] < 0x80; i++)
		;
	if (i == b) {
		for (; fields->name; fields++) {
			if (fields->len != b - a || (p[a] | 0x20) != fields->name[0])
				continue;
			if (key_matches(fields->name, (const unsigned char *)p + a, b - a))
				return fields;
		}
		return &ignore_field;
	}
	for (i = a; i < b; i++) {
		unsigned char c = (unsigned char)p[i];

		if (n + 3 > sizeof(k))
			return &ignore_field;
		if (c != '\\') {
			k[n++] = c;
			continue;
		}
		c = (unsigned char)p[++i];
		if (c == 'u') {
			int r = hex4(p + i + 1);

			i += 4;
			if (r < 0x80) {
				k[n++] = (unsigned char)r;
			} else if (r == 0x212a) {
				k[n++] = 0xe2, k[n++] = 0x84, k[n++] = 0xaa;
			} else if (r == 0x17f) {
				k[n++] = 0xc5, k[n++] = 0xbf;
			} else {
				k[n++] = 0xff;	/* matches no name */
			}
		} else {
			k[n++] = c == 'b' ? '\b' : c == 'f' ? '\f' : c == 'n' ? '\n' : c == 'r' ? '\r' :
				 c == 't' ? '\t' : c;
		}
	}
	for (; fields->name; fields++)
		if (key_matches(fields->name, k, n))
			return fields;
	return &ignore_field;
}

/* Scanner */

static inline bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static enum state
push(struct scan *s, unsigned char c, uint8_t ps, enum state next)
{
	if (s->depth + 1 > HG_GO_MAX_DEPTH)
		return syntax_error(s, c, "exceeded max depth");
	s->ps[++s->depth] = ps;
	if (s->depth > s->max_depth)
		s->max_depth = s->depth;
	return next;
}

static enum state end_value(struct scan *s, unsigned char c, size_t i);

static enum state
begin_value(struct scan *s, unsigned char c, size_t i)
{
	if (is_space(c))
		return S_BEGIN_VALUE;
	if (s->typing)
		value_begins(s, c, i);
	switch (c) {
	case '{':
		return push(s, c, PS_OBJECT_KEY, S_BEGIN_STRING_OR_EMPTY);
	case '[':
		return push(s, c, PS_ARRAY_VALUE, S_BEGIN_VALUE_OR_EMPTY);
	case '"':
		s->in_key = false;
		return S_IN_STRING;
	case '-':
		s->num_start = i;
		return S_NEG;
	case '0':
		s->num_start = i;
		return S_0;
	case 't':
		return S_T;
	case 'f':
		return S_F;
	case 'n':
		return S_N;
	}
	if (c >= '1' && c <= '9') {
		s->num_start = i;
		return S_1;
	}
	return syntax_error(s, c, "looking for beginning of value");
}

static enum state
begin_string(struct scan *s, unsigned char c, size_t i)
{
	if (is_space(c))
		return S_BEGIN_STRING;
	if (c == '"') {
		s->in_key = true;
		s->str_start = i + 1;
		return S_IN_STRING;
	}
	return syntax_error(s, c, "looking for beginning of object key string");
}

/* A container closes at i: a timestamp given as one stops decoding. */
static void
container_ends(struct scan *s, size_t i)
{
	if (s->typing && s->time_level == s->depth) {
		s->time_level = 0;
		time_check(s, s->time_start, i + 1);
	}
	if (s->input_level == s->depth) {
		s->input_level = 0;
		s->spans->input_start = s->input_start;
		s->spans->input_end = i + 1;
	}
	s->depth--;
}

static enum state
end_value(struct scan *s, unsigned char c, size_t i)
{
	uint8_t ps;

	if (s->depth == 0)
		return is_space(c) ? S_END_TOP : syntax_error(s, c, "after top-level value");
	if (is_space(c))
		return S_END_VALUE;
	ps = s->ps[s->depth];
	switch (ps) {
	case PS_OBJECT_KEY:
		if (c == ':') {
			s->ps[s->depth] = PS_OBJECT_VALUE;
			return S_BEGIN_VALUE;
		}
		return syntax_error(s, c, "after object key");
	case PS_OBJECT_VALUE:
		if (c == ',') {
			s->ps[s->depth] = PS_OBJECT_KEY;
			return S_BEGIN_STRING;
		}
		if (c == '}') {
			container_ends(s, i);
			return s->depth == 0 ? S_END_TOP : S_END_VALUE;
		}
		return syntax_error(s, c, "after object key:value pair");
	default:
		if (c == ',')
			return S_BEGIN_VALUE;
		if (c == ']') {
			container_ends(s, i);
			return s->depth == 0 ? S_END_TOP : S_END_VALUE;
		}
		return syntax_error(s, c, "after array element");
	}
}

/* A number ends at i (c is not part of it). */
static enum state
number_ends(struct scan *s, unsigned char c, size_t i)
{
	if (s->plain && !hg_values_plain_int(s->p + s->num_start, i - s->num_start))
		s->plain = false;
	if (s->typing && s->val)
		scalar_ends(s, i);
	return end_value(s, c, i);
}

static inline bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static inline bool
is_hex(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static enum state
literal(struct scan *s, unsigned char c, unsigned char want, const char *context, enum state next)
{
	return c == want ? next : syntax_error(s, c, context);
}

static enum state
literal_end(struct scan *s, unsigned char c, unsigned char want, const char *context, size_t i)
{
	if (c != want)
		return syntax_error(s, c, context);
	if (s->typing && s->val)
		scalar_ends(s, i + 1);
	return S_END_VALUE;
}

static enum state
step(struct scan *s, unsigned char c, size_t i)
{
	switch (s->st) {
	case S_BEGIN_VALUE:
		return begin_value(s, c, i);
	case S_BEGIN_VALUE_OR_EMPTY:
		if (is_space(c))
			return S_BEGIN_VALUE_OR_EMPTY;
		if (c == ']')
			return end_value(s, c, i);
		return begin_value(s, c, i);
	case S_BEGIN_STRING_OR_EMPTY:
		if (is_space(c))
			return S_BEGIN_STRING_OR_EMPTY;
		if (c == '}') {
			s->ps[s->depth] = PS_OBJECT_VALUE;
			return end_value(s, c, i);
		}
		return begin_string(s, c, i);
	case S_BEGIN_STRING:
		return begin_string(s, c, i);
	case S_END_VALUE:
		return end_value(s, c, i);
	case S_END_TOP:
		return is_space(c) ? S_END_TOP : syntax_error(s, c, "after top-level value");
	case S_IN_STRING:
		if (c == '"') {
			if (s->typing && s->in_key) {
				size_t d = s->depth;

				if (d < KIND_LEVELS && s->kind[d] == K_ENTRY)
					s->key_field[d] = key_field(entry_fields, s->p, s->str_start, i);
				else if (d < KIND_LEVELS && s->kind[d] == K_ATTEMPT)
					s->key_field[d] = key_field(attempt_fields, s->p, s->str_start, i);
			} else if (s->typing && s->val) {
				scalar_ends(s, i + 1);
			} else if (s->in_span) {
				span_ends(s, i);
			} else if (s->in_skill) {
				skill_ends(s, i);
			}
			return S_END_VALUE;
		}
		if (c == '\\')
			return S_ESC;
		if (c < 0x20)
			return syntax_error(s, c, "in string literal");
		return S_IN_STRING;
	case S_ESC:
		switch (c) {
		case 'b': case 'f': case 'n': case 'r': case 't': case '\\': case '/': case '"':
			return S_IN_STRING;
		case 'u':
			s->span_odd = true;	/* not looked at here: the parser will */
			s->plain = false;
			return S_U1;
		}
		return syntax_error(s, c, "in string escape code");
	case S_U1: case S_U2: case S_U3: case S_U4:
		if (!is_hex(c))
			return syntax_error(s, c, "in \\u hexadecimal character escape");
		return s->st == S_U4 ? S_IN_STRING : (enum state)(s->st + 1);
	case S_NEG:
		if (c == '0')
			return S_0;
		if (c >= '1' && c <= '9')
			return S_1;
		return syntax_error(s, c, "in numeric literal");
	case S_1:
		if (is_digit(c))
			return S_1;
		/* fall through */
	case S_0:
		if (c == '.')
			return S_DOT;
		if (c == 'e' || c == 'E')
			return S_E;
		return number_ends(s, c, i);
	case S_DOT:
		if (is_digit(c))
			return S_DOT0;
		return syntax_error(s, c, "after decimal point in numeric literal");
	case S_DOT0:
		if (is_digit(c))
			return S_DOT0;
		if (c == 'e' || c == 'E')
			return S_E;
		return number_ends(s, c, i);
	case S_E:
		if (c == '+' || c == '-')
			return S_ESIGN;
		/* fall through */
	case S_ESIGN:
		if (is_digit(c))
			return S_E0;
		return syntax_error(s, c, "in exponent of numeric literal");
	case S_E0:
		if (is_digit(c))
			return S_E0;
		return number_ends(s, c, i);
	case S_T: return literal(s, c, 'r', "in literal true (expecting 'r')", S_TR);
	case S_TR: return literal(s, c, 'u', "in literal true (expecting 'u')", S_TRU);
	case S_TRU: return literal_end(s, c, 'e', "in literal true (expecting 'e')", i);
	case S_F: return literal(s, c, 'a', "in literal false (expecting 'a')", S_FA);
	case S_FA: return literal(s, c, 'l', "in literal false (expecting 'l')", S_FAL);
	case S_FAL: return literal(s, c, 's', "in literal false (expecting 's')", S_FALS);
	case S_FALS: return literal_end(s, c, 'e', "in literal false (expecting 'e')", i);
	case S_N: return literal(s, c, 'u', "in literal null (expecting 'u')", S_NU);
	case S_NU: return literal(s, c, 'l', "in literal null (expecting 'l')", S_NUL);
	case S_NUL: return literal_end(s, c, 'l', "in literal null (expecting 'l')", i);
	case S_ERROR:
		break;
	}
	return S_ERROR;
}

/* Where the bytes of a string that need a look (a quote, a backslash, a
 * control character) start again, from i. */
#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

#ifdef __SSE2__
/* Of the sixteen bytes at p, those that are a quote, a backslash or a
 * control character, as a bit mask (lowest bit: p[0]). */
static inline unsigned
special16(const char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	/* A byte under 0x20 is one that min(x, 0x1f) leaves as is. */
	__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
					      _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
				 _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1f)), x));

	return (unsigned)_mm_movemask_epi8(m);
}
#endif

static size_t
plain_run(const char *p, size_t i, size_t len)
{
#ifdef __SSE2__
	/* Sixteen bytes at a time where SSE2 is there (every x86-64). */
	while (i + 16 <= len) {
		unsigned bits = special16(p + i);

		if (bits)
			return i + (size_t)__builtin_ctz(bits);
		i += 16;
	}
#endif
	while (i + 8 <= len) {
		uint64_t x, m;

		memcpy(&x, p + i, 8);
		/* A byte under 0x20, or equal to '"' or '\\' (no false
		 * negatives; a hit is then looked at byte by byte). */
		m = ((x - ONES * 0x20) & ~x) | ((((x ^ (ONES * '"')) - ONES) & ~(x ^ (ONES * '"')))) |
		    ((((x ^ (ONES * '\\')) - ONES) & ~(x ^ (ONES * '\\'))));
		if (m & HIGHS) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			/* The lowest hit is exact (a false one only follows
			 * a true one): the first special byte. */
			return i + (size_t)__builtin_ctzll(m & HIGHS) / 8;
#else
			break;
#endif
		}
		i += 8;
	}
	for (; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '"' || c == '\\' || c < 0x20)
			break;
	}
	return i;
}

/* The same, stepping over valid escapes too (runner output holds one
 * every line): what stops it (a quote, a control character, a bad or cut
 * escape) is left to step(), which says it as Go does. */
static size_t
string_run(const char *p, size_t i, size_t len, bool *odd)
{
	for (;;) {
		unsigned char e;

		i = plain_run(p, i, len);
		if (i + 1 >= len || p[i] != '\\')
			return i;
		e = (unsigned char)p[i + 1];
		if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
		    e == 't') {
			i += 2;
		} else if (e == 'u' && i + 5 < len && is_hex((unsigned char)p[i + 2]) &&
			   is_hex((unsigned char)p[i + 3]) && is_hex((unsigned char)p[i + 4]) &&
			   is_hex((unsigned char)p[i + 5])) {
			/* A surrogate (D800-DFFF) or NUL: told by the digits. */
			char h0 = (char)(p[i + 2] | 0x20), h1 = (char)(p[i + 3] | 0x20);

			if ((h0 == 'd' && h1 >= '8') ||	/* 8-9, a-f */
			    (h0 == '0' && h1 == '0' && p[i + 4] == '0' && p[i + 5] == '0'))
				*odd = true;
			i += 6;
		} else {
			return i;
		}
	}
}

/* Run the scanner over p[0, len); stop_at_end: stop after the first
 * complete value (for hg_goread_value_len). Returns where it stopped. */
static size_t
run(struct scan *s, bool stop_at_end)
{
	size_t i;

	for (i = 0; i < s->len; i++) {
		unsigned char c = (unsigned char)s->p[i];

		if (s->st == S_IN_STRING) {
			bool odd = false;

			/* The common case: plain bytes of a string, eight at a
			 * time while none of them is special. */
			i = string_run(s->p, i, s->len, &odd);
			if (odd)
				s->span_odd = true, s->plain = false;
			if (i == s->len)
				break;
			c = (unsigned char)s->p[i];
		}
		s->st = step(s, c, i);
		if (s->st == S_ERROR)
			return i;
		if (stop_at_end && s->st == S_END_TOP && s->depth == 0)
			return i + 1;
	}
	return i;
}

/* Go's eof(): one space more; then anything unfinished is an error. */
static void
eof(struct scan *s)
{
	if (s->st == S_ERROR || s->st == S_END_TOP)
		return;
	s->st = step(s, ' ', s->len);
	if (s->st == S_ERROR || s->st == S_END_TOP)
		return;
	if (s->msg && s->n)
		snprintf(s->msg, s->n, "unexpected end of JSON input");
	s->syntax = true;
	s->st = S_ERROR;
}

static void
scan_init(struct scan *s, const char *p, size_t len, char *msg, size_t n)
{
	s->p = p;
	s->len = len;
	s->st = S_BEGIN_VALUE;
	s->depth = s->max_depth = 0;
	s->typing = msg != NULL;
	s->in_key = false;
	s->val = NULL;
	s->time_level = 0;
	s->syntax = s->fatal = s->saved = false;
	s->spans = NULL;
	s->in_span = s->span_odd = false;
	s->plain = true;
	s->input_level = 0;
	s->in_skill = s->maybe_note = false;
	s->msg = msg;
	s->n = n;
	memset(s->kind, 0, sizeof(s->kind));
	memset(s->key_field, 0, sizeof(s->key_field));
	if (msg && n)
		msg[0] = '\0';
}

/* The quick way through a line that is OK: a descent that follows the
 * fields of an entry, taking only what is plainly valid and of the right
 * type, and noting what the state machine notes. Anything else (an error
 * to be said as Go says it, a time that does not parse, a value nested
 * deeper than QUICK_DEPTH) gives up, and the state machine reads the line
 * from its start: a line is OK to the one exactly when it is to the other,
 * with the same spans (tests and a fuzz target compare the two). */
#define QUICK_DEPTH 64

bool hg_goread_machine_only;

struct quick {
	const char *p;
	size_t len, i;
	struct hg_goread_spans *sp;
	bool plain;
	bool maybe_note;
};

static inline void
quick_space(struct quick *q)
{
	while (q->i < q->len && is_space((unsigned char)q->p[q->i]))
		q->i++;
}

/* The string whose opening quote is at q->i; *odd: it holds a \u escape
 * of NUL or of a surrogate. */
static bool
quick_string(struct quick *q, bool *odd)
{
	size_t i = q->i + 1;

#ifdef __SSE2__
	/* Most strings end within sixteen bytes, without an escape. */
	if (i + 16 <= q->len) {
		unsigned bits = special16(q->p + i);

		if (bits && q->p[i + (size_t)__builtin_ctz(bits)] == '"') {
			q->i = i + (size_t)__builtin_ctz(bits) + 1;
			return true;
		}
	}
#endif
	i = string_run(q->p, i, q->len, odd);

	if (i >= q->len || q->p[i] != '"')
		return false;	/* a control character or a bad escape */
	if (*odd)
		q->plain = false;
	q->i = i + 1;
	return true;
}

static bool
quick_literal(struct quick *q, const char *word, size_t n)
{
	if (q->len - q->i < n || memcmp(q->p + q->i, word, n) != 0)
		return false;
	q->i += n;
	return true;
}

static inline bool
quick_digits(struct quick *q)
{
	size_t from = q->i;

	while (q->i < q->len && is_digit((unsigned char)q->p[q->i]))
		q->i++;
	return q->i > from;
}

/* A number by JSON's grammar (what follows it is the caller's to check). */
static bool
quick_number(struct quick *q)
{
	size_t start = q->i;
	bool whole = true;

	if (q->p[q->i] == '-')
		q->i++;
	if (q->i < q->len && q->p[q->i] == '0')
		q->i++;
	else if (!quick_digits(q))
		return false;
	if (q->i < q->len && q->p[q->i] == '.') {
		q->i++;
		if (!quick_digits(q))
			return false;
		whole = false;
	}
	if (q->i < q->len && (q->p[q->i] == 'e' || q->p[q->i] == 'E')) {
		q->i++;
		if (q->i < q->len && (q->p[q->i] == '+' || q->p[q->i] == '-'))
			q->i++;
		if (!quick_digits(q))
			return false;
		whole = false;
	}
	if (!whole || !hg_values_plain_int(q->p + start, q->i - start))
		q->plain = false;
	return true;
}

/* Over a container's opening and the spaces after it: true when the
 * container closes at once (with CLOSE, stepped over). */
static inline bool
quick_empty(struct quick *q, char close)
{
	q->i++;
	quick_space(q);
	if (q->i < q->len && q->p[q->i] == close) {
		q->i++;
		return true;
	}
	return false;
}

/* After an element of a container that CLOSE ends: true and *more when a
 * comma (spaces stepped over) leads to the next one, true and not *more
 * when the container closes; false for anything else. */
static inline bool
quick_after(struct quick *q, char close, bool *more)
{
	quick_space(q);
	if (q->i >= q->len)
		return false;
	*more = q->p[q->i] == ',';
	if (!*more && q->p[q->i] != close)
		return false;
	q->i++;
	if (*more)
		quick_space(q);
	return true;
}

static bool quick_object(struct quick *q, const struct field *fields, size_t depth);

/* Any value, of a field nothing is checked of. */
static bool
quick_value(struct quick *q, size_t depth)
{
	bool odd = false;

	if (q->i >= q->len)
		return false;
	switch (q->p[q->i]) {
	case '"':
		return quick_string(q, &odd);
	case '{':
		return quick_object(q, NULL, depth + 1);
	case '[': {
		bool more = true;

		if (depth + 1 > QUICK_DEPTH)
			return false;
		if (quick_empty(q, ']'))
			return true;
		while (more)
			if (!quick_value(q, depth + 1) || !quick_after(q, ']', &more))
				return false;
		return true;
	}
	case 't':
		return quick_literal(q, "true", 4);
	case 'f':
		return quick_literal(q, "false", 5);
	case 'n':
		return quick_literal(q, "null", 4);
	}
	return quick_number(q);
}

/* The attempts: null, or an array of attempts (objects or null). */
static bool
quick_attempts(struct quick *q)
{
	if (q->p[q->i] == 'n')
		return quick_literal(q, "null", 4);
	bool more = true;

	if (q->p[q->i] != '[')
		return false;
	if (quick_empty(q, ']'))
		return true;
	while (more) {
		if (q->i >= q->len)
			return false;
		if (q->p[q->i] == 'n' ? !quick_literal(q, "null", 4) :
		    q->p[q->i] != '{' || !quick_object(q, attempt_fields, 3))
			return false;
		if (!quick_after(q, ']', &more))
			return false;
	}
	return true;
}

/* The value of field f (of an entry or an attempt) at q->i. */
static bool
quick_field(struct quick *q, const struct field *f, size_t depth)
{
	char c = q->p[q->i];
	size_t start = q->i;
	bool odd = false;

	if (c == 'n')
		return quick_literal(q, "null", 4);	/* fits any field */
	switch (f->slot) {
	case SL_STRING:
		if (c != '"' || !quick_string(q, &odd))
			return false;
		if (f->mark == M_SKILL && may_be_note(q->p + start + 1, q->i - start - 2))
			q->maybe_note = true;
		else if (f->mark == M_SPAN)
			note_span(q->sp, start + 1, q->i - 1, odd);
		return true;
	case SL_TIME: {
		char msg[8];

		return c == '"' && quick_string(q, &odd) &&
		       go_time(q->p + start, q->i - start, msg, sizeof(msg));
	}
	case SL_INT:
		if (!(c == '-' || is_digit((unsigned char)c)) || !quick_number(q) ||
		    !fits_int64(q->p + start, q->i - start))
			return false;
		note_number(q->sp, start, q->i);
		return true;
	case SL_BOOL:
		return c == 't' ? quick_literal(q, "true", 4) : quick_literal(q, "false", 5);
	case SL_ATTEMPTS:
		return quick_attempts(q);
	case SL_RAW:
		if (f->mark == M_INPUT && (c == '{' || c == '[')) {
			if (q->sp->input_end)
				q->sp->input_many = true;
			if (!quick_value(q, depth))
				return false;
			q->sp->input_start = start;
			q->sp->input_end = q->i;
			return true;
		}
		return quick_value(q, depth);
	case SL_IGNORE:
		return quick_value(q, depth);
	case SL_ENTRY:
	case SL_ATTEMPT:
		break;
	}
	return false;
}

/* An object at q->i, at level depth: an entry's (fields: entry_fields,
 * depth 1), an attempt's, or any other (fields NULL). */
static bool
quick_object(struct quick *q, const struct field *fields, size_t depth)
{
	bool more = true;

	if (depth > QUICK_DEPTH)
		return false;
	if (quick_empty(q, '}'))
		return true;
	while (more) {
		size_t a = q->i + 1;
		const struct field *f;
		bool odd = false;

		if (q->i >= q->len || q->p[q->i] != '"' || !quick_string(q, &odd))
			return false;
		f = fields ? key_field(fields, q->p, a, q->i - 1) : &ignore_field;
		quick_space(q);
		if (q->i >= q->len || q->p[q->i] != ':')
			return false;
		q->i++;
		quick_space(q);
		if (q->i >= q->len || !quick_field(q, f, depth) || !quick_after(q, '}', &more))
			return false;
	}
	return true;
}

/* Whether the quick way finds p[0, len) OK; sp as json_verdict notes it. */
static bool
quick_verdict(const char *p, size_t len, struct hg_goread_spans *sp)
{
	struct quick q = { .p = p, .len = len, .sp = sp, .plain = true };

	quick_space(&q);
	if (q.i >= len || p[q.i] != '{' || !quick_object(&q, entry_fields, 1))
		return false;
	quick_space(&q);
	if (q.i != len)
		return false;
	sp->plain = q.plain;
	if (q.maybe_note || sp->input_many)
		sp->input_end = 0;
	return true;
}

static void
spans_clear(struct hg_goread_spans *sp)
{
	sp->n = 0;
	sp->full = false;
	sp->plain = false;
	sp->input_start = sp->input_end = 0;
	sp->input_many = false;
	sp->n_nums = 0;
}

/* Go's verdict on p[0, len), noting the spans in sp (may be NULL): none
 * unless the text is OK. */
static enum hg_goread_result
json_verdict(const char *p, size_t len, char *msg, size_t n, struct hg_goread_spans *sp)
{
	static _Thread_local struct scan s;	/* 10 KB of parse states: not on the stack; one per thread */
	struct hg_goread_spans none_spans;
	char none[1];

	if (!msg || !n) {
		msg = none;
		n = sizeof(none);
	}
	msg[0] = '\0';
	if (!hg_goread_machine_only) {
		struct hg_goread_spans *q = sp ? sp : &none_spans;

		spans_clear(q);
		if (quick_verdict(p, len, q))
			return HG_GOREAD_OK;
		spans_clear(q);
	}
	scan_init(&s, p, len, msg, n);
	s.spans = sp;
	run(&s, false);
	eof(&s);
	if (sp && (s.syntax || s.fatal || s.saved))
		sp->n = sp->n_nums = 0;
	if (sp) {
		sp->plain = s.plain && !s.syntax && !s.fatal && !s.saved;
		if (s.maybe_note || s.syntax || s.fatal || s.saved || sp->input_many)
			sp->input_end = 0;
	}
	if (s.syntax)
		return HG_GOREAD_SYNTAX;
	if (s.fatal || s.saved)
		return HG_GOREAD_TYPE;
	return HG_GOREAD_OK;
}

static enum hg_goread_result
line_verdict(const char *line, size_t len, size_t raw_len, char *msg, size_t n,
	     struct hg_goread_spans *sp)
{
	if (raw_len >= HG_GO_LINE_MAX || !line) {
		if (msg && n)
			snprintf(msg, n, "%s", HG_GO_TOO_LONG);
		return HG_GOREAD_TOO_LONG;
	}
	if (len == 0)
		return HG_GOREAD_SKIP;
	return json_verdict(line, len, msg, n, sp);
}

enum hg_goread_result
hg_goread_json(const char *p, size_t len, char *msg, size_t n)
{
	return json_verdict(p, len, msg, n, NULL);
}

enum hg_goread_result
hg_goread_line(const char *line, size_t len, size_t raw_len, char *msg, size_t n)
{
	return line_verdict(line, len, raw_len, msg, n, NULL);
}

enum hg_goread_result
hg_goread_line_spans(const char *line, size_t len, size_t raw_len, char *msg, size_t n,
		     struct hg_goread_spans *sp)
{
	spans_clear(sp);
	return line_verdict(line, len, raw_len, msg, n, sp);
}

size_t
hg_goread_container_len(const char *p, size_t len, size_t *depth)
{
	static _Thread_local struct scan s;
	size_t i = 0, end;

	while (i < len && is_space((unsigned char)p[i]))
		i++;
	if (i == len || (p[i] != '{' && p[i] != '['))
		return 0;
	scan_init(&s, p, len, NULL, 0);
	end = run(&s, true);
	if (depth)
		*depth = s.max_depth;
	return s.st == S_END_TOP && !s.syntax ? end : 0;
}
