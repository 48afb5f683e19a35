// What the stub needs from the machine it debugs. The VMM implements this;
// tests implement it with an array and a few fixed registers. Nothing here
// knows about KVM, vcpus' internals or sockets.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gdb/framing.h"
#include "gdb/packets.h"
#include "gdb/result.h"

namespace gdb {

// gdb's AArch64 register numbers: the order of org.gnu.gdb.aarch64.core.
namespace regnum {
inline constexpr unsigned kX0 = 0;   // x0..x30 are 0..30
inline constexpr unsigned kFp = 29;  // x29
inline constexpr unsigned kLr = 30;  // x30
inline constexpr unsigned kSp = 31;
inline constexpr unsigned kPc = 32;
inline constexpr unsigned kCpsr = 33;  // 32 bits wide
inline constexpr unsigned kCoreCount = 34;
// org.gnu.gdb.aarch64.fpu, when the target has it: v0..v31 (128 bits),
// fpsr, fpcr (32 bits), numbered as gdb's aarch64-fpu.xml and QEMU do.
inline constexpr unsigned kV0 = 34;  // v0..v31 are 34..65
inline constexpr unsigned kFpsr = 66;
inline constexpr unsigned kFpcr = 67;
inline constexpr unsigned kFpuEnd = 68;  // the first regnum after the fpu feature
}  // namespace regnum

// gdb's own signal numbers (include/gdb/signals.def), not the host's.
inline constexpr uint8_t kSigInt = 2;
inline constexpr uint8_t kSigTrap = 5;
inline constexpr uint8_t kSigKill = 9;

// Why a Target call failed; the stub turns each into a reply (stub.cpp).
enum class TargetError : uint8_t {
    Fault,        // memory not mapped / not accessible -> E0e
    Unsupported,  // this kind of breakpoint, register or command is not supported -> empty reply
    NoSlots,      // no hardware breakpoint/watchpoint left -> E1c
    BadRegister,  // register number not known -> E16
    BadThread,    // no such vcpu -> E16
    Unavailable,  // register exists but has no value now -> "xx.." in g/p
    Failed,       // anything else -> E05
};
const char* target_error_name(TargetError e);

using Status = Result<std::monostate, TargetError>;
inline Status ok() { return std::monostate{}; }

// A target-described register beyond the core set, e.g. a system register.
// regnum must be unique and after the core set and, when the target has
// it, the fpu feature (regnum::kFpuEnd); bitsize is 64.
struct ExtraRegister {
    std::string name;
    unsigned regnum;
};

// Which optional protocol features the target wants; they decide what
// qSupported advertises.
// A register's value: as many bytes as the register is wide, little-endian
// (target byte order), at most 16.
class RegisterValue {
public:
    static constexpr size_t kMaxBytes = 16;
    RegisterValue() = default;
    explicit RegisterValue(std::span<const uint8_t> bytes);
    // The low `bytes` bytes of `value`.
    static RegisterValue of(uint64_t value, size_t bytes);

