// The userspace MMIO round trip (guests/mmio_read.S): the vcpu exits with
// MMIO, the host answers in RunState, and the next run() completes the
// access -- Xt loaded, PC advanced -- before anything else executes.
#include <cstring>

#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

constexpr uint64_t kDevice = 0x09030000;

void answer(RunState& run, uint64_t value) {
    std::memcpy(run.mmio.data, &value, run.mmio.len);
}

TEST(Mmio, ReadsAndWritesRoundTripThroughUserspace) {
    VmFixture f("mmio_read");

    // guest: ldr w1, [x0]  -- 32-bit read
    RunState* run = &f.run();
    ASSERT_EQ(run->exit_reason, ExitReason::Mmio) << "got " << exit_reason_name(run->exit_reason);
    EXPECT_EQ(run->mmio.phys_addr, kDevice);
    EXPECT_EQ(run->mmio.len, 4u);
    EXPECT_FALSE(run->mmio.is_write);
    const uint64_t pc_at_load = f.reg(reg::kPc);
    EXPECT_EQ(pc_at_load, kGuestLoad + 4) << "PC stays at the load until it completes";
    answer(*run, 0xfedcba98);

    // guest: ldrsh x2, [x0, #8] -- 16-bit read, sign-extended
    run = &f.run();
    ASSERT_EQ(run->exit_reason, ExitReason::Mmio);
    EXPECT_EQ(f.reg(reg::x(1)), 0xfedcba98u) << "32-bit read zero-extends into X1";
    EXPECT_EQ(run->mmio.phys_addr, kDevice + 8);
    EXPECT_EQ(run->mmio.len, 2u);
    answer(*run, 0x8001);

    // guest: ldrb w3, [x0, #1]
    run = &f.run();
    ASSERT_EQ(run->exit_reason, ExitReason::Mmio);
    EXPECT_EQ(f.reg(reg::x(2)), 0xffffffffffff8001u) << "LDRSH to X sign-extends";
    EXPECT_EQ(run->mmio.len, 1u);
    answer(*run, 0x1ff);  // only len bytes count

    // guest: str x1, [x0, #16] -- 64-bit write of X1
    run = &f.run();
    ASSERT_EQ(run->exit_reason, ExitReason::Mmio);
    EXPECT_EQ(f.reg(reg::x(3)), 0xffu);
    EXPECT_TRUE(run->mmio.is_write);
    EXPECT_EQ(run->mmio.len, 8u);
    EXPECT_EQ(run->mmio.phys_addr, kDevice + 16);
    uint64_t written = 0;
    std::memcpy(&written, run->mmio.data, 8);
    EXPECT_EQ(written, 0xfedcba98u);

    // guest: ldp x4, x5, [x0] -- no instruction syndrome: ARM_NISV
    run = &f.run();
    ASSERT_EQ(run->exit_reason, ExitReason::ArmNisv) << "got " << exit_reason_name(run->exit_reason);
    EXPECT_EQ(run->arm_nisv.fault_ipa, kDevice);
    EXPECT_EQ(run->arm_nisv.esr_iss & (1u << 24), 0u) << "ISV clear";
}

TEST(Mmio, ImmediateExitCompletesPendingMmioThenReturnsIntr) {
    VmFixture f("mmio_read");
    RunState* run = &f.run();
    ASSERT_EQ(run->exit_reason, ExitReason::Mmio);
    answer(*run, 0x1234);
    run->immediate_exit = 1;
    run = &f.run();
    EXPECT_EQ(run->exit_reason, ExitReason::Intr);
    EXPECT_EQ(f.reg(reg::x(1)), 0x1234u) << "the read completed before returning";
    EXPECT_EQ(f.reg(reg::kPc), kGuestLoad + 8) << "and only the load was retired";
}

TEST(Vcpu, RunBeforeInitIsAnError) {
    auto vm = std::move(Vm::create().value());
    Vcpu* v = vm->create_vcpu(0).value();
    auto r = v->run();
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("before init"), std::string::npos) << r.error().message;
}

TEST(Vm, OverlappingAndUnalignedRegionsAreRejected) {
    auto vm = std::move(Vm::create().value());
    std::vector<uint8_t> a(0x4000), b(0x4000);
    EXPECT_TRUE(vm->set_user_memory_region({0, 0, 0x40000000, 0x4000, a.data()}));
    auto overlap = vm->set_user_memory_region({1, 0, 0x40002000, 0x4000, b.data()});
    ASSERT_FALSE(overlap);
    EXPECT_NE(overlap.error().message.find("overlaps slot 0"), std::string::npos);
    auto unaligned = vm->set_user_memory_region({1, 0, 0x50000010, 0x4000, b.data()});
    ASSERT_FALSE(unaligned);
    EXPECT_NE(unaligned.error().message.find("0x50000010"), std::string::npos);
}

TEST(Vcpu, UnknownOneRegAndBadPstateAreErrors) {
    VmFixture f("mmio_read");
    auto r = f.vcpu->get_one_reg(0x1234);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("0x1234"), std::string::npos);
    auto p = f.vcpu->set_one_reg(reg::kPstate, 0x3c9);  // EL2h
    ASSERT_FALSE(p);
    EXPECT_NE(p.error().message.find("0x3c9"), std::string::npos);
}

}  // namespace
}  // namespace kvm::test
