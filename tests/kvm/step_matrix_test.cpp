// The step matrix (DESIGN.md, "The single-step contract"; ctest name
// `step_matrix`): guests/step_matrix.S is single-stepped through the API
// under each step strategy and interrupt policy. After every DEBUG exit the
// host records the trace (PC, X0-X30, SP, PSTATE without SS, ESR.{EC, ISV,
// EX}, touched device state) and checks the row the step belongs to,
// KVM-selftest style ("got X (expected Y)"). One EC 0x32 exit per
// architectural step: each retires exactly one instruction, or none when the
// step ends on an exception vector (ARM ARM DDI 0487 L.a, D2.12.4, the
// step ends after the exception entry, before the vector's first
// instruction). Failures are collected, not asserted, so that the test can
// also prove that `legacy` (the 2017 bug) breaks the matrix.
#include <array>
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "arch/sysreg.h"
#include "cpu/sysregs.h"
#include "cpu/timer.h"
#include "hyp/kvm_host.h"
#include "vmm/virtio/mmio.h"
#include "vmm/virtio/rng.h"
#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

// guests/step_matrix.S's label table, in order.
enum Label {
    kVectors, kRowTid3, kRowUartRead, kRowTime, kRowLdxr, kRowBrk, kRowDaifclr, kRowWfi,
    kRowSvc, kRowUdf, kRowIccFast, kRowIccDecline, kRowSmc, kRowHvc, kRowGicd, kRowFp, kRowFpDp, kRowFpLd, kRowVirtio, kVqUsed, kVqBuf, kData, kLabels
};
constexpr uint64_t kSyncVector = 0x200, kIrqVector = 0x280;  // current EL, SP_ELx
constexpr uint64_t kUartFr = 0x09000018;
constexpr uint8_t kUartFrAnswer = 0x90;
constexpr uint32_t kSgi = 1, kSpurious = 1023;
// virtio-rng on the board's last transport, SPI 47 (INTID 79).
constexpr uint64_t kVirtioBase = 0x0A003E00, kVirtioSize = 0x200;
constexpr uint32_t kVirtioIntid = 79;
constexpr uint8_t kEntropy = 0xA5;  // the test's entropy source: every byte
constexpr size_t kMaxExits = 4000;  // the guest needs about 100 steps
constexpr uint64_t kFpsrImplemented = 0x0800009F;  // QC, IDC, IXC, UFC, OFC, DZC, IOC

enum class Policy { Mask, Enter };

// One DEBUG exit.
struct Step {
    uint64_t pc = 0;
    std::array<uint64_t, 31> x{};
    uint64_t sp = 0, pstate = 0;
    unsigned ec = 0;
    bool isv = false, ex = false;
    std::string uart;    // PL011 output so far
    uint64_t llsc = 0;   // the LL/SC counter in guest RAM
    uint64_t retired = 0;  // instructions retired since the previous DEBUG exit (not traced)
    bool operator==(const Step& o) const {
        return pc == o.pc && x == o.x && sp == o.sp && pstate == o.pstate && ec == o.ec &&
               isv == o.isv && ex == o.ex && uart == o.uart && llsc == o.llsc;
    }
};

struct Outcome {
    std::vector<Step> trace;
    std::vector<std::string> failures;
    bool finished = false;
    unsigned step_exits = 0, architectural_steps = 0;
};

std::string describe(const Step& s) {
    return fmt::format("pc {:#x} ec {:#x} isv {} ex {}", s.pc, s.ec, s.isv, s.ex);
}

