// The API's data shapes, after Linux's include/uapi/linux/kvm.h and
// arch/arm64/include/uapi/asm/kvm.h. Header-only, like the UAPI headers the
// kernel's arch code includes: src/hyp fills these, userspace reads them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace kvm {

// exit_reason values keep KVM's numbers (KVM_EXIT_*).
enum class ExitReason : uint32_t {
    Unknown = 0,
    Debug = 4,
    Mmio = 6,
    FailEntry = 9,
    Intr = 10,
    InternalError = 17,
    SystemEvent = 24,
    ArmNisv = 28,
};
const char* exit_reason_name(ExitReason r);

// KVM_SYSTEM_EVENT_* types.
enum class SystemEventType : uint32_t { Shutdown = 1, Reset = 2, Crash = 3 };

// KVM_INTERNAL_ERROR_* suberrors; NoProgress is stepvisor's own.
enum class InternalError : uint32_t { Emulation = 1, NoProgress = 0x100 };

// struct kvm_run, less the union: every exit's payload has its own member.
struct RunState {
    // In: set by userspace before run().
    uint8_t immediate_exit = 0;
    // Out.
    ExitReason exit_reason = ExitReason::Unknown;

    struct Mmio {
        uint64_t phys_addr = 0;
        uint8_t data[8] = {};
        uint32_t len = 0;
        uint8_t is_write = 0;
    } mmio;
    struct SystemEvent {
        SystemEventType type = SystemEventType::Shutdown;
        uint32_t ndata = 0;
        uint64_t data[16] = {};
    } system_event;
    struct DebugArch {  // kvm_debug_exit_arch
        uint32_t hsr = 0;
        uint32_t hsr_high = 0;
        uint64_t far = 0;
        // stepvisor's own, with guestdbg::kCatchExceptions: the exception
        // this DEBUG exit reports. El1: the guest entered its EL1 vector
        // (nothing of the handler ran), esr = ESR_EL1 as written (0 for
        // IRQ/FIQ), elr = its preferred return address. El2: the hypervisor
        // handled a trap (PC is past it, its effect visible), esr = ESR_EL2,
        // elr = the trapped instruction, vector = its offset from VBAR_EL2.
        enum class Caught : uint8_t { None, El1, El2 } caught = Caught::None;
        uint64_t vector = 0;
        uint64_t esr = 0;
        uint64_t elr = 0;
    } debug;
    struct ArmNisv {
        uint64_t esr_iss = 0;
        uint64_t fault_ipa = 0;
    } arm_nisv;
    struct Internal {
        InternalError suberror = InternalError::Emulation;
        uint32_t ndata = 0;
        uint64_t data[16] = {};
        std::string description;  // one line for humans, naming the values
    } internal;
    struct FailEntry {
        uint64_t hardware_entry_failure_reason = 0;
        uint32_t cpu = 0;
    } fail_entry;
};

// KVM_GUESTDBG_* flags.
namespace guestdbg {
inline constexpr uint32_t kEnable = 0x00000001;
inline constexpr uint32_t kSingleStep = 0x00000002;
inline constexpr uint32_t kUseSwBp = 0x00010000;
inline constexpr uint32_t kUseHw = 0x00020000;
inline constexpr uint32_t kBlockIrq = 0x00100000;  // x86's flag, which arm64 lacks
// stepvisor's own (no KVM_GUESTDBG_* uses bit 24): a DEBUG exit after every
// exception entry to the guest's EL1 and after every trap the hypervisor
// handled, described in RunState::debug.caught (gdb's `catch exception`).
inline constexpr uint32_t kCatchExceptions = 1u << 24;
inline constexpr uint32_t kSupported =
    kEnable | kSingleStep | kUseSwBp | kUseHw | kBlockIrq | kCatchExceptions;
}  // namespace guestdbg

// struct kvm_guest_debug_arch: the debugger's hardware breakpoints and
// watchpoints (KVM_ARM_MAX_DBG_REGS = 16; check_extension says how many exist).
inline constexpr unsigned kMaxDbgRegs = 16;
struct GuestDebugArch {
    uint64_t dbg_bcr[kMaxDbgRegs] = {};
    uint64_t dbg_bvr[kMaxDbgRegs] = {};
    uint64_t dbg_wcr[kMaxDbgRegs] = {};
    uint64_t dbg_wvr[kMaxDbgRegs] = {};
};

// struct kvm_guest_debug
struct GuestDebugSettings {
    uint32_t control = 0;  // guestdbg flags
    GuestDebugArch arch;
};

// How a single step ends on a trapped, emulated instruction (DESIGN.md,
// "The single-step contract"), chosen per VM with Cap::StepStrategy.
enum class StepStrategy : uint32_t { StateMachine = 0, Exit = 1, Legacy = 2 };

