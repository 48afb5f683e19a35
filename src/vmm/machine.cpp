#include "vmm/machine.h"

#include <atomic>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <xxhash.h>

#include "cpu/timer.h"
#include "vmm/board.h"
#include "vmm/disasm.h"
#include "vmm/record/journal.h"
#include "vmm/trace_exits.h"

namespace vmm {

Machine::Machine(GuestRam ram, const MachineConfig& config, const BootPlan& plan)
    : ram_(std::move(ram)),
      config_(config),
      plan_(plan),
      uart_([this, out = config.serial ? Pl011::Sink([s = config.serial](uint8_t b) { s->write(b); })
                                       : Pl011::stdout_sink()](uint8_t b) {
          output_hash_ = (output_hash_ ^ b) * 0x100000001B3ull;  // FNV-1a
          out(b);
      }),
      serial_port_(uart_, config.serial),
      rtc_(config.rtc_base, [this] { return vm_clock(); }, cpu::kCounterFrequencyHz),
      bus_(config.log),
      dma_(ram_, [this](uint64_t gpa, uint64_t size) { vm_->memory_written(gpa, size); }) {}

kvm::Result<std::unique_ptr<Machine>> Machine::create(const MachineConfig& config,
                                                      const BootPlan& plan) {
    auto ram = GuestRam::create(board::kRamBase, config.ram_size);
    if (!ram) return ram.error();
    std::unique_ptr<Machine> m(new Machine(std::move(ram.value()), config, plan));
    if (auto r = m->build(); !r) return r.error();
    return m;
}

kvm::Result<void> Machine::build() {
    auto vm = kvm::Vm::create();
    if (!vm) return vm.error();
    vm_ = std::move(vm.value());

    kvm::UserMemoryRegion region;
    region.slot = board::kRamSlot;
    region.guest_phys_addr = ram_.range().base;
    region.memory_size = ram_.range().size;
    region.userspace_addr = ram_.host();
    if (auto r = vm_->set_user_memory_region(region); !r) return r.error();
    if (auto r = bus_.insert(serial_port_, board::kUartBase, board::kUartSize); !r)
        return r.error();
    if (auto r = bus_.insert(rtc_, board::kRtcBase, board::kRtcSize); !r) return r.error();

    // The model's MIDR, REVIDR and AIDR need this before any vcpu exists.
    kvm::EnableCap imp_ids;
    imp_ids.cap = kvm::Cap::ArmWritableImpIdRegs;
    if (auto r = vm_->enable_cap(imp_ids); !r) return r.error();
    kvm::EnableCap jit;
    jit.cap = kvm::Cap::Jit;
    jit.args[0] = config_.jit;
    if (auto r = vm_->enable_cap(jit); !r) return r.error();
    for (unsigned i = 0; i < config_.smp; ++i) {
        auto vcpu = vm_->create_vcpu(i);
        if (!vcpu) return vcpu.error();
        vcpus_.push_back(vcpu.value());
    }
    // The in-kernel GIC the device tree describes, created after the vcpus
    // (KVM's order); the PL011's UARTINTR drives SPI 1.
    kvm::Vm::VgicAddrs gic;
    gic.model = config_.gic_version == 2 ? kvm::Vm::VgicModel::V2 : kvm::Vm::VgicModel::V3;
    gic.dist = board::kGicDistBase;
    gic.redist = board::kGicRedistBase;
    gic.cpu = board::kGicCpuIfBase;
    if (auto r = vm_->create_vgic(gic); !r) return r.error();
    uart_.connect_irq([vm = vm_.get()](bool level) {
        // INTID 33 is in range by construction; irq_line cannot fail here.
        (void)vm->irq_line(32 + board::kUartSpi, level);
    });
    rtc_.connect_irq([vm = vm_.get()](bool level) {
        (void)vm->irq_line(32 + board::kRtcSpi, level);  // INTID 34, as the UART's
    });
    if (config_.journal) {
        // A kick (input came) must not end a WFI: the journal takes the
        // input where a replay's stop by count leaves the vcpu, halted.
        kvm::EnableCap keep;
        keep.cap = kvm::Cap::KickKeepsHalt;
        keep.args[0] = 1;
        if (auto r = vm_->enable_cap(keep); !r) return r.error();
        config_.journal->attach(*this);
        serial_port_.set_gated(true);
    }
    if (auto r = add_virtio(); !r) return r;
    set_trace_exits(config_.trace_exits);
    if (config_.trace_insns)
        insn_tracer_ = std::make_unique<InsnTracer>(ram_, config_.trace, vcpus_.size());
    if (auto r = load_and_reset_vcpu(); !r) return r;
    return apply_cpu_model(*vcpus_[0], *config_.cpu);  // per VM: one vcpu writes them
}

kvm::Result<void> Machine::add_virtio() {
    using namespace board;
    static_assert(1'000'000'000 % cpu::kCounterFrequencyHz == 0);
    virtio_host_.guest_ns = [this] {
        return vm_clock() * (1'000'000'000 / cpu::kCounterFrequencyHz);
    };
    virtio_host_.kick = [kicks = immediate_exits()] {
        for (uint8_t* k : kicks) std::atomic_ref<uint8_t>(*k).store(1, std::memory_order_release);
    };
    if (config_.virtio.size() > kVirtioCount)
        return kvm::Error{fmt::format("{} virtio devices (at most {})", config_.virtio.size(),
                                      kVirtioCount)};
    std::vector<std::unique_ptr<virtio::Device>> devs(kVirtioCount);
    for (unsigned k = 0; k < config_.virtio.size(); ++k) {
        auto dev = config_.virtio[k]();
        if (!dev) return dev.error();
        dev.value()->connect(virtio_host_);
        devs[virtio_transport_for(k)] = std::move(dev.value());
    }
    for (unsigned i = 0; i < kVirtioCount; ++i) {
        const uint64_t base = kVirtioBase + i * kVirtioStride;
        auto irq = [vm = vm_.get(), intid = 32 + kVirtioSpi + i](bool level) {
            (void)vm->irq_line(intid, level);  // INTID 48..79, in range by construction
        };
        virtio_.push_back(std::make_unique<virtio::MmioTransport>(dma_, std::move(devs[i]), base,
                                                                  irq, config_.log));
        if (auto r = bus_.insert(*virtio_.back(), base, kVirtioStride); !r) return r.error();
    }
    return {};
}

kvm::Result<void> Machine::load_and_reset_vcpu() {
    // Written behind the guest's back: the hypervisor must forget any code it
    // decoded from these ranges. RAM outside the chunks keeps its contents
    // across a reset, as on QEMU.
    for (const LoadChunk& c : plan_.chunks) {
        auto dst = ram_.slice(c.range());
        if (!c.bytes.empty())  // a BSS-only segment has no bytes (and no data pointer)
            std::memcpy(dst.data(), c.bytes.data(), c.bytes.size());
        std::memset(dst.data() + c.bytes.size(), 0, c.zero_fill);
        vm_->memory_written(c.gpa, c.range().size);
    }
    // The secondaries wait powered off for PSCI CPU_ON, as on QEMU virt.
    for (size_t i = 1; i < vcpus_.size(); ++i) {
        kvm::VcpuInit init;
        init.features[0] = 1u << kvm::vcpu_feature::kPsci0_2 | 1u << kvm::vcpu_feature::kPowerOff;
        if (auto r = vcpus_[i]->init(init); !r) return r.error();
    }
    kvm::Vcpu& boot = *vcpus_[0];
    kvm::VcpuInit init;
    init.features[0] = 1u << kvm::vcpu_feature::kPsci0_2;
    if (auto r = boot.init(init); !r) return r.error();
    if (auto r = boot.set_one_reg(kvm::reg::kPc, plan_.entry); !r) return r.error();
    // booting.rst: x0 = the DTB's address (0 for a bare-metal ELF), x1..x3 = 0.
    if (auto r = boot.set_one_reg(kvm::reg::x(0), plan_.x0); !r) return r.error();
    for (unsigned n = 1; n <= 3; ++n)
        if (auto r = boot.set_one_reg(kvm::reg::x(n), 0); !r) return r.error();
    if (auto r = boot.set_one_reg(kvm::reg::kPstate, kBootPstate); !r) return r.error();
    return {};
}

void Machine::on_exit(const hyp::ExitEvent& e) {
    if (config_.stats) stats_.add(e);
    if (config_.trace_exits)
        config_.trace(format_exit(e, disassemble_at(ram_, *vcpus_.at(e.vcpu), exit_insn_pc(e))));
}

std::unique_ptr<InputWaker> Machine::waker_for(int fd) {
    return std::make_unique<InputWaker>(fd, immediate_exits());
}

void Machine::set_trace_exits(bool on) {
    config_.trace_exits = on;
    if (config_.trace_exits || config_.stats)
        vm_->set_exit_trace([this](const hyp::ExitEvent& e) { on_exit(e); });
    else
        vm_->set_exit_trace({});
}

std::vector<uint8_t*> Machine::immediate_exits() const {
    std::vector<uint8_t*> kicks;
    for (kvm::Vcpu* v : vcpus_) kicks.push_back(&v->run_state().immediate_exit);
    return kicks;
}

uint64_t Machine::vm_clock() const {
    uint64_t now = 0;
    for (const kvm::Vcpu* v : vcpus_)
        if (auto c = v->get_one_reg(kvm::reg::kPtimerCnt)) now = std::max(now, c.value());
    return now;
}

uint64_t Machine::retired_insns() const {
    uint64_t n = 0;
    for (const kvm::Vcpu* v : vcpus_) n += v->retired_insns();  // counted from creation
    return n;
}

Position Machine::position() const {
    Position p;
    for (const kvm::Vcpu* v : vcpus_) {
        p.retired += v->retired_insns();
        p.entries += v->el1_entries();
    }
    return p;
}

void Machine::before_fork() { std::fflush(nullptr); }

void Machine::poll_devices() {
    for (auto& t : virtio_) t->poll();
}

void Machine::kick() {
    for (uint8_t* k : immediate_exits()) std::atomic_ref<uint8_t>(*k).store(1, std::memory_order_release);
}

void Machine::inject_serial_input(std::span<const uint8_t> bytes) {
    if (bytes.empty()) return;
    const bool waiting = vm_->waits_for_userspace();
    serial_port_.inject(bytes);
    if (waiting) vm_->end_waits();
}

void Machine::debugger_wrote() {
    if (config_.journal) config_.journal->detach_checks();
}

uint64_t Machine::state_hash() const {
    XXH3_state_t* st = XXH3_createState();
    XXH3_64bits_reset(st);
    XXH3_64bits_update(st, ram_.slice(ram_.range()).data(), ram_.range().size);
    auto add = [st](const auto& v) { XXH3_64bits_update(st, &v, sizeof v); };
    auto reg = [](const kvm::Vcpu* v, uint64_t id) {
        auto r = v->get_one_reg(id);
        return r ? r.value() : 0;
    };
    add(output_hash_);
    for (const kvm::Vcpu* v : vcpus_) {
        add(v->retired_insns());
        add(v->el1_entries());
        for (unsigned n = 0; n <= 30; ++n) add(reg(v, kvm::reg::x(n)));
        for (uint64_t id : {kvm::reg::kSp, kvm::reg::kPc, kvm::reg::kPstate, kvm::reg::kSpEl1,
                            kvm::reg::kElrEl1, kvm::reg::kSpsrEl1, kvm::reg::kFpsr, kvm::reg::kFpcr})
            add(reg(v, id));
        for (unsigned n = 0; n < 32; ++n) {
            uint8_t q[16] = {};
            (void)v->get_one_reg(kvm::reg::v(n), q);
            add(q);
        }
    }
    const uint64_t h = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    return h;
}


uint64_t Machine::retired_jit_insns() const {
    uint64_t n = 0;
    for (const kvm::Vcpu* v : vcpus_) n += v->retired_jit_insns();
    return n;
}

std::string Machine::stats_report() const {
    return config_.stats ? stats_.report(retired_insns(), retired_jit_insns()) : std::string();
}

StopInfo Machine::run(const RunControl& ctl) {
    // Host input kicks the vcpus out (immediate_exit) so that it reaches the
    // UART even while the guest waits in WFI. The watcher outlives one run:
    // a debugger runs the machine once per step.
    const std::vector<uint8_t*> kicks = immediate_exits();
    if (!serial_waker_ && config_.serial && config_.serial->input_fd() >= 0) {
        serial_waker_ = std::make_unique<InputWaker>(config_.serial->input_fd(), kicks);
        serial_port_.set_waker(serial_waker_.get());
    }
    record::Journal* journal = config_.journal.get();
    auto on_intr = [&] {
        bool kicked = false;
        for (uint8_t* k : kicks)
            kicked |= std::atomic_ref<uint8_t>(*k).exchange(0, std::memory_order_acq_rel) != 0;
        // Under a journal, outside input enters only where it says.
        if (journal) {
            if (kicked) journal->kicked();
            return;
        }
        serial_port_.pump();
        rtc_.sync();
        poll_devices();
    };
    // Instructions left to an absolute count; no count stays no limit.
    auto limit = [&](uint64_t at) {
        return at == kvm::Vcpu::kNoInsnLimit ? at : at - std::min(at, retired_insns());
    };
    for (;;) {
        LoopOptions opts;
        opts.insn_trace = insn_tracer_.get();
        opts.max_insns = std::min(limit(config_.max_insns), limit(ctl.until));
        if (journal) opts.max_insns = std::min(opts.max_insns, limit(journal->stop_at()));
        opts.debug_exits = ctl.debug_exits;
        // The console's quit ends the loop like a debugger's interrupt, and
        // so does the journal's wish to stop.
        opts.poll = [&] {
            return serial_port_.quit_requested() || (journal && journal->wants_stop()) ||
                   (ctl.poll && ctl.poll());
        };
        opts.slice = ctl.slice;
        const bool all = ctl.vcpus.empty();
        if (all && journal) opts.first = turn_;
        std::vector<kvm::Vcpu*> running;
        for (size_t i : ctl.vcpus) running.push_back(vcpus_.at(i));
        VcpuLoop loop(all ? vcpus_ : running, bus_, on_intr, opts);
        StopInfo info = loop.run();
        if (!all) info.vcpu = ctl.vcpus.at(info.vcpu);
        else turn_ = info.vcpu;
        if (info.reason == StopReason::Interrupted && serial_port_.quit_requested())
            info = {StopReason::Quit, "terminated from the console (Ctrl-A x)", info.vcpu};
        const uint64_t retired = retired_insns();
        if (journal && journal->at_stop(info, retired >= config_.max_insns || retired >= ctl.until))
            continue;
        if (info.reason == StopReason::InsnLimit)
            info.message = fmt::format("stopped after {} instructions", retired);
        if (info.reason != StopReason::Reset || !config_.reboot) {
            std::fflush(stdout);
            return info;
        }
        // SYSTEM_RESET: devices to their reset values, images reloaded, the
        // vcpus re-initialised (KVM_ARM_VCPU_INIT) and vcpu 0 started again.
        uart_.reset();
        rtc_.reset();
        for (auto& t : virtio_) t->reset();
        auto r = vm_->reset_vgic();
        if (r) r = load_and_reset_vcpu();
        if (insn_tracer_) insn_tracer_->drop_open_steps();
        if (!r) {
            std::fflush(stdout);
            return {StopReason::VmmError, fmt::format("reset failed: {}", r.error().message)};
        }
        ++resets_;
    }
}

}  // namespace vmm
