// A64 encoding index: Data processing -- register.
#include "cpu/decode.h"

namespace cpu {

std::span<const Encoding> encodings_dp_reg() { return {}; }

}  // namespace cpu
