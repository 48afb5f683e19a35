#include "vmm/trace_insns.h"

#include <span>

#include <fmt/format.h>

#include "vmm/disasm.h"

namespace vmm {

namespace {

uint64_t reg(const kvm::Vcpu& v, uint64_t id) {
    auto r = v.get_one_reg(id);
    return r ? r.value() : 0;
}

// V<n> as {low, high} doublewords (KVM_REG_SIZE_U128, little-endian).
std::array<uint64_t, 2> vreg(const kvm::Vcpu& v, unsigned n) {
    std::array<uint64_t, 2> q{};
    if (!v.get_one_reg(kvm::reg::v(n), std::span(reinterpret_cast<uint8_t*>(q.data()), sizeof q)))
        return {};
    return q;
}

std::string hex128(const std::array<uint64_t, 2>& q) {
    return q[1] ? fmt::format("{:#x}{:016x}", q[1], q[0]) : fmt::format("{:#x}", q[0]);
}

}  // namespace

RegSnapshot snapshot(const kvm::Vcpu& v) {
    RegSnapshot s;
    for (unsigned n = 0; n < 31; ++n) s.x[n] = reg(v, kvm::reg::x(n));
    s.sp_el0 = reg(v, kvm::reg::kSp);
    s.sp_el1 = reg(v, kvm::reg::kSpEl1);
    s.pc = reg(v, kvm::reg::kPc);
    s.pstate = reg(v, kvm::reg::kPstate);
    for (unsigned n = 0; n < s.v.size(); ++n) s.v[n] = vreg(v, n);
    s.fpsr = uint32_t(reg(v, kvm::reg::kFpsr));
    s.fpcr = uint32_t(reg(v, kvm::reg::kFpcr));
    return s;
}

std::string changed_registers(const RegSnapshot& a, const RegSnapshot& b) {
    std::string out;
    const auto put = [&out](std::string_view name, const std::string& value) {
        if (!out.empty()) out += ' ';
        out += fmt::format("{}={}", name, value);
    };
    const auto add = [&put](std::string_view name, uint64_t before, uint64_t after) {
        if (before != after) put(name, fmt::format("{:#x}", after));
    };
    for (unsigned n = 0; n < 31; ++n) add(fmt::format("x{}", n), a.x[n], b.x[n]);
    add("sp_el0", a.sp_el0, b.sp_el0);
    add("sp_el1", a.sp_el1, b.sp_el1);
    for (unsigned n = 0; n < a.v.size(); ++n)
        if (a.v[n] != b.v[n]) put(fmt::format("v{}", n), hex128(b.v[n]));
    add("fpsr", a.fpsr, b.fpsr);
    add("fpcr", a.fpcr, b.fpcr);
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
