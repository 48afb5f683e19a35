// Host sockets while the vcpus run or wait in WFI: a thread polls a set of
// descriptors that the VMM's thread hands it (copies of a backend's own
// poll set: the thread never reads or writes them) and, when one is ready
// or the set's timeout passes, sets fired() and kicks the vcpus out of
// run(), so that the VMM polls the backend. It then waits for the next set
// (watch()), so one readiness is one kick. The sibling of InputWaker, for
// a set that changes as sockets come and go.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <poll.h>

namespace vmm {

class FdWaker {
public:
    explicit FdWaker(std::function<void()> kick);
    ~FdWaker();
    FdWaker(const FdWaker&) = delete;
    FdWaker& operator=(const FdWaker&) = delete;

    // VMM thread: watch these from now on (replacing the last set; revents
    // ignored), and kick after timeout_ms at the latest (-1: never).
    void watch(std::vector<pollfd> fds, int timeout_ms);
    // VMM thread: whether the thread kicked since the last call (always
    // true without a thread: then every poll must look).
    bool take_fired() {
        return !thread_.joinable() || fired_.exchange(false, std::memory_order_acquire);
    }

private:
    void loop();
    // Whether the set is unchanged since it was copied as `generation`.
    bool current(uint64_t generation);

    std::function<void()> kick_;
    int wake_fd_ = -1;  // an eventfd: a new set, or stop
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<pollfd> fds_;
    int timeout_ms_ = -1;
    uint64_t generation_ = 0;
    bool armed_ = false;
    bool stopping_ = false;
    std::atomic<bool> fired_{false};
    std::thread thread_;
};

}  // namespace vmm
