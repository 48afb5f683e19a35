/* Real compiled code on the SIMD&FP and Crypto extensions: built with
 * -O2 -march=armv8-a+crypto (add_guest FP), run with the FP unit enabled
 * and the MMU on by the runtime's start-up. Four parts: scalar FP under
 * every FPCR mode, loops gcc vectorises, Neon intrinsics, Crypto
 * intrinsics. The output is compared with QEMU's (qemu_peer_fp_simd). */
#include "fp_simd.h"

uint64_t fnv(uint64_t h, const void *p, unsigned n)
{
    const uint8_t *b = p;
    for (unsigned i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ULL;
    return h;
}

/* A word at a time: cheaper than byte FNV where millions of results go in. */
uint64_t fnv_u64(uint64_t h, uint64_t v)
{
    h = (h ^ v) * 0x100000001b3ULL;
    return h ^ (h >> 29);
}

void show(const char *name, uint64_t v)
{
    puts_uart(name);
    putc_uart(' ');
    put_hex(v);
    putc_uart('\n');
}

void show_q(const char *name, uint8x16_t v)
{
    uint64x2_t d = vreinterpretq_u64_u8(v);
    puts_uart(name);
    putc_uart(' ');
    put_hex(vgetq_lane_u64(d, 1));
    putc_uart(':');
    put_hex(vgetq_lane_u64(d, 0));
    putc_uart('\n');
}

int main(void)
{
    puts_uart("fp_simd: FPCR ");
    put_hex(fpcr_read());
    puts_uart(" FPSR ");
    put_hex(fpsr_read());
    putc_uart('\n');
    scalar_fp();
    vectorised_loops();
    neon_intrinsics();
    crypto_intrinsics();
    puts_uart("fp_simd: done\n");
    return 0;
}
