// The world switch's fast path (switch.cpp).
#pragma once

namespace hyp {

class KvmVcpu;

// Called after the guest exits with a synchronous exception to EL2, before
// handle_exit (Linux: fixup_guest_exit). True: handled, re-enter the guest.
bool fixup_guest_exit(KvmVcpu& v);

}  // namespace hyp
