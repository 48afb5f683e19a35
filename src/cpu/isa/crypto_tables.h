// The AES byte arithmetic the ASL's AESSubBytes, AESInvSubBytes,
// AESMixColumns and AESInvMixColumns use (ARM ARM DDI 0487 K.a, shared
// pseudocode "crypto"), built at compile time from their definitions in
// FIPS-197 rather than typed in: the field GF(2^8) modulo
// m(x) = x^8 + x^4 + x^3 + x + 1 (section 4.2), and the S-box as the
// multiplicative inverse followed by the affine transformation (5.1.1).
#pragma once

#include <array>
#include <bit>
#include <cstdint>

namespace cpu::crypto {

// xtime(): multiplication by x, reduced modulo m(x) (FIPS-197 4.2.1).
constexpr uint8_t xtime(uint8_t b) { return uint8_t((b << 1) ^ ((b & 0x80) ? 0x1B : 0)); }

// a • b in GF(2^8): the sum of xtime powers of a for each set bit of b (4.2.1).
constexpr uint8_t gf_mul(uint8_t a, uint8_t b) {
    uint8_t product = 0;
    for (; b; b >>= 1, a = xtime(a))
        if (b & 1) product ^= a;
    return product;
}

namespace detail {
// The multiplicative inverse, a^254 (a^255 = 1 for a != 0); {00} maps to {00}.
constexpr uint8_t gf_inverse(uint8_t a) {
    uint8_t result = 1;
    for (int i = 0; i < 254; ++i) result = gf_mul(result, a);
    return result;
}
// b'_i = b_i ^ b_(i+4) ^ b_(i+5) ^ b_(i+6) ^ b_(i+7) ^ c_i, c = {63} (5.1.1):
// bit i of rotl(b, k) is b_(i-k mod 8).
constexpr uint8_t affine(uint8_t b) {
    return uint8_t(b ^ std::rotl(b, 1) ^ std::rotl(b, 2) ^ std::rotl(b, 3) ^ std::rotl(b, 4) ^ 0x63);
}
constexpr std::array<uint8_t, 256> make_sbox() {
    std::array<uint8_t, 256> s{};
    for (unsigned b = 0; b < 256; ++b) s[b] = affine(gf_inverse(uint8_t(b)));
    return s;
}
// InvSubBytes() is the inverse permutation of SubBytes() (5.3.2).
constexpr std::array<uint8_t, 256> invert(const std::array<uint8_t, 256>& s) {
    std::array<uint8_t, 256> inv{};
    for (unsigned b = 0; b < 256; ++b) inv[s[b]] = uint8_t(b);
    return inv;
}
}  // namespace detail

inline constexpr std::array<uint8_t, 256> kSbox = detail::make_sbox();
inline constexpr std::array<uint8_t, 256> kInvSbox = detail::invert(kSbox);

}  // namespace cpu::crypto
