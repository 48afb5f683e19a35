// Vcpu::translate (stepvisor's KVM_TRANSLATE) on guests/mmu_hello.c with its
// stage 1 on: the identity block over RAM, the TTBR1 alias of the UART at
// the top of the address space, and the unmapped VA the guest faults on.
#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

constexpr uint64_t kSctlrEl1 = reg::sysreg(3, 0, 1, 0, 0);

TEST(Translate, FollowsTheGuestsStageOne) {
    VmFixture f("mmu_hello");
    EXPECT_EQ(f.vcpu->translate(kGuestLoad + 0x123).value(), kGuestLoad + 0x123) << "MMU off";
    // Run to the first PL011 access made with the MMU on (through the alias).
    bool on = false;
    for (int i = 0; i < 10000 && !on; ++i) {
        RunState& r = f.run();
        ASSERT_EQ(r.exit_reason, ExitReason::Mmio);
        on = f.reg(kSctlrEl1) & 1;
    }
    ASSERT_TRUE(on);
    EXPECT_EQ(f.vcpu->translate(kGuestLoad + 0x123).value(), kGuestLoad + 0x123);
    EXPECT_EQ(f.vcpu->translate(0xFFFFFFFFFFFFF004).value(), 0x09000004u) << "the UART alias";
    EXPECT_FALSE(f.vcpu->translate(0x80000000).ok()) << "level-1 entry 2 is invalid";
    EXPECT_FALSE(f.vcpu->translate(0x0000800000000000).ok()) << "beyond T0SZ = 25";
}

}  // namespace
}  // namespace kvm::test
