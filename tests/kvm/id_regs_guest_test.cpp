// The VM's ID registers decide what its vcpus execute: at the first KVM_RUN
// the hypervisor gives the PE the features they advertise
// (kvm_vcpu_first_run_init, cpu::features_from_id). A CAS runs on the
// default registers and is UNDEFINED once userspace lowered
// ID_AA64ISAR0_EL1.Atomic to 0, as on a cortex-a57.
#include <array>

#include "arch/sysreg.h"
#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

constexpr uint64_t kVbar = kGuestLoad + 0x1000;
constexpr uint64_t kAtomic = 0xFull << 20;  // ID_AA64ISAR0_EL1.Atomic

// Prints 'C' after the CAS completes, or 'U' from the synchronous
// exception vector (VBAR_EL1 + 0x200), then PSCI SYSTEM_OFF.
constexpr std::array<uint32_t, 6> kCas = {
    0xC8A07C41,  // cas x0, x1, [x2]
    0x52800863,  // mov w3, #'C'
    0xB9000083,  // str w3, [x4]
    0x52800100,  // mov w0, #0x8
    0x72B08000,  // movk w0, #0x8400, lsl #16 (SYSTEM_OFF)
    0xD4000002,  // hvc #0
};
constexpr std::array<uint32_t, 5> kVector = {0x52800AA3, 0xB9000083, 0x52800100, 0x72B08000,
                                             0xD4000002};  // mov w3, #'U'; as above

struct CasGuest : VmFixture {
    CasGuest() : VmFixture("hello") {
        place(kGuestLoad, kCas);
        place(kVbar + 0x200, kVector);
        EXPECT_TRUE(vcpu->set_one_reg(reg::x(2), kRamBase + 0x300000));
        EXPECT_TRUE(vcpu->set_one_reg(reg::x(4), kUartData));
        EXPECT_TRUE(vcpu->set_one_reg(reg::sysreg(arch::sysreg::VBAR_EL1.id.packed), kVbar));
    }
    template <size_t N> void place(uint64_t gpa, const std::array<uint32_t, N>& words) {
        std::memcpy(ram.data() + (gpa - kRamBase), words.data(), sizeof words);
        vm->memory_written(gpa, sizeof words);
    }
    static constexpr uint64_t kIsar0 = reg::sysreg(arch::sysreg::ID_AA64ISAR0_EL1.id.packed);
};

TEST(IdRegsGuest, CasRunsWhereTheRegistersAdvertiseLse) {
    CasGuest f;
    ASSERT_EQ(f.run_to_exit().exit_reason, ExitReason::SystemEvent);
    EXPECT_EQ(f.uart, "C");
}

TEST(IdRegsGuest, CasIsUndefinedOnceAtomicIsLowered) {
    CasGuest f;
    const uint64_t isar0 = f.reg(CasGuest::kIsar0);
    ASSERT_TRUE(f.vcpu->set_one_reg(CasGuest::kIsar0, isar0 & ~kAtomic));
    ASSERT_EQ(f.run_to_exit().exit_reason, ExitReason::SystemEvent);
    EXPECT_EQ(f.uart, "U");
    EXPECT_FALSE(f.vcpu->set_one_reg(CasGuest::kIsar0, isar0)) << "fixed once the VM ran";
}

}  // namespace
}  // namespace kvm::test
