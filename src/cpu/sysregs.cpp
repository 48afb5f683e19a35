// The system-register descriptor table and its access check (see sysregs.h).
// Register facts: ARM ARM DDI 0487 K.a, D24 (AArch64 System register
// descriptions), each entry's "Accessing ..." pseudocode for the checks.
#include "cpu/sysregs.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>

#include "arch/bits.h"
#include "arch/esr.h"
#include "arch/fpsimd.h"
#include "cpu/access.h"
#include "cpu/gic_cpuif.h"
#include "cpu/timer.h"

namespace cpu {

namespace {

using arch::SysRegId;
namespace sr = arch::sysreg;
using E0 = SysRegEl0;
using T = SysRegTrap;

// ---- Accessor building blocks ---------------------------------------------

template <uint64_t El1Regs::*F>
uint64_t get(const Cpu& c) { return c.state().el1.*F; }

// Plain storage: Mask keeps the implemented bits (RES0 elsewhere).
template <uint64_t El1Regs::*F, uint64_t Mask = ~0ull>
void set(Cpu& c, uint64_t v) { c.state().el1.*F = v & Mask; }

// Storage that stage-1 translation or exception entry depends on: the block
// ends so the next instruction sees the new context.
template <uint64_t El1Regs::*F, uint64_t Mask = ~0ull>
void set_ctx(Cpu& c, uint64_t v) {
    c.state().el1.*F = v & Mask;
    c.translation_regs_written();
}

template <uint64_t V>
uint64_t constant(const Cpu&) { return V; }

void ignore(Cpu&, uint64_t) {}

// ---- Special-purpose registers (C5.2) -------------------------------------

uint64_t get_nzcv(const Cpu& c) { return uint64_t(c.state().pstate.nzcv()) << 28; }
void set_nzcv(Cpu& c, uint64_t v) { c.state().pstate.set_nzcv(uint32_t(v >> 28) & 0xF); }

uint64_t get_daif(const Cpu& c) { return c.state().pstate.to_spsr() & arch::spsr::kDAIF; }
void set_daif(Cpu& c, uint64_t v) {
    auto& p = c.state().pstate;
    p.d = v & arch::spsr::kD;
    p.a = v & arch::spsr::kA;
    p.i = v & arch::spsr::kI;
    p.f = v & arch::spsr::kF;
    c.end_block();  // unmasking may make a pending interrupt takeable
}

// FPCR and FPSR (C5.2.8, C5.2.10): the bits this PE keeps (arch/fpsimd.h).
uint64_t get_fpcr(const Cpu& c) { return c.state().fpcr; }
void set_fpcr(Cpu& c, uint64_t v) { c.state().fpcr = arch::fpcr_write_value(v); }
uint64_t get_fpsr(const Cpu& c) { return c.state().fpsr; }
void set_fpsr(Cpu& c, uint64_t v) { c.state().fpsr = arch::fpsr_write_value(v); }

uint64_t get_spsel(const Cpu& c) { return c.state().pstate.sp ? 1 : 0; }
void set_spsel(Cpu& c, uint64_t v) { c.state().pstate.sp = v & 1; }
uint64_t get_current_el(const Cpu& c) { return uint64_t(c.state().pstate.el) << 2; }

uint64_t get_sp_el0(const Cpu& c) { return c.state().sp_el[0]; }
void set_sp_el0(Cpu& c, uint64_t v) { c.state().sp_el[0] = v; }
uint64_t get_sp_el1(const Cpu& c) { return c.state().sp_el[1]; }
void set_sp_el1(Cpu& c, uint64_t v) { c.state().sp_el[1] = v; }

// SPSR_EL1 keeps the fields an AArch64-only PE without PAN/DIT/SSBS/TCO/BTI
// defines: NZCV, SS, IL, DAIF, M[4:0] (C5.2.18).
constexpr uint64_t kSpsrMask = 0xF03003DF;

// ---- System control ---------------------------------------------------------

// SCTLR_EL1 (D24.2.175) for this PE: the writable fields are M, A, C, SA,
// SA0, UMA, I, DZE, UCT, nTWI, nTWE, WXN, UCI; LSMAOE, nTLSMD, SPAN, EIS,
// TSCXT and EOS are RES1 (their features are absent); the rest RES0 (EE/E0E:
// no mixed-endian support; CP15BEN/ITD/SED: no AArch32 EL0).
constexpr uint64_t kSctlrWritable = 0x040DD21F;
constexpr uint64_t kSctlrRes1 = 0x30D00800;
void set_sctlr(Cpu& c, uint64_t v) {
    c.state().el1.sctlr = (v & kSctlrWritable) | kSctlrRes1;
    c.translation_regs_written();
}

// TCR_EL1 (D24.2.x) without FEAT_HAFDBS/HPDS/TBI-PAuth/E0PD/LPA2 and
// friends: T0SZ, EPD0, IRGN0, ORGN0, SH0, TG0, T1SZ, A1, EPD1, IRGN1,
// ORGN1, SH1, TG1, IPS, AS, TBI0, TBI1; bits 6 and 35 RES0.
constexpr uint64_t kTcrMask = arch::ones(39) & ~(1ull << 6) & ~(1ull << 35);
// TTBRn_EL1: ASID and BADDR; CnP (bit 0) is RES0 without FEAT_TTCNP.
constexpr uint64_t kTtbrMask = ~1ull;
constexpr uint64_t kCpacrMask = (3ull << 20) | (1ull << 28);  // FPEN, TTA
constexpr uint64_t kVbarMask = ~0x7FFull;                      // bits [10:0] RES0
constexpr uint64_t kCntkctlMask = 0x3FF;
constexpr uint64_t kCsselrMask = 0xF;        // Level, InD
constexpr uint64_t kMdscrMask = 0xB001;      // SS, TDCC, KDE, MDE
constexpr uint64_t kContextidrMask = 0xFFFFFFFF;

// ---- Identification -----------------------------------------------------------

static_assert(State{}.el2.vpidr == id::kMidr, "state.h resets VPIDR_EL2 to this PE's MIDR");

// MIDR_EL1 and MPIDR_EL1 read VPIDR_EL2 and VMPIDR_EL2 at EL1 when EL2 is
// enabled (D24.2.x MIDR_EL1, "Accessing"); MPIDR bit 31 is RES1.
uint64_t get_midr(const Cpu& c) { return c.state().el2.vpidr; }
uint64_t get_mpidr(const Cpu& c) { return c.state().el2.vmpidr | (1ull << 31); }

uint64_t get_ccsidr(const Cpu& c) { return id::ccsidr(c.state().el1.csselr); }

// DCZID_EL0.DZP reads 1 where DC ZVA would trap (D24.2.x DCZID_EL0).
uint64_t get_dczid(const Cpu& c) {
    const State& s = c.state();
    const bool prohibited = (s.el2.hcr & hcr::kTDZ) ||
                            (s.pstate.el == 0 && !(s.el1.sctlr & sctlr::kDZE));
    return id::kDczidBs | (prohibited ? 1u << 4 : 0);
}

// ---- Debug ------------------------------------------------------------------

// Breakpoint and watchpoint registers (D24.3.x DBGBCR<n>_EL1 ...), v8.0
// fields only: BCR {BT, LBN, SSC, HMC, BAS, PMC, E}, WCR {MASK, WT, LBN,
// SSC, HMC, BAS, LSC, PAC, E}; the value registers hold bits [63:2].
constexpr uint64_t kDbgbcrMask = 0x00FFE1E7;
constexpr uint64_t kDbgwcrMask = 0x1F1FFFFF;
constexpr uint64_t kDbgvrMask = ~3ull;
using DebugBank = std::array<uint64_t, 16> El1Regs::*;

template <DebugBank B, unsigned N>
uint64_t get_dbg(const Cpu& c) { return (c.state().el1.*B)[N]; }
// Writes that can arm or disarm debug checks tell the CPU (cpu.h).
template <DebugBank B, unsigned N, uint64_t Mask>
void set_dbg(Cpu& c, uint64_t v) {
    (c.state().el1.*B)[N] = v & Mask;
    c.debug_config_changed();
}
void set_mdscr(Cpu& c, uint64_t v) {
    c.state().el1.mdscr = v & kMdscrMask;
    c.debug_config_changed();
}
void set_oslar(Cpu& c, uint64_t v) {
    c.state().el1.oslk = v & 1;
    c.debug_config_changed();
}
// OSLM = 0b10 (OS Lock implemented, bits [3] and [0]), OSLK in bit [1].
uint64_t get_oslsr(const Cpu& c) { return 0x8 | (c.state().el1.oslk ? 0x2 : 0); }

// ---- Generic timer ----------------------------------------------------------

uint64_t get_cntpct(const Cpu& c) { return physical_count(c); }
uint64_t get_cntvct(const Cpu& c) { return virtual_count(c); }

template <Timer t>
uint64_t get_cnt_ctl(const Cpu& c) { return timer_ctl(c, t); }
template <Timer t>
void set_cnt_ctl(Cpu& c, uint64_t v) { set_timer_ctl(c, t, v); }
template <Timer t>
uint64_t get_cnt_cval(const Cpu& c) { return c.state().timer[size_t(t)].cval; }
template <Timer t>
void set_cnt_cval(Cpu& c, uint64_t v) {
    c.state().timer[size_t(t)].cval = v;
    c.timer_written();
}
template <Timer t>
uint64_t get_cnt_tval(const Cpu& c) { return timer_tval(c, t); }
template <Timer t>
void set_cnt_tval(Cpu& c, uint64_t v) { set_timer_tval(c, t, v); }
constexpr Timer kPhys = Timer::Physical, kVirt = Timer::Virtual;

// ---- GICv3 CPU interface (IHI 0069): ICV_* behaviour in cpu/gic_cpuif.cpp --

template <unsigned G>
uint64_t icv_iar_peek(const Cpu& c) { return gic::iar_peek(c.state(), G); }
template <unsigned G>
uint64_t icv_iar(Cpu& c) { return gic::acknowledge(c, G); }
template <unsigned G>
void icv_eoir(Cpu& c, uint64_t v) { gic::eoi(c, G, v); }
template <unsigned G>
uint64_t icv_hppir(const Cpu& c) { return gic::hppir(c.state(), G); }
template <unsigned G>
uint64_t icv_bpr(const Cpu& c) { return gic::bpr(c.state(), G); }
template <unsigned G>
void set_icv_bpr(Cpu& c, uint64_t v) { gic::set_bpr(c, G, v); }
template <unsigned G>
uint64_t icv_igrpen(const Cpu& c) { return gic::igrpen(c.state(), G); }
template <unsigned G>
void set_icv_igrpen(Cpu& c, uint64_t v) { gic::set_igrpen(c, G, v); }
template <unsigned G>
uint64_t icv_apr(const Cpu& c) { return G ? c.state().ich.ap1r0 : c.state().ich.ap0r0; }
template <unsigned G>
void set_icv_apr(Cpu& c, uint64_t v) { gic::set_apr(c, G, v); }
void icv_dir(Cpu& c, uint64_t v) { gic::dir(c, v); }
uint64_t icv_rpr(const Cpu& c) { return gic::rpr(c.state()); }
uint64_t icv_ctlr(const Cpu& c) { return gic::ctlr(c.state()); }
void set_icv_ctlr(Cpu& c, uint64_t v) { gic::set_ctlr(c, v); }
uint64_t icv_pmr(const Cpu& c) { return gic::pmr(c.state()); }
void set_icv_pmr(Cpu& c, uint64_t v) { gic::set_pmr(c, v); }
// ICC_SRE_EL1 as the virtual interface has it: SRE, DFB, DIB RAO/WI (no
// legacy operation).
constexpr uint64_t kIccSre = 0x7;

// ICH_*_EL2: reachable only from EL2 (the hypervisor's accessors, one_reg).
template <unsigned N>
uint64_t get_ich_lr(const Cpu& c) { return c.state().ich.lr[N]; }
template <unsigned N>
void set_ich_lr(Cpu& c, uint64_t v) {
    c.state().ich.lr[N] = v & gic::lr::kWritable;
    c.update_ich_lines();
}
uint64_t get_ich_hcr(const Cpu& c) { return c.state().ich.hcr; }
void set_ich_hcr(Cpu& c, uint64_t v) {
    c.state().ich.hcr = v & gic::ich_hcr::kWritable;
    c.update_ich_lines();
}
uint64_t get_ich_vmcr(const Cpu& c) { return c.state().ich.vmcr | gic::vmcr::kVFIQEn; }
void set_ich_vmcr(Cpu& c, uint64_t v) {
    c.state().ich.vmcr = v & gic::vmcr::kWritable;
    c.update_ich_lines();
}
uint64_t get_ich_misr(const Cpu& c) { return gic::misr(c.state()); }
uint64_t get_ich_eisr(const Cpu& c) { return gic::eisr(c.state()); }
uint64_t get_ich_elrsr(const Cpu& c) { return gic::elrsr(c.state()); }

// ---- System instructions (op0 = 1) ------------------------------------------

// TLB maintenance for the EL1&0 regime (C5.5 "A64 TLB maintenance
// instructions", D8.16). The IS forms reach every PE of the Inner Shareable
// domain, the others too while HCR_EL2.FB = 1 (Cpu::tlb_maintenance, which
// also ends the block).
// Xt holds VA[55:12] in bits [43:0] and the ASID in bits [63:48] (the low 8
// bits when TCR_EL1.AS = 0, as this PE's TCR_EL1 says).
uint64_t tlbi_va(uint64_t xt) { return uint64_t(arch::sign_extend(arch::bits(xt, 43, 0) << 12, 56)); }
uint16_t tlbi_asid(const Cpu& c, uint64_t xt) {
    const uint64_t asid = xt >> 48;
    return uint16_t(arch::bit(c.state().el1.tcr, 36) ? asid : asid & 0xFF);
}
template <bool kIs>
void tlbi_vmalle1(Cpu& c, uint64_t) {
    c.tlb_maintenance(kIs, [](Tlb& t) { t.invalidate_all(); });
}
// VAE1 and VALE1 (no walk cache is kept, so last-level-only is the same).
template <bool kIs>
void tlbi_vae1(Cpu& c, uint64_t xt) {
    const uint16_t asid = tlbi_asid(c, xt);
    c.tlb_maintenance(kIs, [&](Tlb& t) { t.invalidate_va(tlbi_va(xt), false, asid); });
}
// VAAE1 and VAALE1: any ASID.
template <bool kIs>
void tlbi_vaae1(Cpu& c, uint64_t xt) {
    c.tlb_maintenance(kIs, [&](Tlb& t) { t.invalidate_va(tlbi_va(xt), true, 0); });
}
template <bool kIs>
void tlbi_aside1(Cpu& c, uint64_t xt) {
    const uint16_t asid = tlbi_asid(c, xt);
    c.tlb_maintenance(kIs, [&](Tlb& t) { t.invalidate_asid(asid); });
}

// AT S1E1R/W, S1E0R/W (C5.5 "A64 Address translation instructions"): a
// stage-1 translation with the given permissions, result in PAR_EL1
// (D24.2.142, 64-bit format). A stage 2 fault on the walk is taken to EL2
// (with ISS.CM = 1) instead: raised, and access_sysreg passes it on. Faults
// never raise an exception at EL1. With stage 1 off the result is the flat
// map with Device-nGnRnE attributes.
void at(Cpu& c, uint64_t va, bool el0, bool write) {
    constexpr uint64_t kRes1 = 1ull << 11;
    State& s = c.state();
    AccessDesc d;
    d.write = write;
    d.cm = true;
    S1Result r{va, 0x00, 2, true};
    Fault f;
    bool ok = true;
    if (!s1_enabled(s)) {
        f.kind = FaultKind::AddressSize;  // level 0 (AArch64.S1DisabledOutput)
        ok = (va >> c.features().pa_bits) == 0;
    } else {
        S1Request q;
        q.va = va;
        q.acc = write ? S1Access::Write : S1Access::Read;
        q.el0 = el0;
        q.desc = d;
        r = s1_translate(s, c.features(), c.stage2(), c.tlb(), q, f);
        ok = r.ok;
    }
    if (!ok && f.stage == 2) {
        c.raise_fault(f);
        return;
    }
    if (!ok) {
        s.el1.par = kRes1 | uint64_t(fault_status_code(f)) << 1 | 1;  // F = 1, FST, S = 0, PTW = 0
        return;
    }
    // SH: Device and Inner and Outer Non-cacheable memory report Outer
    // Shareable (0b10), whatever the descriptor says.
    const uint64_t sh = r.device() || r.attr == 0x44 ? 2 : r.sh;
    s.el1.par = uint64_t(r.attr) << 56 | (r.ipa & 0xFFFFFFFFF000ull) | kRes1 | sh << 7;
}
void at_s1e1r(Cpu& c, uint64_t va) { at(c, va, false, false); }
void at_s1e1w(Cpu& c, uint64_t va) { at(c, va, false, true); }
void at_s1e0r(Cpu& c, uint64_t va) { at(c, va, true, false); }
void at_s1e0w(Cpu& c, uint64_t va) { at(c, va, true, true); }

// Cache maintenance by VA or set/way: caches are not modelled, and the block
// cache already drops decoded code on every write (cpu.cpp).
void cache_op(Cpu&, uint64_t) {}

// DC ZVA (C5.3.x): zeroes the naturally aligned block of 4 << DCZID.BS bytes.
// To Device memory (any data access while stage 1 is off) it is an Alignment
// fault (D8.2.11); FAR reports Xt.
void dc_zva(Cpu& c, uint64_t va) {
    constexpr uint64_t kBlock = 4u << id::kDczidBs;
    AccessDesc a;
    a.write = true;
    a.size_log2 = 3;
    if (!s1_enabled(c.state())) {
        Fault f;
        f.kind = FaultKind::Alignment;
        f.va = va;
        f.access = a;
        c.raise_fault(f);
        return;
    }
    const uint64_t base = va & ~(kBlock - 1);
    // With stage 1 on, DC ZVA to Device memory is an Alignment fault too
    // (AArch64.S1HasAlignmentFault treats it as unaligned); FAR = Xt.
    const State& s = c.state();
    S1Request q;
    q.va = va;
    q.acc = S1Access::Write;
    q.el0 = s.pstate.el == 0;
    q.aligned = false;
    q.desc = a;
    Fault f;
    const S1Result r = s1_translate(s, c.features(), c.stage2(), c.tlb(), q, f);
    if (!r.ok) {
        c.raise_fault(f);
        return;
    }
    // A watchpoint on any byte of the block stops it before a byte is
    // written; FAR = the first watched byte (D2.9.8.2.2: any byte accessed).
    if (!c.check_watchpoint(base, kBlock, a)) return;
    c.zero_block(base, r.ipa & ~(kBlock - 1), kBlock, a);
}

// ---- The table ------------------------------------------------------------

constexpr SysRegDesc reg(arch::SysReg r, E0 el0, T trap, uint64_t (*rd)(const Cpu&),
                         void (*wr)(Cpu&, uint64_t), SysRegEl1 el1 = SysRegEl1::Allowed) {
    return SysRegDesc{r.name, r.id, el0, trap, rd, wr, el1};
}
// An EL1 read-only identification register.
constexpr SysRegDesc idreg(arch::SysReg r, T trap, uint64_t (*rd)(const Cpu&)) {
    return reg(r, E0::Undefined, trap, rd, nullptr);
}
// A GIC CPU interface register at EL1 (UNDEFINED at EL0), routed by el1.
constexpr SysRegDesc icc(arch::SysReg r, SysRegEl1 el1, T trap, uint64_t (*rd)(const Cpu&),
                         void (*wr)(Cpu&, uint64_t), uint64_t (*acting)(Cpu&) = nullptr) {
    return SysRegDesc{r.name, r.id, E0::Undefined, trap, rd, wr, el1, acting};
}
constexpr SysRegDesc el2reg(arch::SysReg r, uint64_t (*rd)(const Cpu&),
                            void (*wr)(Cpu&, uint64_t)) {
    return reg(r, E0::Undefined, T::None, rd, wr, SysRegEl1::El2Only);
}
// FPCR, FPSR: EL0 may access them, after the SIMD&FP access check.
constexpr SysRegDesc fpreg(arch::SysReg r, uint64_t (*rd)(const Cpu&), void (*wr)(Cpu&, uint64_t)) {
    return SysRegDesc{r.name, r.id, E0::RW, T::None, rd, wr, SysRegEl1::Allowed, nullptr, true};
}
constexpr SysRegDesc sysop(arch::SysReg r, E0 el0, T trap, void (*op)(Cpu&, uint64_t)) {
    return reg(r, el0, trap, nullptr, op);
}

using R = El1Regs;

// AT S1E1RP/S1E1WP (FEAT_PAN2) and the EL2/EL3 forms stay unallocated.
constexpr SysRegDesc kTable[] = {
    // ---- SYS: cache and TLB maintenance (op0 = 1), C5.3 -------------------
    sysop(sr::IC_IALLUIS, E0::Undefined, T::TPU, cache_op),
    sysop(sr::IC_IALLU, E0::Undefined, T::TPU, cache_op),
    sysop(sr::DC_IVAC, E0::Undefined, T::TPCP, cache_op),
    sysop(sr::DC_ISW, E0::Undefined, T::TSW, cache_op),
    sysop(sr::AT_S1E1R, E0::Undefined, T::None, at_s1e1r),
    sysop(sr::AT_S1E1W, E0::Undefined, T::None, at_s1e1w),
    sysop(sr::AT_S1E0R, E0::Undefined, T::None, at_s1e0r),
    sysop(sr::AT_S1E0W, E0::Undefined, T::None, at_s1e0w),
    sysop(sr::DC_CSW, E0::Undefined, T::TSW, cache_op),
    sysop(sr::DC_CISW, E0::Undefined, T::TSW, cache_op),
    sysop(sr::TLBI_VMALLE1IS, E0::Undefined, T::TTLB, tlbi_vmalle1<true>),
    sysop(sr::TLBI_VAE1IS, E0::Undefined, T::TTLB, tlbi_vae1<true>),
    sysop(sr::TLBI_ASIDE1IS, E0::Undefined, T::TTLB, tlbi_aside1<true>),
    sysop(sr::TLBI_VAAE1IS, E0::Undefined, T::TTLB, tlbi_vaae1<true>),
    sysop(sr::TLBI_VALE1IS, E0::Undefined, T::TTLB, tlbi_vae1<true>),
    sysop(sr::TLBI_VAALE1IS, E0::Undefined, T::TTLB, tlbi_vaae1<true>),
    sysop(sr::TLBI_VMALLE1, E0::Undefined, T::TTLB, tlbi_vmalle1<false>),
    sysop(sr::TLBI_VAE1, E0::Undefined, T::TTLB, tlbi_vae1<false>),
    sysop(sr::TLBI_ASIDE1, E0::Undefined, T::TTLB, tlbi_aside1<false>),
    sysop(sr::TLBI_VAAE1, E0::Undefined, T::TTLB, tlbi_vaae1<false>),
    sysop(sr::TLBI_VALE1, E0::Undefined, T::TTLB, tlbi_vae1<false>),
    sysop(sr::TLBI_VAALE1, E0::Undefined, T::TTLB, tlbi_vaae1<false>),
    sysop(sr::DC_ZVA, E0::DZE, T::TDZ, dc_zva),
    sysop(sr::IC_IVAU, E0::UCI, T::TPU, cache_op),
    sysop(sr::DC_CVAC, E0::UCI, T::TPCP, cache_op),
    sysop(sr::DC_CVAU, E0::UCI, T::TPU, cache_op),
    sysop(sr::DC_CVAP, E0::UCI, T::TPCP, cache_op),  // FEAT_DPB: its decode row gates it
    sysop(sr::DC_CIVAC, E0::UCI, T::TPCP, cache_op),

    // ---- Debug (op0 = 2), D24.3 -------------------------------------------
    // 6 breakpoints and 4 watchpoints (ID_AA64DFR0_EL1.{BRPs, WRPs}).
    reg(sr::DBGBVR0_EL1, E0::Undefined, T::TDA, get_dbg<&R::dbgbvr, 0>,
        set_dbg<&R::dbgbvr, 0, kDbgvrMask>),
    reg(sr::DBGBCR0_EL1, E0::Undefined, T::TDA, get_dbg<&R::dbgbcr, 0>,
        set_dbg<&R::dbgbcr, 0, kDbgbcrMask>),
    reg(sr::DBGWVR0_EL1, E0::Undefined, T::TDA, get_dbg<&R::dbgwvr, 0>,
        set_dbg<&R::dbgwvr, 0, kDbgvrMask>),
    reg(sr::DBGWCR0_EL1, E0::Undefined, T::TDA, get_dbg<&R::dbgwcr, 0>,
        set_dbg<&R::dbgwcr, 0, kDbgwcrMask>),
    reg(sr::DBGBVR1_EL1, E0::Undefined, T::TDA, get_dbg<&R::dbgbvr, 1>,
        set_dbg<&R::dbgbvr, 1, kDbgvrMask>),
    reg(sr::DBGBCR1_EL1, E0::Undefined, T::TDA, get_dbg<&R::dbgbcr, 1>,
        set_dbg<&R::dbgbcr, 1, kDbgbcrMask>),
    reg(sr::DBGWVR1_EL1, E0::Undefined, T::TDA, get_dbg<&R::dbgwvr, 1>,
        set_dbg<&R::dbgwvr, 1, kDbgvrMask>),
    reg(sr::DBGWCR1_EL1, E0::Undefined, T::TDA, get_dbg<&R::dbgwcr, 1>,
        set_dbg<&R::dbgwcr, 1, kDbgwcrMask>),
    // The debug communications channel is not connected: MDCCINT_EL1 RAZ/WI.
    reg(sr::MDCCINT_EL1, E0::Undefined, T::TDA, constant<0>, ignore),
    reg(sr::MDSCR_EL1, E0::Undefined, T::TDA, get<&R::mdscr>, set_mdscr),
    reg(sr::DBGBVR2_EL1, E0::Undefined, T::TDA, get_dbg<&R::dbgbvr, 2>,
        set_dbg<&R::dbgbvr, 2, kDbgvrMask>),
    reg(sr::DBGBCR2_EL1, E0::Undefined, T::TDA, get_dbg<&R::dbgbcr, 2>,
        set_dbg<&R::dbgbcr, 2, kDbgbcrMask>),
    reg(sr::DBGWVR2_EL1, E0::Undefined, T::TDA, get_dbg<&R::dbgwvr, 2>,
        set_dbg<&R::dbgwvr, 2, kDbgvrMask>),
    reg(sr::DBGWCR2_EL1, E0::Undefined, T::TDA, get_dbg<&R::dbgwcr, 2>,
        set_dbg<&R::dbgwcr, 2, kDbgwcrMask>),
    reg(sr::DBGBVR3_EL1, E0::Undefined, T::TDA, get_dbg<&R::dbgbvr, 3>,
        set_dbg<&R::dbgbvr, 3, kDbgvrMask>),
    reg(sr::DBGBCR3_EL1, E0::Undefined, T::TDA, get_dbg<&R::dbgbcr, 3>,
        set_dbg<&R::dbgbcr, 3, kDbgbcrMask>),
    reg(sr::DBGWVR3_EL1, E0::Undefined, T::TDA, get_dbg<&R::dbgwvr, 3>,
        set_dbg<&R::dbgwvr, 3, kDbgvrMask>),
    reg(sr::DBGWCR3_EL1, E0::Undefined, T::TDA, get_dbg<&R::dbgwcr, 3>,
        set_dbg<&R::dbgwcr, 3, kDbgwcrMask>),
    reg(sr::DBGBVR4_EL1, E0::Undefined, T::TDA, get_dbg<&R::dbgbvr, 4>,
        set_dbg<&R::dbgbvr, 4, kDbgvrMask>),
    reg(sr::DBGBCR4_EL1, E0::Undefined, T::TDA, get_dbg<&R::dbgbcr, 4>,
        set_dbg<&R::dbgbcr, 4, kDbgbcrMask>),
    reg(sr::DBGBVR5_EL1, E0::Undefined, T::TDA, get_dbg<&R::dbgbvr, 5>,
        set_dbg<&R::dbgbvr, 5, kDbgvrMask>),
    reg(sr::DBGBCR5_EL1, E0::Undefined, T::TDA, get_dbg<&R::dbgbcr, 5>,
        set_dbg<&R::dbgbcr, 5, kDbgbcrMask>),
    // The debug ROM address is not valid (Valid = 0b00).
    reg(sr::MDRAR_EL1, E0::Undefined, T::TDRA, constant<0>, nullptr),
    reg(sr::OSLAR_EL1, E0::Undefined, T::TDOSA, nullptr, set_oslar),
    reg(sr::OSLSR_EL1, E0::Undefined, T::TDOSA, get_oslsr, nullptr),
    // FEAT_DoubleLock is not implemented (ID_AA64DFR0_EL1.DoubleLock = 0xF):
    // OSDLR_EL1 is RAZ/WI.
    reg(sr::OSDLR_EL1, E0::Undefined, T::TDOSA, constant<0>, ignore),

    // ---- Identification (op0 = 3, op1 = 0, CRn = 0), D24.2 ----------------
    idreg(sr::MIDR_EL1, T::None, get_midr),
    idreg(sr::MPIDR_EL1, T::None, get_mpidr),
    idreg(sr::REVIDR_EL1, T::TID1, constant<0>),
    // AArch32 identification: no AArch32 at any EL, read as zero.
    idreg(sr::ID_PFR0_EL1, T::TID3, constant<0>),
    idreg(sr::ID_PFR1_EL1, T::TID3, constant<0>),
    idreg(sr::ID_DFR0_EL1, T::TID3, constant<0>),
    idreg(sr::ID_AFR0_EL1, T::TID3, constant<0>),
    idreg(sr::ID_MMFR0_EL1, T::TID3, constant<0>),
    idreg(sr::ID_MMFR1_EL1, T::TID3, constant<0>),
    idreg(sr::ID_MMFR2_EL1, T::TID3, constant<0>),
    idreg(sr::ID_MMFR3_EL1, T::TID3, constant<0>),
    idreg(sr::ID_ISAR0_EL1, T::TID3, constant<0>),
    idreg(sr::ID_ISAR1_EL1, T::TID3, constant<0>),
    idreg(sr::ID_ISAR2_EL1, T::TID3, constant<0>),
    idreg(sr::ID_ISAR3_EL1, T::TID3, constant<0>),
    idreg(sr::ID_ISAR4_EL1, T::TID3, constant<0>),
    idreg(sr::ID_ISAR5_EL1, T::TID3, constant<0>),
    idreg(sr::ID_MMFR4_EL1, T::TID3, constant<0>),
    idreg(sr::ID_ISAR6_EL1, T::TID3, constant<0>),
    idreg(sr::MVFR0_EL1, T::TID3, constant<0>),
    idreg(sr::MVFR1_EL1, T::TID3, constant<0>),
    idreg(sr::MVFR2_EL1, T::TID3, constant<0>),
    idreg(sr::ID_PFR2_EL1, T::TID3, constant<0>),
    idreg(sr::ID_DFR1_EL1, T::TID3, constant<0>),
    idreg(sr::ID_MMFR5_EL1, T::TID3, constant<0>),
    // AArch64 identification: what this PE advertises (cpu/id_regs.h).
    idreg(sr::ID_AA64PFR0_EL1, T::TID3, constant<id::kAa64Pfr0>),
    idreg(sr::ID_AA64PFR1_EL1, T::TID3, constant<0>),
    idreg(sr::ID_AA64PFR2_EL1, T::TID3, constant<0>),
    idreg(sr::ID_AA64ZFR0_EL1, T::TID3, constant<0>),
    idreg(sr::ID_AA64SMFR0_EL1, T::TID3, constant<0>),
    idreg(sr::ID_AA64FPFR0_EL1, T::TID3, constant<0>),
    idreg(sr::ID_AA64DFR0_EL1, T::TID3, constant<id::kAa64Dfr0>),
    idreg(sr::ID_AA64DFR1_EL1, T::TID3, constant<0>),
    idreg(sr::ID_AA64DFR2_EL1, T::TID3, constant<0>),
    idreg(sr::ID_AA64AFR0_EL1, T::TID3, constant<0>),
    idreg(sr::ID_AA64AFR1_EL1, T::TID3, constant<0>),
    idreg(sr::ID_AA64ISAR0_EL1, T::TID3, constant<id::kAa64Isar0>),
    idreg(sr::ID_AA64ISAR1_EL1, T::TID3, constant<id::kAa64Isar1>),
    idreg(sr::ID_AA64ISAR2_EL1, T::TID3, constant<0>),
    idreg(sr::ID_AA64ISAR3_EL1, T::TID3, constant<0>),
    idreg(sr::ID_AA64MMFR0_EL1, T::TID3, constant<id::kAa64Mmfr0>),
    idreg(sr::ID_AA64MMFR1_EL1, T::TID3, constant<0>),
    idreg(sr::ID_AA64MMFR2_EL1, T::TID3, constant<0>),
    idreg(sr::ID_AA64MMFR3_EL1, T::TID3, constant<0>),
    idreg(sr::ID_AA64MMFR4_EL1, T::TID3, constant<0>),

    // ---- EL1 system control and exception handling, D24.2 -----------------
    reg(sr::SCTLR_EL1, E0::Undefined, T::VM, get<&R::sctlr>, set_sctlr),
    reg(sr::ACTLR_EL1, E0::Undefined, T::TACR, get<&R::actlr>, set<&R::actlr>),
    reg(sr::CPACR_EL1, E0::Undefined, T::TCPAC, get<&R::cpacr>,
        set_ctx<&R::cpacr, kCpacrMask>),
    reg(sr::TTBR0_EL1, E0::Undefined, T::VM, get<&R::ttbr0>, set_ctx<&R::ttbr0, kTtbrMask>),
    reg(sr::TTBR1_EL1, E0::Undefined, T::VM, get<&R::ttbr1>, set_ctx<&R::ttbr1, kTtbrMask>),
    reg(sr::TCR_EL1, E0::Undefined, T::VM, get<&R::tcr>, set_ctx<&R::tcr, kTcrMask>),
    reg(sr::SPSR_EL1, E0::Undefined, T::None, get<&R::spsr>,
        set<&R::spsr, kSpsrMask>),
    reg(sr::ELR_EL1, E0::Undefined, T::None, get<&R::elr>, set<&R::elr>),
    reg(sr::SP_EL0, E0::Undefined, T::None, get_sp_el0, set_sp_el0,
        SysRegEl1::SpSel1),
    reg(sr::SPSel, E0::Undefined, T::None, get_spsel, set_spsel),
    reg(sr::CurrentEL, E0::Undefined, T::None, get_current_el, nullptr),
    icc(sr::ICC_PMR_EL1, SysRegEl1::ImoOrFmo, T::IchTC, icv_pmr, set_icv_pmr),
    reg(sr::AFSR0_EL1, E0::Undefined, T::VM, get<&R::afsr0>, set<&R::afsr0>),
    reg(sr::AFSR1_EL1, E0::Undefined, T::VM, get<&R::afsr1>, set<&R::afsr1>),
    reg(sr::ESR_EL1, E0::Undefined, T::VM, get<&R::esr>,
        set<&R::esr, 0xFFFFFFFF>),
    reg(sr::FAR_EL1, E0::Undefined, T::VM, get<&R::far>, set<&R::far>),
    reg(sr::PAR_EL1, E0::Undefined, T::None, get<&R::par>, set<&R::par>),
    reg(sr::MAIR_EL1, E0::Undefined, T::VM, get<&R::mair>, set_ctx<&R::mair>),
    reg(sr::AMAIR_EL1, E0::Undefined, T::VM, get<&R::amair>, set<&R::amair>),
    reg(sr::VBAR_EL1, E0::Undefined, T::None, get<&R::vbar>,
        set_ctx<&R::vbar, kVbarMask>),
    // GICv3 CPU interface (IHI 0069 ICC_*/ICV_*): 5 priority bits, so only
    // AP0R0/AP1R0 exist.
    icc(sr::ICC_IAR0_EL1, SysRegEl1::Fmo, T::IchTALL0, icv_iar_peek<0>, nullptr,
        icv_iar<0>),
    icc(sr::ICC_EOIR0_EL1, SysRegEl1::Fmo, T::IchTALL0, nullptr, icv_eoir<0>),
    icc(sr::ICC_HPPIR0_EL1, SysRegEl1::Fmo, T::IchTALL0, icv_hppir<0>, nullptr),
    icc(sr::ICC_BPR0_EL1, SysRegEl1::Fmo, T::IchTALL0, icv_bpr<0>,
        set_icv_bpr<0>),
    icc(sr::ICC_AP0R0_EL1, SysRegEl1::Fmo, T::IchTALL0, icv_apr<0>,
        set_icv_apr<0>),
    icc(sr::ICC_AP1R0_EL1, SysRegEl1::Imo, T::IchTALL1, icv_apr<1>,
        set_icv_apr<1>),
    icc(sr::ICC_DIR_EL1, SysRegEl1::ImoOrFmo, T::IchTDIR, nullptr, icv_dir),
    icc(sr::ICC_RPR_EL1, SysRegEl1::ImoOrFmo, T::IchTC, icv_rpr, nullptr),
    icc(sr::ICC_SGI1R_EL1, SysRegEl1::ImoOrFmo, T::GicSgi, nullptr, ignore),
    icc(sr::ICC_ASGI1R_EL1, SysRegEl1::ImoOrFmo, T::GicSgi, nullptr, ignore),
    icc(sr::ICC_SGI0R_EL1, SysRegEl1::ImoOrFmo, T::GicSgi, nullptr, ignore),
    icc(sr::ICC_IAR1_EL1, SysRegEl1::Imo, T::IchTALL1, icv_iar_peek<1>, nullptr,
        icv_iar<1>),
    icc(sr::ICC_EOIR1_EL1, SysRegEl1::Imo, T::IchTALL1, nullptr, icv_eoir<1>),
    icc(sr::ICC_HPPIR1_EL1, SysRegEl1::Imo, T::IchTALL1, icv_hppir<1>, nullptr),
    icc(sr::ICC_BPR1_EL1, SysRegEl1::Imo, T::IchTALL1, icv_bpr<1>,
        set_icv_bpr<1>),
    icc(sr::ICC_CTLR_EL1, SysRegEl1::ImoOrFmo, T::IchTC, icv_ctlr, set_icv_ctlr),
    icc(sr::ICC_SRE_EL1, SysRegEl1::ImoOrFmo, T::None, constant<kIccSre>,
        ignore),
    icc(sr::ICC_IGRPEN0_EL1, SysRegEl1::Fmo, T::IchTALL0, icv_igrpen<0>,
        set_icv_igrpen<0>),
    icc(sr::ICC_IGRPEN1_EL1, SysRegEl1::Imo, T::IchTALL1, icv_igrpen<1>,
        set_icv_igrpen<1>),
    reg(sr::CONTEXTIDR_EL1, E0::Undefined, T::VM, get<&R::contextidr>,
        set_ctx<&R::contextidr, kContextidrMask>),
    reg(sr::TPIDR_EL1, E0::Undefined, T::None, get<&R::tpidr_el1>,
        set<&R::tpidr_el1>),
    reg(sr::CNTKCTL_EL1, E0::Undefined, T::None, get<&R::cntkctl>,
        set<&R::cntkctl, kCntkctlMask>),

    // ---- Cache identification (op1 = 1, 2), D24.2 -------------------------
    idreg(sr::CCSIDR_EL1, T::TID2, get_ccsidr),
    idreg(sr::CLIDR_EL1, T::TID2, constant<id::kClidr>),
    idreg(sr::AIDR_EL1, T::TID1, constant<0>),
    reg(sr::CSSELR_EL1, E0::Undefined, T::TID2, get<&R::csselr>,
        set<&R::csselr, kCsselrMask>),

    // ---- EL0-visible registers (op1 = 3) ---------------------------------
    reg(sr::CTR_EL0, E0::UCT, T::TID2, constant<id::kCtr>, nullptr),
    reg(sr::DCZID_EL0, E0::RO, T::None, get_dczid, nullptr),
    reg(sr::NZCV, E0::RW, T::None, get_nzcv, set_nzcv),
    reg(sr::DAIF, E0::UMA, T::None, get_daif, set_daif),
    fpreg(sr::FPCR, get_fpcr, set_fpcr),
    fpreg(sr::FPSR, get_fpsr, set_fpsr),
    reg(sr::TPIDR_EL0, E0::RW, T::None, get<&R::tpidr_el0>, set<&R::tpidr_el0>),
    reg(sr::TPIDRRO_EL0, E0::RO, T::None, get<&R::tpidrro_el0>,
        set<&R::tpidrro_el0>),
    // CNTFRQ_EL0 is writable only at the highest EL (EL2 here): read-only.
    reg(sr::CNTFRQ_EL0, E0::CntFrq, T::None, constant<kCounterFrequencyHz>,
        nullptr),
    reg(sr::CNTPCT_EL0, E0::CntPct, T::EL1PCTEN, get_cntpct, nullptr),
    reg(sr::CNTVCT_EL0, E0::CntVct, T::None, get_cntvct, nullptr),
    reg(sr::CNTP_TVAL_EL0, E0::CntPTimer, T::EL1PCEN, get_cnt_tval<kPhys>,
        set_cnt_tval<kPhys>),
    reg(sr::CNTP_CTL_EL0, E0::CntPTimer, T::EL1PCEN, get_cnt_ctl<kPhys>,
        set_cnt_ctl<kPhys>),
    reg(sr::CNTP_CVAL_EL0, E0::CntPTimer, T::EL1PCEN, get_cnt_cval<kPhys>,
        set_cnt_cval<kPhys>),
    reg(sr::CNTV_TVAL_EL0, E0::CntVTimer, T::None, get_cnt_tval<kVirt>,
        set_cnt_tval<kVirt>),
    reg(sr::CNTV_CTL_EL0, E0::CntVTimer, T::None, get_cnt_ctl<kVirt>,
        set_cnt_ctl<kVirt>),
    reg(sr::CNTV_CVAL_EL0, E0::CntVTimer, T::None, get_cnt_cval<kVirt>,
        set_cnt_cval<kVirt>),

    // ---- EL2 encodings the guest may name ---------------------------------
    reg(sr::SP_EL1, E0::Undefined, T::None, get_sp_el1, set_sp_el1,
        SysRegEl1::El2Only),
    el2reg(sr::ICH_AP0R0_EL2, icv_apr<0>, set_icv_apr<0>),
    el2reg(sr::ICH_AP1R0_EL2, icv_apr<1>, set_icv_apr<1>),
    el2reg(sr::ICH_HCR_EL2, get_ich_hcr, set_ich_hcr),
    el2reg(sr::ICH_VTR_EL2, constant<gic::kVtr>, nullptr),
    el2reg(sr::ICH_MISR_EL2, get_ich_misr, nullptr),
    el2reg(sr::ICH_EISR_EL2, get_ich_eisr, nullptr),
    el2reg(sr::ICH_ELRSR_EL2, get_ich_elrsr, nullptr),
    el2reg(sr::ICH_VMCR_EL2, get_ich_vmcr, set_ich_vmcr),
    el2reg(sr::ICH_LR0_EL2, get_ich_lr<0>, set_ich_lr<0>),
    el2reg(sr::ICH_LR1_EL2, get_ich_lr<1>, set_ich_lr<1>),
    el2reg(sr::ICH_LR2_EL2, get_ich_lr<2>, set_ich_lr<2>),
    el2reg(sr::ICH_LR3_EL2, get_ich_lr<3>, set_ich_lr<3>),
};

// The reserved encodings of ID group 3 read as zero and write UNDEFINED, and
// HCR_EL2.TID3 traps their reads too (D23.3.1, HCR_EL2.TID3).
constexpr SysRegDesc kIdSpaceRaz =
    idreg({"ID group 3 (reserved, RAZ)", {3, 0, 0, 0, 0}}, T::TID3, constant<0>);

bool in_id_space(SysRegId id) {
    return id.op0() == 3 && id.op1() == 0 && id.crn() == 0 && id.crm() >= 1 && id.crm() <= 7;
}

// The EL0 branch of the accessors: Ok, UNDEFINED, or a trap to EL1 (to EL2
// under HCR_EL2.TGE, as Cpu::take_sync routes it).
SysRegAccess check_el0(const State& s, E0 rule, bool is_read) {
    using A = SysRegAccess;
    const uint64_t sc = s.el1.sctlr, kc = s.el1.cntkctl;
    auto trap_unless = [](bool ok) { return ok ? A::Ok : A::TrapToEl1; };
    switch (rule) {
    case E0::Undefined: return A::Undefined;
    case E0::RW: return A::Ok;
    case E0::RO: return is_read ? A::Ok : A::Undefined;
    case E0::UMA: return trap_unless(sc & sctlr::kUMA);
    case E0::UCT: return trap_unless(sc & sctlr::kUCT);
    case E0::UCI: return trap_unless(sc & sctlr::kUCI);
    case E0::DZE: return trap_unless(sc & sctlr::kDZE);
    case E0::CntFrq: return trap_unless(kc & (cntkctl::kEL0PCTEN | cntkctl::kEL0VCTEN));
    case E0::CntPct: return trap_unless(kc & cntkctl::kEL0PCTEN);
    case E0::CntVct: return trap_unless(kc & cntkctl::kEL0VCTEN);
    case E0::CntVTimer: return trap_unless(kc & cntkctl::kEL0VTEN);
    case E0::CntPTimer: return trap_unless(kc & cntkctl::kEL0PTEN);
    }
    return A::Undefined;
}

// The EL2 trap controls (HCR_EL2, MDCR_EL2, CPTR_EL2, CNTHCTL_EL2 with E2H = 0).
// MDCR_EL2.TDE, and HCR_EL2.TGE which makes TDE behave as 1, imply TDA,
// TDOSA and TDRA.
bool traps_to_el2(const State& s, T trap, bool is_read) {
    const uint64_t h = s.el2.hcr, md = s.el2.mdcr;
    const bool tde = (md & mdcr::kTDE) || (h & hcr::kTGE);
    switch (trap) {
    case T::None: return false;
    case T::VM: return h & (is_read ? hcr::kTRVM : hcr::kTVM);
    case T::TID1: return h & hcr::kTID1;
    case T::TID2: return h & hcr::kTID2;
    case T::TID3: return is_read && (h & hcr::kTID3);
    case T::TACR: return h & hcr::kTACR;
    case T::TCPAC: return s.el2.cptr & cptr::kTCPAC;
    case T::TDA: return tde || (md & mdcr::kTDA);
    case T::TDOSA: return tde || (md & mdcr::kTDOSA);
    case T::TDRA: return tde || (md & mdcr::kTDRA);
    case T::TTLB: return h & hcr::kTTLB;
    case T::TPU: return h & hcr::kTPU;
    case T::TPCP: return h & hcr::kTPCP;
    case T::TSW: return h & hcr::kTSW;
    case T::TDZ: return h & hcr::kTDZ;
    case T::EL1PCTEN: return !(s.el2.cnthctl & cnthctl::kEL1PCTEN);
    case T::EL1PCEN: return !(s.el2.cnthctl & cnthctl::kEL1PCEN);
    case T::IchTALL0: return s.ich.hcr & gic::ich_hcr::kTALL0;
    case T::IchTALL1: return s.ich.hcr & gic::ich_hcr::kTALL1;
    case T::IchTC: return s.ich.hcr & gic::ich_hcr::kTC;
    case T::IchTDIR: return s.ich.hcr & (gic::ich_hcr::kTC | gic::ich_hcr::kTDIR);
    case T::GicSgi: return true;
    }
    return false;
}

// An encoding with no descriptor: UNDEFINED, except that HCR_EL2.TIDCP traps
// EL1's accesses to the IMPLEMENTATION DEFINED space (op0 = 3, CRn = 11 or
// 15) to EL2. At EL0 those stay UNDEFINED (the IMPLEMENTATION DEFINED choice
// in docs/architecture-choices-system.md).
SysRegAccess check_unknown(const State& s, SysRegId id) {
    const bool impdef = id.op0() == 3 && (id.crn() == 11 || id.crn() == 15);
    if (impdef && s.pstate.el == 1 && (s.el2.hcr & hcr::kTIDCP)) return SysRegAccess::TrapToEl2;
    return SysRegAccess::Undefined;
}

void log_unhandled(SysRegId id, bool is_read) {
    static const bool enabled = std::getenv("STEPVISOR_LOG_SYSREG") != nullptr;
    if (enabled) std::fprintf(stderr, "%s\n", unhandled_sysreg_entry(id, is_read).c_str());
}

}  // namespace

std::span<const SysRegDesc> sysreg_table() { return kTable; }

const SysRegDesc* find_sysreg(SysRegId id) {
    const auto* it = std::lower_bound(std::begin(kTable), std::end(kTable), id,
                                      [](const SysRegDesc& d, SysRegId k) { return d.id < k; });
    if (it != std::end(kTable) && it->id == id) return it;
    return in_id_space(id) ? &kIdSpaceRaz : nullptr;
}

namespace {

// The EL1 conditions that make an access UNDEFINED before any EL2 trap.
bool undefined_at_el1(const State& s, SysRegEl1 rule) {
    const uint64_t h = s.el2.hcr;
    switch (rule) {
    case SysRegEl1::Allowed: return false;
    case SysRegEl1::SpSel1: return !s.pstate.sp;
    case SysRegEl1::El2Only: return true;
    case SysRegEl1::Imo: return !(h & hcr::kIMO);
    case SysRegEl1::Fmo: return !(h & hcr::kFMO);
    case SysRegEl1::ImoOrFmo: return !(h & (hcr::kIMO | hcr::kFMO));
    }
    return true;
}

}  // namespace

SysRegAccess check_sysreg_access(const Cpu& cpu, const SysRegDesc& d, bool is_read) {
    if (is_read ? !d.read : !d.write) return SysRegAccess::Undefined;
    if (d.fp && !cpu.fp_enabled()) return SysRegAccess::FpTrap;
    const State& s = cpu.state();
    if (s.pstate.el == 0) {
        const SysRegAccess a = check_el0(s, d.el0, is_read);
        if (a != SysRegAccess::Ok) return a;
    } else if (undefined_at_el1(s, d.el1)) {
        return SysRegAccess::Undefined;
    }
    return traps_to_el2(s, d.trap, is_read) ? SysRegAccess::TrapToEl2 : SysRegAccess::Ok;
}

Flow access_sysreg(Cpu& cpu, SysRegId id, unsigned rt, bool is_read) {
    const SysRegDesc* d = find_sysreg(id);
    const SysRegAccess a =
        d ? check_sysreg_access(cpu, *d, is_read) : check_unknown(cpu.state(), id);
    const uint64_t pc = cpu.state().pc;
    const uint32_t esr = arch::esr(
        arch::EC::SysReg,
        arch::encode_sysreg_iss({uint8_t(id.op0()), uint8_t(id.op1()), uint8_t(id.crn()),
                                 uint8_t(id.crm()), uint8_t(id.op2()), uint8_t(rt), is_read}));
    switch (a) {
    case SysRegAccess::Undefined:
        if (!d) log_unhandled(id, is_read);
        return cpu.undefined();
    case SysRegAccess::TrapToEl1: return cpu.take_sync(esr, pc);
    case SysRegAccess::TrapToEl2: return cpu.take_sync_to_el2(esr, pc);
    case SysRegAccess::FpTrap: return cpu.fp_access_trap();
    case SysRegAccess::Ok: break;
    }
    if (is_read) cpu.set_x(rt, d->read_acting ? d->read_acting(cpu) : d->read(cpu));
    else d->write(cpu, cpu.x(rt));
    // AT and DC ZVA raise their faults (a stage-2 abort, an Alignment fault,
    // a watchpoint) rather than return them: the interpreter takes them.
    if (cpu.fault_pending()) return Flow::Exception;
    // A write, or a read that acts (ICC_IAR1_EL1), may change what the CPU
    // checks between blocks (a timer's deadline, an interrupt now takeable):
    // the block ends here, so that happens after this instruction wherever
    // the block began (a run resumed mid-block begins another one).
    return !is_read || d->read_acting ? Flow::EndBlock : Flow::Next;
}

std::string unhandled_sysreg_entry(SysRegId id, bool is_read) {
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "reg(\"S%u_%u_C%u_C%u_%u\", {%u, %u, %u, %u, %u}, E0::Undefined, T::None, "
                  "nullptr, nullptr),  // unhandled %s",
                  id.op0(), id.op1(), id.crn(), id.crm(), id.op2(), id.op0(), id.op1(), id.crn(),
                  id.crm(), id.op2(), is_read ? "read" : "write");
    return buf;
}

}  // namespace cpu
