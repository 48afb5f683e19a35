// Unicorn's side: the `max` CPU model (the default Cortex-A72 model lacks
// LSE and RCpc), RAM mapped from our own buffer at the same IPA, one
// uc_emu_start per step with an instruction count.
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>
#include <unicorn/unicorn.h>

#include "tests/difftest/runner.h"

namespace difftest {

namespace {
// Run before each case: CLREX; with --mmu also the case's MMU registers
// from X1-X4 through MSR (so Unicorn recomputes its cached state, as an
// MSR does), then TLBI VMALLE1, DSB ISH, ISB.
constexpr uint32_t kScratchCode[kScratchWords] = {
    0xD503305F,  // clrex
    0xD518A201,  // msr mair_el1, x1
    0xD5182042,  // msr tcr_el1, x2
    0xD5182003,  // msr ttbr0_el1, x3
    0xD5181004,  // msr sctlr_el1, x4
    0xD508871F,  // tlbi vmalle1
    0xD5033B9F,  // dsb ish
    0xD5033FDF,  // isb
};
// Never reached: an odd address, so only the count ends a step.
constexpr uint64_t kNoUntil = 1;

std::array<int, 34> reg_ids() {
    std::array<int, 34> ids{};
    for (int r = 0; r < 29; ++r) ids[r] = UC_ARM64_REG_X0 + r;
    ids[29] = UC_ARM64_REG_X29, ids[30] = UC_ARM64_REG_X30;
    ids[31] = UC_ARM64_REG_SP, ids[32] = UC_ARM64_REG_PC, ids[33] = UC_ARM64_REG_NZCV;
    return ids;
}
const std::array<int, 34> kRegIds = reg_ids();

void check(uc_err e, const char* what) {
    if (e != UC_ERR_OK) throw std::runtime_error(fmt::format("unicorn {}: {}", what, uc_strerror(e)));
}
}  // namespace

// Unicorn 2.0.1 keeps every block it translated until its 1 GiB code buffer
// fills; resetting the buffer then, with blocks dropped by
// uc_ctl_remove_cache still chained, crashed in tb_set_jmp_target (seed
// 2002, case 488505). A fresh engine every kReopenEvery cases never fills it.
constexpr uint64_t kReopenEvery = 100000;

UcRunner::UcRunner(bool window) : ram_(kRamSize), window_(window) {
    std::memcpy(&ram_[kScratch - kRamBase], kScratchCode, sizeof kScratchCode);  // RAM outlives each engine
    open();
}

void UcRunner::open() {
    check(uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc_), "open");
    check(uc_ctl_set_cpu_model(uc_, UC_CPU_ARM64_MAX), "cpu model max");
    check(uc_mem_map_ptr(uc_, kRamBase, kRamSize, UC_PROT_ALL, ram_.data()), "map RAM");
    // Unicorn 2.0.1 looks the *virtual* address of an access up in its
    // physical map before translating: a VA that is no mapped PA stops with
    // UC_ERR_READ_UNMAPPED instead of the stage-1 fault. No descriptor points
    // here; the region only lets the window's VAs reach the page tables
    // (docs/oracle-exceptions.md, mmu-va-checked-as-pa).
    if (window_) check(uc_mem_map(uc_, kUnmapped, kDataSize, UC_PROT_ALL), "map window");
    uc_hook hook;
    check(uc_hook_add(uc_, &hook, UC_HOOK_CODE, reinterpret_cast<void*>(&UcRunner::on_code), this,
                      kCodeBase, kCodeBase + 4 * kMaxSlots - 1),
          "hook");
    // Unicorn 2.0.1 calls this hook for an exception and then drops it: it
    // never enters the vector (docs/oracle-exceptions.md, mmu-abort-not-taken).
    check(uc_hook_add(uc_, &hook, UC_HOOK_INTR, reinterpret_cast<void*>(&UcRunner::on_intr), this, 1, 0),
          "interrupt hook");
}

void UcRunner::on_intr(uc_struct* uc, uint32_t intno, void* self) {
    static_cast<UcRunner*>(self)->intno_ = int(intno);
    uc_emu_stop(uc);
}

void UcRunner::on_code(uc_struct* uc, uint64_t addr, uint32_t, void* self) {
    auto* r = static_cast<UcRunner*>(self);
    if (r->at_ && !(*r->at_)(addr)) uc_emu_stop(uc);
}

std::string UcRunner::run(uint64_t end, const std::function<bool(uint64_t)>& at) {
    at_ = &at;
    intno_ = -1;
    const uc_err e = uc_emu_start(uc_, kEntry, end, 0, 0);
    at_ = nullptr;
    return e == UC_ERR_OK ? std::string{} : fmt::format("unicorn: {}", uc_strerror(e));
}

void UcRunner::close() {
    uc_close(uc_);
    uc_ = nullptr;
}

UcRunner::~UcRunner() { close(); }

