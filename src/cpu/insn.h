// A pre-decoded instruction: the handler plus the fields its decoder extracted.
#pragma once

#include <cstdint>

namespace cpu {

class Cpu;
struct Insn;

// What the interpreter does after a handler returns.
enum class Flow : uint8_t {
    Next,       // retired; PC += 4, continue in the block
    Branch,     // retired; the handler set the PC; leave the block
    EndBlock,   // retired; PC += 4, then leave the block (context may have changed)
    Exception,  // not retired (or retired by the handler itself); PC set by exception entry
};

using ExecFn = Flow (*)(Cpu&, const Insn&);

// Field slots are named for the A64 operand positions the decoders fill:
// rd = Rd/Rt, rn = Rn, rm = Rm/Rs, ra = Ra/Rt2. `op` holds small
// per-class selectors (sf, opc, size, cond, shift type...), `imm` the decoded
// immediate (already expanded: bitmask, shifted, sign-extended, byte offset).
struct Insn {
    ExecFn exec = nullptr;
    uint32_t raw = 0;  // for syndromes and traces only; handlers read fields
    uint8_t rd = 0, rn = 0, rm = 0, ra = 0;
    uint8_t op[4] = {0, 0, 0, 0};
    bool ends_block = false;  // branches, exception-generating and system instructions
    uint64_t imm = 0;
};

}  // namespace cpu
