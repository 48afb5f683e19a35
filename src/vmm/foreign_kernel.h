// Kernels built for another architecture, recognised by the magic numbers
// their boot protocols put in the file, so that `run` refuses them instead
// of executing x86 or RISC-V bytes as a raw AArch64 binary.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace vmm {

// What the file is ("an x86 bzImage (\"HdrS\" at 0x202)"), or nothing when
// no other architecture's kernel magic is there.
std::optional<std::string> foreign_kernel(std::span<const uint8_t> bytes);

}  // namespace vmm
