// The machine's run options on real guests: --smp (round-robin vcpus in one
// thread, reproducible), --max-insns (exact), --trace exits|insns, --stats.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/smp_output.h"
#include "vmm/machine.h"

namespace vmm {
namespace {

struct StringSerial : SerialBackend {
    explicit StringSerial(std::string& out) : out(out) {}
    void write(uint8_t b) override { out.push_back(char(b)); }
    size_t read(uint8_t*, size_t) override { return 0; }
    std::string& out;
};

struct GuestRun {
    std::string uart;
    std::vector<std::string> trace;
    StopInfo stop;
    uint64_t retired = 0, retired_jit = 0;
    uint64_t pc = 0;
    std::string stats;
};

// Builds the machine for guest with cfg's options and runs it to the end.
GuestRun run_guest(const char* guest, MachineConfig cfg) {
    GuestRun out;
    BootOptions opts;
    opts.image = std::string(STEPVISOR_GUEST_DIR) + "/" + guest;
    opts.ram_size = 64 << 20;
    opts.num_cpus = cfg.smp;
    auto plan = plan_boot(opts);
    EXPECT_TRUE(plan.ok()) << plan.error().message;
    if (!plan.ok()) return out;
    cfg.ram_size = opts.ram_size;
    cfg.serial = std::make_shared<StringSerial>(out.uart);
    cfg.trace = [&out](std::string_view l) { out.trace.emplace_back(l); };
    auto m = Machine::create(cfg, plan.value());
    EXPECT_TRUE(m.ok()) << m.error().message;
    if (!m.ok()) return out;
    out.stop = m.value()->run();
    out.retired = m.value()->retired_insns();
    out.retired_jit = m.value()->retired_jit_insns();
    out.pc = m.value()->vcpu().get_one_reg(kvm::reg::kPc).value();
    out.stats = m.value()->stats_report();
    return out;
}

MachineConfig smp(unsigned n) {
    MachineConfig c;
    c.smp = n;
    return c;
}

using stepvisor::test::kSmpOutput;

TEST(Smp, FourVcpusRunTheSmpGuestToItsOutput) {
    GuestRun r = run_guest("smp.elf", smp(4));
    EXPECT_EQ(r.stop.reason, StopReason::PoweredOff) << r.stop.message;
    EXPECT_EQ(r.uart, kSmpOutput);
}

TEST(Smp, TwoRunsRetireTheSameInstructions) {
    GuestRun a = run_guest("smp.elf", smp(4)), b = run_guest("smp.elf", smp(4));
    EXPECT_EQ(a.uart, b.uart);
    EXPECT_GT(a.retired, 1000u);
    EXPECT_EQ(a.retired, b.retired);
}

// Stepping one instruction per run() keeps the round-robin schedule: the
// same output and the same instruction count as the untraced run, one
// trace line per retired instruction, from every vcpu that ran.
TEST(TraceInsns, SteppingKeepsTheScheduleOfTheUntracedRun) {
    GuestRun plain = run_guest("smp.elf", smp(4));
    MachineConfig c = smp(4);
    c.trace_insns = true;
    GuestRun traced = run_guest("smp.elf", c);
    EXPECT_EQ(traced.uart, plain.uart);
    EXPECT_EQ(traced.retired, plain.retired);
    EXPECT_EQ(traced.trace.size(), traced.retired);
    size_t v1 = 0, v2 = 0, v3 = 0;
    for (const auto& l : traced.trace) {
        v1 += l.starts_with("vcpu 1 ");
        v2 += l.starts_with("vcpu 2 ");
        v3 += l.starts_with("vcpu 3 ");
    }
    EXPECT_GT(v1, 10u);
    EXPECT_GT(v2, 10u);
    EXPECT_EQ(v3, 0u) << "vcpu 3 is never started";
}

// guests/lib/start.S: ldr, mov, ldr, ldr, cmp, b.hs (taken: the BSS is empty).
TEST(MaxInsns, StopsAfterExactlyNStraightLineInstructions) {
    MachineConfig c;
    c.max_insns = 4;
    GuestRun r = run_guest("hello.elf", c);
    EXPECT_EQ(r.stop.reason, StopReason::InsnLimit);
    EXPECT_EQ(r.stop.exit_status(), 1);
    EXPECT_EQ(r.stop.message, "stopped after 4 instructions");
    EXPECT_EQ(r.retired, 4u);
    EXPECT_EQ(r.pc, 0x40200010u);
    c.max_insns = 6;
    EXPECT_EQ(run_guest("hello.elf", c).pc, 0x40200020u) << "after the taken b.hs";
}

// Every limit below the whole run stops exactly there, wherever it falls
// (inside the UART loop's MMIO accesses too).
TEST(MaxInsns, ExactAtEveryCountAcrossMmioExits) {
    const uint64_t total = run_guest("hello.elf", {}).retired;
    ASSERT_GT(total, 100u);
    for (uint64_t n : {uint64_t(1), total / 3, total / 2, total - 1}) {
        MachineConfig c;
        c.max_insns = n;
        GuestRun r = run_guest("hello.elf", c);
        EXPECT_EQ(r.stop.reason, StopReason::InsnLimit) << n;
        EXPECT_EQ(r.retired, n);
    }
}

// The count runs on across PSCI SYSTEM_RESET (reboot.c boots three times).
TEST(MaxInsns, CountsAcrossResets) {
    GuestRun plain = run_guest("reboot.elf", {});
    ASSERT_EQ(plain.stop.reason, StopReason::PoweredOff) << plain.stop.message;
    MachineConfig c;
    c.max_insns = plain.retired - 1;
    GuestRun r = run_guest("reboot.elf", c);
    EXPECT_EQ(r.stop.reason, StopReason::InsnLimit);
    EXPECT_EQ(r.retired, plain.retired - 1);
    EXPECT_EQ(r.uart, plain.uart) << "all three boots ran";
}

TEST(TraceInsns, ResetsDoNotChangeTheRun) {
    GuestRun plain = run_guest("reboot.elf", {});
    MachineConfig c;
    c.trace_insns = true;
    GuestRun traced = run_guest("reboot.elf", c);
    EXPECT_EQ(traced.stop.reason, StopReason::PoweredOff) << traced.stop.message;
    EXPECT_EQ(traced.uart, plain.uart);
    EXPECT_EQ(traced.retired, plain.retired);
    EXPECT_EQ(traced.trace.front().rfind("vcpu 0 0x40200000: ", 0), 0u) << traced.trace.front();
}

TEST(MaxInsns, TracedStepsMatchTheLimit) {
    MachineConfig c;
    c.max_insns = 12;
    c.trace_insns = true;
    GuestRun r = run_guest("hello.elf", c);
    ASSERT_EQ(r.trace.size(), 12u);
    EXPECT_EQ(r.trace[0], "vcpu 0 0x40200000: ldr x1, #0x40200038              x1=0x40211380");
    EXPECT_EQ(r.trace[5].rfind("vcpu 0 0x40200014: b.hs #0x40200020", 0), 0u) << r.trace[5];
    EXPECT_NE(r.trace[5].find("pc=0x40200020"), std::string::npos) << r.trace[5];
}

TEST(TraceExits, OneLinePerExitWithTheDecodedUartStore) {
    MachineConfig c;
    c.trace_exits = true;
    GuestRun r = run_guest("hello.elf", c);
    ASSERT_FALSE(r.trace.empty());
    bool store = false;
    for (const auto& l : r.trace)
        store |= l.find("DABT_LOW") != std::string::npos &&
                 l.find("to IPA 0x9000000") != std::string::npos &&
                 l.find("str w3, [x4]") != std::string::npos &&
                 l.find("userspace") != std::string::npos;
    EXPECT_TRUE(store) << r.trace[0];
    EXPECT_NE(r.trace.back().find("HVC64"), std::string::npos) << r.trace.back();
    EXPECT_NE(r.trace.back().find(" hvc #0 "), std::string::npos) << r.trace.back();
}

// With stage 1 on, the instruction is read through the guest's tables
// (Vcpu::translate), so exits after the MMU is enabled are disassembled too.
TEST(TraceExits, DisassemblesWithTheMmuOn) {
    MachineConfig c;
    c.trace_exits = true;
    GuestRun r = run_guest("mmu_hello.elf", c);
    bool mmu_on = false, uart = false;
    for (const auto& l : r.trace) {
        mmu_on |= l.find("msr SCTLR_EL1") != std::string::npos;
        if (!mmu_on || l.find("DABT_LOW") == std::string::npos) continue;
        EXPECT_EQ(l.find(" ? "), std::string::npos) << l;
        uart |= l.find("to IPA 0x9000000") != std::string::npos &&
                l.find(" str w") != std::string::npos;
    }
    EXPECT_TRUE(mmu_on && uart) << "mmu_hello enables the MMU, then prints";
}

TEST(Stats, ReportTablesTheExits) {
    MachineConfig c;
    c.stats = true;
    GuestRun r = run_guest("gic_v3.elf", c);
    EXPECT_NE(r.stats.find("VM-EXIT"), std::string::npos) << r.stats;
    EXPECT_NE(r.stats.find("DABT_LOW"), std::string::npos) << r.stats;
    EXPECT_NE(r.stats.find("HANDLED-BY"), std::string::npos) << r.stats;
    EXPECT_EQ(run_guest("hello.elf", {}).stats, "") << "no table without --stats";
}

// The share of instructions generated code retired: none under the
// interpreter; under the tier (the default where the host has it) the same
// run, with some of it in generated code.
TEST(Stats, ReportGivesTheShareRetiredInGeneratedCode) {
    MachineConfig c;
    c.stats = true;
    c.jit = false;
    GuestRun off = run_guest("mmu_rules.elf", c);
    EXPECT_EQ(off.retired_jit, 0u);
    const std::string none = fmt::format("\ngenerated code: 0.0% of {} instructions\n", off.retired);
    EXPECT_NE(off.stats.find(none), std::string::npos) << off.stats;

    c.jit = cpu::Cpu::jit_supported();
    GuestRun on = run_guest("mmu_rules.elf", c);
    EXPECT_EQ(on.uart, off.uart);
    EXPECT_EQ(on.retired, off.retired);
    const double share = 100.0 * double(on.retired_jit) / double(on.retired);
    EXPECT_NE(on.stats.find(fmt::format("\ngenerated code: {:.1f}% of {} instructions\n", share,
                                        on.retired)),
              std::string::npos)
        << on.stats;
    if (cpu::Cpu::jit_supported()) {
        EXPECT_GT(on.retired_jit, 0u) << "no generated code ran";
    }
}

}  // namespace
}  // namespace vmm
