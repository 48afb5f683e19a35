#include "vmm/reverse/channel.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <fmt/format.h>

namespace vmm::reverse {

Channel& Channel::operator=(Channel&& o) noexcept {
    if (this != &o) {
        close();
        fd_ = o.fd_;
        o.fd_ = -1;
    }
    return *this;
}

void Channel::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

kvm::Result<std::pair<Channel, Channel>> Channel::pair() {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0)
        return kvm::Error{fmt::format("socketpair: {}", std::strerror(errno))};
    for (int fd : fds) {
        const int size = int(kMaxMessage) + 4096;
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    }
    return std::pair<Channel, Channel>{Channel(fds[0]), Channel(fds[1])};
}

kvm::Result<void> Channel::send(const Message& m, int pass_fd) const {
    iovec iov{const_cast<uint8_t*>(m.raw().data()), m.raw().size()};
    uint8_t dummy = 0;
    if (m.raw().empty()) iov = {&dummy, 1};
    msghdr h{};
    h.msg_iov = &iov;
    h.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
    if (pass_fd >= 0) {
        h.msg_control = control;
        h.msg_controllen = sizeof control;
        cmsghdr* c = CMSG_FIRSTHDR(&h);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        std::memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
    }
    for (;;) {
        if (sendmsg(fd_, &h, MSG_NOSIGNAL) >= 0) return {};
        if (errno != EINTR) return kvm::Error{fmt::format("sendmsg: {}", std::strerror(errno))};
    }
}

kvm::Result<Message> Channel::receive(int* passed_fd) const {
    // One buffer per process, committed once: a fresh megabyte per message
    // would fault its pages in every time.
    static std::vector<uint8_t> buffer(kMaxMessage);
    Message m;
    iovec iov{buffer.data(), buffer.size()};
    msghdr h{};
    h.msg_iov = &iov;
    h.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
    h.msg_control = control;
    h.msg_controllen = sizeof control;
    ssize_t n;
    do n = recvmsg(fd_, &h, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n < 0) return kvm::Error{fmt::format("recvmsg: {}", std::strerror(errno))};
    if (n == 0) return kvm::Error{"the other end is gone"};
    if (passed_fd) *passed_fd = -1;
    for (cmsghdr* c = CMSG_FIRSTHDR(&h); c; c = CMSG_NXTHDR(&h, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        int fd;
        std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
        if (passed_fd) *passed_fd = fd;
        else ::close(fd);
    }
    m.raw().assign(buffer.begin(), buffer.begin() + n);
    return m;
}

bool Channel::wait_readable(int timeout_ms) const {
    pollfd p{fd_, POLLIN, 0};
    int r;
    do r = ::poll(&p, 1, timeout_ms);
    while (r < 0 && errno == EINTR);
    return r > 0;
}

}  // namespace vmm::reverse
