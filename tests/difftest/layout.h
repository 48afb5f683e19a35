// The guest physical layout both sides of the difftest share: one RAM region
// at the QEMU virt RAM base, holding a code buffer, a data buffer and (for
// stepvisor only) a vector table.
#pragma once

#include <cstdint>

namespace difftest {

inline constexpr uint64_t kRamBase = 0x40000000;
inline constexpr uint64_t kRamSize = 1 << 20;
inline constexpr uint64_t kScratch = kRamBase + 0x800;   // Unicorn-only CLREX at case start
inline constexpr uint64_t kCodeBase = kRamBase + 0x1000;
inline constexpr unsigned kMaxSlots = 512;                // 2 KiB of code per case
// The first slots of the code buffer are landing pads: a backward branch goes
// to a pad, which branches forward into the program again.
inline constexpr unsigned kPads = 8;
inline constexpr uint64_t kEntry = kCodeBase + 4 * kPads;
inline constexpr uint64_t kDataBase = kRamBase + 0x10000;
inline constexpr uint64_t kDataSize = 0x2000;
inline constexpr uint64_t kVbar = kRamBase + 0x80000;
// Mapped on neither side: accesses there must fault on both.
inline constexpr uint64_t kUnmapped = 0x50000000;

}  // namespace difftest
