// The guest CPU as hardware: an AArch64 PE executing EL0/EL1 under an EL2
// that is not modelled as code. Every event the EL2 configuration routes to
// EL2 is taken as an exception to EL2 and ends run(); re-entry is the ERET at
// the start of the next run(). The CPU knows nothing of KVM, devices or gdb.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "arch/esr.h"
#include "cpu/debug_enables.h"
#include "cpu/features.h"
#include "cpu/insn.h"
#include "cpu/jit/return_stack.h"
#include "cpu/memory.h"
#include "cpu/mmu.h"
#include "cpu/state.h"

namespace cpu {

// Why run() returned. Every return is an exception to EL2 except NoProgress.
enum class Stop : uint8_t {
    Trap,        // synchronous exception to EL2: ESR_EL2/FAR_EL2/HPFAR_EL2 valid
    Irq,         // the instruction budget ran out: an IRQ to EL2 (ESR not valid)
    NoProgress,  // the guest kept re-entering one vector without retiring anything
};

struct Block;  // a run of pre-decoded instructions (block.h)

namespace jit {
class Tier;     // the code cache and the blocks compiled into it (jit/tier.h)
class Emitter;  // generates a block's code; reads the fields below it names
struct Exit;    // a compiled block's chain slot
}  // namespace jit

// Exception entry offsets from VBAR (D1.10.2, "Exception vectors").
enum class ExceptionType : uint8_t { Sync = 0, Irq = 1, Fiq = 2, SError = 3 };

// SCTLR_EL1.M: stage 1 translation enable (D24.2.158).
inline constexpr uint64_t kSctlrM = 1;

// 64 entries to one vector with no instruction retired between them.
inline constexpr unsigned kNoProgressLimit = 64;

struct ProgressInfo {
    uint64_t vector = 0;
    uint64_t esr = 0;
    uint64_t elr = 0;
};

// An exception entry to EL1 that run() stopped after (set_catch_el1_entries):
// the vector entered, ESR_EL1 as written (0 for IRQ/FIQ, which write none)
// and the preferred return address.
struct El1Entry {
    ExceptionType type = ExceptionType::Sync;
    uint64_t vector = 0;
    uint64_t esr = 0;
    uint64_t elr = 0;
};

// Process-wide: from now on, every block of generated code is named in
// /tmp/perf-PID.map (perf's map format for JIT code), so `perf report`
// attributes samples in it to guest blocks.
void set_jit_perf_map(bool on);
bool jit_perf_map();

class Cpu {
public:
    Cpu();
    ~Cpu();
    Cpu(const Cpu&) = delete;
    Cpu& operator=(const Cpu&) = delete;

    State& state() { return s_; }
    const State& state() const { return s_; }
    Stage2& stage2() { return stage2_; }
    Tlb& tlb() { return tlb_; }
    // Every PE of this PE's Inner Shareable domain, itself included (the
    // hypervisor sets it as it creates vcpus; they share one memory and
    // their stage-2 code lines, Stage2::share_code_lines). A TLBI ...IS, or
    // any TLBI while HCR_EL2.FB = 1, acts on all their TLBs (D8.16.3,
    // "Broadcast TLB maintenance"); a write to code any of them decoded
    // drops the decoded blocks of all, as coherent instruction fetch after
    // the writer's IC IVAU and the readers' ISB would show them the new
    // code. Empty: this PE alone.
    void set_shareable_domain(std::vector<Cpu*> pes) { domain_ = std::move(pes); }
    // Applies a TLB maintenance operation where it reaches: this PE's TLB,
    // or the whole domain's for a broadcast one. The block ends, so the next
    // fetch translates through the maintained TLB.
    template <typename F> void tlb_maintenance(bool inner_shareable, F&& op) {
        if ((inner_shareable || (s_.el2.hcr & hcr::kFB)) && !domain_.empty()) {
            for (Cpu* pe : domain_) op(pe->tlb_);
        } else {
            op(tlb_);
        }
        end_block_ = true;
    }

