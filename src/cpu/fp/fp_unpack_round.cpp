// NaN processing (DDI 0487 K.a, shared pseudocode "FPProcessNaN",
// "FPProcessNaNs", "FPProcessNaNs3", "FPDefaultNaN"); FPUnpack and FPRound
// are inline in the header (they are on every path).
#include "cpu/fp/fp_unpack_round.h"

namespace cpu::fp {

template <FPBits T> T FPDefaultNaN() { return T(Format<T>::kExpMask | Format<T>::kQuiet); }

// ASL FPProcessNaN.
template <FPBits T> T FPProcessNaN(FPType type, T op, uint32_t fpcr, uint32_t& fpsr) {
    T result = op;
    if (type == FPType::SNaN) {
        result = T(result | Format<T>::kQuiet);
        fpsr |= fpsr::kIOC;
    }
    return (fpcr & fpcr::kDN) ? FPDefaultNaN<T>() : result;
}

// ASL FPProcessNaNs.
template <FPBits T>
bool FPProcessNaNs(const Unpacked& a, const Unpacked& b, T op1, T op2, uint32_t fpcr, uint32_t& fpsr, T& result) {
    if (a.type == FPType::SNaN) result = FPProcessNaN(a.type, op1, fpcr, fpsr);
    else if (b.type == FPType::SNaN) result = FPProcessNaN(b.type, op2, fpcr, fpsr);
    else if (a.type == FPType::QNaN) result = FPProcessNaN(a.type, op1, fpcr, fpsr);
    else if (b.type == FPType::QNaN) result = FPProcessNaN(b.type, op2, fpcr, fpsr);
    else return false;
    return true;
}

// ASL FPProcessNaNs3.
template <FPBits T>
bool FPProcessNaNs3(const Unpacked& a, const Unpacked& b, const Unpacked& c, T op1, T op2, T op3, uint32_t fpcr,
                    uint32_t& fpsr, T& result) {
    if (a.type == FPType::SNaN) result = FPProcessNaN(a.type, op1, fpcr, fpsr);
    else if (b.type == FPType::SNaN) result = FPProcessNaN(b.type, op2, fpcr, fpsr);
    else if (c.type == FPType::SNaN) result = FPProcessNaN(c.type, op3, fpcr, fpsr);
    else if (a.type == FPType::QNaN) result = FPProcessNaN(a.type, op1, fpcr, fpsr);
    else if (b.type == FPType::QNaN) result = FPProcessNaN(b.type, op2, fpcr, fpsr);
    else if (c.type == FPType::QNaN) result = FPProcessNaN(c.type, op3, fpcr, fpsr);
    else return false;
    return true;
}

#define STEPVISOR_FP_INSTANTIATE(T)                                                                              \
    template T FPDefaultNaN<T>();                                                                                \
    template T FPProcessNaN<T>(FPType, T, uint32_t, uint32_t&);                                                  \
    template bool FPProcessNaNs<T>(const Unpacked&, const Unpacked&, T, T, uint32_t, uint32_t&, T&);             \
    template bool FPProcessNaNs3<T>(const Unpacked&, const Unpacked&, const Unpacked&, T, T, T, uint32_t,         \
                                    uint32_t&, T&);
STEPVISOR_FP_INSTANTIATE(uint16_t)
STEPVISOR_FP_INSTANTIATE(uint32_t)
STEPVISOR_FP_INSTANTIATE(uint64_t)
#undef STEPVISOR_FP_INSTANTIATE

}  // namespace cpu::fp
