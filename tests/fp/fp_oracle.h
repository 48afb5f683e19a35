// Unicorn as the FP oracle: one A64 FP instruction run over a batch of
// cases inside a small guest loop (load FPCR and operands, clear FPSR and
// NZCV, run the instruction, store the result, FPSR and NZCV), so a batch
// costs one uc_emu_start. Unicorn 2.0.1, `max` CPU model (QEMU 5.0's FP,
// which is softfloat under the hood: docs/oracle-exceptions.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

struct uc_struct;

namespace fp_oracle {

// A case's inputs as the loop loads them: FPCR; D1 and X9 = a; D2 = b;
// D3 = c. The instruction reads S/D/H registers 1-3 (or W9/X9) and writes
// register 0 (or W10/X10, or NZCV).
struct Input {
    uint64_t fpcr, a, b, c;
};
// What the loop stores: D0, FPSR, NZCV (bits 31:28) and X10.
struct Output {
    uint64_t d0, fpsr, nzcv, x10;
};

class Oracle {
public:
    Oracle();
    ~Oracle();
    Oracle(const Oracle&) = delete;
    Oracle& operator=(const Oracle&) = delete;
    // Runs `word` once per input, in order.
    std::vector<Output> run(uint32_t word, const std::vector<Input>& in);
    static constexpr size_t kMaxBatch = 4096;

private:
    uint64_t loop_for(uint32_t word);
    uc_struct* uc_ = nullptr;
    std::map<uint32_t, uint64_t> loops_;  // instruction word -> address of its loop
    uint64_t next_loop_;
};

}  // namespace fp_oracle
