// The debugger's software breakpoints by address (Vcpu::set_sw_breakpoints):
// the vcpu stops before the instruction with a BRK #0's DEBUG exit, guest
// memory is never written, and code the guest rewrites under a breakpoint
// is both what it reads back and what runs (guests/code_patch.S).
#include <cstring>

#include "arch/esr.h"
#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

// guests/code_patch.S, from _start.
constexpr uint64_t kPatchMe = kGuestLoad + 0x0c;   // add x1, x1, #1 (loop head)
constexpr uint64_t kBranch = kGuestLoad + 0x14;    // b.ne loop (inside the loop's block)
constexpr uint64_t kAfterIsb = kGuestLoad + 0x40;  // b pass, after the guest's patch
constexpr uint32_t kAddOne = 0x91000421;           // add x1, x1, #1
constexpr uint32_t kAddThree = 0x91000c21;         // add x1, x1, #3

uint32_t word_at(const VmFixture& f, uint64_t ipa) {
    uint32_t w;
    std::memcpy(&w, &f.ram[ipa - kRamBase], 4);
    return w;
}

void debug_with_sw_breakpoints(VmFixture& f, std::vector<uint64_t> vas, bool use_sw_bp = true) {
    GuestDebugSettings d;
    d.control = guestdbg::kEnable | (use_sw_bp ? guestdbg::kUseSwBp : 0);
    ASSERT_TRUE(f.vcpu->set_guest_debug(d));
    ASSERT_TRUE(f.vcpu->set_sw_breakpoints(vas));
}

// A stop at `pc` as a BRK #0 trapped by MDCR_EL2.TDE reports it.
void expect_breakpoint_exit(VmFixture& f, uint64_t pc) {
    const RunState& r = f.run();
    ASSERT_EQ(r.exit_reason, ExitReason::Debug);
    const uint64_t hsr = uint64_t(r.debug.hsr_high) << 32 | r.debug.hsr;
    EXPECT_EQ(arch::esr_ec(hsr), arch::EC::BRK64) << std::hex << "hsr 0x" << hsr;
    EXPECT_EQ(arch::esr_iss(hsr), 0u) << "ISS = the immediate of BRK #0";
    EXPECT_EQ(f.reg(reg::kPc), pc) << std::hex << "got pc 0x" << f.reg(reg::kPc);
}

TEST(SwBreakpoint, StopsBeforeTheInstructionWithoutWritingGuestMemory) {
    VmFixture f("code_patch");
    const std::vector<uint8_t> before = f.ram;
    debug_with_sw_breakpoints(f, {kBranch});
    EXPECT_EQ(f.ram, before) << "setting a breakpoint wrote guest RAM";
    expect_breakpoint_exit(f, kBranch);
    EXPECT_EQ(f.reg(reg::x(1)), 1u) << "the add before it in the same block ran";
    EXPECT_EQ(f.reg(reg::x(3)), 999u) << "so did the subs";
    expect_breakpoint_exit(f, kBranch);  // still there: nothing ran
    EXPECT_EQ(f.reg(reg::x(3)), 999u);
    EXPECT_EQ(f.ram, before);
}

TEST(SwBreakpoint, OnlyWithUseSwBpAndGoneWhenRemoved) {
    VmFixture f("code_patch");
    debug_with_sw_breakpoints(f, {kPatchMe}, false);
    RunState* r = &f.run();
    EXPECT_EQ(r->exit_reason, ExitReason::Mmio) << "without USE_SW_BP the list is inert";
    EXPECT_EQ(f.reg(reg::x(1)), 4000u);

    VmFixture g("code_patch");
    debug_with_sw_breakpoints(g, {kPatchMe});
    expect_breakpoint_exit(g, kPatchMe);
    ASSERT_TRUE(g.vcpu->set_sw_breakpoints({}));
    r = &g.run();
    EXPECT_EQ(r->exit_reason, ExitReason::Mmio);
    EXPECT_EQ(g.reg(reg::x(1)), 4000u);
}

// What breaks when a debugger plants BRK words: the guest's store would land
// on the BRK (or the BRK's restore would undo the store). Here the store is
// the guest's, the breakpoint still stops the patched instruction, and the
// patched instruction is what runs.
TEST(SwBreakpoint, TheGuestPatchesCodeUnderABreakpoint) {
    VmFixture f("code_patch");
    debug_with_sw_breakpoints(f, {kPatchMe});
    expect_breakpoint_exit(f, kPatchMe);
    EXPECT_EQ(f.reg(reg::x(1)), 0u);
    EXPECT_EQ(word_at(f, kPatchMe), kAddOne);

    ASSERT_TRUE(f.vcpu->set_sw_breakpoints(std::vector<uint64_t>{kAfterIsb}));
    expect_breakpoint_exit(f, kAfterIsb);
    EXPECT_EQ(f.reg(reg::x(1)), 1000u);
    EXPECT_EQ(word_at(f, kPatchMe), kAddThree) << "the guest's store is in its code";

    ASSERT_TRUE(f.vcpu->set_sw_breakpoints(std::vector<uint64_t>{kPatchMe}));
    expect_breakpoint_exit(f, kPatchMe);
    EXPECT_EQ(f.reg(reg::x(1)), 1000u);
    ASSERT_TRUE(f.vcpu->set_sw_breakpoints({}));
    const RunState& r = f.run();
    EXPECT_EQ(r.exit_reason, ExitReason::Mmio);
    EXPECT_EQ(f.reg(reg::x(1)), 4000u) << "1000 x add #1, then 1000 x the patched add #3";
}

TEST(SwBreakpoint, TheListIsBounded) {
    VmFixture f("code_patch");
    EXPECT_EQ(f.vm->check_extension(Cap::SwBreakpoints), int64_t(kMaxSwBreakpoints));
    std::vector<uint64_t> many(kMaxSwBreakpoints + 1);
    for (size_t i = 0; i < many.size(); ++i) many[i] = 4 * i;
    auto r = f.vcpu->set_sw_breakpoints(many);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("65537"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace kvm::test
