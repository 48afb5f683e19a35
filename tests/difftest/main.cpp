// stepvisor-difftest: random A64 integer programs run instruction by
// instruction on stepvisor's CPU and on Unicorn, comparing X0-X30, SP, PC,
// NZCV and the memory the program may touch after every step.
//
//   stepvisor-difftest --seed S --count N [--group NAME,...] [--case K] [--verbose]
//   stepvisor-difftest --self-test     (plants bugs and expects them caught)
//   stepvisor-difftest --mmu 4k ...    (stage 1 on: tests/difftest/mmu.h)
//   stepvisor-difftest --lockstep ...  (the translation tier against the
//                                       interpreter: tests/difftest/lockstep.h)
//
// Exit status: 0 when everything matched, 1 on a divergence, 2 on bad usage.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "tests/difftest/lockstep.h"
#include "tests/difftest/report.h"
#include "tests/difftest/runner.h"

namespace difftest {
namespace {

// A bit flipped in stepvisor's state after one step: the tester must report it.
// With --mmu, a wrong leaf descriptor for the data buffer in stepvisor's
// tables, from a case on: its output address a granule off, or AF = 0.
enum class Plant : uint8_t { None, Gpr, Sp, Nzcv, Memory, Vreg, Fpsr, PteAddress, PteAccessFlag };
constexpr const char* kPlantNames[] = {"none",         "a GPR bit",     "an SP bit",
                                       "an NZCV bit",  "a memory bit",  "a V register bit",
                                       "an FPSR flag", "a data PTE's output address",
                                       "a data PTE's Access flag"};
bool translation_plant(Plant p) { return p == Plant::PteAddress || p == Plant::PteAccessFlag; }

struct Options {
    uint64_t seed = 1;
    uint64_t count = 100000;
    std::vector<std::string> groups;
    int64_t only_case = -1;
    bool verbose = false;
    bool stats = false;  // instructions compared per group at the end
    bool oracle_only = false;  // checks the generator: Unicorn alone must not fault
    // Every other case also runs as one Cpu::run() (the block-cache fast path
    // rather than single steps), compared at its end.
    bool whole_cases = false;
    bool jit = cpu::Cpu::jit_supported();  // whole cases run through the translation tier
    bool lockstep = false;
    GranuleMode mmu = GranuleMode::Off;
    Plant plant = Plant::None;
    uint64_t plant_at = 0;  // instruction number (1-based) after whose step the bit flips
};

struct Result {
    bool diverged = false;
    uint64_t at_insn = 0;  // the last instruction of the diverging step
    uint64_t compared = 0, cases = 0;
    std::map<std::string_view, uint64_t> per_group;  // first instruction of each step
    std::vector<std::string_view> uncovered;          // --stats: selected groups none of whose forms ran
};

uint64_t case_seed(uint64_t seed, uint64_t index) {
    Rng r(seed * 0x100000001B3ull ^ (index + 1) * 0x9E3779B97F4A7C15ull);
    return r.next();
}

void plant(SvRunner& sv, const Case& c, Plant p, Rng& r) {
    auto& s = sv.cpu().state();
    if (p == Plant::Memory && c.touched.empty()) p = Plant::Gpr;
    switch (p) {
    case Plant::Gpr: s.x[r.below(31)] ^= 1ull << r.below(64); break;
    case Plant::Sp: sv.cpu().sp() ^= 1ull << r.below(64); break;
    case Plant::Nzcv: s.pstate.set_nzcv(s.pstate.nzcv() ^ (1u << r.below(4))); break;
    case Plant::Vreg: {
        auto& v = s.v[r.below(32)];
        const unsigned bit = r.below(128);
        v.set(64, bit / 64, v.get(64, bit / 64) ^ (1ull << bit % 64));
        break;
    }
    case Plant::Fpsr: s.fpsr ^= 1u << r.below(5); break;  // IOC, DZC, OFC, UFC, IXC
    case Plant::Memory: {
        const Range& t = c.touched[r.below(c.touched.size())];
        sv.ram()[data_pa(c.mmu ? &*c.mmu : nullptr, t.addr + r.below(t.size)) - kRamBase] ^=
            uint8_t(1u << r.below(8));
        break;
    }
    default: break;
    }
}

void plant_translation(SvRunner& sv, const Case& c, Plant p) {
    uint8_t* d = &sv.ram()[c.mmu->data_pte - kRamBase];
    const unsigned bit = p == Plant::PteAddress ? c.mmu->grain : 10;  // OA[grain] or AF
    d[bit / 8] ^= uint8_t(1u << bit % 8);
}

// The generator's ranges (VAs) as the physical ranges both RAMs hold them at.
std::vector<Range> physical(const Case& c, const std::vector<Range>& ranges) {
    if (!c.mmu) return ranges;
    std::vector<Range> out;
    for (const Range& r : ranges)
        for (uint64_t a = r.addr; a < r.addr + r.size;) {
            const uint64_t end = std::min(r.addr + r.size, (a | (kPiece - 1)) + 1);
            out.push_back({data_pa(&*c.mmu, a), unsigned(end - a)});
            a = end;
        }
    return out;
}

// An instruction both sides must refuse: stepvisor takes EC 0x00 to EL1 at
// its PC, Unicorn stops with an error, and no register changes.
bool undefined_on_both(const Snapshot& before, const Snapshot& sv, const Snapshot& uc, uint64_t pc) {
    if (!sv.undefined_at(pc) || uc.fault.empty()) return false;
    Snapshot b = before, s = sv, u = uc;
    b.pc = s.pc = u.pc = pc;
    b.fault.clear(), s.fault.clear(), u.fault.clear();
    return same_state(b, s) && same_state(b, u);
}

// An access both sides must refuse: stepvisor exits to EL2 with a stage-2
// translation fault (EC 0x24, DFSC 0b0001xx) at FAR_EL2 = far, Unicorn stops
// with an error, and no register changes (no load, no writeback).
bool faulted_on_both(const Snapshot& before, const Snapshot& sv, const Snapshot& uc, uint64_t pc,
                     uint64_t far) {
    const bool abort = sv.trapped && (sv.trap_esr >> 26) == 0x24 && (sv.trap_esr & 0x3C) == 0x04 &&
                       sv.trap_far == far;
    if (!abort || uc.fault.empty()) return false;
    Snapshot b = before, s = sv, u = uc;
    b.pc = s.pc = u.pc = pc;
    b.fault.clear(), s.fault.clear(), u.fault.clear();
    return same_state(b, s) && same_state(b, u);
}

// The access to the fault window with --mmu: it faults on both sides or on
// neither. Unicorn 2.0.1 raises the Data Abort (UC_HOOK_INTR, EXCP_DATA_ABORT)
// but never takes it, so ESR_EL1 and FAR_EL1 are not written there
// (docs/oracle-exceptions.md, mmu-abort-not-taken): stepvisor's syndrome is
// checked against the tester's own tables instead: EC 0x25, the window's
// DFSC, FAR_EL1, ELR_EL1.
bool window_access_ok(const MmuSetup& m, const Snapshot& before, const Snapshot& sv, const Snapshot& uc,
                      uint64_t pc, uint64_t far) {
    if (sv.fault.empty() && uc.fault.empty()) return !m.window_always_faults() && same_state(sv, uc);
    const uint64_t esr = sv.el1_esr;
    const bool abort = sv.el1_exception && (esr >> 26) == 0x25 && (esr & 0x3F) == m.window_dfsc() &&
                       sv.el1_far == far && sv.el1_elr == pc;
    if (!abort || uc.uc_intno != kExcpDataAbort) return false;
    Snapshot b = before, s = sv, u = uc;
    b.pc = s.pc = u.pc = pc;
    b.fault.clear(), s.fault.clear(), u.fault.clear();
    return same_state(b, s) && same_state(b, u);
}

class Tester {
public:
    explicit Tester(const Options& o) : o_(o), uc_(o.mmu != GranuleMode::Off) {
        for (const Form& f : all_forms()) {
            if (!o.groups.empty() && !std::count(o.groups.begin(), o.groups.end(), f.group)) continue;
            auto g = std::find_if(groups_.begin(), groups_.end(),
                                  [&](const auto& v) { return v.front()->group == f.group; });
            (g == groups_.end() ? groups_.emplace_back() : *g).push_back(&f);
        }
        for (size_t i = 0; i < o.groups.size(); ++i) repro_ += (i ? "," : " --group ") + o.groups[i];
        static constexpr const char* kGranuleNames[] = {"off", "4k"};
        if (o.mmu != GranuleMode::Off) repro_ += fmt::format(" --mmu {}", kGranuleNames[int(o.mmu)]);
    }
    bool empty() const { return groups_.empty(); }
    Result run();
    Case make_case(uint64_t index) const;

private:
    enum class Outcome { Ok, Diverged, MemoryAtEnd };
    Outcome run_case(uint64_t index, const Case& c, bool full_memory, Result& res);
    Outcome run_whole_case(uint64_t index, const Case& c, Result& res);
    Outcome check_ram(uint64_t index);
    // Stray writes outside the data buffer are looked for every this many cases.
    static constexpr uint64_t kRamCheckCases = 256;
    uint64_t last_ram_check_ = 0;

