// gdb-multiarch steps guests/gdb_steps.S one stepi at a time on stepvisor
// (`run --gdb --wait-gdb`) and on QEMU's gdbstub. Each row of DESIGN.md's
// single-step contract is checked on the trace where the guest takes it
// (kRows), the step strategies must give identical traces, `legacy` must
// fail the rows, and stepvisor's trace must match QEMU's step for step.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "cpu/timer.h"
#include "tests/gdbpeer/peers.h"
#include "tests/gdbpeer/trace.h"

namespace gdbpeer {
namespace {

const std::string kElf = std::string(STEPVISOR_GUEST_DIR) + "/gdb_steps.elf";
const std::string kStepvisor = STEPVISOR_BINARY;
// Every class of GIC CPU interface access trapped, so the ICC_* rows take
// the hypervisor's fast path (or its decline) as DESIGN.md's rows say.
const std::string kTraps = "--gic-cpuif-trap group0,group1,common";

constexpr uint64_t kPsci1_1 = 0x10001;     // PSCI_VERSION's answer (DEN0022: 1.1)
constexpr uint64_t kEl1hDaifMasked = 0x3c5;  // PSTATE after an exception entry to EL1h
constexpr uint64_t kPstateI = 1u << 7;

// The state before a row's instruction, after its stepi, and after the
// stepi following it (the vector's first instruction reads ESR_EL1).
struct At {
    const State& before;
    const State& after;
    const State* next;
};
using Check = std::string (*)(const At&);

std::string expect(const char* what, uint64_t got, uint64_t want) {
    return got == want ? "" : fmt::format("{}: got {:#x} (expected {:#x})", what, got, want);
}
std::string expect_next(const At& a, const char* what, uint64_t got, uint64_t want) {
    if (!a.next) return fmt::format("{}: the trace ends before it", what);
    return expect(what, got, want);
}

// One row of the contract: the label of its instruction in gdb_steps.S,
// where the stepi from it lands (`to`, a label, or the row's own label;
// plus `offset`; "exit" = PSCI SYSTEM_OFF ended the run) and what else the
// step must show.
struct Row {
    const char* label;
    const char* rule;
    const char* to;
    uint64_t offset;
    Check check;
};

const Row kRows[] = {
    {"row_add", "executed by the CPU: add", nullptr, 4,
     [](const At& a) { return expect("x1", a.after.x[1], a.before.x[1] + 5); }},
    {"row_branch", "executed by the CPU: taken branch", nullptr, 8, nullptr},
    {"row_load", "executed by the CPU: load from RAM", nullptr, 4,
     [](const At& a) { return expect("x3", a.after.x[3], 0x1122334455667788); }},
    {"row_msr_tcr", "trapped, emulated: MSR TCR_EL1 (TVM), effect visible", nullptr, 4,
     [](const At& a) { return expect("TCR_EL1", a.after.tcr, 25); }},
    {"row_mrs_id", "trapped, emulated: MRS ID_AA64PFR0_EL1 (TID3), Xt loaded", nullptr, 4,
     [](const At& a) {
         // EL1 (bits 7:4) is implemented on every machine: never 0.
         return ((a.after.x[5] >> 4) & 0xf) ? "" : fmt::format("x5 = {:#x}", a.after.x[5]);
     }},
    {"row_fp", "lazy FP/SIMD switch: the trapped MSR FPSR is the step, executed", nullptr, 4,
     [](const At& a) { return expect_next(a, "x4 (FPSR read back)", a.next ? a.next->x[4] : 0, 0x08000011); }},
    {"row_hvc", "exception-generating: HVC PSCI_VERSION, x0 = result", nullptr, 4,
     [](const At& a) { return expect("x0", a.after.x[0], kPsci1_1); }},
    {"row_svc", "guest's own exception: SVC, the vector, first instruction not run",
     "vector_sync", 0,
     [](const At& a) {
         if (a.after.x[29] != a.before.x[29]) return std::string("the vector's MRS ran");
         auto e = expect("cpsr", a.after.cpsr, kEl1hDaifMasked);
         return e.empty() ? expect("ESR_EL1 (EC 0x15, IL, SVC #3)", a.after.esr, 0x56000003) : e;
     }},
    {"row_udf", "guest's own exception: UDF, the vector", "vector_sync", 0,
     [](const At& a) { return expect("ESR_EL1 (EC 0x00, IL)", a.after.esr, 0x02000000); }},
    {"row_brk", "guest's own BRK: re-injected, the next step exit is at the vector",
     "vector_sync", 0,
     [](const At& a) {
         auto e = expect("ESR_EL1 (EC 0x3C, IL, BRK #7)", a.after.esr, 0xf2000007);
         // ... and the guest's handler reads the same.
         return e.empty() ? expect_next(a, "x29", a.next ? a.next->x[29] : 0, 0xf2000007) : e;
     }},
    {"row_gicd_write", "in-kernel MMIO: GICD_CTLR write", nullptr, 4, nullptr},
    {"row_gicd_read", "in-kernel MMIO: GICD_CTLR read, Xt loaded", nullptr, 4,
     [](const At& a) { return expect("x10 & (ARE | EnableGrp1)", a.after.x[10] & 0x12, 0x12); }},
    {"row_uart_read", "userspace MMIO: PL011 UARTFR read, Xt loaded", nullptr, 4,
     [](const At& a) { return expect("x12 (TXFE | RXFE)", a.after.x[12], 0x90); }},
    {"row_uart_write", "userspace MMIO: PL011 UARTDR write, the byte out once", nullptr, 4,
     [](const At& a) {
         auto e = expect("serial bytes before", uint64_t(a.before.serial), 0);
         return e.empty() ? expect("serial bytes after", uint64_t(a.after.serial), 1) : e;
     }},
    {"row_icc_pmr", "hyp fast path: ICC_PMR_EL1 write", nullptr, 4,
     [](const At& a) { return expect_next(a, "ICC_PMR_EL1 read back", a.next ? a.next->x[18] : 0, 0xf0); }},
    {"row_icc_igrpen1", "hyp fast path: ICC_IGRPEN1_EL1 write", nullptr, 4, nullptr},
    {"row_icc_sgi1r", "fast path declines: ICC_SGI1R_EL1 (SGI 1 to self)", nullptr, 4, nullptr},
    {"row_daifclr", "interrupt pending, policy mask: DAIFClr.I runs", nullptr, 4,
     [](const At& a) { return expect("PSTATE.I", a.after.cpsr & kPstateI, 0); }},
    {"row_unmasked", "interrupt pending, policy mask: the next instruction runs", nullptr, 4,
     nullptr},
    {"row_iar", "interrupt pending, policy mask: the SGI stayed pending", nullptr, 4,
     [](const At& a) { return expect("x20 (ICC_IAR1_EL1)", a.after.x[20], 1); }},
    {"row_ldxr", "load-exclusive: gdb runs LDXR..STXR to a breakpoint after it",
     "row_ldxr_end", 0,
     [](const At& a) {
         auto e = expect("w23 (STXR status)", a.after.x[23], 0);
         return e.empty() ? expect("x22", a.after.x[22], 1) : e;
     }},
    {"row_wfi", "WFI with the virtual timer's interrupt pending", nullptr, 4, nullptr},
    {"row_off", "PSCI SYSTEM_OFF: the run ends", "exit", 0, nullptr},
};

// Every row's failures on trace t, "LABEL (RULE): got X (expected Y)".
std::vector<std::string> row_failures(const Trace& t) {
    std::vector<std::string> failures;
    for (const Row& row : kRows) {
        auto fail = [&](const std::string& why) {
            failures.push_back(fmt::format("{} ({}): {}", row.label, row.rule, why));
        };
        const auto i = t.step_from(t.label(row.label));
        const bool last = t.steps.size() && t.steps.back().pc == t.label(row.label);
        if (std::string(row.to ? row.to : "") == "exit") {
            if (!last || t.exit_code != 0) fail("the run did not end with exit 0 after it");
            continue;
        }
        if (!i) {
            fail("never stepped from it");
            continue;
        }
        const State& after = t.steps[*i + 1];
        const uint64_t want = (row.to ? t.label(row.to) : t.label(row.label)) + row.offset;
        if (after.pc != want) {
            fail(fmt::format("the stepi landed at {} ({:#x}), expected {} ({:#x})",
                             where(t, after.pc), after.pc, where(t, want), want));
            continue;
        }
        const State* next = *i + 2 < t.steps.size() ? &t.steps[*i + 2] : nullptr;
        if (row.check) {
            if (auto why = row.check(At{t.steps[*i], after, next}); !why.empty()) fail(why);
        }
    }
    return failures;
}

// The path each trapped row takes on stepvisor, as its exit trace (--trace
// exits) names the handler: a row whose trap went elsewhere would not prove
// its row of the table.
struct Path {
    const char* label;
    const char* handled_by;
};
const Path kPaths[] = {
    {"row_msr_tcr", "handle_exit"},     {"row_mrs_id", "handle_exit"},
    {"row_hvc", "handle_exit"},         {"row_gicd_write", "handle_exit"},
    {"row_gicd_read", "handle_exit"},   {"row_uart_read", "userspace"},
    {"row_uart_write", "userspace"},    {"row_icc_pmr", "fast-path"},
    {"row_icc_igrpen1", "fast-path"},   {"row_icc_sgi1r", "handle_exit"},
    {"row_wfi", "handle_exit"},         {"row_fp", "fast-path"},
};

std::vector<std::string> path_failures(const Trace& t, const std::string& exits) {
    std::vector<std::string> failures;
    for (const Path& p : kPaths) {
        const std::string at = fmt::format(" pc {:#x} ", t.label(p.label));
        std::istringstream in(exits);
        std::string line, seen;
        while (std::getline(in, line)) {
            if (line.find(at) != std::string::npos) seen += line + "\n";
        }
        if (seen.find(std::string(" ") + p.handled_by + " ") == std::string::npos) {
            failures.push_back(fmt::format("{}: no exit handled by {} at{}in the exit trace:\n{}",
                                           p.label, p.handled_by, at, seen));
        }
    }
    return failures;
}

std::string join(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines) s += l + "\n";
    return s;
}

// The packet log of the stepi from LDXR: gdb planted a breakpoint after the
// STXR and continued; the stub saw no single step.
std::string ldxr_packets(const PeerRun& run) {
    const auto begin = run.gdb_log.find("step-trace: log begin");
    const auto end = run.gdb_log.find("step-trace: log end");
    if (begin == std::string::npos || end == std::string::npos) return "no packet log";
    const std::string log = run.gdb_log.substr(begin, end - begin);
    const std::string z0 = fmt::format("$Z0,{:x},4", run.trace.label("row_ldxr_end"));
    if (log.find(z0) == std::string::npos) return "no " + z0 + " in\n" + log;
    if (log.find("$vCont;c") == std::string::npos && log.find("$c#") == std::string::npos) {
        return "no continue in\n" + log;
    }
    if (log.find("$vCont;s") != std::string::npos || log.find("$s#") != std::string::npos) {
        return "a single step in\n" + log;
    }
    return "";
}

bool have_gdb() { return on_path("gdb-multiarch"); }

void expect_clean_run(const PeerRun& run, const char* name) {
    EXPECT_TRUE(run.failure.empty()) << name << ": " << run.describe();
    EXPECT_TRUE(run.trace.error.empty()) << name << ": gdb: " << run.trace.error << "\n"
                                         << run.describe();
    EXPECT_EQ(run.target_status, 0) << name << ": " << run.describe();
    EXPECT_EQ(run.serial, "\n") << name << ": the serial output is the one byte written";
}

TEST(GdbStepTrace, EveryStepiLandsWhereTheContractSays) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    const PeerRun run = trace_stepvisor(kStepvisor, kElf, kTraps);
    expect_clean_run(run, "stepvisor");
    EXPECT_EQ(join(row_failures(run.trace)), "") << run.describe();
    EXPECT_EQ(join(path_failures(run.trace, run.exits)), "");
    EXPECT_EQ(ldxr_packets(run), "");
}

