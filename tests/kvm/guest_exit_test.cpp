// Exits the hypervisor handles itself or turns into SYSTEM_EVENT and
// INTERNAL_ERROR, each with a guest routine (guests/*.c) and this host routine.
#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

TEST(GuestExit, HelloPowersOffThroughPsciSystemOff) {
    VmFixture f("hello");
    RunState& r = f.run_to_exit();
    ASSERT_EQ(r.exit_reason, ExitReason::SystemEvent);
    EXPECT_EQ(r.system_event.type, SystemEventType::Shutdown);
    EXPECT_EQ(f.uart, "Hello from EL1 on stepvisor\n");
}

TEST(GuestExit, FetchOutsideMemoryInjectsPrefetchAbortIntoGuest) {
    VmFixture f("fetch_abort");
    RunState& r = f.run_to_exit();
    ASSERT_EQ(r.exit_reason, ExitReason::SystemEvent);
    // Current EL with SP_ELx, synchronous: vector 4 of the runtime's table.
    EXPECT_EQ(f.uart,
              "vector 0x0000000000000004 EC 0x0000000000000021 FAR 0x0000000020000000 "
              "ELR 0x0000000020000000\n");
}

TEST(GuestExit, PsciAndSmcccCallsAnsweredThenResetEvent) {
    VmFixture f("psci");
    RunState& r = f.run_to_exit();
    ASSERT_EQ(r.exit_reason, ExitReason::SystemEvent);
    EXPECT_EQ(r.system_event.type, SystemEventType::Reset);
    EXPECT_EQ(f.uart,
              "PSCI_VERSION 0x0000000000010001\n"
              "PSCI_FEATURES(SYSTEM_OFF) 0x0000000000000000\n"
              "PSCI_FEATURES(CPU_FREEZE) 0xffffffffffffffff\n"
              "SMCCC_VERSION 0x0000000000010001\n"
              "unknown 0xffffffffffffffff\n"
              "SMC PSCI_VERSION 0x0000000000010001\n"
              "HVC #1 0xffffffffffffffff\n");
}

TEST(GuestExit, UndefinedInstructionIsTakenByTheGuest) {
    VmFixture f("undef");
    RunState& r = f.run_to_exit();
    ASSERT_EQ(r.exit_reason, ExitReason::SystemEvent);
    EXPECT_EQ(f.uart,
              "exception vector 0x0000000000000004 EC 0x0000000000000000 IL 0x0000000000000001\n"
              "resumed after UDF\n");
}

TEST(GuestExit, NoProgressStopsWithInternalError) {
    VmFixture f("spin_exception");
    RunState& r = f.run_to_exit();
    ASSERT_EQ(r.exit_reason, ExitReason::InternalError);
    EXPECT_EQ(r.internal.suberror, InternalError::NoProgress);
    const uint64_t vbar = r.internal.data[0] - 0x200;  // current EL, SP_ELx, sync
    EXPECT_EQ(vbar % 0x800, 0u);
    EXPECT_EQ(r.internal.data[2], r.internal.data[0]) << "ELR is the vector itself";
    EXPECT_NE(r.internal.description.find("no progress"), std::string::npos);
}

}  // namespace
}  // namespace kvm::test
