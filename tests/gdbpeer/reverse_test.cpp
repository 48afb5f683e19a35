// Reverse debugging through a real gdb-multiarch: `stepvisor run --gdb
// --wait-gdb --reverse` serves bs/bc, `monitor icount` and `monitor goto`,
// and gdb's reverse-stepi, reverse-continue (to a breakpoint, to a
// watchpoint) and the goto monitor command must bring back exactly the
// states the forward run had (DESIGN.md, "Record, replay, reverse": the last
// row of the single-step contract). gdb runs reverse_trace.py, which records
// the full machine state after every command.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "tests/gdbpeer/peers.h"
#include "tests/gdbpeer/trace.h"

namespace gdbpeer {
namespace {

const std::string kElf = std::string(STEPVISOR_GUEST_DIR) + "/gdb_steps.elf";
const std::string kStepvisor = STEPVISOR_BINARY;
constexpr const char* kNoHistory = "No more reverse-execution history";

// What gdb reads of the machine after one command: PC, X0-X30, SP, CPSR
// without PSTATE.SS, FPSR, FPCR, TCR_EL1, ESR_EL1, V0-V31 (raw), `monitor
// icount` (-1: no answer), and the size of the serial output file.
struct Machine {
    int64_t icount = -1;
    uint64_t pc = 0;
    std::array<uint64_t, 31> x{};
    uint64_t sp = 0, cpsr = 0, fpsr = 0, fpcr = 0, tcr = 0, esr = 0;
    std::array<std::string, 32> v;  // 32 hex digits, high half first
    long serial = -1;
};

// Every field of the state but the serial output, by name, as text.
std::vector<std::pair<std::string, std::string>> fields(const Machine& m) {
    std::vector<std::pair<std::string, std::string>> f;
    f.emplace_back("icount", std::to_string(m.icount));
    f.emplace_back("pc", fmt::format("{:#x}", m.pc));
    for (size_t i = 0; i < m.x.size(); ++i) f.emplace_back(fmt::format("x{}", i), fmt::format("{:#x}", m.x[i]));
    f.emplace_back("sp", fmt::format("{:#x}", m.sp));
    f.emplace_back("cpsr", fmt::format("{:#x}", m.cpsr));
    f.emplace_back("fpsr", fmt::format("{:#x}", m.fpsr));
    f.emplace_back("fpcr", fmt::format("{:#x}", m.fpcr));
    f.emplace_back("TCR_EL1", fmt::format("{:#x}", m.tcr));
    f.emplace_back("ESR_EL1", fmt::format("{:#x}", m.esr));
    for (size_t i = 0; i < m.v.size(); ++i) f.emplace_back(fmt::format("v{}", i), "0x" + m.v[i]);
    return f;
}

// The fields where a and b differ ("name: got A, expected B"), but those
// named in `ignore`; empty when equal.
std::string differences(const Machine& got, const Machine& want,
                        const std::vector<std::string>& ignore = {}) {
    const auto g = fields(got), w = fields(want);
    std::string d;
    for (size_t i = 0; i < g.size(); ++i) {
        if (std::find(ignore.begin(), ignore.end(), g[i].first) != ignore.end()) continue;
        if (g[i].second != w[i].second) {
            d += fmt::format("  {}: got {}, expected {}\n", g[i].first, g[i].second, w[i].second);
        }
    }
    return d;
}

// One command gdb ran, and what came of it.
struct Op {
    int seq = 0;
    std::string command;
    std::string said;     // what gdb.execute returned
    std::string printed;  // gdb's stdout while it ran (the stop it printed)
    std::string error;    // the gdb.error it raised
    std::string icount_said;  // `monitor icount`'s answer when not "icount N"
    std::string packets;      // gdb's remote packet log from it to the next
    std::optional<Machine> state;

    std::string text() const { return said + printed; }
};

std::string unhex(const std::string& h) {
    std::string s;
    for (size_t i = 0; i + 1 < h.size(); i += 2) s += char(std::stoi(h.substr(i, 2), nullptr, 16));
    return s;
}

// gdb's stdout or stderr cut at the script's "@@reverse-trace op SEQ" lines.
std::map<int, std::string> sections(const std::string& text) {
    std::map<int, std::string> out;
    std::istringstream in(text);
    std::string line;
    int seq = 0;
    while (std::getline(in, line)) {
        if (line.starts_with("@@reverse-trace op ")) {
            seq = std::atoi(line.c_str() + 19);
            continue;
        }
        out[seq] += line + "\n";
    }
    return out;
}

struct ReverseRun {
    Trace labels;  // only its labels: for where()
    std::vector<Op> ops;  // ops[0]: the state before any command
    std::optional<int> exit_code;
    std::string target_log, gdb_out, gdb_err, serial, failure;
    std::optional<int> target_status;

