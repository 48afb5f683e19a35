#include "gdb/framing.h"

#include <fmt/format.h>

#include "gdb/hex.h"

namespace gdb {

const char* frame_event_name(FrameEvent::Kind k) {
    static constexpr const char* kNames[] = {"packet",       "interrupt", "ack",         "nak",
                                             "bad checksum", "oversized", "bad encoding"};
    return kNames[static_cast<int>(k)];
}

uint8_t checksum(std::string_view raw) {
    uint8_t sum = 0;
    for (char c : raw) sum = uint8_t(sum + uint8_t(c));
    return sum;
}

void FrameDecoder::feed(std::span<const uint8_t> bytes, std::vector<FrameEvent>& out) {
    for (uint8_t b : bytes) {
        switch (state_) {
        case State::Idle: idle_byte(b, out); break;
        case State::Data:
            if (b == '#') {
                state_ = State::Checksum1;
            } else if (b == '$') {
                // A raw '$' cannot be data (it is always escaped): gdb gave
                // up on the packet and started over.
                idle_byte(b, out);
            } else {
                sum_ = uint8_t(sum_ + b);
                if (raw_.size() < max_packet_) {
                    raw_ += char(b);
                } else {
                    overflowed_ = true;
                }
            }
            break;
        case State::Checksum1:
        case State::Checksum2: {
            const int d = hex_digit_value(char(b));
            if (d < 0) {
                reject(FrameEvent::Kind::BadChecksum,
                       fmt::format("checksum digit 0x{:02x} is not hex", b), out);
                idle_byte(b, out);  // it may be the '$' of the retransmission
            } else if (state_ == State::Checksum1) {
                checksum_hi_ = d;
                state_ = State::Checksum2;
            } else {
                finish(uint8_t(checksum_hi_ << 4 | d), out);
            }
            break;
        }
        }
    }
}

void FrameDecoder::idle_byte(uint8_t b, std::vector<FrameEvent>& out) {
    state_ = State::Idle;
    switch (b) {
    case '$':
        state_ = State::Data;
        raw_.clear();
        overflowed_ = false;
        sum_ = 0;
        break;
    case kInterruptByte: out.push_back({FrameEvent::Kind::Interrupt, {}, std::nullopt}); break;
    case '+': out.push_back({FrameEvent::Kind::Ack, {}, std::nullopt}); break;
    case '-': out.push_back({FrameEvent::Kind::Nak, {}, std::nullopt}); break;
    default: break;  // line noise between packets
    }
}

void FrameDecoder::reject(FrameEvent::Kind kind, std::string why, std::vector<FrameEvent>& out) {
    // In no-ack mode nobody retransmits: the packet is just lost.
    out.push_back({kind, std::move(why), no_ack_ ? std::nullopt : std::optional<char>('-')});
    state_ = State::Idle;
    raw_.clear();
}

void FrameDecoder::finish(uint8_t sent_sum, std::vector<FrameEvent>& out) {
    if (overflowed_) {
        return reject(FrameEvent::Kind::Oversized,
                      fmt::format("packet longer than {} bytes", max_packet_), out);
    }
    if (sent_sum != sum_) {
        return reject(FrameEvent::Kind::BadChecksum,
                      fmt::format("checksum {:02x}, computed {:02x}", sent_sum, sum_), out);
    }
    DecodeResult d = decode_packet_data(raw_, max_packet_);
    if (!d.ok) return reject(FrameEvent::Kind::BadEncoding, std::move(d.data), out);
    out.push_back({FrameEvent::Kind::Packet, std::move(d.data),
                   no_ack_ ? std::nullopt : std::optional<char>('+')});
    state_ = State::Idle;
    raw_.clear();
}

namespace {

// "Overview": the count character is printable, so repeats are 3 (' ') to 97
// ('~'); '#' and '$' would end or restart the frame.
bool valid_run_count(char c) { return c >= ' ' && c <= '~' && c != '#' && c != '$'; }

DecodeResult fail(std::string_view why, size_t at) {
    return {false, fmt::format("{} at offset {}", why, at)};
}

}  // namespace

DecodeResult decode_packet_data(std::string_view raw, size_t max_size) {
    std::string out;
    out.reserve(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == kEscape) {
            if (++i == raw.size()) return fail("escape '}' with nothing after it", i - 1);
            out += char(raw[i] ^ kEscapeXor);
        } else if (c == kRunLength) {
            if (out.empty()) return fail("run-length '*' with nothing to repeat", i);
            if (++i == raw.size()) return fail("run-length '*' without a count", i - 1);
            if (!valid_run_count(raw[i])) {
                return fail(fmt::format("invalid run-length count 0x{:02x}", uint8_t(raw[i])), i);
            }
            const size_t repeats = size_t(raw[i] - kRunLengthBias);
            if (out.size() + repeats > max_size) {
                return fail("run-length expands past the limit", i);
            }
            out.append(repeats, out.back());
        } else {
            out += c;
        }
        if (out.size() > max_size) return fail("packet data past the limit", i);
    }
    return {true, std::move(out)};
}

namespace {

bool needs_escape(char c) { return c == '#' || c == '$' || c == kEscape || c == kRunLength; }

// Repeats we may express with one count character: 3..97, and never 6 or 7
// (those would be '#' and '$'; "Overview" says send 5 and leave the rest).
size_t encodable_repeats(size_t want) {
    size_t n = want > 97 ? 97 : want;
    if (n == 6 || n == 7) n = 5;
    return n;
}

}  // namespace

std::string encode_packet(std::string_view payload, bool run_length) {
    std::string body;
    body.reserve(payload.size() + 8);
    for (size_t i = 0; i < payload.size();) {
        const char c = payload[i];
        if (needs_escape(c)) {
            body += kEscape;
            body += char(c ^ kEscapeXor);
            ++i;
            continue;
        }
        body += c;
        ++i;
        if (!run_length) continue;
        size_t run = 0;
        while (i + run < payload.size() && payload[i + run] == c) ++run;
        if (run < 3) continue;  // "c*N" only pays off from three repeats on
        const size_t n = encodable_repeats(run);
        body += kRunLength;
        body += char(n + kRunLengthBias);
        i += n;
    }
    return fmt::format("${}#{:02x}", body, checksum(body));
}

}  // namespace gdb