    // Enters the guest at state().pc/pstate through AArch64.ExceptionReturn
    // from EL2 and runs until an exception to EL2 or until max_insns retire.
    // On return state().pc/pstate hold the guest's return state (ELR_EL2 and
    // SPSR_EL2 as the exception wrote them).
    Stop run(uint64_t max_insns);

    uint64_t retired() const { return retired_; }
    // Exception entries to EL1 (any cause) since creation: with retired()
    // they name a point of the run, since every step moves one of them
    // (an interrupt taken or an aborted instruction retires nothing).
    uint64_t el1_entries() const { return el1_entries_; }

    // ---- The generic timer (timer.cpp, timer.h) ----
    // The hypervisor jumps virtual time (WFI with nothing pending): the count
    // is retired() * kCounterTicksPerInsn + count_skew(), so it only grows.
    uint64_t count_skew() const { return count_skew_; }
    void advance_count(uint64_t ticks) { count_skew_ += ticks; }
    // The timer's interrupt output: ENABLE && !IMASK && ISTATUS (D12.8.x).
    bool timer_line(Timer t) const;
    // The physical count at which the first enabled, unmasked timer's
    // condition is met (<= the current count if one already is), or
    // kNoTimerDeadline.
    uint64_t next_timer_deadline() const;
    // The guest wrote a timer register: the run stops after the instruction
    // (an IRQ to EL2, as the host timer the hypervisor armed would fire),
    // so the next entry's budget ends at the new deadline and the timer
    // interrupt is taken where its condition is met, not at the next exit
    // for another reason.
    void timer_written() { attention_ |= kTimerWritten; }

    // ---- The GICv3 virtual CPU interface (gic_cpuif.cpp) ----
    // Recomputes the virtual IRQ/FIQ that State::ich signals; called on every
    // entry (the hypervisor writes the state directly) and after each guest
    // ICV_* access that changes it.
    void update_ich_lines();
    // The maintenance interrupt: ICH_HCR_EL2.En && ICH_MISR_EL2 != 0. When
    // it rises while the guest runs, run() returns Stop::Irq after that
    // instruction, as the physical PPI routed to EL2 would interrupt it.
    bool maintenance_line() const;
    const ProgressInfo& no_progress_info() const { return progress_; }

    // Something other than a guest store wrote guest memory at this IPA range
    // (a loader, the VMM, a debugger): decoded blocks there are dropped.
    void invalidate_code(uint64_t ipa, uint64_t size);
    void invalidate_all_code();

    // The optional features this PE implements (features.h; default: all
    // it can). Decoding and stage 1 translation follow them. Meant to be set
    // before the first run(); a change drops every decoded block and the
    // TLB, so nothing decoded or walked under the old set survives.
    void set_features(const Features& f);
    const Features& features() const { return features_; }

    // ---- The translation tier (src/cpu/jit) ----
    // Whether run() executes blocks as generated x86-64 code; the
    // interpreter remains the reference and nothing a guest or a debugger
    // can observe differs. Default: on where jit_supported() (x86-64 hosts).
    static bool jit_supported();
    void set_jit(bool on);
    bool jit() const { return jit_; }
    // Guest instructions retired by generated code (a part of retired()).
    uint64_t retired_jit() const { return retired_jit_; }
    // The times execute() entered generated code; blocks chained to one
    // another run within one entry, so retired_jit() / jit_entries() is
    // the guest instructions run per entry.
    uint64_t jit_entries() const { return jit_entries_; }
    // The RETs generated code took straight to their caller's block by the
    // return stack (jit/return_stack.h), without the lookup.
    uint64_t jit_returns_predicted() const { return jit_returns_predicted_; }
    // The lookups generated code made without calling jit_lookup(): the
    // block found inline in the jump cache (Emitter::lookup_called).
    uint64_t jit_lookups_inline() const { return jit_lookups_inline_; }
    // A block is compiled on its runs-th whole execution (default 32: code a
    // boot runs a few times is not worth compiling); 1 compiles every block
    // at once (tests that run code once).
    void set_jit_threshold(uint32_t runs) { jit_threshold_ = runs ? runs : 1; }