class Matrix {
public:
    Matrix(StepStrategy strategy, Policy policy, bool hold_vcpu,
           hyp::FpTrapFault fp_fault = hyp::FpTrapFault::None)
        : f_("step_matrix"), policy_(policy), hold_(hold_vcpu),
          hv_(*f_.vm->hyp().vcpus()[0]) {
        f_.vm->hyp().fp_trap_fault = fp_fault;
        EXPECT_TRUE(f_.vm->create_vgic({}));
        EXPECT_TRUE(f_.vm->enable_cap({Cap::StepStrategy, 0, {uint64_t(strategy)}}));
        EXPECT_TRUE(f_.vm->enable_cap({Cap::GicTrapClasses, 0, {gic_trap::kAll}}));
        GuestDebugSettings dbg;
        dbg.control = guestdbg::kEnable | guestdbg::kSingleStep |
                      (policy == Policy::Mask ? guestdbg::kBlockIrq : 0);
        EXPECT_TRUE(f_.vcpu->set_guest_debug(dbg));
        for (unsigned i = 0; i < kLabels; ++i)
            std::memcpy(&label_[i], f_.ram.data() + (kGuestLoad - kRamBase) + 8 + 8 * i, 8);
        auto rng = std::make_unique<vmm::virtio::Rng>(
            [](std::span<uint8_t> out) { std::fill(out.begin(), out.end(), kEntropy); });
        virtio_ = std::make_unique<vmm::virtio::MmioTransport>(
            dma_, std::move(rng), kVirtioBase,
            [vm = f_.vm.get()](bool level) { EXPECT_TRUE(vm->irq_line(kVirtioIntid, level)); },
            [this](std::string_view line) { fail("virtio: {}", line); });
        f_.vm->set_exit_trace([this](const hyp::ExitEvent& ev) { on_exit(ev); });
    }

    Outcome run() {
        for (size_t i = 0; i < kMaxExits && !out_.finished; ++i) {
            fp_traps_ = 0;
            RunState& r = f_.run();
            check_fp_owner();
            switch (r.exit_reason) {
            case ExitReason::Debug: on_debug(r); break;
            case ExitReason::Mmio: on_mmio(r); break;
            case ExitReason::Intr: on_window(r); break;
            case ExitReason::SystemEvent: out_.finished = true; break;
            default: fail("exit {} (expected DEBUG, MMIO, INTR or SYSTEM_EVENT)", exit_reason_name(r.exit_reason));
                     return out_;
            }
        }
        if (!out_.finished) fail("the guest did not finish in {} exits", kMaxExits);
        else check_rows();
        if (out_.step_exits != out_.architectural_steps)
            fail("got {} EC 0x32 exits (expected {}, one per architectural step)", out_.step_exits,
                 out_.architectural_steps);
        return std::move(out_);
    }

private:
    template <typename... A> void fail(fmt::format_string<A...> f, A&&... a) {
        out_.failures.push_back(fmt::format(f, std::forward<A>(a)...));
    }
    uint64_t at(Label l) const { return label_[l]; }
    uint64_t llsc() const {
        uint64_t v;
        std::memcpy(&v, f_.ram.data() + (at(kData) + 8 - kRamBase), 8);
        return v;
    }
    bool at_vector(uint64_t pc) const {
        return pc == at(kVectors) + kSyncVector || pc == at(kVectors) + kIrqVector;
    }

    // Between two run() calls the host owns the FP/SIMD registers: the CPU
    // holds the host's, and the guest's are in the vcpu (hyp/fpsimd.h).
    void check_fp_owner() {
        if (hv_.fpsimd.owner != hyp::FpOwner::Host || hv_.cpu().state().v != host_fp_.v ||
            hv_.cpu().state().fpsr != host_fp_.fpsr)
            fail("after run() at pc {:#x}: the CPU does not hold the host's FP/SIMD registers", hv_.pc());
    }

    // The exit trace: an immediate_exit right after the TID3 MRS was
    // emulated (skip_instr), the start of the Active-pending window. At most
    // one FP/SIMD trap per run().
    void on_exit(const hyp::ExitEvent& ev) {
        exits_.push_back(ev);
        if (ev.ec == uint8_t(arch::EC::FpAccess) && ++fp_traps_ > 1)
            fail("FP trap: a second one in the same run() at pc {:#x}", ev.pc);
        if (ev.pc == at(kRowTid3) && ev.ec == uint8_t(arch::EC::SysReg)) {
            f_.vcpu->run_state().immediate_exit = 1;
            window_pc_ = ev.pc + 4;
        }
    }

    // The PL011 answers; the UARTFR read is completed by a run() that
    // exits at once (immediate_exit), inside the Active-pending window.
    void on_mmio(RunState& r) {
        if (r.mmio.phys_addr - kVirtioBase < kVirtioSize) return on_virtio(r);
        if (r.mmio.is_write) {
            uart_ += char(r.mmio.data[0]);
            return;
        }
        std::memset(r.mmio.data, 0, sizeof r.mmio.data);
        r.mmio.data[0] = kUartFrAnswer;
        if (r.mmio.phys_addr == kUartFr) {
            r.immediate_exit = 1;
            window_pc_ = at(kRowUartRead) + 4;
        }
    }