    std::string where(uint64_t pc) const { return gdbpeer::where(labels, pc); }
    std::string at(const Op& op) const {
        return op.state ? fmt::format("{} ({:#x}), icount {}", where(op.state->pc), op.state->pc,
                                      op.state->icount)
                        : std::string("no state");
    }
    // The n-th command (from 0) that is `command`.
    const Op* nth(const std::string& command, int n = 0) const {
        for (const Op& op : ops) {
            if (op.command == command && n-- == 0) return &op;
        }
        return nullptr;
    }
    std::vector<const Op*> all(const std::string& command) const {
        std::vector<const Op*> v;
        for (const Op& op : ops) {
            if (op.command == command) v.push_back(&op);
        }
        return v;
    }
    std::string describe(size_t max_ops = 40) const {
        std::string s;
        const size_t first = ops.size() > max_ops ? ops.size() - max_ops : 0;
        if (first) s += fmt::format("... {} commands before\n", first);
        for (size_t i = first; i < ops.size(); ++i) {
            const Op& op = ops[i];
            s += fmt::format("  [{}] {} -> {}{}{}\n", op.seq, op.command, at(op),
                             op.error.empty() ? "" : " ERROR " + op.error,
                             op.icount_said.empty() ? "" : " (monitor icount: " + op.icount_said + ")");
        }
        std::string err_tail = gdb_err.size() > 3000 ? "..." + gdb_err.substr(gdb_err.size() - 3000) : gdb_err;
        return fmt::format(
            "commands:\n{}exit: {}; target status {}\n--- target stderr ---\n{}--- gdb stdout ---\n{}"
            "--- gdb stderr (tail) ---\n{}{}\n",
            s, exit_code ? std::to_string(*exit_code) : "none",
            target_status ? std::to_string(*target_status) : "none (killed)", target_log,
            gdb_out.size() > 6000 ? "..." + gdb_out.substr(gdb_out.size() - 6000) : gdb_out, err_tail,
            failure.empty() ? "" : "\n" + failure);
    }
    // What one command printed and its packet log, for a failure message.
    std::string detail(const Op& op) const {
        std::string p = op.packets.size() > 6000 ? op.packets.substr(0, 6000) + "...\n" : op.packets;
        return fmt::format("[{}] {}\n--- gdb said ---\n{}{}--- packets ---\n{}", op.seq, op.command,
                           op.text(), op.error.empty() ? "" : "error: " + op.error + "\n", p);
    }
};

void parse(ReverseRun& run, const std::string& trace) {
    std::istringstream in(trace);
    std::string line;
    std::map<int, size_t> index;
    auto op = [&](int seq) -> Op& {
        auto it = index.find(seq);
        if (it == index.end()) {
            run.ops.emplace_back().seq = seq;
            it = index.emplace(seq, run.ops.size() - 1).first;
        }
        return run.ops[it->second];
    };
    while (std::getline(in, line)) {
        std::istringstream l(line);
        std::string kind, text;
        int seq = 0;
        l >> kind;
        if (kind == "label") {
            std::string name, addr;
            l >> name >> addr;
            run.labels.labels[name] = std::stoull(addr, nullptr, 16);
        } else if (kind == "exited") {
            int code = -1;
            l >> code;
            run.exit_code = code;
        } else if (kind == "op" || kind == "said" || kind == "error" || kind == "icount-said") {
            l >> seq >> text;
            std::string t = text == "-" ? "" : unhex(text);
            if (kind != "said") {
                while (!t.empty() && t.back() == '\n') t.pop_back();
            }
            Op& o = op(seq);
            (kind == "op" ? o.command : kind == "said" ? o.said : kind == "error" ? o.error : o.icount_said) = t;
        } else if (kind == "state") {
            Machine m;
            l >> seq >> std::dec >> m.icount >> std::hex >> m.pc;
            for (auto& r : m.x) l >> r;
            l >> m.sp >> m.cpsr >> m.fpsr >> m.fpcr >> m.tcr >> m.esr;
            for (auto& v : m.v) l >> v;
            l >> std::dec >> m.serial;
            if (l) op(seq).state = m;
        }
    }
    const auto out = sections(run.gdb_out), err = sections(run.gdb_err);
    for (Op& o : run.ops) {
        if (auto it = out.find(o.seq); it != out.end()) o.printed = it->second;
        if (auto it = err.find(o.seq); it != err.end()) o.packets = it->second;
    }
}

// `stepvisor run --gdb 127.0.0.1:0 --wait-gdb --reverse EXTRA gdb_steps.elf`
// with gdb-multiarch running reverse_trace.py on `commands` (';'-separated).
ReverseRun run_reverse(const std::string& commands, const std::string& extra = "") {
    ReverseRun run;
    TempDir dir;
    const fs::path d = dir.path();
    Process target(fmt::format(
        "exec timeout -k 5 {0} {1} run --gdb 127.0.0.1:0 --wait-gdb --reverse {2} {5} {3} "
        ">{4}/serial 2>{4}/target.err </dev/null",
        kProcessLimit, quote(kStepvisor), jit_option(), quote(kElf), quote(d.string()), extra));
    const std::optional<int> port = wait_for_port(run, target, d / "target.err");
    if (!port) return run;
    const fs::path script = fs::path(STEPVISOR_GDBPEER_DIR) / "reverse_trace.py";
    const std::string cmd = fmt::format(
        "REVERSE_TRACE_OUT={0}/trace REVERSE_TRACE_SERIAL={0}/serial REVERSE_TRACE_COMMANDS={1} "
        "exec timeout -k 5 {2} gdb-multiarch -batch -nx -ex 'set architecture aarch64' -ex {3} "
        "-ex 'target remote 127.0.0.1:{4}' -x {5} >{0}/gdb.out 2>{0}/gdb.err </dev/null",
        quote(d.string()), quote(commands), kProcessLimit, quote("file " + kElf), *port,
        quote(script.string()));
    Process gdb(cmd);
    if (!gdb.wait(std::chrono::seconds(kProcessLimit + 10))) run.failure = "gdb did not end";
    // gdb -batch detaches at its end; the target then runs to its power-off.
    run.target_status = target.wait(20s);
    run.gdb_out = read_text(d / "gdb.out");
    run.gdb_err = read_text(d / "gdb.err");
    run.serial = read_text(d / "serial");
    run.target_log = read_text(d / "target.err");
    parse(run, read_text(d / "trace"));
    if (run.ops.empty() || !run.ops[0].state) run.failure += "\nno state before the first command";
    return run;
}

bool have_gdb() { return on_path("gdb-multiarch"); }

// The run could be traced, no command failed, and after gdb detached the
// guest ran on from where gdb left it in its history to its power-off.
void expect_clean(const ReverseRun& run) {
    ASSERT_TRUE(run.failure.empty()) << run.describe();
    EXPECT_EQ(run.target_status, 0) << "the guest did not power off after gdb detached\n"
                                    << run.describe();
    for (const Op& op : run.ops) {
        ASSERT_TRUE(op.error.empty()) << "gdb failed a command:\n" << run.detail(op) << run.describe();
        ASSERT_TRUE(op.state) << "no state after:\n" << run.detail(op) << run.describe();
        ASSERT_GE(op.state->icount, 0) << "`monitor icount` after [" << op.seq << "] " << op.command
                                       << " said: " << op.icount_said << "\n"
                                       << run.describe();
    }
}

bool says(const Op& op, const std::string& what) { return op.text().find(what) != std::string::npos; }

// gdb steps forwards from _start to row_off (the PSCI SYSTEM_OFF, not run:
// the target stays alive), then reverse-stepi to the start of history:
// every state comes back, in reverse order, and the serial output (the
// newline of row_uart_write) is not written again.
void every_state_comes_back(const std::string& extra) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    const ReverseRun run = run_reverse("stepi-until row_off 400; reverse-stepi-to-start 500", extra);
    expect_clean(run);
    if (::testing::Test::HasFatalFailure()) return;
    std::vector<const Op*> fwd{&run.ops[0]};
    for (const Op* op : run.all("stepi")) fwd.push_back(op);
    const auto rev = run.all("reverse-stepi");
    ASSERT_EQ(fwd.back()->state->pc, run.labels.label("row_off"))
        << "the forward stepi did not reach row_off\n" << run.describe();
    ASSERT_GT(fwd.size(), 60u) << run.describe();
    if (extra.find("--step-irq enter") != std::string::npos) {
        // The SGI pending since row_icc_sgi1r is taken on the step after
        // DAIFClr unmasked it (GdbStepTrace.StepIrqEnterEndsTheStepOnTheIrqVector).
        size_t i = 0;
        while (i + 1 < fwd.size() && fwd[i]->state->pc != run.labels.label("row_unmasked")) ++i;
        ASSERT_LT(i + 1, fwd.size()) << run.describe(100);
        ASSERT_EQ(fwd[i + 1]->state->pc, run.labels.label("vector_irq"))
            << "with " << extra << ", the stepi from row_unmasked landed at " << run.at(*fwd[i + 1])
            << ", not on the IRQ vector\n" << run.detail(*fwd[i + 1]);
    }
    const long serial = fwd.back()->state->serial;
    ASSERT_EQ(serial, 1) << "row_uart_write's newline was written once, forwards";
    for (size_t i = 1; i < fwd.size(); ++i) {
        // An exception entry (UDF, and a BRK re-injected) retires nothing.
        ASSERT_GE(fwd[i]->state->icount, fwd[i - 1]->state->icount)
            << "icount went back with stepi from " << run.at(*fwd[i - 1]) << "\n"
            << run.detail(*fwd[i]);
    }
    ASSERT_FALSE(rev.empty()) << run.describe();

