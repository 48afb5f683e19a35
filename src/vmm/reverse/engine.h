// A machine process of reverse execution: the machine and a GdbTarget on
// it, serving the front end's requests (protocol.h) on its channel until
// told to quit or the front end is gone. A Clone request forks it: the
// copy, the same machine at the same point, serves the channel passed
// along, which is how checkpoints are taken and how one is resumed.
#pragma once

#include <sys/types.h>

#include "vmm/gdb_target.h"
#include "vmm/machine.h"
#include "vmm/reverse/channel.h"
#include "vmm/reverse/history_serial.h"

namespace vmm::reverse {

// Forks the first machine process, at the machine's current point; the
// caller keeps the returned channel's other end. serial may be null.
kvm::Result<std::pair<pid_t, Channel>> spawn_engine(Machine& machine, const GdbOptions& opts,
                                                    HistorySerial* serial);

}  // namespace vmm::reverse