TEST(GdbStepTrace, StepIrqEnterEndsTheStepOnTheIrqVector) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    // Policy enter: the SGI pending since row_icc_sgi1r is taken at the
    // start of the step after DAIFClr unmasked it; the handler acknowledges
    // it, so the guest's own ICC_IAR1_EL1 read finds nothing (1023).
    const PeerRun run = trace_stepvisor(kStepvisor, kElf, kTraps + " --step-irq enter");
    expect_clean_run(run, "stepvisor --step-irq enter");
    const Trace& t = run.trace;
    const auto i = t.step_from(t.label("row_unmasked"));
    ASSERT_TRUE(i) << run.describe();
    const State &before = t.steps[*i], &after = t.steps[*i + 1];
    EXPECT_EQ(after.pc, t.label("vector_irq")) << where(t, after.pc);
    EXPECT_EQ(after.x[29], before.x[29]) << "the vector's first instruction ran";
    EXPECT_EQ(after.cpsr, kEl1hDaifMasked);
    ASSERT_LT(*i + 2, t.steps.size());
    EXPECT_EQ(t.steps[*i + 2].x[29], 1u) << "the handler acknowledges SGI 1";
    const auto iar = t.step_from(t.label("row_iar"));
    ASSERT_TRUE(iar);
    EXPECT_EQ(t.steps[*iar + 1].x[20], 1023u) << "ICC_IAR1_EL1 after the handler: spurious";
}

