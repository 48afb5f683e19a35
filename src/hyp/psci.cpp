// SMCCC calls over HVC (and trapped SMC): PSCI 1.1 and the SMCCC
// architecture calls (Arm DEN0022 PSCI, DEN0028 SMCCC; Linux:
// arch/arm64/kvm/psci.c and hypercalls.c).
#include <array>
#include <cstdint>

#include "hyp/emulate.h"

namespace hyp {

namespace {

namespace fn {
constexpr uint32_t kSmcccVersion = 0x80000000;
constexpr uint32_t kSmcccArchFeatures = 0x80000001;
constexpr uint32_t kPsciVersion = 0x84000000;
constexpr uint32_t kPsciSystemOff = 0x84000008;
constexpr uint32_t kPsciSystemReset = 0x84000009;
constexpr uint32_t kPsciFeatures = 0x8400000A;
}  // namespace fn

constexpr uint64_t kVersion1_1 = 0x10001;  // major << 16 | minor
constexpr int64_t kNotSupported = -1;

ExitAction system_event(KvmVcpu& v, kvm::SystemEventType type) {
    auto& run = v.run_state();
    run.exit_reason = kvm::ExitReason::SystemEvent;
    run.system_event.type = type;
    run.system_event.ndata = 0;
    return ExitAction::ExitToUser;
}

ExitAction ret(KvmVcpu& v, int64_t value) {
    v.set_reg(0, uint64_t(value));
    return ExitAction::Resume;
}

ExitAction psci_version(KvmVcpu& v) { return ret(v, kVersion1_1); }
ExitAction psci_system_off(KvmVcpu& v) { return system_event(v, kvm::SystemEventType::Shutdown); }
ExitAction psci_system_reset(KvmVcpu& v) { return system_event(v, kvm::SystemEventType::Reset); }
ExitAction smccc_version(KvmVcpu& v) { return ret(v, kVersion1_1); }
ExitAction psci_features(KvmVcpu& v);
ExitAction smccc_arch_features(KvmVcpu& v) { return ret(v, kNotSupported); }

struct Call {
    uint32_t id;
    ExitAction (*handler)(KvmVcpu&);
};

// The calls this hypervisor implements; anything else is NOT_SUPPORTED.
constexpr std::array kCalls{
    Call{fn::kSmcccVersion, smccc_version},
    Call{fn::kSmcccArchFeatures, smccc_arch_features},
    Call{fn::kPsciVersion, psci_version},
    Call{fn::kPsciSystemOff, psci_system_off},
    Call{fn::kPsciSystemReset, psci_system_reset},
    Call{fn::kPsciFeatures, psci_features},
};

const Call* find_call(uint64_t id) {
    for (const Call& c : kCalls)
        if (c.id == id) return &c;
    return nullptr;
}

// PSCI_FEATURES: 0 for an implemented PSCI function, NOT_SUPPORTED otherwise.
ExitAction psci_features(KvmVcpu& v) {
    const uint64_t id = v.get_reg(1);
    const bool psci = (id & 0xFFFFFFE0) == 0x84000000 || (id & 0xFFFFFFE0) == 0xC4000000;
    return ret(v, psci && find_call(id) ? 0 : kNotSupported);
}

}  // namespace

// Function id in W0 (SMCCC: the upper 32 bits are ignored for SMC32/HVC32
// ids), arguments in X1..X3, result in X0.
ExitAction smccc_call(KvmVcpu& v) {
    const uint32_t id = uint32_t(v.get_reg(0));
    const Call* c = find_call(id);
    return c ? c->handler(v) : ret(v, kNotSupported);
}

}  // namespace hyp