    const uint64_t ldxr = run.labels.label("row_ldxr");
    size_t i = fwd.size() - 1;  // the forward state the target is at
    size_t interior = 0;        // states inside the LDXR..STXR unit
    for (size_t j = 0; j < rev.size(); ++j) {
        const Op& op = *rev[j];
        const Machine& r = *op.state;
        SCOPED_TRACE(fmt::format("reverse-stepi #{} (command [{}]), from forward state {} at {}", j + 1,
                                 op.seq, i, run.at(*fwd[i])));
        EXPECT_EQ(r.serial, serial) << "the serial output changed in the reverse pass at "
                                    << run.at(op) << ": bytes written again\n" << run.detail(op);
        if (i == 0) {
            // At the start of history: nothing moves, gdb says so.
            ASSERT_EQ(differences(r, *fwd[0]->state), "")
                << "a reverse-stepi at the start of history moved the machine\n" << run.detail(op);
            ASSERT_TRUE(says(op, kNoHistory)) << "at the start of history\n" << run.detail(op);
            continue;
        }
        const Machine& want = *fwd[i - 1]->state;
        if (differences(r, want).empty()) {
            --i;
            // gdb may say so with the step that reaches the start (its own
            // record-full target does), never before.
            EXPECT_TRUE(i == 0 || !says(op, kNoHistory))
                << "\"" << kNoHistory << "\" at " << run.at(op) << ", " << i
                << " steps after the start\n" << run.detail(op);
            continue;
        }
        // Forwards, gdb stepped LDXR..STXR as one unit (a breakpoint after
        // it); backwards it takes one instruction at a time: the states at
        // the ADD and the STXR are new, the same as at the LDXR but for PC
        // and X22 (the 0 loaded from data + 8 at the ADD, 1 at the STXR).
        const bool inside = want.pc == ldxr && (r.pc == ldxr + 4 || r.pc == ldxr + 8) &&
                            r.icount > want.icount && r.icount < fwd[i]->state->icount &&
                            r.x[22] == (r.pc == ldxr + 4 ? 0u : 1u);
        if (inside && differences(r, want, {"pc", "icount", "x22"}).empty()) {
            ++interior;
            continue;
        }
        ADD_FAILURE() << "reverse-stepi #" << j + 1 << " landed at " << run.at(op)
                      << "; the forward run had, one step before " << run.at(*fwd[i]) << ", "
                      << run.at(*fwd[i - 1]) << " (forward state " << i - 1 << "):\n"
                      << differences(r, want) << run.detail(op);
        return;
    }
    EXPECT_EQ(i, 0u) << "the reverse pass ended " << i << " steps after the start, at "
                     << run.at(*rev.back()) << "\n" << run.describe();
    EXPECT_LE(interior, 2u);
    EXPECT_TRUE(says(*rev.back(), kNoHistory))
        << "the last reverse-stepi, at the start:\n" << run.detail(*rev.back());
    EXPECT_EQ(run.serial, "\n") << "the serial output is the one byte the guest wrote";
}

TEST(ReverseStepi, EveryStateComesBack) { every_state_comes_back(""); }

// The same with every ICC_* access trapped (the hypervisor's fast path and
// its decline) and the pending SGI taken on the step after DAIFClr (policy
// enter): an interrupt entry in the history comes back too.
TEST(ReverseStepi, EveryStateComesBackThroughTrapsAndAnInterrupt) {
    every_state_comes_back("--gic-cpuif-trap group0,group1,common --step-irq enter");
}

// After the reverse pass to the start, stepi forwards again replays the
// history: the same states as the first forward pass, and the serial output
// not written a second time (row_uart_write's newline is in the history).
TEST(ReverseStepi, ForwardAgainReplaysTheSameStates) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    const ReverseRun run = run_reverse(
        "stepi-until row_off 400; reverse-stepi-to-start 500; stepi-until row_off 400");
    expect_clean(run);
    if (::testing::Test::HasFatalFailure()) return;
    // The stepi commands before the first reverse-stepi, and after the last.
    std::vector<const Op*> first{&run.ops[0]}, again;
    bool reversed = false;
    const Op* last_back = nullptr;
    for (const Op& op : run.ops) {
        if (op.command == "reverse-stepi") reversed = true, last_back = &op;
        if (op.command != "stepi") continue;
        (reversed ? again : first).push_back(&op);
    }
    ASSERT_TRUE(last_back) << run.describe();
    again.insert(again.begin(), last_back);  // at the start of history
    ASSERT_EQ(first.back()->state->pc, run.labels.label("row_off")) << run.describe();
    ASSERT_EQ(again.size(), first.size()) << run.describe();
    for (size_t i = 0; i < first.size(); ++i) {
        ASSERT_EQ(differences(*again[i]->state, *first[i]->state), "")
            << "stepi " << i << " replayed: at " << run.at(*again[i]) << ", the first pass at "
            << run.at(*first[i]) << "\n" << run.detail(*again[i]);
        ASSERT_EQ(again[i]->state->serial, 1)
            << "serial output at " << run.at(*again[i]) << " replaying forwards\n"
            << run.detail(*again[i]);
    }
    EXPECT_EQ(run.serial, "\n") << "the serial output is the one byte the guest wrote";
}

