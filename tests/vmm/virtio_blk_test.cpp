// virtio-blk (virtio §5.2) through the virtio-mmio transport, driven as a
// driver drives it (virtio_driver.h), on a real image file: each request
// type, the status byte, the configuration space, and what a malformed
// request gets.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <numeric>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/vmm/virtio_driver.h"
#include "vmm/virtio/blk.h"

namespace vmm::virtio {
namespace {

using test::VirtioDriver;
using Buf = VirtioDriver::Buf;

constexpr uint32_t kIn = 0, kOut = 1, kFlush = 4, kGetId = 8, kDiscard = 11, kWriteZeroes = 13;
constexpr uint8_t kOk = 0, kIoErr = 1, kUnsupp = 2;
constexpr uint64_t kHeader = VirtioDriver::kBuffers;
constexpr uint64_t kStatus = VirtioDriver::kBuffers + 0x100;
constexpr uint64_t kData = VirtioDriver::kBuffers + 0x1000;

// A temporary image of `sectors` sectors (plus `extra` bytes), sector i
// filled with the byte i + 1.
struct Image {
    std::string path;
    explicit Image(uint64_t sectors, uint64_t extra = 0, std::string name = "blk-test.img") {
        const auto dir =
            std::filesystem::temp_directory_path() / ("blk-unit-" + std::to_string(getpid()));
        std::filesystem::create_directories(dir);
        path = (dir / name).string();
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
        std::vector<uint8_t> bytes(sectors * 512 + extra);
        for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = uint8_t(i / 512 + 1);
        EXPECT_EQ(pwrite(fd, bytes.data(), bytes.size(), 0), ssize_t(bytes.size()));
        ::close(fd);
    }
    ~Image() { std::filesystem::remove_all(std::filesystem::path(path).parent_path()); }
    std::vector<uint8_t> bytes(uint64_t offset, size_t n) const {
        std::vector<uint8_t> v(n);
        const int fd = ::open(path.c_str(), O_RDONLY);
        EXPECT_EQ(pread(fd, v.data(), n, off_t(offset)), ssize_t(n));
        ::close(fd);
        return v;
    }
    uint64_t size() const { return std::filesystem::file_size(path); }
};

struct BlkTest : ::testing::Test {
    Image image{64};
    std::unique_ptr<VirtioDriver> drv;