// Steps [i-3, i+4) of both, around the first difference.
std::string around(const Trace& a, const Trace& b, size_t i, const char* an, const char* bn) {
    return side_by_side(a, b, i < 3 ? 0 : i - 3, i + 4, an, bn);
}

TEST(GdbStepTrace, ExitStrategyGivesTheSameTrace) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    const PeerRun sm = trace_stepvisor(kStepvisor, kElf, kTraps + " --step-strategy state-machine");
    const PeerRun ex = trace_stepvisor(kStepvisor, kElf, kTraps + " --step-strategy exit");
    expect_clean_run(sm, "state-machine");
    expect_clean_run(ex, "exit");
    EXPECT_EQ(join(row_failures(ex.trace)), "") << ex.describe();
    const Trace &a = sm.trace, &b = ex.trace;
    for (size_t i = 0; i < std::max(a.steps.size(), b.steps.size()); ++i) {
        const bool same = i < a.steps.size() && i < b.steps.size() &&
                          a.steps[i].pc == b.steps[i].pc && a.steps[i].x == b.steps[i].x &&
                          a.steps[i].sp == b.steps[i].sp && a.steps[i].cpsr == b.steps[i].cpsr &&
                          a.steps[i].serial == b.steps[i].serial;
        ASSERT_TRUE(same) << "the strategies' traces differ at step " << i << ":\n"
                          << around(a, b, i, "state-machine", "exit");
    }
    EXPECT_EQ(a.exit_code, b.exit_code);
}

