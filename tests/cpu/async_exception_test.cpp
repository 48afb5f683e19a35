// Virtual interrupts the hypervisor raises through HCR_EL2.VI/VF/VSE are
// taken to VBAR_EL1 at the IRQ/FIQ/SError offsets when PSTATE does not mask
// them (D1.3.6 "Virtual interrupts", D1.10.2 vector offsets).
#include <gtest/gtest.h>

#include "arch/esr.h"
#include "tests/cpu/harness.h"

namespace cpu::test {
namespace {

constexpr uint32_t kNop = 0xd503201f;  // nop

struct Async : ::testing::Test {
    Harness h;
    void SetUp() override {
        h.code({kNop, kNop, kNop});
        h.cpu.state().el2.hcr = hcr::kIMO | hcr::kFMO | hcr::kAMO;
    }
    const State& s() { return h.cpu.state(); }
};

TEST_F(Async, VirtualIrqTakenAtIrqOffsetWhenUnmasked) {
    h.cpu.state().pstate.i = false;
    h.cpu.state().el2.hcr |= hcr::kVI;
    h.step(1);
    EXPECT_EQ(s().el1.elr, kCodeBase) << "taken before the first instruction";
    EXPECT_EQ(s().pc, s().el1.vbar + 0x280 + 0) << "current EL, SP_ELx, IRQ";
    EXPECT_TRUE(s().pstate.i);
    EXPECT_FALSE(arch::PState::from_spsr(s().el1.spsr).i);
}

TEST_F(Async, VirtualIrqMaskedByPstateI) {
    h.cpu.state().el2.hcr |= hcr::kVI;
    h.step(2);
    EXPECT_EQ(s().pc, kCodeBase + 8);
}

TEST_F(Async, VirtualIrqIgnoredWithoutImo) {
    h.cpu.state().pstate.i = false;
    h.cpu.state().el2.hcr = hcr::kVI;  // IMO clear: VI has no effect
    h.step(2);
    EXPECT_EQ(s().pc, kCodeBase + 8);
}

TEST_F(Async, VirtualFiqTakenAtFiqOffsetFromEl0) {
    h.cpu.state().pstate.el = 0;
    h.cpu.state().pstate.sp = false;
    h.cpu.state().pstate.f = false;
    h.cpu.state().el2.hcr |= hcr::kVF;
    h.step(1);
    EXPECT_EQ(s().pc, s().el1.vbar + 0x400 + 0x100) << "lower EL AArch64, FIQ";
}

TEST_F(Async, VirtualSErrorTakenOnceAndVseClears) {
    h.cpu.state().pstate.a = false;
    h.cpu.state().el2.hcr |= hcr::kVSE;
    h.step(1);
    EXPECT_EQ(s().pc, s().el1.vbar + 0x380);
    EXPECT_EQ(arch::esr_ec(s().el1.esr), arch::EC::SError);
    EXPECT_EQ(s().el2.hcr & hcr::kVSE, 0u) << "taking a virtual SError clears HCR_EL2.VSE";
}

// Simultaneous pending interrupts: SError, then FIQ, then IRQ
// (docs/architecture-choices.md).
TEST_F(Async, SErrorOutranksFiqAndIrq) {
    auto& st = h.cpu.state();
    st.pstate.a = st.pstate.i = st.pstate.f = false;
    st.el2.hcr |= hcr::kVSE | hcr::kVI | hcr::kVF;
    h.step(1);
    EXPECT_EQ(s().pc, s().el1.vbar + 0x380);
}

TEST_F(Async, FiqOutranksIrq) {
    auto& st = h.cpu.state();
    st.pstate.i = st.pstate.f = false;
    st.el2.hcr |= hcr::kVI | hcr::kVF;
    h.step(1);
    EXPECT_EQ(s().pc, s().el1.vbar + 0x300);
}

}  // namespace
}  // namespace cpu::test
