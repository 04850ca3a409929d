#ifndef CPCRE2_SHIM_H
#define CPCRE2_SHIM_H
/* pcre2.h refuses to compile without a code-unit width; evoscan works on bytes. */
#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <stddef.h>
#include <stdint.h>
#include <pcre2.h>

/* PCRE2_UNSET is (~(PCRE2_SIZE)0): a macro Swift does not import. */
static inline size_t cpcre2_unset(void) { return PCRE2_UNSET; }

/* memmem/memrchr need _GNU_SOURCE; Swift's Glibc module does not expose them. */
static inline const void *cpcre2_memmem(const void *h, size_t hl, const void *n, size_t nl) {
    extern void *memmem(const void *, size_t, const void *, size_t);
    return memmem(h, hl, n, nl);
}
static inline const void *cpcre2_memrchr(const void *s, int c, size_t n) {
    extern void *memrchr(const void *, int, size_t);
    return memrchr(s, c, n);
}
#endif
