// A kallsyms listing, as /proc/kallsyms prints it (kernel/kallsyms.c,
// s_show): "ADDRESS TYPE NAME" a line, with "\t[MODULE]" after a module's
// symbols. TYPE is nm's letter: lower case local, upper case global.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kvm/result.h"

namespace symbols {

struct KallsymsSymbol {
    uint64_t address = 0;
    char type = '?';
    std::string name;
    std::string module;  // empty for the kernel image's own symbols
};

// The listing's symbols, in its order. source names the listing in errors,
// which are one line: "SOURCE:LINE: ..." for a line that is not a symbol,
// and a listing whose addresses are all 0 (read with kptr_restrict in force)
// is refused, as is one without symbols.
kvm::Result<std::vector<KallsymsSymbol>> parse_kallsyms(std::string_view text,
                                                       const std::string& source);

}  // namespace symbols
