// --rtc base=...: QEMU's spellings, the PL031's range, and garbage.
#include <gtest/gtest.h>

#include "vmm/rtc_base.h"

namespace vmm {
namespace {

constexpr std::time_t kNow = 1'800'000'000;  // 2027-01-15T08:00:00Z

TEST(RtcBase, UtcIsTheHostsTimeNow) {
    auto r = parse_rtc_base("base=utc", kNow);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r.value(), uint32_t(kNow));
}

TEST(RtcBase, LocaltimeIsTheWallClockReadAsUtc) {
    std::tm local{};
    const std::time_t now = kNow;
    localtime_r(&now, &local);
    auto r = parse_rtc_base("base=localtime", kNow);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r.value(), uint32_t(kNow + local.tm_gmtoff));
}

TEST(RtcBase, DatesAreUtc) {
    EXPECT_EQ(parse_rtc_base("base=2026-01-01T00:00:00", kNow).value(), 1'767'225'600u);
    EXPECT_EQ(parse_rtc_base("base=2026-01-01", kNow).value(), 1'767'225'600u);
    EXPECT_EQ(parse_rtc_base("base=2024-02-29T23:59:59", kNow).value(), 1'709'251'199u);
    EXPECT_EQ(parse_rtc_base("base=1970-01-01T00:00:00", kNow).value(), 0u);
    EXPECT_EQ(parse_rtc_base("base=2106-02-07T06:28:15", kNow).value(), 0xFFFF'FFFFu);
}

TEST(RtcBase, BadValuesNameTheText) {
    for (const char* bad : {"", "utc", "base=", "base=UTC", "clock=vm", "base=2026-02-29",
                            "base=2026-13-01", "base=2026-01-01T24:00:00",
                            "base=2026-01-01T00:60:00", "base=2026-01-01 00:00:00",
                            "base=2026-1-1", "base=+026-01-01", "base=2026-01-01T00:00",
                            "base=1969-12-31T23:59:59", "base=2106-02-07T06:28:16"}) {
        auto r = parse_rtc_base(bad, kNow);
        ASSERT_FALSE(r) << bad;
        EXPECT_NE(r.error().message.find(std::string("'") + bad + "'"), std::string::npos)
            << r.error().message;
    }
}

}  // namespace
}  // namespace vmm
