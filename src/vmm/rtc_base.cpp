#include "vmm/rtc_base.h"

#include <charconv>
#include <optional>

#include <fmt/format.h>

namespace vmm {

namespace {

// A fixed-width decimal field at text[pos, pos + width).
std::optional<int> field(std::string_view text, size_t pos, size_t width) {
    int v = 0;
    if (pos + width > text.size()) return std::nullopt;
    const char* begin = text.data() + pos;
    auto [end, ec] = std::from_chars(begin, begin + width, v);
    if (ec != std::errc() || end != begin + width) return std::nullopt;
    return v;
}

// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS" as UTC; nullopt unless every field
// is in range (timegm's normalisation must change nothing).
std::optional<int64_t> parse_date(std::string_view text) {
    if (text.size() != 10 && text.size() != 19) return std::nullopt;
    if (text[4] != '-' || text[7] != '-') return std::nullopt;
    if (text.size() == 19 && (text[10] != 'T' || text[13] != ':' || text[16] != ':'))
        return std::nullopt;
    const bool has_time = text.size() == 19;
    auto y = field(text, 0, 4), mo = field(text, 5, 2), d = field(text, 8, 2);
    const std::optional<int> midnight = 0;
    auto h = has_time ? field(text, 11, 2) : midnight;
    auto mi = has_time ? field(text, 14, 2) : midnight;
    auto s = has_time ? field(text, 17, 2) : midnight;
    if (!y || !mo || !d || !h || !mi || !s) return std::nullopt;
    std::tm tm{};
    tm.tm_year = *y - 1900;
    tm.tm_mon = *mo - 1;
    tm.tm_mday = *d;
    tm.tm_hour = *h;
    tm.tm_min = *mi;
    tm.tm_sec = *s;
    const std::time_t t = timegm(&tm);
    if (tm.tm_year != *y - 1900 || tm.tm_mon != *mo - 1 || tm.tm_mday != *d ||
        tm.tm_hour != *h || tm.tm_min != *mi || tm.tm_sec != *s)
        return std::nullopt;
    return int64_t(t);
}

}  // namespace

kvm::Result<uint32_t> parse_rtc_base(std::string_view text, std::time_t now) {
    auto fail = [&](std::string_view why) {
        return kvm::Error{fmt::format("invalid --rtc '{}': {} (accepted: base=utc, "
                                      "base=localtime, base=YYYY-MM-DDTHH:MM:SS, "
                                      "base=YYYY-MM-DD)",
                                      text, why)};
    };
    if (!text.starts_with("base=")) return fail("no base=");
    const std::string_view base = text.substr(5);
    std::optional<int64_t> seconds;
    if (base == "utc") {
        seconds = int64_t(now);
    } else if (base == "localtime") {
        std::tm local{};
        localtime_r(&now, &local);
        seconds = int64_t(now) + local.tm_gmtoff;
    } else {
        seconds = parse_date(base);
        if (!seconds) return fail(fmt::format("'{}' is not a date and time", base));
    }
    if (*seconds < 0 || *seconds > int64_t(UINT32_MAX))
        return fail("outside the PL031's 1970 to 2106");
    return uint32_t(*seconds);
}

}  // namespace vmm