void UcRunner::load(const Case& c) {
    if (++loads_ % kReopenEvery == 0) {
        close();
        open();
    }
    std::memset(&ram_[kCodeBase - kRamBase], 0, loaded_ * 4);
    std::memcpy(&ram_[kCodeBase - kRamBase], c.uc_code.data(), c.uc_code.size() * 4);
    loaded_ = c.uc_code.size();
    // Writes through the mapped pointer are invisible to Unicorn's
    // translation cache: drop what it translated from the code buffer.
    check(uc_ctl_remove_cache(uc_, kCodeBase, kCodeBase + 4 * kMaxSlots), "remove cache");
    const MmuSetup* m = c.mmu ? &*c.mmu : nullptr;
    for (uint64_t off = 0; off < kDataSize; off += kPiece)
        std::memcpy(&ram_[data_pa(m, kDataBase + off) - kRamBase], &c.data[off], kPiece);
    // A monitor left open by the previous case would let a lone STXR pass.
    unsigned scratch = 1;
    if (m) {
        std::memset(&ram_[kTables - kRamBase], 0, tables_loaded_);
        std::memcpy(&ram_[kTables - kRamBase], m->tables.data(), m->tables.size());
        tables_loaded_ = m->tables.size();
        const uint64_t v[] = {m->mair, m->tcr, m->ttbr0, m->sctlr};
        for (unsigned k = 0; k < 4; ++k) check(uc_reg_write(uc_, UC_ARM64_REG_X1 + k, &v[k]), "write x1-x4");
        scratch = kScratchWords;
    }
    check(uc_emu_start(uc_, kScratch, kScratch + 4 * scratch, 0, 0), "set-up code");
    // EL1h or EL1t, DAIF masked. PSTATE first: the SP written next is then
    // the one the program uses.
    const uint64_t pstate = c.el1t ? 0x3C4 : 0x3C5;
    check(uc_reg_write(uc_, UC_ARM64_REG_PSTATE, &pstate), "write pstate");
    std::array<uint64_t, 34> v{};
    for (unsigned r = 0; r < 31; ++r) v[r] = c.x[r];
    v[31] = c.sp, v[32] = kEntry, v[33] = c.nzcv;
    std::array<void*, 34> ptrs;
    for (unsigned i = 0; i < 34; ++i) ptrs[i] = &v[i];
    check(uc_reg_write_batch(uc_, const_cast<int*>(kRegIds.data()), ptrs.data(), 34), "write regs");
    const uint64_t cpacr = 3ull << 20;  // FPEN: SIMD&FP enabled at EL0 and EL1
    check(uc_reg_write(uc_, UC_ARM64_REG_CPACR_EL1, &cpacr), "write cpacr_el1");
    for (unsigned r = 0; r < 32; ++r) {
        std::array<uint64_t, 2> q = c.v[r];
        check(uc_reg_write(uc_, UC_ARM64_REG_Q0 + int(r), q.data()), "write q");
    }
    const uint32_t fpcr = c.fpcr, fpsr = c.fpsr;
    check(uc_reg_write(uc_, UC_ARM64_REG_FPCR, &fpcr), "write fpcr");
    check(uc_reg_write(uc_, UC_ARM64_REG_FPSR, &fpsr), "write fpsr");
}

Snapshot UcRunner::snapshot(const std::string& fault) const {
    std::array<uint64_t, 34> v{};
    std::array<void*, 34> ptrs;
    for (unsigned i = 0; i < 34; ++i) ptrs[i] = &v[i];
    check(uc_reg_read_batch(uc_, const_cast<int*>(kRegIds.data()), ptrs.data(), 34), "read regs");
    Snapshot out;
    for (unsigned r = 0; r < 31; ++r) out.x[r] = v[r];
    out.sp = v[31], out.pc = v[32], out.nzcv = uint32_t(v[33]) & 0xF0000000u;
    std::array<int, 34> fp_ids;
    std::array<void*, 34> fp_ptrs;
    for (unsigned r = 0; r < 32; ++r) fp_ids[r] = UC_ARM64_REG_Q0 + int(r), fp_ptrs[r] = out.v[r].data();
    fp_ids[32] = UC_ARM64_REG_FPCR, fp_ptrs[32] = &out.fpcr;
    fp_ids[33] = UC_ARM64_REG_FPSR, fp_ptrs[33] = &out.fpsr;
    check(uc_reg_read_batch(uc_, fp_ids.data(), fp_ptrs.data(), 34), "read SIMD&FP registers");
    out.fault = fault;
    out.uc_intno = intno_;
    if (fault.empty() && intno_ >= 0) out.fault = fmt::format("unicorn: exception {} (UC_HOOK_INTR)", intno_);
    return out;
}

Snapshot UcRunner::step(unsigned n) {
    uint64_t pc;
    check(uc_reg_read(uc_, UC_ARM64_REG_PC, &pc), "read pc");
    intno_ = -1;
    const uc_err e = uc_emu_start(uc_, pc, kNoUntil, 0, n);
    return snapshot(e == UC_ERR_OK ? std::string{} : fmt::format("unicorn: {}", uc_strerror(e)));
}

}  // namespace difftest
