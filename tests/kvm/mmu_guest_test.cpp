// A guest that turns stage 1 on and prints through it (guests/mmu_hello.c):
// the MMIO exits come through both TTBRs' mappings of the PL011, AT fills
// PAR_EL1, and a Translation fault is taken by the guest (DDI 0487 K.a D8).
// QEMU virt (-cpu max) prints the same lines.
#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

TEST(MmuGuest, PrintsThroughBothTtbrsAndTakesATranslationFault) {
    VmFixture f("mmu_hello");
    RunState& r = f.run_to_exit();
    ASSERT_EQ(r.exit_reason, ExitReason::SystemEvent);
    EXPECT_EQ(r.system_event.type, SystemEventType::Shutdown);
    EXPECT_EQ(f.uart,
              "MMU on\n"
              "hello through TTBR1\n"
              "AT S1E1R PA 0x0000000009000000 F 0x0000000000000000\n"
              "abort: vector 0x0000000000000004 EC 0x0000000000000025 DFSC 0x0000000000000005 "
              "FAR 0x0000000080000000\n"
              "resumed\n");
}

}  // namespace
}  // namespace kvm::test
