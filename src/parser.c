/* parser.c - one session-log line to one hg_entry, with Go's semantics.
 *
 * Go's encoding/json decides what is valid: missing fields take their zero
 * value, null leaves a field at its zero value, unknown fields are ignored,
 * keys match case-insensitively (the last duplicate wins), and a value of
 * the wrong JSON type is an error. Where Go would fail, the line becomes an
 * unparsable record with a reason naming the field. */
#include "config.h"

#include "hgtop/parser.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "hgtop/goread.h"
#include "hgtop/intern.h"
#include "hgtop/reader.h"
#include "hgtop/util.h"
#include "hgtop/values.h"

#define ANNOTATE_SKILL "hgtop.annotate"
/* Annotation texts are kept whole (they are written by hand). */
#define ANNOTATION_TEXT_MAX (64 * 1024)

static const char *
json_type_name(const cJSON *v)
{
	if (cJSON_IsString(v) && hg_values_marked(v->valuestring, HG_VAL_NUMBER))
		return "number";
	if (cJSON_IsString(v))
		return "string";
	if (cJSON_IsNumber(v))
		return "number";
	if (cJSON_IsBool(v))
		return "boolean";
	if (cJSON_IsArray(v))
		return "array";
	if (cJSON_IsObject(v))
		return "object";
	if (cJSON_IsNull(v))
		return "null";
	return "invalid value";
}

static bool
type_error(struct hg_entry *e, const char *field, const char *want, const cJSON *v)
{
	hg_entry_set_reason(e, xasprintf("field %s: expected %s, got %s", field, want,
					 json_type_name(v)));
	return false;
}

/* A string field: string or null. *out is NULL for null. */
static bool
get_string(struct hg_entry *e, const char *field, const cJSON *v, const char **out)
{
	if (cJSON_IsNull(v)) {
		*out = NULL;
		return true;
	}
	if (!cJSON_IsString(v) || hg_values_marked(v->valuestring, HG_VAL_NUMBER))
		return type_error(e, field, "a string", v);
	*out = v->valuestring;
	if (hg_values_marked(*out, HG_VAL_ESCAPED))
		*out += 2;
	return true;
}

static bool
get_interned(struct hg_entry *e, const char *field, const cJSON *v, const char **out)
{
	const char *s;

	if (!get_string(e, field, v, &s))
		return false;
	if (s)	/* null leaves the value as it was, as in Go */
		*out = hg_intern(s);
	return true;
}

static bool
get_sym(struct hg_entry *e, const char *field, const cJSON *v, hg_sym *out)
{
	const char *s;

	if (!get_string(e, field, v, &s))
		return false;
	if (s)	/* null leaves the value as it was, as in Go */
		*out = hg_intern_sym(s, strlen(s));
	return true;
}

/* The lower-case ASCII letter a key character folds to as Go folds keys
 * (Unicode simple folding: besides ASCII case, the long s U+017F folds to
 * 's' and the Kelvin sign U+212A to 'k'), or the byte itself; *len gets
 * the bytes it takes. A NUL inside a key (C0 80) matches nothing. */
static inline char
key_fold(const char *k, size_t *len)
{
	char c = *k;

	*len = 1;
	if (c >= 'A' && c <= 'Z')
		return (char)(c + 'a' - 'A');
	if ((unsigned char)c == 0xC5 && (unsigned char)k[1] == 0xBF) {
		*len = 2;
		return 's';
	}
	if ((unsigned char)c == 0xE2 && (unsigned char)k[1] == 0x84 && (unsigned char)k[2] == 0xAA) {
		*len = 3;
		return 'k';
	}
	return c;
}

/* Go matches keys ignoring case. name is lower case letters and '_'. */
static inline bool
key_is(const char *k, const char *name)
{
	size_t n, i;

	/* Nearly always written as named. */
	for (i = 0; name[i] && k[i] == name[i]; i++)
		;
	if (!name[i])
		return k[i] == '\0';
	for (; *name; k += n, name++) {
		unsigned char c = (unsigned char)*k;

		n = 1;
		/* (c | 0x20) is never '_': only a letter matches in upper case. */
		if (c == (unsigned char)*name || (c | 0x20) == (unsigned char)*name)
			continue;
		if (c < 0x80 || key_fold(k, &n) != *name)
			return false;
	}
	return *k == '\0';
}

/* Go's wording for a value an integer field cannot take. */
static bool
int_error(struct hg_entry *e, const char *path, const char *type, const char *value)
{
	hg_entry_set_reason(e, xasprintf("json: cannot unmarshal %s into Go struct field %s of type %s",
					 value, path, type));
	return false;
}

/* An integer field, read as Go reads it: from the number's text (a short
 * plain integer comes as a cJSON number, exact in a double; anything else
 * as its text, see values.h), rejecting fractions, exponents and values out
 * of int64 range. path is Go's name of the field ("Entry.duration_ms"). */
static bool
get_int(struct hg_entry *e, const char *path, const char *type, const cJSON *v, int64_t *out)
{
	double d;

	if (cJSON_IsNull(v))
		return true;
	if (cJSON_IsString(v) && hg_values_marked(v->valuestring, HG_VAL_NUMBER)) {
		const char *t = v->valuestring + 2;
		char value[96];

		if (hg_values_int(t, strlen(t), out))
			return true;
		snprintf(value, sizeof(value), "number %.80s", t);
		return int_error(e, path, type, value);
	}
	if (!cJSON_IsNumber(v))
		return int_error(e, path, type, cJSON_IsBool(v) ? "bool" : json_type_name(v));
	d = v->valuedouble;
	if (!isfinite(d) || d != floor(d) || d <= -9007199254740992.0 || d >= 9007199254740992.0) {
		char value[64];

		snprintf(value, sizeof(value), "number %g", d);
		return int_error(e, path, type, value);
	}
	*out = (int64_t)d;
	return true;
}

