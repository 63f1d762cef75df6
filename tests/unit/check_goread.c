/* check_goread.c - Go's verdict on one line: the syntax errors of Go's
 * encoding/json scanner with its exact texts, the type errors of
 * json.Unmarshal into hyperguild's Entry, and the scanner's line limit.
 * The expected texts are those Go 1.19 prints for the same input. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/entry.h"
#include "hgtop/goread.h"
#include "hgtop/parser.h"
#include "hgtop/session.h"
#include "tmpdir.h"
#include "hgtop/util.h"

#define OK HG_GOREAD_OK
#define SYN HG_GOREAD_SYNTAX
#define TYP HG_GOREAD_TYPE

static const struct {
	const char *json;
	enum hg_goread_result want;
	const char *msg;
} cases[] = {
	{ "{}", OK, "" },
	{ "null", OK, "" },
	{ " {\"skill\":\"a\",\"x\":[1,{\"y\":null}]} \t\r", OK, "" },
	{ "{\"duration_ms\":-9223372036854775808,\"attempts\":[null,{\"attempt\":9223372036854775807}]}", OK, "" },
	{ "{\"input\":{\"a\":[true,false,null,-0.5e+3,\"\\u00e9\\ud800\"]}}", OK, "" },
	{ "{\"message\":\"\xff\xfe not UTF-8\"}", OK, "" },
	{ "{\"timestamp\":\"2026-11-24T10:04:05.5+01:00\",\"timestamp\":null}", OK, "" },
	{ "{\"SKILL\":\"a\",\"\\u0073kill\":\"b\",\"unknown\":1.5}", OK, "" },
	{ " ", SYN, "unexpected end of JSON input" },
	{ "{\"a\":1", SYN, "unexpected end of JSON input" },
	{ "{\"a\":\"x", SYN, "unexpected end of JSON input" },
	{ "{\"a\":1,}", SYN, "invalid character '}' looking for beginning of object key string" },
	{ "{\"a\" 1}", SYN, "invalid character '1' after object key" },
	{ "{\"a\":1 2}", SYN, "invalid character '2' after object key:value pair" },
	{ "[1 2]", SYN, "invalid character '2' after array element" },
	{ "{} x", SYN, "invalid character 'x' after top-level value" },
	{ "{}{}", SYN, "invalid character '{' after top-level value" },
	{ "{\"a\":\"\x01\"}", SYN, "invalid character '\\x01' in string literal" },
	{ "{\"a\":\"\t\"}", SYN, "invalid character '\\t' in string literal" },
	{ "{\"a\":\"\\x\"}", SYN, "invalid character 'x' in string escape code" },
	{ "{\"a\":\"\\u00\"}", SYN, "invalid character '\"' in \\u hexadecimal character escape" },
	{ "{\"a\":\"\\uZZZZ\"}", SYN, "invalid character 'Z' in \\u hexadecimal character escape" },
	{ "-", SYN, "invalid character ' ' in numeric literal" },
	{ "{\"a\":01}", SYN, "invalid character '1' after object key:value pair" },
	{ "{\"a\":1.}", SYN, "invalid character '}' after decimal point in numeric literal" },
	{ "{\"a\":1e}", SYN, "invalid character '}' in exponent of numeric literal" },
	{ "{\"a\":+1}", SYN, "invalid character '+' looking for beginning of value" },
	{ "{\"a\":.5}", SYN, "invalid character '.' looking for beginning of value" },
	{ "{\"a\":tru}", SYN, "invalid character '}' in literal true (expecting 'e')" },
	{ "{\"a\":nul", SYN, "invalid character ' ' in literal null (expecting 'l')" },
	{ "{\"a\":fals", SYN, "invalid character ' ' in literal false (expecting 'e')" },
	{ "{'a':1}", SYN, "invalid character '\\'' looking for beginning of object key string" },
	{ "\x85", SYN, "invalid character '\\u0085' looking for beginning of value" },
	{ "\xa0", SYN, "invalid character '\\u00a0' looking for beginning of value" },
	{ "\xc3", SYN, "invalid character '\xc3\x83' looking for beginning of value" },
	{ "\x7f", SYN, "invalid character '\\x7f' looking for beginning of value" },
	{ "\\", SYN, "invalid character '\\\\' looking for beginning of value" },
	/* A syntax error wins over an earlier type error. */
	{ "{\"duration_ms\":\"x\",}", SYN, "invalid character '}' looking for beginning of object key string" },
	{ "[1]", TYP, "json: cannot unmarshal array into Go value of type session.Entry" },
	{ "\"x\"", TYP, "json: cannot unmarshal string into Go value of type session.Entry" },
	{ "true", TYP, "json: cannot unmarshal bool into Go value of type session.Entry" },
	{ "5", TYP, "json: cannot unmarshal number into Go value of type session.Entry" },
	{ "{\"duration_ms\":\"5\"}", TYP, "json: cannot unmarshal string into Go struct field Entry.duration_ms of type int64" },
	{ "{\"duration_ms\":1e3}", TYP, "json: cannot unmarshal number 1e3 into Go struct field Entry.duration_ms of type int64" },
	{ "{\"duration_ms\":9223372036854775808}", TYP, "json: cannot unmarshal number 9223372036854775808 into Go struct field Entry.duration_ms of type int64" },
	{ "{\"skill\":1}", TYP, "json: cannot unmarshal number into Go struct field Entry.skill of type string" },
	{ "{\"\xc5\xbfkill\":true}", TYP, "json: cannot unmarshal bool into Go struct field Entry.skill of type string" },
	{ "{\"s\\u212aill\":{}}", TYP, "json: cannot unmarshal object into Go struct field Entry.skill of type string" },
	{ "{\"attempts\":{}}", TYP, "json: cannot unmarshal object into Go struct field Entry.attempts of type []session.Attempt" },
	{ "{\"attempts\":[\"x\"]}", TYP, "json: cannot unmarshal string into Go struct field Entry.attempts of type session.Attempt" },
	{ "{\"attempts\":[{\"model\":1}]}", TYP, "json: cannot unmarshal number into Go struct field Attempt.attempts.model of type string" },
	{ "{\"attempts\":[{\"attempt\":1.5}]}", TYP, "json: cannot unmarshal number 1.5 into Go struct field Attempt.attempts.attempt of type int" },
	{ "{\"attempts\":[{\"Verified\":\"yes\"}]}", TYP, "json: cannot unmarshal string into Go struct field Attempt.attempts.verified of type bool" },
	/* The first type error is the one reported... */
	{ "{\"skill\":[],\"duration_ms\":\"x\"}", TYP, "json: cannot unmarshal array into Go struct field Entry.skill of type string" },
	/* ...but a timestamp error stops decoding and wins. */
	{ "{\"duration_ms\":\"x\",\"timestamp\":1}", TYP, "parsing time \"1\" as \"\\\"2006-01-02T15:04:05Z07:00\\\"\": cannot parse \"1\" as \"\\\"\"" },
	{ "{\"timestamp\":\"x\"}", TYP, "parsing time \"\\\"x\\\"\" as \"\\\"2006-01-02T15:04:05Z07:00\\\"\": cannot parse \"x\\\"\" as \"2006\"" },
	{ "{\"timestamp\":{\"a\":1}}", TYP, "parsing time \"{\\\"a\\\":1}\" as \"\\\"2006-01-02T15:04:05Z07:00\\\"\": cannot parse \"{\\\"a\\\":1}\" as \"\\\"\"" },
};