    void open(bool readonly = false, const std::string& path = "") {
        drv.reset();  // its image lock with it
        auto img = DiskImage::open(path.empty() ? image.path : path, readonly);
        ASSERT_TRUE(img) << img.error().message;
        auto shared = std::make_shared<const DiskImage>(std::move(img.value()));
        drv = std::make_unique<VirtioDriver>(std::make_unique<Blk>(shared));
        drv->start();
    }
    void header(uint32_t type, uint64_t sector) {
        store_le({drv->at(kHeader), 4}, type);
        store_le({drv->at(kHeader + 4), 4}, 0);
        store_le({drv->at(kHeader + 8), 8}, sector);
        *drv->at(kStatus) = 0xEE;
    }
    // header, then data (device-readable or -writable), then the status byte.
    std::optional<uint32_t> request(uint32_t type, uint64_t sector, std::vector<Buf> data = {}) {
        header(type, sector);
        std::vector<Buf> chain{{kHeader, 16, false}};
        chain.insert(chain.end(), data.begin(), data.end());
        chain.push_back({kStatus, 1, true});
        return drv->submit(chain);
    }
    uint8_t status() { return *drv->at(kStatus); }
    std::vector<uint8_t> ram(uint64_t gpa, size_t n) { return {drv->at(gpa), drv->at(gpa) + n}; }
};

TEST_F(BlkTest, ConfigurationSpaceAndFeatures) {
    open();
    EXPECT_EQ(drv->rd(MmioTransport::DeviceID), kDeviceBlock);
    EXPECT_EQ(drv->config<uint64_t>(0), 64u);  // capacity in sectors
    EXPECT_EQ(drv->config<uint32_t>(12), 254u);  // seg_max
    EXPECT_EQ(drv->config<uint32_t>(20), 512u);  // blk_size
    const uint64_t f = drv->device_features();
    EXPECT_TRUE(f & bit(Blk::kFeatureSegMax));
    EXPECT_TRUE(f & bit(Blk::kFeatureBlkSize));
    EXPECT_TRUE(f & bit(Blk::kFeatureFlush));
    EXPECT_FALSE(f & bit(Blk::kFeatureRo));
    // The temporary directory is on a file system that punches holes
    // (ext4, tmpfs, xfs, btrfs): discard is offered, with its limits.
    EXPECT_TRUE(f & bit(Blk::kFeatureDiscard));
    EXPECT_EQ(drv->config<uint32_t>(36), Blk::kMaxDiscardSectors);
    EXPECT_EQ(drv->config<uint32_t>(40), 1u);
    EXPECT_EQ(drv->config<uint32_t>(44), 1u);
}

TEST_F(BlkTest, ReadIntoSplitBuffersReportsDataAndStatus) {
    open();
    auto len = request(kIn, 2, {{kData, 300, true}, {kData + 0x1000, 724, true}});
    ASSERT_TRUE(len);
    EXPECT_EQ(*len, 1024u + 1);
    EXPECT_EQ(status(), kOk);
    EXPECT_EQ(ram(kData, 300), std::vector<uint8_t>(300, 3));
    EXPECT_EQ(ram(kData + 0x1000, 212), std::vector<uint8_t>(212, 3));
    EXPECT_EQ(ram(kData + 0x1000 + 212, 512), std::vector<uint8_t>(512, 4));
    // Every byte the device wrote went through memory_written.
    uint64_t covered = 0;
    for (const GpaRange& r : drv->written)
        if (r.base >= kData && r.end() <= kData + 0x1000 + 724) covered += r.size;
    EXPECT_EQ(covered, 1024u);
}

TEST_F(BlkTest, WriteReachesTheFileAndReadsBack) {
    open();
    std::vector<uint8_t> data(3 * 512);
    std::iota(data.begin(), data.end(), 0);
    std::copy(data.begin(), data.end(), drv->at(kData));
    auto len = request(kOut, 10, {{kData, 1000, false}, {kData + 1000, 536, false}});
    ASSERT_TRUE(len);
    EXPECT_EQ(*len, 1u);
    EXPECT_EQ(status(), kOk);
    EXPECT_EQ(image.bytes(10 * 512, data.size()), data);
    EXPECT_EQ(image.bytes(13 * 512, 512), std::vector<uint8_t>(512, 14));  // untouched
    EXPECT_EQ(image.size(), 64u * 512);
}

TEST_F(BlkTest, RequestsLargerThanTheBounceBufferGoWhole) {
    const uint32_t n = 2 * Blk::kBounceSize + 3 * 512;  // 259 KiB, three host writes
    Image big(n / 512 + 8, 0, "big.img");
    open(false, big.path);
    for (uint32_t i = 0; i < n; ++i) *drv->at(kData + i) = uint8_t(i * 7);
    ASSERT_TRUE(request(kOut, 4, {{kData, n, false}}));
    EXPECT_EQ(status(), kOk);
    std::memset(drv->at(kData), 0, n);
    ASSERT_TRUE(request(kIn, 4, {{kData, n, true}}));
    EXPECT_EQ(status(), kOk);
    for (uint32_t i = 0; i < n; ++i) ASSERT_EQ(*drv->at(kData + i), uint8_t(i * 7)) << i;
}

TEST_F(BlkTest, FlushAndGetId) {
    open();
    ASSERT_TRUE(request(kFlush, 0));
    EXPECT_EQ(status(), kOk);
    auto len = request(kGetId, 0, {{kData, 20, true}});
    ASSERT_TRUE(len);
    EXPECT_EQ(*len, 21u);
    EXPECT_EQ(status(), kOk);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(drv->at(kData))), "blk-test.img");
}

TEST_F(BlkTest, GetIdCutsALongNameToTwentyBytes) {
    Image img(4, 0, "a-disk-image-with-a-long-name.raw");
    open(false, img.path);
    std::memset(drv->at(kData), 0xFF, 32);
    ASSERT_TRUE(request(kGetId, 0, {{kData, 32, true}}));
    EXPECT_EQ(status(), kOk);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(drv->at(kData)), 20),
              "a-disk-image-with-a-");
    EXPECT_EQ(*drv->at(kData + 20), 0xFF);  // 20 bytes, no more
}

TEST_F(BlkTest, DiscardPunchesAHoleThatReadsAsZeros) {
    open();
    auto seg = [&](uint64_t sector, uint32_t count, uint32_t flags) {
        store_le({drv->at(kData), 8}, sector);
        store_le({drv->at(kData + 8), 4}, count);
        store_le({drv->at(kData + 12), 4}, flags);
    };
    seg(8, 16, 0);  // 8 KiB at 4 KiB: whole host blocks
    ASSERT_TRUE(request(kDiscard, 0, {{kData, 16, false}}));
    EXPECT_EQ(status(), kOk);
    EXPECT_EQ(image.bytes(8 * 512, 16 * 512), std::vector<uint8_t>(16 * 512, 0));
    EXPECT_EQ(image.bytes(7 * 512, 512), std::vector<uint8_t>(512, 8));
    EXPECT_EQ(image.bytes(24 * 512, 512), std::vector<uint8_t>(512, 25));
    EXPECT_EQ(image.size(), 64u * 512);  // the size stays
    seg(8, 16, 1);  // unmap is for write zeroes only
    ASSERT_TRUE(request(kDiscard, 0, {{kData, 16, false}}));
    EXPECT_EQ(status(), kUnsupp);
    seg(60, 8, 0);  // past the capacity
    ASSERT_TRUE(request(kDiscard, 0, {{kData, 16, false}}));
    EXPECT_EQ(status(), kIoErr);
    seg(0, 8, 0);  // two segments, max_discard_seg is 1
    std::memcpy(drv->at(kData + 16), drv->at(kData), 16);
    ASSERT_TRUE(request(kDiscard, 0, {{kData, 32, false}}));
    EXPECT_EQ(status(), kUnsupp);
    ASSERT_TRUE(request(kDiscard, 0, {{kData, 12, false}}));  // not whole segments
    EXPECT_EQ(status(), kIoErr);
}