static bool
get_bool(struct hg_entry *e, const char *field, const cJSON *v, bool *out)
{
	if (cJSON_IsNull(v))
		return true;
	if (!cJSON_IsBool(v))
		return type_error(e, field, "a boolean", v);
	*out = cJSON_IsTrue(v);
	return true;
}

/* Timestamps */

static bool
digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* Half of a zone offset as Go 1.19's time package reads it (its atoi of
 * two bytes): two digits, or a sign of its own and one digit. */
static bool
zone_half(const char *s, int *out)
{
	if (s[0] == '+' || s[0] == '-') {
		if (s[1] < '0' || s[1] > '9')
			return false;
		*out = s[0] == '-' ? -(s[1] - '0') : s[1] - '0';
		return true;
	}
	return digits(s, 2, out);
}

/* Go's time.Time.UnmarshalJSON reads the string's raw bytes with
 * time.Parse(time.RFC3339): a four-digit year, the hour in one or two
 * digits, a fraction of any length after '.' or ',' (the first nine digits
 * count), and "Z" or an offset of two two-byte halves, each unchecked
 * (+99:99 is read; +-1:+5 is -00:55). */
bool
hg_parse_time_sec(const char *s, size_t n, int64_t *sec, int32_t *nsec, int16_t *tz_min,
		  bool *zero)
{
	int Y, M, D, h, m, sc, tzh = 0, tzm = 0, sign = 0, nd = 0;
	int64_t frac = 0, secs;
	size_t i;

	if (n < 19 || !digits(s, 4, &Y) || s[4] != '-' || !digits(s + 5, 2, &M) || s[7] != '-' ||
	    !digits(s + 8, 2, &D) || s[10] != 'T' || !digits(s + 11, 1, &h))
		return false;
	i = 12;
	if (s[i] >= '0' && s[i] <= '9')
		h = h * 10 + (s[i++] - '0');
	if (n - i < 6 || s[i] != ':' || !digits(s + i + 1, 2, &m) || s[i + 3] != ':' ||
	    !digits(s + i + 4, 2, &sc))
		return false;
	i += 6;
	if (D < 1 || D > hg_days_in_month(Y, M) || h > 23 || m > 59 ||
	    sc > 59)
		return false;
	if (n - i >= 2 && (s[i] == '.' || s[i] == ',') && s[i + 1] >= '0' && s[i + 1] <= '9') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, nd++)
			if (nd < 9)
				frac = frac * 10 + (s[i] - '0');
		for (; nd < 9; nd++)
			frac *= 10;
	}
	if (i < n && s[i] == 'Z') {
		i++;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		sign = s[i] == '-' ? -1 : 1;
		if (n - i < 6 || !zone_half(s + i + 1, &tzh) || s[i + 3] != ':' ||
		    !zone_half(s + i + 4, &tzm))
			return false;
		i += 6;
	} else {
		return false;
	}
	if (i != n)
		return false;
	*tz_min = (int16_t)(sign * (tzh * 60 + tzm));
	secs = hg_days_from_civil(Y, (unsigned)M, (unsigned)D) * 86400 + h * 3600 + m * 60 + sc;
	secs -= (int64_t)*tz_min * 60;
	/* Go's zero time, whatever offset it was written with. */
	*zero = secs == hg_days_from_civil(1, 1, 1) * 86400 && frac == 0;
	*sec = secs;
	*nsec = (int32_t)frac;
	return true;
}

bool
hg_time_ns(int64_t sec, int32_t nsec, int64_t *ns)
{
	int64_t v;

	if (__builtin_mul_overflow(sec, (int64_t)1000000000, &v) || __builtin_add_overflow(v, nsec, &v)) {
		*ns = sec < 0 ? INT64_MIN : INT64_MAX;
		return false;
	}
	*ns = v;
	return true;
}

