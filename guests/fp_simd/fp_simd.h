/* The FP/SIMD guest (main.c): compiled C that uses the SIMD&FP and Crypto
 * instructions the way real programs do. Every part prints named results as
 * hex bit patterns (or FNV-1a checksums of many), so stepvisor's serial
 * output must equal QEMU's byte for byte (tests/peer, qemu_peer_fp_simd). */
#ifndef FP_SIMD_H
#define FP_SIMD_H

#include <arm_neon.h>
#include <stdint.h>

#include "guest.h"

#define FNV_INIT 0xcbf29ce484222325ULL

uint64_t fnv(uint64_t h, const void *p, unsigned n);
uint64_t fnv_u64(uint64_t h, uint64_t v);

/* "name 0x...": one 64-bit value, or a 128-bit vector as high:low. */
void show(const char *name, uint64_t v);
void show_q(const char *name, uint8x16_t v);

/* FPCR and FPSR through MSR/MRS with a memory clobber: the compiler keeps
 * every FP operation whose operands or results go through memory on its
 * side of the access. */
static inline void fpcr_write(uint64_t v) { __asm__ volatile("msr fpcr, %0" ::"r"(v) : "memory"); }
static inline uint64_t fpcr_read(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, fpcr" : "=r"(v)::"memory");
    return v;
}
static inline void fpsr_write(uint64_t v) { __asm__ volatile("msr fpsr, %0" ::"r"(v) : "memory"); }
static inline uint64_t fpsr_read(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, fpsr" : "=r"(v)::"memory");
    return v;
}

/* Returns r once it has been computed: the empty asm needs it, and volatile
 * asm statements (the FPSR read after it) keep their order. */
static inline uint64_t settled(uint64_t r)
{
    __asm__ volatile("" ::"r"(r));
    return r;
}

/* FPCR fields (DDI 0487 C5.2.8): RMode 23:22, FZ 24, DN 25, AHP 26. */
#define FPCR_RMODE(m) ((uint64_t)(m) << 22)
#define FPCR_FZ (1ULL << 24)
#define FPCR_DN (1ULL << 25)
#define FPCR_AHP (1ULL << 26)

void scalar_fp(void);
void vectorised_loops(void);
void neon_intrinsics(void);
void crypto_intrinsics(void);

#endif