    // ---- Used by instruction handlers ----
    uint64_t x(unsigned n) const { return s_.x[n]; }  // n = 31 reads XZR
    uint64_t w(unsigned n) const { return uint32_t(s_.x[n]); }
    void set_x(unsigned n, uint64_t v) { s_.x[n] = v; s_.x[31] = 0; }
    void set_w(unsigned n, uint64_t v) { set_x(n, uint32_t(v)); }
    uint64_t& sp() { return s_.sp_el[s_.pstate.sp ? 1 : 0]; }
    uint64_t x_or_sp(unsigned n) { return n == 31 ? sp() : s_.x[n]; }
    void set_x_or_sp(unsigned n, uint64_t v) {
        if (n == 31) sp() = v; else s_.x[n] = v;
    }

    // Data accesses at a virtual address (access.h). Each returns false
    // when the access faulted: the fault is raised (raise_fault) and the
    // handler returns Flow::Exception at once, having written no state
    // (so handlers write nothing before their last access can fault).
    template <typename T> [[nodiscard]] bool read(uint64_t va, const AccessDesc& a, T& v);
    template <typename T> [[nodiscard]] bool write(uint64_t va, T value, const AccessDesc& a);
    // A store pair's two elements at va and va + sizeof(T): both translate
    // (first element first, where faults are raised) before either is
    // written.
    template <typename T>
    [[nodiscard]] bool write_pair(uint64_t va, T v1, T v2, const AccessDesc& a);
    // Host bytes of [va, va+size) after translation, alignment and
    // permission checks (size <= 16): two pieces when an unaligned access
    // to Normal memory crosses a 4 KiB page, both translated before any
    // byte is touched.
    [[nodiscard]] bool translate_range(uint64_t va, unsigned size, const AccessDesc& a,
                                       HostRange& h);
    // The same for an access that cannot cross a page (an aligned one):
    // null when it faulted.
    [[nodiscard]] uint8_t* translate(uint64_t va, unsigned size, const AccessDesc& a) {
        HostRange h;
        return translate_range(va, size, a, h) ? h.p0 : nullptr;
    }
    // The IPA a data access at va reaches (stage 1 only; faults as the
    // access would). With stage 1 off, the VA.
    [[nodiscard]] bool ipa_of(uint64_t va, const AccessDesc& a, uint64_t& ipa);

    // Faults travel one way: raised deep in the MMU, the memory path or a
    // handler as a record, passed up as a status (false, null,
    // Flow::Exception), and taken in one place: take_fault(), which the
    // interpreter calls when a handler returns Flow::Exception with a fault
    // pending (a faulting fetch yields a block whose one handler does so).
    // raise_fault returns false for the caller to pass on.
    bool raise_fault(const Fault& f) {
        fault_ = f;
        fault_pending_ = true;
        return false;
    }
    bool fault_pending() const { return fault_pending_; }

    // Local exclusive monitor (B2.9.3 "Exclusive access instructions...").
    struct Monitor {
        bool open = true;  // Open Access state
        uint64_t ipa = 0;
        unsigned size = 0;
    };
    Monitor& monitor() { return monitor_; }

    // Exception entry. Synchronous exceptions routed by the EL2 configuration
    // go to EL2 (and end run()); the rest go to EL1 at VBAR_EL1.
    Flow take_sync(uint32_t esr, uint64_t preferred_return, uint64_t far = 0,
                   bool far_valid = false);
    Flow take_sync_to_el2(uint32_t esr, uint64_t preferred_return, uint64_t far = 0,
                          uint64_t hpfar = 0);
    Flow undefined();  // UNDEFINED at the current PC: EC 0x00

    // AArch64.CheckFPAdvSIMDEnabled: every SIMD&FP instruction (and MRS/MSR
    // of FPCR/FPSR) asks first; when disabled it returns fp_access_trap().
    bool fp_enabled() const;
    Flow fp_access_trap();

    // The hypervisor injects an exception into the guest's EL1 while the
    // guest is out (KVM's enter_exception64): the preferred return is the
    // guest's current PC.
    void inject_el1(ExceptionType type, uint32_t esr, uint64_t far = 0, bool far_valid = false) {
        enter_el1(type, esr, s_.pc, far, far_valid);
        attention_ &= ~uint32_t(kCaughtEl1);
        caught_.reset();
    }

