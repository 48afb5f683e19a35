// Several vcpus in one host thread (PSCI CPU_ON/CPU_OFF, WFE yields, WFI in
// virtual time), KVM-selftest style: guests/smp.c is the guest routine, the
// round-robin loop below the host routine, which a VMM runs the same way.
#include <map>

#include "tests/kvm/vm_fixture.h"
#include "tests/smp_output.h"

namespace kvm::test {
namespace {

struct SmpRun {
    std::string uart;
    std::vector<uint64_t> exits;  // vcpu id and guest PC of every exit, in order
    RunState last;
};

// Boots vcpu 0 with the guest and vcpus 1..n-1 powered off, then runs each
// vcpu in turn until it returns INTR, answering MMIO, until a SYSTEM_EVENT.
SmpRun run_smp(const std::string& guest, unsigned n, uint64_t quantum = 0) {
    VmFixture f(guest);
    std::vector<Vcpu*> vcpus{f.vcpu};
    for (unsigned i = 1; i < n; ++i) {
        Vcpu* v = f.vm->create_vcpu(i).value();
        VcpuInit init;
        init.features[0] = 1u << vcpu_feature::kPsci0_2 | 1u << vcpu_feature::kPowerOff;
        EXPECT_TRUE(v->init(init));
        vcpus.push_back(v);
    }
    if (quantum) {
        EnableCap c{Cap::VcpuQuantum};
        c.args[0] = quantum;
        EXPECT_TRUE(f.vm->enable_cap(c));
    }
    SmpRun out;
    f.vm->set_exit_trace([&](const hyp::ExitEvent& e) {
        out.exits.push_back(uint64_t(e.vcpu) << 56 | e.pc);
    });
    for (size_t turn = 0; turn < 200000; ++turn) {
        Vcpu* v = vcpus[turn % n];
        for (;;) {
            EXPECT_TRUE(v->run());
            RunState& r = v->run_state();
            if (r.exit_reason == ExitReason::Mmio) {
                if (r.mmio.is_write && r.mmio.phys_addr == VmFixture::kUartData)
                    out.uart += char(r.mmio.data[0]);
                if (!r.mmio.is_write) std::memset(r.mmio.data, 0, sizeof r.mmio.data);
                continue;
            }
            if (r.exit_reason == ExitReason::Intr) break;
            out.last = r;
            return out;
        }
    }
    ADD_FAILURE() << "no SYSTEM_EVENT after 200000 turns";
    return out;
}

using stepvisor::test::kSmpOutput;

TEST(Smp, CpuOnStartsSecondariesThatPrintAndTurnOff) {
    SmpRun r = run_smp("smp", 3);
    ASSERT_EQ(r.last.exit_reason, ExitReason::SystemEvent);
    EXPECT_EQ(r.last.system_event.type, SystemEventType::Shutdown);
    EXPECT_EQ(r.uart, kSmpOutput);
}

// A small quantum switches vcpus often; the guest's output does not change.
TEST(Smp, OutputIsTheSameWithAnyQuantum) {
    EXPECT_EQ(run_smp("smp", 3, 97).uart, kSmpOutput);
    EXPECT_EQ(run_smp("smp", 3, 5000).uart, kSmpOutput);
}

// Reproducible: the same inputs give the same exits, vcpu by vcpu, PC by PC.
TEST(Smp, TwoRunsExitAtTheSamePlaces) {
    SmpRun a = run_smp("smp", 3, 1000), b = run_smp("smp", 3, 1000);
    EXPECT_EQ(a.uart, b.uart);
    EXPECT_GT(a.exits.size(), 1000u);
    EXPECT_EQ(a.exits, b.exits);
}

// A vcpu that is off never runs: run() yields (INTR) while another can run.
TEST(Smp, PoweredOffVcpuYields) {
    VmFixture f("hello");
    Vcpu* off = f.vm->create_vcpu(1).value();
    VcpuInit init;
    init.features[0] = 1u << vcpu_feature::kPsci0_2 | 1u << vcpu_feature::kPowerOff;
    ASSERT_TRUE(off->init(init));
    const uint64_t pc = off->get_one_reg(reg::kPc).value();
    ASSERT_TRUE(off->run());
    EXPECT_EQ(off->run_state().exit_reason, ExitReason::Intr)
        << "got " << exit_reason_name(off->run_state().exit_reason) << " (expected INTR)";
    EXPECT_EQ(off->get_one_reg(reg::kPc).value(), pc);
}

}  // namespace
}  // namespace kvm::test