bool
hg_parse_time(const char *s, size_t n, int64_t *ns, int16_t *tz_min, bool *zero)
{
	int64_t sec;
	int32_t nsec;

	if (!hg_parse_time_sec(s, n, &sec, &nsec, tz_min, zero))
		return false;
	/* int64 nanoseconds cover 1677..2262; saturate outside. */
	hg_time_ns(sec, nsec, ns);
	return true;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

void
hg_format_time(int64_t ns, int tz_min, bool zero, char *buf, size_t n)
{
	/* The remainder, not ns - secs * 1e9: that overflows near INT64_MIN. */
	int64_t secs = floor_div(ns, 1000000000), frac = ns % 1000000000;
	int64_t days, sod, y;
	int m, d, digits = 9, a = tz_min < 0 ? -tz_min : tz_min;
	char fr[16] = "", zone[16] = "Z";

	if (frac < 0)
		frac += 1000000000;
	if (zero) {
		snprintf(buf, n, "0001-01-01T00:00:00Z");
		return;
	}
	secs += (int64_t)tz_min * 60;
	days = floor_div(secs, 86400);
	sod = secs - days * 86400;
	civil_from_days(days, &y, &m, &d);
	if (frac) {
		snprintf(fr, sizeof(fr), ".%09lld", (long long)frac);
		while (fr[digits] == '0')
			fr[digits--] = '\0';
	}
	if (tz_min)
		snprintf(zone, sizeof(zone), "%c%02d:%02d", tz_min < 0 ? '-' : '+', a / 60, a % 60);
	snprintf(buf, n, "%04lld-%02d-%02dT%02d:%02d:%02d%s%s", (long long)y, m, d,
		 (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60), fr, zone);
}

static void
local_tm(int64_t ns, struct tm *tm)
{
	time_t t = (time_t)(ns / 1000000000);

	if (ns < 0 && ns % 1000000000)
		t--;
	localtime_r(&t, tm);
}

void
hg_format_clock(int64_t ns, char *buf, size_t n)
{
	struct tm tm;

	local_tm(ns, &tm);
	strftime(buf, n, "%H:%M:%S", &tm);
}

void
hg_format_datetime(int64_t ns, char *buf, size_t n)
{
	struct tm tm;

	local_tm(ns, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
}

/* An entry's time, read from its seconds when ts_ns had to saturate. */
static void
entry_tm(const struct hg_entry *e, struct tm *tm)
{
	time_t t = (time_t)hg_entry_far_sec(e);

	if (e->ts_ns != INT64_MIN && e->ts_ns != INT64_MAX)
		local_tm(e->ts_ns, tm);
	else
		localtime_r(&t, tm);
}

void
hg_entry_clock(const struct hg_entry *e, char *buf, size_t n)
{
	struct tm tm;

	entry_tm(e, &tm);
	snprintf(buf, n, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void
hg_entry_datetime(const struct hg_entry *e, char *buf, size_t n)
{
	struct tm tm;

	entry_tm(e, &tm);
	/* The year in four digits, as Go writes it (also before 1000). */
	snprintf(buf, n, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Fields */

/* Whether entries keep their short message and feedback texts: set once
 * before any thread parses (hg_parse_keep_texts); a thread that reads a
 * line back for its texts keeps them whatever the setting. */
static bool texts_dropped;
static _Thread_local bool texts_forced;

void
hg_parse_keep_texts(bool keep)
{
	texts_dropped = !keep;
}

/* The feedback texts of the entry being parsed, by attempt, until pack()
 * puts them after the attempts (NULL where none is kept). */
static _Thread_local struct {
	char **v;
	size_t n, cap;		/* slots that may hold a text / allocated */
} fb;

static void
fb_clear(void)
{
	for (size_t i = 0; i < fb.n; i++) {
		free(fb.v[i]);
		fb.v[i] = NULL;
	}
	fb.n = 0;
}

static void
fb_reserve(size_t n)
{
	if (n > fb.cap) {
		size_t cap = fb.cap ? fb.cap : 16;

		while (cap < n)
			cap *= 2;
		fb.v = xrealloc(fb.v, cap * sizeof(*fb.v));
		memset(fb.v + fb.cap, 0, (cap - fb.cap) * sizeof(*fb.v));
		fb.cap = cap;
	}
	if (n > fb.n)
		fb.n = n;
}

static char *
keep_text(const char *s, uint32_t *len, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	*len = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	if (n == 0 || (!texts_forced && (n >= max || (texts_dropped && max == HG_SHORT_TEXT_MAX))))
		return NULL;
	return xstrndup(s, n);
}

static bool
parse_attempt(struct hg_entry *e, const cJSON *obj, struct hg_attempt *a, size_t idx)
{
	const cJSON *v;
	char field[64];
	const char *tier, *verdict;
	int64_t no, ms;
	uint32_t fb_len;
	struct hg_attempt_info in;

	/* null leaves the element as it is (an earlier "attempts" may have
	 * filled it: Go decodes a repeated array into the same elements). */
	if (cJSON_IsNull(obj))
		return true;
	tier = hg_attempt_tier(a);
	verdict = hg_attempt_verdict(a);
	no = hg_attempt_no(a, (uint32_t)idx);
	ms = hg_attempt_ms(a);
	fb_len = hg_attempt_feedback_len(a);
	in = hg_attempt_info(a);
	if (!cJSON_IsObject(obj)) {
		snprintf(field, sizeof(field), "attempts[%zu]", idx);
		return type_error(e, field, "an object", obj);
	}
	cJSON_ArrayForEach(v, obj) {
		const char *k = v->string, *s;
		bool ok = true;
		size_t n;

		/* By the first letter, as parse_field does. */
		switch (key_fold(k, &n)) {
		case 'a':
			if (key_is(k, "attempt"))
				ok = get_int(e, "Attempt.attempts.attempt", "int", v, &no);
			break;
		case 'm':
			if (key_is(k, "model"))
				ok = get_sym(e, k, v, &in.model);
			break;
		case 't':
			if (key_is(k, "tier"))
				ok = get_interned(e, k, v, &tier);
			break;
		case 'd':
			if (key_is(k, "duration_ms"))
				ok = get_int(e, "Attempt.attempts.duration_ms", "int64", v, &ms);
			break;
		case 'w':
			if (key_is(k, "warm_start"))
				ok = get_bool(e, k, v, &in.warm_start);
			break;
		case 'v':
			if (key_is(k, "verified"))
				ok = get_bool(e, k, v, &in.verified);
			else if (key_is(k, "verdict"))
				ok = get_interned(e, k, v, &verdict);
			break;
		case 'f':
			if (key_is(k, "feedback") && (ok = get_string(e, k, v, &s)) && s) {
				free(fb.v[idx]);
				fb.v[idx] = keep_text(s, &fb_len, HG_SHORT_TEXT_MAX);
			}
			break;
		case 'o':
			if (key_is(k, "output_summary") && (ok = get_string(e, k, v, &s)) && s)
				in.has_output_summary = *s;
			break;
		case 'r':
			if (key_is(k, "runner_output") && (ok = get_string(e, k, v, &s)) && s)
				in.has_runner_output = *s;
			break;
		}
		if (!ok && strncmp(hg_entry_reason(e), "field ", 6) == 0) {
			/* Name the attempt: "field attempts[2].model: ..." */
			hg_entry_set_reason(e, xasprintf("field attempts[%zu].%s", idx,
							 e->more->reason + strlen("field ")));
		}
		if (!ok)
			return false;
	}
	hg_attempt_set_all(a, &in, tier, verdict);
	hg_attempt_set_numbers(a, (uint32_t)idx, no, ms);
	hg_attempt_set_feedback_len(a, (uint32_t)idx, fb_len);
	return true;
}

/* Drop the attempts, and the elements kept past them (*stored in all). */
static void
drop_attempts(struct hg_entry *e, uint32_t from, uint32_t *stored)
{
	uint32_t i;

	for (i = from; i < *stored && i < fb.n; i++) {
		free(fb.v[i]);
		fb.v[i] = NULL;
	}
	if (from == 0) {
		free(e->attempts);
		e->attempts = NULL;
		e->n_attempts = 0;
	}
	*stored = from;
}

/* Go decodes an array into the slice it already has: element i of a second
 * "attempts" is decoded over element i of the first (fields it does not
 * name keep their values), also past the second array's end once a longer
 * one was read; null and [] drop them all. *stored counts the elements
 * kept, n_attempts those shown. */
static bool
parse_attempts(struct hg_entry *e, const cJSON *arr, uint32_t *stored)
{
	const cJSON *v;
	size_t n, i;

	if (cJSON_IsNull(arr) || (cJSON_IsArray(arr) && !arr->child)) {
		drop_attempts(e, 0, stored);
		return true;
	}
	if (!cJSON_IsArray(arr))
		return type_error(e, "attempts", "an array", arr);
	n = (size_t)cJSON_GetArraySize(arr);
	if (n > *stored) {
		e->attempts = xrealloc(e->attempts, n * sizeof(*e->attempts));
		memset(&e->attempts[*stored], 0, (n - *stored) * sizeof(*e->attempts));
		fb_reserve(n);
		*stored = (uint32_t)n;
	}
	e->n_attempts = 0;
	i = 0;
	cJSON_ArrayForEach(v, arr) {
		bool ok = parse_attempt(e, v, &e->attempts[i], i);

		e->n_attempts = (uint32_t)++i;
		if (!ok)
			return false;
	}
	return true;
}

static void
parse_annotation_input(struct hg_entry *e, const cJSON *in)
{
	const cJSON *v;
	struct hg_note_ref *n;

	if (!cJSON_IsObject(in))
		return;
	n = hg_entry_note_set(e);
	v = cJSON_GetObjectItemCaseSensitive(in, "target_line");
	if (cJSON_IsNumber(v) && v->valuedouble >= 1 && v->valuedouble < 9e18)
		n->target_line = (int64_t)v->valuedouble;
	v = cJSON_GetObjectItemCaseSensitive(in, "target_attempt");
	if (cJSON_IsNumber(v) && v->valuedouble > -9e18 && v->valuedouble < 9e18) {
		n->target_attempt = (int64_t)v->valuedouble;
		n->has_target_attempt = true;
	}
	v = cJSON_GetObjectItemCaseSensitive(in, "target_skill");
	if (cJSON_IsString(v))
		n->target_skill = hg_intern(v->valuestring);
	v = cJSON_GetObjectItemCaseSensitive(in, "target_timestamp");
	if (cJSON_IsString(v)) {
		int16_t tz;

		n->has_target_ts = hg_parse_time(v->valuestring, strlen(v->valuestring),
						 &n->target_ts_ns, &tz, &n->target_ts_zero);
	}
	v = cJSON_GetObjectItemCaseSensitive(in, "author");
	if (cJSON_IsString(v))
		n->author = hg_intern(v->valuestring);
}

static bool
parse_timestamp(struct hg_entry *e, const cJSON *v)
{
	const char *s = v->valuestring;
	int64_t sec;
	int32_t nsec;
	int16_t tz;
	bool zero, raw;

	if (cJSON_IsNull(v))
		return true;	/* leaves it as it was */
	if (!cJSON_IsString(v) || hg_values_marked(s, HG_VAL_NUMBER))
		return type_error(e, "timestamp", "a string", v);
	/* Go parses the raw bytes: a time written with escapes is none. */
	raw = !hg_values_marked(s, HG_VAL_ESCAPED);
	if (!raw)
		s += 2;
	if (!raw || !hg_parse_time_sec(s, strlen(s), &sec, &nsec, &tz, &zero)) {
		hg_entry_set_reason(e, xasprintf("field timestamp: \"%.40s\"%s is not an RFC 3339 time",
						 s, raw ? "" : " written with escapes"));
		return false;
	}
	e->ts_zero = zero;
	e->tz_min = tz;
	if (e->more)
		e->more->far_sec = e->more->far_nsec = 0;
	if (zero) {
		e->ts_ns = 0;
	} else if (!hg_time_ns(sec, nsec, &e->ts_ns)) {
		/* Before 1677 or after 2262: sorted first or last, shown as written. */
		hg_entry_more(e)->far_sec = sec;
		hg_entry_more(e)->far_nsec = nsec;
	}
	return true;
}

static bool
parse_field(struct hg_entry *e, hg_sym *strs, const cJSON *v, const cJSON **input,
	    const char **message, uint32_t *stored)
{
	const char *k = v->string, *s;
	size_t n;

	switch (key_fold(k, &n)) {
	case 's':
		if (key_is(k, "session_id"))
			return get_sym(e, k, v, &strs[HG_E_SESSION_ID]);
		if (key_is(k, "skill"))
			return get_sym(e, k, v, &strs[HG_E_SKILL]);
		break;
	case 't':
		if (!key_is(k, "timestamp"))
			break;
		return parse_timestamp(e, v);
	case 'p':
		if (key_is(k, "phase"))
			return get_sym(e, k, v, &strs[HG_E_PHASE]);
		if (key_is(k, "project_root"))
			return get_sym(e, k, v, &strs[HG_E_PROJECT_ROOT]);
		break;
	case 'i':
		if (key_is(k, "input")) {
			*input = v;
			e->has_input = true;
		}
		break;
	case 'a':
		if (key_is(k, "attempts"))
			return parse_attempts(e, v, stored);
		break;
	case 'f':
		if (key_is(k, "final_status"))
			return get_sym(e, k, v, &strs[HG_E_FINAL_STATUS]);
		if (key_is(k, "file_path"))
			return get_sym(e, k, v, &e->file_path);
		break;
	case 'm':
		if (key_is(k, "model_used"))
			return get_sym(e, k, v, &strs[HG_E_MODEL_USED]);
		if (key_is(k, "message")) {
			if (!get_string(e, k, v, &s))
				return false;
			if (s)	/* null leaves it */
				*message = s;
			return true;
		}
		break;
	case 'd':
		if (key_is(k, "duration_ms")) {
			int64_t ms = hg_entry_ms(e);
			bool ok = get_int(e, "Entry.duration_ms", "int64", v, &ms);

			hg_entry_set_ms(e, ms);
			return ok;
		}
		break;
	}
	return true;
}

/* The attempts and the texts kept with them in one allocation: per entry
 * one block instead of three or four (each with its own header and
 * rounding), freed by hg_entry_free; or carved from the pool the caller
 * gave (hg_parse_set_pool), freed with it. */
static _Thread_local struct hg_pool *pool;

void
hg_parse_set_pool(struct hg_pool *p)
{
	pool = p;
}

static void
pack(struct hg_entry *e)
{
	size_t head = e->n_attempts * sizeof(*e->attempts), bytes = head, at = head;
	char *block;
	uint32_t i;

	if (e->n_attempts == 0)
		return;
	for (i = 0; i < e->n_attempts; i++)
		if (fb.v[i])
			bytes += (size_t)hg_attempt_feedback_len(&e->attempts[i]) + 1;
	if (bytes == head && !pool)
		return;
	block = pool ? hg_pool_alloc(pool, bytes) : xmalloc(bytes);
	memcpy(block, e->attempts, head);
	for (i = 0; i < e->n_attempts; i++) {
		struct hg_attempt *a = &((struct hg_attempt *)(void *)block)[i];

		a->feedback_kept = fb.v[i] != NULL;
		if (!fb.v[i])
			continue;
		memcpy(block + at, fb.v[i], (size_t)hg_attempt_feedback_len(a) + 1);
		at += (size_t)hg_attempt_feedback_len(a) + 1;
	}
	fb_clear();
	free(e->attempts);
	e->attempts = (struct hg_attempt *)(void *)block;
	e->packed = true;
	e->pooled = pool != NULL;
}

bool
hg_entry_from_json(const cJSON *root, struct hg_entry *e)
{
	const cJSON *v, *input = NULL;
	const char *message = NULL;
	char *text;
	uint32_t stored = 0, mlen = 0;
	hg_sym strs[HG_E_STRS] = { 0 };
	bool ok = true;

	e->strs = e->file_path = 0;
	e->ts_zero = true;
	fb_clear();	/* what a line that failed left */
	/* A bare null is an entry with every field zero to Go. */
	if (!cJSON_IsObject(root) && !cJSON_IsNull(root)) {
		hg_entry_set_reason(e, xasprintf("not a JSON object (%s)", json_type_name(root)));
		return false;
	}
	cJSON_ArrayForEach(v, root) {
		if (!(ok = parse_field(e, strs, v, &input, &message, &stored)))
			break;
	}
	/* Elements an earlier, longer "attempts" left past the shown ones. */
	if (stored > e->n_attempts)
		drop_attempts(e, e->n_attempts, &stored);
	if (!ok)
		return false;
	hg_entry_masks(e);
	hg_entry_set_syms(e, strs);
	if (strcmp(hg_sym_str(strs[HG_E_SKILL]), ANNOTATE_SKILL) == 0) {
		e->kind = HG_ENTRY_ANNOTATION;
		text = keep_text(message, &mlen, ANNOTATION_TEXT_MAX);
		parse_annotation_input(e, input);
	} else {
		e->kind = HG_ENTRY_OK;
		text = keep_text(message, &mlen, HG_SHORT_TEXT_MAX);
	}
	hg_entry_set_message_len(e, mlen);
	if (text)
		hg_entry_more(e)->message = text;
	pack(e);
	return true;
}

static void
make_unparsable(struct hg_entry *e)
{
	int64_t length = hg_entry_length(e), line_no = hg_entry_line(e);

	hg_entry_free(e);
	hg_entry_set_place(e, length, line_no);
	e->kind = HG_ENTRY_UNPARSABLE;
	e->strs = e->file_path = 0;
	hg_entry_set_message_len(e, 0);
}

/* Nothing but spaces, tabs and carriage returns (or nothing at all). */
static bool
blank(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'); i++)
		;
	return i == len;
}

/* The nodes and strings of one line's tree come from an arena: blocks
 * handed out by a bump pointer and given back all at once when the line
 * is done, instead of one malloc and one free per node. The model keeps
 * nothing that points into the tree (strings are interned or copied).
 * cJSON's hooks are set once; they use the arena only while this thread
 * parses a line: cJSON's other users (configuration, notes, the detail
 * pane) keep malloc and free. The arena is per thread (--stats parses on
 * every core). */
#define ARENA_BLOCK (64 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	max_align_t data[];
};

static _Thread_local struct arena_block *arena;	/* newest block first */
static _Thread_local bool in_arena;
/* While in the arena: the free part of the newest block (else both NULL,
 * so that hook_malloc's quick test fails). */
static _Thread_local char *arena_next, *arena_end;

#define ARENA_ROUND(n) (((n) + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1))

/* N bytes (rounded) from a new block. */
static void *
arena_alloc(size_t n)
{
	size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
	struct arena_block *b = malloc(sizeof(*b) + cap);

	if (!b)
		return NULL;	/* cJSON reports the parse as failed */
	if (arena)
		arena->used = (size_t)(arena_next - (char *)arena->data);
	b->cap = cap;
	b->used = 0;
	b->next = arena;
	arena = b;
	arena_next = (char *)b->data + n;
	arena_end = (char *)b->data + cap;
	return b->data;
}

static void
arena_enter(void)
{
	in_arena = true;
	if (arena) {
		arena_next = (char *)arena->data + arena->used;
		arena_end = (char *)arena->data + arena->cap;
	}
}

static void
arena_leave(void)
{
	if (arena)
		arena->used = (size_t)(arena_next - (char *)arena->data);
	in_arena = false;
	arena_next = arena_end = NULL;
}

static void
arena_free(void *p)
{
	(void)p;	/* given back with the whole line: arena_reset */
}

/* Keep one block for the next line, the oldest (a plain 64 KiB one). */
static void
arena_reset(void)
{
	while (arena && arena->next) {
		struct arena_block *b = arena;

		arena = b->next;
		free(b);
	}
	if (arena && arena->cap > ARENA_BLOCK) {
		free(arena);
		arena = NULL;
	}
	if (arena)
		arena->used = 0;
}

static void *
hook_malloc(size_t n)
{
	size_t r = ARENA_ROUND(n);

	if ((uintptr_t)arena_end - (uintptr_t)arena_next >= r) {
		void *p = arena_next;

		arena_next += r;
		return p;
	}
	return in_arena ? arena_alloc(r) : malloc(n);
}

static void
hook_free(void *p)
{
	if (!in_arena)
		free(p);
	else
		arena_free(p);
}

static void
hooks_init(void)
{
	static cJSON_Hooks hooks = { hook_malloc, hook_free };

	cJSON_InitHooks(&hooks);
}

static cJSON *
parse_in_arena(const char *line, size_t len, const char **end)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	cJSON *root;

	pthread_once(&once, hooks_init);
	arena_enter();
	root = cJSON_ParseWithLengthOpts(line, len, end, false);
	arena_leave();
	return root;
}

static void
delete_in_arena(cJSON *root)
{
	(void)root;
	arena_reset();
}

/* The line as Go's reader would see its values (values.h): the line
 * itself, a rewritten copy in *copy, or false with *bad at the byte Go
 * rejects. */
static _Thread_local bool values_plain;	/* hg_parse_line_spans: known to need none */

static bool
go_values(const char **line, size_t *len, struct hg_buf *copy, size_t *bad)
{
	if (values_plain)
		return true;
	switch (hg_values_rewrite(*line, *len, copy, HG_VALUES_MARKS, bad)) {
	case HG_VALUES_SAME:
		return true;
	case HG_VALUES_COPY:
		*line = copy->p;
		*len = copy->len;
		return true;
	case HG_VALUES_INVALID:
		break;
	}
	return false;
}

/* hg_parse_line_full's copy of a line whose values Go reads otherwise
 * than cJSON; one per thread (--stats parses on every core). */
static _Thread_local struct hg_buf copy;

static void
parse_once(const char *line, size_t len, struct hg_entry *e)
{
	const char *end = NULL, *orig = line;
	cJSON *root;
	int64_t offset = e->offset, length = hg_entry_length(e), line_no = hg_entry_line(e);
	size_t bad, orig_len = len;

	if (copy.cap > 4 * HG_READER_CHUNK)
		hg_buf_free(&copy);	/* a long line's copy is not kept */
	hg_entry_free(e);
	memset(e, 0, sizeof(*e));
	e->offset = offset;
	hg_entry_set_place(e, length, line_no);
	if (blank(line, len)) {
		/* hyperguild's reader fails on it too: not an entry. */
		make_unparsable(e);
		hg_entry_set_reason(e, xstrdup("blank line"));
		return;
	}
	if (!go_values(&line, &len, &copy, &bad)) {
		make_unparsable(e);
		hg_entry_set_reason(e, xasprintf("invalid JSON at byte %zu", bad + 1));
		return;
	}
	root = parse_in_arena(line, len, &end);
	if (!root && line != orig) {
		/* Say where the line itself goes wrong, not its copy. */
		arena_reset();
		line = orig;
		len = orig_len;
		if (parse_in_arena(line, len, &end))
			end = line + len;	/* not expected: the copy only differs in values */
	}
	if (!root) {
		arena_reset();
		size_t at = end && end >= line && end <= line + len ? (size_t)(end - line) : 0;
		make_unparsable(e);
		hg_entry_set_reason(e, at + 1 >= len ?
				       xasprintf("invalid JSON: unexpected end of line (%zu bytes)", len) :
				       xasprintf("invalid JSON at byte %zu", at + 1));
		return;
	}
	if (end && (size_t)(end - line) < len) {
		const char *p = end;

		while ((size_t)(p - line) < len && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if ((size_t)(p - line) < len) {
			delete_in_arena(root);
			make_unparsable(e);
			hg_entry_set_reason(e, xasprintf("invalid JSON: extra data at byte %zu",
							 (size_t)(p - line) + 1));
			return;
		}
	}
	if (!hg_entry_from_json(root, e)) {
		char *reason = e->more ? e->more->reason : NULL;

		if (reason)
			e->more->reason = NULL;
		make_unparsable(e);
		hg_entry_set_reason(e, reason);
	}
	delete_in_arena(root);
}

void
hg_parse_too_long(size_t len, struct hg_entry *e)
{
	int64_t offset = e->offset, length = hg_entry_length(e), line_no = hg_entry_line(e);
	char n[32], max[32];

	hg_entry_free(e);
	memset(e, 0, sizeof(*e));
	e->offset = offset;
	hg_entry_set_place(e, length, line_no);
	make_unparsable(e);
	hg_fmt_count(n, sizeof(n), (int64_t)len);
	if (hg_reader_line_max() % (1024 * 1024) == 0)
		snprintf(max, sizeof(max), "%lld MiB", (long long)(hg_reader_line_max() / (1024 * 1024)));
	else
		hg_fmt_count(max, sizeof(max), hg_reader_line_max());
	hg_entry_set_reason(e, xasprintf("line of %s bytes is over the %s%s line limit: not read", n,
					 max, strchr(max, 'M') ? "" : "-byte"));
}

/* Fast path.
 *
 * Most of a hyperguild line is runner_output and output_summary, which the
 * model does not keep (only whether they are empty). cJSON would decode
 * and copy them; instead they are found with memchr, checked exactly as
 * cJSON checks a string, and replaced by "" or "x" in a copy of the line
 * that cJSON then parses. The result equals the full parse (tests and a
 * fuzz target compare the two); any doubt falls back to the full parse. */

#define FAST_MIN_LINE 512

static const struct {
	const char *pat;	/* "key":" */
	size_t len;
} skip_keys[] = {
	{ "\"runner_output\":\"", 17 },
	{ "\"output_summary\":\"", 18 },
};

/* cJSON's parse_hex4: an invalid digit makes the whole value 0. */
static unsigned
hex4(const char *p)
{
	unsigned h = 0;
	int i;

	for (i = 0; i < 4; i++) {
		int v = hg_hex_value((unsigned char)p[i]);

		if (v < 0)
			return 0;
		h = (h << 4) | (unsigned)v;
	}
	return h;
}

/* Whether p holds four hex digits; their value in *v. */
static inline bool
hex4_valid(const char *p, unsigned *v)
{
	int a = hg_hex_value((unsigned char)p[0]), b = hg_hex_value((unsigned char)p[1]),
	    c = hg_hex_value((unsigned char)p[2]), d = hg_hex_value((unsigned char)p[3]);

	if ((a | b | c | d) < 0)
		return false;
	*v = (unsigned)(a << 12 | b << 8 | c << 4 | d);
	return true;
}

/* A quote preceded by an odd number of backslashes is escaped. */
static bool
escaped(const char *line, const char *q)
{
	size_t n = 0;

	while (q > line && q[-1] == '\\') {
		q--;
		n++;
	}
	return n % 2 == 1;
}

/* The first '"' or '\\' in [p, end), or NULL. */
static const char *
quote_or_backslash(const char *p, const char *end)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');

	while (end - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned bits = (unsigned)_mm_movemask_epi8(
			_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bslash)));

		if (bits)
			return p + __builtin_ctz(bits);
		p += 16;
	}
#endif
	for (; p < end; p++)
		if (*p == '"' || *p == '\\')
			return p;
	return NULL;
}

/* Find the end of the string whose content starts at p, and check its
 * escapes the way cJSON's parse_string does: every escape must be one of
 * \\b \\f \\n \\r \\t \\" \\\\ \\/ or \\uXXXX with surrogates paired, and the
 * string ends at the first quote no escape takes (a quote after an odd run
 * of backslashes is escaped). One pass, escapes in order. Returns the
 * closing quote, or NULL when cJSON would reject the string or doubt is
 * left to the full parse (an escape cut by the line's end, bad hex). */
static const char *
string_end(const char *p, const char *end)
{
	const char *b;

	while ((b = quote_or_backslash(p, end)) != NULL) {
		unsigned c;

		if (*b == '"')
			return b;
		if (end - b < 2)
			return NULL;
		switch (b[1]) {
		case 'b': case 'f': case 'n': case 'r': case 't':
		case '"': case '\\': case '/':
			p = b + 2;
			continue;
		case 'u':
			break;
		default:
			return NULL;
		}
		if (end - b < 6 || !hex4_valid(b + 2, &c))
			return NULL;	/* Go rejects it: the full parse says where */
		if (c >= 0xDC00 && c <= 0xDFFF)
			return NULL;
		if (c >= 0xD800 && c <= 0xDBFF) {
			unsigned c2;

			if (end - b < 12 || b[6] != '\\' || b[7] != 'u' || !hex4_valid(b + 8, &c2) ||
			    c2 < 0xDC00 || c2 > 0xDFFF)
				return NULL;
			p = b + 12;
		} else {
			p = b + 6;
		}
	}
	return NULL;
}

/* Add to out what lies from COPIED to the value [vstart, vend), and the
 * value cut to "x" ("" stays ""); returns where copying goes on. */
static const char *
cut_value(struct hg_buf *out, const char *copied, const char *vstart, const char *vend)
{
	hg_buf_add(out, copied, (size_t)(vstart - copied));
	if (vend > vstart)
		hg_buf_addc(out, 'x');
	return vend;
}

/* Copy line into out with the skipped values shortened. Returns false
 * when nothing was skipped or a value looked doubtful. */
static bool
reduce(const char *line, size_t len, struct hg_buf *out)
{
	const char *end = line + len, *copied = line, *p = line;
	const char *next[HG_ARRAY_SIZE(skip_keys)] = { 0 };
	bool any = false;

	hg_buf_reset(out);
	while (p < end) {
		const char *best = NULL, *vstart, *vend;
		size_t k, bestk = 0;

		/* Each key's next occurrence is searched for once, not again
		 * after every skipped value. */
		for (k = 0; k < HG_ARRAY_SIZE(skip_keys); k++) {
			if (next[k] != end && (!next[k] || next[k] < p)) {
				next[k] = memmem(p, (size_t)(end - p), skip_keys[k].pat, skip_keys[k].len);
				if (!next[k])
					next[k] = end;
			}
			if (next[k] != end && (!best || next[k] < best)) {
				best = next[k];
				bestk = k;
			}
		}
		if (!best)
			break;
		vstart = best + skip_keys[bestk].len;
		if (escaped(line, best)) {
			p = vstart;
			continue;
		}
		vend = string_end(vstart, end);
		if (!vend)
			return false;
		/* cJSON keeps C strings: a value whose first character is
		 * NUL (raw, \u0000 or a \u escape cJSON reads as 0) is empty
		 * to the full parse. Leave such a value to it. */
		if (vend > vstart && (vstart[0] == '\0' ||
				      (vstart[0] == '\\' && vstart[1] == 'u' && hex4(vstart + 2) == 0)))
			return false;
		copied = cut_value(out, copied, vstart, vend);
		p = vend + 1;
		any = true;
	}
	if (!any)
		return false;
	hg_buf_add(out, copied, (size_t)(end - copied));
	return true;
}

/* reduce() with the values' places known (the Go-reader check found the
 * line valid, so each is a valid string to Go, and to cJSON unless odd);
 * an input it noted is cut too (the entry only keeps that there is one),
 * and with NUMBERS (no value pass to follow, which would take the marker
 * for bytes that are not UTF-8) an integer field's number is given as
 * its text (values.h), which the parser reads without cJSON's strtod. */
static bool
reduce_spans(const char *line, size_t len, const struct hg_goread_spans *sp, bool numbers,
	     struct hg_buf *out)
{
	const char *copied = line;
	bool input = sp->input_end > 0;
	size_t k = 0, m = numbers ? 0 : sp->n_nums;

	hg_buf_reset(out);
	for (;;) {
		size_t text = k < sp->n ? sp->v[k].start : len;
		size_t num = m < sp->n_nums ? sp->nums[m].start : len;
		size_t at = text < num ? text : num;

		if (input && sp->input_start < at) {
			/* The input (not an annotation's) as an empty one. */
			hg_buf_add(out, copied, sp->input_start - (size_t)(copied - line));
			hg_buf_add(out, line[sp->input_start] == '{' ? "{}" : "[]", 2);
			copied = line + sp->input_end;
			input = false;
			continue;
		}
		if (at == len)
			break;
		if (line + at < copied)
			return false;
		if (num < text) {
			const char *a = line + num, *b = line + sp->nums[m].end;

			hg_buf_add(out, copied, (size_t)(a - copied));
			hg_buf_add(out, "\"" HG_VAL_NUMBER, 3);
			hg_buf_add(out, a, (size_t)(b - a));
			hg_buf_addc(out, '"');
			copied = b;
			m++;
			continue;
		}
		if (sp->v[k].odd)
			return false;
		copied = cut_value(out, copied, line + text, line + sp->v[k].end);
		k++;
	}
	hg_buf_add(out, copied, (size_t)(line + len - copied));
	return true;
}

static _Thread_local struct hg_buf scratch;	/* hg_parse_line's, one per thread */
static _Thread_local struct hg_buf deep;	/* a copy with a deep input cut */

void
hg_parse_release(void)
{
	fb_clear();
	free(fb.v);
	fb.v = NULL;
	fb.cap = 0;
	arena_reset();
	free(arena);
	arena = NULL;
	hg_buf_free(&scratch);
	hg_buf_free(&copy);
	hg_buf_free(&deep);
}

/* An input nested deeper than cJSON goes (Go takes up to 10,000 levels):
 * the model keeps only that there is an input, so a copy of the line has
 * it as a short string instead, once Go's grammar has checked it. */
#define DEEP_INPUT 500

bool
hg_parse_deep_input(const char *line, size_t len, struct hg_buf *out)
{
	static const char key[] = "\"input\"";
	const char *end = line + len, *copied = line, *p = line, *k;
	bool any = false;

	hg_buf_reset(out);
	while ((k = memmem(p, (size_t)(end - p), key, sizeof(key) - 1))) {
		const char *v = k + sizeof(key) - 1;
		size_t n, depth = 0;

		p = v;
		if (escaped(line, k))
			continue;
		while (v < end && (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n'))
			v++;
		if (v == end || *v != ':')
			continue;
		v++;
		n = hg_goread_container_len(v, (size_t)(end - v), &depth);
		if (!n || depth < DEEP_INPUT)
			continue;
		hg_buf_add(out, copied, (size_t)(v - copied));
		hg_buf_printf(out, "\"(nested %zu levels deep)\"", depth);
		copied = p = v + n;
		any = true;
	}
	if (any)
		hg_buf_add(out, copied, (size_t)(end - copied));
	return any;
}

/* The line as reduced into scratch (when REDUCED), else, or when that
 * copy does not parse, the line itself. */
static void
parse_reduced(const char *line, size_t len, bool reduced, struct hg_entry *e)
{
	if (reduced) {
		hg_parse_line_full(scratch.p, scratch.len, e);
		if (e->kind != HG_ENTRY_UNPARSABLE) {
			if (scratch.cap > 4 * HG_READER_CHUNK)
				hg_buf_free(&scratch);
			return;
		}
		hg_entry_free(e);	/* the reason of the reduced line */
	}
	hg_parse_line_full(line, len, e);
}

void
hg_parse_line_spans(const char *line, size_t len, const struct hg_goread_spans *sp,
		    struct hg_entry *e)
{
	/* What the check saw spares the value pass (cut values stay plain). */
	values_plain = sp && sp->plain && hg_values_utf8(line, len);
	if (!sp || sp->full || (sp->n == 0 && !sp->input_end && !(values_plain && sp->n_nums)) ||
	    len < FAST_MIN_LINE)
		hg_parse_line(line, len, e);
	else
		parse_reduced(line, len, reduce_spans(line, len, sp, values_plain, &scratch), e);
	values_plain = false;
}

void
hg_parse_line(const char *line, size_t len, struct hg_entry *e)
{
	parse_reduced(line, len, len >= FAST_MIN_LINE && reduce(line, len, &scratch), e);
}

void
hg_parse_line_texts(const char *line, size_t len, struct hg_entry *e)
{
	bool was = texts_forced;

	texts_forced = true;
	hg_parse_line(line, len, e);
	texts_forced = was;
}

void
hg_parse_line_full(const char *line, size_t len, struct hg_entry *e)
{
	parse_once(line, len, e);
	if (e->kind == HG_ENTRY_UNPARSABLE && len >= 2 * DEEP_INPUT &&
	    hg_parse_deep_input(line, len, &deep)) {
		hg_entry_free(e);
		parse_once(deep.p, deep.len, e);
		if (deep.cap > 4 * HG_READER_CHUNK)
			hg_buf_free(&deep);
	}
}