    // Counts the current instruction as retired for an exception-generating
    // instruction (SVC, HVC) whose handler enters an exception.
    void retire_current() { ++retired_; }

    // Ends the current block after this instruction (a write changed context
    // that decoding or translation depends on).
    void end_block() { end_block_ = true; }
    // A write to a register that stage 1's results depend on (SCTLR_EL1,
    // TCR_EL1, TTBRn_EL1, MAIR_EL1): the block ends, and the fast TLB is
    // emptied if the translation context changed.
    void translation_regs_written() {
        end_block_ = true;
        sync_fast_tlb();
    }

    // ---- Self-hosted debug (debug.cpp, debug.h) ----
    // Recomputes which debug checks run: call after writing MDSCR_EL1,
    // OSLSR_EL1.OSLK or DBGBCR/DBGWCR (run() calls it on every entry, so the
    // hypervisor's direct State writes need no call).
    void debug_config_changed();
    // debug::enables(state()) as of the last debug_config_changed().
    const debug::Enables& debug_enables() const { return debug_enables_; }
    // SSAdvance: Active-not-pending becomes Active-pending (PSTATE.SS = 0)
    // when MDSCR_EL1.SS = 1. SVC and HVC call it before their exception.
    void ss_advance();
    // AArch64.CheckWatchpoint for an access about to be made: false with
    // the watchpoint raised as a fault. Translation already calls it;
    // instructions that write a block piecewise (DC ZVA) call it for the
    // whole block first.
    // DC ZVA's write once stage 1 and the watchpoints passed: n bytes at va
    // (at ipa, within one page) zeroed as one store, stage 2 checked and
    // decoded code there dropped as for any store.
    void zero_block(uint64_t va, uint64_t ipa, unsigned n, const AccessDesc& a);
    [[nodiscard]] bool check_watchpoint(uint64_t va, unsigned size, const AccessDesc& a) {
        if (attention_ & kDebugData) [[unlikely]] return watchpoint_slow(va, size, a);
        return true;
    }

    // While set, virtual IRQ and FIQ (HCR_EL2.VI/VF and the GIC virtual CPU
    // interface) are not taken; virtual SError still is. The hypervisor's
    // "mask" interrupt policy while stepping (KVM_GUESTDBG_BLOCKIRQ).
    void set_block_interrupts(bool on) { block_interrupts_ = on; }
    bool block_interrupts() const { return block_interrupts_; }

    // The hypervisor's software breakpoints (a debugger's, by virtual
    // address): while armed, an instruction at one of them is not executed;
    // the CPU takes an exception to EL2 before it, with the syndrome a BRK #0
    // trapped by MDCR_EL2.TDE gives (EC 0x3C, ISS 0) and ELR_EL2 = its
    // address. Guest memory is never written, so the guest and any reader of
    // its memory see its own code (QEMU TCG checks breakpoints the same way,
    // as it translates). Checked once per block, so a breakpoint costs
    // nothing until execution reaches its block.
    void set_sw_breakpoints(std::vector<uint64_t> vas);
    void set_sw_breakpoints_armed(bool on) {
        sw_bps_on_ = on;
        sw_bps_armed_ = on && !sw_bps_.empty();
    }

    // While set, the ERET from EL2 at run() entry keeps the local exclusive
    // monitor instead of clearing it (ClearExclusiveLocal in
    // AArch64.ExceptionReturn): the hypervisor's documented departure while
    // a debugger steps, so LL/SC loops stepped through the API complete.
    void set_preserve_monitor_on_entry(bool on) { preserve_monitor_ = on; }

