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

// The fields decoders fill, named for what handlers read. Registers: rd =
// Rd/Rt, rn = Rn, rm = Rm/Rs, ra = Ra/Rt2. imm is the decoded immediate
// (already expanded: bitmask, shifted, sign-extended, byte offset, packed
// system register id). The rest are small per-class operands; a class uses
// the ones its handlers name, the others stay zero. The whole is 32 bytes:
// blocks of the pre-decoded cache are arrays of it.
struct Insn {
    ExecFn exec = nullptr;
    uint32_t raw = 0;  // for syndromes, traces and the tier (RET vs BR); handlers read fields
    uint8_t rd = 0, rn = 0, rm = 0, ra = 0;
    uint8_t cond = 0;    // condition: B.cond, CCMP/CCMN, CSEL family
    uint8_t nzcv = 0;    // CCMP/CCMN: the flags when the condition fails
    uint8_t shift = 0;   // shift, rotate or extend amount; MOVK's pos; EXTR's lsb; TBZ's bit;
                         // fixed-point fbits; EXT's byte position
    uint8_t shift2 = 0;  // SBFM: the right shift after `shift`, or the insert position
    uint8_t pstate_field = 0;  // MSR (immediate): sys::PStateField
    bool ends_block : 1 = false;  // branches, exception-generating and system instructions
    bool sf : 1 = false;          // 64-bit operand (CBZ/CBNZ)
    bool negate : 1 = false;      // the inverted test: CBNZ, TBNZ
    bool ordered : 1 = false;     // acquire (loads) / release (stores): exclusives
    bool read : 1 = false;        // the read direction: MRS, SYSL
    uint64_t imm = 0;
};
static_assert(sizeof(Insn) == 32, "Insn is the pre-decoded block cache's element");

}  // namespace cpu
