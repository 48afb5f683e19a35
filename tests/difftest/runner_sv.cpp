// stepvisor's side: a Cpu with RAM and nothing else, set up like
// tests/cpu/harness.h (EL1h, DAIF masked, MMU off, VBAR_EL1 at a table of
// "B ." so an unexpected exception stops at a recognisable PC).
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "cpu/sysregs.h"
#include "tests/difftest/runner.h"

namespace difftest {

namespace {
constexpr uint32_t kBranchToSelf = 0x14000000;  // B .
constexpr uint64_t kOtherSp = 0x5A5A5A5A5A5A5A50;  // the SP the program does not use
}

SvRunner::SvRunner(bool jit, uint32_t jit_threshold) : ram_(kRamSize) {
    cpu_.set_jit(jit);
    cpu_.set_jit_threshold(jit_threshold);
    cpu_.stage2().set_regions({{kRamBase, kRamSize, ram_.data(), true}});
    for (uint64_t off = 0; off < 0x800; off += 4)
        std::memcpy(&ram_[kVbar - kRamBase + off], &kBranchToSelf, 4);
}

void SvRunner::load(const Case& c, bool keep_code) {
    if (!keep_code) {
        std::memset(&ram_[kCodeBase - kRamBase], 0, loaded_ * 4);
        std::memcpy(&ram_[kCodeBase - kRamBase], c.code.data(), c.code.size() * 4);
        loaded_ = c.code.size();
        cpu_.invalidate_code(kCodeBase, 4 * kMaxSlots);
    }
    const MmuSetup* m = c.mmu ? &*c.mmu : nullptr;
    for (uint64_t off = 0; off < kDataSize; off += kPiece)
        std::memcpy(&ram_[data_pa(m, kDataBase + off) - kRamBase], &c.data[off], kPiece);
    auto& s = cpu_.state();
    for (unsigned r = 0; r < 31; ++r) s.x[r] = c.x[r];
    s.x[31] = 0;
    s.pc = kEntry;
    s.pstate = arch::PState{};  // EL1h, DAIF masked
    s.pstate.sp = !c.el1t;
    s.sp_el = c.el1t ? std::array<uint64_t, 2>{c.sp, kOtherSp} : std::array<uint64_t, 2>{kOtherSp, c.sp};
    s.pstate.set_nzcv(c.nzcv >> 28);
    s.el1 = cpu::El1Regs{};
    s.el1.vbar = kVbar;
    s.el1.cpacr = cpu::cpacr::kFPEN;  // SIMD&FP enabled at EL0 and EL1
    for (unsigned r = 0; r < 32; ++r) s.v[r] = cpu::VReg::from_u64(c.v[r][0], c.v[r][1]);
    s.fpcr = c.fpcr, s.fpsr = c.fpsr;
    s.el2 = cpu::El2Regs{};
    if (m) {
        std::memset(&ram_[kTables - kRamBase], 0, tables_loaded_);
        std::memcpy(&ram_[kTables - kRamBase], m->tables.data(), m->tables.size());
        tables_loaded_ = m->tables.size();
        s.el1.sctlr = m->sctlr, s.el1.tcr = m->tcr, s.el1.ttbr0 = m->ttbr0, s.el1.mair = m->mair;
        cpu_.tlb().invalidate_all();  // TLBI VMALLE1, as Unicorn runs before each case
    }
}

Snapshot SvRunner::snapshot(const std::string& fault) const {
    const auto& s = cpu_.state();
    Snapshot out;
    for (unsigned r = 0; r < 31; ++r) out.x[r] = s.x[r];
    out.sp = s.sp_el[s.pstate.sp ? 1 : 0];
    out.pc = s.pc;
    out.nzcv = s.pstate.nzcv() << 28;
    for (unsigned r = 0; r < 32; ++r) out.v[r] = {s.v[r].d(), s.v[r].hi()};
    out.fpcr = s.fpcr, out.fpsr = s.fpsr;
    out.fault = fault;
    return out;
}

Snapshot SvRunner::step(unsigned n) {
    const cpu::Stop stop = cpu_.run(n);
    const auto& s = cpu_.state();
    std::string fault;
    if (stop == cpu::Stop::Trap)
        fault = fmt::format("exception to EL2: ESR_EL2={:#x} FAR_EL2={:#x}", s.el2.esr, s.el2.far);
    else if (stop == cpu::Stop::NoProgress)
        fault = fmt::format("no progress at vector {:#x}", cpu_.no_progress_info().vector);
    else if (s.pc >= kVbar && s.pc < kVbar + 0x800)
        fault = fmt::format("exception to EL1: ESR_EL1={:#x} (EC {:#x}) ELR_EL1={:#x} FAR_EL1={:#x}",
                            s.el1.esr, s.el1.esr >> 26, s.el1.elr, s.el1.far);
    Snapshot out = snapshot(fault);
    out.trapped = stop == cpu::Stop::Trap;
    out.trap_esr = s.el2.esr, out.trap_far = s.el2.far;
    if (!fault.empty() && stop == cpu::Stop::Irq) {
        out.el1_exception = true;
        out.el1_esr = s.el1.esr, out.el1_far = s.el1.far, out.el1_elr = s.el1.elr;
        if ((s.el1.esr >> 26) == 0) out.undef_elr = s.el1.elr;
        out.sp = s.sp_el[s.el1.spsr & 1];  // the program's SP, not the handler's
    }
    return out;
}

}  // namespace difftest
