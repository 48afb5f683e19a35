#include "vmm/trace_insns.h"

#include <fmt/format.h>

#include "vmm/disasm.h"

namespace vmm {

namespace {

uint64_t reg(const kvm::Vcpu& v, uint64_t id) {
    auto r = v.get_one_reg(id);
    return r ? r.value() : 0;
}

}  // namespace

RegSnapshot snapshot(const kvm::Vcpu& v) {
    RegSnapshot s;
    for (unsigned n = 0; n < 31; ++n) s.x[n] = reg(v, kvm::reg::x(n));
    s.sp_el0 = reg(v, kvm::reg::kSp);
    s.sp_el1 = reg(v, kvm::reg::kSpEl1);
    s.pc = reg(v, kvm::reg::kPc);
    s.pstate = reg(v, kvm::reg::kPstate);
    return s;
}

std::string changed_registers(const RegSnapshot& a, const RegSnapshot& b) {
    std::string out;
    const auto add = [&out](std::string_view name, uint64_t before, uint64_t after) {
        if (before == after) return;
        if (!out.empty()) out += ' ';
        out += fmt::format("{}={:#x}", name, after);
    };
    for (unsigned n = 0; n < 31; ++n) add(fmt::format("x{}", n), a.x[n], b.x[n]);
    add("sp_el0", a.sp_el0, b.sp_el0);
    add("sp_el1", a.sp_el1, b.sp_el1);
    add("pstate", a.pstate, b.pstate);
    return out;
}

uint64_t InsnTracer::begin(size_t i, kvm::Vcpu& v) {
    std::optional<Step>& s = steps_[i];
    if (!s) {
        s = Step{snapshot(v), {}, v.retired_insns() + 1};
        s->disasm = disassemble_at(ram_, v, s->before.pc);
    }
    return s->limit;
}

void InsnTracer::end(size_t i, const kvm::Vcpu& v) {
    std::optional<Step>& s = steps_[i];
    if (!s || v.retired_insns() < s->limit) return;
    const RegSnapshot after = snapshot(v);
    // A branch or an exception entry shows as the PC it went to.
    std::string changed = changed_registers(s->before, after);
    if (after.pc != s->before.pc + 4)
        changed = changed.empty() ? fmt::format("pc={:#x}", after.pc)
                                  : fmt::format("pc={:#x} {}", after.pc, changed);
    std::string line = fmt::format("vcpu {} {:#x}: {:<32} {}", i, s->before.pc, s->disasm, changed);
    line.erase(line.find_last_not_of(' ') + 1);
    sink_(line);
    s.reset();
}

void InsnTracer::drop_open_steps() {
    for (auto& s : steps_) s.reset();
}

}  // namespace vmm
