// The MMIO bus: ranges never overlap, accesses reach the right device at the
// right offset in both directions, and unassigned accesses are harmless and
// logged once per address.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vmm/bus.h"

namespace vmm {
namespace {

// Records every access; reads return 0xA0 + offset in each byte.
struct FakeDevice : Device {
    explicit FakeDevice(std::string n) : n_(std::move(n)) {}
    std::string_view name() const override { return n_; }
    void access(Direction dir, uint64_t offset, std::span<uint8_t> data) override {
        log.push_back({dir, offset, data.size(), dir == Direction::Write ? load_le(data) : 0});
        if (dir == Direction::Read)
            for (auto& b : data) b = uint8_t(0xA0 + offset);
    }
    struct Entry {
        Direction dir;
        uint64_t offset;
        size_t size;
        uint64_t value;
    };
    std::string n_;
    std::vector<Entry> log;
};

struct BusTest : ::testing::Test {
    std::vector<std::string> lines;
    MmioBus bus{[this](std::string_view l) { lines.emplace_back(l); }};
    FakeDevice a{"a"}, b{"b"}, c{"c"};
};

TEST_F(BusTest, OverlapsAreRejectedAndNamed) {
    ASSERT_TRUE(bus.insert(a, 0x1000, 0x1000).ok());
    auto r = bus.insert(b, 0x1800, 0x1000);  // overlaps a's end
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "b: MMIO range 0x1800..0x2800 overlaps a at 0x1000..0x2000");
    r = bus.insert(b, 0x800, 0x1000);  // overlaps a's start
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "b: MMIO range 0x800..0x1800 overlaps a at 0x1000..0x2000");
    EXPECT_FALSE(bus.insert(b, 0x1100, 0x10).ok());   // inside a
    EXPECT_FALSE(bus.insert(b, 0x0, 0x10000).ok());   // covers a
    EXPECT_TRUE(bus.insert(b, 0x2000, 0x1000).ok());  // adjacent above
    EXPECT_TRUE(bus.insert(c, 0x0, 0x1000).ok());     // adjacent below
}

TEST_F(BusTest, EmptyAndWrappingRangesAreRejected) {
    EXPECT_FALSE(bus.insert(a, 0x1000, 0).ok());
    EXPECT_FALSE(bus.insert(a, ~0ull - 0xF, 0x20).ok());
}

TEST_F(BusTest, DispatchReachesDeviceAtOffsetBothDirections) {
    ASSERT_TRUE(bus.insert(a, 0x1000, 0x100).ok());
    ASSERT_TRUE(bus.insert(b, 0x2000, 0x100).ok());
    uint8_t w[4];
    store_le(w, 0x11223344);
    bus.access(Direction::Write, 0x2008, w);
    uint8_t r[2] = {0xFF, 0xFF};
    bus.access(Direction::Read, 0x1004, r);
    ASSERT_EQ(b.log.size(), 1u);
    EXPECT_EQ(b.log[0].dir, Direction::Write);
    EXPECT_EQ(b.log[0].offset, 8u);
    EXPECT_EQ(b.log[0].size, 4u);
    EXPECT_EQ(b.log[0].value, 0x11223344u);
    ASSERT_EQ(a.log.size(), 1u);
    EXPECT_EQ(a.log[0].dir, Direction::Read);
    EXPECT_EQ(a.log[0].offset, 4u);
    EXPECT_EQ(r[0], 0xA4);
    EXPECT_EQ(r[1], 0xA4);
    EXPECT_EQ(bus.find(0x10FF), &a);
    EXPECT_EQ(bus.find(0x1100), nullptr);
    EXPECT_TRUE(lines.empty());
}

TEST_F(BusTest, UnassignedReadsZeroWritesIgnoredLoggedOncePerAddress) {
    ASSERT_TRUE(bus.insert(a, 0x1000, 0x100).ok());
    uint8_t r[8];
    std::fill(std::begin(r), std::end(r), 0xEE);
    bus.access(Direction::Read, 0x0A000000, r);
    for (uint8_t x : r) EXPECT_EQ(x, 0);
    bus.access(Direction::Read, 0x0A000000, r);
    uint8_t w[4] = {1, 2, 3, 4};
    bus.access(Direction::Write, 0x0A000010, w);
    bus.access(Direction::Write, 0x0A000010, w);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "stepvisor: unassigned 8-byte read at 0xa000000 returns 0");
    EXPECT_EQ(lines[1], "stepvisor: unassigned 4-byte write of 0x4030201 at 0xa000010 ignored");
    EXPECT_TRUE(a.log.empty());
}

TEST_F(BusTest, AccessStraddlingTheEndOfARangeIsUnassigned) {
    ASSERT_TRUE(bus.insert(a, 0x1000, 0x100).ok());
    uint8_t r[4] = {9, 9, 9, 9};
    bus.access(Direction::Read, 0x10FE, r);
    EXPECT_TRUE(a.log.empty());
    EXPECT_EQ(load_le(r), 0u);
    EXPECT_EQ(lines.size(), 1u);
}

TEST_F(BusTest, UnassignedLoggingIsRateLimited) {
    uint8_t r[4];
    for (uint64_t i = 0; i < 1000; ++i) bus.access(Direction::Read, 0x0A000000 + 4 * i, r);
    ASSERT_EQ(lines.size(), MmioBus::kMaxLoggedAddresses + 1);
    EXPECT_NE(lines.back().find("no longer reporting"), std::string::npos) << lines.back();
}

TEST(LittleEndian, RoundTrip) {
    uint8_t b[8];
    store_le(b, 0x0102030405060708ull);
    EXPECT_EQ(b[0], 0x08);
    EXPECT_EQ(b[7], 0x01);
    EXPECT_EQ(load_le(b), 0x0102030405060708ull);
    EXPECT_EQ(load_le(std::span<const uint8_t>(b, 2)), 0x0708u);
}

}  // namespace
}  // namespace vmm
