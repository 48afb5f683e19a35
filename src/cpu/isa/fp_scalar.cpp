// SIMD&FP encodings: see encodings_fp_scalar() in cpu/decode.h. The rows arrive
// with issue 15; until then these encodings are UNDEFINED.
#include "cpu/decode.h"

namespace cpu {

std::span<const Encoding> encodings_fp_scalar() { return {}; }

}  // namespace cpu
