// Packet parsers: good and bad cases for every family. Bad cases check the
// error kind, so a parser that accepts garbage "by luck" fails here.
#include <gtest/gtest.h>

#include "gdb/packets.h"

namespace gdb {
namespace {

template <typename T>
ErrorKind kind_of(const Result<T>& r) {
    EXPECT_FALSE(r.ok()) << "parsed although malformed";
    return r.ok() ? ErrorKind::Empty : r.error().kind;
}

// --- registers -------------------------------------------------------------

TEST(RegisterPackets, ReadRegister) {
    EXPECT_EQ(parse_read_register("p20")->regnum, 0x20u);
    EXPECT_EQ(parse_read_register("p0")->regnum, 0u);
    EXPECT_EQ(kind_of(parse_read_register("p")), ErrorKind::Empty);
    EXPECT_EQ(kind_of(parse_read_register("pzz")), ErrorKind::NotHex);
    EXPECT_EQ(kind_of(parse_read_register("p10000")), ErrorKind::Overflow);
    EXPECT_EQ(kind_of(parse_read_register("q1")), ErrorKind::Malformed);
}

TEST(RegisterPackets, WriteRegister) {
    const auto r = parse_write_register("P20=0010000000000000");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->regnum, 0x20u);
    EXPECT_EQ(r->bytes.size(), 8u);
    EXPECT_EQ(r->bytes[1], 0x10);
    EXPECT_EQ(kind_of(parse_write_register("P20")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_write_register("P20=")), ErrorKind::Empty);
    EXPECT_EQ(kind_of(parse_write_register("P20=123")), ErrorKind::OddLength);
    EXPECT_EQ(kind_of(parse_write_register("P=00")), ErrorKind::Empty);
    EXPECT_EQ(kind_of(parse_write_register("Px=00")), ErrorKind::NotHex);
}

TEST(RegisterPackets, WriteAllRegisters) {
    EXPECT_EQ(parse_write_registers("G0011")->bytes, (std::vector<uint8_t>{0x00, 0x11}));
    EXPECT_EQ(kind_of(parse_write_registers("G")), ErrorKind::Empty);
    EXPECT_EQ(kind_of(parse_write_registers("G001")), ErrorKind::OddLength);
    EXPECT_EQ(kind_of(parse_write_registers("G00xx")), ErrorKind::NotHex);
}

TEST(ExactPackets, MatchOnlyExactly) {
    EXPECT_TRUE(parse_exact("g", "g"));
    EXPECT_EQ(kind_of(parse_exact("g0", "g")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_exact("", "?")), ErrorKind::Malformed);
}

// --- memory ----------------------------------------------------------------

TEST(MemoryPackets, Read) {
    const auto r = parse_memory_read("m40000000,100");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->addr, 0x40000000u);
    EXPECT_EQ(r->length, 0x100u);
    EXPECT_EQ(kind_of(parse_memory_read("m")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_memory_read("m1000")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_memory_read("m,4")), ErrorKind::Empty);
    EXPECT_EQ(kind_of(parse_memory_read("m1000,")), ErrorKind::Empty);
    EXPECT_EQ(kind_of(parse_memory_read("m1000,4,5")), ErrorKind::NotHex);
    EXPECT_EQ(kind_of(parse_memory_read("m10000000000000000,4")), ErrorKind::Overflow);
}

TEST(MemoryPackets, WriteHex) {
    const auto r = parse_memory_write_hex("M1000,2:abcd");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->addr, 0x1000u);
    EXPECT_EQ(r->bytes, (std::vector<uint8_t>{0xab, 0xcd}));
    EXPECT_TRUE(parse_memory_write_hex("M1000,0:")) << "zero-length write probes support";
    EXPECT_EQ(kind_of(parse_memory_write_hex("M1000,2")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_memory_write_hex("M1000,2:abc")), ErrorKind::OddLength);
    EXPECT_EQ(kind_of(parse_memory_write_hex("M1000,2:ab")), ErrorKind::Malformed) << "short";
    EXPECT_EQ(kind_of(parse_memory_write_hex("M1000,1:abcd")), ErrorKind::Malformed) << "long";
    EXPECT_EQ(kind_of(parse_memory_write_hex("M1000,2:xyzw")), ErrorKind::NotHex);
}

TEST(MemoryPackets, WriteBinaryKeepsSeparatorBytesInData) {
    const std::string pkt = std::string("X1000,4:") + std::string(":,#\0", 4);
    const auto r = parse_memory_write_binary(pkt);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->bytes, (std::vector<uint8_t>{':', ',', '#', 0}));
    EXPECT_TRUE(parse_memory_write_binary("X1000,0:"));
    EXPECT_EQ(kind_of(parse_memory_write_binary("X1000,3:ab")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_memory_write_binary("X1000:ab")), ErrorKind::Malformed);
}

