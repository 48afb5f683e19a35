// The guest physical layout both sides of the difftest share: one RAM region
// at the QEMU virt RAM base, holding a code buffer, a data buffer and (for
// stepvisor only) a vector table.
#pragma once

#include <cstdint>

namespace difftest {

inline constexpr uint64_t kRamBase = 0x40000000;
inline constexpr uint64_t kRamSize = 1 << 20;
inline constexpr uint64_t kScratch = kRamBase + 0x800;   // Unicorn-only set-up code at case start
inline constexpr unsigned kScratchWords = 8;              // CLREX, then the MMU set-up (--mmu)
inline constexpr uint64_t kCodeBase = kRamBase + 0x1000;
inline constexpr unsigned kMaxSlots = 512;                // 2 KiB of code per case
// The first slots of the code buffer are landing pads: a backward branch goes
// to a pad, which branches forward into the program again.
inline constexpr unsigned kPads = 8;
inline constexpr uint64_t kEntry = kCodeBase + 4 * kPads;
inline constexpr uint64_t kDataBase = kRamBase + 0x10000;
inline constexpr uint64_t kDataSize = 0x2000;
inline constexpr uint64_t kVbar = kRamBase + 0x80000;
// With --mmu: the physical home of the data buffer when a case maps it
// elsewhere than one-to-one, and the area for the translation tables.
inline constexpr uint64_t kDataAlias = kRamBase + 0x50000;
inline constexpr uint64_t kTables = kRamBase + 0xC0000;
inline constexpr uint64_t kTablesSize = 0x40000;
// The data buffer moves in pieces of this size (the smallest granule).
inline constexpr uint64_t kPiece = 0x1000;
// Mapped on neither side: accesses there must fault on both. With --mmu it
// is the fault window, a VA range whose mapping each case chooses.
inline constexpr uint64_t kUnmapped = 0x50000000;

}  // namespace difftest
