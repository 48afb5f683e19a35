#include "symbols/kallsyms.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace symbols {

namespace {

constexpr size_t kShownChars = 60;  // of a bad line, in its error

std::vector<std::string_view> fields(std::string_view line) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < line.size()) {
        size_t start = line.find_first_not_of(" \t\r", i);
        if (start == std::string_view::npos) break;
        size_t end = std::min(line.find_first_of(" \t\r", start), line.size());
        out.push_back(line.substr(start, end - start));
        i = end;
    }
    return out;
}

// The line as an error shows it: printable, and short.
std::string shown(std::string_view line) {
    std::string s(line.substr(0, kShownChars));
    for (char& c : s)
        if (c < ' ' || c > '~') c = '?';
    return line.size() > kShownChars ? s + "..." : s;
}

bool parse_hex(std::string_view text, uint64_t& value) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
    return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

kvm::Result<std::vector<KallsymsSymbol>> parse_kallsyms(std::string_view text,
                                                       const std::string& source) {
    std::vector<KallsymsSymbol> out;
    size_t line_no = 0;
    for (size_t pos = 0; pos < text.size();) {
        size_t eol = std::min(text.find('\n', pos), text.size());
        std::string_view line = text.substr(pos, eol - pos);
        pos = eol + 1;
        ++line_no;
        auto f = fields(line);
        if (f.empty()) continue;
        KallsymsSymbol s;
        bool fields_ok = f.size() == 3 || (f.size() == 4 && f[3].size() > 2 &&
                                           f[3].front() == '[' && f[3].back() == ']');
        if (!fields_ok || !parse_hex(f[0], s.address) || f[1].size() != 1)
            return kvm::Error{fmt::format("{}:{}: not a kallsyms line (\"ADDRESS TYPE NAME "
                                          "[[MODULE]]\"): '{}'",
                                          source, line_no, shown(line))};
        s.type = f[1][0];
        s.name = f[2];
        if (f.size() == 4) s.module = f[3].substr(1, f[3].size() - 2);
        out.push_back(std::move(s));
    }
    if (out.empty()) return kvm::Error{fmt::format("{}: no symbols in the listing", source)};
    if (std::all_of(out.begin(), out.end(), [](const KallsymsSymbol& s) { return s.address == 0; }))
        return kvm::Error{fmt::format("{}: every address is 0: the listing was read with "
                                      "kptr_restrict hiding them (as root: echo 0 > "
                                      "/proc/sys/kernel/kptr_restrict)",
                                      source)};
    return out;
}

}  // namespace symbols
