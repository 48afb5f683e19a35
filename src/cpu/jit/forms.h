// The instructions the tier emits inline instead of calling their handler
// (chosen by how often a Linux boot runs them: docs/jit.md). A form is
// found by the handler the decoder installed: each lists encodings whose
// decode yields its handlers, so it matches exactly the instructions the
// interpreter would run through those handlers, and reads the same Insn
// fields they read.
#pragma once
#if defined(__x86_64__)

#include <cstdint>
#include <span>
#include <vector>

#include "cpu/insn.h"

namespace cpu::jit {

class Emitter;

using EmitFn = void (*)(Emitter&, const Insn&);

struct Form {
    EmitFn emit = nullptr;
    bool direct_branch = false;  // B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ: fixed targets
};

// A form and encodings that decode to each of its handlers.
struct SampledForm {
    Form form;
    std::vector<uint32_t> samples;
};

std::span<const SampledForm> dp_forms();      // forms_dp.cpp
std::span<const SampledForm> dp_src_forms();  // forms_dp_src.cpp
std::span<const SampledForm> branch_forms();  // forms_branch.cpp
std::span<const SampledForm> ls_forms();      // forms_ls.cpp
std::span<const SampledForm> ls_vec_forms();  // forms_ls_vec.cpp
std::span<const SampledForm> fp_forms();      // forms_fp.cpp
std::span<const SampledForm> sys_forms();     // forms_sys.cpp

// The inline form for the handler exec, or null (then it is called).
const Form* inline_form(ExecFn exec);

}  // namespace cpu::jit

#endif
