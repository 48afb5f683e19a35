// Stage-1 faults: class, level, FAR, WnR, and where they are taken (DDI
// 0487 K.a D8.15 "MMU fault types", D24.2.40 ISS for aborts; ASL
// AArch64.S1Walk, AArch64.S1CheckPermissions, AArch64.CheckAlignment).
#include <gtest/gtest.h>

#include "tests/cpu/mmu_harness.h"

namespace cpu::test {
namespace {

using namespace desc;

constexpr uint32_t kLdrX0 = 0xf9400020;   // ldr x0, [x1]
constexpr uint32_t kStrX2 = 0xf9000022;   // str x2, [x1]
constexpr uint32_t kLdtrX0 = 0xf8400820;  // ldtr x0, [x1]
constexpr uint32_t kBrX1 = 0xd61f0020;    // br x1
constexpr uint32_t kStpX2X3 = 0xa9000c22; // stp x2, x3, [x1]
constexpr uint32_t kDcZva = 0xd50b7421;   // dc zva, x1
constexpr uint64_t kVecCurSpx = 0x200, kVecLower = 0x400;

// Runs one instruction that must take a synchronous exception to EL1.
void run_to_fault(MmuHarness& h, uint32_t insn, uint64_t x1, uint64_t vector = kVecCurSpx) {
    h.code({insn});
    h.x(1) = x1;
    h.x(0) = 0xDEAD;
    h.enable();
    // Two steps: a branch retires before its target's fetch aborts; a
    // faulting access retires nothing and the vector's B . retires.
    ASSERT_EQ(h.step(2), Stop::Irq);
    ASSERT_EQ(h.pc(), h.el1().vbar + vector);
}

void expect_data_abort(MmuHarness& h, uint32_t fsc, uint64_t far, bool write = false) {
    EXPECT_EQ(h.ec(), arch::EC::DataAbortCur);
    EXPECT_EQ(h.fsc(), fsc);
    EXPECT_EQ(h.el1().far, far);
    EXPECT_EQ(h.wnr(), write);
    EXPECT_EQ(h.el1().elr, kCodeBase);
    EXPECT_EQ(h.x(0), 0xDEADu);  // the load wrote nothing
}

// D8.15.2 Translation fault, reported at the level of the invalid descriptor
// (DFSC 0b0001LL).
TEST(MmuFault, TranslationFaultAtEachLevel) {
    struct Case { uint64_t va; uint32_t fsc; } cases[] = {
        {0x0000800000000000, 0x04},  // level-0 entry 256 invalid
        {0x0000000080000000, 0x05},  // level-1 entry 2 invalid
        {0x0000000040200000, 0x06},  // level-2 entry 1 invalid
        {0x0000000040003000, 0x07},  // level-3 entry 3 invalid
    };
    for (const Case& c : cases) {
        MmuHarness h;
        run_to_fault(h, kLdrX0, c.va);
        expect_data_abort(h, c.fsc, c.va);
    }
}

// AArch64.VAIsOutOfRange: a VA outside both ranges is a level-0
// Translation fault, whatever the start level.
TEST(MmuFault, VaOutOfRangeIsLevel0) {
    for (uint64_t va : {0x0000008000000000ull /* above the 39-bit TTBR0 range */,
                        0x0080000000000000ull /* bit 55 set, top byte not all ones */,
                        0xFFFF000000001000ull /* below the 39-bit TTBR1 range */}) {
        MmuHarness h(12, 25, 25);
        run_to_fault(h, kLdrX0, va);
        expect_data_abort(h, 0x04, va);
    }
}

// TCR_EL1.EPD1 = 1: a walk through TTBR1 is a level-0 Translation fault.
TEST(MmuFault, EpdDisablesWalks) {
    MmuHarness h;
    h.map(0xFFFF000000001000, kPageData, kNormal);
    h.cpu.state().el1.tcr |= tcr::kEpd1;
    run_to_fault(h, kLdrX0, 0xFFFF000000001000);
    expect_data_abort(h, 0x04, 0xFFFF000000001000);
}

// D8.3.1: 0b01 at level 3 and a block at level 0 (4 KiB) are reserved:
// Translation faults at that level.
TEST(MmuFault, ReservedDescriptors) {
    MmuHarness h;
    h.put64(h.slot(0x10000000, 3), kPageData | kNormal | 1);  // "block" at level 3
    run_to_fault(h, kLdrX0, 0x10000000);
    expect_data_abort(h, 0x07, 0x10000000);

    MmuHarness h0;
    h0.put64(h0.slot(0x0000100000000000, 0), kNormal | 1);  // block at level 0
    run_to_fault(h0, kLdrX0, 0x0000100000000000);
    expect_data_abort(h0, 0x04, 0x0000100000000000);
}

// D8.15.3 Access flag fault: AF = 0 with no hardware update (HAFDBS = 0).
TEST(MmuFault, AccessFlagFault) {
    MmuHarness h;
    h.map(0x10000000, kPageData, kNormal & ~kAF);
    run_to_fault(h, kLdrX0, 0x10000008);
    expect_data_abort(h, 0x0B, 0x10000008);
}

// Address size fault: an output address above TCR_EL1.IPS (32 bits here).
TEST(MmuFault, AddressSizeFault) {
    MmuHarness h;
    h.cpu.state().el1.tcr &= ~(7ull << 32);  // IPS = 0b000: 32 bits
    h.map(0x10000000, 0x100000000, kNormal);
    run_to_fault(h, kLdrX0, 0x10000000);
    expect_data_abort(h, 0x03, 0x10000000);
}

// AP[2:1] = 00: EL1 only. An EL0 load is a Permission fault taken from a
// lower EL (EC 0x24).
TEST(MmuFault, El0AccessToEl1Page) {
    MmuHarness h;
    h.map(kCodeBase, kCodeBase, kNormal | kApEl0 | kApRo);  // code: readable/executable at EL0
    h.map(0x10000000, kPageData, kNormal);
    h.cpu.state().pstate.el = 0;
    h.cpu.state().pstate.sp = false;
    run_to_fault(h, kLdrX0, 0x10000000, kVecLower);
    EXPECT_EQ(h.ec(), arch::EC::DataAbortLow);
    EXPECT_EQ(h.fsc(), 0x0Fu);
    EXPECT_EQ(h.el1().far, 0x10000000u);
}

// AP[2] = 1: a write is a level-3 Permission fault with WnR = 1.
TEST(MmuFault, WriteToReadOnly) {
    MmuHarness h;
    h.map(0x10000000, kPageData, kNormal | kApRo);
    run_to_fault(h, kStrX2, 0x10000010);
    expect_data_abort(h, 0x0F, 0x10000010, true);
}

// APTable[1] = 1 in the level-2 table descriptor makes everything below
// read-only; the fault is reported at the leaf's level.
TEST(MmuFault, ApTableReadOnly) {
    MmuHarness h;
    h.map(0x10000000, kPageData, kNormal);
    h.set_table_attrs(0x10000000, 2, kApTableRo);
    run_to_fault(h, kStrX2, 0x10000000);
    expect_data_abort(h, 0x0F, 0x10000000, true);
}

// A level-1 block is permission-checked at level 1.
TEST(MmuFault, PermissionFaultLevelOfBlock) {
    MmuHarness h;
    h.map(0x0000008000000000, 0x40000000, kNormal | kApRo, 1);
    run_to_fault(h, kStrX2, 0x0000008000000000 + (kPageData - kRamBase));
    expect_data_abort(h, 0x0D, 0x0000008000000000 + (kPageData - kRamBase), true);
}

// LDTR at EL1 checks EL0 permissions: an EL1-only page faults (taken to
// the current EL), an EL0-readable one does not.
TEST(MmuFault, LdtrUsesEl0Permissions) {
    MmuHarness h;
    h.map(0x10000000, kPageData, kNormal);
    run_to_fault(h, kLdtrX0, 0x10000000);
    expect_data_abort(h, 0x0F, 0x10000000);

    MmuHarness ok;
    ok.map(0x10000000, kPageData, kNormal | kApEl0);
    ok.put64(kPageData, 77);
    ok.code({kLdtrX0});
    ok.x(1) = 0x10000000;
    ok.enable();
    ASSERT_EQ(ok.step(1), Stop::Irq);
    EXPECT_EQ(ok.x(0), 77u);
}

void expect_prefetch_abort(MmuHarness& h, arch::EC ec, uint64_t va) {
    EXPECT_EQ(h.ec(), ec);
    EXPECT_EQ(h.fsc(), 0x0Fu);
    EXPECT_EQ(h.el1().far, va);
    EXPECT_EQ(h.el1().elr, va);  // preferred return: the instruction not fetched
}

// PXN: EL1 may not execute; the branch retires and the fetch aborts (EC 0x21).
TEST(MmuFault, PxnFetchAtEl1) {
    MmuHarness h;
    h.map(0x10000000, kPageData, kNormal | kPXN);
    run_to_fault(h, kBrX1, 0x10000000);
    expect_prefetch_abort(h, arch::EC::InstrAbortCur, 0x10000000);
}

// Memory writable at EL0 is never executable at EL1 (AArch64.S1HasPermissionsFault).
TEST(MmuFault, El0WritableNotExecutableAtEl1) {
    MmuHarness h;
    h.map(0x10000000, kPageData, kNormal | kApEl0);
    run_to_fault(h, kBrX1, 0x10000000);
    expect_prefetch_abort(h, arch::EC::InstrAbortCur, 0x10000000);
}

// UXN: EL0 may not execute (EC 0x20 from the lower EL).
TEST(MmuFault, UxnFetchAtEl0) {
    MmuHarness h;
    h.map(kCodeBase, kCodeBase, kNormal | kApEl0 | kApRo);
    h.map(0x10000000, kPageData, kNormal | kApEl0 | kApRo | kUXN);
    h.cpu.state().pstate.el = 0;
    h.cpu.state().pstate.sp = false;
    run_to_fault(h, kBrX1, 0x10000000, kVecLower);
    expect_prefetch_abort(h, arch::EC::InstrAbortLow, 0x10000000);
}

// UXNTable in a table descriptor applies to every page below it.
TEST(MmuFault, UxnTable) {
    MmuHarness h;
    h.map(kCodeBase, kCodeBase, kNormal | kApEl0 | kApRo);
    h.map(0x10000000, kPageData, kNormal | kApEl0 | kApRo);
    h.set_table_attrs(0x10000000, 1, kUXNTable);
    h.cpu.state().pstate.el = 0;
    h.cpu.state().pstate.sp = false;
    run_to_fault(h, kBrX1, 0x10000000, kVecLower);
    expect_prefetch_abort(h, arch::EC::InstrAbortLow, 0x10000000);
}

// SCTLR_EL1.WXN: writable memory is execute-never. The code page is
// writable, so the first fetch aborts; the vectors are read-only.
TEST(MmuFault, WxnMakesWritableExecuteNever) {
    MmuHarness h;
    h.map(h.el1().vbar, h.el1().vbar, kNormal | kApRo);
    h.cpu.state().el1.sctlr |= kSctlrWxn;
    h.code({0xd503201f});  // nop
    h.enable();
    ASSERT_EQ(h.step(1), Stop::Irq);
    EXPECT_EQ(h.pc(), h.el1().vbar + kVecCurSpx);
    expect_prefetch_abort(h, arch::EC::InstrAbortCur, kCodeBase);
}

// Device memory: unaligned accesses fault (DFSC 0x21), aligned ones do not.
TEST(MmuFault, DeviceUnalignedFaults) {
    MmuHarness h;
    h.map(0x10000000, kPageData, kAF | kAttrDev);
    run_to_fault(h, kLdrX0, 0x10000004);
    expect_data_abort(h, 0x21, 0x10000004);

    MmuHarness ok;
    ok.map(0x10000000, kPageData, kAF | kAttrDev);
    ok.put64(kPageData + 8, 5);
    ok.code({kLdrX0});
    ok.x(1) = 0x10000008;
    ok.enable();
    ASSERT_EQ(ok.step(1), Stop::Irq);
    EXPECT_EQ(ok.x(0), 5u);
}

// Normal memory: an unaligned load is allowed, unless SCTLR_EL1.A = 1.
TEST(MmuFault, NormalUnalignedAllowedUnlessSctlrA) {
    MmuHarness h;
    h.map(0x10000000, kPageData, kNormal);
    h.put64(kPageData, 0x8877665544332211);
    h.put64(kPageData + 8, 0x00000000000000AA);
    h.code({kLdrX0});
    h.x(1) = 0x10000001;
    h.enable();
    ASSERT_EQ(h.step(1), Stop::Irq);
    EXPECT_EQ(h.x(0), 0xAA88776655443322u);

    MmuHarness a;
    a.map(0x10000000, kPageData, kNormal);
    a.cpu.state().el1.sctlr |= kSctlrA;
    run_to_fault(a, kLdrX0, 0x10000001);
    expect_data_abort(a, 0x21, 0x10000001);
}

// An unaligned Normal access may cross a page: each page is translated
// (here to PAs in reverse order).
TEST(MmuFault, UnalignedCrossesPage) {
    MmuHarness h;
    h.map(0x10000000, kPageData + 0x3000, kNormal);
    h.map(0x10001000, kPageData, kNormal);
    h.put64(kPageData + 0x3FF8, 0x44332211AAAAAAAA);
    h.put64(kPageData, 0xBBBBBBBB88776655);
    h.code({kLdrX0});
    h.x(1) = 0x10000FFC;
    h.enable();
    ASSERT_EQ(h.step(1), Stop::Irq);
    EXPECT_EQ(h.x(0), 0x8877665544332211u);
}

// A store crossing into an unmapped page faults at the first byte of that
// page and writes nothing, not even the first page's bytes.
TEST(MmuFault, CrossingStoreFaultsOnSecondPage) {
    MmuHarness h;
    h.map(0x10000000, kPageData, kNormal);
    h.x(2) = ~0ull;
    run_to_fault(h, kStrX2, 0x10000FFC);
    expect_data_abort(h, 0x07, 0x10001000, true);
    EXPECT_EQ(h.read64(kPageData + 0xFF8), 0u);
}

// A pair store translates both elements before writing either.
TEST(MmuFault, PairStoreFaultsOnSecondElement) {
    MmuHarness h;
    h.map(0x10000000, kPageData, kNormal);
    h.x(2) = ~0ull;
    h.x(3) = ~0ull;
    run_to_fault(h, kStpX2X3, 0x10000FF8);
    expect_data_abort(h, 0x07, 0x10001000, true);
    EXPECT_EQ(h.read64(kPageData + 0xFF8), 0u);
}

// An unaligned pair store whose first element crosses the page boundary.
TEST(MmuFault, PairStoreCrossingPage) {
    MmuHarness h;
    h.map(0x10000000, kPageData + 0x3000, kNormal);
    h.map(0x10001000, kPageData, kNormal);
    h.code({kStpX2X3});
    h.x(1) = 0x10000FFC;
    h.x(2) = 0x1111111122222222;
    h.x(3) = 0x3333333344444444;
    h.enable();
    ASSERT_EQ(h.step(1), Stop::Irq);
    EXPECT_EQ(h.read64(kPageData + 0x3FF8) >> 32, 0x22222222u);
    EXPECT_EQ(h.read64(kPageData), 0x4444444411111111u);
    EXPECT_EQ(h.read64(kPageData + 8) & 0xFFFFFFFF, 0x33333333u);
}

// DC ZVA to Device memory is an Alignment fault with stage 1 on too.
TEST(MmuFault, DcZvaToDevice) {
    MmuHarness h;
    h.map(0x10000000, kPageData, kAF | kAttrDev);
    run_to_fault(h, kDcZva, 0x10000040);
    expect_data_abort(h, 0x21, 0x10000040, true);
}

// DC ZVA to Normal memory zeroes exactly the aligned 64-byte block holding
// Xt, however Xt is aligned.
TEST(MmuFault, DcZvaZeroesItsBlockOnly) {
    MmuHarness h;
    h.map(0x10000000, kPageData, kNormal);
    for (uint64_t off = 0x40; off < 0x100; off += 8) h.put64(kPageData + off, ~0ull);
    h.code({kDcZva});
    h.x(1) = 0x10000080 + 0x2C;
    h.enable();
    ASSERT_EQ(h.step(1), Stop::Irq);
    EXPECT_EQ(h.read64(kPageData + 0x78), ~0ull);
    for (uint64_t off = 0x80; off < 0xC0; off += 8) EXPECT_EQ(h.read64(kPageData + off), 0u);
    EXPECT_EQ(h.read64(kPageData + 0xC0), ~0ull);
    EXPECT_EQ(h.pc(), kCodeBase + 4);
}

// A descriptor read outside stage 2 is a stage 2 fault on the stage 1 walk:
// EC 0x24 to EL2, S1PTW = 1, ISV = 0, HPFAR_EL2 = the descriptor's IPA,
// FAR_EL2 = the VA.
TEST(MmuFault, Stage2FaultOnWalk) {
    MmuHarness h;
    h.cpu.state().el1.ttbr1 = 0x10000000;  // no RAM there
    h.code({kLdrX0});
    h.x(1) = 0xFFFF000000001000;
    h.enable();
    ASSERT_EQ(h.step(1), Stop::Trap);
    const auto& el2 = h.cpu.state().el2;
    EXPECT_EQ(arch::esr_ec(el2.esr), arch::EC::DataAbortLow);
    const uint32_t iss = arch::esr_iss(el2.esr);
    EXPECT_TRUE(iss & arch::dabt::kS1PTW);
    EXPECT_FALSE(iss & arch::dabt::kISV);
    EXPECT_EQ(iss & 0x3F, 0x07u);
    const uint64_t desc_ipa = 0x10000000 + ((0xFFFF000000001000 >> 39) & 511) * 8;
    EXPECT_EQ(el2.hpfar, (desc_ipa >> 12) << 4);
    EXPECT_EQ(el2.far, 0xFFFF000000001000u);
    EXPECT_EQ(el2.elr, kCodeBase);
}

// The same on an instruction fetch: an Instruction Abort (EC 0x20), S1PTW.
TEST(MmuFault, Stage2FaultOnFetchWalk) {
    MmuHarness h;
    h.cpu.state().el1.ttbr0 = 0x20000000;
    h.code({0xd503201f});  // nop
    h.enable();
    ASSERT_EQ(h.step(1), Stop::Trap);
    const auto& el2 = h.cpu.state().el2;
    EXPECT_EQ(arch::esr_ec(el2.esr), arch::EC::InstrAbortLow);
    EXPECT_TRUE(arch::esr_iss(el2.esr) & arch::dabt::kS1PTW);
    EXPECT_EQ(el2.hpfar, (0x20000000ull >> 12) << 4);
    EXPECT_EQ(el2.far, kCodeBase);
}

// A TTBR base address beyond the output size (IPS = 32 bits) is a level-0
// Address size fault, whatever the start level.
TEST(MmuFault, TtbrAddressSizeIsLevel0) {
    MmuHarness h(12, 16, 25);
    h.cpu.state().el1.tcr &= ~(7ull << 32);
    h.cpu.state().el1.ttbr1 = 0x100000000;
    run_to_fault(h, kLdrX0, 0xFFFFFFFF00000000);
    expect_data_abort(h, 0x00, 0xFFFFFFFF00000000);
}

// The Access flag fault of a 2 MiB block is reported at level 2.
TEST(MmuFault, AccessFlagFaultOnBlock) {
    MmuHarness h;
    h.map(0x80000000, kRamBase, kNormal & ~kAF, 2);
    run_to_fault(h, kLdrX0, 0x80000000 + 0x1000);
    expect_data_abort(h, 0x0A, 0x80001000);
}

}  // namespace
}  // namespace cpu::test
