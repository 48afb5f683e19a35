// --lockstep: the translation tier against the interpreter. Each case runs
// on two Cpus, generated code (every block compiled on its first run) and
// the interpreter, in runs of random length (1 to past two blocks, so runs
// end inside blocks, at their ends and across chains), comparing after
// every run everything either can change: registers, NZCV, SP, PC,
// PSTATE, retired(), the exception registers, the data memory. Blocks are
// compiled on their second run: the case runs three times (its code
// kept), first mostly interpreted, then compiling as it goes (chain slots
// left unlinked while successors are not compiled yet), then compiled and
// chained.
#pragma once

#include <cstdint>
#include <functional>

#include "tests/difftest/gen.h"

namespace difftest {

struct LockstepResult {
    bool diverged = false;
    uint64_t compared = 0, cases = 0;
    uint64_t in_jit = 0;  // of `compared`, retired by generated code
};

// Cases make_case(0), make_case(1) ... until count instructions are
// compared; only case `only` when it is >= 0.
LockstepResult run_lockstep(uint64_t seed, uint64_t count, int64_t only,
                            const std::function<Case(uint64_t)>& make_case);

}  // namespace difftest
