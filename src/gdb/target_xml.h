// The target description gdb reads through qXfer:features:read:target.xml
// (GDB manual, Appendix G "Target Descriptions", G.5.1 "AArch64 Features").
#pragma once

#include <string>
#include <string_view>

#include "gdb/registers.h"

namespace gdb {

inline constexpr std::string_view kTargetXmlAnnex = "target.xml";
inline constexpr std::string_view kCoreFeature = "org.gnu.gdb.aarch64.core";
inline constexpr std::string_view kFpuFeature = "org.gnu.gdb.aarch64.fpu";
// Our own feature name for the extra (system) registers.
inline constexpr std::string_view kSysregFeature = "org.stepvisor.aarch64.sysregs";

// <target> with <architecture>aarch64</architecture>, the core feature
// (registers as aarch64-core.xml defines them: x0-x30 64-bit, sp data_ptr,
// pc code_ptr, cpsr 32-bit cpsr_flags), the fpu feature when the map has
// it (as aarch64-fpu.xml: v0-v31 of type aarch64v, fpsr, fpcr) and, when
// the map has extras, a feature listing them in the "system" group.
std::string build_target_xml(const RegisterMap& regs);

// One qXfer chunk: "m" + data when more follows, "l" + data for the last
// (possibly empty) chunk.
std::string xfer_chunk(std::string_view document, uint64_t offset, uint64_t length);

}  // namespace gdb
