/* export.c - an entry's text for the pager, the editor and the clipboard. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/export.h"
#include "hgtop/sanitize.h"
#include "hgtop/termtext.h"
#include "hgtop/values.h"

static void
sgr_colour(struct hg_buf *out, uint16_t c, int base, int bright_base)
{
	if (c < 8)
		hg_buf_printf(out, ";%d", base + c);
	else if (c < 16)
		hg_buf_printf(out, ";%d", bright_base + c - 8);
	else
		hg_buf_printf(out, ";%d;5;%u", base + 8, (unsigned)c);
}

/* The SGR sequence of a span's style (always starting from a reset). */
static void
sgr(struct hg_buf *out, const struct hg_tt_span *sp)
{
	hg_buf_adds(out, "\033[0");
	if (sp->attrs & HG_TT_BOLD)
		hg_buf_adds(out, ";1");
	if (sp->attrs & HG_TT_DIM)
		hg_buf_adds(out, ";2");
	if (sp->attrs & HG_TT_ITALIC)
		hg_buf_adds(out, ";3");
	if (sp->attrs & HG_TT_UNDERLINE)
		hg_buf_adds(out, ";4");
	if (sp->attrs & HG_TT_REVERSE)
		hg_buf_adds(out, ";7");
	if (sp->attrs & HG_TT_STRIKE)
		hg_buf_adds(out, ";9");
	if (sp->fg != HG_TT_DEFAULT)
		sgr_colour(out, sp->fg, 30, 90);
	if (sp->bg != HG_TT_DEFAULT)
		sgr_colour(out, sp->bg, 40, 100);
	hg_buf_addc(out, 'm');
}

/* Terminal output as the detail pane shows it: with SGR, its colours
 * written anew; without, its text. */
static void
terminal_text(struct hg_buf *out, const char *s, size_t n, bool colours)
{
	struct hg_tt_doc doc = { 0 };
	size_t i, j, at;

	hg_tt_parse(&doc, s, n);
	for (i = 0; i < doc.n; i++) {
		const struct hg_tt_line *l = &doc.lines[i];

		at = 0;
		for (j = 0; colours && j < l->n_spans; j++) {
			const struct hg_tt_span *sp = &l->spans[j];

			hg_buf_add(out, l->text + at, sp->start - at);
			sgr(out, sp);
			hg_buf_add(out, l->text + sp->start, sp->len);
			hg_buf_adds(out, "\033[0m");
			at = sp->start + sp->len;
		}
		hg_buf_add(out, l->text + at, l->len - at);
		hg_buf_addc(out, '\n');
	}
	hg_tt_free(&doc);
}

static void
json_text(struct hg_buf *out, const cJSON *v)
{
	char *txt = cJSON_Print(v);

	if (txt)
		hg_sanitize(out, txt, strlen(txt), HG_SAN_NEWLINES);
	free(txt);
}

/* The member of OBJ that the detail pane names FIELD. */
static const cJSON *
member(const cJSON *obj, const char *field)
{
	struct hg_buf k = { 0 };
	const cJSON *v;

	cJSON_ArrayForEach(v, obj) {
		if (!v->string)
			continue;
		hg_buf_reset(&k);
		hg_sanitize(&k, v->string, strlen(v->string), 0);
		if (k.len == strlen(field) && memcmp(k.p, field, k.len) == 0)
			break;
	}
	hg_buf_free(&k);
	return v;
}

bool
hg_export_text(struct hg_buf *out, const char *line, size_t n, int32_t attempt,
	       const char *field, unsigned flags)
{
	cJSON *root = hg_values_parse(line, n, 0);
	const cJSON *obj = root, *v = NULL;
	size_t start = out->len;

	if (root && attempt >= 0)
		obj = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "attempts"), attempt);
	if (!obj) {
		hg_sanitize(out, line, n, HG_SAN_NEWLINES | HG_SAN_TABS);
	} else {
		v = field ? member(obj, field) : NULL;
		if (v && cJSON_IsString(v) && !strcmp(v->string, "runner_output"))
			terminal_text(out, v->valuestring, strlen(v->valuestring),
				      flags & HG_EXPORT_SGR);
		else if (v && cJSON_IsString(v))
			hg_sanitize(out, v->valuestring, strlen(v->valuestring),
				    HG_SAN_NEWLINES | HG_SAN_TABS);
		else
			json_text(out, v ? v : obj);
	}
	if (out->len == start || out->p[out->len - 1] != '\n')
		hg_buf_addc(out, '\n');
	cJSON_Delete(root);
	return v != NULL;
}