// --- breakpoints -----------------------------------------------------------

TEST(BreakpointPackets, AllFiveTypes) {
    for (int t = 0; t <= 4; ++t) {
        const auto r = parse_breakpoint("Z" + std::to_string(t) + ",40001000,4");
        ASSERT_TRUE(r) << t;
        EXPECT_TRUE(r->insert);
        EXPECT_EQ(int(r->type), t);
        EXPECT_EQ(r->addr, 0x40001000u);
        EXPECT_EQ(r->kind, 4u);
    }
    EXPECT_FALSE(parse_breakpoint("z0,1000,4")->insert);
}

TEST(BreakpointPackets, Malformed) {
    EXPECT_EQ(kind_of(parse_breakpoint("Z5,1000,4")), ErrorKind::OutOfRange);
    EXPECT_EQ(kind_of(parse_breakpoint("Z")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_breakpoint("Z0")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_breakpoint("Z0,1000")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_breakpoint("Z0,1000,")), ErrorKind::Empty);
    EXPECT_EQ(kind_of(parse_breakpoint("Z0,,4")), ErrorKind::Empty);
    EXPECT_EQ(kind_of(parse_breakpoint("Z0,1000,4;X1,0")), ErrorKind::NotHex) << "no conditions";
    EXPECT_EQ(kind_of(parse_breakpoint("Zq,1000,4")), ErrorKind::NotHex);
    EXPECT_EQ(kind_of(parse_breakpoint("Z100,1000,4")), ErrorKind::Overflow);
    EXPECT_EQ(kind_of(parse_breakpoint("")), ErrorKind::Malformed);
}

// --- resume ----------------------------------------------------------------

TEST(ResumePackets, ContinueAndStep) {
    auto c = parse_resume("c");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->kind, ResumeKind::Continue);
    EXPECT_FALSE(c->addr);
    EXPECT_FALSE(c->signal);
    auto s = parse_resume("s40000000");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->kind, ResumeKind::Step);
    EXPECT_EQ(s->addr, 0x40000000u);
    EXPECT_EQ(kind_of(parse_resume("cxyz")), ErrorKind::NotHex);
    EXPECT_EQ(kind_of(parse_resume("t")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_resume("")), ErrorKind::Empty);
}

TEST(ResumePackets, WithSignal) {
    auto c = parse_resume("C0b");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->signal, 0x0b);
    EXPECT_FALSE(c->addr);
    auto s = parse_resume("S05;1000");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->kind, ResumeKind::Step);
    EXPECT_EQ(s->signal, 5);
    EXPECT_EQ(s->addr, 0x1000u);
    EXPECT_EQ(kind_of(parse_resume("C")), ErrorKind::Empty);
    EXPECT_EQ(kind_of(parse_resume("C100")), ErrorKind::Overflow);
    EXPECT_EQ(kind_of(parse_resume("S05;")), ErrorKind::Empty);
}

TEST(VContPackets, Actions) {
    const auto r = parse_vcont("vCont;s:1;c");
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->size(), 2u);
    EXPECT_EQ((*r)[0], (ResumeAction{ResumeKind::Step, std::nullopt, ThreadId{1}}));
    EXPECT_EQ((*r)[1], (ResumeAction{ResumeKind::Continue, std::nullopt, ThreadId{-1}}));
    const auto sig = parse_vcont("vCont;C0b:2;S05:-1;t:3");
    ASSERT_TRUE(sig) << sig.error().message;
    EXPECT_EQ((*sig)[0], (ResumeAction{ResumeKind::Continue, 0x0b, ThreadId{2}}));
    EXPECT_EQ((*sig)[1], (ResumeAction{ResumeKind::Step, 5, ThreadId{-1}}));
    EXPECT_EQ((*sig)[2], (ResumeAction{ResumeKind::Stop, std::nullopt, ThreadId{3}}));
}

TEST(VContPackets, Malformed) {
    EXPECT_EQ(kind_of(parse_vcont("vCont")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_vcont("vCont;")), ErrorKind::Empty);
    EXPECT_EQ(kind_of(parse_vcont("vCont;c;")), ErrorKind::Empty);
    EXPECT_EQ(kind_of(parse_vcont("vCont;x")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_vcont("vCont;r1000,2000")), ErrorKind::Malformed) << "not advertised";
    EXPECT_EQ(kind_of(parse_vcont("vCont;c5")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_vcont("vCont;C")), ErrorKind::Empty);
    EXPECT_EQ(kind_of(parse_vcont("vCont;s:")), ErrorKind::Empty);
    EXPECT_EQ(kind_of(parse_vcont("vCont;s:p1.2")), ErrorKind::NotHex) << "no multiprocess ids";
    EXPECT_EQ(kind_of(parse_vcont("vCont;s:-2")), ErrorKind::NotHex);
}

