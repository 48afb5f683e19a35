// The Cryptographic Extension instructions against the standards' known
// answers: FIPS-197 (AES) and FIPS 180-4 (SHA-1, SHA-256), computed by
// running AESE/AESD/AESMC/AESIMC and the SHA instructions the way the ARM
// ARM's descriptions (C7.2) intend them to be chained. What the CPU does
// not do here (round keys, constants, the feed-forward) the test computes
// from the standards' definitions.
#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cstdint>

#include "arch/esr.h"
#include "cpu/isa/crypto_tables.h"
#include "tests/cpu/simd_harness.h"

namespace cpu::test {
namespace {

using Block = std::array<uint8_t, 16>;
using Quad = std::array<uint32_t, 4>;

VReg from_bytes(const Block& b) {
    VReg v;
    for (unsigned i = 0; i < 16; ++i) v.set(8, i, b[i]);
    return v;
}
VReg from_words(const Quad& q) {
    VReg v;
    for (unsigned e = 0; e < 4; ++e) v.set(32, e, q[e]);
    return v;
}
VReg operator^(const VReg& a, const VReg& b) {
    return VReg::from_u64(a.d() ^ b.d(), a.hi() ^ b.hi());
}
VReg operator+(const VReg& a, const VReg& b) {  // ADD Vd.4S
    VReg v;
    for (unsigned e = 0; e < 4; ++e) v.set(32, e, uint32_t(a.get(32, e) + b.get(32, e)));
    return v;
}

// Register fields: Rd in [4:0], Rn in [9:5], Rm in [20:16].
constexpr uint32_t rd_rn(uint32_t base, unsigned d, unsigned n) { return base | n << 5 | d; }
constexpr uint32_t rd_rn_rm(uint32_t base, unsigned d, unsigned n, unsigned m) {
    return base | m << 16 | n << 5 | d;
}

// ---- AES (FIPS-197) ---------------------------------------------------------

TEST(CryptoTables, MatchFips197Examples) {
    EXPECT_EQ(crypto::gf_mul(0x57, 0x83), 0xC1);  // 4.2
    EXPECT_EQ(crypto::gf_mul(0x57, 0x13), 0xFE);  // 4.2.1
    EXPECT_EQ(crypto::kSbox[0x53], 0xED);         // 5.1.1
    EXPECT_EQ(crypto::kSbox[0x00], 0x63);
    for (unsigned b = 0; b < 256; ++b) EXPECT_EQ(crypto::kInvSbox[crypto::kSbox[b]], b);
}

// KeyExpansion() for AES-128 (FIPS-197 5.2): 11 round keys.
std::array<Block, 11> expand_key(const Block& key) {
    std::array<uint8_t, 176> w{};
    for (unsigned i = 0; i < 16; ++i) w[i] = key[i];
    uint8_t rcon = 1;
    for (unsigned i = 4; i < 44; ++i) {
        uint8_t temp[4] = {w[4 * i - 4], w[4 * i - 3], w[4 * i - 2], w[4 * i - 1]};
        if (i % 4 == 0) {  // SubWord(RotWord(temp)) xor Rcon[i/4]
            const uint8_t t0 = temp[0];
            for (unsigned k = 0; k < 3; ++k) temp[k] = crypto::kSbox[temp[k + 1]];
            temp[3] = crypto::kSbox[t0];
            temp[0] ^= rcon;
            rcon = crypto::xtime(rcon);
        }
        for (unsigned k = 0; k < 4; ++k) w[4 * i + k] = w[4 * i - 16 + k] ^ temp[k];
    }
    std::array<Block, 11> keys{};
    for (unsigned r = 0; r < 11; ++r)
        for (unsigned k = 0; k < 16; ++k) keys[r][k] = w[16 * r + k];
    return keys;
}

constexpr uint32_t kAESE = 0x4e284800;    // aese v0.16b, v0.16b
constexpr uint32_t kAESD = 0x4e285800;    // aesd v0.16b, v0.16b
constexpr uint32_t kAESMC = 0x4e286800;   // aesmc v0.16b, v0.16b
constexpr uint32_t kAESIMC = 0x4e287800;  // aesimc v0.16b, v0.16b

// FIPS-197 Appendix C.1: AES-128, key 000102..0f.
constexpr Block kKey = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                        0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
constexpr Block kPlaintext = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                              0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
constexpr Block kCiphertext = {0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                               0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a};

TEST(CryptoAes, Fips197AppendixC1Encrypt) {
    SimdHarness h;
    const auto rk = expand_key(kKey);
    for (unsigned r = 0; r < 11; ++r) h.v(1 + r) = from_bytes(rk[r]);
    h.v(0) = from_bytes(kPlaintext);
    for (unsigned r = 1; r <= 10; ++r) {
        h.run(rd_rn(kAESE, 0, r));  // aese v0.16b, v<r>.16b: AddRoundKey, ShiftRows, SubBytes
        if (r < 10) h.run(rd_rn(kAESMC, 0, 0));  // aesmc v0.16b, v0.16b
    }
    EXPECT_EQ(h.v(0) ^ h.v(11), from_bytes(kCiphertext));
}

// The equivalent inverse cipher (FIPS-197 5.3.5): the middle round keys
// pass through InvMixColumns, here by AESIMC itself.
TEST(CryptoAes, Fips197AppendixC1Decrypt) {
    SimdHarness h;
    const auto rk = expand_key(kKey);
    for (unsigned r = 0; r < 11; ++r) h.v(1 + r) = from_bytes(rk[r]);
    for (unsigned r = 1; r <= 9; ++r) h.run(rd_rn(kAESIMC, 1 + r, 1 + r));  // aesimc v<r+1>, v<r+1>
    h.v(0) = from_bytes(kCiphertext);
    for (unsigned r = 10; r >= 1; --r) {
        h.run(rd_rn(kAESD, 0, 1 + r));  // aesd v0.16b, v<r+1>.16b
        if (r > 1) h.run(rd_rn(kAESIMC, 0, 0));
    }
    EXPECT_EQ(h.v(0) ^ h.v(1), from_bytes(kPlaintext));
}

// FIPS-197 Appendix B, round 1 with a zero key: AESE is ShiftRows then
// SubBytes, AESMC MixColumns, AESIMC undoes it.
TEST(CryptoAes, Fips197AppendixBRoundOne) {
    SimdHarness h;
    const Block start = {0x19, 0x3d, 0xe3, 0xbe, 0xa0, 0xf4, 0xe2, 0x2b,
                         0x9a, 0xc6, 0x8d, 0x2a, 0xe9, 0xf8, 0x48, 0x08};
    const Block shifted = {0xd4, 0xbf, 0x5d, 0x30, 0xe0, 0xb4, 0x52, 0xae,
                           0xb8, 0x41, 0x11, 0xf1, 0x1e, 0x27, 0x98, 0xe5};
    const Block mixed = {0x04, 0x66, 0x81, 0xe5, 0xe0, 0xcb, 0x19, 0x9a,
                         0x48, 0xf8, 0xd3, 0x7a, 0x28, 0x06, 0x26, 0x4c};
    h.v(0) = from_bytes(start);
    h.run(rd_rn(kAESE, 0, 1));  // aese v0.16b, v1.16b (v1 = 0)
    EXPECT_EQ(h.v(0), from_bytes(shifted));
    h.run(rd_rn(kAESMC, 2, 0));  // aesmc v2.16b, v0.16b
    EXPECT_EQ(h.v(2), from_bytes(mixed));
    h.run(rd_rn(kAESIMC, 3, 2));  // aesimc v3.16b, v2.16b
    EXPECT_EQ(h.v(3), from_bytes(shifted));
    h.run(rd_rn(kAESD, 3, 1));  // aesd v3.16b, v1.16b
    EXPECT_EQ(h.v(3), from_bytes(start));
}

TEST(CryptoAes, TrapsWhenTheFpUnitIsDisabled) {
    SimdHarness h;
    h.cpu.state().el1.cpacr = 0;
    h.v(0) = VReg::from_u64(1, 2);
    h.run(rd_rn(kAESE, 0, 1));
    EXPECT_EQ(h.cpu.state().el1.esr >> 26, uint64_t(arch::EC::FpAccess));
    EXPECT_EQ(h.v(0), VReg::from_u64(1, 2));
}

// FEAT_SHA512, FEAT_SHA3, FEAT_SM3 and FEAT_SM4 are not implemented, and
// the AES and SHA classes allocate only size 00.
TEST(CryptoUndefined, UnimplementedFeaturesAndReservedSizes) {
    for (const uint32_t word : {0xce628020u /* sha512h q0, q1, v2.2d */,
                                0xce020c20u /* eor3 v0.16b, v1.16b, v2.16b, v3.16b */,
                                0xce821420u /* xar v0.2d, v1.2d, v2.2d, #5 */,
                                0xcec08420u /* sm4e v0.4s, v1.4s */,
                                0xce42b020u /* sm3tt1a v0.4s, v1.4s, v2.s[3] */,
                                0x4e684820u /* aese with size 01 */,
                                0x5e424020u /* sha256h with size 01 */,
                                0x5e283820u /* two-register SHA opcode 00011 */}) {
        SimdHarness h;
        h.run(word);
        EXPECT_EQ(h.cpu.state().el1.esr >> 26, uint64_t(arch::EC::Unknown)) << std::hex << word;
        EXPECT_EQ(h.cpu.state().el1.elr, kCodeBase) << std::hex << word;
        EXPECT_EQ(h.v(0), VReg{}) << std::hex << word;
    }
}

// ---- SHA (FIPS 180-4) -------------------------------------------------------

// floor(cbrt(n)) and floor(sqrt(n)) for n < 2^106, by bisection.
uint64_t iroot(unsigned __int128 n, unsigned k) {
    uint64_t lo = 0, hi = uint64_t(1) << 36;
    while (hi - lo > 1) {
        const uint64_t mid = (lo + hi) / 2;
        unsigned __int128 p = 1;
        for (unsigned i = 0; i < k; ++i) p *= mid;
        (p <= n ? lo : hi) = mid;
    }
    return lo;
}
constexpr unsigned kPrimes[64] = {
    2,   3,   5,   7,   11,  13,  17,  19,  23,  29,  31,  37,  41,  43,  47,  53,
    59,  61,  67,  71,  73,  79,  83,  89,  97,  101, 103, 107, 109, 113, 127, 131,
    137, 139, 149, 151, 157, 163, 167, 173, 179, 181, 191, 193, 197, 199, 211, 223,
    227, 229, 233, 239, 241, 251, 257, 263, 269, 271, 277, 281, 283, 293, 307, 311};
// The first 32 bits of the fractional parts of the cube roots (K, 4.2.2) and
// square roots (H(0), 5.3.3) of the first primes.
uint32_t sha256_k(unsigned t) { return uint32_t(iroot((unsigned __int128)kPrimes[t] << 96, 3)); }
uint32_t sha256_h0(unsigned i) { return uint32_t(iroot((unsigned __int128)kPrimes[i] << 64, 2)); }

// The one padded block of the message "abc" (5.1.1), as big-endian words.
constexpr uint32_t kAbcBlock[16] = {0x61626380, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x18};

constexpr uint32_t kSHA256H = 0x5e004000;    // sha256h q0, q0, v0.4s
constexpr uint32_t kSHA256H2 = 0x5e005000;   // sha256h2 q0, q0, v0.4s
constexpr uint32_t kSHA256SU0 = 0x5e282800;  // sha256su0 v0.4s, v0.4s
constexpr uint32_t kSHA256SU1 = 0x5e006000;  // sha256su1 v0.4s, v0.4s, v0.4s

TEST(CryptoSha, Sha256ConstantsFromTheirDefinition) {
    EXPECT_EQ(sha256_k(0), 0x428a2f98u);
    EXPECT_EQ(sha256_k(63), 0xc67178f2u);
    EXPECT_EQ(sha256_h0(0), 0x6a09e667u);
    EXPECT_EQ(sha256_h0(7), 0x5be0cd19u);
}

// SHA-256("abc") (FIPS 180-4, example in the NIST examples document):
// state {a,b,c,d} in V0 and {e,f,g,h} in V1, the schedule in V16..V19.
TEST(CryptoSha, Sha256OfAbc) {
    SimdHarness h;
    Quad h0{}, h1{};
    for (unsigned i = 0; i < 4; ++i) h0[i] = sha256_h0(i), h1[i] = sha256_h0(4 + i);
    h.v(0) = from_words(h0);
    h.v(1) = from_words(h1);
    for (unsigned q = 0; q < 4; ++q)
        h.v(16 + q) = from_words({kAbcBlock[4 * q], kAbcBlock[4 * q + 1], kAbcBlock[4 * q + 2],
                                  kAbcBlock[4 * q + 3]});
    for (unsigned q = 0; q < 16; ++q) {
        const unsigned w0 = 16 + q % 4, w1 = 16 + (q + 1) % 4, w2 = 16 + (q + 2) % 4,
                       w3 = 16 + (q + 3) % 4;
        h.v(4) = h.v(w0) + from_words({sha256_k(4 * q), sha256_k(4 * q + 1), sha256_k(4 * q + 2),
                                       sha256_k(4 * q + 3)});
        h.v(2) = h.v(0);
        h.run(rd_rn_rm(kSHA256H, 0, 1, 4));   // sha256h q0, q1, v4.4s
        h.run(rd_rn_rm(kSHA256H2, 1, 2, 4));  // sha256h2 q1, q2, v4.4s
        if (q < 12) {  // W[4q+16..4q+19] replace W[4q..4q+3]
            h.run(rd_rn(kSHA256SU0, w0, w1));          // sha256su0 v<w0>.4s, v<w1>.4s
            h.run(rd_rn_rm(kSHA256SU1, w0, w2, w3));  // sha256su1 v<w0>.4s, v<w2>.4s, v<w3>.4s
        }
    }
    EXPECT_EQ(h.v(0) + from_words(h0), from_words({0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223}));
    EXPECT_EQ(h.v(1) + from_words(h1), from_words({0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad}));
}

constexpr uint32_t kSHA1C = 0x5e000000;    // sha1c q0, s0, v0.4s
constexpr uint32_t kSHA1P = 0x5e001000;    // sha1p q0, s0, v0.4s
constexpr uint32_t kSHA1M = 0x5e002000;    // sha1m q0, s0, v0.4s
constexpr uint32_t kSHA1SU0 = 0x5e003000;  // sha1su0 v0.4s, v0.4s, v0.4s
constexpr uint32_t kSHA1H = 0x5e280800;    // sha1h s0, s0
constexpr uint32_t kSHA1SU1 = 0x5e281800;  // sha1su1 v0.4s, v0.4s

// SHA-1("abc"): {a,b,c,d} in V0, e in S1; each group of four rounds takes
// the next e from SHA1H of a (ROL(a, 30)) before hashing.
TEST(CryptoSha, Sha1OfAbc) {
    SimdHarness h;
    const Quad abcd0 = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    const uint32_t e0 = 0xc3d2e1f0;
    // f_t and K_t for rounds 20g..20g+19 (4.1.1, 4.2.1).
    const uint32_t hash[4] = {kSHA1C, kSHA1P, kSHA1M, kSHA1P};
    const uint32_t k[4] = {0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6};
    h.v(0) = from_words(abcd0);
    h.v(1) = VReg::zero_extended(32, e0);
    for (unsigned q = 0; q < 4; ++q)
        h.v(16 + q) = from_words({kAbcBlock[4 * q], kAbcBlock[4 * q + 1], kAbcBlock[4 * q + 2],
                                  kAbcBlock[4 * q + 3]});
    for (unsigned q = 0; q < 20; ++q) {
        const unsigned w0 = 16 + q % 4, w1 = 16 + (q + 1) % 4, w2 = 16 + (q + 2) % 4,
                       w3 = 16 + (q + 3) % 4;
        h.v(4) = h.v(w0) + from_words({k[q / 5], k[q / 5], k[q / 5], k[q / 5]});
        h.run(rd_rn(kSHA1H, 2, 0));              // sha1h s2, s0: the next group's e
        h.run(rd_rn_rm(hash[q / 5], 0, 1, 4));   // sha1{c,p,m} q0, s1, v4.4s
        h.v(1) = h.v(2);
        if (q < 16) {  // W[4q+16..4q+19] replace W[4q..4q+3]
            h.run(rd_rn_rm(kSHA1SU0, w0, w1, w2));  // sha1su0 v<w0>.4s, v<w1>.4s, v<w2>.4s
            h.run(rd_rn(kSHA1SU1, w0, w3));         // sha1su1 v<w0>.4s, v<w3>.4s
        }
    }
    EXPECT_EQ(h.v(0) + from_words(abcd0), from_words({0xa9993e36, 0x4706816a, 0xba3e2571, 0x7850c26c}));
    EXPECT_EQ(uint32_t(h.v(1).s() + e0), 0x9cd0d89du);
    EXPECT_EQ(h.v(1).hi(), 0u);  // SHA1H writes S<d>: the rest of V<d> is zero
}

}  // namespace
}  // namespace cpu::test