    // While set, run() returns right after every exception entry to EL1
    // that the guest takes (not those inject_el1 makes) before the vector's
    // first instruction, as a physical IRQ to EL2 at that boundary would:
    // Stop::Irq, ELR_EL2 = the vector, and caught_el1_entry() says which
    // (gdb's `catch exception`).
    void set_catch_el1_entries(bool on) { catch_el1_ = on; }
    // The entry the last run() stopped after, once; nullopt otherwise.
    std::optional<El1Entry> caught_el1_entry() { return std::exchange(caught_, std::nullopt); }

private:
    friend class jit::Emitter;
    struct BlockCache;
    // kDebugInsn: software step or a breakpoint is armed, instructions run
    // one at a time through execute_debug(); kDebugData: a watchpoint is
    // armed, data accesses take translate_range and are checked.
    enum Attention : uint32_t {
        kExitedToEl2 = 1, kNoProgress = 2, kFlushBlocks = 4, kDebugInsn = 8, kDebugData = 16,
        kCaughtEl1 = 32,  // stop after an exception entry to EL1 (set_catch_el1_entries)
        kMaintenance = 64,  // the maintenance interrupt rose: a physical IRQ to EL2
        kDropCode = 128,    // drop the blocks in written_code_pages_
        kTimerWritten = 256,  // a timer changed: an IRQ to EL2 so the hypervisor sees its deadline
    };
    bool attend(Stop& stop);
    void flush_blocks();
    void drop_written_code();
    Block* fetch_block();
    Block* fetch_block_miss();  // fetch_block's translation or cache miss
    // The decoded block at ipa, through the front cache (which it fills);
    // null when there is none.
    Block* cached_block(uint64_t ipa);
    // For generated code leaving a block (QEMU's helper_lookup_tb_ptr): the
    // body of the next block's code when execute() would do nothing else
    // than fetch it from the block cache and run its code whole; null to
    // return to execute(). Changes nothing but the front cache.
    const void* jit_lookup();
    Block* translate_block(uint64_t ipa, const Stage2Region* r);
    void run_block(const Block& b, size_t n);
    void end_flow(Flow fl);
    void run_insn(const Insn& in);
    void recompute_debug_config(uint64_t inputs);  // debug_config_changed's work
    // Runs the whole of b as generated code (compiled on its
    // jit_threshold_-th execution), chained blocks included; false when b
    // stays interpreted.
    bool run_compiled(Block& b);
    void exception_return_from_el2();
    void enter_el1(ExceptionType type, uint32_t esr, uint64_t preferred_return, uint64_t far,
                   bool far_valid);
    Stop execute(uint64_t max_insns);
    void execute_debug(uint64_t end);
    void take_step_exception();
    bool watchpoint_slow(uint64_t va, unsigned size, const AccessDesc& a);
    bool translate_pieces(uint64_t va, unsigned size, const AccessDesc& a, HostRange& h);
    // Takes the pending fault (fault_) as its exception: the one place.
    Flow take_fault();
    // A debug exception (breakpoint, step, watchpoint) to the debug target
    // EL: EC lower_ec from EL0 or to EL2, lower_ec + 1 from EL1 to EL1.
    Flow take_debug(arch::EC lower_ec, uint32_t iss, uint64_t preferred_return, uint64_t far,
                    bool far_valid);
    bool take_pending_virtual_interrupt();
    uint8_t* fast_host(uint64_t va, unsigned size, bool write, bool unpriv);
    S1Request s1_request(uint64_t va, const AccessDesc& a, bool aligned) const;
    uint8_t* data_piece(uint64_t va, unsigned n, const AccessDesc& a, bool aligned);
    uint8_t* host_piece(uint64_t va, uint64_t ipa, unsigned n, const AccessDesc& a);
    // Empties the fast TLB when what a stage-1 result depends on beyond
    // its TLB entry changed since the last call.
    void sync_fast_tlb();
    // A write to [ipa, ipa+size) in r: where it hits decoded code, every
    // PE of the domain drops its blocks in that page at its next block
    // boundary, the page's code lines are forgotten, and the current block
    // ends so the write is seen.
    void code_written(const Stage2Region* r, uint64_t ipa, uint64_t size);
    void note_written_code_page(uint64_t page);
    // Each PE of the domain (this one alone without a domain).
    template <typename F> void for_each_pe(F&& f) {
        if (domain_.empty()) f(*this);
        for (Cpu* pe : domain_) f(*pe);
    }
    // The first software breakpoint among the n instructions from va.
    std::optional<uint64_t> sw_breakpoint_in(uint64_t va, size_t n) const;
    // va's bit in sw_bp_pages_: its page number modulo 4096.
    static uint64_t sw_bp_page_bit(uint64_t va) { return (va >> 12) & 4095; }
    bool on_sw_bp_page(uint64_t va) const {
        const uint64_t bit = sw_bp_page_bit(va);
        return (sw_bp_pages_[bit / 64] >> (bit % 64)) & 1;
    }
    Flow take_sw_breakpoint();

