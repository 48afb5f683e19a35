// FdWaker on real pipes: a descriptor that becomes readable kicks once and
// sets fired(); no second kick until the VMM hands a new set; the timeout
// kicks with nothing ready; a new set replaces the old one.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "vmm/fd_waker.h"

namespace vmm {
namespace {

using namespace std::chrono_literals;

struct FdWakerTest : ::testing::Test {
    std::mutex mutex;
    std::condition_variable cv;
    int kicks = 0;
    FdWaker waker{[this] {
        std::lock_guard lock(mutex);
        ++kicks;
        cv.notify_all();
    }};
    int a[2] = {-1, -1}, b[2] = {-1, -1};

    void SetUp() override {
        ASSERT_EQ(pipe2(a, O_CLOEXEC), 0);
        ASSERT_EQ(pipe2(b, O_CLOEXEC), 0);
    }
    void TearDown() override {
        for (int fd : {a[0], a[1], b[0], b[1]}) close(fd);
    }
    // Whether the kick count reaches n within `limit`.
    bool kicked(int n, std::chrono::milliseconds limit) {
        std::unique_lock lock(mutex);
        return cv.wait_for(lock, limit, [&] { return kicks >= n; });
    }
};

TEST_F(FdWakerTest, AReadableDescriptorKicksOnceUntilTheNextSet) {
    waker.watch({{a[0], POLLIN, 0}}, -1);
    EXPECT_FALSE(kicked(1, 100ms));
    EXPECT_FALSE(waker.take_fired());
    ASSERT_EQ(write(a[1], "x", 1), 1);
    ASSERT_TRUE(kicked(1, 5s));
    EXPECT_TRUE(waker.take_fired());
    EXPECT_FALSE(waker.take_fired());
    EXPECT_FALSE(kicked(2, 100ms));        // still readable, but the VMM has not looked yet
    waker.watch({{a[0], POLLIN, 0}}, -1);  // the VMM polled and left the byte there
    EXPECT_TRUE(kicked(2, 5s));
}

TEST_F(FdWakerTest, TheTimeoutKicksWithNothingReady) {
    waker.watch({{a[0], POLLIN, 0}}, 10);
    EXPECT_TRUE(kicked(1, 5s));
    EXPECT_TRUE(waker.take_fired());
}

TEST_F(FdWakerTest, ANewSetReplacesTheOld) {
    waker.watch({{a[0], POLLIN, 0}}, -1);
    waker.watch({{b[0], POLLIN, 0}}, -1);
    ASSERT_EQ(write(a[1], "x", 1), 1);
    EXPECT_FALSE(kicked(1, 200ms));
    ASSERT_EQ(write(b[1], "x", 1), 1);
    EXPECT_TRUE(kicked(1, 5s));
}

}  // namespace
}  // namespace vmm
