// The API objects: thin handles onto the hypervisor's VM and vcpus.
#include "kvm/kvm.h"

#include "hyp/kvm_host.h"

namespace kvm {

Vm::Vm() : kvm_(std::make_unique<hyp::Kvm>()) {}
Vm::~Vm() = default;

Result<std::unique_ptr<Vm>> Vm::create() { return std::unique_ptr<Vm>(new Vm()); }

Result<void> Vm::set_user_memory_region(const UserMemoryRegion& region) {
    return kvm_->set_memory_region(region);
}

Result<Vcpu*> Vm::create_vcpu(uint32_t id) {
    auto v = kvm_->create_vcpu(id);
    if (!v) return v.error();
    vcpus_.push_back(std::make_unique<Vcpu>(*v.value()));
    return vcpus_.back().get();
}

int64_t Vm::check_extension(Cap cap) const {
    switch (cap) {
    case Cap::UserMemory:
    case Cap::ImmediateExit:
    case Cap::ArmPsci02:
        return 1;
    case Cap::SetGuestDebug:
    case Cap::GuestDebugHwBps:
    case Cap::GuestDebugHwWps:
    case Cap::SetGuestDebug2:
        return 0;  // guest debug arrives with the single-step work
    }
    return 0;
}

void Vm::memory_written(uint64_t gpa, uint64_t size) { kvm_->memory_written(gpa, size); }

Vcpu::Vcpu(hyp::KvmVcpu& v) : v_(v) {}
Result<void> Vcpu::init(const VcpuInit& init) { return v_.init(init); }
Result<void> Vcpu::run() { return v_.run(); }
RunState& Vcpu::run_state() { return v_.run_state(); }
Result<uint64_t> Vcpu::get_one_reg(uint64_t id) const { return v_.get_one_reg(id); }
Result<void> Vcpu::set_one_reg(uint64_t id, uint64_t value) { return v_.set_one_reg(id, value); }

}  // namespace kvm