    State s_;
    Stage2 stage2_;
    Tlb tlb_;
    std::vector<Cpu*> domain_;
    // The translation context the fast TLB was filled under (sync_fast_tlb).
    struct FastTlbContext {
        uint64_t sctlr = 0, tcr = 0, mair = 0, tge = 0, stage2_generation = ~0ull;
        uint16_t asid = 0;
        bool operator==(const FastTlbContext&) const = default;
    };
    FastTlbContext fast_ctx_;
    Monitor monitor_;
    std::unique_ptr<BlockCache> blocks_;
    uint64_t retired_ = 0;
    uint64_t el1_entries_ = 0;
    uint64_t retired_jit_ = 0;
    uint64_t jit_entries_ = 0;
    uint64_t jit_returns_predicted_ = 0;
    uint64_t jit_lookups_inline_ = 0;
    bool jit_ = jit_supported();
    uint32_t jit_threshold_ = 32;
    bool host_fp_default_ = false;  // fp::sample_host_fp_environment() at run(): for generated code
    std::unique_ptr<jit::Tier> tier_;  // created on the first compile
    uint64_t jit_end_ = 0;             // execute()'s budget end: chained blocks must fit
    jit::Exit* jit_link_ = nullptr;    // the unlinked chain slot generated code last left by
    // Set when generated code is entered and at every handler call, cleared
    // when the chain checks (or jit_lookup) pass: only C++ code changes
    // what they test, so a chained exit with it clear needs no checks.
    bool jit_recheck_ = true;
    jit::ReturnStack jit_returns_;  // BL/BLR push, RET pops: emptied with the code
    uint64_t count_skew_ = 0;  // virtual time added by advance_count()
    uint64_t ich_lines_ = 0;   // hcr::kVI/kVF as the virtual CPU interface signals them
    uint64_t retired_at_entry_ = ~0ull;  // retired_ at the last exception entry
    uint32_t attention_ = 0;
    // The pages of written code whose blocks go at the next block boundary
    // (kDropCode); past kMaxWrittenCodePages every block goes (kFlushBlocks).
    static constexpr size_t kMaxWrittenCodePages = 64;
    std::vector<uint64_t> written_code_pages_;
    // debug_config_changed()'s inputs (MDSCR_EL1.{SS, KDE, MDE}, the OS
    // Lock, TGE, TDE) at its last call, when MDE was clear; ~0 otherwise.
    uint64_t debug_inputs_ = ~0ull;
    debug::Enables debug_enables_;
    bool end_block_ = false;
    bool block_interrupts_ = false;
    bool catch_el1_ = false;
    bool preserve_monitor_ = false;
    bool sw_bps_on_ = false;     // set_sw_breakpoints_armed
    bool sw_bps_armed_ = false;  // on, and there are some
    // A bit per VA page number modulo 4096 that holds a software
    // breakpoint: while they are armed, generated code chains into a
    // block only off those pages (Emitter::chain, jit_lookup).
    std::array<uint64_t, 64> sw_bp_pages_{};
    std::vector<uint64_t> sw_bps_;  // sorted, unique
    std::optional<El1Entry> caught_;
    Features features_;
    // The instruction now executing was stepped in Active-not-pending state;
    // exception entry clears it. Left set after it retires, it makes the
    // step exception's ISS.ISV = 1 (SoftwareStep_DidNotStep() = FALSE), with
    // ISS.EX = step_ex_ (SoftwareStep_SteppedEX()).
    bool step_stepped_ = false;
    bool step_ex_ = false;
    unsigned same_vector_entries_ = 0;
    ProgressInfo progress_;
    Fault fault_;  // the raised fault, taken by take_fault (kept last: the hot fields' offsets)
    bool fault_pending_ = false;
    bool maintenance_level_ = false;  // maintenance_line() as last sampled
};

}  // namespace cpu
