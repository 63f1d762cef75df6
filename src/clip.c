/* clip.c - the clipboard sequence (OSC 52) and its base64. */
#include "config.h"

#include <string.h>

#include "hgtop/clip.h"

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
hg_base64_encode(struct hg_buf *out, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t i;
	char q[4];

	hg_buf_reserve(out, (n + 2) / 3 * 4 + 1);
	for (i = 0; i + 2 < n; i += 3) {
		q[0] = b64[p[i] >> 2];
		q[1] = b64[((p[i] & 0x03) << 4) | (p[i + 1] >> 4)];
		q[2] = b64[((p[i + 1] & 0x0F) << 2) | (p[i + 2] >> 6)];
		q[3] = b64[p[i + 2] & 0x3F];
		hg_buf_add(out, q, 4);
	}
	if (i < n) {
		q[0] = b64[p[i] >> 2];
		if (i + 1 < n) {
			q[1] = b64[((p[i] & 0x03) << 4) | (p[i + 1] >> 4)];
			q[2] = b64[(p[i + 1] & 0x0F) << 2];
		} else {
			q[1] = b64[(p[i] & 0x03) << 4];
			q[2] = '=';
		}
		q[3] = '=';
		hg_buf_add(out, q, 4);
	}
}

size_t
hg_clip_cut(const char *s, size_t n, size_t max)
{
	size_t k;

	if (n <= max)
		return n;
	/* Back to the start of a UTF-8 character. */
	k = max;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return k;
}

void
hg_osc52(struct hg_buf *out, const char *s, size_t n)
{
	hg_buf_adds(out, "\033]52;c;");
	hg_base64_encode(out, s, n);
	hg_buf_addc(out, '\a');
}
