// Hex parsing: odd, empty and garbage input, and overflow at each width.
#include <gtest/gtest.h>

#include "gdb/hex.h"

namespace gdb {
namespace {

TEST(HexNumber, ParsesBothCases) {
    EXPECT_EQ(parse_hex_number("0").value(), 0u);
    EXPECT_EQ(parse_hex_number("DeadBeef").value(), 0xdeadbeefu);
    EXPECT_EQ(parse_hex_number("ffffffffffffffff").value(), ~0ull);
}

TEST(HexNumber, LeadingZerosNeverOverflow) {
    EXPECT_EQ(parse_hex_number("00000000000000000000001000").value(), 0x1000u);
}

TEST(HexNumber, RejectsEmptyGarbageAndOverflow) {
    EXPECT_EQ(parse_hex_number("").error().kind, ErrorKind::Empty);
    EXPECT_EQ(parse_hex_number("12g4").error().kind, ErrorKind::NotHex);
    EXPECT_EQ(parse_hex_number("0x10").error().kind, ErrorKind::NotHex);
    EXPECT_EQ(parse_hex_number("-1").error().kind, ErrorKind::NotHex);
    EXPECT_EQ(parse_hex_number(" 1").error().kind, ErrorKind::NotHex);
    EXPECT_EQ(parse_hex_number("10000000000000000").error().kind, ErrorKind::Overflow);
}

TEST(HexNumber, RespectsFieldWidth) {
    EXPECT_EQ(parse_hex_number("ff", 8).value(), 0xffu);
    EXPECT_EQ(parse_hex_number("100", 8).error().kind, ErrorKind::Overflow);
    EXPECT_EQ(parse_hex_number("ffffffff", 32).value(), 0xffffffffu);
    EXPECT_EQ(parse_hex_number("1ffffffff", 32).error().kind, ErrorKind::Overflow);
}

TEST(HexNumber, ErrorNamesTheInput) {
    const auto r = parse_hex_number("zz");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("\"zz\""), std::string::npos) << r.error().message;
}

TEST(HexNumber, ErrorQuoteIsBounded) {
    const std::string huge(10000, 'q');
    const auto r = parse_hex_number(huge);
    ASSERT_FALSE(r);
    EXPECT_LT(r.error().message.size(), 200u);
}

TEST(HexBytes, RoundTrips) {
    const auto r = parse_hex_bytes("00ff7F80");
    ASSERT_TRUE(r);
    EXPECT_EQ(r.value(), (std::vector<uint8_t>{0x00, 0xff, 0x7f, 0x80}));
    EXPECT_EQ(hex_bytes(r.value()), "00ff7f80");
}

TEST(HexBytes, EmptyIsZeroBytes) {
    const auto r = parse_hex_bytes("");
    ASSERT_TRUE(r);
    EXPECT_TRUE(r.value().empty());
}

TEST(HexBytes, RejectsOddAndGarbage) {
    EXPECT_EQ(parse_hex_bytes("abc").error().kind, ErrorKind::OddLength);
    EXPECT_EQ(parse_hex_bytes("a").error().kind, ErrorKind::OddLength);
    EXPECT_EQ(parse_hex_bytes("zz").error().kind, ErrorKind::NotHex);
    EXPECT_EQ(parse_hex_bytes("0g").error().kind, ErrorKind::NotHex);
    EXPECT_EQ(parse_hex_bytes(std::string("0\0", 2)).error().kind, ErrorKind::NotHex);
}

TEST(HexFormat, LittleEndianRegisters) {
    EXPECT_EQ(hex_le(0x1122334455667788ull, 8), "8877665544332211");
    EXPECT_EQ(hex_le(0x600003c5, 4), "c5030060");
    EXPECT_EQ(hex_number(0), "0");
    EXPECT_EQ(hex_number(0x1000), "1000");
    EXPECT_EQ(hex_bytes(std::string_view("OK\n")), "4f4b0a");
}

}  // namespace
}  // namespace gdb
