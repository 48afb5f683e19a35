// The MMU-on difftest (--mmu): a random stage-1 set-up per case, built in
// guest memory the same way on both sides, written from the ARM ARM (DDI
// 0487 K.a D8.2 "Translation process", D8.3 "Translation table descriptor
// formats", D8.4 "Memory access control") independently of src/cpu/mmu.cpp.
//
// The VA layout stays the one the generator knows (layout.h); only the
// physical side and the attributes change:
//   code region  0x4000_0000..0x4000_FFFF  one-to-one, Normal, EL1 only
//   data buffer  0x4001_0000..0x4001_1FFF  one-to-one or moved to kDataAlias
//                                          (4 KiB pieces swapped), any MAIR
//                                          attribute, EL0 and EL1 read/write
//   vectors      0x4008_0000               one-to-one
//   fault window 0x5000_0000..0x5000_1FFF  one Window kind per case
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "tests/difftest/layout.h"

namespace difftest {

class Rng;

// What the fault window's mapping is, and so what an access there does.
enum class Window : uint8_t {
    Invalid,     // an invalid descriptor at fault_level: Translation fault
    AccessFlag,  // a page with AF = 0: Access flag fault, level 3
    ReadOnly,    // an alias of the data buffer, AP[2] = 1: writes take a Permission fault
    El1Only,     // an alias of the data buffer, AP[2:1] = 00: LDTR/STTR take a Permission fault
};
inline constexpr std::string_view kWindowNames[] = {"invalid", "access-flag-0", "read-only", "EL1-only"};

struct MmuSetup {
    unsigned grain = 12;  // log2 of the granule
    unsigned t0sz = 16;
    uint64_t sctlr = 0, tcr = 0, ttbr0 = 0, mair = 0;
    Window window = Window::Invalid;
    unsigned fault_level = 3;
    bool window_el0_readable = false;  // ReadOnly with AP = 11
    std::array<uint64_t, 2> data_pa{kDataBase, kDataBase + kPiece};  // PA of each 4 KiB piece
    uint64_t data_pte = 0;  // IPA of the leaf descriptor of the data buffer's first byte
    std::vector<uint8_t> tables;  // the bytes at kTables

    // Whether every access to the window faults, whatever the instruction.
    bool window_always_faults() const { return window == Window::Invalid || window == Window::AccessFlag; }
    // The DFSC (ISS[5:0]) of a fault in the window (D24.2.40 ESR_EL1, ISS encoding for a Data Abort).
    uint32_t window_dfsc() const;
};

// Granule choice of --mmu. Only 4 KiB: Unicorn 2.0.1 mistranslates 16 and
// 64 KiB (docs/oracle-exceptions.md, mmu-tcr-sizes).
enum class GranuleMode : uint8_t { Off, K4 };

// A random set-up for one case; read_only_window = false leaves the
// ReadOnly kind out (see the known stepvisor bug in main.cpp).
MmuSetup random_mmu(Rng& r, GranuleMode g);

// The physical address of a VA the generator uses (code, data, vectors).
uint64_t data_pa(const MmuSetup* m, uint64_t va);

}  // namespace difftest
