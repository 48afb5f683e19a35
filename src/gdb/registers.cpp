#include "gdb/registers.h"

#include <fmt/format.h>

namespace gdb {

namespace {

std::vector<RegisterInfo> core_registers() {
    std::vector<RegisterInfo> regs;
    for (unsigned n = 0; n <= 30; ++n) regs.push_back({fmt::format("x{}", n), n, 64, true});
    regs.push_back({"sp", regnum::kSp, 64, true});
    regs.push_back({"pc", regnum::kPc, 64, true});
    regs.push_back({"cpsr", regnum::kCpsr, 32, true});
    return regs;
}

// Names go into XML attributes and gdb's expression language: keep them to
// identifier characters.
bool usable_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    for (char c : name) {
        const bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) return false;
    }
    return true;
}

}  // namespace

Result<RegisterMap> RegisterMap::build(std::span<const ExtraRegister> extras) {
    RegisterMap map;
    map.regs_ = core_registers();
    for (const ExtraRegister& e : extras) {
        if (!usable_name(e.name)) {
            return make_error(ErrorKind::Malformed, "extra register name", e.name);
        }
        if (e.regnum < regnum::kCoreCount) {
            return make_error(ErrorKind::OutOfRange,
                              fmt::format("regnum {} (core registers are 0-33)", e.regnum), e.name);
        }
        for (const RegisterInfo& r : map.regs_) {
            if (r.regnum == e.regnum || r.name == e.name) {
                return make_error(
                    ErrorKind::Malformed,
                    fmt::format("regnum {} or name collides with {}", e.regnum, r.name), e.name);
            }
        }
        map.regs_.push_back({e.name, e.regnum, 64, false});
    }
    return map;
}

const RegisterInfo* RegisterMap::find(unsigned regnum) const {
    if (regnum < regnum::kCoreCount) return &regs_[regnum];
    for (const RegisterInfo& r : extras()) {
        if (r.regnum == regnum) return &r;
    }
    return nullptr;
}

size_t RegisterMap::core_bytes() const {
    size_t n = 0;
    for (const RegisterInfo& r : core()) n += r.bytes();
    return n;
}

}  // namespace gdb
