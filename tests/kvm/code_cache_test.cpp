// Decoded blocks are dropped on every write to guest RAM, whichever path
// wrote it: the guest's own store into a hot loop, and the host through
// Vm::memory_written (guests/code_patch.S).
#include <cstring>

#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

uint32_t word_at(const VmFixture& f, uint64_t ipa) {
    uint32_t w;
    std::memcpy(&w, &f.ram[ipa - kRamBase], 4);
    return w;
}

TEST(CodeCache, GuestAndHostWritesToHotCodeTakeEffect) {
    VmFixture f("code_patch");
    RunState* run = &f.run();
    ASSERT_EQ(run->exit_reason, ExitReason::Mmio);
    EXPECT_EQ(f.reg(reg::x(1)), 4000u) << "1000 x (add #1) then 1000 x (add #3) after the guest's patch";

    // The spin loop's `add x6, x6, #1` follows the MMIO load at the PC.
    const uint64_t patch = f.reg(reg::kPc) + 4;
    ASSERT_EQ(word_at(f, patch), 0x910004c6u);  // add x6, x6, #1
    for (int i = 0; i < 10; ++i) {
        run = &f.run();
        ASSERT_EQ(run->exit_reason, ExitReason::Mmio);
    }
    EXPECT_EQ(f.reg(reg::x(6)), 10u);

    // add x6, x6, #10, written by the host as a debugger or loader would.
    const uint32_t add10 = 0x910028c6;
    std::memcpy(&f.ram[patch - kRamBase], &add10, 4);
    f.vm->memory_written(patch, 4);
    run = &f.run();
    ASSERT_EQ(run->exit_reason, ExitReason::Mmio);
    EXPECT_EQ(f.reg(reg::x(6)), 20u) << "the patched instruction ran on the next pass";
    run = &f.run_to_exit();
    EXPECT_EQ(run->exit_reason, ExitReason::SystemEvent);
    EXPECT_EQ(f.reg(reg::x(6)), 100u);
}

}  // namespace
}  // namespace kvm::test