    // The transport answers, as the VMM's bus would; QueueNotify completes
    // the request before the exit returns.
    void on_virtio(RunState& r) {
        const auto dir = r.mmio.is_write ? vmm::Direction::Write : vmm::Direction::Read;
        if (!r.mmio.is_write) std::memset(r.mmio.data, 0, sizeof r.mmio.data);
        const uint64_t off = r.mmio.phys_addr - kVirtioBase;
        virtio_->access(dir, off, std::span(r.mmio.data, r.mmio.len));
        if (off == vmm::virtio::MmioTransport::QueueNotify) notified_used_idx_ = used_idx();
    }
    uint16_t used_idx() const {
        uint16_t v;
        std::memcpy(&v, f_.ram.data() + (at(kVqUsed) + 2 - kRamBase), 2);
        return v;
    }

    // INTR inside the window: the instruction completed (PC + 4), and the
    // next run() must report the step there without running anything.
    void on_window(RunState& r) {
        r.immediate_exit = 0;
        if (!window_pc_) return fail("INTR at pc {:#x} outside an Active-pending window", hv_.pc());
        if (hv_.pc() != window_pc_)
            fail("INTR: got pc {:#x} (expected {:#x})", hv_.pc(), window_pc_);
        window_retired_ = hv_.cpu().retired();
        hold_pc_ = hv_.pc();
        window_pc_ = 0;
        in_window_ = true;
    }

    void on_debug(RunState& r) {
        Step s;
        s.pc = f_.reg(reg::kPc);
        for (unsigned n = 0; n < 31; ++n) s.x[n] = f_.reg(reg::x(n));
        s.sp = f_.reg(reg::kSpEl1);
        s.pstate = f_.reg(reg::kPstate) & ~(1ull << 21);
        const uint64_t hsr = uint64_t(r.debug.hsr_high) << 32 | r.debug.hsr;
        s.ec = unsigned(arch::esr_ec(hsr));
        s.isv = hsr & arch::sstep::kISV;
        s.ex = s.isv && (hsr & arch::sstep::kEX);
        s.uart = uart_;
        s.llsc = llsc();
        s.retired = hv_.cpu().retired() - last_retired_;
        last_retired_ = hv_.cpu().retired();
        if (in_window_ && hv_.cpu().retired() != window_retired_)
            fail("after the INTR window: {} instructions ran (expected 0)", hv_.cpu().retired() - window_retired_);
        if (in_window_ && (s.pc != hold_pc_ || s.ec != 0x32 || s.isv))
            fail("after the INTR window: got {} (expected pc {:#x} ec 0x32 isv 0)", describe(s), hold_pc_);
        in_window_ = false;
        count_step(s);
        out_.trace.push_back(s);
        if (s.ec == unsigned(arch::EC::BRK64)) reinject(r, s);
        if (hold_ && s.pc == at(kRowTime) + 4) hold();
    }

    // An EC 0x32 exit is one architectural step: one instruction retired,
    // or none when the step ended on a vector. Anything else is a double
    // step or a step that ran nothing.
    void count_step(const Step& s) {
        if (s.ec != unsigned(arch::EC::SoftStepLow)) {
            if (s.retired) fail("{}: a debug exit advanced {} instructions (expected 0)", describe(s), s.retired);
            return;
        }
        ++out_.step_exits;
        out_.architectural_steps += s.retired + (s.retired == 0 && at_vector(s.pc));
        if (s.retired > 1) fail("{}: one step retired {} instructions (expected 1): a double step", describe(s), s.retired);
        if (s.retired == 0 && !at_vector(s.pc)) fail("{}: a step ran nothing off a vector: a zero step", describe(s));
    }

    // The guest's own BRK: re-injected into its EL1; the next step exit is
    // at its vector.
    void reinject(RunState& r, const Step& s) {
        if (s.pc != at(kRowBrk)) fail("BRK exit at pc {:#x} (expected {:#x})", s.pc, at(kRowBrk));
        auto ok = f_.vcpu->inject_debug_exception(r.debug);
        if (!ok) return fail("inject_debug_exception: {}", ok.error().message);
        const uint64_t esr = f_.reg(reg::sysreg(arch::sysreg::ESR_EL1.id.packed));
        if (arch::esr_ec(esr) != arch::EC::BRK64 || (esr & 0xFFFF) != 7)
            fail("ESR_EL1 after re-injection: got {:#x} (expected EC 0x3C, comment 7)", esr);
        if (f_.reg(reg::kElrEl1) != at(kRowBrk))
            fail("ELR_EL1 after re-injection: got {:#x} (expected {:#x})", f_.reg(reg::kElrEl1), at(kRowBrk));
    }

