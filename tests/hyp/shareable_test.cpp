// The vcpus of a VM form one Inner Shareable domain (D8.16.3 "Broadcast TLB
// maintenance"): a broadcast TLBI on one reaches the TLBs of all, those
// created later included; KVM sets HCR_EL2.FB, so the guest's local forms
// broadcast too (HCR_GUEST_FLAGS in Linux's kvm_arm.h). They share their
// record of which guest memory holds decoded code, so a store by one to code
// another decoded is seen.
#include <gtest/gtest.h>

#include "cpu/state.h"
#include "tests/hyp/vcpu_fixture.h"

namespace hyp {
namespace {

struct Shareable : test::VcpuTest {};

cpu::TlbEntry entry(uint64_t va) {
    cpu::TlbEntry e;
    e.va = e.leaf_va = va;
    e.global = true;
    return e;
}

TEST_F(Shareable, BroadcastTlbiReachesEveryVcpu) {
    KvmVcpu* second = kvm.create_vcpu(1).value();
    ASSERT_TRUE(second->init(test::psci_init(/*power_off=*/true)));
    KvmVcpu* third = kvm.create_vcpu(2).value();
    ASSERT_TRUE(third->init(test::psci_init(/*power_off=*/true)));
    for (KvmVcpu* u : {v, second, third}) u->cpu().tlb().insert(entry(0x1000));
    v->cpu().tlb_maintenance(true, [](cpu::Tlb& t) { t.invalidate_all(); });
    for (KvmVcpu* u : {v, second, third}) EXPECT_EQ(u->cpu().tlb().lookup(0x1000, 0), nullptr);
}

TEST_F(Shareable, VcpusShareTheirCodeLines) {
    KvmVcpu* second = kvm.create_vcpu(1).value();
    cpu::Stage2& s2 = second->cpu().stage2();
    s2.mark_code(&s2.regions().front(), test::kRam + 0x1000, 4);
    const cpu::Stage2& s0 = v->cpu().stage2();
    EXPECT_TRUE(s0.holds_code(&s0.regions().front(), test::kRam + 0x1000, 4));
}

TEST_F(Shareable, GuestRunsWithForceBroadcast) {
    EXPECT_TRUE(v->cpu().state().el2.hcr & cpu::hcr::kFB);
}

}  // namespace
}  // namespace hyp
