// Vm::create_vgic (KVM_CREATE_DEVICE + KVM_DEV_ARM_VGIC_GRP_ADDR) and
// Vm::irq_line (KVM_IRQ_LINE): bad arguments are error values naming them.
#include <gtest/gtest.h>

#include <vector>

#include "kvm/kvm.h"

namespace kvm {
namespace {

struct VgicApi : ::testing::Test {
    std::unique_ptr<Vm> vm = std::move(Vm::create().value());
    std::vector<uint8_t> ram = std::vector<uint8_t>(0x10000);
    void SetUp() override {
        ASSERT_TRUE(vm->set_user_memory_region({0, 0, 0x40000000, ram.size(), ram.data()}));
        ASSERT_TRUE(vm->create_vcpu(0));
    }
    static void expect_error(const Result<void>& r, const std::string& names) {
        ASSERT_FALSE(r);
        EXPECT_NE(r.error().message.find(names), std::string::npos) << r.error().message;
    }
};

TEST_F(VgicApi, ASecondVgicIsRefused) {
    ASSERT_TRUE(vm->create_vgic({}));
    expect_error(vm->create_vgic({}), "already");
}

TEST_F(VgicApi, UnalignedFramesAreRefused) {
    Vm::VgicAddrs a;
    a.dist = 0x08001000;
    expect_error(vm->create_vgic(a), "0x8001000");
    Vm::VgicAddrs v2;
    v2.model = Vm::VgicModel::V2;
    v2.cpu = 0x08010800;
    expect_error(vm->create_vgic(v2), "0x8010800");
    EXPECT_TRUE(vm->create_vgic({})) << "a refused vgic leaves nothing behind";
}

TEST_F(VgicApi, OverlappingFramesAreRefused) {
    Vm::VgicAddrs a;
    a.redist = 0x08000000;
    expect_error(vm->create_vgic(a), "overlaps");
    Vm::VgicAddrs v2;
    v2.model = Vm::VgicModel::V2;
    v2.cpu = 0x08000000;
    expect_error(vm->create_vgic(v2), "overlaps");
    Vm::VgicAddrs ram_overlap;
    ram_overlap.dist = 0x40000000;
    expect_error(vm->create_vgic(ram_overlap), "guest memory");
}

TEST_F(VgicApi, IrqLineNeedsAVgicAndAnSpi) {
    expect_error(vm->irq_line(33, true), "no vgic");
    ASSERT_TRUE(vm->create_vgic({}));
    EXPECT_TRUE(vm->irq_line(33, true));
    expect_error(vm->irq_line(31, true), "31");
    expect_error(vm->irq_line(1020, true), "1020");
}

}  // namespace
}  // namespace kvm