// Cap::GicTrapClasses argument: which GICv3 CPU-interface register classes
// trap to EL2 (Linux's kvm-arm.vgic_v3_group0_trap, group1_trap, common_trap).
namespace gic_trap {
inline constexpr uint32_t kGroup0 = 1u << 0;
inline constexpr uint32_t kGroup1 = 1u << 1;
inline constexpr uint32_t kCommon = 1u << 2;
inline constexpr uint32_t kAll = kGroup0 | kGroup1 | kCommon;
}  // namespace gic_trap

// KVM_ARM_VCPU_* init features.
namespace vcpu_feature {
inline constexpr uint32_t kPowerOff = 0;
inline constexpr uint32_t kPsci0_2 = 2;
}  // namespace vcpu_feature

struct VcpuInit {
    uint32_t target = 0;
    uint32_t features[7] = {};
};

// KVM_MEM_* flags.
namespace mem_flags {
inline constexpr uint32_t kLogDirtyPages = 1u << 0;
inline constexpr uint32_t kReadonly = 1u << 1;
}  // namespace mem_flags

// struct kvm_userspace_memory_region; host memory as a pointer.
struct UserMemoryRegion {
    uint32_t slot = 0;
    uint32_t flags = 0;
    uint64_t guest_phys_addr = 0;
    uint64_t memory_size = 0;  // 0 deletes the slot
    uint8_t* userspace_addr = nullptr;
};

// KVM_CAP_* numbers used by check_extension and enable_cap. Numbers from
// 0x10000 up are stepvisor's own.
enum class Cap : uint32_t {
    UserMemory = 3,
    NrVcpus = 9,
    SetGuestDebug = 23,
    MaxVcpus = 66,
    OneReg = 70,
    ArmPsci = 87,
    ArmPsci02 = 102,
    GuestDebugHwBps = 119,
    GuestDebugHwWps = 120,
    ImmediateExit = 136,
    ArmVmIpaSize = 165,
    ArmNisvToUser = 177,
    SetGuestDebug2 = 195,  // returns the supported KVM_GUESTDBG_* mask
    ArmWritableImpIdRegs = 239,  // MIDR/REVIDR/AIDR writable; before any vcpu exists
    StepStrategy = 0x10000,    // args[0]: a StepStrategy
    GicTrapClasses = 0x10001,  // args[0]: gic_trap bits
    VcpuQuantum = 0x10002,     // args[0]: instructions per round-robin turn (> 0)
    SwBreakpoints = 0x10003,   // Vcpu::set_sw_breakpoints; returns how many a vcpu takes
    IdleClock = 0x10004,       // args[0]: an IdleClock
    Jit = 0x10005,             // args[0]: 1 = the translation tier, 0 = the interpreter
    // args[0]: 1 = a kick (immediate_exit) leaves a vcpu waiting in WFI
    // waiting, so the debugger's interrupt changes nothing the guest sees
    // (reverse execution); 0 (default) = the WFI completes, as a signal
    // ends kvm_vcpu_halt.
    KickKeepsHalt = 0x10006,
};

// What virtual time does while every vcpu waits (WFI) for a timer
// (Cap::IdleClock). Warp jumps to the deadline at once; RealTime waits for
// it on the host, as KVM's halt polling sleeps until the timer's hrtimer,
// so an idle guest's clock keeps pace with the wall clock (QEMU's -icount
// sleep=on). Runs without input see the same instructions and counter
// values either way; an input that ends a RealTime wait early (the VMM sets
// immediate_exit) finds the clock advanced by the host time waited.
// Paced waits as RealTime does, but an input that ends the wait early finds
// the clock where the wait began: the clock only ever moves by whole waits,
// to their deadlines, as under Warp, so a run recorded under Paced replays
// under Warp (record/journal.h).
enum class IdleClock : uint32_t { Warp = 0, RealTime = 1, Paced = 2 };

// Vcpu::set_sw_breakpoints' limit (Cap::SwBreakpoints).
inline constexpr uint32_t kMaxSwBreakpoints = 65536;

// struct kvm_enable_cap
struct EnableCap {
    Cap cap = Cap::UserMemory;
    uint32_t flags = 0;
    uint64_t args[4] = {};
};

