// Lazy FP/SIMD switching (hyp/fpsimd.h; Linux: kvm_hyp_handle_fpsimd,
// arch/arm64/kvm/fpsimd.c): the host owns the registers at each run()
// entry, the guest's first SIMD&FP instruction traps once to the fast path
// and runs again, the guest's state is saved when run() returns, and one_reg
// reads and writes whichever copy is the guest's.
#include <array>
#include <cstring>
#include <vector>

#include "arch/fpsimd.h"
#include "cpu/sysregs.h"
#include "tests/hyp/vcpu_fixture.h"

namespace hyp::test {
namespace {

constexpr uint32_t kMsrFpsrX1 = 0xd51b4421;  // msr fpsr, x1
constexpr uint32_t kMrsX2Fpcr = 0xd53b4402;  // mrs x2, fpcr
constexpr uint32_t kMrsX3Fpsr = 0xd53b4423;  // mrs x3, fpsr
constexpr uint32_t kFmovX2D7 = 0x9e6600e2;   // fmov x2, d7
constexpr uint32_t kFmovD7X3 = 0x9e670067;   // fmov d7, x3
constexpr uint64_t kFpenAll = 3ull << cpu::cpacr::kFPENShift;
constexpr uint32_t kFpAccessIss = 0x1E00000;  // CV = 1, COND = 0xE

struct Fpsimd : VcpuTest {
    std::vector<ExitEvent> events;

