// Writable ID registers (see id_regs.h). Field rules: Linux's arm64_ftr_bits
// (arch/arm64/kernel/cpufeature.c) as KVM's arm64_check_features applies
// them; field layouts: ARM ARM DDI 0487 K.a, D24.2.
#include "hyp/id_regs.h"

#include <span>

#include <fmt/format.h>

#include "cpu/sysregs.h"
#include "hyp/kvm_host.h"

namespace hyp {

namespace {

using arch::SysRegId;
namespace sr = arch::sysreg;

// How a field may differ from the host's (struct arm64_ftr_bits' type).
enum class Safe : uint8_t {
    Lower,        // FTR_LOWER_SAFE: any smaller value (a feature level)
    LowerSigned,  // FTR_LOWER_SAFE on a signed field (0xF: not implemented)
    Higher,       // FTR_HIGHER_SAFE: any larger value (a granule)
    Exact,        // FTR_EXACT: the host's value or the field's safe value
    Any,          // an identification value, or a cache geometry KVM invents
};

struct Field {
    uint8_t shift, width;
    Safe safe;
    uint8_t safe_val = 0;  // Exact only
};

struct Rules {
    SysRegId id;
    std::span<const Field> fields;
};

// ID group 3 fields are unsigned feature levels (lower is safe) except these.
constexpr Field kPfr0[] = {
    {16, 4, Safe::LowerSigned},  // FP
    {20, 4, Safe::LowerSigned},  // AdvSIMD
    {24, 4, Safe::Exact, 0},     // GIC: not writable (KVM's writable mask leaves it out)
};
constexpr Field kDfr0[] = {{36, 4, Safe::LowerSigned}};                     // DoubleLock
constexpr Field kMmfr0[] = {{24, 4, Safe::LowerSigned}, {28, 4, Safe::LowerSigned}};  // TGran64, TGran4
// CTR_EL0 (ftr_ctr): IminLine, L1Ip (safe: VIPT), DminLine, ERG, CWG, IDC,
// DIC; bit 31 (RES1) and the rest must be the host's.
constexpr Field kCtr[] = {
    {0, 4, Safe::Lower},  {14, 2, Safe::Exact, 2}, {16, 4, Safe::Lower}, {20, 4, Safe::Higher},
    {24, 4, Safe::Higher}, {28, 1, Safe::Lower},   {29, 1, Safe::Lower},
};
// CLIDR_EL1 (set_clidr): any cache hierarchy; bits [63:47] are RES0.
constexpr Field kClidr[] = {{0, 47, Safe::Any}};
// MIDR, REVIDR, AIDR (set_imp_id_reg): any value.
constexpr Field kWhole[] = {{0, 64, Safe::Any}};

constexpr Rules kRules[] = {
    {sr::ID_AA64PFR0_EL1, kPfr0}, {sr::ID_AA64DFR0_EL1, kDfr0}, {sr::ID_AA64MMFR0_EL1, kMmfr0},
    {sr::CTR_EL0, kCtr},          {sr::CLIDR_EL1, kClidr},      {sr::MIDR_EL1, kWhole},
    {sr::REVIDR_EL1, kWhole},     {sr::AIDR_EL1, kWhole},
};

std::span<const Field> rules_for(SysRegId id) {
    for (const Rules& r : kRules)
        if (r.id == id) return r.fields;
    return {};
}

constexpr uint64_t kPfr0Gic = 0xFull << 24;

size_t group3_index(SysRegId id) { return (id.crm() - 1) * 8 + id.op2(); }

uint64_t field_mask(const Field& f) {
    return f.width == 64 ? ~0ull : ((1ull << f.width) - 1) << f.shift;
}

int64_t field_value(const Field& f, uint64_t reg) {
    const uint64_t u = (reg & field_mask(f)) >> f.shift;
    if (f.safe != Safe::LowerSigned || !(u >> (f.width - 1))) return int64_t(u);
    return int64_t(u) - (int64_t(1) << f.width);
}

// arm64_ftr_safe_value(new, host) == new.
bool field_ok(const Field& f, uint64_t value, uint64_t host) {
    const int64_t n = field_value(f, value), h = field_value(f, host);
    switch (f.safe) {
    case Safe::Lower:
    case Safe::LowerSigned: return n <= h;
    case Safe::Higher: return n >= h;
    case Safe::Exact: return n == h || n == f.safe_val;
    case Safe::Any: return true;
    }
    return false;
}

// The fields that apply to a register: the listed ones, and for ID group 3
// every other 4-bit field as a lower-safe feature level.
kvm::Result<void> check_fields(KvmVcpu& v, const char* name, SysRegId id, uint64_t value,
                               uint64_t host) {
    const std::span<const Field> listed = rules_for(id);
    uint64_t checked = 0;
    auto check = [&](const Field& f) -> kvm::Result<void> {
        checked |= field_mask(f);
        if (field_ok(f, value, host)) return {};
        return kvm::Error{fmt::format(
            "vcpu {}: {} value {:#x}: field [{}:{}] = {:#x} exceeds what this PE supports ({:#x})",
            v.id(), name, value, f.shift + f.width - 1, f.shift,
            (value & field_mask(f)) >> f.shift, (host & field_mask(f)) >> f.shift)};
    };
    for (const Field& f : listed)
        if (auto r = check(f); !r) return r;
    if (is_id_group3(id))
        for (uint8_t shift = 0; shift < 64; shift += 4) {
            const Field nibble{shift, 4, Safe::Lower};
            if (checked & field_mask(nibble)) continue;
            if (auto r = check(nibble); !r) return r;
        }
    if ((value ^ host) & ~checked)
        return kvm::Error{fmt::format("vcpu {}: {} value {:#x}: bits {:#x} are not writable", v.id(),
                                      name, value, (value ^ host) & ~checked)};
    return {};
}

// The register's storage in the VM, or null for an encoding without one.
uint64_t* stored(IdRegs& r, SysRegId id) {
    if (is_id_group3(id)) return &r.group3[group3_index(id)];
    if (id == sr::MIDR_EL1) return &r.midr;
    if (id == sr::REVIDR_EL1) return &r.revidr;
    if (id == sr::AIDR_EL1) return &r.aidr;
    if (id == sr::CTR_EL0) return &r.ctr;
    if (id == sr::CLIDR_EL1) return &r.clidr;
    return nullptr;
}

uint64_t sanitise(KvmVcpu& v, SysRegId id, uint64_t value) {
    if (id == sr::ID_AA64PFR0_EL1 && !v.kvm().irqchip()) value &= ~kPfr0Gic;
    return value;
}

// A write once the VM has run must not change anything (KVM: -EBUSY).
kvm::Result<void> check_not_ran(KvmVcpu& v, const std::string& name, uint64_t value,
                                uint64_t current) {
    if (!v.kvm().has_run_once() || value == current) return {};
    return kvm::Error{fmt::format("vcpu {}: {} is busy: the VM has run (value {:#x}, current {:#x})",
                                  v.id(), name, value, current)};
}

// CLIDR_EL1.Ctype<Level> describes the cache CSSELR_EL1 selects (is_valid_cache).
bool valid_cache(uint64_t clidr, uint64_t csselr) {
    if (csselr >= 14) return false;
    const uint64_t ctype = (clidr >> (3 * (csselr >> 1))) & 7;
    return (csselr & 1) ? (ctype == 1 || ctype == 3) : (ctype >= 2 && ctype <= 4);
}

}  // namespace

bool is_id_group3(SysRegId id) {
    return id.op0() == 3 && id.op1() == 0 && id.crn() == 0 && id.crm() >= 1 && id.crm() <= 7;
}

IdRegs host_id_regs(cpu::Cpu& c) {
    IdRegs r;
    for (unsigned i = 0; i < r.group3.size(); ++i) {
        const cpu::SysRegDesc* d = cpu::find_sysreg(SysRegId(3, 0, 0, 1 + i / 8, i % 8));
        r.group3[i] = d ? d->read(c) : 0;
    }
    auto read = [&](SysRegId id) { return cpu::find_sysreg(id)->read(c); };
    r.midr = cpu::id::kMidr;
    r.revidr = read(sr::REVIDR_EL1);
    r.aidr = read(sr::AIDR_EL1);
    r.ctr = read(sr::CTR_EL0);
    r.clidr = read(sr::CLIDR_EL1);
    for (unsigned i = 0; i < r.ccsidr.size(); ++i) r.ccsidr[i] = cpu::id::ccsidr(i);
    return r;
}

uint64_t read_id_reg(KvmVcpu& v, SysRegId id) {
    const uint64_t* p = stored(v.kvm().id_regs(), id);
    return p ? sanitise(v, id, *p) : 0;
}

uint64_t read_ccsidr(KvmVcpu& v, uint64_t csselr) {
    const IdRegs& r = v.kvm().id_regs();
    return valid_cache(r.clidr, csselr) ? r.ccsidr[csselr] : 0;
}

kvm::Result<void> write_id_reg(KvmVcpu& v, SysRegId id, uint64_t value) {
    uint64_t* p = stored(v.kvm().id_regs(), id);
    const cpu::SysRegDesc* d = cpu::find_sysreg(id);
    const std::string name = d ? std::string(d->name) : fmt::format("ID register {:#x}", id.packed);
    if (!p) return kvm::Error{fmt::format("vcpu {}: {} is not an ID register", v.id(), name)};
    if (auto r = check_not_ran(v, name, value, read_id_reg(v, id)); !r) return r;
    const uint64_t* host = stored(v.kvm().host_id_regs(), id);
    if (auto r = check_fields(v, name.c_str(), id, value, sanitise(v, id, *host)); !r) return r;
    *p = value;
    if (id == sr::MIDR_EL1)
        for (const auto& u : v.kvm().vcpus()) u->cpu().state().el2.vpidr = value;
    return {};
}

// set_ccsidr: a cache CLIDR_EL1 describes, RES0 bits [63:32] clear, and a
// line no shorter than CTR_EL0's smallest for its kind (IminLine/DminLine
// count words; LineSize counts 16-byte steps).
kvm::Result<void> write_ccsidr(KvmVcpu& v, uint64_t csselr, uint64_t value) {
    IdRegs& r = v.kvm().id_regs();
    const std::string name = fmt::format("CCSIDR_EL1[{}]", csselr);
    if (!valid_cache(r.clidr, csselr))
        return kvm::Error{fmt::format("vcpu {}: {}: CLIDR_EL1 {:#x} describes no such cache",
                                      v.id(), name, r.clidr)};
    if (auto ok = check_not_ran(v, name, value, r.ccsidr[csselr]); !ok) return ok;
    const uint64_t min_line = ((csselr & 1) ? r.ctr : r.ctr >> 16) & 0xF;
    if ((value >> 32) || (value & 7) + 4 < min_line + 2)
        return kvm::Error{fmt::format("vcpu {}: {} value {:#x}: RES0 bits set or a line shorter "
                                      "than CTR_EL0 {:#x} allows",
                                      v.id(), name, value, r.ctr)};
    r.ccsidr[csselr] = value;
    return {};
}

}  // namespace hyp
