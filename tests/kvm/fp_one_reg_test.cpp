// The FP/SIMD registers through KVM_GET/SET_ONE_REG with Linux's ids
// (arch/arm64/include/uapi/asm/kvm.h, struct kvm_regs.fp_regs): V0-V31 are
// 128-bit, FPSR and FPCR 32-bit; the byte forms check the size the id
// encodes, and FPCR/FPSR writes keep only what the PE implements.
#include <array>

#include <gtest/gtest.h>

#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

using Bytes16 = std::array<uint8_t, 16>;
using Bytes4 = std::array<uint8_t, 4>;

TEST(FpOneReg, IdsAreLinuxs) {
    EXPECT_EQ(reg::v(0), 0x6040000000100054u);
    EXPECT_EQ(reg::v(31), 0x60400000001000D0u);
    EXPECT_EQ(reg::kFpsr, 0x60200000001000D4u);
    EXPECT_EQ(reg::kFpcr, 0x60200000001000D5u);
    EXPECT_EQ(reg::size_of(reg::v(3)), 16u);
    EXPECT_EQ(reg::size_of(reg::kFpcr), 4u);
    EXPECT_EQ(reg::size_of(reg::kPc), 8u);
}

TEST(FpOneReg, VectorRegistersRoundTripAndResetToZero) {
    VmFixture f("hello");
    Bytes16 got{};
    ASSERT_TRUE(f.vcpu->get_one_reg(reg::v(5), got));
    EXPECT_EQ(got, Bytes16{}) << "V5 resets to zero";
    for (unsigned n : {0u, 7u, 31u}) {
        Bytes16 in;
        for (unsigned i = 0; i < 16; ++i) in[i] = uint8_t(n * 16 + i);
        ASSERT_TRUE(f.vcpu->set_one_reg(reg::v(n), in));
        ASSERT_TRUE(f.vcpu->get_one_reg(reg::v(n), got));
        EXPECT_EQ(got, in) << "V" << n;
    }
    ASSERT_TRUE(f.vcpu->get_one_reg(reg::v(0), got));
    EXPECT_EQ(got[15], 15u) << "byte 15 is the top of V0 (little-endian)";
}

TEST(FpOneReg, FpcrAndFpsrWritesAreMasked) {
    VmFixture f("hello");
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::kFpcr, 0xFFFFFFFF));
    EXPECT_EQ(f.reg(reg::kFpcr), 0x07C00000u) << "AHP, DN, FZ, RMode; trap enables RAZ/WI";
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::kFpsr, 0xFFFFFFFF));
    EXPECT_EQ(f.reg(reg::kFpsr), 0x0800009Fu) << "QC and the cumulative flags; NZCV RES0";
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::kFpcr, Bytes4{0x00, 0x9F, 0xC0, 0x02}));
    Bytes4 got{};
    ASSERT_TRUE(f.vcpu->get_one_reg(reg::kFpcr, got));
    EXPECT_EQ(got, (Bytes4{0x00, 0x00, 0xC0, 0x02}));
}

TEST(FpOneReg, WrongSizesNameTheId) {
    VmFixture f("hello");
    std::array<uint8_t, 8> eight{};
    auto r = f.vcpu->get_one_reg(reg::v(1), eight);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("0x6040000000100058"), std::string::npos) << r.error().message;
    Bytes16 sixteen{};
    auto w = f.vcpu->set_one_reg(reg::kPc, sixteen);
    ASSERT_FALSE(w);
    EXPECT_NE(w.error().message.find("0x6030000000100040"), std::string::npos) << w.error().message;
    auto s = f.vcpu->set_one_reg(reg::kFpsr, eight);
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("0x60200000001000d4"), std::string::npos) << s.error().message;
}

TEST(FpOneReg, TheUint64FormsRefuse128BitIdsAndOversizedValues) {
    VmFixture f("hello");
    auto r = f.vcpu->get_one_reg(reg::v(0));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("0x6040000000100054"), std::string::npos) << r.error().message;
    auto w = f.vcpu->set_one_reg(reg::v(0), 1);
    ASSERT_FALSE(w);
    EXPECT_NE(w.error().message.find("0x6040000000100054"), std::string::npos) << w.error().message;
    auto big = f.vcpu->set_one_reg(reg::kFpcr, 1ull << 32);
    ASSERT_FALSE(big);
    EXPECT_NE(big.error().message.find("0x60200000001000d5"), std::string::npos);
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::x(3), 0x1234)) << "64-bit ids keep working";
    EXPECT_EQ(f.reg(reg::x(3)), 0x1234u);
}

TEST(FpOneReg, UnknownIdsAreRefusedByName) {
    VmFixture f("hello");
    Bytes16 sixteen{};
    const uint64_t between = reg::v(0) + 1;  // inside vregs[0], not a register start
    auto r = f.vcpu->get_one_reg(between, sixteen);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("0x6040000000100055"), std::string::npos) << r.error().message;
    const uint64_t after = reg::kArm64 | reg::kSizeU32 | reg::kCore | 0xD6;
    Bytes4 four{};
    auto w = f.vcpu->set_one_reg(after, four);
    ASSERT_FALSE(w);
    EXPECT_NE(w.error().message.find("unknown register id 0x60200000001000d6"), std::string::npos)
        << w.error().message;
}

}  // namespace
}  // namespace kvm::test
