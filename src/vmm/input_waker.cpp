#include "vmm/input_waker.h"

#include <fcntl.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <atomic>

namespace vmm {

namespace {
constexpr uint64_t kInput = 0, kStop = 1;  // epoll_event.data
}  // namespace

InputWaker::InputWaker(int fd, std::vector<uint8_t*> immediate_exit)
    : fd_(fd), immediate_exit_(std::move(immediate_exit)) {
    // No thread when either fails: input then waits for UART reads.
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0 || pipe2(stop_pipe_, O_CLOEXEC) != 0) return;
    epoll_event input{EPOLLIN | EPOLLONESHOT, {.u64 = kInput}};
    epoll_event stop{EPOLLIN, {.u64 = kStop}};
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd_, &input) != 0 ||
        epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, stop_pipe_[0], &stop) != 0)
        return;
    thread_ = std::thread([this] { loop(); });
}

InputWaker::~InputWaker() {
    if (stop_pipe_[1] >= 0) {
        char c = 0;
        (void)!write(stop_pipe_[1], &c, 1);
    }
    if (thread_.joinable()) thread_.join();
    for (int fd : {stop_pipe_[0], stop_pipe_[1], epoll_fd_})
        if (fd >= 0) close(fd);
}

void InputWaker::watch(uint32_t events) {
    if (!thread_.joinable()) return;
    epoll_event e{events | EPOLLONESHOT, {.u64 = kInput}};
    epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd_, &e);
}

void InputWaker::ack() { watch(EPOLLIN); }

void InputWaker::hold() { watch(0); }

void InputWaker::kick() {
    for (uint8_t* b : immediate_exit_)
        std::atomic_ref<uint8_t>(*b).store(1, std::memory_order_release);
}

// Each input event disarms the descriptor (EPOLLONESHOT) until ack().
void InputWaker::loop() {
    for (;;) {
        epoll_event e;
        if (epoll_wait(epoll_fd_, &e, 1, -1) <= 0) continue;  // EINTR
        if (e.data.u64 == kStop) return;
        if (e.events & EPOLLIN) kick();
        else if (e.events & (EPOLLHUP | EPOLLERR)) return;  // end of input: nothing more will come
    }
}

}  // namespace vmm
