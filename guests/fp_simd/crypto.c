/* The Crypto extension through arm_neon.h, on the standard test vectors:
 * AES-128 (FIPS-197 C.1) encryption and decryption and a CBC chain, SHA-1
 * and SHA-256 of "abc" (FIPS 180-2 examples) and of a longer message, and
 * polynomial multiplies (PMULL 64 and 8 bits, PMUL). */
#include "fp_simd.h"

static const uint32_t k256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* AES-128 key expansion (FIPS-197 5.2); SubWord by AESE with a zero round
 * key on a state whose four columns are the word, where ShiftRows moves
 * nothing. */
static uint32_t sub_word(uint32_t w)
{
    return vgetq_lane_u32(vreinterpretq_u32_u8(vaeseq_u8(vreinterpretq_u8_u32(vdupq_n_u32(w)),
                                                         vdupq_n_u8(0))), 0);
}

static void aes_expand(const uint8_t key[16], uint8x16_t rk[11])
{
    uint32_t w[44];
    __builtin_memcpy(w, key, 16);
    uint32_t rcon = 1;
    for (unsigned i = 4; i < 44; i++) {
        uint32_t t = w[i - 1];
        if (i % 4 == 0) {
            t = sub_word(t >> 8 | t << 24) ^ rcon;
            rcon = rcon << 1 ^ (rcon & 0x80 ? 0x11b : 0);
        }
        w[i] = w[i - 4] ^ t;
    }
    for (unsigned r = 0; r < 11; r++)
        rk[r] = vreinterpretq_u8_u32(vld1q_u32(&w[4 * r]));
}

static uint8x16_t aes_encrypt(uint8x16_t s, const uint8x16_t rk[11])
{
    for (unsigned r = 0; r < 9; r++)
        s = vaesmcq_u8(vaeseq_u8(s, rk[r]));
    return veorq_u8(vaeseq_u8(s, rk[9]), rk[10]);
}

/* The equivalent inverse cipher (FIPS-197 5.3.5): InvMixColumns on the
 * middle round keys. */
static uint8x16_t aes_decrypt(uint8x16_t s, const uint8x16_t rk[11])
{
    s = vaesimcq_u8(vaesdq_u8(s, rk[10]));
    for (unsigned r = 9; r > 1; r--)
        s = vaesimcq_u8(vaesdq_u8(s, vaesimcq_u8(rk[r])));
    return veorq_u8(vaesdq_u8(s, vaesimcq_u8(rk[1])), rk[0]);
}

static void aes(void)
{
    uint8_t key[16], pt[16];
    for (unsigned i = 0; i < 16; i++) {
        key[i] = (uint8_t)i;
        pt[i] = (uint8_t)(i * 0x11);
    }
    uint8x16_t rk[11];
    aes_expand(key, rk);
    show_q("aes128 round key 10", rk[10]);
    const uint8x16_t ct = aes_encrypt(vld1q_u8(pt), rk);
    show_q("aes128 encrypt", ct);
    show_q("aes128 decrypt", aes_decrypt(ct, rk));
    uint8x16_t iv = vdupq_n_u8(0), sum = vdupq_n_u8(0);
    for (unsigned i = 0; i < 64; i++) {
        iv = aes_encrypt(veorq_u8(iv, vdupq_n_u8((uint8_t)i)), rk);
        sum = vaddq_u8(sum, iv);
    }
    show_q("aes128 cbc 64 blocks, last", iv);
    show_q("aes128 cbc 64 blocks, sum", sum);
}

static void sha256_block(uint32x4_t st[2], const uint8_t *blk)
{
    uint32x4_t abcd = st[0], efgh = st[1], m[4];
    for (unsigned i = 0; i < 4; i++)
        m[i] = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(blk + 16 * i)));
    for (unsigned i = 0; i < 16; i++) {
        const uint32x4_t wk = vaddq_u32(m[i % 4], vld1q_u32(&k256[4 * i]));
        if (i < 12)
            m[i % 4] = vsha256su1q_u32(vsha256su0q_u32(m[i % 4], m[(i + 1) % 4]), m[(i + 2) % 4],
                                       m[(i + 3) % 4]);
        const uint32x4_t t = abcd;
        abcd = vsha256hq_u32(abcd, efgh, wk);
        efgh = vsha256h2q_u32(efgh, t, wk);
    }
    st[0] = vaddq_u32(st[0], abcd);
    st[1] = vaddq_u32(st[1], efgh);
}

