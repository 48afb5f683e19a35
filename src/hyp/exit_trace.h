// One event per exit from the guest, for `--trace exits` and `--stats`
// (Linux's kvm_exit/kvm_userspace_exit tracepoints). The run loop calls the
// hook, when one is set, after each exit has been dealt with.
#pragma once

#include <cstdint>
#include <functional>

namespace hyp {

// Where an exit was dealt with.
enum class ExitHandledBy : uint8_t {
    FastPath,    // in the world switch, without leaving "EL2" (switch.cpp)
    HandleExit,  // handle_exit emulated it and the guest resumed
    Userspace,   // run() returned to userspace with it
    Host,        // the quantum or host timer ended the world switch (no ESR)
};
const char* exit_handled_by_name(ExitHandledBy h);

struct ExitEvent {
    uint32_t vcpu = 0;
    uint8_t ec = 0;  // ESR_EL2.EC (0 for Host)
    uint32_t iss = 0;
    uint64_t pc = 0;  // the guest PC at the exit
    ExitHandledBy handled_by = ExitHandledBy::HandleExit;
    uint64_t ns = 0;  // host time spent handling it
    // The faulting IPA of a data abort handled by handle_exit (HPFAR_EL2 and
    // FAR_EL2), 0 otherwise.
    uint64_t ipa = 0;
};

using ExitTraceHook = std::function<void(const ExitEvent&)>;

}  // namespace hyp