START_TEST(test_cases)
{
	char msg[HG_GOREAD_MSG];
	enum hg_goread_result r = hg_goread_json(cases[_i].json, strlen(cases[_i].json), msg, sizeof(msg));

	ck_assert_msg(r == cases[_i].want, "%s: result %d, want %d (%s)", cases[_i].json, r,
		      cases[_i].want, msg);
	ck_assert_str_eq(msg, cases[_i].msg);
}
END_TEST

/* The same verdicts through the state machine alone. */
START_TEST(test_cases_machine)
{
	char msg[HG_GOREAD_MSG];
	enum hg_goread_result r;

	hg_goread_machine_only = true;
	r = hg_goread_json(cases[_i].json, strlen(cases[_i].json), msg, sizeof(msg));
	hg_goread_machine_only = false;
	ck_assert_msg(r == cases[_i].want, "%s: result %d, want %d (%s)", cases[_i].json, r,
		      cases[_i].want, msg);
	ck_assert_str_eq(msg, cases[_i].msg);
}
END_TEST

/* The quick way and the state machine agree on p[0, n): verdict, text and
 * everything noted. Returns the verdict. */
static enum hg_goread_result
two_ways(const char *p, size_t n)
{
	struct hg_goread_spans a, b;
	char ma[HG_GOREAD_MSG] = "", mb[HG_GOREAD_MSG] = "";
	enum hg_goread_result ra, rb;

	ra = hg_goread_line_spans(p, n, n, ma, sizeof(ma), &a);
	hg_goread_machine_only = true;
	rb = hg_goread_line_spans(p, n, n, mb, sizeof(mb), &b);
	hg_goread_machine_only = false;
	ck_assert_msg(ra == rb, "%.*s: %d / %d", (int)n, p, ra, rb);
	ck_assert_str_eq(ma, mb);
	ck_assert_msg(a.n == b.n && a.full == b.full && a.plain == b.plain &&
		      a.input_end == b.input_end && a.input_many == b.input_many &&
		      (!a.input_end || a.input_start == b.input_start),
		      "%.*s: noted otherwise", (int)n, p);
	for (size_t k = 0; k < a.n; k++)
		ck_assert(a.v[k].start == b.v[k].start && a.v[k].end == b.v[k].end &&
			  a.v[k].odd == b.v[k].odd);
	ck_assert_uint_eq(a.n_nums, b.n_nums);
	for (size_t k = 0; k < a.n_nums; k++)
		ck_assert(a.nums[k].start == b.nums[k].start && a.nums[k].end == b.nums[k].end);
	return ra;
}