// One-reg ids (Documentation/virt/kvm/api.rst, "ARM64 registers").
namespace reg {
inline constexpr uint64_t kArm64 = 0x6000000000000000ull;
// KVM_REG_SIZE: the value is 1 << field bytes (include/uapi/linux/kvm.h).
inline constexpr unsigned kSizeShift = 52;
inline constexpr uint64_t kSizeMask = 0x00F0000000000000ull;
inline constexpr uint64_t kSizeU32 = 0x0020000000000000ull;
inline constexpr uint64_t kSizeU64 = 0x0030000000000000ull;
inline constexpr uint64_t kSizeU128 = 0x0040000000000000ull;
constexpr size_t size_of(uint64_t id) { return size_t(1) << ((id & kSizeMask) >> kSizeShift); }
inline constexpr uint64_t kCore = 0x0010ull << 16;
inline constexpr uint64_t kSysreg = 0x0013ull << 16;
// Core registers: offset into struct kvm_regs in 32-bit words.
constexpr uint64_t core(unsigned word_offset) { return kArm64 | kSizeU64 | kCore | word_offset; }
constexpr uint64_t x(unsigned n) { return core(2 * n); }
inline constexpr uint64_t kSp = core(62);
inline constexpr uint64_t kPc = core(64);
inline constexpr uint64_t kPstate = core(66);
inline constexpr uint64_t kSpEl1 = core(68);
inline constexpr uint64_t kElrEl1 = core(70);
inline constexpr uint64_t kSpsrEl1 = core(72);
// struct kvm_regs.fp_regs (struct user_fpsimd_state, 16-byte aligned after
// spsr[5]): vregs[32] from word 0x54, then fpsr and fpcr. api.rst lists
// them as 0x6040 0000 0010 0054 + 4n, 0x6020 0000 0010 00d4 and ..00d5.
constexpr uint64_t v(unsigned n) { return kArm64 | kSizeU128 | kCore | (0x54 + 4 * n); }
inline constexpr uint64_t kFpsr = kArm64 | kSizeU32 | kCore | 0xD4;
inline constexpr uint64_t kFpcr = kArm64 | kSizeU32 | kCore | 0xD5;
// ARM64_SYS_REG(op0, op1, crn, crm, op2)
constexpr uint64_t sysreg(uint16_t packed) { return kArm64 | kSizeU64 | kSysreg | packed; }
constexpr uint64_t sysreg(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2) {
    return sysreg(uint16_t(op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2));
}
// The timer (asm/kvm.h): TIMER_CVAL and TIMER_CNT carry each other's
// encodings, a swap the UAPI keeps.
inline constexpr uint64_t kTimerCtl = sysreg(3, 3, 14, 3, 1);
inline constexpr uint64_t kTimerCval = sysreg(3, 3, 14, 0, 2);
inline constexpr uint64_t kTimerCnt = sysreg(3, 3, 14, 3, 2);
inline constexpr uint64_t kPtimerCtl = sysreg(3, 3, 14, 2, 1);
inline constexpr uint64_t kPtimerCval = sysreg(3, 3, 14, 2, 2);
inline constexpr uint64_t kPtimerCnt = sysreg(3, 3, 14, 0, 1);
// KVM_REG_ARM_DEMUX_ID_CCSIDR: CCSIDR_EL1 for a CSSELR_EL1 value (32 bits).
inline constexpr uint64_t kDemux = 0x0011ull << 16;
constexpr uint64_t ccsidr(unsigned csselr) { return kArm64 | kSizeU32 | kDemux | csselr; }
// Firmware pseudo-registers (KVM_REG_ARM_FW_REG) and bitmap feature
// firmware registers (KVM_REG_ARM_FW_FEAT_BMAP_REG); values in kvm::fw.
inline constexpr uint64_t kFw = 0x0014ull << 16;
inline constexpr uint64_t kFwFeatBmap = 0x0016ull << 16;
constexpr uint64_t fw(unsigned r) { return kArm64 | kSizeU64 | kFw | r; }
constexpr uint64_t fw_bmap(unsigned r) { return kArm64 | kSizeU64 | kFwFeatBmap | r; }
inline constexpr uint64_t kPsciVersion = fw(0);
inline constexpr uint64_t kSmcccArchWorkaround1 = fw(1);
inline constexpr uint64_t kSmcccArchWorkaround2 = fw(2);
inline constexpr uint64_t kSmcccArchWorkaround3 = fw(3);
// stepvisor's own bitmap (no KVM counterpart: KVM always offers SMCCC 1.1
// with PSCI 1.0+, and SYSTEM_RESET2 with PSCI 1.1): the services a VMM may
// withdraw to present another firmware, as KVM's STD_BMAP withdraws TRNG.
inline constexpr uint64_t kStepvisorFwBmap = fw_bmap(0xFF00);
}  // namespace reg

// Firmware pseudo-register values (include/uapi/asm/kvm.h).
namespace fw {
inline constexpr uint64_t kPsci0_2 = 0x00002, kPsci1_0 = 0x10000, kPsci1_1 = 0x10001;
inline constexpr uint64_t kWa1NotAvail = 0, kWa1Avail = 1, kWa1NotRequired = 2;
inline constexpr uint64_t kWa2NotAvail = 0, kWa2Unknown = 1, kWa2Avail = 2, kWa2NotRequired = 3;
inline constexpr uint64_t kWa3NotAvail = 0, kWa3Avail = 1, kWa3NotRequired = 2;
// kStepvisorFwBmap bits: SMCCC 1.1 (SMCCC_VERSION, SMCCC_ARCH_FEATURES and
// PSCI_FEATURES(SMCCC_VERSION)); PSCI SYSTEM_RESET2.
inline constexpr uint64_t kBmapSmccc1_1 = 1u << 0;
inline constexpr uint64_t kBmapSystemReset2 = 1u << 1;
inline constexpr uint64_t kFwBmapAll = kBmapSmccc1_1 | kBmapSystemReset2;
}  // namespace fw

}  // namespace kvm
