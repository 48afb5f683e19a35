// A stepped FP instruction rounds as FPCR says, whatever the host thread's
// MXCSR: run() does not sample MXCSR for a run that starts one instruction
// at a time (a debugger stepping), and must then not trust an older sample
// either (docs/fp.md, "the MXCSR sample").
#include <xmmintrin.h>

#include <array>
#include <cstring>

#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

constexpr uint32_t kFaddD0 = 0x1E622820;  // FADD D0, D1, D2
constexpr uint32_t kFaddD3 = 0x1E622823;  // FADD D3, D1, D2
constexpr uint32_t kB = 0x14000000;       // B .
constexpr uint64_t kCpacrEl1 = reg::sysreg(3, 0, 1, 0, 2);
constexpr uint64_t kFpenAll = 3ull << 20;  // CPACR_EL1.FPEN: no trap at EL1 or EL0
constexpr uint32_t kFpsrIxc = 1u << 4;

std::array<uint8_t, 16> vreg_of(double d) {
    std::array<uint8_t, 16> b{};
    std::memcpy(b.data(), &d, 8);
    return b;
}

double d_of(Vcpu& v, unsigned n) {
    std::array<uint8_t, 16> b{};
    EXPECT_TRUE(v.get_one_reg(reg::v(n), b));
    double d;
    std::memcpy(&d, b.data(), 8);
    return d;
}

TEST(StepHostFp, SteppedFaddRoundsToNearestUnderAHostRoundingTowardZero) {
    VmFixture f("hello");
    const std::array<uint32_t, 3> code{kFaddD0, kFaddD3, kB};
    std::memcpy(f.ram.data() + (kGuestLoad - kRamBase), code.data(), sizeof code);
    f.vm->memory_written(kGuestLoad, sizeof code);
    ASSERT_TRUE(f.vcpu->set_one_reg(kCpacrEl1, kFpenAll));
    // 1 + 2^-53 + 2^-80: to nearest 1 + 2^-52, toward zero 1. FPSR.IXC set
    // and FPCR = RN: the fast path's "host value alone" way applies.
    const double a = 1.0, b = 0x1p-53 + 0x1p-80, nearest = 1.0 + 0x1p-52;
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::v(1), vreg_of(a)));
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::v(2), vreg_of(b)));
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::kFpsr, std::array<uint8_t, 4>{uint8_t(kFpsrIxc), 0, 0, 0}));

    // A run under the host's default MXCSR: it is sampled.
    f.vcpu->set_insn_limit(f.vcpu->retired_insns() + 1);
    ASSERT_EQ(f.run().exit_reason, ExitReason::Intr);
    EXPECT_EQ(d_of(*f.vcpu, 0), nearest);

    // The host now rounds toward zero; the stepped FADD must not use it.
    GuestDebugSettings dbg;
    dbg.control = guestdbg::kEnable | guestdbg::kSingleStep;
    ASSERT_TRUE(f.vcpu->set_guest_debug(dbg));
    f.vcpu->set_insn_limit(Vcpu::kNoInsnLimit);
    const unsigned host = _mm_getcsr();
    _mm_setcsr(host | _MM_ROUND_TOWARD_ZERO);
    const ExitReason stepped = f.run().exit_reason;
    _mm_setcsr(host);
    ASSERT_EQ(stepped, ExitReason::Debug);
    EXPECT_EQ(f.reg(reg::kPc), kGuestLoad + 8) << "one FADD stepped";
    EXPECT_EQ(d_of(*f.vcpu, 3), nearest) << "rounded as the host's MXCSR, not FPCR";
}

}  // namespace
}  // namespace kvm::test
