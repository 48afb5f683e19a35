// A64 encoding index: Data processing -- immediate.
#include "cpu/decode.h"

namespace cpu {

std::span<const Encoding> encodings_dp_imm() { return {}; }

}  // namespace cpu
