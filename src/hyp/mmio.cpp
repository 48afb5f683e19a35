// Data aborts outside guest memory (Linux: arch/arm64/kvm/mmio.c).
#include <cstring>

#include "arch/bits.h"
#include "hyp/emulate.h"

namespace hyp {

namespace {

uint64_t bits_mask(unsigned len) { return len >= 8 ? ~0ull : (1ull << (len * 8)) - 1; }

// Loads Xt from a completed read as the syndrome said: sign- or
// zero-extended, and truncated to 32 bits unless SF.
void complete_mmio_read(KvmVcpu& v, uint64_t data, unsigned len) {
    data &= bits_mask(len);
    if (v.mmio_decode.sign_extend && len < 8) data = uint64_t(arch::sign_extend(data, len * 8));
    if (!v.mmio_decode.sixty_four) data &= 0xFFFFFFFFull;
    v.set_reg(v.mmio_decode.rt, data);
}

}  // namespace

// A stage-2 data abort outside every memslot. With a valid instruction
// syndrome (ISV) the access goes to userspace as an MMIO exit; without one
// (a pair, writeback, exclusive or atomic) the hypervisor cannot emulate it
// and reports ARM_NISV with the ISS and the faulting IPA.
ExitAction io_mem_abort(KvmVcpu& v) {
    const uint32_t iss = arch::esr_iss(vcpu_esr(v));
    auto& run = v.run_state();
    const uint64_t ipa = fault_ipa(v);
    if (!(iss & arch::dabt::kISV)) {
        run.exit_reason = kvm::ExitReason::ArmNisv;
        run.arm_nisv.esr_iss = iss;
        run.arm_nisv.fault_ipa = ipa;
        return ExitAction::ExitToUser;
    }
    const unsigned len = 1u << ((iss >> arch::dabt::kSasShift) & 3);
    const unsigned rt = (iss >> arch::dabt::kSrtShift) & 31;
    const bool is_write = iss & arch::dabt::kWnR;
    // How the load completes, here or on the next run() (kvm_handle_mmio_return).
    v.mmio_decode = {uint8_t(rt), (iss & arch::dabt::kSSE) != 0, (iss & arch::dabt::kSF) != 0};
    if (const KvmIoRange* r = v.kvm().io_bus().find(ipa, len)) {
        // In-kernel device (kvm_io_bus_read/write): emulated here, then the
        // instruction completes exactly as a userspace MMIO would.
        if (is_write) r->dev->write(v, ipa - r->base, len, v.get_reg(rt) & bits_mask(len));
        else complete_mmio_read(v, r->dev->read(v, ipa - r->base, len), len);
        skip_instr(v);
        return ExitAction::Resume;
    }
    run.exit_reason = kvm::ExitReason::Mmio;
    run.mmio.phys_addr = ipa;
    run.mmio.len = len;
    run.mmio.is_write = is_write;
    std::memset(run.mmio.data, 0, sizeof run.mmio.data);
    if (is_write) {
        const uint64_t data = v.get_reg(rt);
        std::memcpy(run.mmio.data, &data, len);  // little-endian guest
    }
    v.mmio_needed = true;
    return ExitAction::ExitToUser;
}

// Completes the access userspace answered (kvm_handle_mmio_return): a read
// loads Xt, sign- or zero-extended as the syndrome said; both directions then
// skip the instruction. Nothing else runs before this.
void handle_mmio_return(KvmVcpu& v) {
    const auto& run = v.run_state();
    if (!run.mmio.is_write) {
        uint64_t data = 0;
        std::memcpy(&data, run.mmio.data, run.mmio.len);
        complete_mmio_read(v, data, run.mmio.len);
    }
    skip_instr(v);
}

}  // namespace hyp
