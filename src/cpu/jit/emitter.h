// Generates one block's x86-64 code (docs/jit.md). Registers while a block
// runs: rbx = the Cpu, r12 = the PC and r13 = retired() at the block's entry
// (the PC of instruction i is r12 + 4i), r14 = the fast TLB's data table
// for the block's EL; r10, r11, r15 and rbp hold copies of X registers
// written recently (the slots); everything else is scratch, and the guest
// state lives in the Cpu.
// Before every handler call the PC and retired() are stored exact, as
// run_block has them; the handler's Flow is then acted on exactly as
// run_block does. A chained exit carries them to its successor in r12 and
// r13 alone: they are stored where the chain leaves generated code.
#pragma once
#if defined(__x86_64__)

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include <xbyak/xbyak.h>

#include "cpu/block.h"
#include "cpu/jit/tier.h"
#include "cpu/state.h"

namespace cpu::jit {

class Emitter : public Xbyak::CodeGenerator {
public:
    // Emits into buf (plain memory: the caller copies the code into the
    // cache at the address block() is told; the stubs reach nothing
    // outside themselves by rel32). stubs: where the cache's stubs are
    // (unused while emitting them).
    Emitter(Cpu& cpu, uint8_t* buf, size_t size, const Stubs& stubs);

    // b's code into the buffer (from its start: an Emitter is reused), its
    // chain slots in code.exits, for running at rx (where the caller will
    // copy it): it reaches the stubs by rel32.
    void block(const Block& b, Code& code, const uint8_t* rx);
    size_t body_offset() const { return body_; }
    size_t chained_offset() const { return chained_; }
    // The stubs into the buffer; their addresses in it.
    Stubs stubs();

    // ---- For the inline forms (forms_*.cpp) ----
    // The instruction being emitted: its index in the block and its PC.
    unsigned index() const { return index_; }
    const Insn& insn() const { return (*insns_)[index_]; }
    Xbyak::Address x(unsigned n);  // X[n] in the Cpu, n < 31
    Xbyak::Address flags();        // PSTATE.NZCV, packed as PState::flags
    Xbyak::Address v(unsigned n);  // V[n] (16 bytes), sized by the other operand
    // The guest's state, and where a field of it is: for the forms that
    // read PSTATE and system registers.
    const State& guest() const;
    Xbyak::RegExp in_cpu(const void* field) const;
    // Jumps to otherwise unless SIMD&FP is enabled the usual way (CPACR_EL1.FPEN
    // = 11, CPTR_EL2.TFP = 0), as simd::fp_guarded answers inline. Uses eax.
    void fp_enabled_or(const Xbyak::Label& otherwise);
    // Jumps to otherwise unless fp::host::first's environment holds: FPCR
    // rounds to nearest, FPSR.IXC is set (Inexact needs no finding), the
    // host's MXCSR is the default. Uses nothing.
    void fp_first_or(const Xbyak::Label& otherwise);
    // r = X[n] (W[n] zero-extended when !sf); 31 reads zero. Neither this
    // nor store() changes the host's flags.
    void load(const Xbyak::Reg64& r, unsigned n, bool sf);
    // X[n] = r (its low 32 bits zero-extended when !sf); 31 discards.
    // Through these two, X[n] comes from a slot when one holds it: a form
    // that writes X[n] in the Cpu itself must forget(n) it.
    void store(unsigned n, const Xbyak::Reg64& r, bool sf);
    // The slot X[n] (n < 31) is to be held in, for a form to write the
    // 64-bit value straight into: then store_claimed(n, it) writes it
    // through. Nothing may be loaded or stored in between.
    const Xbyak::Reg64& claim(unsigned n);
    void store_claimed(unsigned n, const Xbyak::Reg64& r);
    void forget(unsigned n);
    // The same for SP (SP_EL0 or SP_ELx by PSTATE.SP); use rcx.
    void load_sp(const Xbyak::Reg64& r, bool sf);
    void store_sp(const Xbyak::Reg64& r, bool sf);
    // NZCV from the host flags of the add (sub = false) or sub just done,
    // or N, Z of a logical result with C = V = 0 (after a test). Use rcx,
    // rdx, r8, r9; leave the host's flags as they are.
    void store_nzcv_arith(bool sub);
    void store_nzcv_logical();
    // Says the host's flags are the guest's NZCV for the next instruction
    // (sub: as a subtract leaves C, else as an add or a logical one): the
    // form emits nothing that changes them after this.
    void nzcv_in_host(bool sub);
    // Jumps to `to` unless ConditionHolds(cond); moves src to dst unless it
    // holds. From the host's flags when the previous instruction left NZCV
    // there, else from PSTATE.NZCV; use edx, r8d, so come first in a form.
    void jump_unless(unsigned cond, const Xbyak::Label& to);
    void move_unless(unsigned cond, const Xbyak::Reg& dst, const Xbyak::Reg& src);
    // Whether the PC of this instruction + offset is in the block's page.
    bool in_page(int64_t offset) const;
    // r = the PC of this instruction + offset.
    void pc_plus(const Xbyak::Reg64& r, int64_t offset);
    // The instruction's handler, called as run_block calls it; when it
    // returns Next the code that follows runs.
    void call_handler();
    // A label out of line where the instruction runs by its handler, then
    // (Next: a branch not taken) goes on at the block's fall-through: the
    // inline branches' rare cases jump there.
    const Xbyak::Label& slow_path();
    // A label out of line where the instruction runs by its handler and
    // then (Next) goes on where the form calls rejoin(), after its inline
    // code: the inline loads' and stores' way out on a fast-TLB miss.
    Xbyak::Label& detour();
    void rejoin();
    // host = the host address of an aligned access of size bytes at va
    // (pair: two, both in the page) that the fast TLB holds for this
    // privilege (unpriv: EL0's, as LDTR/STTR) and direction; anything else
    // jumps to miss. va and host are neither rax nor rcx, which it uses.
    void fast_host(const Xbyak::Reg64& host, const Xbyak::Reg64& va, unsigned size, bool write,
                   bool unpriv, bool pair, const Xbyak::Label& miss);
    // Leaves the block to target (in r, the PC of a taken branch: retires
    // this instruction). offset: the target's distance from this
    // instruction's PC when it is fixed (a direct branch: chained through
    // a slot when in the same page), else kIndirect (on through
    // Cpu::jit_lookup, as every other exit).
    static constexpr int64_t kIndirect = INT64_MIN;
    void taken(const Xbyak::Reg64& r, int64_t offset);
    // BL, BLR: pushes this instruction's return address on the return
    // stack (jit/return_stack.h), with the body of the block there if it
    // is compiled. Uses rcx, rdx, rsi, rdi; leaves rax.
    void push_return();
    // RET: taken(r, kIndirect), straight into the block at the return
    // address the return stack pops when it is r and still translates to
    // the IPA pushed, and nothing the lookup tests can have changed.
    void returned(const Xbyak::Reg64& r);
    // Jumps away when the target in r is not what AArch64.BranchAddr
    // leaves unchanged (TBI may apply): the handler decides then.
    void handler_unless_canonical(const Xbyak::Reg64& r);

private:
    // Which X register each slot holds (-1: none), and the slot the next
    // store takes when X[n] has none (round robin: the latest results).
    // Forgotten at every join a store could differ on: after a handler
    // call, at the fall-through; a cold path that rejoins reloads the
    // slots the inline code had there. Stores are the only change, and no
    // form stores on one side of a branch that joins.
    static constexpr unsigned kSlots = 4;
    struct Slots {
        int x[kSlots] = {-1, -1, -1, -1};
        unsigned next = 0;
    };
    static const Xbyak::Reg64& slot_reg(unsigned s);

