// The register layout gdb will use: the AArch64 core set (x0-x30, sp, pc,
// cpsr, numbered as gdb's aarch64-core.xml) plus the target's extras.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "gdb/result.h"
#include "gdb/target.h"

namespace gdb {

struct RegisterInfo {
    std::string name;
    unsigned regnum;
    unsigned bits;  // 64; 32 for cpsr, fpsr, fpcr; 128 for v0-v31
    bool core;      // in the 'g' packet
    unsigned bytes() const { return bits / 8; }
};

class RegisterMap {
public:
    // The core set, the fpu feature if `fpu`, then the extras. Fails if an
    // extra register collides with those or another extra, or has an
    // unusable name.
    static Result<RegisterMap> build(std::span<const ExtraRegister> extras, bool fpu);

    const RegisterInfo* find(unsigned regnum) const;
    // The 'g' packet's registers, in order.
    std::span<const RegisterInfo> core() const { return {regs_.data(), regnum::kCoreCount}; }
    // org.gnu.gdb.aarch64.fpu's registers; empty without it.
    std::span<const RegisterInfo> fpu() const {
        return std::span(regs_).subspan(regnum::kCoreCount, fpu_count_);
    }
    std::span<const RegisterInfo> extras() const {
        return std::span(regs_).subspan(regnum::kCoreCount + fpu_count_);
    }
    size_t core_bytes() const;

private:
    std::vector<RegisterInfo> regs_;  // core first, then fpu, then extras as given
    size_t fpu_count_ = 0;
};

}  // namespace gdb
