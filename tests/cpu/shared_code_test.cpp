// PEs of one domain share memory: a store by one PE to code another PE
// decoded must reach that PE's next execution, also when the storing PE's
// fast path held the page as writable before it became code (B2.4
// "Concurrent modification and execution of instructions": after the
// writer's maintenance and the executor's ISB the new code runs; stepvisor
// shows it at the executor's next block, a stricter order).
#include <gtest/gtest.h>

#include "tests/cpu/harness.h"

namespace cpu::test {
namespace {

constexpr uint32_t kBlrX1 = 0xd63f0020;     // blr x1
constexpr uint32_t kStrW3 = 0xb9000023;     // str w3, [x1]
constexpr uint32_t kStrW2 = 0xb9000022;     // str w2, [x1]
constexpr uint32_t kRet = 0xd65f03c0;       // ret
constexpr uint32_t kMovX0_1 = 0xd2800020;   // mov x0, #1
constexpr uint32_t kMovX0_42 = 0xd2800540;  // mov x0, #42
constexpr uint32_t kSelf = 0x14000000;      // b .
constexpr uint64_t kFunc = kRamBase + 0x30000;
constexpr uint64_t kWriterCode = kCodeBase + 0x100;

TEST(SharedCode, StoreByOnePeDropsCodeAnotherDecoded) {
    Harness a, b;
    b.cpu.stage2().set_regions({{kRamBase, kRamSize, a.ram.data(), true}});
    b.cpu.stage2().share_code_lines(a.cpu.stage2());
    a.cpu.set_shareable_domain({&a.cpu, &b.cpu});
    b.cpu.set_shareable_domain({&a.cpu, &b.cpu});

    a.put32(kFunc + 4, kRet);
    a.code({kBlrX1, kSelf});
    a.x(1) = kFunc;
    for (uint64_t off = 0; uint32_t w : {kStrW3, kStrW2, kSelf}) a.put32(kWriterCode + off, w), off += 4;
    b.cpu.state().pc = kWriterCode;
    b.x(1) = kFunc;
    b.x(2) = kMovX0_42;
    b.x(3) = kMovX0_1;

    ASSERT_EQ(b.step(1), Stop::Irq);  // writes the function while it is data
    ASSERT_EQ(a.step(3), Stop::Irq);  // blr, mov, ret: decoded by a
    ASSERT_EQ(a.x(0), 1u);
    ASSERT_EQ(b.step(1), Stop::Irq);  // rewrites it
    a.cpu.state().pc = kCodeBase;
    ASSERT_EQ(a.step(3), Stop::Irq);
    EXPECT_EQ(a.x(0), 42u) << "a runs the code b wrote";
}

}  // namespace
}  // namespace cpu::test