TEST(GdbStepTrace, LegacyStrategyFailsTheRows) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    // The 2017 bug: a step after an emulated instruction runs a second one.
    const PeerRun run = trace_stepvisor(kStepvisor, kElf, kTraps + " --step-strategy legacy");
    // After an emulated instruction (sysreg trap, HVC, in-kernel and
    // userspace MMIO, the fast path) the stepi lands one instruction late...
    const auto failures = row_failures(run.trace);
    auto failed = [&](const std::string& row) {
        for (const auto& f : failures) {
            if (f.starts_with(row + " (") && f.find("landed at") != std::string::npos) return true;
        }
        return false;
    };
    std::string missing;
    for (const char* row :
         {"row_msr_tcr", "row_hvc", "row_gicd_write", "row_uart_read", "row_icc_pmr"}) {
        if (!failed(row)) missing += std::string(" ") + row;
    }
    EXPECT_EQ(missing, "") << "rows that did not land elsewhere under legacy; failures:\n"
                           << join(failures) << run.describe();
    // ... while the instructions the CPU executes still step one by one.
    for (const char* row : {"row_add", "row_branch", "row_load"}) {
        EXPECT_EQ(join(failures).find(std::string(row) + " ("), std::string::npos)
            << join(failures) << run.describe();
    }
}

