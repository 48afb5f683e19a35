#if defined(__x86_64__)
#include "cpu/jit/emitter.h"

#include "cpu/cpu.h"
#include "cpu/isa/dp_common.h"
#include "arch/fpsimd.h"
#include "cpu/sysregs.h"
#include "cpu/jit/forms.h"

namespace cpu::jit {

using namespace Xbyak::util;
namespace util = Xbyak::util;

namespace {
constexpr uint64_t kPageMask = 0xFFF;
// Flow's values as the handlers return them in al.
constexpr uint8_t kBranch = uint8_t(Flow::Branch), kException = uint8_t(Flow::Exception);
static_assert(uint8_t(Flow::Next) == 0);
static_assert(sizeof(FastFetchEntry) == 16, "check_fetch_translation indexes by shifting 4");
static_assert(sizeof(FastTlbEntry) == 32, "fast_host indexes by shifting 5");
constexpr int kTableBytes = FastTlb::kEntries * sizeof(FastTlbEntry);
}  // namespace

Emitter::Emitter(Cpu& cpu, uint8_t* buf, size_t size, const Stubs& stubs)
    : CodeGenerator(size, buf), cpu_(cpu), stubs_(stubs) {}

int32_t Emitter::off(const void* field) const {
    return int32_t(static_cast<const char*>(field) - reinterpret_cast<const char*>(&cpu_));
}

Xbyak::Address Emitter::x(unsigned n) { return qword[rbx + off(&cpu_.s_.x[n])]; }
Xbyak::Address Emitter::flags() { return byte[rbx + off(&cpu_.s_.pstate.flags)]; }
Xbyak::Address Emitter::v(unsigned n) { return ptr[rbx + off(&cpu_.s_.v[n])]; }
const State& Emitter::guest() const { return cpu_.s_; }
Xbyak::RegExp Emitter::in_cpu(const void* field) const { return rbx + off(field); }

void Emitter::fp_enabled_or(const Xbyak::Label& otherwise) {
    static_assert(cpacr::kFPEN >> 32 == 0 && cptr::kTFP >> 32 == 0);
    mov(eax, dword[rbx + off(&cpu_.s_.el1.cpacr)]);
    and_(eax, uint32_t(cpacr::kFPEN));
    cmp(eax, uint32_t(cpacr::kFPEN));
    jne(otherwise, T_NEAR);
    test(dword[rbx + off(&cpu_.s_.el2.cptr)], uint32_t(cptr::kTFP));
    jnz(otherwise, T_NEAR);
}

void Emitter::fp_first_or(const Xbyak::Label& otherwise) {
    test(dword[rbx + off(&cpu_.s_.fpcr)], 3u << arch::fpcr::kRModeShift);
    jnz(otherwise, T_NEAR);
    test(dword[rbx + off(&cpu_.s_.fpsr)], arch::fpsr::kIXC);
    jz(otherwise, T_NEAR);
    cmp(byte[rbx + off(&cpu_.host_fp_default_)], 0);
    je(otherwise, T_NEAR);
}

// The registers that hold copies of X registers (none of them is scratch
// to a form; r10 and r11 do not survive a call).
const Xbyak::Reg64& Emitter::slot_reg(unsigned s) {
    static const Xbyak::Reg64* const kRegs[kSlots] = {&util::r10, &util::r11, &util::r15,
                                                       &util::rbp};
    return *kRegs[s];
}

int Emitter::slot_of(unsigned n) const {
    for (unsigned s = 0; s < kSlots; ++s)
        if (slots_.x[s] == int(n)) return int(s);
    return -1;
}

void Emitter::forget() { slots_ = {}; }

void Emitter::forget(unsigned n) {
    if (const int s = slot_of(n); s >= 0) slots_.x[s] = -1;
}

void Emitter::reload(const Slots& held) {
    for (unsigned s = 0; s < kSlots; ++s)
        if (held.x[s] >= 0) mov(slot_reg(s), x(unsigned(held.x[s])));
    slots_ = held;
}

void Emitter::load(const Xbyak::Reg64& r, unsigned n, bool sf) {
    const int s = n == 31 ? -1 : slot_of(n);
    if (n == 31)
        mov(r.cvt32(), 0);  // not xor: the host's flags may hold NZCV
    else if (s >= 0)
        sf ? mov(r, slot_reg(unsigned(s))) : mov(r.cvt32(), slot_reg(unsigned(s)).cvt32());
    else if (sf)
        mov(r, x(n));
    else
        mov(r.cvt32(), dword[rbx + off(&cpu_.s_.x[n])]);
}

// Written through: the Cpu's X[n] is current at every instruction, for the
// handlers and any exception; the slot spares the next instructions that
// read X[n] the wait for the store to forward.
void Emitter::store(unsigned n, const Xbyak::Reg64& r, bool sf) {
    if (n == 31) return;
    if (!sf) mov(r.cvt32(), r.cvt32());
    mov(x(n), r);
    mov(claim(n), r);
}

const Xbyak::Reg64& Emitter::claim(unsigned n) {
    int s = slot_of(n);
    if (s < 0) {
        s = int(slots_.next);
        slots_.next = (slots_.next + 1) % kSlots;
        slots_.x[s] = int(n);
    }
    return slot_reg(unsigned(s));
}

void Emitter::store_claimed(unsigned n, const Xbyak::Reg64& r) { mov(x(n), r); }

void Emitter::load_sp(const Xbyak::Reg64& r, bool sf) {
    movzx(ecx, byte[rbx + off(&cpu_.s_.pstate.sp)]);
    const Xbyak::RegExp at = rbx + rcx * 8 + off(&cpu_.s_.sp_el[0]);
    if (sf)
        mov(r, qword[at]);
    else
        mov(r.cvt32(), dword[at]);
}

void Emitter::store_sp(const Xbyak::Reg64& r, bool sf) {
    movzx(ecx, byte[rbx + off(&cpu_.s_.pstate.sp)]);
    if (!sf) mov(r.cvt32(), r.cvt32());
    mov(qword[rbx + rcx * 8 + off(&cpu_.s_.sp_el[0])], r);
}

// AddWithCarry's C is the host's carry for an add and its inverse (no
// borrow) for a subtract; N, Z, V are the host's SF, ZF, OF. Packed by
// lea (whose low byte depends only on the operands' low bytes, which
// setcc wrote), so the host's flags survive for the next instruction.
void Emitter::store_nzcv_arith(bool sub) {
    sets(cl);
    setz(dl);
    if (sub)
        setae(r8b);
    else
        setb(r8b);
    seto(r9b);
    lea(ecx, ptr[rdx + rcx * 2]);
    lea(ecx, ptr[r8 + rcx * 2]);
    lea(ecx, ptr[r9 + rcx * 2]);
    mov(flags(), cl);
}

void Emitter::store_nzcv_logical() {
    sets(cl);
    setz(dl);
    lea(ecx, ptr[rdx + rcx * 2]);
    lea(ecx, ptr[rcx * 4]);
    mov(flags(), cl);
}

void Emitter::nzcv_in_host(bool sub) {
    // A cold path rejoining here would come back with other flags.
    if (!cold_.empty() && cold_.back().resume == getCurr()) return;
    host_nzcv_ = {sub ? HostFlags::Sub : HostFlags::Add, index_ + 1};
}

// The x86 condition (0-15, as in Jcc's opcode) that is ConditionHolds(cond)
// for the host's flags as the previous instruction left them, or -1: none
// left, no single x86 condition (HI and LS after an add, where C is CF),
// or AL/NV.
int Emitter::host_condition(unsigned cond) const {
    if (host_nzcv_.index != index_ || host_nzcv_.kind == HostFlags::None) return -1;
    constexpr int E = 4, NE = 5, AE = 3, B = 2, S = 8, NS = 9, O = 0, NO = 1, A = 7, BE = 6;
    constexpr int GE = 13, L = 12, G = 15, LE = 14;
    // EQ NE HS LO MI PL VS VC HI LS GE LT GT LE AL NV, C = NOT borrow.
    static constexpr int kSub[16] = {E, NE, AE, B, S, NS, O, NO, A, BE, GE, L, G, LE, -1, -1};
    static constexpr int kAdd[16] = {E, NE, B, AE, S, NS, O, NO, -1, -1, GE, L, G, LE, -1, -1};
    return (host_nzcv_.kind == HostFlags::Sub ? kSub : kAdd)[cond & 15];
}

// ConditionHolds through the interpreter's own table: bit NZCV of
// kCondTable[cond]; carry set when it holds. Uses edx, r8d.
void Emitter::test_condition(unsigned cond) {
    movzx(edx, flags());
    mov(r8d, uint32_t(detail::kCondTable[cond & 15]));
    bt(r8d, edx);
}

void Emitter::jump_unless(unsigned cond, const Xbyak::Label& to) {
    using Jcc = void (Xbyak::CodeGenerator::*)(const Xbyak::Label&, LabelType);
    static constexpr Jcc kJcc[16] = {
        &Emitter::jo, &Emitter::jno, &Emitter::jb, &Emitter::jae, &Emitter::je, &Emitter::jne,
        &Emitter::jbe, &Emitter::ja, &Emitter::js, &Emitter::jns, &Emitter::jp, &Emitter::jnp,
        &Emitter::jl, &Emitter::jge, &Emitter::jle, &Emitter::jg};
    if (const int cc = host_condition(cond); cc >= 0) {
        (this->*kJcc[cc ^ 1])(to, T_NEAR);  // x86 conditions pair as cc, cc ^ 1 = not cc
        return;
    }
    test_condition(cond);
    jnc(to, T_NEAR);
}

void Emitter::move_unless(unsigned cond, const Xbyak::Reg& dst, const Xbyak::Reg& src) {
    using Cmov = void (Xbyak::CodeGenerator::*)(const Xbyak::Reg&, const Xbyak::Operand&);
    static constexpr Cmov kCmov[16] = {
        &Emitter::cmovo, &Emitter::cmovno, &Emitter::cmovb, &Emitter::cmovae,
        &Emitter::cmove, &Emitter::cmovne, &Emitter::cmovbe, &Emitter::cmova,
        &Emitter::cmovs, &Emitter::cmovns, &Emitter::cmovp, &Emitter::cmovnp,
        &Emitter::cmovl, &Emitter::cmovge, &Emitter::cmovle, &Emitter::cmovg};
    if (const int cc = host_condition(cond); cc >= 0) {
        (this->*kCmov[cc ^ 1])(dst, src);
        return;
    }
    test_condition(cond);
    cmovnc(dst, src);
}

bool Emitter::in_page(int64_t offset) const {
    const int64_t at = int64_t(ipa_ & kPageMask) + int64_t(index_) * 4 + offset;
    return at >= 0 && at <= int64_t(kPageMask);
}

void Emitter::pc_plus(const Xbyak::Reg64& r, int64_t offset) {
    const int64_t d = int64_t(index_) * 4 + offset;
    if (d >= INT32_MIN && d <= INT32_MAX) {
        lea(r, ptr[r12 + int32_t(d)]);
    } else {
        mov(r, uint64_t(d));
        add(r, r12);
    }
}

// retired() after `done` instructions of the block, and the PC of the
// instruction after them.
void Emitter::store_pc_retired(unsigned done, bool pc_too) {
    lea(rax, ptr[r13 + done]);
    mov(qword[rbx + off(&cpu_.retired_)], rax);
    if (!pc_too) return;
    lea(rax, ptr[r12 + done * 4]);
    mov(qword[rbx + off(&cpu_.s_.pc)], rax);
}

// Out-of-line: the instruction by its handler, then on at resume (null:
// the block's fall-through).
Xbyak::Label& Emitter::add_cold(const uint8_t* resume) {
    Xbyak::Label& l = labels_.emplace_back();
    cold_.push_back({index_, &l, resume, {}});
    return l;
}

void Emitter::emit_cold() {
    for (const Cold& c : cold_) {
        index_ = c.index;
        L(*c.entry);
        call_handler();
        if (c.resume) {
            reload(c.slots);  // as the inline code left them
            jmp(c.resume, T_NEAR);  // rel32 within the block: it moves with it
        } else {
            jmp(fall_, T_NEAR);
        }
    }
}

// As run_block: Next goes on (unless end_block_ was set: then the block
// ends after it); anything else goes to the flow stub. The handler may
// have written any register: the slots are forgotten.
void Emitter::call_handler() {
    store_pc_retired(index_, true);
    mov(byte[rbx + off(&cpu_.jit_recheck_)], 1);
    mov(rdi, rbx);
    mov(rsi, reinterpret_cast<uintptr_t>(&insn()));
    call(qword[rsi + offsetof(Insn, exec)]);
    forget();
    test(al, al);
    jnz(in_buffer(stubs_.flow));
    cmp(byte[rbx + off(&cpu_.end_block_)], 0);
    jne(in_buffer(stubs_.ended));
}

// What run_block does after a handler that did not return a plain Next,
// from the PC and retired() in the Cpu (stored before the call, changed
// only by exception entry or a branch): EndBlock and Branch retire, and
// the PC moves on past all but a branch; Next with end_block_ set is the
// same as EndBlock; Exception takes a pending fault. Then on to the next
// block through the lookup (next_).
void Emitter::flow() {
    Xbyak::Label exception;
    L(flow_);
    mov(byte[rbx + off(&cpu_.end_block_)], 0);
    cmp(al, kException);
    je(exception, T_NEAR);
    cmp(al, kBranch);
    jne(ended_, T_NEAR);
    add(qword[rbx + off(&cpu_.retired_)], 1);
    jmp(next_, T_NEAR);
    L(exception);
    cmp(byte[rbx + off(&cpu_.fault_pending_)], 0);
    je(next_, T_NEAR);
    mov(rdi, rbx);
    mov(rax, reinterpret_cast<uintptr_t>(&Emitter::take_fault));
    call(rax);
    jmp(next_, T_NEAR);
}

const Xbyak::Label& Emitter::slow_path() { return add_cold(nullptr); }

Xbyak::Label& Emitter::detour() { return add_cold(nullptr); }

void Emitter::rejoin() {
    cold_.back().resume = getCurr();
    cold_.back().slots = slots_;
}

// FastTlb::read / write inline: the entry at va's slot, in the table of
// the block's EL (r14) or EL0's, matches FastTlb::key(va, size); a pair's
// second element must match the same tag.
void Emitter::fast_host(const Xbyak::Reg64& host, const Xbyak::Reg64& va, unsigned size,
                        bool write, bool unpriv, bool pair, const Xbyak::Label& miss) {
    const uint32_t mask = uint32_t(FastTlb::kPageMask | (size - 1));  // sign-extends
    const Xbyak::RegExp entry =
        unpriv ? rbx + rax + off(cpu_.tlb_.fast().data_table(FastTlb::kEl0)) : r14 + rax;
    const int tag = write ? offsetof(FastTlbEntry, write_tag) : offsetof(FastTlbEntry, read_tag);
    static_assert(sizeof(FastTlbEntry) == 1 << 5);
    mov(eax, va.cvt32());  // the slot's bits are below bit 32
    shr(eax, 12 - 5);
    and_(eax, (FastTlb::kEntries - 1) << 5);
    mov(rcx, va);
    and_(rcx, mask);
    cmp(rcx, qword[entry + tag]);
    jne(miss, T_NEAR);
    if (pair) {
        lea(rcx, ptr[va + size]);
        and_(rcx, mask);
        cmp(rcx, qword[entry + tag]);
        jne(miss, T_NEAR);
    }
    mov(host, qword[entry + offsetof(FastTlbEntry, addend)]);
    add(host, va);
}

// sign_extend(target, 56) == target: BranchAddr returns it whatever TBI is.
void Emitter::handler_unless_canonical(const Xbyak::Reg64& r) {
    mov(rcx, r);
    shl(rcx, 8);
    sar(rcx, 8);
    cmp(rcx, r);
    jne(slow_path(), T_NEAR);
}

void Emitter::taken(const Xbyak::Reg64& r, int64_t offset) {
    if (offset != kIndirect) {
        leave_chained(0, int64_t(index_) * 4 + offset, index_ + 1);
        return;
    }
    mov(qword[rbx + off(&cpu_.s_.pc)], r);
    store_pc_retired(index_ + 1, false);
    go_on();
}

Xbyak::RegExp Emitter::return_entry(const Xbyak::Reg64& index) const {
    return rbx + index + off(cpu_.jit_returns_.entries.data());
}

// The entry above the top becomes the top. The body is the jump cache's
// for the return address's IPA (fixed: in this page, under the
// translation this block runs under) when it holds that IPA; otherwise
// (not compiled yet, or the return address in the next page) none, and
// the RET goes through the lookup.
void Emitter::push_return() {
    const int32_t top = off(&cpu_.jit_returns_.top);
    static_assert(ReturnStack::kEntries == 16 && sizeof(ReturnStack::Entry) == 32);
    movzx(ecx, byte[rbx + top]);
    inc(ecx);
    and_(ecx, ReturnStack::kEntries - 1);
    mov(byte[rbx + top], cl);
    shl(ecx, 5);
    pc_plus(rdx, 4);
    mov(qword[return_entry(rcx)], rdx);
    xor_(esi, esi);
    if (in_page(4)) {
        const uint64_t ipa = ipa_ + uint64_t(index_ + 1) * 4;
        mov(rdx, ipa);
        mov(rdi, reinterpret_cast<uintptr_t>(&cpu_.tier_->jump(ipa)));
        cmp(rdx, qword[rdi + offsetof(Jump, ipa)]);
        cmove(rsi, qword[rdi + offsetof(Jump, body_size)]);
        body_of(rsi);
        mov(qword[return_entry(rcx) + offsetof(ReturnStack::Entry, ipa)], rdx);
    }
    mov(qword[return_entry(rcx) + offsetof(ReturnStack::Entry, body)], rsi);
}

// ipa = the IPA of an instruction fetch at va as Cpu::jit_lookup finds it:
// va itself with stage 1 off, else through the fast TLB's fetch entry for
// the current EL, which must be present (a miss jumps to miss: the walk is
// fetch_block's). Uses rdx, r8, r9.
void Emitter::fetch_ipa(const Xbyak::Reg64& ipa, const Xbyak::Reg64& va,
                        const Xbyak::Label& miss) {
    Xbyak::Label done;
    mov(ipa, va);
    test(byte[rbx + off(&cpu_.s_.el1.sctlr)], uint8_t(kSctlrM));
    jz(done, T_NEAR);
    test(dword[rbx + off(&cpu_.s_.el2.hcr)], uint32_t(hcr::kTGE));
    jnz(done, T_NEAR);
    mov(r8, va);
    shr(r8, 12);
    and_(r8d, FastTlb::kEntries - 1);
    shl(r8d, 4);  // sizeof(FastFetchEntry)
    xor_(edx, edx);
    cmp(byte[rbx + off(&cpu_.s_.pstate.el)], 0);
    sete(dl);  // the EL0 table follows the EL1 one
    imul(edx, edx, FastTlb::kEntries * sizeof(FastFetchEntry));
    add(r8, rdx);
    mov(r9, va);
    and_(r9, -4096);  // FastTlb::kPageMask, as a sign-extended imm32
    const int32_t table = off(cpu_.tlb_.fast().fetch_table(0));
    cmp(r9, qword[rbx + r8 + table]);
    jne(miss, T_NEAR);
    add(ipa, qword[rbx + r8 + table + offsetof(FastFetchEntry, ipa_addend)]);
    L(done);
}

// The lookup's tests that only C++ code changes (attention_, the virtual
// interrupt lines, software breakpoints, PSTATE.IL) held at its last pass
// or chain check while jit_recheck_ is clear, else are the chain checks'
// (a handler in the callee's last block: 9% of the boot's RETs); the EL
// too (it changes only in handlers), so r14 stays; the budget is the
// body's own test. The entry's body is the block at its IPA until the
// code is dropped, which empties the stack. The top is popped whether it matches or not.
void Emitter::returned(const Xbyak::Reg64& r) {
    Xbyak::Label lookup;
    mov(qword[rbx + off(&cpu_.s_.pc)], r);
    mov(rdi, r);  // store_pc_retired uses rax
    store_pc_retired(index_ + 1, false);
    const int32_t top = off(&cpu_.jit_returns_.top);
    movzx(ecx, byte[rbx + top]);
    lea(edx, ptr[rcx - 1]);
    and_(edx, ReturnStack::kEntries - 1);
    mov(byte[rbx + top], dl);
    shl(ecx, 5);
    lea(rsi, ptr[return_entry(rcx)]);
    cmp(rdi, qword[rsi]);
    jne(lookup, T_NEAR);
    Xbyak::Label checked;
    cmp(byte[rbx + off(&cpu_.jit_recheck_)], 0);
    je(checked, T_NEAR);
    call(in_buffer(stubs_.chain));  // leaves rsi and rdi
    L(checked);
    fetch_ipa(rcx, rdi, lookup);
    cmp(rcx, qword[rsi + offsetof(ReturnStack::Entry, ipa)]);
    jne(lookup, T_NEAR);
    mov(rcx, qword[rsi + offsetof(ReturnStack::Entry, body)]);
    test(rcx, rcx);
    jz(lookup, T_NEAR);
    inc(qword[rbx + off(&cpu_.jit_returns_predicted_)]);
    jmp(rcx);
    L(lookup);
    go_on();
}

// The successor at pc_offset bytes from the block's first instruction,
// after `done` instructions, is chained through slot when it is in this
// page (so in this translation: a block ends at an instruction that can
// change it), else looked up as any other exit. A chain takes the PC and
// retired() on in r12 and r13, unstored: only the chain checks (not made
// while jit_recheck_ is clear), the unlinked path and the successor's
// budget exit store them, as they leave for C++ code.
void Emitter::leave_chained(unsigned slot, int64_t pc_offset, unsigned done) {
    const int64_t at = int64_t(ipa_ & kPageMask) + pc_offset;
    if (at < 0 || at > int64_t(kPageMask)) {
        store_pc_retired(done, false);
        lea(rax, ptr[r12 + int32_t(pc_offset)]);
        mov(qword[rbx + off(&cpu_.s_.pc)], rax);
        go_on();
        return;
    }
    Exit& e = code_->exits[slot];
    e.ipa = (ipa_ & ~kPageMask) + uint64_t(at);
    lea(r13, ptr[r13 + done]);
    lea(r12, ptr[r12 + int32_t(pc_offset)]);
    cmp(byte[rbx + off(&cpu_.jit_recheck_)], 0);
    jne(checks_[slot], T_NEAR);
    L(linked_[slot]);
    jmp(unlinked_[slot], T_NEAR);  // rel32: Tier::link points it at the successor
    e.jump = rx_ + (getSize() - 4);
}

void Emitter::store_chain_state() {
    mov(qword[rbx + off(&cpu_.retired_)], r13);
    mov(qword[rbx + off(&cpu_.s_.pc)], r12);
}

// Out of line for each chain slot: the checks, with the PC and retired()
// stored for them (and for the exit they may take); and where the exit
// goes until it is linked: execute() links it (Cpu::jit_link_) if the
// block run next is the successor.
void Emitter::emit_unlinked() {
    for (unsigned slot = 0; slot < 2; ++slot) {
        if (!code_->exits[slot].jump) continue;
        L(checks_[slot]);
        store_chain_state();
        call(in_buffer(stubs_.chain));
        jmp(linked_[slot], T_NEAR);
        L(unlinked_[slot]);
        store_chain_state();
        mov(rax, reinterpret_cast<uintptr_t>(&code_->exits[slot]));
        mov(qword[rbx + off(&cpu_.jit_link_)], rax);
        jmp(in_buffer(stubs_.exit));
    }
}

// The stub a chained exit calls: it returns when the block may go on into
// its successor, which the block then jumps to itself (a direct jump once
// linked): nothing that execute() tests between blocks would stop it:
// attention_, a virtual interrupt line, armed software breakpoints,
// PSTATE.IL, the fetch's translation. The budget is the successor's own
// test, at its body. Otherwise it drops its return address and leaves.
void Emitter::chain() {
    Xbyak::Label leave;
    L(chain_);
    cmp(dword[rbx + off(&cpu_.attention_)], 0);
    jne(leave, T_NEAR);
    mov(rdx, qword[rbx + off(&cpu_.s_.el2.hcr)]);
    and_(edx, uint32_t(hcr::kVI | hcr::kVF | hcr::kVSE));
    or_(rdx, qword[rbx + off(&cpu_.ich_lines_)]);
    jnz(leave, T_NEAR);
    cmp(byte[rbx + off(&cpu_.s_.pstate.il)], 0);
    jne(leave, T_NEAR);
    Xbyak::Label no_bps, checked;
    cmp(byte[rbx + off(&cpu_.sw_bps_armed_)], 0);
    je(no_bps, T_NEAR);
    // Armed breakpoints: on, unless the successor's page may hold one
    // (Cpu::on_sw_bp_page), and the checks stay on for the next chain.
    mov(rax, qword[rbx + off(&cpu_.s_.pc)]);
    shr(rax, 12);
    and_(eax, 4095);
    bt(qword[rbx + off(&cpu_.sw_bp_pages_)], rax);
    jc(leave, T_NEAR);
    check_fetch_translation(leave);
    jmp(checked, T_NEAR);
    L(no_bps);
    check_fetch_translation(leave);
    mov(byte[rbx + off(&cpu_.jit_recheck_)], 0);
    L(checked);
    ret();
    L(leave);
    pop(rcx);  // the block's return address
    jmp(exit_, T_NEAR);
}

// A block's exit through the lookup: the stub returns the body to go on
// into, or leaves.
void Emitter::go_on() {
    call(in_buffer(stubs_.lookup));
    jmp(rax);
}

// Where the stub at rx is as seen from the buffer: a rel32 to it from
// the buffer reaches it from where the block will run.
const void* Emitter::in_buffer(const uint8_t* rx) const {
    return reinterpret_cast<const void*>(reinterpret_cast<uintptr_t>(getCode()) +
                                         (reinterpret_cast<uintptr_t>(rx) -
                                          reinterpret_cast<uintptr_t>(rx_)));
}

// With stage 1 on, the successor's fetch is translated as fetch_block
// would: the fast TLB still holds the page's fetch entry. Only fetch_block
// fills it, so while blocks chain it can only be emptied (a walk that
// replaced the architectural entry, TLBI, a context change), and an entry
// present is the translation the chain started under; an emptied one sends
// the fetch back to fetch_block, which walks as the interpreter does.
// Every entry into generated code starts from a translated fetch, so while
// nothing was emptied (FastTlb::fetch_dropped clear) there is nothing to
// look up. Jumps to fail when the entry is gone; clobbers rax, rcx, rdx,
// r8, r9.
void Emitter::check_fetch_translation(const Xbyak::Label& fail) {
    Xbyak::Label done;
    const int32_t dropped = off(cpu_.tlb_.fast().fetch_dropped());
    cmp(byte[rbx + dropped], 0);
    je(done, T_NEAR);
    mov(rcx, qword[rbx + off(&cpu_.s_.pc)]);
    fetch_ipa(rax, rcx, fail);
    mov(byte[rbx + dropped], 0);
    L(done);
}

// Cpu::take_fault, the one place faults are taken, for generated code.
void Emitter::take_fault(Cpu* cpu) { cpu->take_fault(); }

const void* Emitter::lookup(Cpu* cpu) { return cpu->jit_lookup(); }

// Every exit but a chain slot's: with the PC and retired() stored as
// execute() expects them, on to the next block's body when Cpu::jit_lookup
// finds that execute() would run it next (as QEMU's lookup_and_goto_ptr),
// else back to execute(). next_ jumps on (the stubs' own way); the lookup
// is called by a block and returns the body in rax for the block to jump
// to (its own indirect jump, which the host predicts per block). The
// stack is as the entry left it.
void Emitter::lookup_next() {
    L(next_);
    mov(rdi, rbx);
    mov(rax, reinterpret_cast<uintptr_t>(&Emitter::lookup));
    call(rax);
    test(rax, rax);
    jz(exit_, T_NEAR);
    mov(rcx, rax);
    data_table_for_el();
    jmp(rcx);
}

// The stub a block calls: Cpu::jit_lookup's common case inline, when
// jit_recheck_ is clear (no handler since the last pass or chain check,
// so only its translation and jump cache tests can fail; the EL, so r14,
// is as it was: see returned()); the rest by calling it.
void Emitter::lookup_called() {
    Xbyak::Label leave, call_it;
    cmp(byte[rbx + off(&cpu_.jit_recheck_)], 0);
    jne(call_it, T_NEAR);
    mov(rdi, qword[rbx + off(&cpu_.s_.pc)]);
    test(edi, 3);  // a misaligned PC's fetch faults; never a block's IPA
    jnz(call_it, T_NEAR);
    fetch_ipa(rcx, rdi, call_it);
    jump_entry(rax, rcx);
    cmp(rcx, qword[rax + offsetof(Jump, ipa)]);
    jne(call_it, T_NEAR);
    inc(qword[rbx + off(&cpu_.jit_lookups_inline_)]);
    mov(rax, qword[rax + offsetof(Jump, body_size)]);
    body_of(rax);
    ret();
    L(call_it);
    sub(rsp, 8);  // aligned for the call as the block's body is
    mov(rdi, rbx);
    mov(rax, reinterpret_cast<uintptr_t>(&Emitter::lookup));
    call(rax);
    add(rsp, 8);
    test(rax, rax);
    jz(leave, T_NEAR);
    mov(rcx, rax);
    data_table_for_el();
    mov(rax, rcx);
    ret();
    L(leave);
    pop(rcx);  // the block's return address
    jmp(exit_, T_NEAR);
}

// entry = the address of the jump cache's entry for the IPA in ipa
// (Tier::jump_slot). Uses rdx.
void Emitter::jump_entry(const Xbyak::Reg64& entry, const Xbyak::Reg64& ipa) {
    static_assert(sizeof(Jump) == 16);
    mov(entry, ipa);
    shr(entry, 2);
    mov(rdx, ipa);
    shr(rdx, Tier::kSlotFold);
    xor_(entry, rdx);
    and_(entry.cvt32(), uint32_t(Tier::kJumps - 1));
    shl(entry.cvt32(), 4);
    mov(rdx, reinterpret_cast<uintptr_t>(cpu_.tier_->jumps()));
    add(entry, rdx);
}

// r = Jump::body() of the body_size word in r: the size above bit 48 off.
void Emitter::body_of(const Xbyak::Reg64& r) {
    shl(r, 16);
    shr(r, 16);
}

// r14 = the fast TLB's data table for the current EL. Set on entry and
// after the lookup; a chain slot keeps it: the EL changes only at
// exception entry and return, which leave through the lookup. Uses eax.
void Emitter::data_table_for_el() {
    xor_(eax, eax);
    cmp(byte[rbx + off(&cpu_.s_.pstate.el)], 0);
    sete(al);
    static_assert(kTableBytes == 1 << 14);
    shl(eax, 14);
    lea(r14, ptr[rbx + rax + off(cpu_.tlb_.fast().data_table(FastTlb::kEl1))]);
}

void Emitter::start() {
    reset();  // forgets every label first: then they can go
    labels_.clear();
    cold_.clear();
    forget();
    host_nzcv_ = {};
}

// entry: a function of the Cpu (System V: rdi) saving what it uses; body:
// where chained blocks come in, with the stack as entry left it (aligned
// for calls: six pushes and 8 bytes after the return address). rx: where
// the code will run (the stubs are reached by rel32 from there).
void Emitter::block(const Block& b, Code& code, const uint8_t* rx) {
    start();
    rx_ = rx;
    insns_ = &b.insns;
    ipa_ = b.ipa;
    code_ = &code;
    push(rbx);
    push(rbp);
    push(r12);
    push(r13);
    push(r14);
    push(r15);
    sub(rsp, 8);
    mov(rbx, rdi);
    mov(byte[rbx + off(&cpu_.end_block_)], 0);
    mov(byte[rbx + off(&cpu_.jit_recheck_)], 1);  // execute() may run a block the lookup would not
    data_table_for_el();
    body_ = getSize();
    mov(r13, qword[rbx + off(&cpu_.retired_)]);
    mov(r12, qword[rbx + off(&cpu_.s_.pc)]);
    chained_ = getSize();
    // The whole block within the budget, else back to execute(), which
    // runs the rest of it interpreted.
    const unsigned n = unsigned(b.insns.size());
    lea(rax, ptr[r13 + n]);
    cmp(rax, qword[rbx + off(&cpu_.jit_end_)]);
    ja(in_buffer(stubs_.exit_chained));
    for (index_ = 0; index_ < n; ++index_) {
        const Insn& in = insn();
        if (const Form* f = inline_form(in.exec))
            f->emit(*this, in);
        else
            call_handler();
    }
    // Every instruction returned Next: the PC after the block. A system
    // instruction ended it (not a branch not taken): it may have changed
    // the EL or the translation, which the lookup tests afresh.
    L(fall_);
    forget();  // reached from the slow paths too
    index_ = n - 1;
    const Insn& last = b.insns.back();
    const Form* f = inline_form(last.exec);
    if (!last.ends_block || (f && f->direct_branch)) {
        leave_chained(1, int64_t(n) * 4, n);
    } else {
        store_pc_retired(n, true);
        go_on();
    }
    emit_cold();
    emit_unlinked();
    code.size = n;
}

// Emitted with the block's registers as a block leaves them.
Stubs Emitter::stubs() {
    start();
    Stubs s;
    const auto here = [this] { return getCurr(); };
    s.exit_chained = here();
    store_chain_state();
    s.exit = here();
    L(exit_);
    add(rsp, 8);
    pop(r15);
    pop(r14);
    pop(r13);
    pop(r12);
    pop(rbp);
    pop(rbx);
    ret();
    lookup_next();
    s.flow = here();
    flow();
    s.ended = here();
    L(ended_);
    mov(byte[rbx + off(&cpu_.end_block_)], 0);
    add(qword[rbx + off(&cpu_.s_.pc)], 4);
    add(qword[rbx + off(&cpu_.retired_)], 1);
    jmp(next_, T_NEAR);
    s.lookup = here();
    lookup_called();
    s.chain = here();
    chain();
    return s;
}

}  // namespace cpu::jit
#endif
