// The case generator: random register state, memory and a straight-line
// program whose branches only go forward, built so every memory access is
// aligned and inside the data buffer, and every branch lands in the code.
//
// The builder tracks, in program order, what it knows about each register's
// value. Because branches only go forward, the instructions that execute are
// a subsequence of program order, so a register no earlier instruction
// writes still holds its initial value, which the builder may choose.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tests/difftest/encoding.h"
#include "tests/difftest/layout.h"
#include "tests/difftest/mmu.h"

namespace difftest {

struct Range {
    uint64_t addr = 0;
    unsigned size = 0;
};

struct Case {
    std::array<uint64_t, 31> x{};
    uint64_t sp = 0;
    uint32_t nzcv = 0;  // PSTATE.{N,Z,C,V} in bits [31:28]
    std::array<std::array<uint64_t, 2>, 32> v{};  // V0..V31 as {bits [63:0], bits [127:64]}
    uint32_t fpcr = 0, fpsr = 0;
    bool el1t = false;  // PSTATE.SP = 0: the program's SP is SP_EL0 (else EL1h, SP_EL1)
    std::vector<uint32_t> code;     // what stepvisor runs: pads, then the program at kEntry
    std::vector<uint32_t> uc_code;  // what Unicorn runs (differs only by an oracle filter)
    std::vector<uint8_t> step_len;  // per slot: instructions run as one step from there
    std::vector<const Form*> form;  // per slot, for reports
    std::vector<Range> touched;     // every range a memory instruction may access
    std::vector<uint8_t> data;      // initial data buffer
    uint64_t undef_pc = 0;          // the last instruction must be UNDEFINED (0: none)
    uint64_t fault_pc = 0;          // the last instruction's access must fault (0: none)
    uint64_t fault_far = 0;         // at this address
    std::optional<MmuSetup> mmu;    // --mmu: stage 1 on, through these tables
    uint64_t end() const { return kCodeBase + 4 * code.size(); }
};

class Rng {
public:
    explicit Rng(uint64_t seed) : s_(seed) {}
    uint64_t next() {  // splitmix64
        uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    uint32_t below(uint64_t n) { return uint32_t(next() % n); }
    bool coin() { return next() & 1; }
    int64_t range(int64_t lo, int64_t hi) { return lo + int64_t(next() % uint64_t(hi - lo + 1)); }

private:
    uint64_t s_;
};

class Builder {
public:
    // Forms come grouped: a group is drawn uniformly, then a form in it.
    using Groups = std::vector<std::vector<const Form*>>;
    Builder(uint64_t seed, const Groups& groups);
    Case build();

    Rng& rng() { return rng_; }
    // Register numbers for operands: any of 0..31 (31 = XZR or SP by form).
    unsigned reg() { return rng_.below(32); }
    // A SIMD&FP register V0..V31 (their initial values are FP-biased lanes).
    unsigned vreg() { return rng_.below(32); }
    // Marks a GPR written (31 = XZR: nothing) / the SP written.
    void wr(unsigned r) { if (r < 31) st_[r] = St::Written; }
    void wr_sp() { st_[31] = St::Written; }
    // Rd where 31 means SP.
    void wr_rd_sp(unsigned r) { st_[r] = St::Written; }

    // Chooses a base register (31 = SP when sp_ok) so that an access of
    // `size` bytes aligned to `align` at base + pre lies in the data buffer.
    // Registers in `avoid` (bit mask) are not chosen. Returns -1 if none fits.
    int base(int64_t pre, unsigned size, unsigned align, bool sp_ok, uint32_t avoid = 0);
    // Like base() for a form that chooses its own offset: returns the base
    // register and sets `off` to a multiple of `scale` in [lo, hi]·scale.
    int base_with_offset(int64_t lo, int64_t hi, unsigned scale, unsigned size, unsigned align,
                         bool sp_ok, uint32_t avoid, int64_t& off);
    // A register that no earlier instruction wrote, pinned to `value`.
    int pin(uint64_t value, uint32_t avoid = 0);
    // The initial memory contents at a range the case has not touched yet
    // (so the value is still known at run time), or false.
    bool known_memory(uint64_t addr, unsigned size, uint64_t& value) const;
    void touch(uint64_t addr, unsigned size) {
        if (!fault_) touched_.push_back({addr, size});
    }
    // While set, addresses are chosen in the unmapped window instead of the
    // data buffer: the access must fault and ends the program.
    void set_fault_target(bool on) { fault_ = on; }
    uint64_t last_ea() const { return last_ea_; }
    // A random address in the data buffer for `size` bytes aligned to `align`.
    uint64_t random_ea(unsigned size, unsigned align);
    // Two consecutive free registers (an even first one) pinned to v0, v1.
    int pin_pair(uint64_t v0, uint64_t v1, uint32_t avoid = 0);
    // The address of the instruction being generated.
    uint64_t pc() const { return kEntry + 4 * (slots_.size() - 1); }

    // The branch in the current slot targets a later slot: the relative
    // field `imm_field`, or the register `reg` (which gets pinned).
    void branch_rel(char imm_field) { cur().branch_field = imm_field; }
    int branch_reg(uint32_t avoid = 0);
    // Starts another instruction of a multi-instruction step (an exclusive
    // sequence run without a break, since every run() clears the monitor).
    Fields& next_in_group(const Form* form);
    const Form* form(std::string_view name) const;
    // The current instruction must be UNDEFINED; it ends the program.
    void expect_undef() { undef_ = true; }
    // The current instruction's access (at last_ea()) must fault; it ends the program.
    void expect_fault() { undef_ = true, fault_pc_ = pc(), fault_far_ = last_ea_; }

private:
    enum class St : uint8_t { Free, Known, Pinned, Written };
    struct Slot {
        Fields f;
        char branch_field = 0;
        int branch_reg = -1;
        bool group_inner = false;
    };
    Slot& cur() { return slots_.back(); }
    bool gen_one();
    void resolve_branches(std::vector<Fields>& pads);
    bool ea_ok(uint64_t ea, unsigned size, unsigned align) const;

    Rng rng_;
    Rng fp_rng_;  // V registers and FPCR: a stream of their own, so adding
                  // them left every earlier seed's programs as they were
    const Groups& groups_;
    std::array<St, 32> st_{};  // 31 = SP
    std::array<uint64_t, 32> val_{};
    std::vector<Slot> slots_;
    std::vector<Range> touched_;
    std::vector<uint8_t> data_;
    uint64_t last_ea_ = 0;
    bool undef_ = false;
    bool fault_ = false;
    uint64_t fault_pc_ = 0, fault_far_ = 0;
};

// Interesting 64-bit values mixed into random register state.
uint64_t random_value(Rng& r);
// A floating-point operand of `esize` bits (16, 32 or 64), biased to the
// values where FP rules differ: zeros, infinities, quiet and signalling NaNs
// with payloads, denormals, the extreme normals, rounding ties and the
// integer-conversion limits.
uint64_t random_fp(Rng& r, unsigned esize);
// A random FPCR: RMode, FZ, DN and AHP (the bits an Armv8.0 PE without
// trapping keeps), all zero a quarter of the time.
uint32_t random_fpcr(Rng& r);

}  // namespace difftest
