// The dispatcher against a fake target, packet by packet.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "gdb/hex.h"
#include "gdb/stub.h"
#include "gdb/target_xml.h"
#include "tests/gdb/fake_target.h"

namespace gdb {
namespace {

using test::FakeTarget;

StopReason stop(StopKind kind, uint8_t signal = kSigTrap) {
    StopReason r;
    r.kind = kind;
    r.signal = signal;
    return r;
}

class StubTest : public ::testing::Test {
protected:
    FakeTarget target;
    std::optional<Stub> stub;

    Stub& s() {
        if (!stub) {
            auto r = Stub::create(target);
            EXPECT_TRUE(r) << r.error().message;
            stub.emplace(std::move(r.value()));
        }
        return *stub;
    }
    std::string ask(std::string_view packet) {
        const Reply r = s().handle(packet);
        return r.payload.value_or("<none>");
    }
};

TEST_F(StubTest, UnknownPacketsGetTheEmptyReply) {
    for (const char* p : {"qTStatus", "vFile:open:2f,0,0", "Qfoo", "", "!", "vKill;1", "qCRC:0,4",
                          "jThreadsInfo", "bc", "qXfer:libraries:read::0,10"}) {
        EXPECT_EQ(ask(p), "") << p;
    }
    EXPECT_EQ(ask("vMustReplyEmpty"), "");
}

TEST_F(StubTest, SupportedFollowsCapabilities) {
    EXPECT_EQ(
        ask("qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+"),
        "PacketSize=4000;qXfer:features:read+;qXfer:threads:read+;QStartNoAckMode+;swbreak+;"
        "hwbreak+;vContSupported+");
    target.caps = Capabilities{false, false, false, false, false, 0x1000};
    stub.reset();
    EXPECT_EQ(ask("qSupported"), "PacketSize=1000;qXfer:threads:read+");
    EXPECT_EQ(ask("vCont?"), "");
    EXPECT_EQ(ask("QStartNoAckMode"), "");
    EXPECT_EQ(ask("qXfer:features:read:target.xml:0,100"), "");
}

TEST_F(StubTest, NoAckModeIsAnnouncedToTheSession) {
    const Reply r = s().handle("QStartNoAckMode");
    EXPECT_EQ(r.payload, "OK");
    EXPECT_EQ(r.after, Reply::After::StartNoAck);
}

TEST_F(StubTest, MalformedPacketsGetE01AndAnError) {
    EXPECT_EQ(ask("m1000"), "E01");
    EXPECT_NE(s().last_error().find("m1000"), std::string::npos) << s().last_error();
    EXPECT_EQ(ask("Z9,0,4"), "E01");
    EXPECT_EQ(ask("pxyz"), "E01");
    EXPECT_EQ(ask("qSupported:junk"), "E01");
}

TEST_F(StubTest, HaltReasonBeforeAnyRun) {
    // T05 on thread 1 with fp (1d), sp (1f), pc (20), cpsr (21) little-endian.
    EXPECT_EQ(ask("?"),
              "T05thread:1;1d:1d10000000000000;1f:0000084000000000;"
              "20:1010000000000000;21:c5030000;");
}

TEST_F(StubTest, ReadAllRegisters) {
    const std::string g = ask("g");
    ASSERT_EQ(g.size(), (31 * 8 + 8 + 8 + 4) * 2u) << "x0-x30, sp, pc, cpsr";
    EXPECT_EQ(g.substr(0, 16), "0010000000000000") << "x0 of vcpu 1";
    EXPECT_EQ(g.substr(32 * 16, 16), "1010000000000000") << "pc";
    EXPECT_EQ(g.substr(33 * 16), "c5030000") << "cpsr, 32 bits";
}

TEST_F(StubTest, WriteAllRegistersRoundTrips) {
    std::string g = ask("g");
    g.replace(0, 16, "efbeadde00000000");
    EXPECT_EQ(ask("G" + g), "OK");
    EXPECT_EQ(target.reg(1, 0), 0xdeadbeefu);
    EXPECT_EQ(ask("G00"), "E01") << "wrong size";
}

TEST_F(StubTest, SingleRegisters) {
    EXPECT_EQ(ask("p20"), "1010000000000000");
    EXPECT_EQ(ask("p21"), "c5030000");
    EXPECT_EQ(ask("p44"), "0008d03000000000") << "the extra register, after the fpu feature";
    EXPECT_EQ(ask("p99"), "E16");
    EXPECT_EQ(ask("P20=0020000000000000"), "OK");
    EXPECT_EQ(target.reg(1, regnum::kPc), 0x2000u);
    EXPECT_EQ(ask("P21=00000000"), "OK");
    EXPECT_EQ(ask("P21=0000000000000000"), "E01") << "cpsr is 4 bytes";
    EXPECT_EQ(ask("P99=00"), "E16");
}

// v<n> is 16 bytes, little-endian, in p/P; fpsr and fpcr are 4.
TEST_F(StubTest, FpuRegisters) {
    EXPECT_EQ(ask("p22"), "000102030405060708090a0b0c0d0e0f") << "v0";
    EXPECT_EQ(ask("p41"), "1f202122232425262728292a2b2c2d2e") << "v31";
    EXPECT_EQ(ask("p42"), "10000000") << "fpsr";
    EXPECT_EQ(ask("p43"), "00000002") << "fpcr";
    EXPECT_EQ(ask("P25=00112233445566778899aabbccddeeff"), "OK");
    const std::vector<uint8_t> want{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                    0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
    const auto got = target.value(1, regnum::kV0 + 3).bytes();
    EXPECT_EQ(std::vector<uint8_t>(got.begin(), got.end()), want);
    EXPECT_EQ(ask("P25=0011223344556677"), "E01") << "v3 is 16 bytes";
    EXPECT_EQ(ask("P43=0000c003"), "OK");
    EXPECT_EQ(target.reg(1, regnum::kFpcr), 0x03c00000u);
    EXPECT_EQ(ask("P43=0000000000000000"), "E01") << "fpcr is 4 bytes";
}

TEST_F(StubTest, TargetXmlDescribesTheFpuAsGdbDoes) {
    const std::string& xml = s().target_xml();
    for (const char* want : {
             "<feature name=\"org.gnu.gdb.aarch64.fpu\">",
             "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>",
             "<vector id=\"v1i\" type=\"int128\" count=\"1\"/>",
             "<union id=\"vnd\">\n      <field name=\"f\" type=\"v2d\"/>\n"
             "      <field name=\"u\" type=\"v2u\"/>\n      <field name=\"s\" type=\"v2i\"/>",
             "<union id=\"aarch64v\">\n      <field name=\"d\" type=\"vnd\"/>",
             "<field name=\"q\" type=\"vnq\"/>",
             "<reg name=\"v0\" bitsize=\"128\" regnum=\"34\" type=\"aarch64v\"/>",
             "<reg name=\"v31\" bitsize=\"128\" regnum=\"65\" type=\"aarch64v\"/>",
             "<reg name=\"fpsr\" bitsize=\"32\" regnum=\"66\"/>",
             "<reg name=\"fpcr\" bitsize=\"32\" regnum=\"67\"/>",
         }) {
        EXPECT_NE(xml.find(want), std::string::npos) << want << "\n" << xml;
    }
    EXPECT_LT(xml.find("aarch64.fpu"), xml.find("stepvisor.aarch64.sysregs"));
}

TEST_F(StubTest, ThreadSelectionAppliesToRegisters) {
    EXPECT_EQ(ask("Hg2"), "OK");
    EXPECT_EQ(ask("p0"), "0020000000000000") << "x0 of vcpu 2";
    EXPECT_EQ(ask("Hg9"), "E16");
    EXPECT_EQ(ask("Hg0"), "OK");
    EXPECT_EQ(ask("p0"), "0010000000000000") << "0 = any: the thread that stopped";
    EXPECT_EQ(ask("Hc-1"), "OK");
    EXPECT_EQ(ask("T2"), "OK");
    EXPECT_EQ(ask("T3"), "E16");
}

TEST_F(StubTest, ThreadQueries) {
    EXPECT_EQ(ask("qfThreadInfo"), "m1,2");
    EXPECT_EQ(ask("qsThreadInfo"), "l");
    EXPECT_EQ(ask("qC"), "QC1");
    EXPECT_EQ(ask("qAttached"), "1");
}

TEST_F(StubTest, Memory) {
    EXPECT_EQ(ask("m1000,4"), "030a1118");
    EXPECT_EQ(ask("m0,4"), "E0e") << "unmapped";
    EXPECT_EQ(ask("m1ffe,8"), "f5fc") << "short read at the end of RAM";
    EXPECT_EQ(ask("m1000,0"), "");
    EXPECT_EQ(ask("m1000,ffffffffffffffff").size(), 2 * FakeTarget::kMemSize)
        << "a huge length is clamped, never allocated";
    target.caps.packet_size = 0x100;
    stub.reset();
    EXPECT_EQ(ask("m1000,1000").size(), 0x100u - 4) << "a reply fits the packet size";
    EXPECT_EQ(ask("M1100,2:abcd"), "OK");
    EXPECT_EQ(target.mem(0x1100), 0xab);
    EXPECT_EQ(ask("M0,1:00"), "E0e");
    EXPECT_EQ(ask(std::string("X1200,3:#}\0", 11)), "OK");
    EXPECT_EQ(target.mem(0x1200), '#');
    EXPECT_EQ(target.mem(0x1202), 0);
    EXPECT_EQ(ask("X0,0:"), "OK") << "the X probe";
}

TEST_F(StubTest, RangesPastTheTopOfMemoryNeverReachTheTarget) {
    EXPECT_EQ(ask("mfffffffffffffffe,4"), "E0e");
    EXPECT_EQ(ask("Mfffffffffffff001,1000:" + std::string(0x2000, '0')), "E0e");
    EXPECT_EQ(ask(std::string("Xffffffffffffffff,2:ab")), "E0e");
    EXPECT_EQ(ask("Mffffffffffffffff,1:00"), "E0e") << "does not wrap: the fake itself says fault";
}

TEST_F(StubTest, BreakpointResultsAreDistinct) {
    EXPECT_EQ(ask("Z0,1010,4"), "OK");
    EXPECT_EQ(ask("Z3,1100,8"), "") << "unsupported: empty reply";
    EXPECT_EQ(ask("Z1,1010,4"), "OK");
    EXPECT_EQ(ask("Z2,1100,8"), "OK");
    EXPECT_EQ(ask("Z4,1200,8"), "E1c") << "no slots left";
    EXPECT_EQ(ask("z2,1100,8"), "OK");
    EXPECT_EQ(ask("z2,1100,8"), "E05");
    EXPECT_EQ(target.breakpoints.size(), 2u);
}

TEST_F(StubTest, StepReportsTheScriptedStop) {
    ask("qSupported:swbreak+;hwbreak+");
    StopReason r;
    r.kind = StopKind::SwBreak;
    r.thread = 2;
    r.regs = Expedited{0x1014, 0x40080000, 0x0, 0x3c5};
    target.stops.push_back(r);
    EXPECT_EQ(ask("vCont;s:2"),
              "T05swbreak:;thread:2;1d:0000000000000000;1f:0000084000000000;"
              "20:1410000000000000;21:c5030000;");
    ASSERT_EQ(target.resumes.size(), 1u);
    EXPECT_EQ(target.resumes[0][0], (ResumeAction{ResumeKind::Step, std::nullopt, ThreadId{2}}));
    EXPECT_EQ(ask("qC"), "QC2") << "the stopped thread becomes current";
    EXPECT_EQ(ask("vCont;s:5"), "E16");
    EXPECT_EQ(ask("vCont;q"), "E01");
}

// "Stop Reply Packets": console output ('O' + hex) may precede the stop
// reply; '?' repeats the stop without it.
TEST_F(StubTest, ConsoleTextGoesOutAsAnOPacketBeforeTheStopReply) {
    StopReason r;
    r.console = "exception: EC 0x15\n";
    r.regs = Expedited{};
    target.stops.push_back(r);
    const Reply reply = s().handle("c");
    ASSERT_EQ(reply.before.size(), 1u);
    EXPECT_EQ(reply.before[0], "O" + hex_bytes(std::string_view("exception: EC 0x15\n")));
    EXPECT_TRUE(reply.payload.value_or("").starts_with("T05thread:1;")) << *reply.payload;
    const Reply again = s().handle("?");
    EXPECT_TRUE(again.before.empty());
    EXPECT_EQ(again.payload, reply.payload);
}

TEST_F(StubTest, ContinueWithAddressMovesPc) {
    target.stops.push_back(StopReason{});
    const std::string reply = ask("c1020");
    EXPECT_TRUE(reply.starts_with("T05thread:1;")) << reply;
    EXPECT_NE(reply.find("20:2010000000000000;"), std::string::npos) << reply;
    EXPECT_EQ(target.reg(1, regnum::kPc), 0x1020u);
    EXPECT_EQ(target.resumes[0][0],
              (ResumeAction{ResumeKind::Continue, std::nullopt, ThreadId{-1}}));
}

TEST_F(StubTest, SwbreakOnlyWhenGdbAgreed) {
    target.stops.push_back(stop(StopKind::SwBreak));
    EXPECT_TRUE(ask("s").starts_with("T05thread:1;")) << "no qSupported: gdb said nothing";
}

TEST_F(StubTest, VContQuery) { EXPECT_EQ(ask("vCont?"), "vCont;c;C;s;S;t"); }

TEST_F(StubTest, KillOnlyOnAnExactK) {
    EXPECT_EQ(ask("kill"), "");
    EXPECT_EQ(ask("k0"), "");
    EXPECT_FALSE(target.killed);
    EXPECT_EQ(ask("D1"), "E01");
    EXPECT_FALSE(target.detached);
}

TEST_F(StubTest, KillAndDetachEndTheSession) {
    const Reply k = s().handle("k");
    EXPECT_FALSE(k.payload);
    EXPECT_EQ(k.after, Reply::After::Kill);
    EXPECT_TRUE(target.killed);
    const Reply d = s().handle("D");
    EXPECT_EQ(d.payload, "OK");
    EXPECT_EQ(d.after, Reply::After::Detach);
    EXPECT_TRUE(target.detached);
}

TEST_F(StubTest, Monitor) {
    EXPECT_EQ(ask("qRcmd," + hex_bytes(std::string_view("info"))),
              hex_bytes(std::string_view("stepvisor fake\ninfo")));
    EXPECT_EQ(ask("qRcmd," + hex_bytes(std::string_view("quiet"))), "OK");
    EXPECT_EQ(ask("qRcmd," + hex_bytes(std::string_view("none"))), "");
    EXPECT_EQ(ask("qRcmd,zz"), "E01");
}

TEST_F(StubTest, TargetXmlChunks) {
    const std::string& xml = s().target_xml();
    std::string got;
    for (uint64_t off = 0;; off += 100) {
        const std::string r = ask(fmt::format("qXfer:features:read:target.xml:{:x},64", off));
        ASSERT_FALSE(r.empty());
        got += r.substr(1);
        if (r[0] == 'l') break;
        ASSERT_EQ(r[0], 'm');
        ASSERT_EQ(r.size(), 101u);
    }
    EXPECT_EQ(got, xml);
    EXPECT_EQ(ask(fmt::format("qXfer:features:read:target.xml:{:x},10", xml.size())), "l");
    EXPECT_EQ(ask("qXfer:features:read:target.xml:ffffffff,10"), "l");
    EXPECT_EQ(ask("qXfer:features:read:other.xml:0,10"), "E00");
    EXPECT_EQ(ask("qXfer:features:read:target.xml:0"), "E01");
}

// gdb refreshes its thread list after every stop; with qXfer:threads:read
// that is one round trip instead of qfThreadInfo + qsThreadInfo
// ("qXfer:threads:read::offset,length", "Thread List Format").
TEST_F(StubTest, ThreadListIsOneXferDocument) {
    const std::string all = ask("qXfer:threads:read::0,fff");
    EXPECT_EQ(all, "l<?xml version=\"1.0\"?>\n<threads>\n<thread id=\"1\" core=\"0\"/>\n"
                   "<thread id=\"2\" core=\"1\"/>\n</threads>\n");
    const std::string first = ask("qXfer:threads:read::0,10");
    EXPECT_EQ(first, "m" + all.substr(1, 16));
    EXPECT_EQ(ask(fmt::format("qXfer:threads:read::{:x},100", all.size() - 1)), "l");
    EXPECT_EQ(ask("qXfer:threads:read:other:0,10"), "E00");
    EXPECT_EQ(ask("qXfer:threads:read::0"), "E01");
}

TEST_F(StubTest, TargetXmlDescribesTheCoreAndExtras) {
    const std::string& xml = s().target_xml();
    for (const char* want : {
             "<architecture>aarch64</architecture>",
             "<feature name=\"org.gnu.gdb.aarch64.core\">",
             "<reg name=\"x0\" bitsize=\"64\" regnum=\"0\"/>",
             "<reg name=\"x30\" bitsize=\"64\" regnum=\"30\"/>",
             "<reg name=\"sp\" bitsize=\"64\" regnum=\"31\" type=\"data_ptr\"/>",
             "<reg name=\"pc\" bitsize=\"64\" regnum=\"32\" type=\"code_ptr\"/>",
             "<reg name=\"cpsr\" bitsize=\"32\" regnum=\"33\" type=\"cpsr_flags\"/>",
             "<field name=\"EL\" start=\"2\" end=\"3\"/>",
             "<feature name=\"org.stepvisor.aarch64.sysregs\">",
             "<reg name=\"sctlr_el1\" bitsize=\"64\" regnum=\"68\" type=\"uint64\" "
             "group=\"system\"/>",
         }) {
        EXPECT_NE(xml.find(want), std::string::npos) << want << "\n" << xml;
    }
}

TEST_F(StubTest, TinyPacketSizeIsRefused) {
    target.caps.packet_size = 16;
    const auto r = Stub::create(target);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("16"), std::string::npos) << r.error().message;
}

TEST_F(StubTest, BadExtraRegistersAreRefused) {
    target.extras.push_back({"x5", 0x41});
    EXPECT_FALSE(Stub::create(target));
}

TEST(RegisterMapTest, RejectsBadExtras) {
    const ExtraRegister core_clash[] = {{"foo", 33}};
    EXPECT_FALSE(RegisterMap::build(core_clash, false));
    const ExtraRegister dup[] = {{"a", 40}, {"b", 40}};
    EXPECT_FALSE(RegisterMap::build(dup, false));
    const ExtraRegister name_clash[] = {{"pc", 40}};
    EXPECT_FALSE(RegisterMap::build(name_clash, false));
    const ExtraRegister xml_injection[] = {{"a\"/><x", 40}};
    const auto r = RegisterMap::build(xml_injection, false);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("extra register name"), std::string::npos)
        << r.error().message;
}

TEST(RegisterMapTest, TheFpuFeatureTakes34To67) {
    const ExtraRegister in_fpu[] = {{"foo", 67}};
    const auto r = RegisterMap::build(in_fpu, true);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("0-67"), std::string::npos) << r.error().message;
    EXPECT_TRUE(RegisterMap::build(in_fpu, false)) << "without the fpu feature 67 is free";
    const ExtraRegister name_clash[] = {{"fpcr", 70}};
    EXPECT_FALSE(RegisterMap::build(name_clash, true));
    const auto map = RegisterMap::build({}, true);
    ASSERT_TRUE(map);
    ASSERT_EQ(map->fpu().size(), 34u);
    EXPECT_EQ(map->find(34)->name, "v0");
    EXPECT_EQ(map->find(34)->bits, 128u);
    EXPECT_EQ(map->find(65)->name, "v31");
    EXPECT_EQ(map->find(66)->name, "fpsr");
    EXPECT_EQ(map->find(67)->name, "fpcr");
    EXPECT_EQ(map->find(67)->bits, 32u);
    EXPECT_EQ(map->find(68), nullptr);
    EXPECT_EQ(map->core_bytes(), 31 * 8 + 8 + 8 + 4u) << "g stays the core set";
}

