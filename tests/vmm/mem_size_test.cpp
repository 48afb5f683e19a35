// -m SIZE parsing: QEMU-like units, the accepted range, and garbage.
#include <gtest/gtest.h>

#include "vmm/mem_size.h"

namespace vmm {
namespace {

uint64_t ok(const char* text) {
    auto r = parse_memory_size(text);
    EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value() : 0;
}

std::string err(const char* text) {
    auto r = parse_memory_size(text);
    EXPECT_FALSE(r.ok()) << text << " parsed as " << (r.ok() ? r.value() : 0);
    return r.ok() ? "" : r.error().message;
}

TEST(MemSize, PlainNumberIsMiB) {
    EXPECT_EQ(ok("128"), 128ull << 20);
    EXPECT_EQ(ok("2"), 2ull << 20);
}

TEST(MemSize, SuffixesAnyCase) {
    EXPECT_EQ(ok("2048K"), 2ull << 20);
    EXPECT_EQ(ok("2048k"), 2ull << 20);
    EXPECT_EQ(ok("512M"), 512ull << 20);
    EXPECT_EQ(ok("512m"), 512ull << 20);
    EXPECT_EQ(ok("1G"), 1ull << 30);
    EXPECT_EQ(ok("1g"), 1ull << 30);
}

TEST(MemSize, RangeEndsAreAccepted) {
    EXPECT_EQ(ok("2M"), 2ull << 20);
    EXPECT_EQ(ok("32G"), 32ull << 30);
    EXPECT_EQ(ok("32768M"), 32ull << 30);
}

TEST(MemSize, OutOfRangeNamesValueAndRange) {
    for (const char* t : {"0", "1", "1M", "2044K", "33G", "32769M", "1T", "0G"}) {
        std::string m = err(t);
        EXPECT_NE(m.find(std::string("'") + t + "'"), std::string::npos) << m;
        EXPECT_NE(m.find("2M to 32G"), std::string::npos) << m;
    }
}

TEST(MemSize, GarbageIsRejected) {
    for (const char* t : {"", "12Q", "-5", "M", "1.5G", "0x100", " 128", "128 ", "1GB", "+3"}) {
        std::string m = err(t);
        EXPECT_NE(m.find(std::string("'") + t + "'"), std::string::npos) << m;
    }
}

TEST(MemSize, HugeNumbersDoNotOverflow) {
    EXPECT_NE(err("99999999999999999999999999G").find("too large"), std::string::npos);
    EXPECT_NE(err("18446744073709551615").find("too large"), std::string::npos);
    EXPECT_NE(err("17592186044416").find("too large"), std::string::npos);  // 2^44 MiB = 2^64 B
}

TEST(MemSize, MustBePageMultiple) {
    EXPECT_NE(err("2049K").find("multiple of 4K"), std::string::npos);
    EXPECT_EQ(ok("2052K"), 2052ull << 10);
}

}  // namespace
}  // namespace vmm
