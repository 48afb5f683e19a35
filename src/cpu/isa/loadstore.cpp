// A64 encoding index: Loads and stores.
#include "cpu/decode.h"

namespace cpu {

std::span<const Encoding> encodings_loadstore() { return {}; }

}  // namespace cpu
