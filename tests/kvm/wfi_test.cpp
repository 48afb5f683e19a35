// WFI in virtual time: a vcpu with nothing that can wake it blocks in run()
// until userspace sets immediate_exit (from another thread here, as a
// signal handler would); a timer deadline ends the sleep at once, or, with
// Cap::IdleClock = RealTime, once the host has waited as long.
#include <chrono>
#include <thread>

#include "cpu/timer.h"
#include "hyp/kvm_host.h"
#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

constexpr uint32_t kWfi = 0xd503207f;       // wfi
constexpr uint32_t kBSelf = 0x14000000;     // b .
constexpr uint32_t kMsrCntvCtl = 0xd51be321;   // msr cntv_ctl_el0, x1
constexpr uint32_t kMsrCntvCval = 0xd51be342;  // msr cntv_cval_el0, x2
constexpr uint32_t kStrX3X4 = 0xf9000083;      // str x3, [x4]: an MMIO exit

void put(VmFixture& f, std::initializer_list<uint32_t> code) {
    size_t off = kGuestLoad - kRamBase;
    for (uint32_t insn : code) {
        std::memcpy(&f.ram[off], &insn, 4);
        off += 4;
    }
    f.vm->memory_written(kGuestLoad, code.size() * 4);
}

TEST(Wfi, NothingCanWakeTheVcpuSoRunWaitsForImmediateExit) {
    VmFixture f("hello");
    put(f, {kWfi, kBSelf});
    std::thread user([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        std::atomic_ref<uint8_t>(f.vcpu->run_state().immediate_exit).store(1);
    });
    RunState& r = f.run();
    user.join();
    EXPECT_EQ(r.exit_reason, ExitReason::Intr)
        << "got " << exit_reason_name(r.exit_reason) << " (expected INTR)";
    EXPECT_EQ(f.reg(reg::kPc), kGuestLoad + 4) << "the WFI completed";
}

// KVM_RUN interrupted by a signal while the vcpu waits in WFI returns INTR
// and the next KVM_RUN enters the guest after the WFI: the architecture lets
// a WFI end at any time, and a VMM kicks the vcpu when host input arrives.
TEST(Wfi, ImmediateExitEndsTheWaitSoTheNextRunGoesOn) {
    VmFixture f("hello");
    put(f, {kWfi, kWfi});
    std::thread user([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        std::atomic_ref<uint8_t>(f.vcpu->run_state().immediate_exit).store(1);
    });
    RunState& r = f.run();
    user.join();
    ASSERT_EQ(r.exit_reason, ExitReason::Intr);
    r.immediate_exit = 0;
    std::thread again([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        std::atomic_ref<uint8_t>(f.vcpu->run_state().immediate_exit).store(1);
    });
    f.run();
    again.join();
    EXPECT_EQ(f.reg(reg::kPc), kGuestLoad + 8)
        << "the second run() executed the second WFI: the first wait had ended";
}

// CNTV_CVAL_EL0 = 10^9 ticks away: the sleep jumps there at once, and the
// guest runs on from the deadline (until userspace stops it).
TEST(Wfi, TimerDeadlineEndsTheSleepInVirtualTime) {
    VmFixture f("hello");
    put(f, {kMsrCntvCval, kMsrCntvCtl, kWfi, kBSelf});
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::x(1), 1));  // ENABLE, IMASK = 0
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::x(2), 1000000000));
    std::thread user([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        std::atomic_ref<uint8_t>(f.vcpu->run_state().immediate_exit).store(1);
    });
    RunState& r = f.run();
    user.join();
    EXPECT_EQ(r.exit_reason, ExitReason::Intr);
    const uint64_t now = f.vm->hyp().now();
    EXPECT_GE(now, 1000000000u) << "got VM time " << now << " (expected the deadline or later)";
    EXPECT_EQ(f.reg(reg::kPc), kGuestLoad + 12) << "woke and ran on to the loop";
}

void enable_idle_clock(VmFixture& f, IdleClock clock) {
    EnableCap cap;
    cap.cap = Cap::IdleClock;
    cap.args[0] = uint64_t(clock);
    ASSERT_TRUE(f.vm->enable_cap(cap));
}

void enable_real_time_idle(VmFixture& f) { enable_idle_clock(f, IdleClock::RealTime); }