// --- threads ---------------------------------------------------------------

TEST(ThreadPackets, Ids) {
    EXPECT_EQ(parse_thread_id("-1").value(), ThreadId{ThreadId::kAll});
    EXPECT_EQ(parse_thread_id("0").value(), ThreadId{ThreadId::kAny});
    EXPECT_EQ(parse_thread_id("1f").value(), ThreadId{0x1f});
    EXPECT_EQ(kind_of(parse_thread_id("")), ErrorKind::Empty);
    EXPECT_EQ(kind_of(parse_thread_id("-")), ErrorKind::NotHex);
    EXPECT_EQ(kind_of(parse_thread_id("100000000")), ErrorKind::Overflow);
}

TEST(ThreadPackets, SetAndAlive) {
    const auto h = parse_set_thread("Hg-1");
    ASSERT_TRUE(h);
    EXPECT_EQ(h->op, 'g');
    EXPECT_TRUE(h->thread.all());
    EXPECT_EQ(parse_set_thread("Hc2")->thread, ThreadId{2});
    EXPECT_EQ(parse_set_thread("Hg0")->thread, ThreadId{0});
    EXPECT_EQ(kind_of(parse_set_thread("H")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_set_thread("Hx1")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_set_thread("Hg")), ErrorKind::Empty);
    EXPECT_EQ(parse_thread_alive("T3")->thread, ThreadId{3});
    EXPECT_EQ(kind_of(parse_thread_alive("T")), ErrorKind::Empty);
    EXPECT_EQ(kind_of(parse_thread_alive("Tz")), ErrorKind::NotHex);
}

// --- queries ---------------------------------------------------------------

TEST(QueryPackets, Supported) {
    const auto s = parse_supported(
        "qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;xmlRegisters=i386;fork-events-;x?");
    ASSERT_TRUE(s) << s.error().message;
    ASSERT_EQ(s->features.size(), 7u);
    EXPECT_EQ(s->features[1].name, "swbreak");
    EXPECT_EQ(s->features[1].state, '+');
    EXPECT_EQ(s->features[4].name, "xmlRegisters");
    EXPECT_EQ(s->features[4].value, "i386");
    EXPECT_EQ(s->features[5].state, '-');
    EXPECT_EQ(s->features[6].state, '?');
    EXPECT_TRUE(parse_supported("qSupported")->features.empty());
    EXPECT_EQ(kind_of(parse_supported("qSupported:")), ErrorKind::Empty);
    EXPECT_EQ(kind_of(parse_supported("qSupported:swbreak")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_supported("qSupported:+")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_supported("qSupported:=1")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_supported("qSupported:a+;;b+")), ErrorKind::Empty);
}

TEST(QueryPackets, XferRead) {
    const auto x = parse_xfer_read("qXfer:features:read:target.xml:0,ffb");
    ASSERT_TRUE(x) << x.error().message;
    EXPECT_EQ(x->object, "features");
    EXPECT_EQ(x->annex, "target.xml");
    EXPECT_EQ(x->offset, 0u);
    EXPECT_EQ(x->length, 0xffbu);
    EXPECT_EQ(parse_xfer_read("qXfer:threads:read::10,20")->annex, "");
    EXPECT_EQ(kind_of(parse_xfer_read("qXfer:features:write:target.xml:0,1")),
              ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_xfer_read("qXfer:features:read:target.xml")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_xfer_read("qXfer:features:read:target.xml:0")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_xfer_read("qXfer:features:read:target.xml:g,1")), ErrorKind::NotHex);
    EXPECT_EQ(kind_of(parse_xfer_read("qXfer::read:a:0,1")), ErrorKind::Malformed);
    EXPECT_EQ(kind_of(parse_xfer_read("qXfer")), ErrorKind::Malformed);
}

TEST(QueryPackets, Monitor) {
    EXPECT_EQ(parse_monitor("qRcmd,7265736574")->command, "reset");
    EXPECT_EQ(parse_monitor("qRcmd,")->command, "");
    EXPECT_EQ(kind_of(parse_monitor("qRcmd,726")), ErrorKind::OddLength);
    EXPECT_EQ(kind_of(parse_monitor("qRcmd,rest")), ErrorKind::NotHex);
    EXPECT_EQ(kind_of(parse_monitor("qRcmd")), ErrorKind::Malformed);
}

TEST(QueryPackets, Attached) {
    EXPECT_TRUE(parse_attached("qAttached"));
    EXPECT_TRUE(parse_attached("qAttached:1"));
    EXPECT_EQ(kind_of(parse_attached("qAttached:")), ErrorKind::Empty);
    EXPECT_EQ(kind_of(parse_attached("qAttachedX")), ErrorKind::Malformed);
}

}  // namespace
}  // namespace gdb