/* Every line of the test files, and variants of an entry where each way
 * out of the quick one is taken. */
START_TEST(test_two_ways)
{
	static const char *const files[] = {
		FIXTURES "/../fidelity/values.jsonl", FIXTURES "/../fidelity/edge.jsonl",
		FIXTURES "/basic/escapes.jsonl", FIXTURES "/basic/inputs.jsonl",
		FIXTURES "/basic/unknown.jsonl", FIXTURES "/basic/malformed.jsonl",
		FIXTURES "/basic/full.jsonl", FIXTURES "/screen/cjk.jsonl",
	};
	static const char *const values[] = {
		"null", "\"x\"", "\"\"", "1", "-0", "1.5", "1e3", "12345678901234567890", "true", "false",
		"[]", "{}", "[null,{}]", "[{\"attempt\":\"1\"}]", "[1]", "{\"a\":[[[[]]]]}",
		"\"2026-11-24T10:00:00Z\"", "\"2026-13-24T10:00:00Z\"", "\"\\u0000\"", "\"\\ud800\"",
		"\"a\\\"b\"", "\"\x01\"", "tru", "01", "-", "[1,]", "{\"a\":1,}", " 1 ",
	};
	static const char *const keys[] = {
		"skill", "timestamp", "duration_ms", "attempts", "input", "message", "Unknown",
		"SKILL", "\\u0073kill",
	};
	static const char *const attempt_keys[] = {
		"attempt", "tier", "warm_start", "runner_output", "OUTPUT_SUMMARY", "other",
	};
	char line[512], *buf = NULL;
	size_t cap = 0, ok = 0, all = 0;
	ssize_t len;

	for (size_t f = 0; f < HG_ARRAY_SIZE(files); f++) {
		FILE *in = fopen(files[f], "r");

		ck_assert_msg(in != NULL, "%s", files[f]);
		while ((len = getline(&buf, &cap, in)) > 0) {
			if (buf[len - 1] == '\n')
				len--;
			ok += two_ways(buf, (size_t)len) == OK;
			all++;
		}
		fclose(in);
	}
	for (size_t k = 0; k < HG_ARRAY_SIZE(keys); k++)
		for (size_t v = 0; v < HG_ARRAY_SIZE(values); v++) {
			snprintf(line, sizeof(line), "{\"skill\":\"w\",\"%s\":%s,\"input\":{}}", keys[k],
				 values[v]);
			ok += two_ways(line, strlen(line)) == OK;
			all++;
		}
	for (size_t k = 0; k < HG_ARRAY_SIZE(attempt_keys); k++)
		for (size_t v = 0; v < HG_ARRAY_SIZE(values); v++) {
			snprintf(line, sizeof(line), "{\"attempts\":[{\"tier\":\"local\",\"%s\":%s},null]}",
				 attempt_keys[k], values[v]);
			ok += two_ways(line, strlen(line)) == OK;
			all++;
		}
	for (size_t i = 0; i < HG_ARRAY_SIZE(cases); i++) {
		ok += two_ways(cases[i].json, strlen(cases[i].json)) == OK;
		all++;
	}
	/* Both ways were taken many times. */
	ck_assert_uint_gt(ok, 100);
	ck_assert_uint_gt(all - ok, 100);
	free(buf);
}
END_TEST

