// Stage-2 aborts through handle_exit, driven with synthetic exits: the test
// sets ESR_EL2/FAR_EL2/HPFAR_EL2 as the CPU would and checks what the
// hypervisor does with each (Linux: kvm_handle_guest_abort).
#include <gtest/gtest.h>

#include <vector>

#include "arch/esr.h"
#include "hyp/emulate.h"
#include "tests/hyp/vcpu_fixture.h"

namespace hyp {
namespace {

using test::kPc;
using test::kVbar;

struct GuestAbort : test::VcpuTest {
    // The data abort the CPU takes to EL2 for an access at va whose IPA has
    // no memory behind it.
    ExitAction abort(arch::EC ec, uint32_t iss, uint64_t va, uint64_t ipa) {
        auto& el2 = v->cpu().state().el2;
        el2.esr = arch::esr(ec, iss);
        el2.far = va;
        el2.hpfar = (ipa >> 12) << 4;
        return handle_exit(*v);
    }
    const cpu::El1Regs& el1() { return v->cpu().state().el1; }
};

// A guest's own page-table walk read an IPA with no memory: not MMIO, the
// guest gets a synchronous external abort on the access it was making.
TEST_F(GuestAbort, WalkOutsideMemoryInjectsDataAbort) {
    const uint32_t iss = arch::dabt::kS1PTW | (arch::fsc::kTranslationL0 + 1);
    EXPECT_EQ(abort(arch::EC::DataAbortLow, iss, 0x12345678, 0x20000000), ExitAction::Resume);
    EXPECT_EQ(el1().esr, arch::esr(arch::EC::DataAbortCur, arch::fsc::kSyncExternal))
        << "got ESR_EL1 " << std::hex << el1().esr;
    EXPECT_EQ(el1().far, 0x12345678u) << "FAR_EL1 is the VA the guest accessed";
    EXPECT_EQ(el1().elr, kPc);
    EXPECT_EQ(v->pc(), kVbar + 0x200);
}

// The same walk for an instruction fetch is a prefetch abort.
TEST_F(GuestAbort, FetchWalkOutsideMemoryInjectsPrefetchAbort) {
    const uint32_t iss = arch::dabt::kS1PTW | (arch::fsc::kTranslationL0 + 1);
    EXPECT_EQ(abort(arch::EC::InstrAbortLow, iss, kPc, 0x20000000), ExitAction::Resume);
    EXPECT_EQ(arch::esr_ec(el1().esr), arch::EC::InstrAbortCur);
}

// An access the hypervisor cannot decode (no syndrome) goes to userspace.
TEST_F(GuestAbort, DataAccessWithoutSyndromeIsArmNisv) {
    const uint32_t iss = arch::fsc::kTranslationL0 + 3;
    EXPECT_EQ(abort(arch::EC::DataAbortLow, iss, 0x0a000010, 0x0a000010), ExitAction::ExitToUser);
    EXPECT_EQ(v->run_state().exit_reason, kvm::ExitReason::ArmNisv);
    EXPECT_EQ(v->run_state().arm_nisv.fault_ipa, 0x0a000010u);
}

// KVM_ARM_VCPU_INIT resets the vcpu: no translation cached before survives.
TEST_F(GuestAbort, InitEmptiesTheTlb) {
    cpu::TlbEntry e;
    e.va = 0x1000;
    e.global = true;
    v->cpu().tlb().insert(e);
    ASSERT_NE(v->cpu().tlb().lookup(0x1000, 0), nullptr);
    ASSERT_TRUE(v->init(test::psci_init()));
    EXPECT_EQ(v->cpu().tlb().lookup(0x1000, 0), nullptr);
}

}  // namespace
}  // namespace hyp
