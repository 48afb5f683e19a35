// An ELF symbol file for gdb from a kallsyms listing: gdb-multiarch loads it
// with `add-symbol-file FILE` (or `symbol-file FILE`) and then resolves
// `break FUNCTION`, `info symbol ADDRESS` and `bt` against a running kernel
// whose vmlinux (the -dbg package) is not at hand.
//
// The file is an ELF64 little-endian AArch64 ET_EXEC with no contents:
// SHT_NOBITS sections cover the symbols' address ranges (gdb reads the
// instructions from the target), executable where the symbols are text (gdb
// takes a symbol in an SHF_EXECINSTR section for a function), and .symtab:
//   t/T  STT_FUNC      d/D, b/B, r/R  STT_OBJECT      a/A  SHN_ABS
//   upper case STB_GLOBAL, lower case STB_LOCAL, w/W and v/V STB_WEAK
// A symbol's size runs to the next higher address in its section.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "kvm/result.h"
#include "symbols/kallsyms.h"

namespace symbols {

// Sections are split where the symbols' kind (text, read-only, data, BSS)
// or module changes, or where no symbol lies for more than this.
inline constexpr uint64_t kMaxSectionGap = 2ull << 20;

// The file's bytes; fails (one line) only when the listing needs more
// sections than ELF numbers without extensions, or puts a symbol (not an
// absolute one) at the last address, 2^64 - 1.
kvm::Result<std::vector<uint8_t>> symbol_elf(std::span<const KallsymsSymbol> symbols);

}  // namespace symbols