/* Nesting: Go allows 10,000 levels, cJSON 1,000. */
START_TEST(test_depth)
{
	size_t n = HG_GO_MAX_DEPTH + 1, i;
	char *p = xmalloc(2 * n + 16), msg[HG_GOREAD_MSG];

	for (i = 0; i < n; i++) {
		p[i] = '[';
		p[2 * n - 1 - i] = ']';
	}
	ck_assert_int_eq(hg_goread_json(p, 2 * n, msg, sizeof(msg)), SYN);
	ck_assert_str_eq(msg, "invalid character '[' exceeded max depth");
	/* One level less is fine inside input. */
	memcpy(p, "{\"input\":", 9);
	for (i = 9; i < 9 + HG_GO_MAX_DEPTH - 1; i++)
		p[i] = '[';
	for (; i < 9 + 2 * (HG_GO_MAX_DEPTH - 1); i++)
		p[i] = ']';
	p[i++] = '}';
	ck_assert_int_eq(hg_goread_json(p, i, msg, sizeof(msg)), OK);
	{
		size_t depth = 0;

		ck_assert_uint_eq(hg_goread_container_len(p + 9, i - 9, &depth), i - 10);
		ck_assert_uint_eq(depth, HG_GO_MAX_DEPTH - 1);
	}
	free(p);
}
END_TEST

START_TEST(test_container_len)
{
	ck_assert_uint_eq(hg_goread_container_len(" {\"a\":[1]},\"b\":2}", 17, NULL), 10);
	ck_assert_uint_eq(hg_goread_container_len("[]", 2, NULL), 2);
	ck_assert_uint_eq(hg_goread_container_len("\"x\"", 3, NULL), 0);
	ck_assert_uint_eq(hg_goread_container_len("[1,", 3, NULL), 0);
	ck_assert_uint_eq(hg_goread_container_len("[1,]", 4, NULL), 0);
}
END_TEST

START_TEST(test_line)
{
	char msg[HG_GOREAD_MSG];

	ck_assert_int_eq(hg_goread_line("", 0, 0, msg, sizeof(msg)), HG_GOREAD_SKIP);
	ck_assert_int_eq(hg_goread_line("{}", 2, 3, msg, sizeof(msg)), OK);
	/* A '\r' before the newline counts towards the limit. */
	ck_assert_int_eq(hg_goread_line("{}", 2, HG_GO_LINE_MAX - 1, msg, sizeof(msg)), OK);
	ck_assert_int_eq(hg_goread_line("{}", 2, HG_GO_LINE_MAX, msg, sizeof(msg)), HG_GOREAD_TOO_LONG);
	ck_assert_str_eq(msg, "bufio.Scanner: token too long");
	ck_assert_int_eq(hg_goread_line(NULL, 99999999, 99999999, msg, sizeof(msg)), HG_GOREAD_TOO_LONG);
	/* No buffer: only the verdict. */
	ck_assert_int_eq(hg_goread_json("{", 1, NULL, 0), SYN);
}
END_TEST

