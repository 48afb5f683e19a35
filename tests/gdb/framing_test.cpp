// Framing: checksums, acks, escapes, run-length encoding, no-ack mode,
// the packet size limit and the interrupt byte.
#include <gtest/gtest.h>

#include "gdb/framing.h"

namespace gdb {
namespace {

using Kind = FrameEvent::Kind;

// A frame around already-encoded data, to send what the encoder never would.
std::string frame_raw(std::string_view body) {
    static constexpr char kDigits[] = "0123456789abcdef";
    const uint8_t cs = checksum(body);
    return "$" + std::string(body) + "#" + kDigits[cs >> 4] + kDigits[cs & 15];
}

std::vector<FrameEvent> feed(FrameDecoder& d, std::string_view bytes) {
    std::vector<FrameEvent> out;
    d.feed(bytes, out);
    return out;
}

TEST(Framing, GoodPacketIsDeliveredAndAcked) {
    FrameDecoder d;
    const auto ev = feed(d, "$qSupported#37");
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].kind, Kind::Packet);
    EXPECT_EQ(ev[0].payload, "qSupported");
    EXPECT_EQ(ev[0].ack, '+');
}

TEST(Framing, ChecksumDigitsInEitherCase) {
    FrameDecoder d;
    const std::string framed = encode_packet("g");  // "$g#67"
    EXPECT_EQ(framed, "$g#67");
    EXPECT_EQ(feed(d, "$m0,4#FD")[0].kind, Kind::Packet);
    EXPECT_EQ(feed(d, "$m0,4#fd")[0].kind, Kind::Packet);
}

TEST(Framing, BadChecksumIsNaked) {
    FrameDecoder d;
    const auto ev = feed(d, "$g#68");
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].kind, Kind::BadChecksum);
    EXPECT_EQ(ev[0].ack, '-');
    EXPECT_NE(ev[0].payload.find("68"), std::string::npos) << ev[0].payload;
}

TEST(Framing, NonHexChecksumIsNakedAndNextPacketStillParses) {
    FrameDecoder d;
    const auto ev = feed(d, "$g#6$g#67");
    ASSERT_EQ(ev.size(), 2u);
    EXPECT_EQ(ev[0].kind, Kind::BadChecksum);
    EXPECT_EQ(ev[1].kind, Kind::Packet);
}

TEST(Framing, ByteAtATimeSplitsWork) {
    FrameDecoder d;
    std::vector<FrameEvent> ev;
    for (char c : encode_packet("m1000,4")) d.feed(std::string_view(&c, 1), ev);
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].payload, "m1000,4");
}

TEST(Framing, StrayBytesBetweenPacketsAreIgnored) {
    FrameDecoder d;
    const auto ev = feed(d, "garbage\r\n\xff$g#67junk");
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].payload, "g");
}

TEST(Framing, DollarInsideDataRestartsThePacket) {
    FrameDecoder d;
    const auto ev = feed(d, "$m10$g#67");
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].payload, "g");
}

TEST(Framing, AcksFromGdbAreReported) {
    FrameDecoder d;
    const auto ev = feed(d, "+-+");
    ASSERT_EQ(ev.size(), 3u);
    EXPECT_EQ(ev[0].kind, Kind::Ack);
    EXPECT_EQ(ev[1].kind, Kind::Nak);
    EXPECT_FALSE(ev[1].ack) << "never answer an ack with an ack";
}

TEST(Framing, InterruptOutOfBand) {
    FrameDecoder d;
    const auto ev = feed(d, "\x03");
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].kind, Kind::Interrupt);
}

TEST(Framing, InterruptByteInsidePacketIsData) {
    FrameDecoder d;
    const std::string framed = encode_packet(std::string("X0,1:\x03", 6));
    const auto ev = feed(d, framed);
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].kind, Kind::Packet);
    EXPECT_EQ(ev[0].payload, std::string("X0,1:\x03", 6));
}

TEST(Framing, NoAckModeSendsNothing) {
    FrameDecoder d;
    d.set_no_ack(true);
    auto ev = feed(d, "$g#67$g#00");
    ASSERT_EQ(ev.size(), 2u);
    EXPECT_EQ(ev[0].kind, Kind::Packet);
    EXPECT_FALSE(ev[0].ack);
    EXPECT_EQ(ev[1].kind, Kind::BadChecksum);
    EXPECT_FALSE(ev[1].ack);
}

TEST(Framing, OversizedPacketIsDroppedAndNaked) {
    FrameDecoder d(16);
    const std::string big(1000, 'a');
    auto ev = feed(d, encode_packet(big));
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].kind, Kind::Oversized);
    EXPECT_EQ(ev[0].ack, '-');
    // The decoder recovers at once.
    ev = feed(d, "$g#67");
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].payload, "g");
}

