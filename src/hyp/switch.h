// The world switch's fast path (switch.cpp).
#pragma once

#include <cstdint>

#include "cpu/cpu.h"

namespace hyp {

class KvmVcpu;

// Called after the guest exits with a synchronous exception to EL2, before
// handle_exit (Linux: fixup_guest_exit). True: handled, re-enter the guest.
bool fixup_guest_exit(KvmVcpu& v);

// Enters the guest for at most `quantum` instructions, finishing in the fast
// path what it can (Linux: __kvm_vcpu_run). Returns why the guest left.
cpu::Stop kvm_vcpu_run_switch(KvmVcpu& v, uint64_t quantum);

}  // namespace hyp
