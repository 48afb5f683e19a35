// In-kernel MMIO (kvm_io_bus): a stage-2 data abort in a registered range is
// emulated in the hypervisor and completes the instruction without an exit.
#include <gtest/gtest.h>

#include <vector>

#include "arch/esr.h"
#include "hyp/emulate.h"

namespace hyp {
namespace {

constexpr uint64_t kRam = 0x40000000;
constexpr uint64_t kPc = 0x40001000;
constexpr uint64_t kDev = 0x08000000;

// A register file of 16 words that records the last access.
struct Registers : KvmIoDevice {
    uint64_t regs[16] = {};
    uint64_t last_offset = ~0ull;
    unsigned last_len = 0;
    uint64_t read(KvmVcpu&, uint64_t offset, unsigned len) override {
        last_offset = offset, last_len = len;
        return regs[offset / 8];
    }
    void write(KvmVcpu&, uint64_t offset, unsigned len, uint64_t value) override {
        last_offset = offset, last_len = len;
        regs[offset / 8] = value;
    }
};

struct IoBus : ::testing::Test {
    std::vector<uint8_t> ram = std::vector<uint8_t>(0x10000);
    Kvm kvm;
    KvmVcpu* v = nullptr;
    Registers dev;

    void SetUp() override {
        ASSERT_TRUE(kvm.set_memory_region({0, 0, kRam, ram.size(), ram.data()}));
        ASSERT_TRUE(kvm.io_bus().register_dev(kDev, 0x80, dev));
        v = kvm.create_vcpu(0).value();
        kvm::VcpuInit init;
        init.features[0] = 1u << kvm::vcpu_feature::kPsci0_2;
        ASSERT_TRUE(v->init(init));
        v->pc() = kPc;
    }
    // The syndrome the CPU gives for a single-register access of 1 << sas
    // bytes to/from Xrt (D24.2.40 ISS encoding for a Data Abort).
    ExitAction access(uint64_t ipa, unsigned sas, unsigned rt, bool write, bool sse, bool sf) {
        uint32_t iss = arch::dabt::kISV | (sas << arch::dabt::kSasShift) |
                       (rt << arch::dabt::kSrtShift) | (arch::fsc::kTranslationL0 + 3);
        if (write) iss |= arch::dabt::kWnR;
        if (sse) iss |= arch::dabt::kSSE;
        if (sf) iss |= arch::dabt::kSF;
        auto& el2 = v->cpu().state().el2;
        el2.esr = arch::esr(arch::EC::DataAbortLow, iss);
        el2.far = ipa;
        el2.hpfar = (ipa >> 12) << 4;
        return handle_exit(*v);
    }
};

TEST_F(IoBus, WriteReachesTheDeviceAndSkipsTheInstruction) {
    v->set_reg(3, 0xAABBCCDD11223344ull);
    EXPECT_EQ(access(kDev + 0x10, 2, 3, true, false, false), ExitAction::Resume)
        << "an in-kernel access must not exit to userspace";
    EXPECT_EQ(dev.regs[2], 0x11223344u) << "a 32-bit store writes the low word of Xt only";
    EXPECT_EQ(dev.last_len, 4u);
    EXPECT_EQ(v->pc(), kPc + 4);
}

TEST_F(IoBus, ReadLoadsXtWithTheSyndromesExtension) {
    dev.regs[1] = 0x80;
    EXPECT_EQ(access(kDev + 0x8, 0, 5, false, true, false), ExitAction::Resume);
    EXPECT_EQ(v->get_reg(5), 0xFFFFFF80u) << "LDRSB Wt sign-extends to 32 bits";
    EXPECT_EQ(access(kDev + 0x8, 0, 6, false, true, true), ExitAction::Resume);
    EXPECT_EQ(v->get_reg(6), 0xFFFFFFFFFFFFFF80ull) << "LDRSB Xt sign-extends to 64 bits";
    EXPECT_EQ(v->pc(), kPc + 8);
}

TEST_F(IoBus, AccessOutsideEveryRangeStillExitsToUserspace) {
    EXPECT_EQ(access(kDev + 0x80, 2, 1, false, false, false), ExitAction::ExitToUser);
    EXPECT_EQ(v->run_state().exit_reason, kvm::ExitReason::Mmio);
    EXPECT_EQ(access(kDev + 0x7C, 3, 1, false, false, true), ExitAction::ExitToUser)
        << "an access straddling the end of the range is not the device's";
}

TEST_F(IoBus, OverlappingRangesAreRefused) {
    Registers other;
    auto r = kvm.io_bus().register_dev(kDev + 0x40, 0x100, other);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("0x8000040"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace hyp
