// The vcpu loop: run, answer the exit, repeat (after Firecracker's vcpu.rs).
// The exit handler is a free function so tests drive it with synthetic
// RunStates, no guest needed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kvm/kvm.h"
#include "vmm/bus.h"
#include "vmm/trace_insns.h"

namespace vmm {

// Why the VMM stopped the guest.
enum class StopReason {
    PoweredOff,  // PSCI SYSTEM_OFF: the guest finished
    Reset,       // PSCI SYSTEM_RESET: Machine reboots, or stops under --no-reboot
    GuestError,  // the guest cannot go on: no syndrome, no progress, crash
    VmmError,    // the VMM or the API failed or saw an exit it does not know
    InsnLimit,   // the vcpus retired the instructions --max-insns allows
    Debug,        // a DEBUG exit under LoopOptions::debug_exits: the debugger's to read
    Interrupted,  // LoopOptions::poll asked to stop (gdb's Ctrl-C)
    Quit,         // the person at the console quit (Ctrl-A x)
};

struct StopInfo {
    StopReason reason = StopReason::PoweredOff;
    std::string message;  // one line without "stepvisor: "; says what and names the values
    size_t vcpu = 0;      // index of the vcpu whose exit stopped the loop
    // The process exit status: 0 when the guest stopped itself or the user
    // quit, 1 when the VMM had to stop it.
    int exit_status() const {
        return reason == StopReason::PoweredOff || reason == StopReason::Reset ||
                       reason == StopReason::Quit
                   ? 0
                   : 1;
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
// Finished after. The debugger's stops (LoopOptions::debug_exits, poll)
// finish a loop too; the next resume runs a new one.
enum class VcpuState { Running, Finished };

struct LoopOptions {
    // Instructions all vcpus together may retire in this loop; then it stops
    // with InsnLimit, exactly there (Vcpu::set_insn_limit).
    uint64_t max_insns = kvm::Vcpu::kNoInsnLimit;
    // --trace insns: every vcpu runs one instruction per run().
    InsnTracer* insn_trace = nullptr;
    // The debugger's run: a DEBUG exit stops the loop (StopReason::Debug)
    // instead of being an error.
    bool debug_exits = false;
    // Called after every INTR, and every `slice` instructions at the most;
    // true stops the loop with StopReason::Interrupted.
    std::function<bool()> poll;
    uint64_t slice = kvm::Vcpu::kNoInsnLimit;
    // The vcpu (an index into the loop's) that runs first.
    size_t first = 0;
};

// Runs the vcpus in turn in this thread, deterministically: a vcpu keeps
// running until run() returns INTR with yielded() (its quantum ran out, or
// it waits while another vcpu could run), then the next one runs. Userspace
// exits (MMIO, SYSTEM_EVENT) are answered per vcpu.
class VcpuLoop {
public:
    // on_intr runs after every INTR exit: it clears a kick (immediate_exit)
    // and does what it was for.
    VcpuLoop(std::vector<kvm::Vcpu*> vcpus, MmioBus& bus, std::function<void()> on_intr = {},
             LoopOptions opts = {})
        : vcpus_(std::move(vcpus)), bus_(bus), on_intr_(std::move(on_intr)), opts_(opts) {}
    VcpuLoop(kvm::Vcpu& vcpu, MmioBus& bus, std::function<void()> on_intr = {})
        : VcpuLoop(std::vector<kvm::Vcpu*>{&vcpu}, bus, std::move(on_intr)) {}
    // Runs until the guest stops; the state is then Finished.
    StopInfo run();
    VcpuState state() const { return state_; }

private:
    uint64_t retired() const;
    // The instruction limit for vcpu i's next run(), given `done` so far.
    uint64_t limit_for(size_t i, uint64_t done);

    std::vector<kvm::Vcpu*> vcpus_;
    MmioBus& bus_;
    std::function<void()> on_intr_;
    LoopOptions opts_;
    VcpuState state_ = VcpuState::Running;
};

}  // namespace vmm
