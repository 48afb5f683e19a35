// A FLUSH completes to the guest only after the host's fdatasync returned
// (virtio §5.2.6.1: the driver may count on the data being durable once it
// sees the completion). Run under LD_PRELOAD=sync_shim.so: the shim logs
// every pwrite and fdatasync with the virtqueue's used index as it was at
// the call's entry and return. Swapping the order (completing, then
// syncing) shows the used index already moved inside fdatasync, and fails.
// Killing the process would prove nothing: the page cache survives it.
#include <gtest/gtest.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <regex>
#include <unistd.h>

#include "tests/vmm/virtio_driver.h"
#include "vmm/virtio/blk.h"

namespace vmm::virtio {
namespace {

using test::VirtioDriver;

struct Call {
    std::string name;
    long long offset = 0, len = 0, entry_ns = 0, return_ns = 0;
    int watched_entry = 0, watched_return = 0;
};

std::vector<Call> read_log(const std::string& path) {
    std::ifstream in(path);
    const std::regex line(R"(\d+ (\w+) fd=\d+ offset=(\d+) len=(\d+) entry_ns=(\d+) )"
                          R"(return_ns=(\d+) watched_entry=(-?\d+) watched_return=(-?\d+))");
    std::vector<Call> calls;
    for (std::string s; std::getline(in, s);) {
        std::smatch m;
        if (!std::regex_match(s, m, line)) continue;
        calls.push_back({m[1], std::stoll(m[2]), std::stoll(m[3]), std::stoll(m[4]),
                         std::stoll(m[5]), std::stoi(m[6]), std::stoi(m[7])});
    }
    return calls;
}

// A disk, a driver that negotiated all but `refuse`, the shim watching the
// used index, and an empty log.
struct BlkFlushOrder : ::testing::Test {
    using Watch = void (*)(const volatile uint16_t*);
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("blk-flush-" + std::to_string(getpid()));
    const char* log = std::getenv("SYNC_SHIM_LOG");
    std::unique_ptr<VirtioDriver> drv;
    const uint64_t hdr = VirtioDriver::kBuffers, status = hdr + 0x100, data = hdr + 0x1000;

    void start(uint64_t refuse) {
        auto watch = reinterpret_cast<Watch>(dlsym(RTLD_DEFAULT, "sync_shim_watch"));
        ASSERT_NE(watch, nullptr) << "sync_shim.so is not preloaded (LD_PRELOAD)";
        ASSERT_NE(log, nullptr) << "SYNC_SHIM_LOG names no file";
        std::filesystem::create_directories(dir);
        const std::string path = (dir / "disk.img").string();
        ::close(::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644));
        std::filesystem::resize_file(path, 64 * 512);
        auto image = DiskImage::open(path, false);
        ASSERT_TRUE(image) << image.error().message;
        drv = std::make_unique<VirtioDriver>(
            std::make_unique<Blk>(std::make_shared<const DiskImage>(std::move(image.value()))));
        drv->start(refuse);
        watch(reinterpret_cast<const volatile uint16_t*>(drv->at(VirtioDriver::kUsed + 2)));
        std::ofstream(log, std::ios::trunc).close();
    }
    void TearDown() override { std::filesystem::remove_all(dir); }

    // header, (4 KiB of data,) status; the request must succeed.
    void request(uint32_t type, uint64_t sector, bool with_data) {
        store_le({drv->at(hdr), 4}, type);
        store_le({drv->at(hdr + 8), 8}, sector);
        std::vector<VirtioDriver::Buf> chain{{hdr, 16, false}};
        if (with_data) chain.push_back({data, 4096, false});
        chain.push_back({status, 1, true});
        ASSERT_TRUE(drv->submit(chain));
        ASSERT_EQ(*drv->at(status), 0) << "request type " << type;
    }
    // The pwrite of an OUT of 4 KiB at sector 8, before its completion.
    void expect_write(const Call& write) {
        EXPECT_EQ(write.name, "pwrite");
        EXPECT_EQ(write.offset, 8 * 512);
        EXPECT_EQ(write.len, 4096);
        EXPECT_EQ(write.watched_entry, 0) << "the OUT completed before its data was written";
    }
};

TEST_F(BlkFlushOrder, FlushCompletesOnlyAfterFdatasyncReturned) {
    ASSERT_NO_FATAL_FAILURE(start(0));
    std::memset(drv->at(data), 0x5A, 4096);
    ASSERT_NO_FATAL_FAILURE(request(1, 8, true));  // OUT
    ASSERT_NO_FATAL_FAILURE(request(4, 0, false));  // FLUSH
    EXPECT_EQ(drv->used_idx(), 2);

    const std::vector<Call> calls = read_log(log);
    ASSERT_EQ(calls.size(), 2u) << "expected one pwrite and one fdatasync in " << log;
    expect_write(calls[0]);
    const Call& sync = calls[1];
    EXPECT_EQ(sync.name, "fdatasync");
    EXPECT_LE(calls[0].return_ns, sync.entry_ns) << "fdatasync ran before the pwrite returned";
    // While fdatasync ran, the guest saw the OUT completed and not the FLUSH.
    EXPECT_EQ(sync.watched_entry, 1) << "the FLUSH completed before fdatasync was called";
    EXPECT_EQ(sync.watched_return, 1) << "the FLUSH completed while fdatasync ran";
}

// Without FLUSH negotiated the disk is write-through: the OUT itself
// completes only after its fdatasync.
TEST_F(BlkFlushOrder, WithoutFlushEachWriteCompletesAfterFdatasync) {
    ASSERT_NO_FATAL_FAILURE(start(bit(Blk::kFeatureFlush)));
    std::memset(drv->at(data), 0xA5, 4096);
    ASSERT_NO_FATAL_FAILURE(request(1, 8, true));  // OUT
    EXPECT_EQ(drv->used_idx(), 1);

    const std::vector<Call> calls = read_log(log);
    ASSERT_EQ(calls.size(), 2u) << "expected one pwrite and one fdatasync in " << log;
    expect_write(calls[0]);
    EXPECT_EQ(calls[1].name, "fdatasync");
    EXPECT_EQ(calls[1].watched_return, 0) << "the OUT completed before fdatasync returned";
}

}  // namespace
}  // namespace vmm::virtio
