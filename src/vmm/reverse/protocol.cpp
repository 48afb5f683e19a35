#include "vmm/reverse/protocol.h"

namespace vmm::reverse {

void put(Message& m, const RunRequest& r) {
    m.put(uint32_t(r.actions.size()));
    for (const gdb::ResumeAction& a : r.actions)
        m.put(uint8_t(a.kind)).put(uint8_t(a.signal.has_value())).put(a.signal.value_or(0)).put(a.thread.value);
    m.put(uint8_t(r.step_irq_enter)).put(r.until).put(uint8_t(r.breakpoints)).put(r.output_floor);
}

RunRequest get_run_request(Message& m) {
    RunRequest r;
    const uint32_t n = m.get<uint32_t>();
    for (uint32_t i = 0; i < n && m.ok() && i < 64; ++i) {
        gdb::ResumeAction a{gdb::ResumeKind(m.get<uint8_t>()), std::nullopt, {}};
        const bool has_signal = m.get<uint8_t>();
        const uint8_t sig = m.get<uint8_t>();
        if (has_signal) a.signal = sig;
        a.thread.value = m.get<int64_t>();
        r.actions.push_back(a);
    }
    r.step_irq_enter = m.get<uint8_t>();
    r.until = m.get<uint64_t>();
    r.breakpoints = m.get<uint8_t>();
    r.output_floor = m.get<uint64_t>();
    return r;
}

void put(Message& m, const RunResult& r) {
    const gdb::StopReason& s = r.stop;
    m.put(uint8_t(s.kind)).put(s.signal).put(s.exit_code).put(s.thread).put(s.watch_addr);
    m.put_string(s.console);
    m.put(uint8_t(r.limit)).put(uint8_t(r.finished)).put(r.pos.retired).put(r.pos.entries);
    m.put(uint8_t(r.end.reason)).put_string(r.end.message).put(uint64_t(r.end.vcpu));
}

RunResult get_run_result(Message& m) {
    RunResult r;
    gdb::StopReason& s = r.stop;
    s.kind = gdb::StopKind(m.get<uint8_t>());
    s.signal = m.get<uint8_t>();
    s.exit_code = m.get<uint8_t>();
    s.thread = m.get<uint32_t>();
    s.watch_addr = m.get<uint64_t>();
    s.console = m.get_string();
    r.limit = m.get<uint8_t>();
    r.finished = m.get<uint8_t>();
    r.pos.retired = m.get<uint64_t>();
    r.pos.entries = m.get<uint64_t>();
    r.end.reason = StopReason(m.get<uint8_t>());
    r.end.message = m.get_string();
    r.end.vcpu = size_t(m.get<uint64_t>());
    return r;
}

void put(Message& m, const gdb::Status& s) {
    m.put(uint8_t(s ? 0xff : uint8_t(s.error())));
}

gdb::Status get_status(Message& m) {
    const uint8_t v = m.get<uint8_t>();
    if (!m.ok()) return gdb::TargetError::Failed;
    if (v == 0xff) return gdb::ok();
    return gdb::TargetError(v);
}

}  // namespace vmm::reverse
