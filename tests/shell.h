// A shell command's combined stdout and stderr, for the tests that drive
// gdb-multiarch in batch mode (each bounded by timeout(1) in the command).
#pragma once

#include <sys/types.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>

namespace stepvisor::test {

// `with_pid` runs on another thread once the command's process id is known
// (to send it a signal mid-run, as a user's Ctrl-C).
inline std::string shell(const std::string& cmd,
                         const std::function<void(pid_t)>& with_pid = {}) {
    FILE* p = ::popen(("echo $$; exec " + cmd + " 2>&1").c_str(), "r");
    if (!p) return "popen failed";
    char line[64] = {};
    const pid_t pid = std::fgets(line, sizeof line, p) ? pid_t(std::atol(line)) : 0;
    std::thread side;
    if (with_pid && pid > 0) side = std::thread(with_pid, pid);
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
    if (side.joinable()) side.join();
    return out;
}

inline bool have_gdb() {
    return shell("gdb-multiarch --version").find("GNU gdb") != std::string::npos;
}

}  // namespace stepvisor::test