// A breakpoint at row_hvc, hit forwards, then a temporary one at row_wfi
// (past the exceptions, the MMIO and the serial output): reverse-continue
// stops at row_hvc with the state the forward stop had; the next one finds
// no earlier hit and stops at the start of history; continue replays to the
// breakpoint again.
TEST(ReverseContinue, ToABreakpoint) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    const ReverseRun run = run_reverse(
        "break row_hvc; continue; tbreak row_wfi; continue; reverse-continue; reverse-continue; "
        "continue");
    expect_clean(run);
    if (::testing::Test::HasFatalFailure()) return;
    const Op *hit = run.nth("continue", 0), *later = run.nth("continue", 1),
             *back = run.nth("reverse-continue", 0), *start = run.nth("reverse-continue", 1),
             *again = run.nth("continue", 2);
    ASSERT_TRUE(hit && later && back && start && again) << run.describe();
    const uint64_t hvc = run.labels.label("row_hvc");
    ASSERT_EQ(hit->state->pc, hvc) << run.detail(*hit);
    ASSERT_EQ(later->state->pc, run.labels.label("row_wfi")) << run.detail(*later);
    EXPECT_EQ(later->state->serial, 1) << "forwards, row_uart_write's newline";

    EXPECT_EQ(back->state->pc, hvc) << "reverse-continue stopped at " << run.at(*back) << "\n"
                                    << run.detail(*back);
    EXPECT_TRUE(says(*back, "Breakpoint 1, ")) << run.detail(*back);
    EXPECT_EQ(differences(*back->state, *hit->state), "")
        << "reverse-continue to the breakpoint: not the forward stop's state\n" << run.detail(*back);
    EXPECT_EQ(back->state->serial, 1) << "the serial output changed going back";

    EXPECT_TRUE(says(*start, kNoHistory)) << run.detail(*start);
    EXPECT_EQ(differences(*start->state, *run.ops[0].state), "")
        << "reverse-continue past the first hit: not the state at the start\n" << run.detail(*start);
    EXPECT_EQ(start->state->serial, 1) << "the serial output changed going back";

    EXPECT_TRUE(says(*again, "Breakpoint 1, ")) << run.detail(*again);
    EXPECT_EQ(differences(*again->state, *hit->state), "")
        << "continue from the start of history to the breakpoint: not the first stop's state\n"
        << run.detail(*again);
    EXPECT_EQ(again->state->serial, 1) << "the serial output changed replaying forwards";
}