// What only stepvisor can take through gdb, on the API step matrix's guest
// (guests/step_matrix.S): SMC (TSC), WFE (TWE), WFI with nothing pending
// (virtual time jumps to the timer's deadline) and a vcpu held by the
// debugger (guest time does not move while gdb waits).
TEST(GdbStepTrace, StepvisorOnlyRowsOfTheStepMatrix) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    const std::string elf = std::string(STEPVISOR_GUEST_DIR) + "/step_matrix.elf";
    const PeerRun run = trace_stepvisor(kStepvisor, elf, kTraps,
                                        TraceOptions{.log_at = "-", .sleep_at = "row_time"});
    EXPECT_TRUE(run.trace.error.empty()) << run.describe();
    EXPECT_EQ(run.target_status, 0) << run.describe();
    const Trace& t = run.trace;
    auto after = [&](const std::string& label, uint64_t offset) -> const State* {
        const auto i = t.step_from(t.label(label) + offset);
        return i ? &t.steps[*i + 1] : nullptr;
    };
    const uint64_t smc = t.label("row_smc");
    const State* s = after("row_smc", 0);
    ASSERT_TRUE(s) << run.describe();
    EXPECT_EQ(s->pc, smc + 4) << "SMC (TSC): " << where(t, s->pc);
    EXPECT_EQ(s->x[0], kPsci1_1) << "SMC PSCI_VERSION";
    s = after("row_smc", 8);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->pc, smc + 12) << "WFE (TWE): " << where(t, s->pc);
    s = after("row_wfi", 0);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->pc, t.label("row_wfi") + 4) << "WFI: " << where(t, s->pc);
    ASSERT_FALSE(t.steps.empty());
    const State& end = t.steps.back();
    EXPECT_GE(end.x[26], end.x[24]) << "WFI ended before the timer's deadline";
    EXPECT_EQ(end.x[28] - end.x[27], cpu::kCounterTicksPerInsn)
        << "CNTVCT_EL0 moved while gdb held the vcpu 50 ms between two stepi";
    EXPECT_EQ(t.exit_code, 0) << run.describe();
}

// What legitimately differs between the machines: after the stepi from
// `label` ("_start": in the state before the first stepi), `column` may
// differ; the guest overwrites it with the next instruction.
struct Allowed {
    const char* label;
    int column;
    const char* why;
};
const Allowed kMayDiffer[] = {
    {"_start", kCpsr, "PSTATE.NZCV is UNKNOWN at reset (QEMU's has Z = 1)"},
    {"row_mrs_id", 5, "ID_AA64PFR0_EL1: the two CPU models implement different features"},
};

bool may_differ(const Trace& t, size_t i, int column) {
    for (const Allowed& a : kMayDiffer) {
        if (column != a.column) continue;
        if (i == 0 ? std::string(a.label) == "_start"
                   : t.steps[i - 1].pc == t.label(a.label)) {
            return true;
        }
    }
    return false;
}

// The first step where a and b differ in PC, a register (except kMayDiffer)
// or serial output, or the end of the shorter trace.
std::optional<std::string> first_difference(const Trace& a, const Trace& b, size_t& at) {
    for (at = 0; at < std::min(a.steps.size(), b.steps.size()); ++at) {
        const State &x = a.steps[at], &y = b.steps[at];
        if (x.pc != y.pc) return "PC";
        if (x.serial != y.serial) return "serial output";
        for (int c = 0; c < kColumns; ++c) {
            if (column(x, c) != column(y, c) && !may_differ(a, at, c)) return column_name(c);
        }
    }
    if (a.steps.size() != b.steps.size()) return "the number of steps";
    if (a.exit_code != b.exit_code) return "the exit";
    return std::nullopt;
}

TEST(GdbStepTraceVsQemu, SamePcAndRegistersAfterEveryStepi) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    ASSERT_TRUE(on_path("qemu-system-aarch64")) << "no QEMU (scripts/setup installs it)";
    const PeerRun qemu = trace_qemu(kElf);
    expect_clean_run(qemu, "qemu");
    // The reference machine keeps the contract too, or the rows are wrong.
    EXPECT_EQ(join(row_failures(qemu.trace)), "") << qemu.describe();
    EXPECT_EQ(ldxr_packets(qemu), "");
    // With the ICC_* accesses trapped (the hypervisor's paths) and without
    // (the GICv3 virtual CPU interface in the CPU, the default).
    for (const std::string& traps : {kTraps, std::string()}) {
        SCOPED_TRACE("stepvisor " + traps);
        const PeerRun sv = trace_stepvisor(kStepvisor, kElf, traps);
        expect_clean_run(sv, "stepvisor");
        size_t at = 0;
        if (auto what = first_difference(sv.trace, qemu.trace, at)) {
            ADD_FAILURE() << "stepvisor and QEMU differ in " << *what << " after stepi " << at
                          << ":\n"
                          << around(sv.trace, qemu.trace, at, "stepvisor", "qemu");
        }
        EXPECT_GT(sv.trace.steps.size(), 60u) << "the guest was stepped to its end";
    }
}

}  // namespace
}  // namespace gdbpeer
