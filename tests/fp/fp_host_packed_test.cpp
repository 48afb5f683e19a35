// The packed fast path (cpu/fp/fp_host_packed.h) against soft::, lane by
// lane: whenever it answers, every lane must be soft::'s value and soft::
// must have raised no flag but an IXC already set; the operands sit at its
// edges (zeros of both signs, the smallest normals and the exponents next
// to them, the largest, denormals, infinities, NaNs, products and sums that
// cancel or underflow) over every FPCR, with IXC set and clear.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <random>

#include "cpu/fp/fp_arith.h"
#include "cpu/fp/fp_host_packed.h"
#include "cpu/fp/fp_unpack_round.h"

namespace cpu::fp {
namespace {

using host::PackedOp;
using Rng = std::mt19937_64;

template <FPBits T> T edge_value(Rng& r, T other) {
    using Fm = Format<T>;
    const T sign = (r() & 1) ? Fm::kSign : T(0), frac = T(r()) & Fm::kFracMask;
    const unsigned emax = (1u << Fm::E) - 1;
    auto with_exp = [&](unsigned e) { return T(sign | (T(e) << Fm::F) | frac); };
    switch (r() % 40) {
    case 0: return sign;                                              // a zero
    case 1: return T(other ^ Fm::kSign);                              // cancels the other lane
    case 2: return with_exp(1 + unsigned(r() % 3));                   // the smallest normals
    case 3: return with_exp(emax - 1 - unsigned(r() % 2));            // the largest
    case 4: return T(sign | (frac ? frac : 1));                       // a denormal
    case 5: return T(sign | Fm::kExpMask | ((r() & 1) ? frac : 0));   // infinity or NaN
    case 6: return with_exp(Fm::kBias / 2 + unsigned(r() % 4));       // tiny: products underflow
    default: return with_exp(Fm::kBias - 8 + unsigned(r() % 16));     // ordinary
    }
}

template <FPBits T> T soft_lane(PackedOp op, T d, T n, T m, uint32_t fpcr, uint32_t& fpsr) {
    switch (op) {
    case PackedOp::Add: return soft::FPAdd(n, m, fpcr, fpsr);
    case PackedOp::Sub: return soft::FPSub(n, m, fpcr, fpsr);
    case PackedOp::Mul: return soft::FPMul(n, m, fpcr, fpsr);
    case PackedOp::MulAdd: return soft::FPMulAdd(d, n, m, fpcr, fpsr);
    case PackedOp::MulSub: return soft::FPMulAdd(d, FPNeg(n), m, fpcr, fpsr);
    }
    return 0;
}

// Runs `cases` vectors of T lanes over Datasize bits; counts in `answered`
// those the packed path answered (each one checked against soft::).
template <FPBits T, unsigned Datasize> void check(Rng& r, uint64_t cases, uint64_t& answered) {
    constexpr unsigned kLanes = 128 / (8 * sizeof(T));
    answered = 0;
    for (uint64_t k = 0; k < cases; ++k) {
        const PackedOp op = PackedOp(r() % 5);
        T d[kLanes], n[kLanes], m[kLanes];
        for (unsigned e = 0; e < kLanes; ++e) {
            uint32_t ignored = 0;
            n[e] = edge_value<T>(r, T(0));
            m[e] = edge_value<T>(r, n[e]);
            d[e] = edge_value<T>(r, (r() & 1) ? soft::FPMul(n[e], m[e], 0, ignored) : m[e]);  // may cancel it
        }
        const uint32_t fpcr = uint32_t((r() & 1) ? r() % 4 : 0) << fpcr::kRModeShift | ((r() & 1) ? fpcr::kFZ : 0) |
                              ((r() & 1) ? fpcr::kDN : 0);
        const uint32_t fpsr = (r() % 4) ? fpsr::kIXC : 0;
        uint8_t out[16];
        std::memset(out, 0xA5, sizeof out);
        uint8_t bd[16], bn[16], bm[16];
        std::memcpy(bd, d, 16), std::memcpy(bn, n, 16), std::memcpy(bm, m, 16);
        if (!host::packed<T, Datasize>(op, bd, bn, bm, fpcr, fpsr, out)) continue;
        ++answered;
        T got[kLanes];
        std::memcpy(got, out, 16);
        for (unsigned e = 0; e < kLanes; ++e) {
            uint32_t flags = fpsr;
            const T want = e < Datasize / (8 * sizeof(T)) ? soft_lane<T>(op, d[e], n[e], m[e], fpcr, flags) : T(0);
            ASSERT_EQ(got[e], want) << "op " << int(op) << " lane " << e << std::hex << " d 0x" << d[e] << " n 0x"
                                    << n[e] << " m 0x" << m[e] << " fpcr 0x" << fpcr;
            ASSERT_EQ(flags, fpsr) << "op " << int(op) << " lane " << e << std::hex << " d 0x" << d[e] << " n 0x"
                                   << n[e] << " m 0x" << m[e] << " fpcr 0x" << fpcr << ": flags 0x" << flags;
        }
    }
}

TEST(FpHostPacked, AgreesWithSoftwareLaneByLane) {
    sample_host_fp_environment();  // as Cpu::run does
    Rng r(7);
    constexpr uint64_t kCases = 400000;
    // Each shape must be answered often enough that the checks mean something.
    uint64_t s4 = 0, s2 = 0, d2 = 0;
    check<uint32_t, 128>(r, kCases, s4);
    check<uint32_t, 64>(r, kCases, s2);
    check<uint64_t, 128>(r, kCases, d2);
    EXPECT_GT(s4, kCases / 50);
    EXPECT_GT(s2, kCases / 50);
    EXPECT_GT(d2, kCases / 50);
    std::printf("answered: .4S %llu, .2S %llu, .2D %llu of %llu each\n", (unsigned long long)s4,
                (unsigned long long)s2, (unsigned long long)d2, (unsigned long long)kCases);
}

}  // namespace
}  // namespace cpu::fp
