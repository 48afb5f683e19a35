#include "tests/difftest/lockstep.h"

#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tests/difftest/layout.h"
#include "tests/difftest/runner.h"

namespace difftest {

namespace {

// 64 is a block's longest: runs reach past two of them.
constexpr unsigned kMaxRun = 160;

// What one run left on one Cpu, beyond the Snapshot.
struct Outcome {
    cpu::Stop stop = cpu::Stop::Irq;
    uint64_t retired = 0, spsr = 0;
    uint64_t el1_esr = 0, el1_elr = 0, el1_far = 0, el1_spsr = 0;
    uint64_t el2_esr = 0, el2_elr = 0, el2_far = 0, el2_spsr = 0, el2_hpfar = 0;
    Snapshot s;
};

Outcome outcome(SvRunner& r, cpu::Stop stop) {
    const cpu::State& s = r.cpu().state();
    return {stop,        r.cpu().retired(), s.pstate.to_spsr(), s.el1.esr,   s.el1.elr,
            s.el1.far,   s.el1.spsr,        s.el2.esr,          s.el2.elr,   s.el2.far,
            s.el2.spsr,  s.el2.hpfar,       r.snapshot()};
}

// "name: generated X, interpreter Y" for each field that differs.
std::vector<std::string> differences(const Outcome& a, const Outcome& b) {
    std::vector<std::string> out;
    const auto field = [&](const char* name, uint64_t x, uint64_t y) {
        if (x != y) out.push_back(fmt::format("{}: generated code {:#x}, interpreter {:#x}", name, x, y));
    };
    field("stop", uint64_t(a.stop), uint64_t(b.stop));
    field("retired", a.retired, b.retired);
    field("PC", a.s.pc, b.s.pc);
    field("SP", a.s.sp, b.s.sp);
    field("PSTATE (as SPSR)", a.spsr, b.spsr);
    for (unsigned r = 0; r < 31; ++r) field(fmt::format("X{}", r).c_str(), a.s.x[r], b.s.x[r]);
    for (unsigned r = 0; r < 32; ++r) {
        field(fmt::format("V{}[63:0]", r).c_str(), a.s.v[r][0], b.s.v[r][0]);
        field(fmt::format("V{}[127:64]", r).c_str(), a.s.v[r][1], b.s.v[r][1]);
    }
    field("FPCR", a.s.fpcr, b.s.fpcr);
    field("FPSR", a.s.fpsr, b.s.fpsr);
    field("ESR_EL1", a.el1_esr, b.el1_esr);
    field("ELR_EL1", a.el1_elr, b.el1_elr);
    field("FAR_EL1", a.el1_far, b.el1_far);
    field("SPSR_EL1", a.el1_spsr, b.el1_spsr);
    field("ESR_EL2", a.el2_esr, b.el2_esr);
    field("ELR_EL2", a.el2_elr, b.el2_elr);
    field("FAR_EL2", a.el2_far, b.el2_far);
    field("SPSR_EL2", a.el2_spsr, b.el2_spsr);
    field("HPFAR_EL2", a.el2_hpfar, b.el2_hpfar);
    return out;
}

// The first differing byte of RAM in [lo, hi), as a difference line.
void compare_ram(SvRunner& a, SvRunner& b, uint64_t lo, uint64_t hi, std::vector<std::string>& out) {
    const uint8_t *pa = a.ram() + (lo - kRamBase), *pb = b.ram() + (lo - kRamBase);
    if (std::memcmp(pa, pb, hi - lo) == 0) return;
    size_t i = 0;
    while (pa[i] == pb[i]) ++i;
    out.push_back(fmt::format("memory at {:#x}: generated code {:02x}, interpreter {:02x}", lo + i,
                              pa[i], pb[i]));
}

class Lockstep {
public:
    explicit Lockstep(uint64_t seed) : seed_(seed) {}
    // The passes of case `index`; false on a divergence (reported).
    bool run_case(uint64_t index, const Case& c, LockstepResult& res);

private:
    bool run_pass(uint64_t index, const Case& c, unsigned pass, LockstepResult& res);
    uint64_t seed_;
    SvRunner jit_{true, 2}, ref_{false};
};

bool Lockstep::run_case(uint64_t index, const Case& c, LockstepResult& res) {
    for (unsigned pass = 0; pass < 3; ++pass)
        if (!run_pass(index, c, pass, res)) return false;
    return true;
}

// Runs until the program has ended in an exception (to EL2, or to EL1,
// whose vectors are "B ."), or its budget (every slot about twice: loops
// through the landing pads) is spent.
bool Lockstep::run_pass(uint64_t index, const Case& c, unsigned pass, LockstepResult& res) {
    jit_.load(c, pass > 0);
    ref_.load(c, pass > 0);
    Rng rng(seed_ ^ (index * 3 + pass) * 0x9E3779B97F4A7C15ull);
    const uint64_t budget = 2 * c.code.size() + 64;
    for (uint64_t ran = 0, run = 0; ran < budget; ++run) {
        const unsigned n = 1 + rng.below(kMaxRun);
        const uint64_t pc = jit_.cpu().state().pc, in_jit = jit_.cpu().retired_jit();
        const uint64_t retired = jit_.cpu().retired();
        const Outcome a = outcome(jit_, jit_.cpu().run(n));
        const Outcome b = outcome(ref_, ref_.cpu().run(n));
        std::vector<std::string> diff = differences(a, b);
        compare_ram(jit_, ref_, kDataBase, kDataBase + kDataSize, diff);
        compare_ram(jit_, ref_, kDataAlias, kDataAlias + kDataSize, diff);
        const bool in_vectors = a.s.pc >= kVbar && a.s.pc < kVbar + 0x800;
        const bool last = a.stop == cpu::Stop::Trap || in_vectors || ran + n >= budget;
        if (last) compare_ram(jit_, ref_, kRamBase, kRamBase + kRamSize, diff);
        if (!diff.empty()) {
            fmt::print("\nDIVERGENCE: seed {} case {} pass {} run {}: run({}) from PC {:#x}\n", seed_,
                       index, pass, run, n, pc);
            for (const std::string& d : diff) fmt::print("  {}\n", d);
            fmt::print("reproduce: stepvisor-difftest --lockstep --seed {} --case {} (and this run's --group, --mmu)\n",
                       seed_, index);
            res.diverged = true;
            return false;
        }
        res.compared += a.retired - retired;
        res.in_jit += jit_.cpu().retired_jit() - in_jit;
        ran += n;
        if (last) break;
    }
    return true;
}

}  // namespace

LockstepResult run_lockstep(uint64_t seed, uint64_t count, int64_t only,
                            const std::function<Case(uint64_t)>& make_case) {
    LockstepResult res;
    Lockstep l(seed);
    for (uint64_t index = only >= 0 ? uint64_t(only) : 0; res.compared < count; ++index) {
        ++res.cases;
        if (!l.run_case(index, make_case(index), res) || only >= 0) break;
    }
    return res;
}

}  // namespace difftest
