// The machine: a VM with RAM, the userspace devices on their bus, the images
// of a BootPlan loaded and vcpu 0 at the entry point, ready to run; and
// reset, which reloads them as QEMU's system reset does.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cpu/cpu.h"
#include "kvm/kvm.h"
#include "vmm/boot.h"
#include "vmm/bus.h"
#include "vmm/cpu_models.h"
#include "vmm/exit_stats.h"
#include "vmm/guest_ram.h"
#include "vmm/input_waker.h"
#include "vmm/pl011.h"
#include "vmm/pl031.h"
#include "vmm/serial.h"
#include "vmm/virtio/dma.h"
#include "vmm/virtio/mmio.h"
#include "vmm/vcpu_loop.h"

namespace vmm::record {
class Journal;
}

namespace vmm {

struct MachineConfig {
    uint64_t ram_size = 0;  // from parse_memory_size
    // The GIC (2 or 3): the in-kernel vGIC and the device tree's node.
    unsigned gic_version = 3;
    // The CPU model (cpu_models.h): its ID registers and firmware answers,
    // written into the VM before it first runs.
    const CpuModel* cpu = &cpu_models().back();
    // PSCI SYSTEM_RESET reloads and restarts (QEMU's default); false stops
    // as QEMU's -no-reboot does.
    bool reboot = true;
    // Where the UART's bytes go and come from; none means stdout, no input.
    std::shared_ptr<SerialBackend> serial;
    // The PL031's count when the VM's clock reads 0 (parse_rtc_base).
    uint32_t rtc_base = 0;
    LogSink log = stderr_log();
    // The virtio devices, one factory each, made when the machine is built
    // (an error stops the build): device k on the transport QEMU would give
    // it (board::virtio_transport_for).
    using VirtioFactory = std::function<kvm::Result<std::unique_ptr<virtio::Device>>()>;
    std::vector<VirtioFactory> virtio;
    // vcpus (1..Kvm::kMaxVcpus): vcpu 0 boots the image, the others start
    // powered off until PSCI CPU_ON, MPIDR_EL1.Aff0 = index.
    unsigned smp = 1;
    // Stop (StopReason::InsnLimit) once the vcpus together retired this many
    // instructions since the machine was created, resets included.
    uint64_t max_insns = kvm::Vcpu::kNoInsnLimit;
    bool trace_exits = false;  // one line per exit to `trace`
    bool trace_insns = false;  // one line per instruction to `trace`
    bool stats = false;        // count exits for stats_report()
    // Cap::Jit: the vcpus run generated code (the translation tier).
    bool jit = cpu::Cpu::jit_supported();
    LogSink trace = stderr_log();
    // --record or replay (record/journal.h): outside input enters where the
    // journal says, and the run stops where it asks.
    std::shared_ptr<record::Journal> journal;
};

// How the debugger runs the machine (Machine::run): which vcpus, and the
// loop options that turn DEBUG exits and gdb's Ctrl-C into stops.
struct RunControl {
    std::vector<size_t> vcpus;  // indices; empty = all
    bool debug_exits = false;
    std::function<bool()> poll;
    uint64_t slice = kvm::Vcpu::kNoInsnLimit;
    // Stop (StopReason::InsnLimit) once the vcpus together retired this
    // many instructions since creation, exactly there (reverse execution).
    uint64_t until = kvm::Vcpu::kNoInsnLimit;
};

// A point of the run: the instructions all vcpus retired and the exception
// entries to EL1 they took. Every step moves one of the two, so within one
// history the pair names one state.
struct Position {
    uint64_t retired = 0, entries = 0;
    friend bool operator==(const Position&, const Position&) = default;
    // Both only grow, so their sum orders the points of one history.
    friend auto operator<=>(const Position& a, const Position& b) {
        return a.retired + a.entries <=> b.retired + b.entries;
    }
};

class Machine {
public:
    static kvm::Result<std::unique_ptr<Machine>> create(const MachineConfig& config,
                                                        const BootPlan& plan);
    // Runs the vcpus until the guest stops (after any number of resets).
    StopInfo run() { return run(RunControl{}); }
    // The same, for the debugger: StopInfo::vcpu is a machine vcpu index.
    StopInfo run(const RunControl& ctl);
    // How many times the guest was reset and reloaded.
    unsigned resets() const { return resets_; }