TEST(Framing, PacketExactlyAtTheLimitPasses) {
    FrameDecoder d(16);
    const auto ev = feed(d, encode_packet(std::string(16, 'a')));
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].kind, Kind::Packet);
}

TEST(Framing, RunLengthBombIsRejected) {
    // 5 raw bytes that would expand to 195: over a 100-byte limit.
    FrameDecoder d(100);
    const auto ev = feed(d, frame_raw("0*~*~"));
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].kind, Kind::BadEncoding);
    EXPECT_EQ(ev[0].ack, '-');
}

TEST(Framing, BadRunLengthIsNaked) {
    FrameDecoder d;
    const auto ev = feed(d, frame_raw("*"));
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].kind, Kind::BadEncoding);
}

// --- escapes -------------------------------------------------------------

TEST(Escape, SpecialCharactersAreEscaped) {
    // '#' 0x23 -> }03, '$' 0x24 -> }04, '}' 0x7d -> }5d, '*' 0x2a -> }0a
    const std::string framed = encode_packet("#$}*");
    EXPECT_EQ(framed.substr(0, 9), "$}\x03}\x04}]}\n");
}

TEST(Escape, RoundTripsEveryByte) {
    std::string all;
    for (int b = 0; b < 256; ++b) all += char(b);
    FrameDecoder d;
    const auto ev = feed(d, encode_packet(all));
    ASSERT_EQ(ev.size(), 1u);
    ASSERT_EQ(ev[0].kind, Kind::Packet);
    EXPECT_EQ(ev[0].payload, all);
}

TEST(Escape, EscapeAtEndIsRejected) { EXPECT_FALSE(decode_packet_data("ab}", 100).ok); }

// --- run-length encoding -------------------------------------------------

TEST(RunLength, ManualExamples) {
    // "Overview": "0* " is four zeros (the repeat count ' ' means 3 more).
    EXPECT_EQ(decode_packet_data("0* ", 100).data, "0000");
    EXPECT_EQ(decode_packet_data("0*!", 100).data, "00000");
    EXPECT_EQ(decode_packet_data("0*\"0", 100).data, "0000000");
    EXPECT_EQ(decode_packet_data("0*%", 100).data, "000000000");
}

TEST(RunLength, InvalidCountCharacters) {
    EXPECT_FALSE(decode_packet_data("0*\x1f", 100).ok) << "below ' ': fewer than 3 repeats";
    EXPECT_FALSE(decode_packet_data("0*#", 100).ok) << "'#' would end the frame";
    EXPECT_FALSE(decode_packet_data("0*$", 100).ok) << "'$' would start a frame";
    EXPECT_FALSE(decode_packet_data("0*\x7f", 100).ok) << "above '~'";
    EXPECT_FALSE(decode_packet_data("0*\xff", 100).ok);
    EXPECT_FALSE(decode_packet_data("0*", 100).ok) << "no count at all";
    EXPECT_FALSE(decode_packet_data("*  ", 100).ok) << "nothing to repeat";
    EXPECT_TRUE(decode_packet_data("0*~", 100).ok) << "'~': 97 repeats, the maximum";
    EXPECT_EQ(decode_packet_data("0*~", 100).data.size(), 98u);
}

TEST(RunLength, RepeatsAnEscapedByte) {
    EXPECT_EQ(decode_packet_data("}\x03* ", 100).data, "####");
}

TEST(RunLength, EncoderRoundTripsEveryRunLength) {
    FrameDecoder d;
    for (size_t n = 1; n < 300; ++n) {
        const std::string payload = "x" + std::string(n, '0') + "y";
        const std::string framed = encode_packet(payload, true);
        const std::string body = framed.substr(1, framed.size() - 4);
        EXPECT_EQ(body.find('#'), std::string::npos) << "run " << n << " encoded as " << framed;
        EXPECT_EQ(body.find('$'), std::string::npos) << "run " << n << " encoded as " << framed;
        const auto ev = feed(d, framed);
        ASSERT_EQ(ev.size(), 1u);
        ASSERT_EQ(ev[0].kind, Kind::Packet) << framed;
        EXPECT_EQ(ev[0].payload, payload) << "run " << n;
    }
}

TEST(RunLength, EncoderCompresses) {
    const std::string framed = encode_packet(std::string(64, '0'), true);
    EXPECT_LT(framed.size(), 12u) << framed;
}

}  // namespace
}  // namespace gdb