    // The vcpu held by userspace: the VM's virtual time must not move.
    void hold() {
        const uint64_t t = f_.vm->hyp().now();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (f_.vm->hyp().now() != t) fail("virtual time moved from {} to {} while held", t, f_.vm->hyp().now());
    }

    // The step that ran the instruction at pc: the entry after the one at pc.
    const Step* after(uint64_t pc, unsigned nth = 0) const {
        for (size_t i = 0; i + 1 < out_.trace.size(); ++i)
            if (out_.trace[i].pc == pc && out_.trace[i].ec == 0x32 && nth-- == 0) return &out_.trace[i + 1];
        return nullptr;
    }
    void expect_after(Label l, uint64_t want_pc, const char* row, unsigned nth = 0) {
        const Step* s = after(at(l), nth);
        if (!s) return fail("{}: no step ran the instruction at {:#x}", row, at(l));
        if (s->pc != want_pc) fail("{}: got pc {:#x} (expected {:#x})", row, s->pc, want_pc);
        if (s->ec != 0x32) fail("{}: got EC {:#x} (expected 0x32)", row, s->ec);
    }
    // V<n> through one_reg, as {bits [63:0], bits [127:64]}.
    std::array<uint64_t, 2> vreg(unsigned n) const {
        std::array<uint64_t, 2> q{};
        EXPECT_TRUE(f_.vcpu->get_one_reg(reg::v(n), std::span(reinterpret_cast<uint8_t*>(q.data()), sizeof q)));
        return q;
    }
    const hyp::ExitEvent* exit_at(Label l, arch::EC ec = arch::EC::SysReg) const {
        for (const auto& e : exits_)
            if (e.pc == at(l) && e.ec == uint8_t(ec)) return &e;
        return nullptr;
    }

    void check_rows();
    void check_fp_row(const Step& end);
    void check_instruction_rows(const Step& end);
    void check_device_rows(const Step& end);
    void check_virtio_row(const Step& end);
    void check_async_rows(const Step& end);

    VmFixture f_;
    vmm::virtio::Dma dma_{kRamBase, f_.ram, [this](uint64_t gpa, uint64_t size) {
                              f_.vm->memory_written(gpa, size);
                          }};
    std::unique_ptr<vmm::virtio::MmioTransport> virtio_;
    int notified_used_idx_ = -1;
    Policy policy_;
    bool hold_;
    hyp::KvmVcpu& hv_;
    std::array<uint64_t, kLabels> label_{};
    std::vector<hyp::ExitEvent> exits_;
    Outcome out_;
    uint64_t last_retired_ = 0, window_pc_ = 0, window_retired_ = 0, hold_pc_ = 0;
    std::string uart_;
    bool in_window_ = false;
    unsigned fp_traps_ = 0;
    const hyp::FpsimdState host_fp_ = hyp::host_fpsimd_pattern();
};

void Matrix::check_rows() {
    const Step& end = out_.trace.back();
    check_instruction_rows(end);
    check_fp_row(end);
    check_device_rows(end);
    check_async_rows(end);
}

