// SMCCC calls over HVC (and trapped SMC): PSCI 1.1 and the SMCCC
// architecture calls (Arm DEN0022 PSCI, DEN0028 SMCCC; Linux:
// arch/arm64/kvm/psci.c and hypercalls.c).
#include <array>
#include <cstdint>

#include "hyp/emulate.h"

namespace hyp {

namespace {

// Function ids; the SMC64 forms of the PSCI calls that take addresses or
// affinities are 0xC4000000 + n (DEN0022 5.1).
namespace fn {
constexpr uint32_t kSmcccVersion = 0x80000000;
constexpr uint32_t kSmcccArchFeatures = 0x80000001;
constexpr uint32_t kArchWorkaround1 = 0x80008000;
constexpr uint32_t kArchWorkaround2 = 0x80007FFF;
constexpr uint32_t kArchWorkaround3 = 0x80003FFF;
constexpr uint32_t kPsciVersion = 0x84000000;
constexpr uint32_t kCpuSuspend = 0x84000001;
constexpr uint32_t kCpuOff = 0x84000002;
constexpr uint32_t kCpuOn = 0x84000003;
constexpr uint32_t kAffinityInfo = 0x84000004;
constexpr uint32_t kMigrateInfoType = 0x84000006;
constexpr uint32_t kSystemOff = 0x84000008;
constexpr uint32_t kSystemReset = 0x84000009;
constexpr uint32_t kPsciFeatures = 0x8400000A;
constexpr uint32_t kSystemReset2 = 0x84000012;
constexpr uint32_t k64 = 0x40000000;  // SMC64 calling convention bit
}  // namespace fn

constexpr uint64_t kSmccc1_1 = 0x10001;  // major << 16 | minor
// PSCI return codes (DEN0022 5.2.2) and SMCCC ones (DEN0028).
constexpr int64_t kSuccess = 0;
constexpr int64_t kNotSupported = -1;
constexpr int64_t kInvalidParameters = -2;
constexpr int64_t kAlreadyOn = -4;
constexpr int64_t kInvalidAddress = -9;
constexpr int64_t kSmcccNotRequired = -2;
constexpr int64_t kSmcccUnaffected = 1;
constexpr int64_t kAffinityOn = 0, kAffinityOff = 1;
constexpr uint64_t kTosMp = 2;  // MIGRATE_INFO_TYPE: no Trusted OS to migrate

ExitAction ret(KvmVcpu& v, int64_t value) {
    v.set_reg(0, uint64_t(value));
    return ExitAction::Resume;
}

// Xn as the call's convention passes it: SMC32/HVC32 arguments are 32 bits
// (kvm_psci_narrow_to_32bit).
uint64_t arg(KvmVcpu& v, unsigned n) {
    const uint64_t x = v.get_reg(n);
    return (v.get_reg(0) & fn::k64) ? x : uint32_t(x);
}

ExitAction system_event(KvmVcpu& v, kvm::SystemEventType type, unsigned ndata = 0,
                        uint64_t data0 = 0) {
    auto& run = v.run_state();
    run.exit_reason = kvm::ExitReason::SystemEvent;
    run.system_event.type = type;
    run.system_event.ndata = ndata;
    run.system_event.data[0] = data0;
    return ExitAction::ExitToUser;
}

const SmcccFirmware& firmware(KvmVcpu& v) { return v.kvm().firmware(); }

ExitAction psci_version(KvmVcpu& v) { return ret(v, int64_t(firmware(v).psci_version)); }
ExitAction smccc_version(KvmVcpu& v) { return ret(v, kSmccc1_1); }
ExitAction migrate_info_type(KvmVcpu& v) { return ret(v, kTosMp); }
ExitAction system_off(KvmVcpu& v) { return system_event(v, kvm::SystemEventType::Shutdown); }
ExitAction system_reset(KvmVcpu& v) { return system_event(v, kvm::SystemEventType::Reset); }

// SYSTEM_RESET2: architectural warm reset (type 0) or a vendor reset (bit 31
// set); userspace gets the type in data[0].
ExitAction system_reset2(KvmVcpu& v) {
    const uint64_t type = uint32_t(v.get_reg(1));
    if (type != 0 && !(type & (1u << 31))) return ret(v, kInvalidParameters);
    return system_event(v, kvm::SystemEventType::Reset, 1, type);
}

// CPU_ON: target by MPIDR affinity, entry point, context id. A running
// target is ALREADY_ON; an unknown or uninitialized one INVALID_PARAMETERS;
// a misaligned entry point INVALID_ADDRESS (kvm_psci_vcpu_on).
ExitAction cpu_on(KvmVcpu& v) {
    KvmVcpu* t = v.kvm().vcpu_by_mpidr(arg(v, 1));
    const uint64_t entry = arg(v, 2), context_id = arg(v, 3);
    if (!t || !t->initialized) return ret(v, kInvalidParameters);
    if (!t->power_off) return ret(v, kAlreadyOn);
    if (entry & 3) return ret(v, kInvalidAddress);
    t->power_on(entry, context_id);
    return ret(v, kSuccess);
}

// CPU_OFF does not return to the caller: the vcpu stops until a CPU_ON.
ExitAction cpu_off(KvmVcpu& v) {
    v.power_off = true;
    return ExitAction::Resume;
}

// CPU_SUSPEND is a WFI that reports success on wake-up (KVM's choice: any
// power state is treated as standby, so no context is lost).
ExitAction cpu_suspend(KvmVcpu& v) {
    v.halted = !v.wake_pending();
    return ret(v, kSuccess);
}

// AFFINITY_INFO: ON if any vcpu matching target_affinity at the given
// level is on (kvm_psci_vcpu_affinity_info). Levels above 3 are invalid.
ExitAction affinity_info(KvmVcpu& v) {
    const uint64_t level = arg(v, 2);
    if (level > 3) return ret(v, kInvalidParameters);
    constexpr unsigned kShift[] = {0, 8, 16, 32};
    const uint64_t mask = 0xFF00FFFFFFull & ~((1ull << kShift[level]) - 1);
    const uint64_t target = arg(v, 1) & mask;
    for (const auto& u : v.kvm().vcpus())
        if ((u->cpu().state().el2.vmpidr & mask) == target && u->initialized && !u->power_off)
            return ret(v, kAffinityOn);
    return ret(v, kAffinityOff);
}

ExitAction psci_features(KvmVcpu& v);

// SMCCC_ARCH_FEATURES for the Spectre workarounds: the answer the
// firmware pseudo-register's level stands for (DEN0028 7.5;
// kvm_smccc_call_handler). By default an interpreter, which speculates
// nothing, needs none of them.
int64_t workaround_answer(uint64_t level, uint64_t avail, uint64_t not_required,
                          int64_t not_required_answer) {
    if (level == avail) return kSuccess;
    if (level == not_required) return not_required_answer;
    return kNotSupported;
}

ExitAction smccc_arch_features(KvmVcpu& v) {
    namespace fw = kvm::fw;
    const SmcccFirmware& f = firmware(v);
    switch (uint32_t(v.get_reg(1))) {
    case fn::kArchWorkaround1:
        return ret(v, workaround_answer(f.wa1, fw::kWa1Avail, fw::kWa1NotRequired, kSmcccUnaffected));
    case fn::kArchWorkaround2:
        return ret(v, workaround_answer(f.wa2, fw::kWa2Avail, fw::kWa2NotRequired, kSmcccNotRequired));
    case fn::kArchWorkaround3:
        return ret(v, workaround_answer(f.wa3, fw::kWa3Avail, fw::kWa3NotRequired, kSmcccUnaffected));
    default: return ret(v, kNotSupported);
    }
}

// A call exists from a PSCI version on, and while the firmware bitmap
// (kvm::reg::kStepvisorFwBmap) keeps its service.
struct Call {
    uint32_t id;
    ExitAction (*handler)(KvmVcpu&);
    uint64_t since = kvm::fw::kPsci0_2;
    uint64_t bmap_bit = 0;
};

constexpr uint64_t kSmcccBit = kvm::fw::kBmapSmccc1_1;
constexpr uint64_t kPsci1_0 = kvm::fw::kPsci1_0, kPsci1_1 = kvm::fw::kPsci1_1;

// The calls this hypervisor implements; anything else is NOT_SUPPORTED.
constexpr std::array kCalls{
    Call{fn::kSmcccVersion, smccc_version, kvm::fw::kPsci0_2, kSmcccBit},
    Call{fn::kSmcccArchFeatures, smccc_arch_features, kvm::fw::kPsci0_2, kSmcccBit},
    Call{fn::kPsciVersion, psci_version},
    Call{fn::kCpuSuspend, cpu_suspend},
    Call{fn::kCpuSuspend | fn::k64, cpu_suspend},
    Call{fn::kCpuOff, cpu_off},
    Call{fn::kCpuOn, cpu_on},
    Call{fn::kCpuOn | fn::k64, cpu_on},
    Call{fn::kAffinityInfo, affinity_info},
    Call{fn::kAffinityInfo | fn::k64, affinity_info},
    Call{fn::kMigrateInfoType, migrate_info_type},
    Call{fn::kSystemOff, system_off},
    Call{fn::kSystemReset, system_reset},
    Call{fn::kPsciFeatures, psci_features, kPsci1_0},
    Call{fn::kSystemReset2, system_reset2, kPsci1_1, kvm::fw::kBmapSystemReset2},
    Call{fn::kSystemReset2 | fn::k64, system_reset2, kPsci1_1, kvm::fw::kBmapSystemReset2},
};

// The call as this VM's firmware offers it, or null.
const Call* find_call(KvmVcpu& v, uint64_t id) {
    const SmcccFirmware& f = firmware(v);
    for (const Call& c : kCalls)
        if (c.id == id)
            return f.psci_version >= c.since && (f.bmap & c.bmap_bit) == c.bmap_bit ? &c : nullptr;
    return nullptr;
}

// PSCI_FEATURES: 0 for an offered PSCI function (CPU_SUSPEND: original
// power_state format) and for SMCCC_VERSION, which is how a guest learns
// that SMCCC 1.1 is there; NOT_SUPPORTED otherwise.
ExitAction psci_features(KvmVcpu& v) {
    const uint32_t id = uint32_t(v.get_reg(1));
    const bool psci = (id & 0xBFFFFFE0) == 0x84000000;
    return ret(v, (psci || id == fn::kSmcccVersion) && find_call(v, id) ? kSuccess : kNotSupported);
}

}  // namespace

// Function id in W0 (SMCCC: the upper 32 bits are ignored), arguments in
// X1..X3, result in X0.
ExitAction smccc_call(KvmVcpu& v) {
    const uint32_t id = uint32_t(v.get_reg(0));
    const Call* c = find_call(v, id);
    return c ? c->handler(v) : ret(v, kNotSupported);
}

}  // namespace hyp
