#include "kvm/uapi.h"

namespace kvm {

const char* exit_reason_name(ExitReason r) {
    switch (r) {
    case ExitReason::Unknown: return "UNKNOWN";
    case ExitReason::Debug: return "DEBUG";
    case ExitReason::Mmio: return "MMIO";
    case ExitReason::FailEntry: return "FAIL_ENTRY";
    case ExitReason::Intr: return "INTR";
    case ExitReason::InternalError: return "INTERNAL_ERROR";
    case ExitReason::SystemEvent: return "SYSTEM_EVENT";
    case ExitReason::ArmNisv: return "ARM_NISV";
    }
    return "UNKNOWN";
}

}  // namespace kvm
