/* fuzz_annotate.c - libFuzzer target for annotation serialisation.
 *
 * Any author and note text (bytes up to a NUL, as the UI passes them)
 * build an annotation line that the parser reads back as an annotation of
 * the right target, with the same author and text once invalid UTF-8 is
 * replaced by U+FFFD (one per byte, as Go's encoding/json does). The
 * expected replacement is computed here independently of annotate.c. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hgtop/annotate.h"
#include "hgtop/entry.h"
#include "hgtop/intern.h"
#include "hgtop/parser.h"
#include "hgtop/session.h"
#include "hgtop/util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hg_session *sess;
static unsigned long runs;

static const char target_line[] =
	"{\"session_id\":\"fz\",\"timestamp\":\"2026-11-24T10:00:00.25+01:00\","
	"\"skill\":\"build\",\"attempts\":[{\"attempt\":1,\"model\":\"m\",\"tier\":\"local\","
	"\"duration_ms\":1,\"warm_start\":false,\"verified\":false},{\"attempt\":3,"
	"\"model\":\"m\",\"tier\":\"managed\",\"duration_ms\":2,\"warm_start\":false,"
	"\"verified\":true}],\"final_status\":\"ok\"}\n";

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_annotate: %s\n", what);
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[] = "/tmp/fuzz_annotate.XXXXXX", *path;
	FILE *f;

	(void)argc;
	(void)argv;
	if (!mkdtemp(dir))
		fail("mkdtemp");
	path = xasprintf("%s/fz.jsonl", dir);
	if (!(f = fopen(path, "w")) || fputs(target_line, f) < 0 || fclose(f) != 0)
		fail("cannot write the target file");
	sess = hg_session_new(path);
	hg_session_ingest(sess, 0);
	/* The file is only re-read while building; it may go once read. */
	if (sess->n_entries != 1 || sess->entries[0].kind != HG_ENTRY_OK)
		fail("target entry did not parse");
	free(path);
	return 0;
}

/* Length of the valid UTF-8 sequence at s (RFC 3629), 0 if invalid. */
static size_t
valid_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t len, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4;
	else
		return 0;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return len;
}

static char *
expect_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k;
	struct hg_buf b = { 0 };

	while (i < n) {
		if ((k = valid_seq(p + i, n - i))) {
			hg_buf_add(&b, s + i, k);
			i += k;
		} else {
			hg_buf_adds(&b, "\xEF\xBF\xBD");
			i++;
		}
	}
	hg_buf_addc(&b, '\0');
	return b.p;
}

static void
check_line(const char *line, size_t len, const char *author, const char *text, int64_t att)
{
	struct hg_entry e;
	const struct hg_note_ref *n;
	char *want_author = expect_text(author), *want_text = expect_text(text);

	if (len == 0 || line[len - 1] != '\n' || memchr(line, '\n', len - 1))
		fail("annotation is not exactly one line");
	memset(&e, 0, sizeof(e));
	hg_entry_set_place(&e, hg_entry_length(&e), 2);
	hg_parse_line(line, len - 1, &e);
	if (e.kind != HG_ENTRY_ANNOTATION)
		fail(hg_entry_reason(&e) ? hg_entry_reason(&e) : "annotation did not parse as one");
	n = hg_entry_note(&e);
	if (n->target_line != 1 ||
	    (att == HG_ANNOTATE_ENTRY ? n->has_target_attempt
				      : !n->has_target_attempt || n->target_attempt != att) ||
	    !n->target_skill || strcmp(n->target_skill, "build") != 0 ||
	    !n->has_target_ts || n->target_ts_ns != sess->entries[0].ts_ns ||
	    strcmp(hg_entry_str(&e, HG_E_SESSION_ID), "fz") != 0)
		fail("annotation does not point at its target");
	if (!n->author || strcmp(n->author, want_author) != 0)
		fail("author did not round-trip");
	if (hg_entry_message_len(&e) != strlen(want_text) ||
	    (hg_entry_message(&e) && strcmp(hg_entry_message(&e), want_text) != 0))
		fail("text did not round-trip");
	if (!hg_entry_message(&e) && hg_entry_message_len(&e) < 64 * 1024)
		fail("short annotation text not kept");
	hg_entry_free(&e);
	free(want_author);
	free(want_text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hg_buf out = { 0 };
	char *author, *text, err[256];
	const char *nul;
	int64_t att;
	size_t alen;

	if (size < 1)
		return 0;
	/* The whole entry, attempt #1 or attempt #3. */
	att = data[0] % 3 == 0 ? HG_ANNOTATE_ENTRY : data[0] % 3 == 1 ? 1 : 3;
	data++;
	size--;
	nul = memchr(data, '\0', size);
	alen = nul ? (size_t)(nul - (const char *)data) : 0;
	author = xstrndup((const char *)data, alen);
	text = nul ? xstrndup(nul + 1, size - alen - 1) : xstrndup((const char *)data, size);
	if (hg_annotate_build(&out, sess, &sess->entries[0], att, author, text,
			      1795000000123456789LL, err, sizeof(err)) == 0) {
		if (!*text)
			fail("built an empty note");
		check_line(out.p, out.len, author, text, att);
	} else {
		if (!err[0])
			fail("failure without a reason");
		if (*text && strlen(text) + strlen(author) < HG_ANNOTATE_MAX_LINE / 8)
			fail(err);
	}
	if (hg_annotate_build(&out, sess, &sess->entries[0], 2, author, "x",
			      0, err, sizeof(err)) == 0)
		fail("annotated an attempt the entry does not have");
	hg_buf_free(&out);
	free(author);
	free(text);
	/* Keep the intern table from growing without end; the target entry
	 * holds interned strings, so read it again afterwards. */
	if (++runs % 20000 == 0) {
		hg_session_reset(sess);
		hg_intern_clear();
		hg_session_ingest(sess, 0);
	}
	return 0;
}
