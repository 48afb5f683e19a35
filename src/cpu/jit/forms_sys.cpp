// Inline forms of MRS (src/cpu/isa/system.cpp) for the system registers a
// Linux kernel reads most: booting Debian's kernel reads SP_EL0 (`current`)
// 1.49 M times and TPIDR_EL1 (the per-CPU offset) 0.45 M times, about half
// of its 3.3 M system register accesses. Inline only where sysregs.cpp's
// rules allow the read with nothing else to do: at EL1, and for SP_EL0
// with PSTATE.SP = 1 (else UNDEFINED: SysRegEl1::SpSel1); neither read has
// an EL2 trap. Every other case, and every other register, is the
// handler's.
#if defined(__x86_64__)
#include <algorithm>
#include <iterator>

#include "arch/sysreg.h"
#include "cpu/jit/emitter.h"
#include "cpu/jit/forms.h"
#include "cpu/jit/forms_sys.h"

namespace cpu::jit {

namespace {

using namespace Xbyak::util;
namespace sr = arch::sysreg;

const uint64_t& sp_el0(const State& s) { return s.sp_el[0]; }
const uint64_t& tpidr_el1(const State& s) { return s.el1.tpidr_el1; }

constexpr InlineRead kReads[] = {
    {sr::SP_EL0.id, sp_el0, true},
    {sr::TPIDR_EL1.id, tpidr_el1, false},
};

void mrs(Emitter& e, const Insn& in) {
    const InlineRead* r = std::find_if(std::begin(kReads), std::end(kReads),
                                       [&](const InlineRead& k) { return k.id.packed == in.imm; });
    if (r == std::end(kReads)) {
        e.call_handler();
        return;
    }
    const State& s = e.guest();
    const Xbyak::Label& other = e.detour();
    e.cmp(e.byte[e.in_cpu(&s.pstate.el)], 1);
    e.jne(other, Emitter::T_NEAR);
    if (r->needs_sp1) {
        e.cmp(e.byte[e.in_cpu(&s.pstate.sp)], 0);
        e.je(other, Emitter::T_NEAR);
    }
    e.mov(rax, e.qword[e.in_cpu(&r->field(s))]);
    e.store(in.rd, rax, true);
    e.rejoin();
}

const std::vector<SampledForm> kForms = {
    {{mrs}, {0xD5384100}},  // MRS X0, SP_EL0
};

}  // namespace

std::span<const InlineRead> inline_reads() { return kReads; }

std::span<const SampledForm> sys_forms() { return kForms; }

}  // namespace cpu::jit
#endif
