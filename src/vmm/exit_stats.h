// `--stats`: exit counts and handling time (total, min, max, average) per
// exception class and per handler, printed at the end as `perf kvm stat
// report` prints its table.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "hyp/exit_trace.h"

namespace vmm {

class ExitStats {
public:
    void add(const hyp::ExitEvent& e);
    uint64_t exits() const { return exits_; }
    // Two tables (by exception class, Host exits as "IRQ"; by handler),
    // rows by descending count, then a line with the instructions retired
    // and one with the share of them that generated code retired.
    std::string report(uint64_t retired_insns, uint64_t retired_jit_insns) const;

private:
    struct Row {
        uint64_t samples = 0, total_ns = 0, min_ns = ~0ull, max_ns = 0;
        void add(uint64_t ns);
    };
    std::string table(const char* title, const std::map<std::string, Row>& rows) const;

    std::map<std::string, Row> by_class_, by_handler_;
    uint64_t exits_ = 0, total_ns_ = 0;
};

}  // namespace vmm