// A write watchpoint on data + 8, which only row_ldxr's STXR writes (0 ->
// 1). Forwards gdb reports it after the store (PC at row_ldxr_end, Old 0,
// New 1); backwards it must stop with PC at the STXR, the store not yet
// done (Old 1, New 0), the state of the forward stop but PC and one
// instruction fewer retired; the next reverse-continue finds no other write.
TEST(ReverseContinue, ToAWatchpoint) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    const std::string data8 = "*(unsigned long *)((char *)&data + 8)";
    const ReverseRun run = run_reverse(fmt::format(
        "watch {0}; continue; tbreak row_off; continue; reverse-continue; print/x {0}; x/i $pc; "
        "reverse-continue",
        data8));
    expect_clean(run);
    if (::testing::Test::HasFatalFailure()) return;
    const Op *wrote = run.nth("continue", 0), *later = run.nth("continue", 1),
             *back = run.nth("reverse-continue", 0), *value = run.nth("print/x " + data8),
             *insn = run.nth("x/i $pc"), *start = run.nth("reverse-continue", 1);
    ASSERT_TRUE(wrote && later && back && value && insn && start) << run.describe();
    const uint64_t stxr = run.labels.label("row_ldxr") + 8;

    // Forwards: the store done, gdb stopped after it.
    ASSERT_EQ(wrote->state->pc, run.labels.label("row_ldxr_end")) << run.detail(*wrote);
    ASSERT_TRUE(says(*wrote, "Old value = 0\nNew value = 1\n")) << run.detail(*wrote);
    EXPECT_EQ(wrote->state->x[22], 1u);
    EXPECT_EQ(wrote->state->x[23], 0u) << "STXR succeeded";
    ASSERT_EQ(later->state->pc, run.labels.label("row_off")) << run.detail(*later);

    // Backwards: at the STXR, the store undone.
    EXPECT_EQ(back->state->pc, stxr) << "reverse-continue to the watchpoint stopped at "
                                     << run.at(*back) << ", not at the STXR (row_ldxr+0x8)\n"
                                     << run.detail(*back);
    EXPECT_TRUE(says(*back, "Old value = 1\nNew value = 0\n")) << run.detail(*back);
    EXPECT_TRUE(says(*value, "= 0x0\n")) << "data + 8 at the STXR: " << value->text();
    EXPECT_TRUE(says(*insn, "stxr")) << insn->text();
    EXPECT_EQ(back->state->icount, wrote->state->icount - 1) << run.detail(*back);
    EXPECT_EQ(differences(*back->state, *wrote->state, {"pc", "icount"}), "")
        << "at the STXR (before it) and after it the registers are the same but PC\n"
        << run.detail(*back);
    EXPECT_EQ(back->state->serial, 1) << "the serial output changed going back";

    EXPECT_TRUE(says(*start, kNoHistory)) << run.detail(*start);
    EXPECT_EQ(differences(*start->state, *run.ops[0].state), "") << run.detail(*start);
}

