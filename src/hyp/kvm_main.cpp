// VM-wide state: memslots and vcpus (Linux: virt/kvm/kvm_main.c).
#include <algorithm>

#include <fmt/format.h>

#include "hyp/kvm_host.h"

namespace hyp {

namespace {
constexpr uint64_t kPageSize = 4096;
constexpr uint64_t kIpaLimit = 1ull << 48;  // ID_AA64MMFR0_EL1.PARange: 48 bits

Result<void> check_region(const kvm::UserMemoryRegion& r) {
    if (r.guest_phys_addr % kPageSize || r.memory_size % kPageSize)
        return Error{fmt::format("memory slot {}: address {:#x} or size {:#x} not 4 KiB aligned",
                                 r.slot, r.guest_phys_addr, r.memory_size)};
    if (r.memory_size && !r.userspace_addr)
        return Error{fmt::format("memory slot {}: no host memory", r.slot)};
    if (r.memory_size > kIpaLimit || r.guest_phys_addr > kIpaLimit - r.memory_size)
        return Error{fmt::format("memory slot {}: {:#x}+{:#x} exceeds the 48-bit IPA space",
                                 r.slot, r.guest_phys_addr, r.memory_size)};
    if (r.flags & ~(kvm::mem_flags::kReadonly | kvm::mem_flags::kLogDirtyPages))
        return Error{fmt::format("memory slot {}: unknown flags {:#x}", r.slot, r.flags)};
    return {};
}
}  // namespace

Result<void> Kvm::set_memory_region(const kvm::UserMemoryRegion& r) {
    if (r.slot >= kMaxMemslots)
        return Error{fmt::format("memory slot {} out of range (max {})", r.slot, kMaxMemslots - 1)};
    if (auto ok = check_region(r); !ok) return ok;
    for (unsigned i = 0; i < kMaxMemslots; ++i) {
        const auto& o = slots_[i];
        if (i == r.slot || !o || !r.memory_size) continue;
        if (r.guest_phys_addr < o->guest_phys_addr + o->memory_size &&
            o->guest_phys_addr < r.guest_phys_addr + r.memory_size)
            return Error{fmt::format("memory slot {} at {:#x}+{:#x} overlaps slot {}", r.slot,
                                     r.guest_phys_addr, r.memory_size, i)};
    }
    if (r.memory_size) slots_[r.slot] = r;
    else slots_[r.slot].reset();

    stage2_.clear();
    for (const auto& s : slots_)
        if (s)
            stage2_.push_back({s->guest_phys_addr, s->memory_size, s->userspace_addr,
                               !(s->flags & kvm::mem_flags::kReadonly)});
    for (auto& v : vcpus_) {
        v->cpu().stage2().set_regions(stage2_);
        v->cpu().invalidate_all_code();
    }
    return {};
}

Result<KvmVcpu*> Kvm::create_vcpu(uint32_t id) {
    if (id >= kMaxVcpus) return Error{fmt::format("vcpu id {} out of range (max {})", id, kMaxVcpus - 1)};
    for (auto& v : vcpus_)
        if (v->id() == id) return Error{fmt::format("vcpu id {} already exists", id)};
    vcpus_.push_back(std::make_unique<KvmVcpu>(*this, id));
    KvmVcpu* v = vcpus_.back().get();
    v->cpu().stage2().set_regions(stage2_);
    // The vcpus form one Inner Shareable domain over one memory: broadcast
    // TLB maintenance reaches them all, and so does a write to code any of
    // them decoded.
    if (vcpus_.size() > 1) v->cpu().stage2().share_code_lines(vcpus_.front()->cpu().stage2());
    std::vector<cpu::Cpu*> pes;
    for (auto& u : vcpus_) pes.push_back(&u->cpu());
    for (auto& u : vcpus_) u->cpu().set_shareable_domain(pes);
    if (vcpus_.size() == 1) id_regs_ = host_id_regs_ = hyp::host_id_regs(v->cpu());
    v->cpu().set_jit(jit_);
    return v;
}

void Kvm::set_jit(bool on) {
    jit_ = on;
    for (auto& v : vcpus_) v->cpu().set_jit(on);
}

void Kvm::memory_written(uint64_t gpa, uint64_t size) {
    for (auto& v : vcpus_) v->cpu().invalidate_code(gpa, size);
}

// MPIDR_EL1's affinity fields Aff3..Aff0 (MPIDR_HWID_BITMASK).
constexpr uint64_t kMpidrHwidMask = 0xFF00FFFFFFull;

KvmVcpu* Kvm::vcpu_by_mpidr(uint64_t mpidr) const {
    for (auto& v : vcpus_)
        if ((v->cpu().state().el2.vmpidr & kMpidrHwidMask) == (mpidr & kMpidrHwidMask)) return v.get();
    return nullptr;
}

bool Kvm::other_runnable(const KvmVcpu& v) {
    for (auto& u : vcpus_)
        if (u.get() != &v && u->runnable()) return true;
    return false;
}

bool Kvm::waits_for_userspace() {
    for (auto& u : vcpus_)
        if (u->runnable()) return false;
    const uint64_t deadline = next_halt_deadline();
    return deadline == cpu::kNoTimerDeadline || deadline > now_;
}

uint64_t Kvm::next_halt_deadline() {
    uint64_t best = cpu::kNoTimerDeadline;
    for (auto& u : vcpus_) {
        if (!u->initialized || u->power_off || !u->halted) continue;
        u->sync_clock();
        best = std::min(best, u->cpu().next_timer_deadline());
    }
    return best;
}

}  // namespace hyp
