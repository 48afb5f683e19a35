#if defined(__x86_64__)
#include "cpu/jit/forms.h"

#include <unordered_map>

#include "cpu/decode.h"

namespace cpu::jit {

namespace {
// Handler -> form, from decoding every sample with every feature on (a
// feature only ever adds encodings; handlers are the same). Samples of a
// reserved combination (UNDEFINED, as 0 decodes) are passed over.
std::unordered_map<ExecFn, Form> build() {
    Insn undefined;
    decode(0, Features{}, undefined);
    std::unordered_map<ExecFn, Form> m;
    for (const auto forms : {dp_forms(), dp_src_forms(), branch_forms(), ls_forms(),
                             ls_vec_forms(), fp_forms(), sys_forms()})
        for (const SampledForm& f : forms)
            for (const uint32_t raw : f.samples) {
                Insn in;
                decode(raw, Features{}, in);
                if (in.exec != undefined.exec) m.emplace(in.exec, f.form);
            }
    return m;
}
}  // namespace

const Form* inline_form(ExecFn exec) {
    static const std::unordered_map<ExecFn, Form> forms = build();
    const auto it = forms.find(exec);
    return it == forms.end() ? nullptr : &it->second;
}

}  // namespace cpu::jit
#endif