// The lazy FP/SIMD switch: the first SIMD&FP instruction of a run traps to
// EL2 (ESR 0x1FE00000) and the fast path re-enters at it, so the step over
// it is exactly that instruction, executed; the guest's registers are saved
// when run() returns. Three kinds: MSR/MRS FPSR, FMOV, a Q-register load.
void Matrix::check_fp_row(const Step& end) {
    struct Row {
        Label label;
        const char* what;
    };
    for (const Row r : {Row{kRowFp, "FP trap (MSR FPSR)"}, Row{kRowFpDp, "FP trap (FMOV)"},
                        Row{kRowFpLd, "FP trap (LDR Q)"}}) {
        expect_after(r.label, at(r.label) + 4, r.what);
        const hyp::ExitEvent* trap = exit_at(r.label, arch::EC::FpAccess);
        if (!trap || trap->handled_by != hyp::ExitHandledBy::FastPath)
            fail("{}: no EC 0x07 exit handled by the fast path at {:#x}", r.what, at(r.label));
        else if (arch::esr(arch::EC::FpAccess, trap->iss) != 0x1FE00000)
            fail("{}: got ISS {:#x} (expected CV = 1, COND = 0xE)", r.what, trap->iss);
    }
    if (end.x[4] != kFpsrImplemented)
        fail("FP trap: got x4 {:#x} (expected FPSR {:#x})", end.x[4], kFpsrImplemented);
    if (f_.reg(reg::kFpsr) != kFpsrImplemented)
        fail("FP trap: got FPSR {:#x} through one_reg (expected {:#x})", f_.reg(reg::kFpsr), kFpsrImplemented);
    const auto want_v0 = std::array<uint64_t, 2>{kFpsrImplemented, 0};
    const auto want_v1 = std::array<uint64_t, 2>{0x1122334455667788, 0};  // data, the LL/SC counter
    if (vreg(0) != want_v0) fail("FP trap (FMOV): got V0 {:#x}:{:#x}", vreg(0)[1], vreg(0)[0]);
    if (vreg(1) != want_v1) fail("FP trap (LDR Q): got V1 {:#x}:{:#x}", vreg(1)[1], vreg(1)[0]);
}

// Rows whose step ends in the CPU or in an exception handler.
void Matrix::check_instruction_rows(const Step& end) {
    const uint64_t vec = at(kVectors);
    // executed by the CPU
    if (end.x[1] != 6 || end.x[3] != 0x1122334455667788)
        fail("CPU row: got x1 {:#x} x3 {:#x} (expected 6, 0x1122334455667788)", end.x[1], end.x[3]);
    // trapped, emulated
    if (f_.reg(reg::sysreg(arch::sysreg::TCR_EL1.id.packed)) != 25) fail("TVM MSR: TCR_EL1 is not 25");
    expect_after(kRowTid3, at(kRowTid3) + 4, "TID3 MRS");
    const uint64_t pfr0 = f_.reg(reg::sysreg(arch::sysreg::ID_AA64PFR0_EL1.id.packed));
    if (end.x[5] != pfr0) fail("TID3 MRS: got x5 {:#x} (expected {:#x})", end.x[5], pfr0);
    expect_after(kRowSmc, at(kRowSmc) + 4, "TSC SMC");
    // exception-generating: HVC PSCI_VERSION answers as the SMC did
    expect_after(kRowHvc, at(kRowHvc) + 4, "HVC PSCI");
    if (end.x[7] != end.x[6] || int32_t(end.x[7]) < 0)
        fail("HVC PSCI_VERSION: got x7 {:#x} (expected SMC's {:#x}, a version)", end.x[7], end.x[6]);
    // the guest's own exceptions: the step ends on the vector, nothing run there
    expect_after(kRowSvc, vec + kSyncVector, "SVC");
    expect_after(kRowUdf, vec + kSyncVector, "UDF");
    for (Label l : {kRowSvc, kRowUdf})
        if (const Step* s = after(at(l)); s && s->isv) fail("vector step after {:#x}: ISV = 1 (expected 0)", at(l));
    // BRK: a DEBUG exit with EC 0x3C at the BRK, then the vector
    const Step* brk = nullptr;
    for (size_t i = 0; i + 1 < out_.trace.size(); ++i)
        if (out_.trace[i].ec == unsigned(arch::EC::BRK64)) brk = &out_.trace[i + 1];
    if (!brk) fail("BRK: no EC 0x3C exit");
    else if (brk->pc != vec + kSyncVector) fail("BRK re-injected: got pc {:#x} (expected {:#x})", brk->pc, vec + kSyncVector);
    // load-exclusive: ISS.EX = 1 on its step, the loop completes once
    const Step* ll = after(at(kRowLdxr));
    if (!ll || !ll->isv || !ll->ex) fail("LDXR step: got {} (expected ISV = 1, EX = 1)", ll ? describe(*ll) : "none");
    if (llsc() != 1) fail("LL/SC counter: got {} (expected 1)", llsc());
}