/* An input nested deeper than cJSON goes, which Go reads, is an entry. */
START_TEST(test_deep_input)
{
	size_t depth = 3000, i, n = 0;
	char *p = xmalloc(6 * depth + 128);
	struct hg_entry e = { 0 };

	n += (size_t)sprintf(p, "{\"skill\":\"deep\",\"input\":");
	for (i = 0; i < depth; i++)
		p[n++] = '{', p[n++] = '"', p[n++] = 'a', p[n++] = '"', p[n++] = ':';
	p[n++] = '1';
	for (i = 0; i < depth; i++)
		p[n++] = '}';
	n += (size_t)sprintf(p + n, ",\"final_status\":\"ok\"}");
	ck_assert_int_eq(hg_goread_json(p, n, NULL, 0), OK);
	hg_parse_line(p, n, &e);
	ck_assert_msg(e.kind == HG_ENTRY_OK, "%s", hg_entry_reason(&e) ? hg_entry_reason(&e) : "");
	ck_assert(e.has_input);
	ck_assert_str_eq(hg_entry_str(&e, HG_E_SKILL), "deep");
	ck_assert_str_eq(hg_entry_str(&e, HG_E_FINAL_STATUS), "ok");
	hg_entry_free(&e);
	free(p);
}
END_TEST

