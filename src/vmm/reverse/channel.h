// The front end's line to one machine process of reverse execution (a
// SOCK_SEQPACKET socketpair: one message per request or reply, a
// descriptor passed along where a message needs one), and the messages'
// encoding: fixed-width little-endian fields written and read in order.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "kvm/result.h"

namespace vmm::reverse {

class Message {
public:
    template <typename T>
        requires std::is_trivially_copyable_v<T>
    Message& put(const T& v) {
        const size_t at = bytes_.size();
        bytes_.resize(at + sizeof v);
        std::memcpy(bytes_.data() + at, &v, sizeof v);
        return *this;
    }
    Message& put_bytes(std::span<const uint8_t> b) {
        put(uint32_t(b.size()));
        const size_t at = bytes_.size();
        bytes_.resize(at + b.size());
        if (!b.empty()) std::memcpy(bytes_.data() + at, b.data(), b.size());
        return *this;
    }
    Message& put_string(std::string_view s) {
        return put_bytes({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
    }

    // Reads fail soft: past the end a read yields zeros and ok() turns false.
    template <typename T>
        requires std::is_trivially_copyable_v<T>
    T get() {
        T v{};
        if (at_ + sizeof v > bytes_.size()) {
            ok_ = false;
            return v;
        }
        std::memcpy(&v, bytes_.data() + at_, sizeof v);
        at_ += sizeof v;
        return v;
    }
    std::vector<uint8_t> get_bytes() {
        const uint32_t n = get<uint32_t>();
        if (!ok_ || at_ + n > bytes_.size()) {
            ok_ = false;
            return {};
        }
        std::vector<uint8_t> b(bytes_.begin() + long(at_), bytes_.begin() + long(at_ + n));
        at_ += n;
        return b;
    }
    std::string get_string() {
        const std::vector<uint8_t> b = get_bytes();
        return {b.begin(), b.end()};
    }
    bool ok() const { return ok_; }

    std::vector<uint8_t>& raw() { return bytes_; }
    const std::vector<uint8_t>& raw() const { return bytes_; }

private:
    std::vector<uint8_t> bytes_;
    size_t at_ = 0;
    bool ok_ = true;
};

class Channel {
public:
    // The largest message: a memory read of a whole gdb packet, hex-free.
    static constexpr size_t kMaxMessage = 1 << 20;

    Channel() = default;
    explicit Channel(int fd) : fd_(fd) {}
    ~Channel() { close(); }
    Channel(Channel&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    Channel& operator=(Channel&& o) noexcept;
    Channel(const Channel&) = delete;
    Channel& operator=(const Channel&) = delete;

    // A connected pair: one end for each side.
    static kvm::Result<std::pair<Channel, Channel>> pair();

    kvm::Result<void> send(const Message& m, int pass_fd = -1) const;
    // Blocks for the next message; an error when the other end is gone.
    kvm::Result<Message> receive(int* passed_fd = nullptr) const;
    // Waits up to timeout_ms (-1: for ever) for a message to read.
    bool wait_readable(int timeout_ms) const;
    int fd() const { return fd_; }
    // Gives up the descriptor without closing it.
    int release() {
        const int f = fd_;
        fd_ = -1;
        return f;
    }
    void close();

private:
    int fd_ = -1;
};

}  // namespace vmm::reverse
