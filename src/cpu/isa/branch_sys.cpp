// A64 encoding index: Branches, exception generating and system instructions.
#include "cpu/decode.h"

namespace cpu {

std::span<const Encoding> encodings_branch_sys() { return {}; }

}  // namespace cpu
