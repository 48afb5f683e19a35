// The in-memory pipe: two byte queues under one mutex.
#include <condition_variable>
#include <deque>
#include <mutex>

#include "gdb/transport.h"

namespace gdb {

namespace {

struct Shared {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<uint8_t> queue[2];  // queue[i]: bytes for end i to read
    bool closed = false;
};

class PipeEnd : public Transport {
public:
    PipeEnd(std::shared_ptr<Shared> s, int me) : s_(std::move(s)), me_(me) {}
    ~PipeEnd() override { close(); }

    Result<size_t, TransportError> read(std::span<uint8_t> out,
                                        std::chrono::milliseconds timeout) override {
        std::unique_lock lock(s_->mu);
        auto& q = s_->queue[me_];
        s_->cv.wait_for(lock, timeout, [&] { return !q.empty() || s_->closed; });
        if (q.empty()) {
            if (s_->closed) return TransportError::Closed;
            return size_t(0);
        }
        size_t n = 0;
        while (n < out.size() && !q.empty()) {
            out[n++] = q.front();
            q.pop_front();
        }
        return n;
    }

    Result<std::monostate, TransportError> write(std::span<const uint8_t> data) override {
        std::lock_guard lock(s_->mu);
        if (s_->closed) return TransportError::Closed;
        s_->queue[1 - me_].insert(s_->queue[1 - me_].end(), data.begin(), data.end());
        s_->cv.notify_all();
        return std::monostate{};
    }

    // Either end closing closes both directions, like a socket hang-up;
    // bytes already queued can still be read.
    void close() override {
        std::lock_guard lock(s_->mu);
        s_->closed = true;
        s_->cv.notify_all();
    }

private:
    std::shared_ptr<Shared> s_;
    int me_;
};

}  // namespace

std::pair<std::unique_ptr<Transport>, std::unique_ptr<Transport>> make_pipe() {
    auto s = std::make_shared<Shared>();
    return {std::make_unique<PipeEnd>(s, 0), std::make_unique<PipeEnd>(s, 1)};
}

}  // namespace gdb
