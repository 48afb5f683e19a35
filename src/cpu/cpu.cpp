// The interpreter loop and the pre-decoded block cache.
//
// Blocks are keyed by the IPA of their first instruction and hold up to
// kMaxBlockInsns decoded instructions, ending at a branch, an exception, a
// context-changing instruction or a 4 KiB page boundary. Stage2 records which
// 64-byte lines hold decoded code, for every PE of the domain at once; a
// write to one (a guest store by any PE, or invalidate_code() for writes
// from outside) drops the blocks of that page on every PE at its next
// block boundary, and the block being executed stops after the writing
// instruction, so self-modifying code sees its write.
#include <algorithm>
#include <array>
#include <cstring>
#include <utility>
#include <vector>

#include <tsl/robin_map.h>

#include "cpu/access.h"
#include "cpu/block.h"
#include "cpu/cpu.h"
#include "cpu/debug.h"
#include "cpu/decode.h"
#include "cpu/fp/fp.h"
#include "cpu/jit/tier.h"

namespace cpu {

namespace {
constexpr unsigned kMaxBlockInsns = 64;
constexpr uint64_t kPageSize = 4096;
// The direct-mapped front of the block cache, indexed with the page number
// folded in: with 4096 slots by (ipa >> 2), kernel code 16 KiB apart
// shared them, and a Linux boot missed the front at 21% of its lookups
// (16% now: the rest are blocks not yet seen or long unused).
constexpr unsigned kFrontSize = 16384;
size_t front_slot(uint64_t ipa) { return ((ipa >> 2) ^ (ipa >> 16)) & (kFrontSize - 1); }
Flow fetch_faulted(Cpu&, const Insn&) { return Flow::Exception; }
// IPAs are multiples of 4 (of 4096 for pages) and the maps index by the
// hash's low bits: mixed, so that every bit of the IPA counts.
struct IpaHash {
    size_t operator()(uint64_t ipa) const {
        const uint64_t h = (ipa >> 2) * 0x9E3779B97F4A7C15ull;
        return size_t(h ^ (h >> 32));
    }
};
}  // namespace

struct Cpu::BlockCache {
    // What fetch_block returns when the fetch faulted: one instruction that
    // returns Flow::Exception, so run_block takes the fetch's fault as it
    // takes every raised fault, and the block path tests nothing more.
    Block fetch_fault{{Insn{.exec = fetch_faulted}}};
    tsl::robin_map<uint64_t, std::unique_ptr<Block>, IpaHash> by_ipa;
    // The IPAs of the blocks in each page: what a write to the page drops.
    tsl::robin_map<uint64_t, std::vector<uint64_t>, IpaHash> by_page;
    struct Front {
        uint64_t ipa = ~0ull;
        Block* block = nullptr;
    };
    std::vector<Front> front = std::vector<Front>(kFrontSize);
    uint64_t stage2_generation = 0;
};

Cpu::Cpu() : blocks_(std::make_unique<BlockCache>()) {}
Cpu::~Cpu() = default;

// Every PE sharing the code lines drops its blocks in the page before it
// runs again, so the page's lines can be forgotten at once. Blocks lie
// within one page, so the page's blocks are all the write can have changed.
void Cpu::code_written(const Stage2Region* r, uint64_t ipa, uint64_t size) {
    stage2_.clear_written_code(r, ipa, size, [this](uint64_t page) {
        for_each_pe([page](Cpu& pe) { pe.note_written_code_page(page); });
        end_block_ = true;
    });
}

void Cpu::note_written_code_page(uint64_t page) {
    attention_ |= kDropCode;
    if (std::find(written_code_pages_.begin(), written_code_pages_.end(), page) !=
        written_code_pages_.end())
        return;
    if (written_code_pages_.size() < kMaxWrittenCodePages)
        written_code_pages_.push_back(page);
    else
        attention_ |= kFlushBlocks;
}

void Cpu::invalidate_code(uint64_t ipa, uint64_t size) {
    for (const Stage2Region& r : stage2_.regions())
        if (ipa < r.ipa + r.size && r.ipa < ipa + size) code_written(&r, ipa, size);
}

void Cpu::invalidate_all_code() { attention_ |= kFlushBlocks; }

void Cpu::set_features(const Features& f) {
    if (f == features_) return;
    features_ = f;
    attention_ |= kFlushBlocks;
    tlb_.invalidate_all();
}

void Cpu::flush_blocks() {
    BlockCache& bc = *blocks_;
    bc.by_ipa.clear();
    bc.by_page.clear();
    std::fill(bc.front.begin(), bc.front.end(), BlockCache::Front{});
    bc.stage2_generation = stage2_.generation();
    written_code_pages_.clear();
    attention_ &= ~uint32_t(kFlushBlocks | kDropCode);
#if defined(__x86_64__)
    if (tier_) tier_->flush();
#endif
    jit_link_ = nullptr;
    jit_returns_.clear();
}

// The blocks of the written pages, their front slots and their code.
// Between blocks, so nothing runs them.
void Cpu::drop_written_code() {
    BlockCache& bc = *blocks_;
    for (const uint64_t page : written_code_pages_) {
        const auto in_page = bc.by_page.find(page);
        if (in_page == bc.by_page.end()) continue;
        for (const uint64_t ipa : in_page->second) {
            const auto it = bc.by_ipa.find(ipa);
            if (auto& fe = bc.front[front_slot(ipa)]; fe.ipa == ipa) fe = {};
#if defined(__x86_64__)
            if (it->second->code) tier_->drop(ipa);
#endif
            bc.by_ipa.erase(it);
        }
        bc.by_page.erase(in_page);
    }
    written_code_pages_.clear();
    attention_ &= ~uint32_t(kDropCode);
    jit_link_ = nullptr;  // its block may be gone
    jit_returns_.clear();  // so may the blocks its entries name
}

Stop Cpu::run(uint64_t max_insns) {
    if (blocks_->stage2_generation != stage2_.generation()) attention_ |= kFlushBlocks;
    sync_fast_tlb();  // the hypervisor, the VMM or a debugger may have written the context
    exception_return_from_el2();
    // STMXCSR costs about a tenth of a debugger's single step: a run that
    // starts with the debug checks armed (one instruction at a time, no
    // generated code) goes without the sample, the FP fast path keeping to
    // its MXCSR way (exact either way, docs/fp.md).
    if (attention_ & kDebugInsn) {
        fp::forget_host_fp_environment();
        host_fp_default_ = false;
    } else {
        host_fp_default_ = fp::sample_host_fp_environment();
    }
    return execute(max_insns);
}

// Decodes the block starting at ipa, which r maps.
Block* Cpu::translate_block(uint64_t ipa, const Stage2Region* r) {
    auto nb = std::make_unique<Block>();
    nb->ipa = ipa;
    const uint64_t page_end = (ipa & ~(kPageSize - 1)) + kPageSize;
    uint64_t a = ipa;
    // Decoded here, then copied once: growing the vector instruction by
    // instruction reallocated it about four times a block.
    std::array<Insn, kMaxBlockInsns> decoded;
    size_t n = 0;
    while (n < kMaxBlockInsns && a < page_end && a - r->ipa + 4 <= r->size) {
        uint32_t raw;
        std::memcpy(&raw, r->host + (a - r->ipa), 4);
        Insn& in = decoded[n++];
        decode(raw, features_, in);
        a += 4;
        if (in.ends_block) break;
    }
    nb->insns.assign(decoded.begin(), decoded.begin() + n);
    // Stores to a page that now holds code must take the slow path.
    if (!stage2_.page_has_code(r, ipa)) {
        const uint8_t* page = r->host + ((ipa & ~(kPageSize - 1)) - r->ipa);
        for_each_pe([page](Cpu& pe) { pe.tlb_.fast().drop_writes_to(page); });
    }
    stage2_.mark_code(r, ipa, a - ipa);
    Block* b = nb.get();
    blocks_->by_ipa.emplace(ipa, std::move(nb));
    blocks_->by_page[ipa & ~(kPageSize - 1)].push_back(ipa);
    return b;
}

// Instruction fetch at the PC. With the MMU off VA = IPA and memory is
// Normal, so only stage 2 can fault (an instruction abort to EL2). With it
// on, every block fetch translates the PC (a TLB hit, usually) and checks
// execute permission, so blocks stay keyed by IPA: a VA remapped after TLBI
// reaches the block of its new IPA, and a change of EL or of the
// translation context is seen at the next block (writes to those end the
// block). A fetch that faults raises the fault and returns the cache's fetch_fault block.
// The common case first, small enough to stay cheap for the stepping path
// (one fetch per instruction): the translation in the fast TLB, the block
// in the front of the cache.
Block* Cpu::fetch_block() {
    uint64_t ipa = s_.pc;
    if (s1_enabled(s_)) [[unlikely]] {
        ipa = tlb_.fast().fetch(s_.pstate.el == 0, s_.pc);
        if (ipa == ~0ull) return fetch_block_miss();
    }
    const BlockCache::Front& fe = blocks_->front[front_slot(ipa)];
    if (fe.ipa == ipa) [[likely]]
        return fe.block;
    return fetch_block_miss();
}

Block* Cpu::fetch_block_miss() {
    BlockCache& bc = *blocks_;
    uint64_t ipa = s_.pc;
    if (s1_enabled(s_)) [[unlikely]] {
        const unsigned mode = s_.pstate.el == 0;
        ipa = tlb_.fast().fetch(mode, s_.pc);
        if (ipa == ~0ull) {
            S1Request q;
            q.va = s_.pc;
            q.acc = S1Access::Fetch;
            q.el0 = mode;
            const S1Result r = s1_translate(s_, features_, stage2_, tlb_, q, fault_);
            if (!r.ok) {
                fault_pending_ = true;
                return &bc.fetch_fault;
            }
            ipa = r.ipa;
            tlb_.fast().fill_fetch(mode, s_.pc, ipa);
        }
    }
    if (Block* b = cached_block(ipa)) [[likely]]
        return b;
    const Stage2Region* r = stage2_.lookup(ipa, 4);
    if (!r) {
        Fault f;
        f.fetch = true;
        f.va = s_.pc;
        f.ipa = ipa;
        if (!s1_enabled(s_) && (ipa >> features_.pa_bits)) {
            // AArch64.S1DisabledOutput: above the PA size, an Address
            // size fault at level 0 (stage 1), before stage 2.
            f.kind = FaultKind::AddressSize;
            f.stage = 1;
            f.level = 0;
        } else {
            f.stage = 2;
            f.level = 3;
        }
        raise_fault(f);
        return &bc.fetch_fault;
    }
    Block* b = translate_block(ipa, r);
    bc.front[front_slot(ipa)] = {ipa, b};
    return b;
}

Block* Cpu::cached_block(uint64_t ipa) {
    BlockCache& bc = *blocks_;
    auto& fe = bc.front[front_slot(ipa)];
    if (fe.ipa == ipa) [[likely]]
        return fe.block;
    const auto it = bc.by_ipa.find(ipa);
    if (it == bc.by_ipa.end()) return nullptr;
    fe = {ipa, it->second.get()};
    return fe.block;
}

// After a handler's Flow other than Next: EndBlock and Branch retire (the
// PC moves past all but a branch); Exception takes a pending fault.
[[gnu::always_inline]] inline void Cpu::end_flow(Flow fl) {
    if (fl == Flow::EndBlock) {
        s_.pc += 4;
        ++retired_;
    } else if (fl == Flow::Branch) {
        ++retired_;
    } else if (fault_pending_) {
        take_fault();
    }
}

// run_block(b, 1) for the stepping path: the instruction in alone.
void Cpu::run_insn(const Insn& in) {
    end_block_ = false;
    const Flow fl = in.exec(*this, in);
    if (fl == Flow::Next) {
        s_.pc += 4;
        ++retired_;
    } else {
        end_flow(fl);
    }
}

// Runs up to n instructions of b. The PC advances past each retired
// instruction unless the handler branched or took an exception. A handler
// that raised a fault returns Flow::Exception and the fault is taken here,
// at the PC of the faulting instruction.
void Cpu::run_block(const Block& b, size_t n) {
    const Insn* in = b.insns.data();
    end_block_ = false;
    for (size_t i = 0; i < n; ++i) {
        const Flow fl = in[i].exec(*this, in[i]);
        if (fl == Flow::Next) [[likely]] {
            s_.pc += 4;
            ++retired_;
            if (end_block_) return;
            continue;
        }
        end_flow(fl);
        return;
    }
}

// The generated code of the whole of b: compiled on its jit_threshold_-th
// run, then run, and blocks chained to it after it (their exits test what
// the loop would test between them). A full code cache drops every block
// and b runs interpreted meanwhile.
bool Cpu::run_compiled(Block& b) {
#if defined(__x86_64__)
    // The chain slot generated code last left by, unlinked: b may be its
    // successor (the block run right after it, at the slot's IPA).
    jit::Exit* const link = std::exchange(jit_link_, nullptr);
    if (&b == &blocks_->fetch_fault) return false;
    if (!b.code) {
        if (++b.runs < jit_threshold_) return false;
        if (!tier_) tier_ = std::make_unique<jit::Tier>();
        b.code = tier_->compile(*this, b);
        if (!b.code) {
            attention_ |= kFlushBlocks;
            return false;
        }
    }
    if (link && link->ipa == b.ipa) tier_->link(*link, *b.code);
    ++jit_entries_;
    const uint64_t before = retired_;
    b.code->entry(this);
    retired_jit_ += retired_ - before;
    return true;
#else
    (void)b;
    return false;
#endif
}

// execute()'s turn of the loop, run for it while its outcome would be "a
// fetch_block hit, then run_compiled of the whole block" (anything else
// returns null, for execute() to do): nothing to attend to, the budget
// not reached, no virtual interrupt line up (taken or masked, execute()
// decides), an aligned PC, no software breakpoint armed, the fetch's
// translation in the fast TLB (a miss walks: fetch_block's), PSTATE.IL
// clear, the block decoded and compiled (an uncompiled one counts its
// runs in run_compiled) and within the budget. Every test reads the state
// as it is, so whatever the block before changed (EL, translation
// context, TLB, PSTATE) is seen as execute() would see it. The chain slot
// left unlinked (jit_link_) is not one: generated code sets it only as it
// returns to execute(). The block's code is found through the tier's jump
// cache, else the block cache (refilling the jump cache).
const void* Cpu::jit_lookup() {
#if defined(__x86_64__)
    if (attention_ || retired_ >= jit_end_) return nullptr;
    if (((s_.el2.hcr & (hcr::kVI | hcr::kVF | hcr::kVSE)) | ich_lines_) || (s_.pc & 3) ||
        (sw_bps_armed_ && on_sw_bp_page(s_.pc)) || s_.pstate.il)
        return nullptr;
    uint64_t ipa = s_.pc;
    if (s1_enabled(s_)) {
        ipa = tlb_.fast().fetch(s_.pstate.el == 0, s_.pc);
        if (ipa == ~0ull) return nullptr;
    }
    jit::Jump j = tier_->jump(ipa);
    if (j.ipa != ipa) [[unlikely]] {
        const Block* b = cached_block(ipa);
        if (!b || !b->code) return nullptr;
        tier_->add_jump(ipa, *b->code);
        j = tier_->jump(ipa);
    }
    if (j.size() > jit_end_ - retired_) return nullptr;
    // Everything the chain checks test was tested here; but a breakpoint's
    // page depends on where the code goes next, so with breakpoints armed
    // every chain and lookup checks again.
    jit_recheck_ = sw_bps_armed_;
    return j.body();
#else
    return nullptr;
#endif
}

// Rare conditions, checked once per block through one flag word.
// Returns true when run() must return `stop`.
bool Cpu::attend(Stop& stop) {
    if (attention_ & kExitedToEl2) {
        attention_ &= ~kExitedToEl2;
        stop = Stop::Trap;
        return true;
    }
    // An interrupt to EL2 at the current PC, one reason per call: the
    // maintenance interrupt, then a caught EL1 entry.
    for (const uint32_t reason :
         {uint32_t(kMaintenance), uint32_t(kCaughtEl1), uint32_t(kTimerWritten)}) {
        if (!(attention_ & reason)) continue;
        attention_ &= ~reason;
        s_.el2.elr = s_.pc;
        s_.el2.spsr = s_.pstate.to_spsr();
        stop = Stop::Irq;
        return true;
    }
    if (attention_ & kNoProgress) {
        attention_ &= ~kNoProgress;
        stop = Stop::NoProgress;
        return true;
    }
    if (attention_ & kFlushBlocks)
        flush_blocks();
    else if (attention_ & kDropCode)
        drop_written_code();
    return false;
}

Stop Cpu::execute(uint64_t max_insns) {
    const uint64_t end = retired_ + max_insns;
    jit_end_ = end;
    // The budget is a physical IRQ routed to EL2: the guest's state is its
    // return state, nothing else changes.
    const auto budget_irq = [this] {
        s_.el2.elr = s_.pc;
        s_.el2.spsr = s_.pstate.to_spsr();
        return Stop::Irq;
    };
    for (;;) {
        Stop stop;
        if (attention_) [[unlikely]] {
            // The debug flags alone (a debugger stepping) need no attend().
            if ((attention_ & ~uint32_t(kDebugInsn | kDebugData)) && attend(stop)) return stop;
            // Debug armed: one instruction at a time, off the block path.
            if (attention_ & kDebugInsn) {
                if (retired_ >= end) return budget_irq();
                execute_debug(end);
                // What attend() checks first: a step ends in an exception
                // to EL2 (its own, or the instruction's).
                if (attention_ & kExitedToEl2) {
                    attention_ &= ~kExitedToEl2;
                    return Stop::Trap;
                }
                continue;
            }
        }
        if (retired_ >= end) return budget_irq();
        if (((s_.el2.hcr & (hcr::kVI | hcr::kVF | hcr::kVSE)) | ich_lines_) &&
            take_pending_virtual_interrupt())
            continue;
        if (s_.pc & 3) {
            take_sync(arch::esr(arch::EC::PCAlign, 0), s_.pc, s_.pc, true);
            continue;
        }
        // The debugger's breakpoint comes before the fetch (and its aborts):
        // the instruction's address need not even be mapped.
        if (sw_bps_armed_ && sw_breakpoint_in(s_.pc, 1)) [[unlikely]] {
            take_sw_breakpoint();
            continue;
        }
        Block* b = fetch_block();
        // With PSTATE.IL set, any instruction takes an Illegal Execution
        // state exception (D1.4.4), after fetch and its aborts (a fetch
        // fault, pending, is taken by run_block). IL changes only at
        // exception entry and return, which end a block, so one check per
        // block suffices.
        if (s_.pstate.il && !fault_pending_) {
            take_sync(arch::esr(arch::EC::IllegalState, 0), s_.pc);
            continue;
        }
        size_t n = std::min<uint64_t>(b->insns.size(), end - retired_);
        // A block is straight-line code within one page: its instructions
        // are at pc, pc + 4, ... in the order they run, so it stops short
        // of the first breakpoint inside it.
        if (sw_bps_armed_) [[unlikely]] {
            if (const auto bp = sw_breakpoint_in(s_.pc, n)) n = (*bp - s_.pc) / 4;
        }
        if (jit_ && n == b->insns.size() && run_compiled(*b)) continue;
        run_block(*b, n);
    }
}

// ---- The translation tier ------------------------------------------------------

bool Cpu::jit_supported() {
#if defined(__x86_64__)
    return true;
#else
    return false;
#endif
}

void Cpu::set_jit(bool on) { jit_ = on && jit_supported(); }

// ---- The hypervisor's software breakpoints --------------------------------------

void Cpu::set_sw_breakpoints(std::vector<uint64_t> vas) {
    std::sort(vas.begin(), vas.end());
    vas.erase(std::unique(vas.begin(), vas.end()), vas.end());
    sw_bps_ = std::move(vas);
    sw_bps_armed_ = sw_bps_on_ && !sw_bps_.empty();
    sw_bp_pages_ = {};
    for (const uint64_t va : sw_bps_) {
        const uint64_t bit = sw_bp_page_bit(va);
        sw_bp_pages_[bit / 64] |= uint64_t(1) << (bit % 64);
    }
    end_block_ = true;
}

// Written so that a block ending at the top of the address space does not
// wrap: bp - va is the distance, whatever va is.
std::optional<uint64_t> Cpu::sw_breakpoint_in(uint64_t va, size_t n) const {
    const auto it = std::lower_bound(sw_bps_.begin(), sw_bps_.end(), va);
    if (it == sw_bps_.end() || *it - va >= 4 * uint64_t(n)) return std::nullopt;
    return *it;
}

// What a BRK #0 at the PC would do under MDCR_EL2.TDE
// (AArch64.SoftwareBreakpoint): EC 0x3C to EL2, nothing retired.
Flow Cpu::take_sw_breakpoint() {
    return take_sync_to_el2(arch::esr(arch::EC::BRK64, 0), s_.pc);
}

// ---- Self-hosted debug -------------------------------------------------------

// With MDSCR_EL1.MDE clear no breakpoint or watchpoint is armed, so the
// enables and the checks depend on MDSCR_EL1.{SS, KDE}, the OS Lock,
// HCR_EL2.TGE and MDCR_EL2.TDE alone; while those are as at the last call
// (every entry from EL2 makes one), nothing is recomputed.
void Cpu::debug_config_changed() {
    end_block_ = true;  // the next instruction takes the new path
    constexpr uint64_t kMdscrBits = debug::mdscr::kSS | debug::mdscr::kKDE | debug::mdscr::kMDE;
    static_assert(hcr::kTGE < (1ull << 32) && mdcr::kTDE < (1ull << 32));
    const uint64_t in = (s_.el1.mdscr & kMdscrBits) | (uint64_t(s_.el1.oslk) << 16) |
                        ((s_.el2.hcr & hcr::kTGE) << 32) | ((s_.el2.mdcr & mdcr::kTDE) << 32);
    if (in != debug_inputs_) [[unlikely]]
        recompute_debug_config(in);
}

// Apart from debug_config_changed, so that its common case (every entry
// from EL2) stays a comparison.
[[gnu::noinline]] void Cpu::recompute_debug_config(uint64_t in) {
    debug_inputs_ = (in & debug::mdscr::kMDE) ? ~0ull : in;
    debug_enables_ = debug::enables(s_);
    const bool insn = debug::insn_checks_armed(s_);
    const bool data = debug::data_checks_armed(s_);
    attention_ &= ~uint32_t(kDebugInsn | kDebugData);
    if (insn) attention_ |= kDebugInsn;
    if (data) attention_ |= kDebugData;
    tlb_.fast().set_enabled(!data);
}

void Cpu::ss_advance() {
    if (s_.el1.mdscr & debug::mdscr::kSS) s_.pstate.ss = false;
}

bool Cpu::watchpoint_slow(uint64_t va, unsigned size, const AccessDesc& a) {
    const std::optional<uint64_t> far = debug::watchpoint_hit(s_, va, size, a);
    if (!far) return true;
    Fault f;
    f.kind = FaultKind::Watchpoint;
    f.va = *far;
    f.access = a;
    return raise_fault(f);
}

// AArch64.SoftwareStepException in Active-pending state (CheckSoftwareStep):
// ISS.ISV = 1 when the instruction was stepped in this run() and retired
// without an exception (SoftwareStep_DidNotStep() = FALSE), with ISS.EX =
// SoftwareStep_SteppedEX(); else ISV = 0.
void Cpu::take_step_exception() {
    uint32_t iss = arch::fsc::kDebug;
    if (std::exchange(step_stepped_, false))
        iss |= arch::sstep::kISV | (step_ex_ ? arch::sstep::kEX : 0);
    take_debug(arch::EC::SoftStepLow, iss, s_.pc, 0, false);
}

// One instruction while software step or a breakpoint is armed, checked in
// the order of the synchronous exception priorities (D1.3.5): an
// Active-pending software step first (CheckSoftwareStep runs before the
// fetch), then pending interrupts, PC alignment, the fetch's aborts, a
// breakpoint on the instruction, the Illegal Execution state, and the
// instruction's own exceptions. An instruction executed in
// Active-not-pending state that retires without taking an exception
// advances the state machine (ShouldAdvanceSS, SSAdvance), so the step
// exception is taken before the next one: here at once when nothing else
// is pending and the budget `end` is not reached, exactly what the next
// turn of execute()'s loop would do.
void Cpu::execute_debug(uint64_t end) {
    const bool stepping = debug::step_active(debug_enables_, s_.pstate);
    if (stepping && !s_.pstate.ss) {
        take_step_exception();
        return;
    }
    step_stepped_ = false;
    if (((s_.el2.hcr & (hcr::kVI | hcr::kVF | hcr::kVSE)) | ich_lines_) &&
        take_pending_virtual_interrupt())
        return;
    if (s_.pc & 3) {
        take_sync(arch::esr(arch::EC::PCAlign, 0), s_.pc, s_.pc, true);
        return;
    }
    // The debugger's breakpoint comes before the fetch, as in the block path.
    if (sw_bps_armed_ && sw_breakpoint_in(s_.pc, 1)) {
        take_sw_breakpoint();
        return;
    }
    const Block* b = fetch_block();
    if (fault_pending_) {
        take_fault();
        return;
    }
    // breakpoint_hit's first test, inline: a debugger that only steps leaves MDE clear.
    if ((s_.el1.mdscr & debug::mdscr::kMDE) && debug::breakpoint_hit(s_, s_.pc)) {
        take_debug(arch::EC::BreakpointLow, arch::fsc::kDebug, s_.pc, 0, false);
        return;
    }
    if (s_.pstate.il) {
        take_sync(arch::esr(arch::EC::IllegalState, 0), s_.pc);
        return;
    }
    step_stepped_ = stepping;
    step_ex_ = debug::is_load_exclusive(b->insns[0].raw);
    const uint64_t before = retired_;
    run_insn(b->insns[0]);
    if (!step_stepped_ || retired_ == before) return;
    ss_advance();
    if (!(attention_ & ~uint32_t(kDebugInsn | kDebugData)) && retired_ < end &&
        debug::step_active(debug_enables_, s_.pstate) && !s_.pstate.ss)
        take_step_exception();
}

}  // namespace cpu