// A timer 0.2 s of guest time ahead: the WFI ends at the deadline, as with
// Warp, but only after the host has waited 0.2 s.
TEST(Wfi, RealTimeIdleClockWaitsOnTheHostUntilTheDeadline) {
    VmFixture f("hello");
    enable_real_time_idle(f);
    put(f, {kMsrCntvCval, kMsrCntvCtl, kWfi, kStrX3X4});
    constexpr uint64_t kDeadline = cpu::kCounterFrequencyHz / 5;
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::x(1), 1));  // ENABLE, IMASK = 0
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::x(2), kDeadline));
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::x(4), VmFixture::kUartData));
    const auto t0 = std::chrono::steady_clock::now();
    RunState& r = f.run();
    const auto waited = std::chrono::steady_clock::now() - t0;
    ASSERT_EQ(r.exit_reason, ExitReason::Mmio) << "got " << exit_reason_name(r.exit_reason);
    EXPECT_GE(waited, std::chrono::milliseconds(200)) << "the host did not wait for the deadline";
    EXPECT_GE(f.vm->hyp().now(), kDeadline);
    EXPECT_LT(f.vm->hyp().now(), kDeadline + 100) << "the clock went past the deadline";
}

// Input ends the wait early (userspace sets immediate_exit after 100 ms):
// the clock has moved on by the host time waited, not to the deadline.
TEST(Wfi, RealTimeIdleClockEndedByUserspaceAdvancesByTheTimeWaited) {
    VmFixture f("hello");
    enable_real_time_idle(f);
    put(f, {kMsrCntvCval, kMsrCntvCtl, kWfi, kBSelf});
    constexpr uint64_t kDeadline = 10 * cpu::kCounterFrequencyHz;
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::x(1), 1));
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::x(2), kDeadline));
    std::thread user([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        std::atomic_ref<uint8_t>(f.vcpu->run_state().immediate_exit).store(1);
    });
    RunState& r = f.run();
    user.join();
    EXPECT_EQ(r.exit_reason, ExitReason::Intr);
    const uint64_t now = f.vm->hyp().now();
    // The 100 ms run from the thread's start; the guest reaches its WFI
    // somewhat later (much later under the sanitizers), so only half of
    // them are certain to have passed in the guest's wait.
    EXPECT_GE(now, cpu::kCounterFrequencyHz / 20) << "less than half the 100 ms waited";
    EXPECT_LT(now, kDeadline) << "jumped to the deadline although the wait was cut short";
}

// Paced (a recording's): the same wait cut short leaves the clock where
// the wait began, still short of the deadline, and (the kick keeping the
// WFI, as a recording has it) the VM waits for userspace alone; a whole
// wait moves it to the deadline, as RealTime does.
TEST(Wfi, PacedIdleClockEndedByUserspaceKeepsTheClock) {
    VmFixture f("hello");
    enable_idle_clock(f, IdleClock::Paced);
    EnableCap keep;
    keep.cap = Cap::KickKeepsHalt;
    keep.args[0] = 1;
    ASSERT_TRUE(f.vm->enable_cap(keep));
    put(f, {kMsrCntvCval, kMsrCntvCtl, kWfi, kBSelf});
    constexpr uint64_t kDeadline = 10 * cpu::kCounterFrequencyHz;
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::x(1), 1));
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::x(2), kDeadline));
    std::thread user([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        std::atomic_ref<uint8_t>(f.vcpu->run_state().immediate_exit).store(1);
    });
    RunState& r = f.run();
    user.join();
    EXPECT_EQ(r.exit_reason, ExitReason::Intr);
    EXPECT_LT(f.vm->hyp().now(), 100u) << "the clock moved although the wait was cut short";
    EXPECT_TRUE(f.vm->waits_for_userspace());
}

TEST(Wfi, PacedIdleClockWaitsOnTheHostUntilTheDeadline) {
    VmFixture f("hello");
    enable_idle_clock(f, IdleClock::Paced);
    put(f, {kMsrCntvCval, kMsrCntvCtl, kWfi, kStrX3X4});
    constexpr uint64_t kDeadline = cpu::kCounterFrequencyHz / 10;
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::x(1), 1));
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::x(2), kDeadline));
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::x(4), VmFixture::kUartData));
    const auto t0 = std::chrono::steady_clock::now();
    RunState& r = f.run();
    ASSERT_EQ(r.exit_reason, ExitReason::Mmio) << "got " << exit_reason_name(r.exit_reason);
    EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(100));
    EXPECT_GE(f.vm->hyp().now(), kDeadline);
    EXPECT_FALSE(f.vm->waits_for_userspace()) << "the vcpu runs";
}

TEST(Wfi, IdleClockCapRejectsUnknownModes) {
    VmFixture f("hello");
    EXPECT_EQ(f.vm->check_extension(Cap::IdleClock), 1);
    EnableCap cap;
    cap.cap = Cap::IdleClock;
    cap.args[0] = 3;
    auto r = f.vm->enable_cap(cap);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("args[0] = 3"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace kvm::test