// Rows whose instruction a device model or the vGIC's fast path completes.
void Matrix::check_device_rows(const Step& end) {
    // in-kernel MMIO
    expect_after(kRowGicd, at(kRowGicd) + 4, "GICD write");
    if ((end.x[10] & 0x12) != 0x12) fail("GICD_CTLR read back: got {:#x} (expected 0x12 set)", end.x[10]);
    // userspace MMIO
    expect_after(kRowUartRead, at(kRowUartRead) + 4, "PL011 read");
    if (end.x[12] != kUartFrAnswer) fail("PL011 read: got x12 {:#x} (expected {:#x})", end.x[12], kUartFrAnswer);
    if (end.uart != "S") fail("PL011 write: got \"{}\" (expected \"S\")", end.uart);
    // the fast path, and what it declines
    expect_after(kRowIccFast, at(kRowIccFast) + 4, "ICC fast path");
    expect_after(kRowIccDecline, at(kRowIccDecline) + 4, "ICC declined");
    const hyp::ExitEvent* fast = exit_at(kRowIccFast);
    const hyp::ExitEvent* slow = exit_at(kRowIccDecline);
    if (!fast || fast->handled_by != hyp::ExitHandledBy::FastPath) fail("ICC_PMR_EL1 write: not handled by the fast path");
    if (!slow || slow->handled_by != hyp::ExitHandledBy::HandleExit) fail("ICC_SGI1R_EL1 write: not handled by handle_exit");
    if (end.x[18] != 0xF0) fail("ICC_PMR_EL1: got {:#x} (expected 0xf0)", end.x[18]);
    check_virtio_row(end);
}

// virtio-rng's QueueNotify: one step, the request done (16 bytes in the
// buffer, on the used ring) within that step's MMIO exit, and SPI 47
// pending from there: `mask` runs the next instruction, `enter` takes it.
void Matrix::check_virtio_row(const Step& end) {
    expect_after(kRowVirtio, at(kRowVirtio) + 4, "virtio QueueNotify");
    if (notified_used_idx_ != 1)
        fail("virtio QueueNotify: used.idx {} when the exit returned (expected 1)", notified_used_idx_);
    if (end.x[15] != 16) fail("virtio: used len {} (expected 16)", end.x[15]);
    for (size_t i = 0; i < 16; ++i)
        if (f_.ram[at(kVqBuf) + i - kRamBase] != kEntropy)
            return fail("virtio: buffer byte {} is not the device's", i);
    const Step* next = after(at(kRowVirtio) + 4);
    const uint64_t want = policy_ == Policy::Mask ? at(kRowVirtio) + 8 : at(kVectors) + kIrqVector;
    if (!next || next->pc != want)
        fail("virtio interrupt: got pc {:#x} (expected {:#x})", next ? next->pc : 0, want);
    const uint64_t iar = policy_ == Policy::Mask ? kVirtioIntid : kSpurious;
    if (end.x[13] != iar) fail("virtio: ICC_IAR1_EL1 got {} (expected {})", end.x[13], iar);
    if (end.x[14] != vmm::virtio::kInterruptUsedBuffer)
        fail("virtio: InterruptStatus {:#x} (expected used buffer)", end.x[14]);
}

// Rows about interrupts and time.
void Matrix::check_async_rows(const Step& end) {
    const uint64_t vec = at(kVectors);
    // interrupt pending: `mask` runs the next instruction, `enter` takes it
    // at the start of the next step
    expect_after(kRowDaifclr, at(kRowDaifclr) + 4, "DAIFClr");
    const Step* next = after(at(kRowDaifclr) + 4);
    const uint64_t want = policy_ == Policy::Mask ? at(kRowDaifclr) + 8 : vec + kIrqVector;
    if (!next || next->pc != want) fail("interrupt pending: got pc {:#x} (expected {:#x})", next ? next->pc : 0, want);
    const uint64_t iar = policy_ == Policy::Mask ? kSgi : kSpurious;
    if (end.x[20] != iar) fail("ICC_IAR1_EL1 after the window: got {} (expected {})", end.x[20], iar);
    // WFI: PC + 4 once the timer fires
    expect_after(kRowWfi, at(kRowWfi) + 4, "WFI");
    if (end.x[26] < end.x[24]) fail("WFI ended at count {} (expected >= the deadline {})", end.x[26], end.x[24]);
    // time between two steps: one instruction's worth, however long the host held the vcpu
    if (end.x[28] - end.x[27] != cpu::kCounterTicksPerInsn)
        fail("CNTVCT_EL0 moved {} between steps (expected {})", end.x[28] - end.x[27], cpu::kCounterTicksPerInsn);
}

