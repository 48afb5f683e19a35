#include "vmm/fd_waker.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>

namespace vmm {

FdWaker::FdWaker(std::function<void()> kick) : kick_(std::move(kick)) {
    wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd_ < 0) return;  // no thread: sockets wait for the next exit
    thread_ = std::thread([this] { loop(); });
}

FdWaker::~FdWaker() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (wake_fd_ >= 0) {
        const uint64_t one = 1;
        (void)!write(wake_fd_, &one, sizeof one);
    }
    if (thread_.joinable()) thread_.join();
    if (wake_fd_ >= 0) close(wake_fd_);
}

void FdWaker::watch(std::vector<pollfd> fds, int timeout_ms) {
    {
        std::lock_guard lock(mutex_);
        fds_ = std::move(fds);
        timeout_ms_ = timeout_ms;
        ++generation_;
        armed_ = true;
    }
    cv_.notify_all();
    // Ends a poll() on the previous set.
    const uint64_t one = 1;
    if (wake_fd_ >= 0) (void)!write(wake_fd_, &one, sizeof one);
}

bool FdWaker::current(uint64_t generation) {
    std::lock_guard lock(mutex_);
    if (stopping_ || generation_ != generation) return false;
    armed_ = false;
    return true;
}

void FdWaker::loop() {
    std::vector<pollfd> fds;
    for (;;) {
        int timeout_ms;
        uint64_t generation;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [this] { return armed_ || stopping_; });
            if (stopping_) return;
            fds = fds_;
            timeout_ms = timeout_ms_;
            generation = generation_;
        }
        fds.push_back({wake_fd_, POLLIN, 0});
        const int n = poll(fds.data(), fds.size(), timeout_ms);
        if (n < 0) continue;  // EINTR
        if (fds.back().revents) {
            uint64_t count;
            (void)!read(wake_fd_, &count, sizeof count);
        }
        // Only the eventfd (a new set, or stop): take the new set.
        const bool ready =
            std::any_of(fds.begin(), fds.end() - 1, [](const pollfd& p) { return p.revents != 0; });
        if (n > 0 && !ready) continue;
        if (!current(generation)) continue;  // the set changed meanwhile, or stop
        fired_.store(true, std::memory_order_release);
        kick_();
    }
}

}  // namespace vmm
