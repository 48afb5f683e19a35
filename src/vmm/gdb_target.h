// The machine as gdb sees it (gdb::Target): vcpus are threads 1..N,
// registers through one_reg, memory through the guest's stage 1
// (Vcpu::translate) into RAM only, software breakpoints by address
// (Vcpu::set_sw_breakpoints: guest memory is never written) and the debug
// registers of KVM_SET_GUEST_DEBUG, and running through the VMM's own
// vcpu loop, so devices answer exactly as without gdb.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gdb/target.h"
#include "kvm/uapi.h"
#include "vmm/machine.h"

namespace vmm {

// What the debugger's stepping and `monitor` settings start as
// (`stepvisor run --step-strategy --step-irq`).
struct GdbOptions {
    kvm::StepStrategy step_strategy = kvm::StepStrategy::StateMachine;
    bool step_irq_enter = false;  // false: mask (BLOCKIRQ while stepping)
};

// What `run --gdb` needs of a target besides gdb's calls: sessions, and
// running the guest while no gdb is attached.
class SessionTarget : public gdb::Target {
public:
    // A new gdb connected: it starts as the last one started, with no
    // breakpoints, watchpoints or `monitor` settings (a gdb that vanished
    // could not remove its own); bytes from `wake_fd` (the connection) may
    // kick a vcpu asleep in WFI.
    virtual void begin_session(int wake_fd) = 0;
    // Whether any gdb has resumed the guest yet (--wait-gdb holds it until then).
    virtual bool resumed_once() const = 0;
    // After the session: whether gdb killed the guest, and how the guest
    // ended if it did while gdb watched.
    virtual bool killed() const = 0;
    virtual const std::optional<StopInfo>& finished() const = 0;
    // Runs the guest with no gdb attached until poll() says stop (then
    // StopReason::Interrupted) or the guest ends; wake_fd readable wakes
    // a vcpu asleep in WFI for the poll.
    virtual StopInfo run_detached(const std::function<bool()>& poll, int wake_fd) = 0;
};

class GdbTarget : public SessionTarget {
public:
    GdbTarget(Machine& machine, GdbOptions opts);

    gdb::Capabilities capabilities() const override { return {}; }
    std::vector<gdb::ExtraRegister> extra_registers() const override;
    std::vector<uint32_t> threads() const override;

    gdb::Result<gdb::RegisterValue, gdb::TargetError> read_register(uint32_t thread,
                                                                    unsigned regnum) override;
    gdb::Status write_register(uint32_t thread, unsigned regnum,
                               std::span<const uint8_t> value) override;
    gdb::Result<size_t, gdb::TargetError> read_memory(uint32_t thread, uint64_t addr,
                                                      std::span<uint8_t> out) override;
    gdb::Status write_memory(uint32_t thread, uint64_t addr,
                             std::span<const uint8_t> data) override;

    gdb::Status insert_breakpoint(gdb::BreakpointType type, uint64_t addr, uint64_t kind) override;
    gdb::Status remove_breakpoint(gdb::BreakpointType type, uint64_t addr, uint64_t kind) override;

    gdb::Status resume(std::span<const gdb::ResumeAction> actions) override;
    gdb::StopReason wait_for_stop(const gdb::InterruptPoll& poll) override;
    void request_interrupt() override {}

    void kill() override;
    void detach() override;
    std::optional<std::string> monitor(std::string_view command) override;

    bool killed() const override { return killed_; }
    const std::optional<StopInfo>& finished() const override { return finished_; }
    void begin_session(int wake_fd) override;
    bool resumed_once() const override { return resumed_once_; }
    StopInfo run_detached(const std::function<bool()>& poll, int wake_fd) override;

    // For reverse execution's machine processes (vmm/reverse/engine.h):
    // runs stop once the vcpus together retired `until` instructions since
    // creation (limit_reached() then says so); breakpoints and watchpoints
    // kept but not armed while suspended; the step-irq policy per run.
    void set_run_limit(uint64_t until) { until_ = until; }
    bool limit_reached() const { return limit_reached_; }
    void set_breakpoints_suspended(bool on);
    void set_step_irq_enter(bool enter) { opts_.step_irq_enter = enter; }
    bool step_irq_enter() const { return opts_.step_irq_enter; }

private:
    // A hardware breakpoint or watchpoint slot as gdb set it.
    struct Slot {
        bool used = false;
        gdb::BreakpointType type = gdb::BreakpointType::Hardware;
        uint64_t addr = 0, len = 0;
    };

    kvm::Vcpu* vcpu(uint32_t thread);
    // The IPA of addr under the memory mode, and whether it is RAM for len bytes.
    std::optional<uint64_t> ram_ipa(kvm::Vcpu& v, uint64_t addr, uint64_t len);
    uint8_t* host(uint64_t ipa) const;
    gdb::Status insert_sw(uint64_t addr);
    gdb::Status remove_sw(uint64_t addr);
    gdb::Status set_slot(std::vector<Slot>& slots, const Slot& want, bool insert);
    void remove_all_breakpoints();
    // Gives every vcpu the current software breakpoints, if they changed.
    kvm::Result<void> apply_sw_breakpoints();
    // KVM_SET_GUEST_DEBUG for vcpu i, only when it changes (a new setting
    // restarts the step state machine, docs/step-contract.md).
    kvm::Result<void> apply_guest_debug(size_t i, bool step);
    kvm::GuestDebugArch debug_registers() const;
    void rearm_waker();
    // wait_for_stop's runs, until a stop gdb is told of.
    gdb::StopReason run_to_stop(const gdb::InterruptPoll& poll);
    // A DEBUG exit as gdb's stop, or nullopt when it was the guest's own BRK
    // (re-injected) and the run goes on.
    std::optional<gdb::StopReason> classify_debug(size_t i);
    gdb::StopReason watch_stop(uint32_t thread, uint64_t far, bool write) const;
    gdb::StopReason finish(const StopInfo& info);
    // A kCatchExceptions DEBUG exit as a SIGTRAP stop with its description.
    gdb::StopReason caught_stop(size_t i, const kvm::RunState::DebugArch& d);

    std::string monitor_help() const;
    std::string monitor_step_strategy(std::string_view arg);
    std::string monitor_step_irq(std::string_view arg);
    std::string monitor_memory(std::string_view arg);
    std::string monitor_catch(std::string_view arg);

    Machine& machine_;
    GdbOptions opts_;
    bool physical_ = false;  // `monitor memory physical`
    std::set<uint64_t> sw_;    // software breakpoints, by the VA gdb gave
    bool sw_changed_ = false;  // since the vcpus were last given sw_
    std::vector<Slot> hw_bps_, watches_;
    std::vector<std::optional<kvm::GuestDebugSettings>> applied_;
    std::vector<size_t> running_;   // the vcpus resume() chose
    std::optional<size_t> stepping_;
    bool catch_ = false;              // `monitor catch exception`
    std::string last_exception_;      // `monitor last-exception`
    // The vcpu stopped on a caught exception while stepping: its next step
    // exit reports the pending step without running (Active-pending), which
    // gdb would see as a step that went nowhere; it is run through.
    std::vector<uint8_t> after_catch_;
    bool killed_ = false;
    bool resumed_once_ = false;
    uint64_t until_ = kvm::Vcpu::kNoInsnLimit;
    bool limit_reached_ = false;
    bool suspended_ = false;
    std::unique_ptr<InputWaker> waker_;  // begin_session's; kept for the session
    std::optional<StopInfo> finished_;
};

}  // namespace vmm