static uint32x4_t sha1_block(uint32x4_t abcd, uint32_t *e, const uint8_t *blk)
{
    static const uint32_t k[4] = {0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6};
    uint32x4_t m[4], h = abcd;
    uint32_t e0 = *e;
    for (unsigned i = 0; i < 4; i++)
        m[i] = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(blk + 16 * i)));
    for (unsigned i = 0; i < 20; i++) {
        const uint32x4_t wk = vaddq_u32(m[i % 4], vdupq_n_u32(k[i / 5]));
        const uint32_t e1 = vsha1h_u32(vgetq_lane_u32(h, 0));
        if (i < 5)
            h = vsha1cq_u32(h, e0, wk);
        else if (i >= 10 && i < 15)
            h = vsha1mq_u32(h, e0, wk);
        else
            h = vsha1pq_u32(h, e0, wk);
        e0 = e1;
        if (i < 16)
            m[i % 4] = vsha1su1q_u32(vsha1su0q_u32(m[i % 4], m[(i + 1) % 4], m[(i + 2) % 4]),
                                     m[(i + 3) % 4]);
    }
    *e += e0;
    return vaddq_u32(abcd, h);
}

/* The message padded to whole 64-byte blocks with its bit length (FIPS
 * 180-2 5.1.1); returns the block count. */
static unsigned pad(const uint8_t *msg, unsigned len, uint8_t *buf)
{
    const unsigned blocks = (len + 8) / 64 + 1;
    __builtin_memset(buf, 0, blocks * 64);
    __builtin_memcpy(buf, msg, len);
    buf[len] = 0x80;
    const uint64_t bits = (uint64_t)len * 8;
    for (unsigned i = 0; i < 8; i++)
        buf[blocks * 64 - 1 - i] = (uint8_t)(bits >> (8 * i));
    return blocks;
}

static void sha(const char *name, const uint8_t *msg, unsigned len)
{
    static uint8_t buf[1152];
    static const uint32_t h256[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    static const uint32_t h1[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    const unsigned blocks = pad(msg, len, buf);
    uint32x4_t st[2] = {vld1q_u32(&h256[0]), vld1q_u32(&h256[4])};
    uint32x4_t abcd = vld1q_u32(h1);
    uint32_t e = h1[4];
    for (unsigned b = 0; b < blocks; b++) {
        sha256_block(st, buf + 64 * b);
        abcd = sha1_block(abcd, &e, buf + 64 * b);
    }
    puts_uart(name);
    puts_uart(" sha1 ");
    show_q("", vreinterpretq_u8_u32(vrev64q_u32(abcd)));
    puts_uart("  e ");
    put_hex(e);
    puts_uart("\n  sha256 a-d");
    show_q("", vreinterpretq_u8_u32(vrev64q_u32(st[0])));
    puts_uart("  sha256 e-h");
    show_q("", vreinterpretq_u8_u32(vrev64q_u32(st[1])));
}

static void pmull(void)
{
    const poly64_t a = 0x87654321fedcba98ULL, b = 0xf0f0f0f00000ffffULL;
    show_q("vmull_p64", vreinterpretq_u8_p128(vmull_p64(a, b)));
    const poly64x2_t x = vreinterpretq_p64_u64(vcombine_u64(vcreate_u64(a), vcreate_u64(~b)));
    const poly64x2_t y = vreinterpretq_p64_u64(vcombine_u64(vcreate_u64(b), vcreate_u64(a ^ b)));
    show_q("vmull_high_p64", vreinterpretq_u8_p128(vmull_high_p64(x, y)));
    const poly8x8_t p = vcreate_p8(0x0123456789abcdefULL), q = vcreate_p8(0xfedcba9876543210ULL);
    show_q("vmull_p8", vreinterpretq_u8_p16(vmull_p8(p, q)));
    show_q("vmulq_p8", vreinterpretq_u8_p8(vmulq_p8(vcombine_p8(p, q), vcombine_p8(q, q))));
    uint64x2_t acc = vdupq_n_u64(0);
    uint64_t v = 0x9e3779b97f4a7c15ULL;
    for (unsigned i = 0; i < 256; i++) {
        v = v * 6364136223846793005ULL + 1442695040888963407ULL;
        acc = veorq_u64(acc, vreinterpretq_u64_p128(vmull_p64(v, v >> 7 | (uint64_t)i << 57)));
    }
    show_q("pmull 256 products, xor", vreinterpretq_u8_u64(acc));
}

void crypto_intrinsics(void)
{
    static uint8_t longer[1000];
    aes();
    sha("\"abc\"", (const uint8_t *)"abc", 3);
    for (unsigned i = 0; i < sizeof longer; i++)
        longer[i] = (uint8_t)(i * 7 + (i >> 8));
    sha("1000 bytes", longer, sizeof longer);
    pmull();
}
