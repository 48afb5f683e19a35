// `stepvisor run --gdb`: the machine served to one gdb connection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kvm/result.h"
#include "vmm/gdb_target.h"
#include "vmm/machine.h"

namespace cli {

struct GdbEndpoint {
    std::string host = "127.0.0.1";
    uint16_t port = 0;
};
// "[HOST:]PORT", PORT 0..65535; the error names the text.
kvm::Result<GdbEndpoint> parse_gdb_endpoint(std::string_view text);

// "group0,group1,common" (any subset, empty = none) as kvm::gic_trap bits.
kvm::Result<uint32_t> parse_gic_trap_classes(std::string_view text);

struct GdbRunOptions {
    GdbEndpoint endpoint;
    bool wait = false;  // hold the guest at its first instruction until gdb resumes it
    vmm::GdbOptions target;
};

// Listens for the whole run and serves one gdb at a time, any number in
// turn: while none is attached the guest runs as without gdb. Returns the
// exit status of `stepvisor run`.
int run_with_gdb(vmm::SessionTarget& target, const GdbRunOptions& opts);

}  // namespace cli
