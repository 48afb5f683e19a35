// The dispatcher: one packet in, one reply out. A prefix -> handler table
// picks the handler; each handler calls its family's parser and the Target.
// Unknown packets get the empty reply, which tells gdb the packet is not
// supported ("Overview").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gdb/registers.h"
#include "gdb/result.h"
#include "gdb/stop_reply.h"
#include "gdb/target.h"

namespace gdb {

struct Reply {
    std::optional<std::string> payload;                      // nullopt: send nothing ('k')
    enum class After { Nothing, StartNoAck, Detach, Kill };  // what the session does next
    After after = After::Nothing;
    // Packets sent before payload: console output ('O') ahead of a stop reply.
    std::vector<std::string> before{};
};

inline constexpr size_t kMinPacketSize = 256;

class Stub {
public:
    // Fails if the target's extra registers cannot be described.
    static Result<Stub> create(Target& target);

    // Handle one decoded packet. Resuming packets block in
    // Target::wait_for_stop, which calls `poll` between guest quanta.
    Reply handle(std::string_view packet, const InterruptPoll& poll = {});

    // A new connection: forget what the last gdb negotiated (qSupported's
    // features, Hg/Hc threads); `?` reports `stopped`, where the guest is.
    void begin_session(const StopReason& stopped);

    // The last malformed packet's error, for logs and tests.
    const std::string& last_error() const { return last_error_; }
    const Capabilities& capabilities() const { return caps_; }
    const std::string& target_xml() const { return xml_; }
    Target& target() { return *target_; }

private:
    using Handler = Reply (Stub::*)(std::string_view packet);
    struct Entry {
        std::string_view prefix;
        bool exact;  // the packet must equal prefix
        Handler handler;
    };
    static const Entry* lookup(std::string_view packet);

    Stub(Target& target, RegisterMap regs);

    // Shared reply shapes (stub.cpp).
    Reply malformed(const Error& e);
    static Reply error(TargetError e);
    static Reply okay();
    static Reply empty();
    uint32_t resolve(ThreadId t) const;  // -1/0 -> the thread that last stopped
    bool thread_exists(uint32_t thread) const;

    // stub_registers.cpp
    Reply read_registers(std::string_view);
    Reply write_registers(std::string_view);
    Reply read_register(std::string_view);
    Reply write_register(std::string_view);
    Result<std::string, TargetError> register_hex(uint32_t thread, const RegisterInfo& r);

    // stub_memory.cpp
    Reply read_memory(std::string_view);
    Reply write_memory_hex(std::string_view);
    Reply write_memory_binary(std::string_view);
    Reply breakpoint(std::string_view);

    // stub_run.cpp
    Reply halt_reason(std::string_view);
    Reply resume(std::string_view);
    Reply reverse(std::string_view);
    Reply vcont_query(std::string_view);
    Reply vcont(std::string_view);
    Reply kill(std::string_view);
    Reply detach(std::string_view);
    Reply run_until_stop(std::span<const ResumeAction> actions);
    Reply stop_reply(StopReason reason);

    // stub_queries.cpp
    Reply supported(std::string_view);
    Reply xfer_features(std::string_view);
    Reply xfer_threads(std::string_view);
    Reply attached(std::string_view);
    Reply current_thread(std::string_view);
    Reply first_thread_info(std::string_view);
    Reply next_thread_info(std::string_view);
    Reply monitor(std::string_view);
    Reply start_no_ack(std::string_view);
    Reply must_reply_empty(std::string_view);
    Reply set_thread(std::string_view);
    Reply thread_alive(std::string_view);

    Target* target_;
    RegisterMap regs_;
    Capabilities caps_;
    std::string xml_;
    StopReplyOptions stop_opts_;
    ThreadId general_thread_{ThreadId::kAny};   // Hg: registers and memory
    ThreadId continue_thread_{ThreadId::kAll};  // Hc: c and s
    StopReason last_stop_;
    const InterruptPoll* poll_ = nullptr;  // valid during handle()
    std::string last_error_;
};

}  // namespace gdb
