// PSCI and SMCCC calls through handle_exit with synthetic HVC exits: the
// test sets X0..X3 and ESR_EL2 as an HVC #0 leaves them and checks X0 or the
// exit (DEN0022 PSCI 1.1, DEN0028 SMCCC; Linux: psci.c, hypercalls.c).
#include <gtest/gtest.h>

#include "arch/esr.h"
#include "hyp/emulate.h"
#include "tests/hyp/vcpu_fixture.h"

namespace hyp {
namespace {

struct Psci : test::VcpuTest {
    KvmVcpu* second = nullptr;

    void SetUp() override {
        VcpuTest::SetUp();
        second = kvm.create_vcpu(1).value();
        ASSERT_TRUE(second->init(test::psci_init(/*power_off=*/true)));
    }
    int64_t call(uint64_t fn, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0) {
        v->set_reg(0, fn);
        v->set_reg(1, a1);
        v->set_reg(2, a2);
        v->set_reg(3, a3);
        v->cpu().state().el2.esr = arch::esr(arch::EC::HVC64, 0);
        EXPECT_EQ(handle_exit(*v), ExitAction::Resume);
        return int64_t(v->get_reg(0));
    }
};

// SMC32/HVC32 ids take 32-bit arguments: the upper halves are ignored.
TEST_F(Psci, CpuOn32IgnoresUpperArgumentBits) {
    EXPECT_EQ(call(0x84000003, 0xFFFFFFFF00000001ull, 0xAB00000040001000ull, 0x7700000005ull), 0);
    EXPECT_FALSE(second->power_off);
    EXPECT_EQ(second->pc(), 0x40001000u);
    EXPECT_EQ(second->get_reg(0), 5u) << "x0 = context id";
    EXPECT_EQ(second->pstate().to_spsr() & 0x3C5, 0x3C5u) << "EL1h, DAIF masked";
    EXPECT_EQ(call(0x84000003, 1, 0x40001000, 0), -4) << "ALREADY_ON";
}

TEST_F(Psci, CpuOnOfAVcpuNotYetInitializedIsInvalid) {
    kvm.create_vcpu(2).value();
    EXPECT_EQ(call(0xC4000003, 2, 0x40001000, 0), -2);
}

TEST_F(Psci, SystemReset2PassesTheTypeToUserspace) {
    v->set_reg(0, 0xC4000012);
    v->set_reg(1, 0x80000001);  // a vendor reset
    v->cpu().state().el2.esr = arch::esr(arch::EC::HVC64, 0);
    ASSERT_EQ(handle_exit(*v), ExitAction::ExitToUser);
    EXPECT_EQ(v->run_state().exit_reason, kvm::ExitReason::SystemEvent);
    EXPECT_EQ(v->run_state().system_event.type, kvm::SystemEventType::Reset);
    ASSERT_EQ(v->run_state().system_event.ndata, 1u);
    EXPECT_EQ(v->run_state().system_event.data[0], 0x80000001u);
    EXPECT_EQ(call(0x84000012, 5), -2) << "type 5 is neither warm reset nor vendor";
}

TEST_F(Psci, ArchFeaturesReportsNoSpectreWorkaroundNeeded) {
    EXPECT_EQ(call(0x80000001, 0x80008000), 1) << "WORKAROUND_1: unaffected";
    EXPECT_EQ(call(0x80000001, 0x80007FFF), -2) << "WORKAROUND_2: not required";
    EXPECT_EQ(call(0x80000001, 0x80003FFF), 1) << "WORKAROUND_3: unaffected";
    EXPECT_EQ(call(0x80000001, 0x80001234), -1);
}

TEST_F(Psci, CpuOffStopsTheCallerAndAffinityInfoSeesIt) {
    EXPECT_EQ(call(0xC4000004, 1, 0), 1) << "vcpu 1 starts off";
    v->set_reg(0, 0x84000002);
    v->cpu().state().el2.esr = arch::esr(arch::EC::HVC64, 0);
    EXPECT_EQ(handle_exit(*v), ExitAction::Resume);
    EXPECT_TRUE(v->power_off);
    EXPECT_FALSE(v->runnable());
}

}  // namespace
}  // namespace hyp