    // Which instruction the host's flags hold NZCV for, and how C is held.
    enum class HostFlags { None, Sub, Add };
    struct HostNzcv {
        HostFlags kind = HostFlags::None;
        unsigned index = 0;
    };
    int host_condition(unsigned cond) const;
    void test_condition(unsigned cond);
    int slot_of(unsigned n) const;
    void forget();
    void reload(const Slots& held);

    void start();
    void data_table_for_el();
    static void take_fault(Cpu* cpu);
    static const void* lookup(Cpu* cpu);
    void lookup_next();
    void lookup_called();
    int32_t off(const void* field) const;
    void check_fetch_translation(const Xbyak::Label& fail);
    Xbyak::RegExp return_entry(const Xbyak::Reg64& index) const;
    void fetch_ipa(const Xbyak::Reg64& ipa, const Xbyak::Reg64& va, const Xbyak::Label& miss);
    void jump_entry(const Xbyak::Reg64& entry, const Xbyak::Reg64& ipa);
    void body_of(const Xbyak::Reg64& r);
    const void* in_buffer(const uint8_t* rx) const;
    void store_pc_retired(unsigned done_insns, bool pc_too);
    void flow();
    void chain();
    void go_on();
    void leave_chained(unsigned slot, int64_t pc_offset, unsigned done);
    void store_chain_state();
    void emit_unlinked();
    Xbyak::Label& add_cold(const uint8_t* resume);
    void emit_cold();

    Cpu& cpu_;
    const Stubs& stubs_;
    const std::vector<Insn>* insns_ = nullptr;
    unsigned index_ = 0;
    uint64_t ipa_ = 0;
    Code* code_ = nullptr;
    size_t body_ = 0, chained_ = 0;
    const uint8_t* rx_ = nullptr;
    Xbyak::Label fall_, unlinked_[2], checks_[2], linked_[2];  // a block's
    Xbyak::Label exit_, next_, flow_, ended_, chain_;          // the stubs'

    // Out-of-line handler calls, emitted after the body.
    struct Cold {
        unsigned index;        // the instruction's
        Xbyak::Label* entry;   // in labels_
        const uint8_t* resume; // where its inline code goes on, or null: the fall-through
        Slots slots;           // as the inline code has them at resume
    };
    std::vector<Cold> cold_;
    std::deque<Xbyak::Label> labels_;  // stable addresses
    Slots slots_;
    HostNzcv host_nzcv_;
};

}  // namespace cpu::jit

#endif
