// --disk FILE[,readonly=on|off][,snapshot=on|off]: what parses, and the one-line errors.
#include <gtest/gtest.h>

#include "vmm/disk_spec.h"

namespace vmm {
namespace {

TEST(DiskSpec, FileAndReadonly) {
    const std::tuple<std::string, std::string, bool> good[] = {
        {"disk.img", "disk.img", false},
        {"/a/b c.img,readonly=on", "/a/b c.img", true},
        {"x,readonly=off", "x", false},
        {"x,readonly=on,readonly=off", "x", false},  // the last one wins, as QEMU
    };
    for (const auto& [text, path, ro] : good) {
        auto s = parse_disk_spec(text);
        ASSERT_TRUE(s) << text << ": " << s.error().message;
        EXPECT_EQ(s.value().path, path);
        EXPECT_EQ(s.value().readonly, ro) << text;
    }
}

TEST(DiskSpec, Snapshot) {
    auto s = parse_disk_spec("x,snapshot=on");
    ASSERT_TRUE(s);
    EXPECT_TRUE(s.value().snapshot);
    EXPECT_FALSE(s.value().readonly);
    s = parse_disk_spec("x,snapshot=on,snapshot=off");
    ASSERT_TRUE(s);
    EXPECT_FALSE(s.value().snapshot);
    s = parse_disk_spec("x,snapshot=maybe");
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().message, "--disk 'x,snapshot=maybe': snapshot='maybe' is not on or off");
}

TEST(DiskSpec, ErrorsNameTheText) {
    const std::pair<std::string, std::string> bad[] = {
        {"", "--disk '': no file name"},
        {",readonly=on", "--disk ',readonly=on': no file name"},
        {"x,", "--disk 'x,': unknown key '' (readonly=on|off, snapshot=on|off)"},
        {"x,ro=on", "--disk 'x,ro=on': unknown key 'ro' (readonly=on|off, snapshot=on|off)"},
        {"x,format=raw", "--disk 'x,format=raw': unknown key 'format' (readonly=on|off, snapshot=on|off)"},
        {"x,readonly", "--disk 'x,readonly': readonly='' is not on or off"},
        {"x,readonly=yes", "--disk 'x,readonly=yes': readonly='yes' is not on or off"},
        {"x,readonly=on,", "--disk 'x,readonly=on,': unknown key '' (readonly=on|off, snapshot=on|off)"},
    };
    for (const auto& [text, message] : bad) {
        auto s = parse_disk_spec(text);
        ASSERT_FALSE(s) << text;
        EXPECT_EQ(s.error().message, message);
    }
}

TEST(DiskSpec, DiskDeviceOpensNowAndNamesTheFile) {
    auto d = disk_device("/nonexistent/disk.img");
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().message, "--disk /nonexistent/disk.img: No such file or directory");
}

}  // namespace
}  // namespace vmm
