// Stop replies (GDB manual, "Stop Reply Packets"): "T05thread:1;swbreak:;20:…;" for stops,
// "W00" / "X09" when the guest is gone.
#pragma once

#include <string>

#include "gdb/target.h"

namespace gdb {

struct StopReplyOptions {
    bool swbreak = false;  // both sides said swbreak+ in qSupported
    bool hwbreak = false;  // both sides said hwbreak+
};

// reason.regs must be filled (the stub reads them when the target did not).
std::string format_stop_reply(const StopReason& reason, const StopReplyOptions& opts);

}  // namespace gdb
