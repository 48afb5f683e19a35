// What the front end of reverse execution asks a machine process, and the
// answers (docs/reverse.md). Each request is one Message starting with its
// Cmd; each gets exactly one reply, except Quit.
#pragma once

#include <cstdint>
#include <vector>

#include "gdb/target.h"
#include "vmm/machine.h"
#include "vmm/reverse/channel.h"

namespace vmm::reverse {

enum class Cmd : uint8_t {
    ReadRegister,      // thread, regnum -> status, value
    WriteRegister,     // thread, regnum, bytes -> status
    ReadMemory,        // thread, addr, len -> status, bytes
    WriteMemory,       // thread, addr, bytes -> status
    InsertBreakpoint,  // type, addr, kind -> status
    RemoveBreakpoint,  // type, addr, kind -> status
    Monitor,           // command -> has answer, text
    Run,               // RunRequest -> RunResult
    Clone,             // (a channel passed) -> pid of a copy of this process serving it
    Quit,              // no reply: the process exits
};

// One run of the machine as gdb's resume would do it.
struct RunRequest {
    std::vector<gdb::ResumeAction> actions;
    bool step_irq_enter = false;
    // Stop once the vcpus together retired this many since creation.
    uint64_t until = kvm::Vcpu::kNoInsnLimit;
    bool breakpoints = true;  // false: they stay set but do not stop the run
    // Serial output of instructions below this retired count was written
    // before: it is not written again.
    uint64_t output_floor = 0;
};

struct RunResult {
    gdb::StopReason stop;
    bool limit = false;     // stopped at RunRequest::until
    bool finished = false;  // the guest ended: stop is Exited or Killed
    StopInfo end;           // how, when finished
    Position pos;
};

void put(Message& m, const RunRequest& r);
RunRequest get_run_request(Message& m);
void put(Message& m, const RunResult& r);
RunResult get_run_result(Message& m);
void put(Message& m, const gdb::Status& s);
gdb::Status get_status(Message& m);

}  // namespace vmm::reverse
