// Exceptions the hypervisor injects into the guest's EL1 (Linux:
// arch/arm64/kvm/inject_fault.c).
#include "hyp/emulate.h"

namespace hyp {

namespace {
// The abort is reported as taken from the guest's current EL: "current EL"
// class at EL1, "lower EL" class from EL0 (D24.2.40, EC values).
arch::EC abort_class(KvmVcpu& v, bool fetch) {
    const bool el0 = v.pstate().el == 0;
    if (fetch) return el0 ? arch::EC::InstrAbortLow : arch::EC::InstrAbortCur;
    return el0 ? arch::EC::DataAbortLow : arch::EC::DataAbortCur;
}
}  // namespace

void inject_undefined(KvmVcpu& v) {
    v.cpu().inject_el1(cpu::ExceptionType::Sync, arch::esr(arch::EC::Unknown, 0));
    step_completed_in_hyp(v);  // the step ends at the guest's vector
}

// A synchronous external abort, instruction or data: the IPA behind the
// access has nothing there (inject_abt64).
void inject_abort(KvmVcpu& v, bool fetch, uint64_t addr) {
    v.cpu().inject_el1(cpu::ExceptionType::Sync,
                       arch::esr(abort_class(v, fetch), arch::fsc::kSyncExternal), addr, true);
    step_completed_in_hyp(v);
}

}  // namespace hyp
