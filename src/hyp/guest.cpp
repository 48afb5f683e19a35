// KVM_GET_ONE_REG / KVM_SET_ONE_REG (Linux: arch/arm64/kvm/guest.c).
#include <array>
#include <cstring>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "arch/fpsimd.h"
#include "arch/sysreg.h"
#include "hyp/hypercalls.h"
#include "hyp/id_regs.h"
#include "hyp/sys_regs.h"

namespace hyp {

namespace {

using kvm::reg::core;

// The 64-bit core registers, by word offset into struct kvm_regs (KVM's
// core_reg_addr): one table lookup, since a debugger reads the PC (and
// often more) after every step. PSTATE is not here: it is not stored as
// its SPSR value.
using CoreSlot = uint64_t& (*)(cpu::State&);
template <unsigned N> uint64_t& x_slot(cpu::State& s) { return s.x[N]; }

constexpr auto kCoreSlots = [] {
    std::array<CoreSlot, 74> t{};
    // X0..X30 are the doublewords at word offsets 0, 2, ..., 60.
    [&]<size_t... N>(std::index_sequence<N...>) {
        ((t[2 * N] = &x_slot<N>), ...);
    }(std::make_index_sequence<31>{});
    t[62] = [](cpu::State& s) -> uint64_t& { return s.sp_el[0]; };  // user_pt_regs.sp is SP_EL0
    t[64] = [](cpu::State& s) -> uint64_t& { return s.pc; };
    t[68] = [](cpu::State& s) -> uint64_t& { return s.sp_el[1]; };
    t[70] = [](cpu::State& s) -> uint64_t& { return s.el1.elr; };
    t[72] = [](cpu::State& s) -> uint64_t& { return s.el1.spsr; };
    return t;
}();
static_assert(kvm::reg::kPc == core(64) && kvm::reg::kSpsrEl1 == core(72));

// Storage behind a 64-bit core-register id, or nullptr.
uint64_t* core_reg(cpu::State& s, uint64_t id) {
    const uint64_t word = id - core(0);
    if (word >= kCoreSlots.size() || !kCoreSlots[word]) return nullptr;
    return &kCoreSlots[word](s);
}

// ARM64_SYS_REG ids go to the system register table (sys_regs.cpp).
std::optional<arch::SysRegId> sys_reg_id(uint64_t id) {
    if ((id & ~0xFFFFull) != kvm::reg::sysreg(0)) return std::nullopt;
    return arch::SysRegId(uint16_t(id & 0xFFFF));
}

// PSTATE as userspace sets it: AArch64 EL0t, EL1t or EL1h only (KVM's
// validate_core_offset/set_core_reg mode check).
bool valid_pstate(uint64_t v) {
    const uint64_t m = v & arch::spsr::kM;
    return m == arch::spsr::kEL0t || m == arch::spsr::kEL1t || m == arch::spsr::kEL1h;
}

// Ids of 64-bit registers: core registers and ARM64_SYS_REG ids.
Result<uint64_t> get_u64_reg(KvmVcpu& v, uint64_t id) {
    auto& s = v.cpu().state();
    if (uint64_t* p = core_reg(s, id)) return *p;
    if (id == kvm::reg::kPstate) return s.pstate.to_spsr();
    if (auto sr = sys_reg_id(id)) return get_sys_reg(v, *sr);
    if (auto fw = get_fw_reg(v, id)) return *fw;
    return Error{fmt::format("vcpu {}: unknown register id {:#x}", v.id(), id)};
}

Result<void> set_u64_reg(KvmVcpu& v, uint64_t id, uint64_t value) {
    auto& s = v.cpu().state();
    if (id == kvm::reg::kPstate) {
        if (!valid_pstate(value))
            return Error{fmt::format("vcpu {}: invalid PSTATE {:#x} (mode must be EL0t, EL1t or EL1h)",
                                     v.id(), value)};
        s.pstate = arch::PState::from_spsr(value);
        return {};
    }
    if (uint64_t* p = core_reg(s, id)) {
        *p = value;
        return {};
    }
    if (auto sr = sys_reg_id(id)) return set_sys_reg(v, *sr, value);
    if (auto fw = set_fw_reg(v, id, value)) return *fw;
    return Error{fmt::format("vcpu {}: unknown register id {:#x}", v.id(), id)};
}

// fp_regs.vregs[n] in the guest's copy (fpsimd.h), or nullptr.
cpu::VReg* vreg(const GuestFpsimdRef& fp, uint64_t id) {
    if (id < kvm::reg::v(0) || id > kvm::reg::v(31) || (id - kvm::reg::v(0)) % 4) return nullptr;
    return &fp.v[(id - kvm::reg::v(0)) / 4];
}

// KVM_REG_ARM_DEMUX_ID_CCSIDR: the CSSELR_EL1 value it selects, or nullopt.
std::optional<uint64_t> ccsidr_index(uint64_t id) {
    if ((id & ~0xFFull) != kvm::reg::ccsidr(0)) return std::nullopt;
    return id & 0xFF;
}

// KVM_GET/SET_ONE_REG copy KVM_REG_SIZE(id) bytes; a buffer of another
// size is the caller's mistake, named here.
Result<void> check_size(uint32_t vcpu, uint64_t id, size_t bytes) {
    if (bytes == kvm::reg::size_of(id)) return {};
    return Error{fmt::format("vcpu {}: register id {:#x} is {} bytes, not {}", vcpu, id,
                             kvm::reg::size_of(id), bytes)};
}

uint64_t load_le(std::span<const uint8_t> b) {
    uint64_t v = 0;
    std::memcpy(&v, b.data(), std::min(b.size(), sizeof v));  // host and guest are little-endian
    return v;
}

void store_le(std::span<uint8_t> b, uint64_t v) { std::memcpy(b.data(), &v, std::min(b.size(), sizeof v)); }

}  // namespace

Result<void> KvmVcpu::get_one_reg(uint64_t id, std::span<uint8_t> out) const {
    if (auto ok = check_size(id_, id, out.size()); !ok) return ok;
    auto& self = const_cast<KvmVcpu&>(*this);
    const GuestFpsimdRef fp = guest_fpsimd(self);
    if (const cpu::VReg* v = vreg(fp, id)) {
        // out.size() is the id's size, VReg::kBytes (check_size); said so,
        // GCC sees no overflow where LTO inlines this into get_other_reg.
        std::memcpy(out.data(), v->bytes().data(), out.size());
        return {};
    }
    if (id == kvm::reg::kFpsr || id == kvm::reg::kFpcr) {
        store_le(out, id == kvm::reg::kFpsr ? fp.fpsr : fp.fpcr);
        return {};
    }
    if (auto csselr = ccsidr_index(id)) {
        store_le(out, read_ccsidr(self, *csselr));
        return {};
    }
    if (out.size() != sizeof(uint64_t))
        return Error{fmt::format("vcpu {}: unknown register id {:#x}", id_, id)};
    auto r = get_u64_reg(self, id);
    if (!r) return r.error();
    store_le(out, r.value());
    return {};
}

Result<void> KvmVcpu::set_one_reg(uint64_t id, std::span<const uint8_t> value) {
    if (auto ok = check_size(id_, id, value.size()); !ok) return ok;
    const GuestFpsimdRef fp = guest_fpsimd(*this);
    if (cpu::VReg* v = vreg(fp, id)) {
        std::memcpy(v->bytes().data(), value.data(), cpu::VReg::kBytes);
        return {};
    }
    // RES0 and RAZ/WI bits are dropped as an MSR would drop them.
    if (id == kvm::reg::kFpsr) {
        fp.fpsr = arch::fpsr_write_value(load_le(value));
        return {};
    }
    if (id == kvm::reg::kFpcr) {
        fp.fpcr = arch::fpcr_write_value(load_le(value));
        return {};
    }
    if (auto csselr = ccsidr_index(id)) return write_ccsidr(*this, *csselr, load_le(value));
    if (value.size() != sizeof(uint64_t))
        return Error{fmt::format("vcpu {}: unknown register id {:#x}", id_, id)};
    return set_u64_reg(*this, id, load_le(value));
}

namespace {
// get_one_reg(id) of a register that is not a 64-bit core register, apart
// so that the PC read after every step pays for none of it.
[[gnu::noinline]] Result<uint64_t> get_other_reg(const KvmVcpu& v, uint64_t id) {
    const size_t n = kvm::reg::size_of(id);
    if (n > sizeof(uint64_t))
        return Error{fmt::format("vcpu {}: register id {:#x} is {} bytes: use the byte-span form",
                                 v.id(), id, n)};
    std::array<uint8_t, sizeof(uint64_t)> buf{};
    if (auto ok = v.get_one_reg(id, std::span(buf).first(n)); !ok) return ok.error();
    return load_le(buf);
}
}  // namespace

Result<uint64_t> KvmVcpu::get_one_reg(uint64_t id) const {
    auto& self = const_cast<KvmVcpu&>(*this);
    if (const uint64_t* p = core_reg(self.cpu_.state(), id)) return *p;
    return get_other_reg(*this, id);
}

Result<void> KvmVcpu::set_one_reg(uint64_t id, uint64_t value) {
    if (uint64_t* p = core_reg(cpu_.state(), id)) {
        *p = value;
        return {};
    }
    const size_t n = kvm::reg::size_of(id);
    if (n > sizeof(uint64_t))
        return Error{fmt::format("vcpu {}: register id {:#x} is {} bytes: use the byte-span form",
                                 id_, id, n)};
    if (n < sizeof(uint64_t) && (value >> (8 * n)))
        return Error{fmt::format("vcpu {}: value {:#x} does not fit register id {:#x} ({} bytes)",
                                 id_, value, id, n)};
    std::array<uint8_t, sizeof(uint64_t)> buf{};
    store_le(buf, value);
    return set_one_reg(id, std::span<const uint8_t>(buf).first(n));
}

}  // namespace hyp