static void
append(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* The last line without a newline is an entry once taken; an append that
 * completes it reads it again in its place, never a second time. */
START_TEST(test_partial_once)
{
	char path[300];
	struct hg_session *s;
	unsigned gen;

	tmpdir_create("goread");
	snprintf(path, sizeof(path), "%s/p.jsonl", tmpdir);
	append(path, "{\"skill\":\"one\"}\n{\"skill\":\"tw");
	s = hg_session_new(path);
	hg_session_ingest(s, 0);
	ck_assert_uint_eq(s->n_entries, 1);
	ck_assert(hg_session_take_partial(s));
	ck_assert_uint_eq(s->n_entries, 2);
	ck_assert(hg_session_entry_partial(s, &s->entries[1]));
	/* Go stops there: the line is cut. */
	ck_assert_int_eq(hg_session_go(s), HG_GO_STOPS);
	ck_assert_int_eq(s->go_stop_line, 2);
	ck_assert_str_eq(s->go_stop_reason, "unexpected end of JSON input");
	/* Nothing new: it stays. */
	hg_session_ingest(s, 0);
	ck_assert_uint_eq(s->n_entries, 2);
	ck_assert(!hg_session_take_partial(s));
	/* Completed: read once, as a whole line, and Go reads it now. */
	gen = s->generation;
	append(path, "o\"}\n");
	hg_session_ingest(s, 0);
	ck_assert_uint_eq(s->n_entries, 2);
	ck_assert_uint_ne(s->generation, gen);
	ck_assert(!hg_session_entry_partial(s, &s->entries[1]));
	ck_assert_str_eq(hg_entry_str(&s->entries[1], HG_E_SKILL), "two");
	ck_assert_int_eq(hg_session_go(s), HG_GO_READS);
	ck_assert_int_eq(s->n_unparsable, 0);
	hg_session_free(s);
	hg_session_close_kept();
	teardown_tmp();
}
END_TEST

/* Read tail first: not known until the head is read, then the FIRST
 * stopping line (in the head if there is one there, else the tail's, its
 * line number made real). */
static void
tail_first(int bad_a, int bad_b, int64_t want)
{
	char path[300], line[128];
	struct hg_session *s;
	struct hg_ingest_result r;
	bool unknown_seen = false;
	int i;

	tmpdir_create("goread");
	snprintf(path, sizeof(path), "%s/t.jsonl", tmpdir);
	for (i = 1; i <= 400; i++) {
		snprintf(line, sizeof(line), i == bad_a || i == bad_b ? "{\"skill\":\"bad-%d\",}\n"
			 : "{\"skill\":\"good-%d\",\"final_status\":\"ok\"}\n", i);
		append(path, line);
	}
	s = hg_session_new(path);
	do {
		r = hg_session_ingest(s, 1024);
		if (r.more)
			unknown_seen |= hg_session_go(s) == HG_GO_UNKNOWN;
	} while (r.more);
	ck_assert(unknown_seen);
	ck_assert_int_eq(hg_session_go(s), HG_GO_STOPS);
	ck_assert_int_eq(s->go_stop_line, want);
	ck_assert_str_eq(s->go_stop_reason,
			 "invalid character '}' looking for beginning of object key string");
	hg_session_free(s);
	hg_session_close_kept();
	teardown_tmp();
}

START_TEST(test_tail_first)
{
	tail_first(5, 390, 5);
	tail_first(0, 390, 390);
}
END_TEST

/* The spans of the strings the parser skips: the attempts' runner_output
 * and output_summary values (keys matched as Go matches them), not the
 * same keys elsewhere; none when the line is refused. */
START_TEST(test_spans)
{
	static const char line[] =
		"{\"input\":{\"runner_output\":\"in input\"},\"attempts\":["
		"{\"runner_output\":\"abc\\n\\u001b[0m\",\"feedback\":\"f\"},"
		"{\"Output_Summary\":\"\",\"RUNNER_OUTPUT\":\"x\\ud83d\\ude00\"}],"
		"\"message\":\"runner_output\"}";
	struct hg_goread_spans sp;
	const char *p;

	ck_assert_int_eq(hg_goread_line_spans(line, strlen(line), strlen(line), NULL, 0, &sp),
			 HG_GOREAD_OK);
	ck_assert_uint_eq(sp.n, 3);
	ck_assert(!sp.full);
	p = strstr(line, "abc");
	ck_assert_uint_eq(sp.v[0].start, (size_t)(p - line));
	ck_assert_int_eq(line[sp.v[0].end], '"');
	ck_assert_uint_eq(sp.v[0].end - sp.v[0].start, strlen("abc\\n\\u001b[0m"));
	ck_assert(!sp.v[0].odd);
	ck_assert_uint_eq(sp.v[1].end, sp.v[1].start);	/* "" */
	ck_assert(sp.v[2].odd);				/* a surrogate escape */

	/* Refused lines note none. */
	ck_assert_int_eq(hg_goread_line_spans("{\"attempts\":[{\"runner_output\":\"a\"}],}", 37, 37,
					       NULL, 0, &sp), HG_GOREAD_SYNTAX);
	ck_assert_uint_eq(sp.n, 0);
	ck_assert_int_eq(hg_goread_line_spans("{\"attempts\":[{\"runner_output\":1}]}", 34, 34, NULL,
					       0, &sp), HG_GOREAD_TYPE);
	ck_assert_uint_eq(sp.n, 0);
}
END_TEST

/* Which OK lines cJSON reads as Go does, so that the parser can skip its
 * value pass: not one with a \\u escape of NUL or a surrogate, nor a number
 * a double may not hold exactly; never a refused line. */
START_TEST(test_plain)
{
	static const struct {
		const char *line;
		bool plain;
	} plain_cases[] = {
		{ "{\"duration_ms\":123456789012345,\"message\":\"a\\n\\\"b\\u00e9\"}", true },
		{ "{\"input\":{\"range\":[-1,0,20]},\"skill\":\"\xc3\xa9\"}", true },
		{ "{\"duration_ms\":1234567890123456}", false },	/* 16 digits */
		{ "{\"input\":{\"x\":1.5}}", false },
		{ "{\"input\":{\"x\":1e3}}", false },
		{ "{\"input\":[-0.0]}", false },
		{ "{\"message\":\"a\\u0000b\"}", false },
		{ "{\"message\":\"\\ud83d\\ude00\"}", false },
		{ "{\"input\":{\"k\\u0000\":1}}", false },
		{ "{\"skill\":1}", false },				/* Go refuses it */
		{ "{\"message\":\"a\"", false },
	};
	struct hg_goread_spans sp;

	for (size_t i = 0; i < HG_ARRAY_SIZE(plain_cases); i++) {
		const char *l = plain_cases[i].line;

		hg_goread_line_spans(l, strlen(l), strlen(l), NULL, 0, &sp);
		ck_assert_msg(sp.plain == plain_cases[i].plain, "%s: plain %d", l, sp.plain);
	}
}
END_TEST

/* The input's place, where the parser may skip it: an object or an array,
 * one only, and not in a line whose skill may be the annotations' (the
 * parser reads a note's input). */
START_TEST(test_input_span)
{
	static const char pad[] = ",\"attempts\":[{\"runner_output\":\"r\"}]}";
	static const struct {
		const char *head;
		const char *input;	/* where it is found; NULL: not noted */
	} in_cases[] = {
		{ "{\"skill\":\"refactor\",\"input\":{\"a\":[1,{\"b\":\"}\"}]}", "{\"a\":[1,{\"b\":\"}\"}]}" },
		{ "{\"INPUT\":[1,2]", "[1,2]" },
		{ "{\"input\":\"text\"", NULL },
		{ "{\"input\":null", NULL },
		{ "{\"input\":{},\"input\":{}", NULL },
		{ "{\"skill\":\"hgtop.annotate\",\"input\":{\"target_line\":1}", NULL },
		{ "{\"input\":{\"target_line\":1},\"Skill\":\"hgtop.annotate\",\"skill\":null", NULL },
		{ "{\"skill\":\"hgtop\\u002eannotate\",\"input\":{\"target_line\":1}", NULL },
		{ "{\"input\":{\"x\":1},\"skill\":1", NULL },	/* refused */
	};
	struct hg_goread_spans sp;
	char line[256];

	for (size_t i = 0; i < HG_ARRAY_SIZE(in_cases); i++) {
		const char *want = in_cases[i].input;

		snprintf(line, sizeof(line), "%s%s", in_cases[i].head, pad);
		hg_goread_line_spans(line, strlen(line), strlen(line), NULL, 0, &sp);
		if (!want) {
			ck_assert_msg(sp.input_end == 0, "%s: input noted", line);
			continue;
		}
		ck_assert_msg(sp.input_end > sp.input_start, "%s: no input", line);
		ck_assert_uint_eq(sp.input_start, (size_t)(strstr(line, want) - line));
		ck_assert_uint_eq(sp.input_end - sp.input_start, strlen(want));
		ck_assert_uint_eq(sp.n, 1);
	}
}
END_TEST

/* The numbers of the integer fields, where the parser may read them from
 * their text: the entry's and the attempts', not others; the first
 * HG_GOREAD_NUMS of them. */
START_TEST(test_numbers)
{
	static const char line[] =
		"{\"duration_ms\":-12,\"input\":{\"duration_ms\":5},\"x\":6,\"attempts\":[{\"attempt\":3,"
		"\"Duration_MS\":9223372036854775807,\"x\":7,\"duration_ms\":null}]}";
	static const char *const want[] = { "-12", "3", "9223372036854775807" };
	struct hg_goread_spans sp;
	struct hg_buf many = { 0 };

	ck_assert_int_eq(two_ways(line, strlen(line)), OK);
	hg_goread_line_spans(line, strlen(line), strlen(line), NULL, 0, &sp);
	ck_assert_uint_eq(sp.n_nums, HG_ARRAY_SIZE(want));
	for (size_t k = 0; k < sp.n_nums; k++) {
		ck_assert_uint_eq(sp.nums[k].end - sp.nums[k].start, strlen(want[k]));
		ck_assert(memcmp(line + sp.nums[k].start, want[k], strlen(want[k])) == 0);
	}
	hg_buf_adds(&many, "{\"attempts\":[");
	for (int i = 0; i < HG_GOREAD_NUMS + 5; i++)
		hg_buf_printf(&many, "%s{\"attempt\":%d}", i ? "," : "", i);
	hg_buf_adds(&many, "]}");
	ck_assert_int_eq(two_ways(many.p, many.len), OK);
	hg_goread_line_spans(many.p, many.len, many.len, NULL, 0, &sp);
	ck_assert_uint_eq(sp.n_nums, HG_GOREAD_NUMS);
	ck_assert(!sp.full);
	hg_buf_free(&many);
}
END_TEST

static Suite *
goread_suite(void)
{
	Suite *s = suite_create("goread");
	TCase *tc = tcase_create("verdict");

	tcase_add_loop_test(tc, test_cases, 0, HG_ARRAY_SIZE(cases));
	tcase_add_loop_test(tc, test_cases_machine, 0, HG_ARRAY_SIZE(cases));
	tcase_add_test(tc, test_two_ways);
	tcase_add_test(tc, test_depth);
	tcase_add_test(tc, test_container_len);
	tcase_add_test(tc, test_line);
	tcase_add_test(tc, test_deep_input);
	tcase_add_test(tc, test_partial_once);
	tcase_add_test(tc, test_tail_first);
	tcase_add_test(tc, test_spans);
	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_input_span);
	tcase_add_test(tc, test_numbers);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(goread_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
