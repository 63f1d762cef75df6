/* intern.h - interned short strings (skill, model, status, phase ...).
 * An interned string lives until hg_intern_clear(); equal strings share one
 * pointer, so they compare with ==. Thread-safe (hg_intern_clear() only
 * when no other thread interns). */
#ifndef HGTOP_INTERN_H
#define HGTOP_INTERN_H

#include <stddef.h>

const char *hg_intern(const char *s);
const char *hg_intern_n(const char *s, size_t n);
size_t hg_intern_count(void);

/* Two interned strings as one interned pair: equal pairs share one
 * address (an attempt's tier and verdict texts outside the enums). */
struct hg_intern_pair {
	const char *first, *second;
};
const struct hg_intern_pair *hg_intern_pair(const char *first, const char *second);
void hg_intern_clear(void);

#endif