struct Config {
    StepStrategy strategy;
    Policy policy;
};
std::string config_name(const testing::TestParamInfo<Config>& i) {
    return std::string(i.param.strategy == StepStrategy::StateMachine ? "StateMachine" : "Exit") +
           (i.param.policy == Policy::Mask ? "Mask" : "Enter");
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& f : v) s += "  " + f + "\n";
    return s;
}

class StepMatrix : public testing::TestWithParam<Config> {};

TEST_P(StepMatrix, EveryRowEndsAfterExactlyOneStep) {
    const Outcome o = Matrix(GetParam().strategy, GetParam().policy, true).run();
    EXPECT_TRUE(o.finished);
    EXPECT_TRUE(o.failures.empty()) << joined(o.failures);
    EXPECT_GT(o.step_exits, 80u);
}

INSTANTIATE_TEST_SUITE_P(Configs, StepMatrix,
                         testing::Values(Config{StepStrategy::StateMachine, Policy::Mask},
                                         Config{StepStrategy::StateMachine, Policy::Enter},
                                         Config{StepStrategy::Exit, Policy::Mask},
                                         Config{StepStrategy::Exit, Policy::Enter}),
                         config_name);

// Both designs of the 2017 thread produce the same trace, step for step;
// the vcpu is held between two steps in one run only.
TEST(StepMatrixStrategies, StateMachineAndExitGiveIdenticalTraces) {
    for (Policy p : {Policy::Mask, Policy::Enter}) {
        const Outcome a = Matrix(StepStrategy::StateMachine, p, true).run();
        const Outcome b = Matrix(StepStrategy::Exit, p, false).run();
        ASSERT_EQ(a.trace.size(), b.trace.size()) << "policy " << int(p);
        for (size_t i = 0; i < a.trace.size(); ++i)
            ASSERT_TRUE(a.trace[i] == b.trace[i])
                << "policy " << int(p) << " step " << i << ": state-machine " << describe(a.trace[i])
                << ", exit " << describe(b.trace[i]);
    }
}

// `legacy` reproduces the 2017 bug: the matrix must catch it (double steps
// after emulated instructions; the LL/SC loop never completes).
TEST(StepMatrixStrategies, LegacyFailsTheMatrix) {
    const Outcome o = Matrix(StepStrategy::Legacy, Policy::Mask, false).run();
    EXPECT_FALSE(o.failures.empty());
    bool double_step = false, llsc = false;
    for (const auto& f : o.failures) {
        double_step |= f.find("a double step") != std::string::npos;
        llsc |= f.find("did not finish") != std::string::npos;
    }
    EXPECT_TRUE(double_step) << joined(o.failures);
    EXPECT_TRUE(llsc) << joined(o.failures);
}

// A broken FP/SIMD trap handler (hyp::FpTrapFault, test-only) fails the FP
// row under both strategies: returning past the instruction steps two (the
// step lands after the next one), clearing PSTATE.SS steps none (and,
// trapping again on every run(), never gets past it).
TEST(StepMatrixStrategies, BrokenFpTrapHandlerFailsTheFpRow) {
    struct Case {
        hyp::FpTrapFault fault;
        const char* failure;
    };
    for (StepStrategy s : {StepStrategy::StateMachine, StepStrategy::Exit}) {
        for (const Case c : {Case{hyp::FpTrapFault::SkipInstruction, "FP trap (MSR FPSR): got pc"},
                             Case{hyp::FpTrapFault::ClearSS, "a zero step"}}) {
            const Outcome o = Matrix(s, Policy::Mask, false, c.fault).run();
            bool found = false;
            for (const auto& f : o.failures) found |= f.find(c.failure) != std::string::npos;
            EXPECT_TRUE(found) << "strategy " << int(s) << ", fault " << int(c.fault)
                               << ": no \"" << c.failure << "\" in\n" << joined(o.failures);
        }
    }
}

// The GICv2 row: a failed CPU-interface access ends its step at PC + 4 with
// a virtual SError pending (HCR_EL2.VSE); the step after PSTATE.A is
// cleared runs the MSR, and the next one ends on the SError vector with
// nothing run twice.
enum GicV2Label { kV2Vectors, kV2RowPmr, kV2RowBad, kV2RowUnmask, kV2Labels };
constexpr uint64_t kSErrorVector = 0x380;