    std::span<const uint8_t> bytes() const { return std::span(bytes_).first(size_); }
    // The low 64 bits, zero-extended.
    uint64_t u64() const;

private:
    std::array<uint8_t, kMaxBytes> bytes_{};
    size_t size_ = 0;
};

struct Capabilities {
    bool sw_breakpoints = true;  // swbreak+: stop replies say "swbreak"
    bool hw_breakpoints = true;  // hwbreak+: stop replies say "hwbreak"
    bool vcont = true;           // vContSupported+ and a vCont? answer
    bool target_xml = true;      // qXfer:features:read+ (without it gdb guesses the layout)
    bool no_ack_mode = true;     // QStartNoAckMode+
    size_t packet_size = kDefaultPacketSize;  // PacketSize=
    bool fpu = true;  // org.gnu.gdb.aarch64.fpu: v0-v31, fpsr, fpcr at regnums 34-67
    // ReverseStep+ and ReverseContinue+: bs and bc reach resume() as
    // ResumeKind::ReverseStep / ReverseContinue actions.
    bool reverse = false;
};

enum class StopKind : uint8_t {
    Signal,   // e.g. SIGINT after an interrupt, SIGTRAP after a step
    SwBreak,  // a software breakpoint (BRK) we inserted
    HwBreak,  // a hardware breakpoint
    Watch,    // write watchpoint at watch_addr
    ReadWatch,
    AccessWatch,
    Exited,  // guest powered off: exit_code
    Killed,  // terminated by signal
};

// Registers sent with the stop reply so gdb needs no round trip to show
// where it stopped.
struct Expedited {
    uint64_t pc = 0, sp = 0, fp = 0;
    uint32_t cpsr = 0;
};

struct StopReason {
    StopKind kind = StopKind::Signal;
    uint8_t signal = kSigTrap;      // the T signal; for Killed the X signal
    uint8_t exit_code = 0;          // Exited
    uint32_t thread = 1;            // vcpu that stopped (1-based)
    uint64_t watch_addr = 0;        // the data address for the watch kinds
    std::optional<Expedited> regs;  // if absent, the stub reads them
    // Reverse execution reached the start of the history ("replaylog:begin").
    bool history_begin = false;
    // Text for gdb's console, sent as an 'O' packet before the stop reply
    // (e.g. what `catch exception` caught); empty: none.
    std::string console{};
};

// Called by Target::wait_for_stop between guest quanta. True means gdb
// sent Ctrl-C (0x03) or disconnected: stop every vcpu and return a
// Signal/kSigInt stop.
using InterruptPoll = std::function<bool()>;

// Contract for every call: thread is a vcpu number 1..N as returned by
// threads(). Calls only come while the target is stopped, except
// request_interrupt().
class Target {
public:
    virtual ~Target() = default;

    virtual Capabilities capabilities() const = 0;
    // Extra registers for the target description; may be empty.
    virtual std::vector<ExtraRegister> extra_registers() const = 0;
    // vcpus as gdb threads: 1..N, at least one.
    virtual std::vector<uint32_t> threads() const = 0;

    // By gdb register number (regnum::* or an extra register). A value is
    // as wide as the register: cpsr, fpsr and fpcr 4 bytes, v0-v31 16, the
    // rest 8. The stub passes writes of exactly that size and refuses reads
    // of another.
    virtual Result<RegisterValue, TargetError> read_register(uint32_t thread, unsigned regnum) = 0;
    virtual Status write_register(uint32_t thread, unsigned regnum,
                                  std::span<const uint8_t> value) = 0;

    // Guest virtual addresses as the vcpu of the current thread sees them.
    // read_memory returns how many bytes it read (fewer than asked means it
    // stopped at a fault; a fault at the first byte is TargetError::Fault).
    // Ranges are never empty and never wrap past 2^64: the stub checks.
    virtual Result<size_t, TargetError> read_memory(uint32_t thread, uint64_t addr,
                                                    std::span<uint8_t> out) = 0;
    virtual Status write_memory(uint32_t thread, uint64_t addr, std::span<const uint8_t> data) = 0;

    // kind: 4 for an AArch64 breakpoint; the watched length for watchpoints.
    // TargetError::Unsupported and ::NoSlots are distinct answers.
    virtual Status insert_breakpoint(BreakpointType type, uint64_t addr, uint64_t kind) = 0;
    virtual Status remove_breakpoint(BreakpointType type, uint64_t addr, uint64_t kind) = 0;

    // Actions in gdb's order: for each vcpu the first action whose thread
    // matches applies (ThreadId::kAll matches every vcpu); a vcpu no action
    // matches stays stopped. Signals may be ignored by a VM.
    virtual Status resume(std::span<const ResumeAction> actions) = 0;
    // Block until some vcpu stops. Call poll() between guest quanta, at
    // least every few milliseconds of host time.
    virtual StopReason wait_for_stop(const InterruptPoll& poll) = 0;
    // Called from poll() when gdb asks to stop; a target that runs vcpus on
    // other threads can act on it at once. May be called from any thread.
    virtual void request_interrupt() = 0;

    virtual void kill() = 0;    // gdb "kill": power the VM off
    virtual void detach() = 0;  // gdb went away: clear breakpoints, let the guest run

    // "monitor ..." command; nullopt if the target has no monitor commands.
    virtual std::optional<std::string> monitor(std::string_view command) = 0;
};

}  // namespace gdb
