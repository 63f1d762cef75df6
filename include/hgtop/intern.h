/* intern.h - interned short strings (skill, model, status, phase ...).
 * An interned string lives until hg_intern_clear(); equal strings share one
 * pointer, so they compare with ==. Thread-safe (hg_intern_clear() only
 * when no other thread interns). */
#ifndef HGTOP_INTERN_H
#define HGTOP_INTERN_H

#include <stddef.h>
#include <stdint.h>

const char *hg_intern(const char *s);
const char *hg_intern_n(const char *s, size_t n);
size_t hg_intern_count(void);

/* Interned strings by number, for records held by the million: a number
 * takes half a pointer's room. 0 is "". Numbers and strings live until
 * hg_intern_clear(); hg_sym_str() takes no lock. */
typedef uint32_t hg_sym;
hg_sym hg_intern_sym(const char *s, size_t n);
/* The number of the C string S, interned. */
hg_sym hg_sym_of(const char *s);
#define HG_SYM_CHUNK_BITS 16
extern const char **hg_sym_chunks[];
static inline const char *
hg_sym_str(hg_sym id)
{
	return hg_sym_chunks[id >> HG_SYM_CHUNK_BITS][id & ((1u << HG_SYM_CHUNK_BITS) - 1)];
}

/* A record of N numbers (interned strings) as one interned number among
 * the strings: equal records share one, never 0. An entry holds its six
 * short strings, which repeat from line to line, as one such record. */
hg_sym hg_intern_rec(const hg_sym *v, unsigned n);
static inline const hg_sym *
hg_rec_of(hg_sym id)
{
	return (const hg_sym *)(const void *)hg_sym_str(id);
}

void hg_intern_clear(void);

#endif
