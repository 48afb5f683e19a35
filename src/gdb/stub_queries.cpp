// General queries and thread selection: qSupported, qXfer (target.xml and
// the thread list), qAttached, qC,
// qfThreadInfo / qsThreadInfo, qRcmd, QStartNoAckMode, vMustReplyEmpty,
// H and T.
#include <fmt/format.h>

#include "gdb/hex.h"
#include "gdb/stub.h"
#include "gdb/target_xml.h"

namespace gdb {

namespace {

bool gdb_offers(const Supported& s, std::string_view name) {
    for (const Feature& f : s.features) {
        if (f.name == name && f.state == '+') return true;
    }
    return false;
}

}  // namespace

// Advertise what the target's capabilities allow; remember what gdb
// offered, since swbreak/hwbreak stop reasons need both sides.
Reply Stub::supported(std::string_view packet) {
    auto req = parse_supported(packet);
    if (!req) return malformed(req.error());
    stop_opts_.swbreak = caps_.sw_breakpoints && gdb_offers(req.value(), "swbreak");
    stop_opts_.hwbreak = caps_.hw_breakpoints && gdb_offers(req.value(), "hwbreak");
    std::string reply = fmt::format("PacketSize={:x}", caps_.packet_size);
    struct Offer {
        bool on;
        const char* text;
    };
    const Offer offers[] = {
        {caps_.target_xml, ";qXfer:features:read+"},
        {true, ";qXfer:threads:read+"},
        {caps_.no_ack_mode, ";QStartNoAckMode+"},
        {caps_.sw_breakpoints, ";swbreak+"},
        {caps_.hw_breakpoints, ";hwbreak+"},
        {caps_.vcont, ";vContSupported+"},
        {caps_.reverse, ";ReverseStep+;ReverseContinue+"},
    };
    for (const Offer& o : offers) {
        if (o.on) reply += o.text;
    }
    return Reply{std::move(reply)};
}

Reply Stub::xfer_features(std::string_view packet) {
    if (!caps_.target_xml) return empty();
    auto req = parse_xfer_read(packet);
    if (!req) return malformed(req.error());
    // "General Query Packets", qXfer: E00 for an annex we do not have.
    if (req->annex != kTargetXmlAnnex) return Reply{"E00"};
    // One byte for the 'm'/'l' marker; XML has none of #$}* to escape.
    const uint64_t max = caps_.packet_size - 1;
    return Reply{xfer_chunk(xml_, req->offset, req->length < max ? req->length : max)};
}

// The vcpus as gdb's "Thread List Format": gdb asks after every stop, and
// one qXfer round trip replaces qfThreadInfo + qsThreadInfo.
Reply Stub::xfer_threads(std::string_view packet) {
    auto req = parse_xfer_read(packet);
    if (!req) return malformed(req.error());
    if (!req->annex.empty()) return Reply{"E00"};
    std::string doc = "<?xml version=\"1.0\"?>\n<threads>\n";
    for (uint32_t t : target_->threads()) {
        doc += fmt::format("<thread id=\"{}\" core=\"{}\"/>\n", hex_number(t), t - 1);
    }
    doc += "</threads>\n";
    const uint64_t max = caps_.packet_size - 1;
    return Reply{xfer_chunk(doc, req->offset, req->length < max ? req->length : max)};
}

// "1": we attached to a running machine, so gdb's quit detaches instead of
// killing the VM.
Reply Stub::attached(std::string_view packet) {
    auto req = parse_attached(packet);
    if (!req) return malformed(req.error());
    return Reply{"1"};
}

Reply Stub::current_thread(std::string_view) { return Reply{"QC" + hex_number(last_stop_.thread)}; }

// All vcpus fit one reply; qsThreadInfo then ends the list.
Reply Stub::first_thread_info(std::string_view) {
    std::string reply = "m";
    for (uint32_t t : target_->threads()) {
        if (reply.size() > 1) reply += ',';
        reply += hex_number(t);
    }
    return Reply{std::move(reply)};
}

Reply Stub::next_thread_info(std::string_view) { return Reply{"l"}; }

Reply Stub::monitor(std::string_view packet) {
    auto req = parse_monitor(packet);
    if (!req) return malformed(req.error());
    const auto out = target_->monitor(req->command);
    if (!out) return empty();
    if (out->empty()) return okay();
    return Reply{hex_bytes(std::string_view(*out))};
}

// The session switches the framing to no-ack after sending this OK.
Reply Stub::start_no_ack(std::string_view) {
    if (!caps_.no_ack_mode) return empty();
    return Reply{"OK", Reply::After::StartNoAck};
}

Reply Stub::must_reply_empty(std::string_view) { return empty(); }

Reply Stub::set_thread(std::string_view packet) {
    auto req = parse_set_thread(packet);
    if (!req) return malformed(req.error());
    const ThreadId t = req->thread;
    if (!t.all() && !t.any() && !thread_exists(uint32_t(t.value))) {
        return error(TargetError::BadThread);
    }
    (req->op == 'g' ? general_thread_ : continue_thread_) = t;
    return okay();
}

Reply Stub::thread_alive(std::string_view packet) {
    auto req = parse_thread_alive(packet);
    if (!req) return malformed(req.error());
    const ThreadId t = req->thread;
    if (t.all() || t.any() || !thread_exists(uint32_t(t.value))) {
        return error(TargetError::BadThread);
    }
    return okay();
}

}  // namespace gdb