    void SetUp() override {
        VcpuTest::SetUp();
        kvm.exit_trace = [this](const ExitEvent& e) { events.push_back(e); };
    }
    void code(std::initializer_list<uint32_t> words) {
        std::memcpy(ram.data() + (kPc - kRam), std::data(words), words.size() * 4);
        kvm.memory_written(kPc, words.size() * 4);
    }
    // One run() that retires exactly n instructions (then INTR).
    void run(uint64_t n) {
        v->insn_limit = v->cpu().retired() + n;
        ASSERT_TRUE(v->run());
        ASSERT_EQ(v->run_state().exit_reason, kvm::ExitReason::Intr);
    }
    unsigned fp_traps() const {
        unsigned n = 0;
        for (const ExitEvent& e : events) n += e.ec == uint8_t(arch::EC::FpAccess);
        return n;
    }
    void expect_host_owns() {
        const FpsimdState host = host_fpsimd_pattern();
        EXPECT_EQ(v->fpsimd.owner, FpOwner::Host);
        EXPECT_TRUE(v->cpu().state().v == host.v) << "the CPU holds the host's V registers";
        EXPECT_EQ(v->cpu().state().fpcr, host.fpcr);
        EXPECT_EQ(v->cpu().state().fpsr, host.fpsr);
        EXPECT_TRUE(v->cpu().state().el2.cptr & cpu::cptr::kTFP);
    }
};

TEST_F(Fpsimd, HostOwnsTheRegistersAfterResetAndBetweenRuns) {
    expect_host_owns();
    EXPECT_EQ(v->get_one_reg(kvm::reg::kFpcr).value(), 0u) << "the guest's registers reset to zero";
    code({kMsrFpsrX1});
    v->cpu().state().el1.cpacr = kFpenAll;
    v->set_reg(1, ~0ull);
    run(1);
    expect_host_owns();
    EXPECT_EQ(v->get_one_reg(kvm::reg::kFpsr).value(), 0x0800009Fu) << "saved when run() returned";
}

// The trap is a fast-path exit with EC 0x07 at the instruction, which then
// runs: one instruction retired, PC + 4, the guest's own FPCR seen.
TEST_F(Fpsimd, FirstInstructionTrapsOnceAndRunsAgain) {
    code({kMrsX2Fpcr, kMrsX3Fpsr});
    v->cpu().state().el1.cpacr = kFpenAll;
    ASSERT_TRUE(v->set_one_reg(kvm::reg::kFpcr, arch::fpcr::kAHP | (1u << arch::fpcr::kRModeShift)));
    ASSERT_TRUE(v->set_one_reg(kvm::reg::kFpsr, arch::fpsr::kQC));
    run(2);
    EXPECT_EQ(v->pc(), kPc + 8);
    EXPECT_EQ(v->get_reg(2), arch::fpcr::kAHP | (1u << arch::fpcr::kRModeShift));
    EXPECT_EQ(v->get_reg(3), arch::fpsr::kQC);
    ASSERT_EQ(fp_traps(), 1u) << "at most one trap per run()";
    EXPECT_EQ(events[0].handled_by, ExitHandledBy::FastPath);
    EXPECT_EQ(events[0].pc, kPc);
    EXPECT_EQ(events[0].iss, kFpAccessIss);
    v->pc() = kPc;
    run(1);  // a new run(): the host owns the registers again, so it traps again
    EXPECT_EQ(fp_traps(), 2u);
}

// While the guest owns the registers (inside run(): the exit-trace hook),
// one_reg reads and writes the CPU's; afterwards the vcpu's copy.
TEST_F(Fpsimd, OneRegReachesTheGuestsCopyWhereverItIs) {
    code({kMrsX2Fpcr, kMrsX3Fpsr});
    v->cpu().state().el1.cpacr = kFpenAll;
    std::array<uint8_t, 16> q{};
    q[0] = 0x11;
    q[15] = 0xEE;
    ASSERT_TRUE(v->set_one_reg(kvm::reg::v(7), q));
    std::array<uint8_t, 16> seen{};
    kvm.exit_trace = [&](const ExitEvent& e) {
        if (e.ec != uint8_t(arch::EC::FpAccess)) return;
        EXPECT_EQ(v->fpsimd.owner, FpOwner::Guest);
        EXPECT_TRUE(v->get_one_reg(kvm::reg::v(7), seen));
        EXPECT_TRUE(v->set_one_reg(kvm::reg::kFpsr, arch::fpsr::kIXC));
    };
    run(2);
    EXPECT_EQ(seen, q);
    EXPECT_TRUE(v->cpu().state().v[7].bytes()[0] != 0x11) << "the host's V7 is back in the CPU";
    EXPECT_EQ(v->get_reg(3), arch::fpsr::kIXC) << "a write during the run reached the guest";
    EXPECT_EQ(v->get_one_reg(kvm::reg::kFpsr).value(), arch::fpsr::kIXC);
}

// A data-processing instruction reads and writes the guest's V registers,
// never the host's, and its result reaches the vcpu's copy.
TEST_F(Fpsimd, GuestInstructionsSeeOnlyTheGuestsRegisters) {
    code({kFmovX2D7, kFmovD7X3});
    v->cpu().state().el1.cpacr = kFpenAll;
    std::array<uint8_t, 16> q{};
    q[0] = 0x5A;
    q[8] = 0xA5;
    ASSERT_TRUE(v->set_one_reg(kvm::reg::v(7), q));
    v->set_reg(3, 0x1234);
    run(2);
    EXPECT_EQ(v->get_reg(2), 0x5Au) << "the guest's D7, not the host's";
    std::array<uint8_t, 16> got{};
    ASSERT_TRUE(v->get_one_reg(kvm::reg::v(7), got));
    EXPECT_EQ(got, (std::array<uint8_t, 16>{0x34, 0x12})) << "FMOV D7 zeroes the upper half";
    EXPECT_EQ(fp_traps(), 1u);
    expect_host_owns();
}

// CPACR_EL1.FPEN comes first (AArch64.CheckFPEnabled): the guest's own EL1
// takes EC 0x07, the hypervisor sees nothing and keeps the registers.
TEST_F(Fpsimd, CpacrTrapGoesToTheGuestBeforeTfp) {
    code({kMrsX2Fpcr});
    const uint32_t nop = 0xd503201f;
    std::memcpy(ram.data() + (kVbar + 0x200 - kRam), &nop, 4);  // current EL, SP_ELx, synchronous
    kvm.memory_written(kVbar + 0x200, 4);
    v->cpu().state().el1.cpacr = 0;
    run(1);  // the exception entry, then the vector's NOP
    EXPECT_EQ(fp_traps(), 0u);
    EXPECT_EQ(v->cpu().state().el1.esr, 0x1FE00000u);
    EXPECT_EQ(v->cpu().state().el1.elr, kPc);
    expect_host_owns();
}

}  // namespace
}  // namespace hyp::test
