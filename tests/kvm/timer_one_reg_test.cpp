// The timer through KVM_GET/SET_ONE_REG with the UAPI's ids, including the
// swapped TIMER_CVAL/TIMER_CNT encodings, read back from a guest.
#include "cpu/timer.h"
#include "hyp/kvm_host.h"
#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

constexpr uint32_t kMrsCntvCval = 0xd53be342;  // mrs x2, cntv_cval_el0
constexpr uint32_t kMrsCntvct = 0xd53be043;    // mrs x3, cntvct_el0
constexpr uint32_t kHvcOff = 0xd4000002;       // hvc #0 with x0 = SYSTEM_OFF

TEST(TimerOneReg, CvalIdWritesCntvCvalAndCntIdWritesTheVirtualCount) {
    VmFixture f("hello");
    uint32_t code[] = {kMrsCntvCval, kMrsCntvct, kHvcOff};
    std::memcpy(&f.ram[kGuestLoad - kRamBase], code, sizeof code);
    f.vm->memory_written(kGuestLoad, sizeof code);
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::x(0), 0x84000008));
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::kTimerCval, 0x1234));
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::kTimerCnt, 1000000));
    EXPECT_EQ(f.reg(reg::kTimerCval), 0x1234u);
    EXPECT_EQ(f.reg(reg::kTimerCnt), 1000000u) << "userspace holds the vcpu: no time passes";
    ASSERT_EQ(f.run().exit_reason, ExitReason::SystemEvent);
    EXPECT_EQ(f.reg(reg::x(2)), 0x1234u) << "KVM_REG_ARM_TIMER_CVAL is CNTV_CVAL_EL0";
    const uint64_t cnt = f.reg(reg::x(3));
    EXPECT_GE(cnt, 1000000u);
    EXPECT_LE(cnt, 1000000u + 2 * cpu::kCounterTicksPerInsn) << "got " << cnt;
}

TEST(TimerOneReg, ControlRegistersAndThePhysicalCount) {
    VmFixture f("hello");
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::kTimerCtl, 1));
    EXPECT_EQ(f.reg(reg::kTimerCtl) & 3, 1u);
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::kPtimerCval, 77));
    EXPECT_EQ(f.reg(reg::kPtimerCval), 77u);
    const uint64_t now = f.reg(reg::kPtimerCnt);
    EXPECT_TRUE(f.vcpu->set_one_reg(reg::kPtimerCnt, now)) << "the same value is accepted";
    auto r = f.vcpu->set_one_reg(reg::kPtimerCnt, now + 5);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("physical count"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace kvm::test
