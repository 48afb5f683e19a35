// The vcpu loop: run, answer the exit, repeat (after Firecracker's vcpu.rs).
// The exit handler is a free function so tests drive it with synthetic
// RunStates, no guest needed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "kvm/kvm.h"
#include "vmm/bus.h"

namespace vmm {

// Why the VMM stopped the guest.
enum class StopReason {
    PoweredOff,  // PSCI SYSTEM_OFF: the guest finished
    Reset,       // PSCI SYSTEM_RESET: Machine reboots, or stops under --no-reboot
    GuestError,  // the guest cannot go on: no syndrome, no progress, crash
    VmmError,    // the VMM or the API failed or saw an exit it does not know
};

struct StopInfo {
    StopReason reason = StopReason::PoweredOff;
    std::string message;  // one line without "stepvisor: "; says what and names the values
    // The process exit status: 0 when the guest stopped itself, 1 when the VMM
    // had to stop it.
    int exit_status() const {
        return reason == StopReason::PoweredOff || reason == StopReason::Reset ? 0 : 1;
    }
};

// handle_exit's contract: Resume means the RunState is completed (MMIO read
// data filled in) and the vcpu may run again; Stop means it must not, and
// stop says why.
struct ExitOutcome {
    enum class Action { Resume, Stop } action = Action::Resume;
    StopInfo stop;
};

struct ExitContext {
    MmioBus& bus;
    // The guest PC, for messages; read only when a message needs it.
    std::function<uint64_t()> pc;
};

ExitOutcome handle_exit(kvm::RunState& run, ExitContext& ctx);

// The loop as a small state machine: Running until an exit stops it,
// Finished after. Paused is for the debugger (a later issue).
enum class VcpuState { Running, Paused, Finished };

class VcpuLoop {
public:
    // on_intr runs after every INTR exit (userspace kicked the vcpu out with
    // immediate_exit): it clears the request and does what it was for.
    VcpuLoop(kvm::Vcpu& vcpu, MmioBus& bus, std::function<void()> on_intr = {})
        : vcpu_(vcpu), bus_(bus), on_intr_(std::move(on_intr)) {}
    // Runs until the guest stops; the state is then Finished.
    StopInfo run();
    VcpuState state() const { return state_; }

private:
    kvm::Vcpu& vcpu_;
    MmioBus& bus_;
    std::function<void()> on_intr_;
    VcpuState state_ = VcpuState::Running;
};

}  // namespace vmm
