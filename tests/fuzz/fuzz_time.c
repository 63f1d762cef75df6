/* fuzz_time.c - libFuzzer target for Go RFC 3339 timestamps.
 *
 * A timestamp that parses formats to a text that parses to the same
 * instant, zone and zero flag, and formatting is a fixed point after one
 * round (the canonical text: trailing zeros of the fraction dropped). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, const char *text)
{
	fprintf(stderr, "fuzz_time: %s: \"%s\"\n", what, text);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t ns, ns2;
	int16_t tz, tz2;
	bool zero, zero2;
	char buf[64], buf2[64];

	if (!hg_parse_time((const char *)data, size, &ns, &tz, &zero))
		return 0;
	/* Go reads offsets up to 24:60 (and writes 24:60 as 25:00, which
	 * it does not read back). */
	if (tz < -25 * 60 || tz > 25 * 60)
		fail("zone out of range", "");
	if (tz <= -25 * 60 || tz >= 25 * 60)
		return 0;
	/* Outside int64 nanoseconds (1678..2262) the instant saturates and
	 * cannot round-trip; Go's zero time is the one exception. */
	if (!zero && (ns == INT64_MIN || ns == INT64_MAX))
		return 0;
	hg_format_time(ns, tz, zero, buf, sizeof(buf));
	if (!hg_parse_time(buf, strlen(buf), &ns2, &tz2, &zero2))
		fail("formatted time does not parse", buf);
	if (zero2 != zero || (!zero && (ns2 != ns || tz2 != tz)))
		fail("round trip changed the time", buf);
	hg_format_time(ns2, tz2, zero2, buf2, sizeof(buf2));
	if (strcmp(buf, buf2) != 0)
		fail("formatting is not canonical", buf2);
	hg_format_clock(ns, buf, sizeof(buf));
	hg_format_datetime(ns, buf, sizeof(buf));
	return 0;
}