    // For tests and, later, the debugger.
    const GuestRam& ram() const { return ram_; }
    kvm::Vm& vm() { return *vm_; }
    const MachineConfig& config() const { return config_; }
    kvm::Vcpu& vcpu(size_t i = 0) { return *vcpus_.at(i); }
    size_t vcpu_count() const { return vcpus_.size(); }
    Pl011& uart() { return uart_; }
    // Transport i of board::kVirtioCount (at kVirtioBase + i * kVirtioStride).
    virtio::MmioTransport& virtio_transport(size_t i) { return *virtio_.at(i); }
    // Instructions all vcpus retired since creation, and those of them
    // generated code retired (Cap::Jit).
    uint64_t retired_insns() const;
    uint64_t retired_jit_insns() const;
    Position position() const;
    // Before fork() (reverse execution's checkpoints): buffered output is
    // written, so that only one process writes it.
    void before_fork();
    // `--stats`: the exit table (config.stats), empty otherwise.
    std::string stats_report() const;
    // Kicks every vcpu out of run() when fd polls readable (InputWaker), so
    // RunControl::poll runs even while the guest sleeps in WFI. It must not
    // outlive the machine.
    std::unique_ptr<InputWaker> waker_for(int fd);
    // A hash of the machine state: RAM, every vcpu's registers, counts
    // included, and all the UART has sent (record/replay's divergence check).
    uint64_t state_hash() const;
    // Every vcpu waits (WFI, or is off), the clock short of the next timer
    // deadline (kvm::Vm::waits_for_userspace).
    bool waits_for_userspace() { return vm_->waits_for_userspace(); }
    // The journal's serial input: what the host has now, and into the UART.
    bool take_serial_input(std::vector<uint8_t>& out) { return serial_port_.take_input(out); }
    // A vcpu waiting in WFI for userspace alone completes it, as it would
    // for a kick: the same rule recording and replaying.
    void inject_serial_input(std::span<const uint8_t> bytes);
    // Every vcpu out of run() soon, as input would.
    void kick();
    // The devices take in what waits outside (virtio::Device::poll): where
    // the journal says, under one.
    void poll_devices();
    // A debugger changed registers or memory: a replay goes on from a
    // state its recording never had, so its state checks stop.
    void debugger_wrote();
    // `monitor trace on|off`: exit trace lines to config.trace from now on.
    void set_trace_exits(bool on);

private:
    Machine(GuestRam ram, const MachineConfig& config, const BootPlan& plan);
    kvm::Result<void> build();
    kvm::Result<void> add_virtio();
    // Images into RAM and the vcpus to their boot state: at creation and on reset.
    kvm::Result<void> load_and_reset_vcpu();
    void on_exit(const hyp::ExitEvent& e);
    // Every vcpu's RunState::immediate_exit: a kick sets them all.
    std::vector<uint8_t*> immediate_exits() const;
    // The VM's system counter: the furthest vcpu's physical count (at an
    // exit, the one that exits; KVM_REG_ARM_PTIMER_CNT).
    uint64_t vm_clock() const;

    // Declared before vm_: the VM maps this memory and must go first.
    GuestRam ram_;
    MachineConfig config_;
    BootPlan plan_;
    Pl011 uart_;
    SerialPort serial_port_;
    Pl031 rtc_;
    MmioBus bus_;
    virtio::Dma dma_;
    virtio::Host virtio_host_;
    std::unique_ptr<kvm::Vm> vm_;
    std::vector<kvm::Vcpu*> vcpus_;
    // After vm_: a device's thread may kick the vcpus, so the devices go first.
    std::vector<std::unique_ptr<virtio::MmioTransport>> virtio_;
    ExitStats stats_;
    std::unique_ptr<InsnTracer> insn_tracer_;
    unsigned resets_ = 0;
    // FNV-1a of every byte the UART sent, for state_hash: output a replay
    // got wrong differs even where RAM and registers forgot it.
    uint64_t output_hash_ = 0xCBF29CE484222325ull;
    // The vcpu whose turn a stop by count or a kick interrupted: the next
    // run goes on with it, so that cutting a run changes nothing.
    size_t turn_ = 0;
    // Last: its thread writes the vcpus' immediate_exit and must stop first.
    std::unique_ptr<InputWaker> serial_waker_;
};

}  // namespace vmm
