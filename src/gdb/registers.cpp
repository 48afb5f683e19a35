#include "gdb/registers.h"

#include <algorithm>

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

// gdb's aarch64-fpu.xml: v0-v31 from regnum 34, then fpsr and fpcr.
void append_fpu_registers(std::vector<RegisterInfo>& regs) {
    for (unsigned n = 0; n < 32; ++n)
        regs.push_back({fmt::format("v{}", n), regnum::kV0 + n, 128, false});
    regs.push_back({"fpsr", regnum::kFpsr, 32, false});
    regs.push_back({"fpcr", regnum::kFpcr, 32, false});
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

RegisterValue::RegisterValue(std::span<const uint8_t> bytes)
    : size_(std::min(bytes.size(), kMaxBytes)) {
    std::copy_n(bytes.begin(), size_, bytes_.begin());
}

RegisterValue RegisterValue::of(uint64_t value, size_t bytes) {
    RegisterValue r;
    r.size_ = std::min(bytes, kMaxBytes);
    for (size_t i = 0; i < r.size_ && i < 8; ++i) r.bytes_[i] = uint8_t(value >> (8 * i));
    return r;
}

uint64_t RegisterValue::u64() const {
    uint64_t v = 0;
    for (size_t i = 0; i < size_ && i < 8; ++i) v |= uint64_t(bytes_[i]) << (8 * i);
    return v;
}

Result<RegisterMap> RegisterMap::build(std::span<const ExtraRegister> extras, bool fpu) {
    RegisterMap map;
    map.regs_ = core_registers();
    if (fpu) append_fpu_registers(map.regs_);
    map.fpu_count_ = map.regs_.size() - regnum::kCoreCount;
    for (const ExtraRegister& e : extras) {
        if (!usable_name(e.name)) {
            return make_error(ErrorKind::Malformed, "extra register name", e.name);
        }
        const unsigned first_free = fpu ? regnum::kFpuEnd : regnum::kCoreCount;
        if (e.regnum < first_free) {
            return make_error(ErrorKind::OutOfRange,
                              fmt::format("regnum {} (core{} registers are 0-{})", e.regnum,
                                          fpu ? " and fpu" : "", first_free - 1),
                              e.name);
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
    if (regnum < regnum::kCoreCount + fpu_count_) return &regs_[regnum];
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
