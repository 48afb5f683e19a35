#include "tests/difftest/report.h"

#include <cstring>

#include <capstone/capstone.h>
#include <fmt/format.h>

namespace difftest {

std::vector<MemDiff> diff_memory(const uint8_t* sv_ram, const uint8_t* uc_ram,
                                 const std::vector<Range>& ranges) {
    std::vector<MemDiff> out;
    for (const Range& r : ranges) {
        const uint64_t off = r.addr - kRamBase;
        if (std::memcmp(sv_ram + off, uc_ram + off, r.size) == 0) continue;
        for (unsigned i = 0; i < r.size && out.size() < 32; ++i)
            if (sv_ram[off + i] != uc_ram[off + i]) out.push_back({r.addr + i, sv_ram[off + i], uc_ram[off + i]});
    }
    return out;
}

bool same_state(const Snapshot& a, const Snapshot& b) {
    return a.x == b.x && a.sp == b.sp && a.pc == b.pc && a.nzcv == b.nzcv && a.v == b.v &&
           a.fpcr == b.fpcr && a.fpsr == b.fpsr && a.fault.empty() && b.fault.empty();
}

std::string disassemble(uint32_t word, uint64_t pc) {
    static csh handle = [] {
        csh h = 0;
        if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &h) != CS_ERR_OK) return csh(0);
        return h;
    }();
    if (!handle) return "(no capstone)";
    cs_insn* insn = nullptr;
    const size_t n = cs_disasm(handle, reinterpret_cast<const uint8_t*>(&word), 4, pc, 1, &insn);
    if (n == 0) return "(unknown to capstone)";
    std::string s = fmt::format("{} {}", insn->mnemonic, insn->op_str);
    cs_free(insn, n);
    return s;
}

void print_program(const Case& c, uint64_t mark_pc) {
    for (size_t i = 0; i < c.code.size(); ++i) {
        const uint64_t pc = kCodeBase + 4 * i;
        if (i < kPads && c.code[i] == 0) continue;  // an unused landing pad
        if (i == kPads) fmt::print("     {:#x}: entry\n", pc);
        fmt::print("  {} {:#x}: {:08x}  {:<36} {}{}\n", pc == mark_pc ? "=>" : "  ", pc, c.code[i],
                   disassemble(c.code[i], pc), i < kPads ? "landing pad" : c.form[i]->name,
                   c.uc_code[i] != c.code[i] ? fmt::format(" (Unicorn runs {:08x})", c.uc_code[i]) : "");
    }
    fmt::print("     {:#x}: end\n", c.end());
}

namespace {
void row(const char* name, uint64_t before, uint64_t sv, uint64_t uc) {
    fmt::print("  {:<6} {:#018x}  {:#018x}  {:#018x} {}\n", name, before, sv, uc,
               sv != uc ? "  <-- differs" : "");
}
}  // namespace

void print_divergence(const Where& w, const Case& c, uint64_t pc, unsigned n,
                      const Snapshot& before, const Snapshot& sv, const Snapshot& uc,
                      const std::vector<MemDiff>& mem) {
    fmt::print("\nDIVERGENCE: seed {} case {} step {} (instruction {} of the run)\n", w.seed,
               w.case_index, w.step, w.insn);
    for (unsigned k = 0; k < n; ++k) {
        const size_t slot = (pc - kCodeBase) / 4 + k;
        if (slot >= c.code.size()) break;
        fmt::print("  {} {:#x}: {:08x}  {}   [{}]\n", k ? "then" : "at  ", pc + 4 * k, c.code[slot],
                   disassemble(c.code[slot], pc + 4 * k), c.form[slot]->name);
    }
    if (n > 1) fmt::print("  (an exclusive sequence, run as one step: each run() clears the monitor)\n");
    fmt::print("\n  {:<6} {:<18}  {:<18}  {:<18}\n", "", "before", "stepvisor", "unicorn");
    for (unsigned r = 0; r < 31; ++r) row(fmt::format("x{}", r).c_str(), before.x[r], sv.x[r], uc.x[r]);
    row("sp", before.sp, sv.sp, uc.sp);
    row("pc", before.pc, sv.pc, uc.pc);
    fmt::print("  {:<6} {:>18}  {:>18}  {:>18} {}\n", "nzcv", fmt::format("{:04b}", before.nzcv >> 28),
               fmt::format("{:04b}", sv.nzcv >> 28), fmt::format("{:04b}", uc.nzcv >> 28),
               sv.nzcv != uc.nzcv ? "  <-- differs" : "");
    for (unsigned r = 0; r < 32; ++r) {  // only the V registers that changed or differ
        if (before.v[r] == sv.v[r] && sv.v[r] == uc.v[r]) continue;
        for (unsigned h = 2; h-- > 0;)
            row(fmt::format("v{}{}", r, h ? ".hi" : ".lo").c_str(), before.v[r][h], sv.v[r][h], uc.v[r][h]);
    }
    row("fpcr", before.fpcr, sv.fpcr, uc.fpcr);
    row("fpsr", before.fpsr, sv.fpsr, uc.fpsr);
    if (!sv.fault.empty()) fmt::print("  stepvisor: {}\n", sv.fault);
    if (!uc.fault.empty()) fmt::print("  unicorn:   {}\n", uc.fault);
    for (const MemDiff& m : mem)
        fmt::print("  mem {:#x}: stepvisor {:02x}  unicorn {:02x}  <-- differs\n", m.addr, m.sv, m.uc);
    fmt::print("\n  program (case {}, {}):\n", w.case_index, c.el1t ? "EL1t, SP = SP_EL0" : "EL1h");
    if (const auto& m = c.mmu)
        fmt::print("  stage 1: {} KiB granule, T0SZ {}, SCTLR_EL1 {:#x} TCR_EL1 {:#x} TTBR0_EL1 {:#x} MAIR_EL1 {:#x};\n"
                   "  data at PA {:#x}/{:#x} (leaf descriptor at {:#x}); fault window {} (level {})\n",
                   1u << (m->grain - 10), m->t0sz, m->sctlr, m->tcr, m->ttbr0, m->mair, m->data_pa[0],
                   m->data_pa[1], m->data_pte, kWindowNames[int(m->window)], m->fault_level);
    print_program(c, pc);
    fmt::print("\n  reproduce: stepvisor-difftest --seed {} --case {}{} --verbose\n", w.seed, w.case_index,
               w.options);
}

}  // namespace difftest
