// The two implementations behind fp.h's arithmetic, for tests and the
// benchmark (docs/fp.md): `soft` is the reference, integer arithmetic only;
// `host` is the SSE fast path, which answers only when the host's result is
// provably the ASL's and returns false otherwise. FPAdd and friends in fp.h
// try `host` first and fall back to `soft`.
#pragma once

#include "cpu/fp/fp.h"

namespace cpu::fp {

namespace soft {
template <FPBits T> T FPAdd(T op1, T op2, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> T FPSub(T op1, T op2, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> T FPMul(T op1, T op2, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> T FPDiv(T op1, T op2, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> T FPSqrt(T op, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> T FPMulAdd(T addend, T op1, T op2, uint32_t fpcr, uint32_t& fpsr);
}  // namespace soft

namespace host {
enum class Op : uint8_t { Add, Sub, Mul, Div, Sqrt, MulAdd };
// The fast path for single and double (fp_host.cpp). On true, `result` and
// the flags OR-ed into `fpsr` are exactly what soft:: would produce.
bool fast(Op op, uint32_t a, uint32_t b, uint32_t c, uint32_t fpcr, uint32_t& fpsr, uint32_t& result);
bool fast(Op op, uint64_t a, uint64_t b, uint64_t c, uint32_t fpcr, uint32_t& fpsr, uint64_t& result);
inline bool fast(Op, uint16_t, uint16_t, uint16_t, uint32_t, uint32_t&, uint16_t&) { return false; }
}  // namespace host

}  // namespace cpu::fp
