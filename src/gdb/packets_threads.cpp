// Thread ids and H / T ("Packets"). We do not advertise multiprocess, so the
// "pPID.TID" form never comes and is malformed here.
#include "gdb/packet_fields.h"
#include "gdb/packets.h"

namespace gdb {

namespace {
// Thread ids are small (vcpu numbers); 32 bits leaves no room for sign games.
constexpr unsigned kThreadIdBits = 32;
}  // namespace

Result<ThreadId> parse_thread_id(std::string_view text) {
    if (text == "-1") return ThreadId{ThreadId::kAll};
    auto n = fields::number(text, "thread id", text, kThreadIdBits);
    if (!n) return n.error();
    return ThreadId{int64_t(n.value())};
}

Result<SetThread> parse_set_thread(std::string_view packet) {
    auto rest = fields::after_prefix(packet, "H");
    if (!rest) return rest.error();
    if (rest->empty() || ((*rest)[0] != 'g' && (*rest)[0] != 'c')) {
        return make_error(ErrorKind::Malformed, "expected Hg or Hc", packet);
    }
    auto t = parse_thread_id(rest->substr(1));
    if (!t) return make_error(t.error().kind, "thread id", packet);
    return SetThread{(*rest)[0], t.value()};
}

Result<ThreadAlive> parse_thread_alive(std::string_view packet) {
    auto rest = fields::after_prefix(packet, "T");
    if (!rest) return rest.error();
    auto t = parse_thread_id(*rest);
    if (!t) return make_error(t.error().kind, "thread id", packet);
    return ThreadAlive{t.value()};
}

}  // namespace gdb
