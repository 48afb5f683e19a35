// The exit handler, driven with synthetic RunStates as Firecracker's vcpu
// tests do: what each exit does to the bus, the RunState and the loop.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vmm/pl011.h"
#include "vmm/vcpu_loop.h"

namespace vmm {
namespace {

using kvm::ExitReason;
using Action = ExitOutcome::Action;

struct ExitTest : ::testing::Test {
    std::string uart_out;
    std::vector<std::string> log;
    Pl011 uart{[this](uint8_t b) { uart_out.push_back(char(b)); }};
    MmioBus bus{[this](std::string_view l) { log.emplace_back(l); }};
    ExitContext ctx{bus, [] { return uint64_t(0x40200010); }};
    kvm::RunState run;

    void SetUp() override { ASSERT_TRUE(bus.insert(uart, 0x09000000, 0x1000).ok()); }
    void mmio(uint64_t addr, uint32_t len, bool write, uint64_t value = 0) {
        run = {};
        run.exit_reason = ExitReason::Mmio;
        run.mmio.phys_addr = addr;
        run.mmio.len = len;
        run.mmio.is_write = write;
        store_le(std::span<uint8_t>(run.mmio.data, 8), value);
    }
};

TEST_F(ExitTest, MmioWriteReachesPl011) {
    mmio(0x09000000, 4, true, 'H');
    EXPECT_EQ(handle_exit(run, ctx).action, Action::Resume);
    mmio(0x09000000, 1, true, 'i');
    EXPECT_EQ(handle_exit(run, ctx).action, Action::Resume);
    EXPECT_EQ(uart_out, "Hi");
}

TEST_F(ExitTest, MmioReadFillsDataLittleEndianLenBytes) {
    mmio(0x09000018, 4, false, 0xDEADBEEFCAFEF00Dull);  // stale data must be replaced
    EXPECT_EQ(handle_exit(run, ctx).action, Action::Resume);
    EXPECT_EQ(load_le(std::span<const uint8_t>(run.mmio.data, 4)), 0x90u);  // TXFE | RXFE
    mmio(0x09000FE0, 1, false);
    handle_exit(run, ctx);
    EXPECT_EQ(run.mmio.data[0], 0x11);
}

TEST_F(ExitTest, UnassignedMmioReadsZeroAndIsLogged) {
    mmio(0x0A000000, 8, false, ~0ull);
    EXPECT_EQ(handle_exit(run, ctx).action, Action::Resume);
    EXPECT_EQ(load_le(std::span<const uint8_t>(run.mmio.data, 8)), 0u);
    mmio(0x0A000000, 8, true, 5);
    EXPECT_EQ(handle_exit(run, ctx).action, Action::Resume);
    ASSERT_EQ(log.size(), 1u);  // one line per distinct address
    EXPECT_EQ(log[0], "stepvisor: unassigned 8-byte read at 0xa000000 returns 0");
}

TEST_F(ExitTest, MmioWithInvalidLengthStops) {
    for (uint32_t len : {0u, 3u, 16u}) {
        mmio(0x09000000, len, true);
        auto out = handle_exit(run, ctx);
        EXPECT_EQ(out.action, Action::Stop) << len;
        EXPECT_EQ(out.stop.exit_status(), 1);
    }
    EXPECT_EQ(uart_out, "");
}

TEST_F(ExitTest, ShutdownPowersOffWithStatus0) {
    run.exit_reason = ExitReason::SystemEvent;
    run.system_event.type = kvm::SystemEventType::Shutdown;
    auto out = handle_exit(run, ctx);
    EXPECT_EQ(out.action, Action::Stop);
    EXPECT_EQ(out.stop.reason, StopReason::PoweredOff);
    EXPECT_EQ(out.stop.exit_status(), 0);
    EXPECT_EQ(out.stop.message, "guest powered off");
}

TEST_F(ExitTest, ResetStopsWithStatus0AndSaysSo) {
    run.exit_reason = ExitReason::SystemEvent;
    run.system_event.type = kvm::SystemEventType::Reset;
    auto out = handle_exit(run, ctx);
    EXPECT_EQ(out.action, Action::Stop);
    EXPECT_EQ(out.stop.reason, StopReason::Reset);
    EXPECT_EQ(out.stop.exit_status(), 0);
    EXPECT_NE(out.stop.message.find("guest requested a reset"), std::string::npos);
}

TEST_F(ExitTest, CrashAndUnknownSystemEventsStopWithStatus1) {
    run.exit_reason = ExitReason::SystemEvent;
    run.system_event.type = kvm::SystemEventType::Crash;
    EXPECT_EQ(handle_exit(run, ctx).stop.exit_status(), 1);
    run.system_event.type = static_cast<kvm::SystemEventType>(77);
    auto out = handle_exit(run, ctx);
    EXPECT_EQ(out.action, Action::Stop);
    EXPECT_EQ(out.stop.message, "guest stopped: unknown system event type 77");
}

TEST_F(ExitTest, ArmNisvNamesIpaIssAndPc) {
    run.exit_reason = ExitReason::ArmNisv;
    run.arm_nisv.fault_ipa = 0x0A000000;
    run.arm_nisv.esr_iss = 0x1c4a;
    auto out = handle_exit(run, ctx);
    EXPECT_EQ(out.action, Action::Stop);
    EXPECT_EQ(out.stop.exit_status(), 1);
    EXPECT_EQ(out.stop.message,
              "guest stopped: MMIO access without instruction syndrome at IPA 0xa000000 (ESR ISS "
              "0x1c4a) at PC 0x40200010");
}

TEST_F(ExitTest, InternalErrorPassesTheHypervisorsDescription) {
    run.exit_reason = ExitReason::InternalError;
    run.internal.suberror = kvm::InternalError::NoProgress;
    run.internal.description = "no progress: vector 0x40200800 ESR 0x2000000 ELR 0x40200800";
    auto out = handle_exit(run, ctx);
    EXPECT_EQ(out.action, Action::Stop);
    EXPECT_EQ(out.stop.exit_status(), 1);
    EXPECT_EQ(out.stop.message, "guest stopped: no progress: vector 0x40200800 ESR 0x2000000 ELR 0x40200800");
    run.internal.description.clear();
    out = handle_exit(run, ctx);
    EXPECT_EQ(out.stop.message, "guest stopped: internal error (suberror 0x100) at PC 0x40200010");
}

TEST_F(ExitTest, FailEntryDebugAndUnknownStopWithTheirNames) {
    run.exit_reason = ExitReason::FailEntry;
    run.fail_entry.hardware_entry_failure_reason = 0x12;
    auto out = handle_exit(run, ctx);
    EXPECT_EQ(out.action, Action::Stop);
    EXPECT_EQ(out.stop.exit_status(), 1);
    EXPECT_NE(out.stop.message.find("FAIL_ENTRY"), std::string::npos) << out.stop.message;
    EXPECT_NE(out.stop.message.find("0x12"), std::string::npos) << out.stop.message;

    run.exit_reason = ExitReason::Debug;
    run.debug.hsr = 0xC8000000;
    out = handle_exit(run, ctx);
    EXPECT_EQ(out.stop.exit_status(), 1);
    EXPECT_NE(out.stop.message.find("DEBUG"), std::string::npos) << out.stop.message;

    run.exit_reason = ExitReason::Unknown;
    out = handle_exit(run, ctx);
    EXPECT_EQ(out.stop.message, "guest stopped: unexpected exit UNKNOWN (0) at PC 0x40200010");
    run.exit_reason = static_cast<ExitReason>(99);
    out = handle_exit(run, ctx);
    EXPECT_EQ(out.action, Action::Stop);
    EXPECT_EQ(out.stop.exit_status(), 1);
    EXPECT_NE(out.stop.message.find("(99)"), std::string::npos) << out.stop.message;
}

TEST_F(ExitTest, IntrResumes) {
    run.exit_reason = ExitReason::Intr;
    EXPECT_EQ(handle_exit(run, ctx).action, Action::Resume);
}

TEST_F(ExitTest, PcIsReadOnlyWhenAMessageNeedsIt) {
    int reads = 0;
    ExitContext counting{bus, [&] { ++reads; return uint64_t(0); }};
    mmio(0x09000000, 4, true, 'a');
    handle_exit(run, counting);
    EXPECT_EQ(reads, 0);
}

}  // namespace
}  // namespace vmm