// `monitor icount` counts the stepi from _start to row_svc (plain
// instructions, trapped and emulated ones, the lazy FP switch and the HVC:
// one each); `monitor goto K` to every count on the way, from the last to the
// first and back, then `maintenance flush register-cache`: the state the
// forward stepi had at K.
TEST(MonitorGoto, MovesBothWays) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    // Last, from a goto into the middle of the history (row_fp, the FPSR
    // write), reverse-stepi and stepi carry on from there.
    const ReverseRun run =
        run_reverse("stepi-until row_svc 100; goto-recorded; goto-label row_fp; reverse-stepi; "
                    "stepi; stepi");
    expect_clean(run);
    if (::testing::Test::HasFatalFailure()) return;
    std::vector<const Op*> fwd{&run.ops[0]};
    const auto stepi = run.all("stepi");
    ASSERT_GE(stepi.size(), 2u) << run.describe();
    fwd.insert(fwd.end(), stepi.begin(), stepi.end() - 2);
    ASSERT_EQ(fwd.back()->state->pc, run.labels.label("row_svc")) << run.describe();
    const int64_t first = fwd[0]->state->icount;
    std::map<int64_t, const Op*> at;
    for (size_t i = 0; i < fwd.size(); ++i) {
        ASSERT_EQ(fwd[i]->state->icount, first + int64_t(i))
            << "after stepi " << i << " to " << run.at(*fwd[i]) << "\n" << run.detail(*fwd[i]);
        at[fwd[i]->state->icount] = fwd[i];
    }
    size_t gotos = 0;
    for (const Op& op : run.ops) {
        if (!op.command.starts_with("monitor goto ")) continue;
        ++gotos;
        const int64_t k = std::stoll(op.command.substr(13));
        ASSERT_TRUE(at.count(k)) << run.detail(op);
        const Op& want = *at.at(k);
        EXPECT_EQ(differences(*op.state, *want.state), "")
            << "[" << op.seq << "] monitor goto " << k << " (forward: " << run.at(want)
            << "), now at " << run.at(op) << "\n" << run.detail(op);
        EXPECT_EQ(op.state->serial, 0) << "output before row_uart_write";
    }
    EXPECT_EQ(gotos, 2 * fwd.size() + 1) << run.describe();

    // At row_fp again: one step back, then two forwards.
    const Op *back = run.nth("reverse-stepi"), *one = stepi.end()[-2], *two = stepi.end()[-1];
    ASSERT_TRUE(back) << run.describe();
    const int64_t k = std::stoll(run.ops[size_t(back->seq) - 1].command.substr(13));
    ASSERT_EQ(at.at(k)->state->pc, run.labels.label("row_fp"));
    for (const auto& [op, want] : {std::pair{back, k - 1}, {one, k}, {two, k + 1}}) {
        EXPECT_EQ(differences(*op->state, *at.at(want)->state), "")
            << "[" << op->seq << "] " << op->command << " after monitor goto " << k << " (row_fp): at "
            << run.at(*op) << ", the forward run at " << run.at(*at.at(want)) << "\n"
            << run.detail(*op);
    }
}

