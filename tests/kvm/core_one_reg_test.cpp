// The 64-bit core registers through KVM_GET/SET_ONE_REG (struct kvm_regs
// by word offset): each id reaches its own register in both the 64-bit and
// the byte forms, and the ids between them are no registers.
#include <array>
#include <cstring>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

std::vector<uint64_t> core_u64_ids() {
    std::vector<uint64_t> ids;
    for (unsigned n = 0; n < 31; ++n) ids.push_back(reg::x(n));
    for (uint64_t id : {reg::kSp, reg::kPc, reg::kSpEl1, reg::kElrEl1, reg::kSpsrEl1}) ids.push_back(id);
    return ids;
}

TEST(CoreOneReg, EveryIdIsItsOwnRegister) {
    VmFixture f("hello");
    const std::vector<uint64_t> ids = core_u64_ids();
    for (size_t i = 0; i < ids.size(); ++i)
        ASSERT_TRUE(f.vcpu->set_one_reg(ids[i], 0x1000 + 8 * i)) << std::hex << ids[i];
    for (size_t i = 0; i < ids.size(); ++i) {
        EXPECT_EQ(f.reg(ids[i]), 0x1000 + 8 * i) << std::hex << ids[i];
        std::array<uint8_t, 8> bytes{};
        ASSERT_TRUE(f.vcpu->get_one_reg(ids[i], bytes));
        uint64_t v;
        std::memcpy(&v, bytes.data(), 8);
        EXPECT_EQ(v, 0x1000 + 8 * i) << "byte form of " << std::hex << ids[i];
    }
    // The byte form writes the same storage.
    const uint64_t v = 0x8877665544332211;
    std::array<uint8_t, 8> bytes;
    std::memcpy(bytes.data(), &v, 8);
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::x(30), std::span<const uint8_t>(bytes)));
    EXPECT_EQ(f.reg(reg::x(30)), v);
    EXPECT_EQ(f.reg(reg::x(29)), 0x1000 + 8 * 29u) << "X29 untouched";
}

TEST(CoreOneReg, WordsBetweenRegistersAreNoIds) {
    VmFixture f("hello");
    for (uint64_t id : {reg::core(1), reg::core(61), reg::core(63), reg::core(65), reg::core(67),
                        reg::core(74), reg::core(0xFFFF)}) {
        auto r = f.vcpu->get_one_reg(id);
        ASSERT_FALSE(r) << std::hex << id;
        EXPECT_NE(r.error().message.find(fmt::format("{:#x}", id)), std::string::npos) << r.error().message;
        EXPECT_FALSE(f.vcpu->set_one_reg(id, 0)) << std::hex << id;
    }
}

TEST(CoreOneReg, PstateIsCheckedAsSpsr) {
    VmFixture f("hello");
    ASSERT_TRUE(f.vcpu->set_one_reg(reg::kPstate, 0x3C5));  // EL1h, DAIF masked
    EXPECT_EQ(f.reg(reg::kPstate), 0x3C5u);
    auto r = f.vcpu->set_one_reg(reg::kPstate, 0x3C9);  // EL2h
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("0x3c9"), std::string::npos) << r.error().message;
    EXPECT_EQ(f.reg(reg::kPstate), 0x3C5u);
}

}  // namespace
}  // namespace kvm::test
