// Comparing the two sides after a step, and printing a divergence so that an
// ISA author can act on it without rerunning anything.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tests/difftest/gen.h"
#include "tests/difftest/runner.h"

namespace difftest {

struct MemDiff {
    uint64_t addr = 0;
    uint8_t sv = 0, uc = 0;
};

// Differing bytes of the ranges (capped, a report needs only the first few).
std::vector<MemDiff> diff_memory(const uint8_t* sv_ram, const uint8_t* uc_ram,
                                 const std::vector<Range>& ranges);
bool same_state(const Snapshot& a, const Snapshot& b);

// "add x0, x1, x2" via capstone, or "(unknown)".
std::string disassemble(uint32_t word, uint64_t pc);

struct Where {
    uint64_t seed = 0, case_index = 0, step = 0, insn = 0;
    std::string options;  // other options the run needs to reproduce, e.g. " --group ldst"
};

void print_divergence(const Where& w, const Case& c, uint64_t pc, unsigned n,
                      const Snapshot& before, const Snapshot& sv, const Snapshot& uc,
                      const std::vector<MemDiff>& mem);
void print_program(const Case& c, uint64_t mark_pc);

}  // namespace difftest