TEST_F(BlkTest, OutOfRangeAndPartialSectorsAreIoErrors) {
    open();
    const std::pair<uint64_t, uint32_t> bad[] = {
        {64, 512},             // starts at the capacity
        {63, 1024},            // runs past it
        {UINT64_MAX / 256, 512},  // sector * 512 would wrap
        {0, 100},              // not a whole sector
    };
    for (const auto& [sector, bytes] : bad) {
        for (uint32_t type : {kIn, kOut}) {
            ASSERT_TRUE(request(type, sector, {{kData, bytes, type == kIn}}));
            EXPECT_EQ(status(), kIoErr) << "type " << type << " sector " << sector;
        }
    }
    EXPECT_EQ(image.bytes(63 * 512, 512), std::vector<uint8_t>(512, 64));
    ASSERT_TRUE(request(kIn, 64, {}));  // nothing at the end: fine
    EXPECT_EQ(status(), kOk);
}

TEST_F(BlkTest, UnknownTypesAreUnsupported) {
    open();
    for (uint32_t type : {2u, kWriteZeroes, 0xFFFFFFFFu}) {
        ASSERT_TRUE(request(type, 0, {{kData, 512, true}}));
        EXPECT_EQ(status(), kUnsupp) << type;
    }
}

TEST_F(BlkTest, ReadOnlyDiskRefusesWritesAndDiscards) {
    open(true);
    const uint64_t f = drv->device_features();
    EXPECT_TRUE(f & bit(Blk::kFeatureRo));
    EXPECT_FALSE(f & bit(Blk::kFeatureDiscard));
    std::memset(drv->at(kData), 0xAB, 512);
    ASSERT_TRUE(request(kOut, 0, {{kData, 512, false}}));
    EXPECT_EQ(status(), kIoErr);
    EXPECT_EQ(image.bytes(0, 512), std::vector<uint8_t>(512, 1));
    ASSERT_TRUE(request(kDiscard, 0, {{kData, 16, false}}));
    EXPECT_EQ(status(), kUnsupp);
    ASSERT_TRUE(request(kIn, 1, {{kData, 512, true}}));
    EXPECT_EQ(status(), kOk);
    ASSERT_TRUE(request(kFlush, 0));
    EXPECT_EQ(status(), kOk);
}

// 1000 bytes: capacity 2 sectors, as QEMU rounds up; the tail reads as
// zeros and a write there grows the file to the sector's end.
TEST_F(BlkTest, SizeNotAMultipleOfTheSectorRoundsUp) {
    Image odd(1, 488, "odd.img");
    open(false, odd.path);
    EXPECT_EQ(drv->config<uint64_t>(0), 2u);
    ASSERT_TRUE(request(kIn, 1, {{kData, 512, true}}));
    EXPECT_EQ(status(), kOk);
    EXPECT_EQ(ram(kData, 488), std::vector<uint8_t>(488, 2));
    EXPECT_EQ(ram(kData + 488, 24), std::vector<uint8_t>(24, 0));
    ASSERT_TRUE(request(kOut, 1, {{kData, 512, false}}));
    EXPECT_EQ(status(), kOk);
    EXPECT_EQ(odd.size(), 1024u);
}

// A chain the device cannot answer (no header, no status byte) fails the
// device, as QEMU's virtio_error does; nothing is put on the used ring.
TEST_F(BlkTest, RequestWithoutHeaderOrStatusNeedsReset) {
    open();
    header(kIn, 0);
    EXPECT_FALSE(drv->submit({{kHeader, 8, false}, {kStatus, 1, true}}));
    EXPECT_TRUE(drv->status() & kNeedsReset);
    open();
    header(kFlush, 0);
    EXPECT_FALSE(drv->submit({{kHeader, 16, false}}));
    EXPECT_TRUE(drv->status() & kNeedsReset);
    EXPECT_EQ(image.bytes(0, 512), std::vector<uint8_t>(512, 1));
}

// The status byte is the last writable byte, after any data.
TEST_F(BlkTest, StatusGoesInTheLastWritableByte) {
    open();
    *drv->at(kData + 512) = 0xEE;
    header(kIn, 5);
    ASSERT_TRUE(drv->submit({{kHeader, 16, false}, {kData, 513, true}}));
    EXPECT_EQ(*drv->at(kData + 512), kOk);
    EXPECT_EQ(ram(kData, 512), std::vector<uint8_t>(512, 6));
}

}  // namespace
}  // namespace vmm::virtio
