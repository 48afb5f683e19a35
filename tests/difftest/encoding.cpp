#include "tests/difftest/encoding.h"

#include <map>
#include <stdexcept>
#include <string>

namespace difftest {

Pattern parse_pattern(std::string_view p) {
    Pattern out;
    std::array<bool, 128> seen{};
    int bit = 32;
    char prev = 0;
    for (char c : p) {
        if (c == ' ') continue;
        if (--bit < 0) break;
        if (c == '0' || c == '1') {
            out.fixed |= uint32_t(c == '1') << bit;
        } else {
            const uint8_t k = uint8_t(c);
            if (k >= 128) throw std::invalid_argument("bad field letter in " + std::string(p));
            if (seen[k] && prev != c)
                throw std::invalid_argument("field '" + std::string(1, c) +
                                            "' not contiguous in " + std::string(p));
            seen[k] = true;
            out.lsb[k] = uint8_t(bit);
            ++out.width[k];
        }
        prev = c;
    }
    size_t n = 0;
    for (char c : p) n += c != ' ';
    if (n != 32) throw std::invalid_argument("pattern needs 32 bits: " + std::string(p));
    return out;
}

uint32_t assemble(const Pattern& p, const Fields& f) {
    uint32_t w = p.fixed;
    for (unsigned k = 0; k < 128; ++k) {
        if (!p.width[k]) {
            if (f.v[k]) throw std::logic_error(std::string(f.form->name) + ": field '" +
                                               char(k) + "' not in pattern");
            continue;
        }
        if (p.width[k] < 32 && (f.v[k] >> p.width[k]))
            throw std::logic_error(std::string(f.form->name) + ": field '" + char(k) +
                                   "' = " + std::to_string(f.v[k]) + " too wide");
        w |= f.v[k] << p.lsb[k];
    }
    return w;
}

const Pattern* pattern_of(const Form* f) {
    static const std::map<const Form*, Pattern> table = [] {
        std::map<const Form*, Pattern> t;
        for (const Form& form : all_forms()) t.emplace(&form, parse_pattern(form.pattern));
        return t;
    }();
    return &table.at(f);
}

}  // namespace difftest
