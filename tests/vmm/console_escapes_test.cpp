// The console's Ctrl-A escapes, byte by byte, as QEMU's mux reads them.
#include <gtest/gtest.h>

#include <string>

#include "vmm/console_escapes.h"

namespace vmm {
namespace {

using Effect = ConsoleEscapes::Effect;

// One letter per byte: g(uest), s(wallowed), h(elp), q(uit).
std::string effects(const std::string& keys) {
    ConsoleEscapes e;
    std::string out;
    for (char c : keys) out += "gshq"[int(e.feed(uint8_t(c)))];
    return out;
}

TEST(ConsoleEscapes, PlainBytesAndCtrlCGoToTheGuest) {
    EXPECT_EQ(effects("ls\r\x03\x1a"), "ggggg");
}

TEST(ConsoleEscapes, CtrlAThenXQuitsAndHOrQuestionMarkHelps) {
    EXPECT_EQ(effects("\x01x"), "sq");
    EXPECT_EQ(effects("\x01X"), "sq");
    EXPECT_EQ(effects("\x01h\x01H\x01?"), "shshsh");
}

TEST(ConsoleEscapes, CtrlATwiceSendsOneAndOtherKeysAreDropped) {
    EXPECT_EQ(effects("\x01\x01" "a"), "sgg");
    EXPECT_EQ(effects("\x01" "c" "x"), "ssg");  // unknown escape: dropped; x is plain again
    EXPECT_EQ(effects("x\x01"), "gs");          // an escape may end a read and go on in the next
}

TEST(ConsoleEscapes, HelpListsEveryEscape) {
    const std::string help(ConsoleEscapes::help());
    for (const char* line : {"C-a h", "C-a x", "C-a C-a"})
        EXPECT_NE(help.find(line), std::string::npos) << line;
    EXPECT_NE(std::string(ConsoleEscapes::hint()).find("Ctrl-A H for help"), std::string::npos);
}

}  // namespace
}  // namespace vmm
