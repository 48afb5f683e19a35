#include "vmm/input_waker.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>

namespace vmm {

InputWaker::InputWaker(int fd, std::vector<uint8_t*> immediate_exit)
    : fd_(fd), immediate_exit_(std::move(immediate_exit)) {
    if (pipe2(stop_pipe_, O_CLOEXEC) != 0) return;  // no thread: input waits for UART reads
    thread_ = std::thread([this] { loop(); });
}

InputWaker::~InputWaker() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (stop_pipe_[1] >= 0) {
        char c = 0;
        (void)!write(stop_pipe_[1], &c, 1);
    }
    if (thread_.joinable()) thread_.join();
    for (int fd : stop_pipe_)
        if (fd >= 0) close(fd);
}

void InputWaker::ack() {
    {
        std::lock_guard lock(mutex_);
        acked_ = true;
    }
    cv_.notify_all();
}

void InputWaker::kick() {
    for (uint8_t* b : immediate_exit_)
        std::atomic_ref<uint8_t>(*b).store(1, std::memory_order_release);
}

void InputWaker::loop() {
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [this] { return acked_ || stopping_; });
            if (stopping_) return;
        }
        pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) continue;  // EINTR
        if (fds[1].revents) return;
        if (fds[0].revents & POLLIN) {
            {
                std::lock_guard lock(mutex_);
                acked_ = false;
            }
            kick();
        } else if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
            return;  // end of input: nothing more will come
        }
    }
}

}  // namespace vmm