// `monitor goto` past the end of the guest (its power-off, PSCI SYSTEM_OFF
// after about 93 instructions), whatever it answers, leaves the history
// whole: a goto back to row_fp has the forward state there, and reverse-stepi
// and stepi move from it as they did before.
TEST(MonitorGoto, PastThePowerOffAndBack) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    const ReverseRun run = run_reverse(
        "stepi-until row_svc 100; tbreak row_wfi; continue; monitor goto 100000; "
        "goto-label row_fp; reverse-stepi; stepi");
    expect_clean(run);
    if (::testing::Test::HasFatalFailure()) return;
    std::map<int64_t, const Op*> at{{run.ops[0].state->icount, &run.ops[0]}};
    const auto stepi = run.all("stepi");
    ASSERT_GE(stepi.size(), 2u) << run.describe();
    for (auto it = stepi.begin(); it != stepi.end() - 1; ++it) at[(*it)->state->icount] = *it;
    const Op* far = run.nth("monitor goto 100000");
    ASSERT_TRUE(far) << run.describe();
    const Op& there = run.ops[size_t(far->seq) + 1];
    ASSERT_TRUE(there.command.starts_with("monitor goto ")) << run.describe();
    const int64_t k = std::stoll(there.command.substr(13));
    ASSERT_TRUE(at.count(k) && at.count(k - 1)) << run.describe();
    const Op *back = run.nth("reverse-stepi"), *forth = stepi.back();
    ASSERT_TRUE(back) << run.describe();
    for (const auto& [op, want] : {std::pair{&there, k}, {back, k - 1}, {forth, k}}) {
        EXPECT_EQ(differences(*op->state, *at.at(want)->state), "")
            << "[" << op->seq << "] " << op->command << " after `monitor goto 100000` ("
            << far->text() << "): at " << run.at(*op) << ", the forward run at "
            << run.at(*at.at(want)) << "\n" << run.detail(*op);
    }
}

}  // namespace
}  // namespace gdbpeer
