// A block of the pre-decoded cache (cpu.cpp): straight-line instructions
// from one IPA within one 4 KiB page, run by the interpreter (run_block) or,
// compiled, by the translation tier (src/cpu/jit), which calls the same
// pre-decoded Insns: a block must outlive its code.
#pragma once

#include <cstdint>
#include <vector>

#include "cpu/insn.h"

namespace cpu {

namespace jit {
struct Code;
}  // namespace jit

struct Block {
    std::vector<Insn> insns;
    uint64_t ipa = 0;                 // of insns[0]
    uint32_t runs = 0;                // whole-block executions while not compiled
    const jit::Code* code = nullptr;  // its generated code, once compiled
};

}  // namespace cpu
