// A64 encoding index: the Cryptographic Extension classes (ARM ARM DDI 0487
// K.a, C4.1 "Data Processing -- Scalar Floating-Point and Advanced SIMD"):
// Cryptographic AES, three-register SHA and two-register SHA (FEAT_AES,
// FEAT_SHA1, FEAT_SHA256). Handlers follow each instruction's Operation
// pseudocode in C7.2 and the shared pseudocode it calls (AESSubBytes,
// AESShiftRows, AESMixColumns, SHAchoose, SHAmajority, SHAparity,
// SHAhashSIGMA0/1, SHA256hash), under the ASL's names in snake case.
//
// FEAT_SHA512, FEAT_SHA3, FEAT_SM3 and FEAT_SM4 are not implemented: their
// rows raise UNDEFINED. So does a size other than 00 in the three classes
// above, which no row matches.
//
// Pattern letters (decode.h): m = Rm, n = Rn, d = Rd; a, i and o in the
// UNDEFINED rows are Ra, the immediates and the opcode.
#include <array>
#include <bit>

#include "cpu/decode.h"
#include "cpu/isa/crypto_tables.h"
#include "cpu/isa/simd_common.h"

namespace cpu {

namespace {

using simd::fp_guarded;
using simd::vreg;

// ---- Cryptographic AES (C7.2 AESE, AESD, AESMC, AESIMC) ---------------------

// The AES state in a V register: byte r + 4c is row r of column c (the
// FIPS-197 input order, which is the ASL's).
//
// AESShiftRows moves row r left by r columns; AESInvShiftRows right.
template <bool Inverse>
constexpr unsigned shift_rows_source(unsigned byte) {
    const unsigned r = byte % 4;
    return (Inverse ? byte + 16 - 4 * r : byte + 4 * r) % 16;
}

// AESE: AESSubBytes(AESShiftRows(V[d] EOR V[n])); AESD the inverses.
template <bool Decrypt>
Flow AESE_AESD(Cpu& c, const Insn& i) {
    const auto& sbox = Decrypt ? crypto::kInvSbox : crypto::kSbox;
    const VReg& operand1 = vreg(c, i.rd);
    const VReg& operand2 = vreg(c, i.rn);
    VReg result;
    for (unsigned b = 0; b < 16; ++b) {
        const unsigned s = shift_rows_source<Decrypt>(b);
        result.set(8, b, sbox[operand1.get(8, s) ^ operand2.get(8, s)]);
    }
    vreg(c, i.rd) = result;
    return Flow::Next;
}

// Row r of a mixed column is the sum over k of coefficient[(k - r) mod 4] •
// s_k: {02} {03} {01} {01} for AESMixColumns, {0e} {0b} {0d} {09} for
// AESInvMixColumns (FIPS-197 5.1.3, 5.3.3).
constexpr std::array<uint8_t, 4> kMixColumns = {0x02, 0x03, 0x01, 0x01};
constexpr std::array<uint8_t, 4> kInvMixColumns = {0x0E, 0x0B, 0x0D, 0x09};

template <bool Inverse>
Flow AESMC_AESIMC(Cpu& c, const Insn& i) {
    const auto& coefficient = Inverse ? kInvMixColumns : kMixColumns;
    const VReg operand = vreg(c, i.rn);
    VReg result;
    for (unsigned col = 0; col < 4; ++col) {
        for (unsigned r = 0; r < 4; ++r) {
            uint8_t sum = 0;
            for (unsigned k = 0; k < 4; ++k)
                sum ^= crypto::gf_mul(coefficient[(k + 4 - r) % 4], uint8_t(operand.get(8, 4 * col + k)));
            result.set(8, 4 * col + r, sum);
        }
    }
    vreg(c, i.rd) = result;
    return Flow::Next;
}

// ---- SHA helpers (shared pseudocode, "crypto") ------------------------------

// A bits(128) operand as Elem[x, e, 32], e = 0 least significant.
using Quad = std::array<uint32_t, 4>;

Quad quad(const VReg& v) {
    return {uint32_t(v.get(32, 0)), uint32_t(v.get(32, 1)), uint32_t(v.get(32, 2)),
            uint32_t(v.get(32, 3))};
}
VReg to_vreg(const Quad& q) {
    VReg v;
    for (unsigned e = 0; e < 4; ++e) v.set(32, e, q[e]);
    return v;
}

constexpr uint32_t sha_choose(uint32_t x, uint32_t y, uint32_t z) { return ((y ^ z) & x) ^ z; }
constexpr uint32_t sha_majority(uint32_t x, uint32_t y, uint32_t z) { return (x & y) | ((x | y) & z); }
constexpr uint32_t sha_parity(uint32_t x, uint32_t y, uint32_t z) { return x ^ y ^ z; }
constexpr uint32_t sha_hash_sigma0(uint32_t x) {
    return std::rotr(x, 2) ^ std::rotr(x, 13) ^ std::rotr(x, 22);
}
constexpr uint32_t sha_hash_sigma1(uint32_t x) {
    return std::rotr(x, 6) ^ std::rotr(x, 11) ^ std::rotr(x, 25);
}

// SHA256hash(X, Y, W, part1): four rounds on the state halves X = {a..d},
// Y = {e..h} (each with its newest word in element 3); returns X or Y.
constexpr Quad sha256_hash(Quad x, Quad y, const Quad& w, bool part1) {
    for (unsigned e = 0; e < 4; ++e) {
        const uint32_t chs = sha_choose(y[0], y[1], y[2]);
        const uint32_t maj = sha_majority(x[0], x[1], x[2]);
        const uint32_t t = y[3] + sha_hash_sigma1(y[0]) + chs + w[e];
        x[3] = t + x[3];
        y[3] = t + sha_hash_sigma0(x[0]) + maj;
        // <Y, X> = ROL(Y : X, 32)
        const uint32_t x_top = x[3], y_top = y[3];
        x = {y_top, x[0], x[1], x[2]};
        y = {x_top, y[0], y[1], y[2]};
    }
    return part1 ? x : y;
}

// ---- Cryptographic three-register SHA (C7.2 SHA1C, SHA1P, SHA1M, SHA1SU0,
// SHA256H, SHA256H2, SHA256SU1) -----------------------------------------------

using ShaFn = uint32_t (*)(uint32_t, uint32_t, uint32_t);

// SHA1C/SHA1P/SHA1M: four rounds on X = V[d] (a..d), Y = S[n] (e) with
// the schedule words of V[m]; F is SHAchoose, SHAparity or SHAmajority.
template <ShaFn F>
Flow SHA1_hash(Cpu& c, const Insn& i) {
    Quad x = quad(vreg(c, i.rd));
    uint32_t y = vreg(c, i.rn).s();
    const Quad w = quad(vreg(c, i.rm));
    for (unsigned e = 0; e < 4; ++e) {
        y = y + std::rotl(x[0], 5) + F(x[1], x[2], x[3]) + w[e];
        x[1] = std::rotl(x[1], 30);
        // <Y, X> = ROL(Y : X, 32)
        const uint32_t x_top = x[3];
        x = {y, x[0], x[1], x[2]};
        y = x_top;
    }
    vreg(c, i.rd) = to_vreg(x);
    return Flow::Next;
}

// (V[n]<63:0> : V[d]<127:64>) EOR V[d] EOR V[m].
Flow SHA1SU0(Cpu& c, const Insn& i) {
    const Quad op1 = quad(vreg(c, i.rd)), op2 = quad(vreg(c, i.rn)), op3 = quad(vreg(c, i.rm));
    const Quad t = {op1[2], op1[3], op2[0], op2[1]};
    Quad result;
    for (unsigned e = 0; e < 4; ++e) result[e] = t[e] ^ op1[e] ^ op3[e];
    vreg(c, i.rd) = to_vreg(result);
    return Flow::Next;
}

// SHA256H: SHA256hash(V[d], V[n], V[m], TRUE); SHA256H2: SHA256hash(V[n],
// V[d], V[m], FALSE).
template <bool Part1>
Flow SHA256H(Cpu& c, const Insn& i) {
    const Quad d = quad(vreg(c, i.rd)), n = quad(vreg(c, i.rn)), w = quad(vreg(c, i.rm));
    vreg(c, i.rd) = to_vreg(Part1 ? sha256_hash(d, n, w, true) : sha256_hash(n, d, w, false));
    return Flow::Next;
}

// σ1 of the message schedule (FIPS 180-4 4.1.2), as SHA256SU1 spells it.
constexpr uint32_t sha256_schedule_sigma1(uint32_t x) {
    return std::rotr(x, 17) ^ std::rotr(x, 19) ^ (x >> 10);
}

// Elements 2 and 3 take σ1 of the result's own elements 0 and 1.
Flow SHA256SU1(Cpu& c, const Insn& i) {
    const Quad op1 = quad(vreg(c, i.rd)), op2 = quad(vreg(c, i.rn)), op3 = quad(vreg(c, i.rm));
    const Quad t0 = {op2[1], op2[2], op2[3], op3[0]};  // operand3<31:0> : operand2<127:32>
    Quad result;
    for (unsigned e = 0; e < 2; ++e) result[e] = sha256_schedule_sigma1(op3[2 + e]) + op1[e] + t0[e];
    for (unsigned e = 2; e < 4; ++e) result[e] = sha256_schedule_sigma1(result[e - 2]) + op1[e] + t0[e];
    vreg(c, i.rd) = to_vreg(result);
    return Flow::Next;
}

// ---- Cryptographic two-register SHA (C7.2 SHA1H, SHA1SU1, SHA256SU0) --------

// S[d] = ROL(S[n], 30), the rest of V[d] zero.
Flow SHA1H(Cpu& c, const Insn& i) {
    simd::vwrite(c, i.rd, 32, std::rotl(vreg(c, i.rn).s(), 30));
    return Flow::Next;
}

// T = V[d] EOR LSR(V[n], 32); each element ROL 1, element 3 also EOR ROL(T[0], 2).
Flow SHA1SU1(Cpu& c, const Insn& i) {
    const Quad op1 = quad(vreg(c, i.rd)), op2 = quad(vreg(c, i.rn));
    const Quad t = {op1[0] ^ op2[1], op1[1] ^ op2[2], op1[2] ^ op2[3], op1[3]};
    Quad result;
    for (unsigned e = 0; e < 4; ++e) result[e] = std::rotl(t[e], 1);
    result[3] ^= std::rotl(t[0], 2);
    vreg(c, i.rd) = to_vreg(result);
    return Flow::Next;
}

// σ0 of the message schedule (FIPS 180-4 4.1.2), as SHA256SU0 spells it.
constexpr uint32_t sha256_schedule_sigma0(uint32_t x) {
    return std::rotr(x, 7) ^ std::rotr(x, 18) ^ (x >> 3);
}

// T = V[n]<31:0> : V[d]<127:32>; result[e] = σ0(T[e]) + V[d][e].
Flow SHA256SU0(Cpu& c, const Insn& i) {
    const Quad op1 = quad(vreg(c, i.rd)), op2 = quad(vreg(c, i.rn));
    const Quad t = {op1[1], op1[2], op1[3], op2[0]};
    Quad result;
    for (unsigned e = 0; e < 4; ++e) result[e] = sha256_schedule_sigma0(t[e]) + op1[e];
    vreg(c, i.rd) = to_vreg(result);
    return Flow::Next;
}

// ---- Decode -----------------------------------------------------------------

template <ExecFn F, Pattern P>
void decode_crypto(Word<P> w, Insn& o) {
    o.rd = uint8_t(field<'d'>(w));
    o.rn = uint8_t(field<'n'>(w));
    if constexpr (P.has('m')) o.rm = uint8_t(field<'m'>(w));
    o.exec = fp_guarded<F>;
}

// clang-format off
constexpr Encoding kEncodings[] = {
    // Cryptographic AES
    encoding<"01001110 00 10100 00100 10 nnnnn ddddd", decode_crypto<AESE_AESD<false>>>
        ("AESE", "AESE").needs(Feature::AES),
    encoding<"01001110 00 10100 00101 10 nnnnn ddddd", decode_crypto<AESE_AESD<true>>>
        ("AESD", "AESD").needs(Feature::AES),
    encoding<"01001110 00 10100 00110 10 nnnnn ddddd", decode_crypto<AESMC_AESIMC<false>>>
        ("AESMC", "AESMC").needs(Feature::AES),
    encoding<"01001110 00 10100 00111 10 nnnnn ddddd", decode_crypto<AESMC_AESIMC<true>>>
        ("AESIMC", "AESIMC").needs(Feature::AES),
    // Cryptographic three-register SHA
    encoding<"01011110 00 0 mmmmm 0 000 00 nnnnn ddddd", decode_crypto<SHA1_hash<sha_choose>>>
        ("SHA1C", "SHA1C").needs(Feature::SHA1),
    encoding<"01011110 00 0 mmmmm 0 001 00 nnnnn ddddd", decode_crypto<SHA1_hash<sha_parity>>>
        ("SHA1P", "SHA1P").needs(Feature::SHA1),
    encoding<"01011110 00 0 mmmmm 0 010 00 nnnnn ddddd", decode_crypto<SHA1_hash<sha_majority>>>
        ("SHA1M", "SHA1M").needs(Feature::SHA1),
    encoding<"01011110 00 0 mmmmm 0 011 00 nnnnn ddddd", decode_crypto<SHA1SU0>>
        ("SHA1SU0", "SHA1SU0").needs(Feature::SHA1),
    encoding<"01011110 00 0 mmmmm 0 100 00 nnnnn ddddd", decode_crypto<SHA256H<true>>>
        ("SHA256H", "SHA256H").needs(Feature::SHA256),
    encoding<"01011110 00 0 mmmmm 0 101 00 nnnnn ddddd", decode_crypto<SHA256H<false>>>
        ("SHA256H2", "SHA256H2").needs(Feature::SHA256),
    encoding<"01011110 00 0 mmmmm 0 110 00 nnnnn ddddd", decode_crypto<SHA256SU1>>
        ("SHA256SU1", "SHA256SU1").needs(Feature::SHA256),
    // Cryptographic two-register SHA
    encoding<"01011110 00 10100 00000 10 nnnnn ddddd", decode_crypto<SHA1H>>
        ("SHA1H", "SHA1H").needs(Feature::SHA1),
    encoding<"01011110 00 10100 00001 10 nnnnn ddddd", decode_crypto<SHA1SU1>>
        ("SHA1SU1", "SHA1SU1").needs(Feature::SHA1),
    encoding<"01011110 00 10100 00010 10 nnnnn ddddd", decode_crypto<SHA256SU0>>
        ("SHA256SU0", "SHA256SU0").needs(Feature::SHA256),
    // Cryptographic three-register, imm2 (FEAT_SM3)
    encoding<"11001110 010 mmmmm 10 ii 00 nnnnn ddddd", decode_UNDEFINED>("SM3TT1A", "SM3TT1A"),
    encoding<"11001110 010 mmmmm 10 ii 01 nnnnn ddddd", decode_UNDEFINED>("SM3TT1B", "SM3TT1B"),
    encoding<"11001110 010 mmmmm 10 ii 10 nnnnn ddddd", decode_UNDEFINED>("SM3TT2A", "SM3TT2A"),
    encoding<"11001110 010 mmmmm 10 ii 11 nnnnn ddddd", decode_UNDEFINED>("SM3TT2B", "SM3TT2B"),
    // Cryptographic three-register SHA512 (FEAT_SHA512, FEAT_SHA3, FEAT_SM3, FEAT_SM4)
    encoding<"11001110 011 mmmmm 1 0 00 00 nnnnn ddddd", decode_UNDEFINED>("SHA512H", "SHA512H"),
    encoding<"11001110 011 mmmmm 1 0 00 01 nnnnn ddddd", decode_UNDEFINED>("SHA512H2", "SHA512H2"),
    encoding<"11001110 011 mmmmm 1 0 00 10 nnnnn ddddd", decode_UNDEFINED>("SHA512SU1", "SHA512SU1"),
    encoding<"11001110 011 mmmmm 1 0 00 11 nnnnn ddddd", decode_UNDEFINED>("RAX1", "RAX1"),
    encoding<"11001110 011 mmmmm 1 1 00 00 nnnnn ddddd", decode_UNDEFINED>("SM3PARTW1", "SM3PARTW1"),
    encoding<"11001110 011 mmmmm 1 1 00 01 nnnnn ddddd", decode_UNDEFINED>("SM3PARTW2", "SM3PARTW2"),
    encoding<"11001110 011 mmmmm 1 1 00 10 nnnnn ddddd", decode_UNDEFINED>("SM4EKEY", "SM4EKEY"),
    // Cryptographic four-register (FEAT_SHA3, FEAT_SM3)
    encoding<"11001110 0 00 mmmmm 0 aaaaa nnnnn ddddd", decode_UNDEFINED>("EOR3", "EOR3"),
    encoding<"11001110 0 01 mmmmm 0 aaaaa nnnnn ddddd", decode_UNDEFINED>("BCAX", "BCAX"),
    encoding<"11001110 0 10 mmmmm 0 aaaaa nnnnn ddddd", decode_UNDEFINED>("SM3SS1", "SM3SS1"),
    // XAR (FEAT_SHA3)
    encoding<"11001110 100 mmmmm iiiiii nnnnn ddddd", decode_UNDEFINED>("XAR", "XAR"),
    // Cryptographic two-register SHA512 (FEAT_SHA512, FEAT_SM4)
    encoding<"11001110 110 00000 1000 00 nnnnn ddddd", decode_UNDEFINED>("SHA512SU0", "SHA512SU0"),
    encoding<"11001110 110 00000 1000 01 nnnnn ddddd", decode_UNDEFINED>("SM4E", "SM4E"),
};
// clang-format on

}  // namespace

std::span<const Encoding> encodings_crypto() { return kEncodings; }

}  // namespace cpu
