// `run --gdb --reverse`: the machine as gdb sees it, with its history
// (docs/reverse.md). This process keeps the gdb session and the history;
// the machine runs in a machine process (engine.h), and checkpoints are
// copies of that process frozen at points of the history (fork: every
// byte of state, copy-on-write). Going back resumes a copy of the nearest
// checkpoint at or before the target and replays the history to it, with
// output already written held back.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vmm/gdb_target.h"
#include "vmm/reverse/channel.h"
#include "vmm/reverse/history.h"
#include "vmm/reverse/history_serial.h"
#include "vmm/reverse/protocol.h"

namespace vmm::reverse {

struct ReverseOptions {
    // The checkpoints' memory (their private pages) at most; the oldest
    // go first, and the history starts later.
    uint64_t memory_limit = uint64_t(2) << 30;
    // Live runs stop every this many instructions to see whether a
    // checkpoint is due, and take one when `period` of host time went by
    // since the last: a fork() and the copies on write after it cost about
    // 10 ms, so the run slows by 10 ms / period at most. Period 0: one at
    // every multiple of `interval` (--reverse-interval), steps included.
    uint64_t interval = uint64_t(1) << 24;
    std::chrono::milliseconds period{200};
};

class ReverseTarget : public SessionTarget {
public:
    // Forks the first machine process; `machine` stays here unrun, for the
    // thread list and the register layout.
    static kvm::Result<std::unique_ptr<ReverseTarget>> create(Machine& machine, GdbOptions opts,
                                                              ReverseOptions ropts,
                                                              HistorySerial* serial);
    ~ReverseTarget() override;

    gdb::Capabilities capabilities() const override;
    std::vector<gdb::ExtraRegister> extra_registers() const override { return local_.extra_registers(); }
    std::vector<uint32_t> threads() const override { return local_.threads(); }
    gdb::Result<gdb::RegisterValue, gdb::TargetError> read_register(uint32_t thread,
                                                                    unsigned regnum) override;
    gdb::Status write_register(uint32_t thread, unsigned regnum,
                               std::span<const uint8_t> value) override;
    gdb::Result<size_t, gdb::TargetError> read_memory(uint32_t thread, uint64_t addr,
                                                      std::span<uint8_t> out) override;
    gdb::Status write_memory(uint32_t thread, uint64_t addr, std::span<const uint8_t> data) override;
    gdb::Status insert_breakpoint(gdb::BreakpointType type, uint64_t addr, uint64_t kind) override;
    gdb::Status remove_breakpoint(gdb::BreakpointType type, uint64_t addr, uint64_t kind) override;
    gdb::Status resume(std::span<const gdb::ResumeAction> actions) override;
    gdb::StopReason wait_for_stop(const gdb::InterruptPoll& poll) override;
    void request_interrupt() override {}
    void kill() override;
    void detach() override;
    std::optional<std::string> monitor(std::string_view command) override;

    void begin_session(int wake_fd) override;
    bool resumed_once() const override { return resumed_once_; }
    bool killed() const override { return killed_; }
    const std::optional<StopInfo>& finished() const override { return finished_; }
    StopInfo run_detached(const std::function<bool()>& poll, int wake_fd) override;

private:
    struct Proc {
        pid_t pid = -1;
        Channel ch;
        Loc loc;
    };
    struct Breakpoint {
        gdb::BreakpointType type;
        uint64_t addr, kind;
        friend bool operator==(const Breakpoint&, const Breakpoint&) = default;
    };
    struct Hit {
        Loc at;  // where the machine stops for it
        gdb::StopReason stop;
    };

    ReverseTarget(Machine& machine, GdbOptions opts, ReverseOptions ropts)
        : local_(machine, opts), opts_(opts), ropts_(ropts) {}

    // The machine processes.
    kvm::Result<Message> call(Proc& p, const Message& m);
    kvm::Result<Proc> clone_of(Proc& p);
    void quit(Proc& p);
    kvm::Result<void> activate(Proc& from);
    void checkpoint();
    void enforce_memory_limit();
    uint64_t checkpoint_bytes() const;

    // Moving along the history.
    RunResult run(const RunRequest& req);
    RunResult run_item(const Item& it, uint64_t until, bool breakpoints);
    RunResult step_along(bool breakpoints);
    void normalize();
    gdb::Status write(const Item& it);
    gdb::Status apply_write(const Item& it);
    std::optional<gdb::StopReason> advance(const Loc& to, bool breakpoints);
    kvm::Result<void> go_to(const Loc& to);
    std::optional<Loc> loc_of_retired(uint64_t retired) const;
    Loc history_begin() const;
    void truncate_here();

    // gdb's resumes.
    gdb::StopReason live(bool breakpoints, uint64_t until = kvm::Vcpu::kNoInsnLimit);
    gdb::StopReason forward();
    gdb::StopReason reverse_step();
    gdb::StopReason reverse_continue();
    std::vector<Hit> hits_between(const Loc& from, const Loc& to, std::optional<Proc>& near);
    gdb::StopReason at_begin();
    gdb::StopReason failed(const std::string& why);
    gdb::StopReason outcome(const RunResult& r);
    std::string monitor_history() const;
    std::string monitor_goto(std::string_view arg);

    GdbTarget local_;  // this process's unrun machine: layout and threads only
    GdbOptions opts_;
    ReverseOptions ropts_;
    std::vector<Item> items_;
    Loc cur_;
    uint64_t output_floor_ = 0;  // the furthest retired count any run reached
    std::unique_ptr<Proc> active_;
    std::vector<Proc> checkpoints_;  // by Loc
    std::chrono::steady_clock::time_point last_checkpoint_{};
    size_t measured_at_ = 0;         // checkpoints_.size() at the last measurement
    uint64_t measured_bytes_ = 0;    // and what they held
    std::vector<Breakpoint> breakpoints_;
    std::vector<std::string> settings_;  // monitor commands a new machine process repeats
    std::vector<gdb::ResumeAction> pending_;
    const gdb::InterruptPoll* poll_ = nullptr;
    bool interrupted_ = false;
    bool resumed_once_ = false;
    bool killed_ = false;
    std::optional<StopInfo> finished_;
};

}  // namespace vmm::reverse
