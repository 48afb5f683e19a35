// --disk FILE[,readonly=on|off]: what parses, and the one-line errors.
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

TEST(DiskSpec, ErrorsNameTheText) {
    const std::pair<std::string, std::string> bad[] = {
        {"", "--disk '': no file name"},
        {",readonly=on", "--disk ',readonly=on': no file name"},
        {"x,", "--disk 'x,': unknown key '' (readonly=on|off)"},
        {"x,ro=on", "--disk 'x,ro=on': unknown key 'ro' (readonly=on|off)"},
        {"x,format=raw", "--disk 'x,format=raw': unknown key 'format' (readonly=on|off)"},
        {"x,readonly", "--disk 'x,readonly': readonly='' is not on or off"},
        {"x,readonly=yes", "--disk 'x,readonly=yes': readonly='yes' is not on or off"},
        {"x,readonly=on,", "--disk 'x,readonly=on,': unknown key '' (readonly=on|off)"},
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
