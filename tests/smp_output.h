// What guests/smp.c prints with 4 vcpus (it starts vcpus 1 and 2; the fourth
// stays off): the API-level and the VMM-level SMP tests expect the same text.
#pragma once

namespace stepvisor::test {

inline constexpr const char* kSmpOutput =
    "CPU_ON 0x0000000000000000\n"
    "secondary up, context id 0x0000000000000001\n"
    "  mpidr 0x0000000080000001\n"
    "AFFINITY_INFO after CPU_OFF 0x0000000000000001\n"
    "CPU_ON 0x0000000000000000\n"
    "secondary up, context id 0x0000000000000002\n"
    "  mpidr 0x0000000080000002\n"
    "AFFINITY_INFO after CPU_OFF 0x0000000000000001\n"
    "CPU_ON self 0xfffffffffffffffc\n"
    "CPU_ON unknown mpidr 0xfffffffffffffffe\n"
    "CPU_ON misaligned entry 0xfffffffffffffff7\n"
    "AFFINITY_INFO level 4 0xfffffffffffffffe\n"
    "AFFINITY_INFO self 0x0000000000000000\n"
    "MIGRATE_INFO_TYPE 0x0000000000000002\n"
    "PSCI_FEATURES(CPU_ON) 0x0000000000000000\n"
    "PSCI_FEATURES(SMCCC_VERSION) 0x0000000000000000\n"
    "WFI slept to the deadline 0x0000000000000001\n"
    "CPU_SUSPEND 0x0000000000000000\n"
    "CPU_SUSPEND slept to the deadline 0x0000000000000001\n";

}  // namespace stepvisor::test
