// The two implementations behind fp.h's arithmetic, for tests and the
// benchmark (docs/fp.md): `soft` is the reference, integer arithmetic only;
// `host` (fp_host.h) is the SSE fast path, which answers only when the host's result is
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
// The operations with a fast path (fp_host.h).
enum class Op : uint8_t { Add, Sub, Mul, Div, Sqrt, MulAdd };
}  // namespace host

}  // namespace cpu::fp