    Options o_;
    Builder::Groups groups_;
    std::string repro_;  // the options a reproducing run needs besides seed and case
    SvRunner sv_{o_.jit};
    UcRunner uc_;
};

// Unicorn runs the case in one go; before each of its instructions the hook
// steps stepvisor over the same instruction (or exclusive group) and the
// previous step is compared.
Tester::Outcome Tester::run_case(uint64_t index, const Case& c, bool full_memory, Result& res) {
    sv_.load(c);
    uc_.load(c);
    if (translation_plant(o_.plant) && res.compared >= o_.plant_at) plant_translation(sv_, c, o_.plant);
    const std::vector<Range> whole = physical(c, {{kDataBase, unsigned(kDataSize)}});
    const std::vector<Range> ranges = full_memory ? whole : physical(c, c.touched);
    Rng plant_rng(index);
    struct Step {
        bool active = false;
        uint64_t pc = 0, index = 0;
        unsigned n = 0;
        Snapshot before, sv;
    } p;
    p.sv = sv_.snapshot();
    bool diverged = false;
    auto compare = [&](const Snapshot& uc) {
        if (o_.oracle_only) {
            const bool may_pass = p.pc == c.fault_pc && c.mmu && !c.mmu->window_always_faults();
            diverged = !may_pass && (p.pc == c.undef_pc || p.pc == c.fault_pc) == uc.fault.empty();
            if (diverged) print_divergence({o_.seed, index, p.index, res.compared, repro_}, c, p.pc, p.n, p.before, uc, uc, {});
            return !diverged;
        }
        const auto mem = diff_memory(sv_.ram(), uc_.ram(), ranges);
        if (p.pc == c.undef_pc) {
            if (undefined_on_both(p.before, p.sv, uc, p.pc) && mem.empty()) return true;
            fmt::print("\nexpected UNDEFINED on both sides\n");
        } else if (p.pc == c.fault_pc && c.mmu) {
            if (window_access_ok(*c.mmu, p.before, p.sv, uc, p.pc, c.fault_far) && mem.empty()) return true;
            fmt::print("\nexpected the access to the fault window ({}, DFSC {:#x}) to {} on both sides\n",
                       kWindowNames[int(c.mmu->window)], c.mmu->window_dfsc(),
                       c.mmu->window_always_faults() ? "fault" : "fault or pass");
        } else if (p.pc == c.fault_pc) {
            if (faulted_on_both(p.before, p.sv, uc, p.pc, c.fault_far) && mem.empty()) return true;
            fmt::print("\nexpected a stage-2 Data Abort at {:#x} on both sides\n", c.fault_far);
        } else if (same_state(p.sv, uc) && mem.empty()) {
            return true;
        }
        print_divergence({o_.seed, index, p.index, res.compared, repro_}, c, p.pc, p.n, p.before, p.sv, uc, mem);
        res.at_insn = res.compared;
        diverged = true;
        return false;
    };
    const std::function<bool(uint64_t)> at = [&](uint64_t pc) {
        if (p.active && pc > p.pc && pc < p.pc + 4 * p.n) return true;  // inside a group
        if (p.active && !compare(uc_.snapshot())) return false;
        const size_t slot = (pc - kCodeBase) / 4;
        p.index += p.active;
        p.active = true, p.pc = pc, p.n = slot < c.code.size() ? c.step_len[slot] : 1;
        p.before = p.sv;
        if (o_.verbose)
            fmt::print("case {} step {}: {:#x}: {:08x}  {}\n", index, p.index, pc, c.code.at(slot),
                       disassemble(c.code[slot], pc));
        if (!o_.oracle_only) p.sv = sv_.step(p.n);
        res.compared += p.n;
        if (o_.stats && slot < c.code.size()) res.per_group[slot < kPads ? "landing pad" : c.form[slot]->group] += p.n;
        if (o_.plant != Plant::None && !translation_plant(o_.plant) && res.compared >= o_.plant_at &&
            res.compared - p.n < o_.plant_at) {
            plant(sv_, c, o_.plant, plant_rng);
            p.sv = sv_.snapshot(p.sv.fault);
        }
        return true;
    };
    const std::string err = uc_.run(c.end(), at);
    if (diverged || (p.active && !compare(uc_.snapshot(err)))) return Outcome::Diverged;
    return o_.oracle_only || diff_memory(sv_.ram(), uc_.ram(), whole).empty() ? Outcome::Ok
                                                                               : Outcome::MemoryAtEnd;
}

// RAM outside the data buffer must be identical except where the two sides
// differ by construction: Unicorn's set-up code, the code buffer (an oracle
// substitute), stepvisor's vector table; and the data buffer's other home.
Tester::Outcome Tester::check_ram(uint64_t index) {
    if (o_.oracle_only) return Outcome::Ok;
    const std::vector<Range> rest = {
        {kRamBase, unsigned(kScratch - kRamBase)},
        {kScratch + 4 * kScratchWords, unsigned(kCodeBase - kScratch - 4 * kScratchWords)},
        {kCodeBase + 4 * kMaxSlots, unsigned(kDataBase - kCodeBase - 4 * kMaxSlots)},
        {kDataBase + kDataSize, unsigned(kDataAlias - kDataBase - kDataSize)},
        {kDataAlias + kDataSize, unsigned(kVbar - kDataAlias - kDataSize)},
        {kVbar + 0x800, unsigned(kRamBase + kRamSize - kVbar - 0x800)},
    };
    const auto diff = diff_memory(sv_.ram(), uc_.ram(), rest);
    const uint64_t since = last_ram_check_;
    last_ram_check_ = index + 1;
    if (diff.empty()) return Outcome::Ok;
    fmt::print("\nDIVERGENCE: seed {}: RAM outside the data buffer differs after cases {}..{}\n",
               o_.seed, since, index);
    for (const MemDiff& m : diff)
        fmt::print("  mem {:#x}: stepvisor {:02x}  unicorn {:02x}  <-- differs\n", m.addr, m.sv, m.uc);
    return Outcome::Diverged;
}

// The case as one Cpu::run(n), n being what Unicorn executed; on a mismatch
// the case reruns step by step to name the instruction.
Tester::Outcome Tester::run_whole_case(uint64_t index, const Case& c, Result& res) {
    sv_.load(c);
    uc_.load(c);
    const Snapshot before = sv_.snapshot();
    uint64_t n = 0;
    const std::function<bool(uint64_t)> count = [&](uint64_t) { return ++n, true; };
    const std::string err = uc_.run(c.end(), count);
    const Snapshot uc = uc_.snapshot(err);
    const Snapshot sv = sv_.step(unsigned(n));
    const std::vector<Range> whole = physical(c, {{kDataBase, unsigned(kDataSize)}});
    const auto mem = diff_memory(sv_.ram(), uc_.ram(), whole);
    if (same_state(sv, uc) && mem.empty()) {
        res.compared += n;
        return Outcome::Ok;
    }
    fmt::print("case {} differs when run as one Cpu::run({}); rerunning it step by step\n", index, n);
    if (run_case(index, c, true, res) != Outcome::Ok) return Outcome::Diverged;
    fmt::print("\nDIVERGENCE only as one run (the block-cache path), not step by step:\n");
    print_divergence({o_.seed, index, 0, res.compared, repro_}, c, kEntry, 0, before, sv, uc, mem);
    return Outcome::Diverged;
}

Case Tester::make_case(uint64_t index) const {
    Builder b(case_seed(o_.seed, index), groups_);
    Case c = b.build();
    if (o_.mmu != GranuleMode::Off) {
        Rng r(case_seed(o_.seed, index) ^ 0x6D6D75);  // "mmu": the generator's draws stay as without --mmu
        c.mmu = random_mmu(r, o_.mmu);
    }
    return c;
}

Result Tester::run() {
    Result res;
    const auto t0 = std::chrono::steady_clock::now();
    constexpr uint64_t kProgressEvery = 50'000'000;
    uint64_t progress = 0;
    for (uint64_t index = o_.only_case >= 0 ? uint64_t(o_.only_case) : 0;
         res.compared < o_.count; ++index) {
        const Case c = make_case(index);
        ++res.cases;
        Outcome out = o_.whole_cases && !o_.oracle_only && index % 2 && !c.undef_pc && !c.fault_pc
                          ? run_whole_case(index, c, res)
                          : run_case(index, c, false, res);
        if (out == Outcome::MemoryAtEnd) {
            // A write outside every range the program may touch: rerun the
            // case comparing the whole buffer after each step to find it.
            fmt::print("memory outside the touched ranges differs after case {}; rerunning it\n", index);
            out = run_case(index, c, true, res);
            if (out == Outcome::Ok) fmt::print("  (not reproduced on the rerun)\n");
        }
        if (out == Outcome::Ok && ((index + 1) % kRamCheckCases == 0 || res.compared >= o_.count ||
                                    o_.only_case >= 0))
            out = check_ram(index);
        if (out != Outcome::Ok) {
            res.diverged = true;
            break;
        }
        if (o_.only_case >= 0) break;
        if (res.compared / kProgressEvery != progress) {  // long runs by hand say how far they are
            progress = res.compared / kProgressEvery;
            fmt::print("difftest: {} instructions compared so far, no divergence\n", res.compared);
            std::fflush(stdout);
        }
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    fmt::print("difftest: {} instructions compared in {} cases, {:.2f} s, {:.0f} instructions/s{}\n",
               res.compared, res.cases, secs, res.compared / std::max(secs, 1e-9),
               res.diverged ? " -- DIVERGED" : "");
    for (const auto& [group, n] : res.per_group) fmt::print("  {:<22} {}\n", group, n);
    if (o_.stats && !res.diverged)
        for (const auto& g : groups_)
            if (!res.per_group.count(g.front()->group)) res.uncovered.push_back(g.front()->group);
    for (const auto& g : res.uncovered) fmt::print("  {:<22} 0  <-- no instruction of this group compared\n", g);
    return res;
}

// Plants each kind of bug once and expects a divergence reported at exactly
// the planted step: proves the comparison can fail.
int self_test(Options o) {
    int failures = 0;
    std::vector<Plant> plants = {Plant::Gpr, Plant::Sp, Plant::Nzcv, Plant::Memory, Plant::Vreg, Plant::Fpsr};
    if (o.mmu != GranuleMode::Off) plants.insert(plants.end(), {Plant::PteAddress, Plant::PteAccessFlag});
    for (Plant p : plants) {
        o.plant = p;
        o.plant_at = 200 + 37 * unsigned(p);
        o.count = 2 * o.plant_at;
        const Result r = Tester(o).run();
        // A wrong descriptor stays from its case on: the first access to
        // the data buffer after it must be reported.
        const uint64_t window = translation_plant(p) ? o.plant_at : 3;
        const bool caught = r.diverged && r.at_insn >= o.plant_at && r.at_insn < o.plant_at + window;
        fmt::print("self-test: planted {} after instruction {}: {}\n\n", kPlantNames[int(p)],
                   o.plant_at,
                   caught ? "caught" : r.diverged ? fmt::format("wrong report (at {})", r.at_insn)
                                                  : std::string("MISSED"));
        failures += !caught;
    }
    fmt::print("self-test: {}\n", failures ? "FAILED" : "passed");
    return failures ? 1 : 0;
}

}  // namespace
}  // namespace difftest

int main(int argc, char** argv) {
    using namespace difftest;
    Options o;
    bool self = false, list = false;
    std::string groups;
    CLI::App app{"stepvisor-difftest: A64 integer, FP/SIMD and Crypto instructions checked against Unicorn, step by step"};
    app.add_option("--seed", o.seed, "random seed");
    app.add_option("--count", o.count, "instructions to compare");
    app.add_option("--group", groups, "only these groups (comma-separated; see --list-groups)");
    app.add_option("--case", o.only_case, "run only this case of the seed");
    app.add_flag("--verbose", o.verbose, "print every step");
    app.add_flag("--stats", o.stats, "print the instructions compared per group (step-by-step cases)");
    app.add_flag("--whole-cases", o.whole_cases,
                 "run every other case as one Cpu::run (block-cache path), compared at its end");
    const std::map<std::string, bool> on_off = {{"on", true}, {"off", false}};
    app.add_option("--jit", o.jit,
                   "on: stepvisor runs blocks as generated code (the default where the host has the "
                   "translation tier), each compiled on its first run; off: the interpreter alone")
        ->transform(CLI::CheckedTransformer(on_off, CLI::ignore_case));
    app.add_flag("--lockstep", o.lockstep,
                 "run each case on two stepvisor CPUs, generated code and the interpreter, comparing "
                 "the whole state after every run of random length (no Unicorn)");
    app.add_flag("--oracle-only", o.oracle_only, "run Unicorn alone (checks the generator)");
    const std::map<std::string, GranuleMode> granules = {{"off", GranuleMode::Off}, {"4k", GranuleMode::K4}};
    app.add_option("--mmu", o.mmu, "stage 1 on with this granule (random tables per case)")
        ->transform(CLI::CheckedTransformer(granules, CLI::ignore_case));
    app.add_flag("--self-test", self, "plant bugs in stepvisor's state and expect them caught");
    app.add_flag("--list-groups", list, "list the instruction groups and forms");
    CLI11_PARSE(app, argc, argv);
    if (list) {
        for (const Form& f : all_forms()) fmt::print("{:<10} {}\n", f.group, f.name);
        return 0;
    }
    for (size_t p = 0; p < groups.size();) {
        const size_t q = std::min(groups.find(',', p), groups.size());
        o.groups.push_back(groups.substr(p, q - p));
        p = q + 1;
    }
    if (o.jit && !cpu::Cpu::jit_supported()) {
        fmt::print(stderr, "--jit on: this host has no translation tier (x86-64 only)\n");
        return 2;
    }
    if (self) return self_test(o);
    Tester t(o);
    if (t.empty()) {
        fmt::print(stderr, "no forms in group '{}' (see --list-groups)\n", groups);
        return 2;
    }
    if (o.lockstep) {
        if (!cpu::Cpu::jit_supported()) {
            fmt::print(stderr, "--lockstep: this host has no translation tier\n");
            return 2;
        }
        const LockstepResult r = run_lockstep(o.seed, o.count, o.only_case,
                                              [&](uint64_t i) { return t.make_case(i); });
        fmt::print("difftest --lockstep: {} instructions compared in {} cases, {} of them retired in "
                   "generated code{}\n",
                   r.compared, r.cases, r.in_jit, r.diverged ? " -- DIVERGED" : "");
        // A run with nothing in generated code compared the interpreter with itself.
        return r.diverged || r.in_jit == 0 ? 1 : 0;
    }
    const Result r = t.run();
    return r.diverged || !r.uncovered.empty() ? 1 : 0;
}
