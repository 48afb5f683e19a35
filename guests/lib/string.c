/* memcpy, memmove, memset and memcmp, which gcc may call from any compiled
 * code, freestanding included (FP guests: ordinary code, not restricted to
 * general registers). Built without loop-to-call conversion so these loops
 * do not become calls to themselves. */
#include <stddef.h>

#pragma GCC optimize("no-tree-loop-distribute-patterns")

void *memcpy(void *restrict d, const void *restrict s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    while (n--)
        *dp++ = *sp++;
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    if (dp < sp) {
        while (n--)
            *dp++ = *sp++;
    } else {
        while (n--)
            dp[n] = sp[n];
    }
    return d;
}

void *memset(void *d, int c, size_t n)
{
    unsigned char *dp = d;
    while (n--)
        *dp++ = (unsigned char)c;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *ap = a, *bp = b;
    for (size_t i = 0; i < n; i++) {
        if (ap[i] != bp[i])
            return ap[i] - bp[i];
    }
    return 0;
}
