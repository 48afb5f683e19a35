// RSP framing: "$payload#cs" packets, '+'/'-' acknowledgements, the 0x03
// interrupt byte, '}' escapes and '*' run-length encoding.
// GDB manual, appendix "Remote Protocol": "Overview" (packet syntax,
// checksum, escapes, run-length encoding) and "Packet Acknowledgment"
// (no-ack mode).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gdb {

inline constexpr uint8_t kInterruptByte = 0x03;
inline constexpr char kEscape = '}';
inline constexpr uint8_t kEscapeXor = 0x20;
inline constexpr char kRunLength = '*';
inline constexpr int kRunLengthBias = 29;  // count character = repeats + 29
// Default limit on a packet's raw data between '$' and '#'; advertised as
// PacketSize so gdb never sends more.
inline constexpr size_t kDefaultPacketSize = 0x4000;

struct FrameEvent {
    enum class Kind {
        Packet,       // checksum good: payload is unescaped and RLE-expanded
        Interrupt,    // 0x03 between packets
        Ack,          // '+' from gdb
        Nak,          // '-' from gdb: retransmit the last reply
        BadChecksum,  // dropped
        Oversized,    // dropped: more than the packet size limit
        BadEncoding,  // dropped: a '*' or '}' that cannot be decoded
    };
    Kind kind;
    std::string payload;  // Packet: the data; errors: what was wrong
    // What to send back at once: '+' or '-', or nothing in no-ack mode and
    // for events that are not packets.
    std::optional<char> ack;
};

const char* frame_event_name(FrameEvent::Kind k);

// Byte-stream decoder. Feed it whatever the transport returned, in any
// split; it never buffers more than the packet size limit plus the two
// checksum digits.
class FrameDecoder {
public:
    explicit FrameDecoder(size_t max_packet = kDefaultPacketSize) : max_packet_(max_packet) {}

    void feed(std::span<const uint8_t> bytes, std::vector<FrameEvent>& out);
    void feed(std::string_view bytes, std::vector<FrameEvent>& out) {
        feed(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), out);
    }

    // After the stub has answered QStartNoAckMode with OK: no '+'/'-' are
    // produced any more, and gdb's stray acks are still reported harmlessly.
    void set_no_ack(bool on) { no_ack_ = on; }
    bool no_ack() const { return no_ack_; }
    size_t max_packet() const { return max_packet_; }

private:
    enum class State { Idle, Data, Checksum1, Checksum2 };
    void idle_byte(uint8_t b, std::vector<FrameEvent>& out);
    void finish(uint8_t sent_sum, std::vector<FrameEvent>& out);
    void reject(FrameEvent::Kind kind, std::string why, std::vector<FrameEvent>& out);

    size_t max_packet_;
    bool no_ack_ = false;
    State state_ = State::Idle;
    std::string raw_;          // data between '$' and '#', still encoded
    bool overflowed_ = false;  // raw_ stopped growing; drop at '#'
    uint8_t sum_ = 0;          // running checksum over every raw data byte
    int checksum_hi_ = 0;
};

// Undo '}' escapes and expand '*' runs. A '*' repeats the previous decoded
// byte (count char - 29) more times; counts must be 3..97 and not '#' or
// '$' ("Overview"). Expansion past max_size is an error, so a tiny packet cannot
// grow without bound.
struct DecodeResult {
    bool ok;
    std::string data;  // decoded, or the reason it failed
};
DecodeResult decode_packet_data(std::string_view raw, size_t max_size);

// Escape '#', '$', '}', '*' ("Overview": '*' too, or gdb would read it as RLE),
// optionally run-length encode, and frame as "$data#cs".
std::string encode_packet(std::string_view payload, bool run_length = false);
uint8_t checksum(std::string_view raw);

}  // namespace gdb
