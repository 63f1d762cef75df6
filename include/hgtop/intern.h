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
void hg_intern_clear(void);

#endif
