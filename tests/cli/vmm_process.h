// stepvisor as a child process with its stdout and stderr on pipes, for the
// tests that attach gdb to it (tests/cli/gdb_*_test.cpp). Every wait is
// bounded.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "tests/cli/child.h"

namespace cli::test {

using namespace std::chrono_literals;

struct Session {
    std::string gdb;     // gdb's output
    std::string vm_out;  // stepvisor's stdout (the guest's UART)
    std::string vm_err;
    int vm_status = -1;  // -1: killed or not started
};

// stepvisor as a child with its stdout and stderr on pipes.
class Vmm {
public:
    explicit Vmm(std::vector<std::string> args) {
        int out[2], err[2];
        if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) return;
        const int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
        child_.emplace(std::move(args), devnull, out[1], err[1]);
        close(devnull);
        close(out[1]);
        close(err[1]);
        fds_[0] = out[0];
        fds_[1] = err[0];
    }
    ~Vmm() {
        for (int fd : fds_)
            if (fd >= 0) close(fd);
    }

    pid_t pid() const { return child_ ? child_->pid() : -1; }
    const std::string& err() const { return err_; }
    // Reads what stepvisor printed so far, waiting at most `wait`.
    void poll_output(std::chrono::milliseconds wait) { pump(wait); }

    // Reads until stderr announces the port; 0 if it never does.
    unsigned port() {
        static const std::regex kListening("gdb: listening on 127\\.0\\.0\\.1:([0-9]+)\n");
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        std::smatch m;
        while (!std::regex_search(err_, m, kListening)) {
            if (std::chrono::steady_clock::now() > deadline || !pump(100ms)) return 0;
        }
        return unsigned(std::stoul(m[1]));
    }

    // Drains both pipes until stepvisor exits (killed after `timeout`).
    void finish(Session& s, std::chrono::seconds timeout = 20s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (pump(100ms) && std::chrono::steady_clock::now() < deadline) {}
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (child_) s.vm_status = child_->wait_exit(std::max(left, 0ms));
        if (child_ && child_->killed())
            ADD_FAILURE() << "stepvisor still running after gdb exited; stderr: " << err_;
        s.vm_out = out_;
        s.vm_err = err_;
    }

private:
    // One poll of both pipes; false once both are closed or the wait passed.
    bool pump(std::chrono::milliseconds wait) {
        pollfd p[2] = {{fds_[0], POLLIN, 0}, {fds_[1], POLLIN, 0}};
        if (fds_[0] < 0 && fds_[1] < 0) return false;
        if (poll(p, 2, int(wait.count())) < 0) return errno == EINTR;
        std::string* bufs[2] = {&out_, &err_};
        for (int i = 0; i < 2; ++i) {
            if (fds_[i] < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buf[4096];
            const ssize_t n = read(fds_[i], buf, sizeof buf);
            if (n > 0) {
                bufs[i]->append(buf, size_t(n));
            } else {
                close(fds_[i]);
                fds_[i] = -1;
            }
        }
        return true;
    }

    std::optional<Child> child_;
    int fds_[2] = {-1, -1};
    std::string out_, err_;
};

}  // namespace cli::test
