// Typed requests, one parser per packet family (packets_*.cpp). Each parser
// takes the whole packet as framing delivered it (escapes and run-length
// already undone) and rejects anything malformed with an Error naming it.
// GDB manual, appendix "Remote Protocol": "Packets", "Stop Reply Packets",
// "General Query Packets".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gdb/result.h"

namespace gdb {

// gdb thread ids as hex, plus -1 (all threads) and 0 (any thread). vcpus
// are threads 1..N.
struct ThreadId {
    int64_t value = 0;
    static constexpr int64_t kAll = -1;
    static constexpr int64_t kAny = 0;
    bool all() const { return value == kAll; }
    bool any() const { return value == kAny; }
    friend bool operator==(ThreadId, ThreadId) = default;
};
Result<ThreadId> parse_thread_id(std::string_view text);

// Packets with no arguments: the packet must be exactly `name`.
Result<std::monostate> parse_exact(std::string_view packet, std::string_view name);

// --- registers (packets_registers.cpp) -----------------------------------
struct WriteRegisters {
    std::vector<uint8_t> bytes;
};  // G
struct ReadRegister {
    unsigned regnum;
};  // p n
struct WriteRegister {
    unsigned regnum;
    std::vector<uint8_t> bytes;
};  // P n=r
Result<WriteRegisters> parse_write_registers(std::string_view packet);
Result<ReadRegister> parse_read_register(std::string_view packet);
Result<WriteRegister> parse_write_register(std::string_view packet);

// --- memory (packets_memory.cpp) -----------------------------------------
struct MemoryRead {
    uint64_t addr;
    uint64_t length;
};  // m
struct MemoryWrite {
    uint64_t addr;
    std::vector<uint8_t> bytes;
};  // M and X
Result<MemoryRead> parse_memory_read(std::string_view packet);
Result<MemoryWrite> parse_memory_write_hex(std::string_view packet);     // M
Result<MemoryWrite> parse_memory_write_binary(std::string_view packet);  // X

// --- breakpoints (packets_breakpoints.cpp) -------------------------------
// Z/z type numbers ("Packets", Z type,addr,kind).
enum class BreakpointType : uint8_t {
    Software = 0,
    Hardware = 1,
    WriteWatch = 2,
    ReadWatch = 3,
    AccessWatch = 4,
};
const char* breakpoint_type_name(BreakpointType t);
struct Breakpoint {
    bool insert;  // Z inserts, z removes
    BreakpointType type;
    uint64_t addr;
    uint64_t kind;  // breakpoint: instruction size (4 on AArch64); watchpoint: bytes watched
};
Result<Breakpoint> parse_breakpoint(std::string_view packet);

// --- resume (packets_resume.cpp) -----------------------------------------
// ReverseStep and ReverseContinue: bs and bc, for a target with history.
enum class ResumeKind : uint8_t { Continue, Step, Stop, ReverseStep, ReverseContinue };
// c [addr], s [addr], C sig[;addr], S sig[;addr]
struct Resume {
    ResumeKind kind;
    std::optional<uint8_t> signal;
    std::optional<uint64_t> addr;
};
Result<Resume> parse_resume(std::string_view packet);
// One vCont action; thread is "all" when the action names none.
struct ResumeAction {
    ResumeKind kind;
    std::optional<uint8_t> signal;
    ThreadId thread{ThreadId::kAll};
    friend bool operator==(const ResumeAction&, const ResumeAction&) = default;
};
Result<std::vector<ResumeAction>> parse_vcont(std::string_view packet);

// --- threads (packets_threads.cpp) ---------------------------------------
struct SetThread {
    char op;
    ThreadId thread;
};  // H g|c thread
struct ThreadAlive {
    ThreadId thread;
};  // T thread
Result<SetThread> parse_set_thread(std::string_view packet);
Result<ThreadAlive> parse_thread_alive(std::string_view packet);

// --- queries (packets_queries.cpp) ---------------------------------------
// qSupported[:gdbfeature;...]: "name+", "name-", "name?" or "name=value".
struct Feature {
    std::string name;
    char state;         // '+', '-', '?' or '='
    std::string value;  // only for '='
};
struct Supported {
    std::vector<Feature> features;
};
Result<Supported> parse_supported(std::string_view packet);
// qXfer:object:read:annex:offset,length
struct XferRead {
    std::string object;
    std::string annex;
    uint64_t offset;
    uint64_t length;
};
Result<XferRead> parse_xfer_read(std::string_view packet);
// qRcmd,hex: the monitor command as text
struct MonitorCommand {
    std::string command;
};
Result<MonitorCommand> parse_monitor(std::string_view packet);
// qAttached or qAttached:pid
Result<std::monostate> parse_attached(std::string_view packet);

}  // namespace gdb