TEST(StopReplyTest, Formats) {
    StopReplyOptions all{true, true};
    StopReason w = stop(StopKind::Watch);
    w.watch_addr = 0x1234;
    EXPECT_EQ(format_stop_reply(w, all), "T05watch:1234;thread:1;");
    w.kind = StopKind::ReadWatch;
    EXPECT_EQ(format_stop_reply(w, all), "T05rwatch:1234;thread:1;");
    w.kind = StopKind::AccessWatch;
    EXPECT_EQ(format_stop_reply(w, all), "T05awatch:1234;thread:1;");
    EXPECT_EQ(format_stop_reply(stop(StopKind::HwBreak), all), "T05hwbreak:;thread:1;");
    EXPECT_EQ(format_stop_reply(stop(StopKind::HwBreak), {}), "T05thread:1;");
    StopReason sig = stop(StopKind::Signal, kSigInt);
    sig.thread = 0x1a;
    EXPECT_EQ(format_stop_reply(sig, all), "T02thread:1a;");
    StopReason exited = stop(StopKind::Exited);
    exited.exit_code = 3;
    EXPECT_EQ(format_stop_reply(exited, all), "W03");
    EXPECT_EQ(format_stop_reply(stop(StopKind::Killed, kSigKill), all), "X09");
}

}  // namespace
}  // namespace gdb
