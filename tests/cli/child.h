// The stepvisor binary as a child process with chosen stdin/stdout/stderr,
// for the CLI tests that talk to a running guest. Every wait is bounded so a
// hanging VMM fails the test instead of blocking the suite.
#pragma once

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace cli::test {

class Child {
public:
    // Starts STEPVISOR_BINARY with args; each fd >= 0 becomes the child's
    // stdin, stdout or stderr (the others are inherited).
    Child(std::vector<std::string> args, int in, int out, int err) {
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        const int fds[3] = {in, out, err};
        for (int i = 0; i < 3; ++i)
            if (fds[i] >= 0) posix_spawn_file_actions_adddup2(&fa, fds[i], i);
        args.insert(args.begin(), STEPVISOR_BINARY);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        const int rc = posix_spawn(&pid_, STEPVISOR_BINARY, &fa, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&fa);
        if (rc != 0) {
            ADD_FAILURE() << "posix_spawn " << STEPVISOR_BINARY << ": " << std::strerror(rc);
            pid_ = -1;
        }
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child() {
        if (pid_ > 0) wait_exit(std::chrono::seconds(0));
    }

    bool started() const { return pid_ > 0; }
    // wait_exit had to kill it.
    bool killed() const { return killed_; }
    pid_t pid() const { return pid_; }

    // The exit status, or -1 if it did not exit by itself within `timeout`
    // (then it is killed) or died of a signal.
    int wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        if (pid_ <= 0) return -1;
        int st = 0;
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (waitpid(pid_, &st, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() >= deadline) {
                kill(pid_, SIGKILL);
                waitpid(pid_, &st, 0);
                pid_ = -1;
                killed_ = true;
                return -1;
            }
            usleep(10000);
        }
        pid_ = -1;
        return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    }

private:
    pid_t pid_ = -1;
    bool killed_ = false;
};

// Reads fd until `want` appears, it closes, or nothing arrives for `idle`.
inline std::string read_until(int fd, const std::string& want,
                              std::chrono::milliseconds idle = std::chrono::seconds(20)) {
    std::string got;
    pollfd p{fd, POLLIN, 0};
    char buf[256];
    ssize_t n;
    while (got.find(want) == std::string::npos && poll(&p, 1, int(idle.count())) > 0 &&
           (n = read(fd, buf, sizeof buf)) > 0)
        got.append(buf, size_t(n));
    return got;
}

}  // namespace cli::test
