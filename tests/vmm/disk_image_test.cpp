// Opening disk images: what may be opened, and QEMU's image locks between
// two users in one process (each open is its own open file description, as
// two processes' are; tests/virtio_blk/disk_lock.sh runs QEMU and a second
// stepvisor against them).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <filesystem>
#include <unistd.h>

#include <vector>

#include "vmm/virtio/disk_image.h"
#include "vmm/virtio/image_lock.h"

namespace vmm::virtio {
namespace {

struct DiskImageTest : ::testing::Test {
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("blk-image-" + std::to_string(getpid()));
    std::string path = (dir / "disk.img").string();
    void SetUp() override {
        std::filesystem::create_directories(dir);
        ::close(::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644));
    }
    void TearDown() override { std::filesystem::remove_all(dir); }
};

TEST_F(DiskImageTest, SizeIsTheFileLength) {
    std::filesystem::resize_file(path, 12345);
    auto img = DiskImage::open(path, false);
    ASSERT_TRUE(img) << img.error().message;
    EXPECT_EQ(img.value().size(), 12345u);
    EXPECT_FALSE(img.value().readonly());
}

// snapshot=on: the guest reads back what it wrote, across block edges,
// and the file keeps its bytes.
TEST_F(DiskImageTest, SnapshotWritesStayInMemory) {
    std::vector<uint8_t> file(3 * 4096);
    for (size_t i = 0; i < file.size(); ++i) file[i] = uint8_t(i * 7);
    {
        auto w = DiskImage::open(path, false);
        ASSERT_TRUE(w);
        ASSERT_TRUE(w.value().write(0, file));
    }
    auto img = DiskImage::open_snapshot(path);
    ASSERT_TRUE(img) << img.error().message;
    EXPECT_FALSE(img.value().readonly());
    EXPECT_TRUE(img.value().snapshot());
    const std::vector<uint8_t> ones(5000, 0xFF);
    ASSERT_TRUE(img.value().write(4000, ones));
    std::vector<uint8_t> back(file.size());
    ASSERT_TRUE(img.value().read(0, back));
    for (size_t i = 0; i < back.size(); ++i)
        ASSERT_EQ(back[i], i >= 4000 && i < 9000 ? 0xFF : file[i]) << i;
    EXPECT_TRUE(img.value().flush());
    auto ro = DiskImage::open(path, true);  // a reader shares the snapshot's lock
    ASSERT_TRUE(ro);
    ASSERT_TRUE(ro.value().read(0, back));
    EXPECT_EQ(back, file);
}

TEST_F(DiskImageTest, WhatCannotBeADisk) {
    const std::pair<std::string, std::string> bad[] = {
        {(dir / "missing.img").string(), ": No such file or directory"},
        {dir.string(), ": Is a directory"},
        {"/dev/null", ": not a regular file or a block device"},
    };
    for (const auto& [p, why] : bad) {
        auto img = DiskImage::open(p, false);
        ASSERT_FALSE(img) << p;
        EXPECT_EQ(img.error().message, p + why);
    }
}

TEST_F(DiskImageTest, AWriterExcludesEveryone) {
    auto writer = DiskImage::open(path, false);
    ASSERT_TRUE(writer);
    auto second = DiskImage::open(path, false);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().message,
              path + ": Failed to get \"write\" lock (is another process using the image?)");
    auto reader = DiskImage::open(path, true);
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().message,
              path + ": Failed to get shared \"write\" lock (is another process using the image?)");
}

TEST_F(DiskImageTest, ReadersShareAndKeepWritersOut) {
    auto a = DiskImage::open(path, true);
    auto b = DiskImage::open(path, true);
    ASSERT_TRUE(a);
    ASSERT_TRUE(b) << b.error().message;
    EXPECT_FALSE(DiskImage::open(path, false));
}

TEST_F(DiskImageTest, LocksGoWithTheImage) {
    { auto w = DiskImage::open(path, false); ASSERT_TRUE(w); }
    auto again = DiskImage::open(path, false);
    EXPECT_TRUE(again) << again.error().message;
}

// The bytes QEMU 7.2's virtio-blk holds (seen in /proc/locks): 100 and 101
// (consistent read, write held), 201 (write refused); read-only 100 and 201.
TEST_F(DiskImageTest, LockBytesAreQemus) {
    auto held = [&](off_t byte) {
        const int fd = ::open(path.c_str(), O_RDONLY);
        struct flock fl {};
        fl.l_type = F_WRLCK;
        fl.l_whence = SEEK_SET;
        fl.l_start = byte;
        fl.l_len = 1;
        EXPECT_EQ(fcntl(fd, F_OFD_GETLK, &fl), 0);
        ::close(fd);
        return fl.l_type == F_RDLCK;
    };
    {
        auto w = DiskImage::open(path, false);
        ASSERT_TRUE(w);
        for (off_t b = 95; b < 210; ++b) EXPECT_EQ(held(b), b == 100 || b == 101 || b == 201) << b;
    }
    auto r = DiskImage::open(path, true);
    ASSERT_TRUE(r);
    for (off_t b = 95; b < 210; ++b) EXPECT_EQ(held(b), b == 100 || b == 201) << b;
}

}  // namespace
}  // namespace vmm::virtio