// The GICv2 row's expectations for the step that ran the instruction at prev.
void check_gicv2_step(uint64_t prev, const Step& s, const std::array<uint64_t, kV2Labels>& at,
                      hyp::KvmVcpu& hv) {
    if (prev == at[kV2RowBad]) {
        EXPECT_EQ(s.pc, at[kV2RowBad] + 4) << "got pc " << std::hex << s.pc;
        EXPECT_TRUE(hv.cpu().state().el2.hcr & cpu::hcr::kVSE) << "virtual SError pending";
    } else if (prev == at[kV2RowBad] + 4) {
        EXPECT_EQ(s.pc, at[kV2RowUnmask]) << "PSTATE.A = 1: the SError waits";
    } else if (prev == at[kV2RowUnmask]) {
        EXPECT_EQ(s.pc, at[kV2RowUnmask] + 4) << "the MSR runs first";
    } else if (prev == at[kV2RowUnmask] + 4) {
        EXPECT_EQ(s.pc, at[kV2Vectors] + kSErrorVector) << "got pc " << std::hex << s.pc;
    }
}

std::vector<Step> step_gicv2(StepStrategy strategy, Policy policy) {
    VmFixture f("step_gicv2");
    Vm::VgicAddrs v2;
    v2.model = Vm::VgicModel::V2;
    EXPECT_TRUE(f.vm->create_vgic(v2));
    EXPECT_TRUE(f.vm->enable_cap({Cap::StepStrategy, 0, {uint64_t(strategy)}}));
    GuestDebugSettings dbg;
    dbg.control = guestdbg::kEnable | guestdbg::kSingleStep | (policy == Policy::Mask ? guestdbg::kBlockIrq : 0);
    EXPECT_TRUE(f.vcpu->set_guest_debug(dbg));
    std::array<uint64_t, kV2Labels> at{};
    std::memcpy(at.data(), f.ram.data() + (kGuestLoad - kRamBase) + 8, sizeof at);
    hyp::KvmVcpu& hv = *f.vm->hyp().vcpus()[0];
    std::vector<Step> trace;
    uint64_t last = 0;
    bool took_serror = false;
    for (size_t i = 0; i < 100; ++i) {
        RunState& r = f.run();
        if (r.exit_reason == ExitReason::SystemEvent) break;
        EXPECT_EQ(r.exit_reason, ExitReason::Debug);
        if (r.exit_reason != ExitReason::Debug) break;
        Step s;
        s.pc = hv.pc();
        for (unsigned n = 0; n < 31; ++n) s.x[n] = f.reg(reg::x(n));
        s.pstate = f.reg(reg::kPstate) & ~(1ull << 21);
        s.ec = unsigned(arch::esr_ec(r.debug.hsr));
        s.isv = r.debug.hsr & arch::sstep::kISV;
        s.retired = hv.cpu().retired() - last;
        last = hv.cpu().retired();
        EXPECT_EQ(s.ec, 0x32u) << describe(s);
        EXPECT_LE(s.retired, 1u) << describe(s) << ": a double step";
        if (s.retired == 0) {
            EXPECT_EQ(s.pc, at[kV2Vectors] + kSErrorVector) << describe(s) << " ran nothing off a vector";
        }
        if (!trace.empty() && !took_serror) check_gicv2_step(trace.back().pc, s, at, hv);
        took_serror |= s.pc == at[kV2Vectors] + kSErrorVector;
        trace.push_back(s);
    }
    EXPECT_EQ(f.reg(reg::x(3)), 0xF0u) << "GICC_PMR through the fast path";
    EXPECT_EQ(f.reg(reg::x(7)), 0x5Eu) << "the SError handler ran";
    EXPECT_EQ(f.reg(reg::x(6)), 2u);
    EXPECT_TRUE(took_serror);
    return trace;
}

TEST(StepMatrixGicV2, FailedCpuInterfaceAccessEndsAtPcPlus4WithSErrorPending) {
    for (Policy p : {Policy::Mask, Policy::Enter}) {
        const std::vector<Step> a = step_gicv2(StepStrategy::StateMachine, p);
        const std::vector<Step> b = step_gicv2(StepStrategy::Exit, p);
        ASSERT_EQ(a.size(), b.size());
        for (size_t i = 0; i < a.size(); ++i)
            EXPECT_TRUE(a[i] == b[i]) << "step " << i << ": " << describe(a[i]) << " vs " << describe(b[i]);
    }
}

}  // namespace
}  // namespace kvm::test
