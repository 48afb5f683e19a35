#include "tests/difftest/gen.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <stdexcept>

#include "arch/fpsimd.h"
#include "tests/difftest/oracle.h"

namespace difftest {

namespace {
constexpr unsigned kMaxCaseLen = 24;
constexpr unsigned kTries = 16;
}  // namespace

uint64_t random_value(Rng& r) {
    static constexpr uint64_t kEdges[] = {
        0, 1, 2, ~0ull, 0x7FFFFFFFFFFFFFFFull, 0x8000000000000000ull, 0x7FFFFFFF, 0x80000000,
        0xFFFFFFFF, 0x100000000ull, 0xFFFFFFFF80000000ull, 0x8000, 0xFFFF, 0x80, 0xFF,
    };
    switch (r.below(8)) {
    case 0: return kEdges[r.below(std::size(kEdges))];
    case 1: return r.below(64);
    case 2: return ~uint64_t(r.below(64));
    case 3: return r.next() & 0xFFFFFFFF;
    default: return r.next();
    }
}

namespace {
// A format's fields: exponent width and fraction width.
struct FpFormat {
    unsigned e, f;
};
constexpr FpFormat format_of(unsigned esize) {
    return esize == 16 ? FpFormat{5, 10} : esize == 32 ? FpFormat{8, 23} : FpFormat{11, 52};
}
uint64_t pack(const FpFormat& t, bool sign, uint64_t exp, uint64_t frac) {
    return uint64_t(sign) << (t.e + t.f) | exp << t.f | (frac & ((1ull << t.f) - 1));
}
}  // namespace

uint64_t random_fp(Rng& r, unsigned esize) {
    const FpFormat t = format_of(esize);
    const uint64_t emax = (1ull << t.e) - 1, bias = emax >> 1, qbit = 1ull << (t.f - 1);
    const uint64_t frac = r.next();
    const bool sign = r.coin();
    switch (r.below(16)) {
    case 0: return pack(t, sign, 0, 0);                                   // ±0
    case 1: return pack(t, sign, emax, 0);                                // ±inf
    case 2: return pack(t, sign, emax, qbit | frac);                      // qNaN, payload
    case 3: return pack(t, sign, emax, (frac & (qbit - 1)) | 1);          // sNaN, payload
    case 4: return pack(t, sign, 0, frac | (r.coin() ? 0 : 1));           // denormal
    case 5: return pack(t, sign, r.coin() ? 1 : emax - 1, r.coin() ? 0 : ~0ull);  // min/max normal
    case 6: return pack(t, sign, bias + r.below(4), qbit >> r.below(3));  // 0.5-step ties: 1.5, 2.5, 3.25...
    case 7: {  // near the integer limits: 2^15, 2^16, 2^31, 2^32, 2^63, 2^64 and their neighbours
        static constexpr unsigned kPow[] = {15, 16, 31, 32, 63, 64};
        const uint64_t p = std::min<uint64_t>(bias + kPow[r.below(std::size(kPow))], emax - 1);
        return pack(t, sign, p - r.below(2), r.below(3) == 0 ? 0 : r.coin() ? 1 : ~0ull);
    }
    case 8: return pack(t, sign, bias + r.below(3) - 1, frac >> 40 << 40);  // near 1, short fraction
    case 9: return pack(t, sign, r.below(uint32_t(emax) + 1), frac);          // any exponent
    default: return pack(t, sign, bias - 8 + r.below(17), frac);             // ordinary magnitudes
    }
}

uint32_t random_fpcr(Rng& r) {
    namespace f = arch::fpcr;
    if (r.below(4) == 0) return 0;
    uint32_t v = uint32_t(r.below(4)) << f::kRModeShift;
    if (r.coin()) v |= f::kFZ;
    if (r.coin()) v |= f::kDN;
    if (r.coin()) v |= f::kAHP;
    return v;
}

Builder::Builder(uint64_t seed, const Groups& groups)
    : rng_(seed), fp_rng_(seed ^ 0xF9F9F9F9F9F9F9F9ull), groups_(groups) {
    slots_.reserve(kMaxSlots);  // generators hold references into slots_
    data_.resize(kDataSize);
    for (size_t i = 0; i < data_.size(); i += 8) {
        const uint64_t v = rng_.next();
        std::memcpy(&data_[i], &v, 8);
    }
    for (unsigned k = 0; k < 64; ++k) {  // edge values for CAS, atomics, loads
        const uint64_t v = random_value(rng_);
        std::memcpy(&data_[8 * rng_.below(kDataSize / 8)], &v, 8);
    }
}

const Form* Builder::form(std::string_view name) const {
    for (const Form& f : all_forms())
        if (f.name == name) return &f;
    throw std::logic_error("no form " + std::string(name));
}

bool Builder::ea_ok(uint64_t ea, unsigned size, unsigned align) const {
    const uint64_t lo = fault_ ? kUnmapped : kDataBase;
    return ea >= lo && ea + size <= lo + kDataSize && ea % align == 0;
}

uint64_t Builder::random_ea(unsigned size, unsigned align) {
    const uint64_t n = (kDataSize - size) / align + 1;
    return (fault_ ? kUnmapped : kDataBase) + rng_.below(n) * align;
}

int Builder::base(int64_t pre, unsigned size, unsigned align, bool sp_ok, uint32_t avoid) {
    // A known register (or the SP) whose value already fits.
    const unsigned start = rng_.below(32);
    for (unsigned k = 0; k < 32; ++k) {
        const unsigned r = (start + k) % 32;
        if ((r == 31 && !sp_ok) || (avoid >> r & 1) || st_[r] != St::Known) continue;
        if (ea_ok(val_[r] + pre, size, align)) return last_ea_ = val_[r] + pre, int(r);
    }
    // The SP if free: its value stays 16-byte aligned.
    if (sp_ok && st_[31] == St::Free && rng_.below(4) == 0) {
        for (unsigned t = 0; t < kTries; ++t) {
            const uint64_t sp = random_ea(16, 16);
            if (!ea_ok(sp + pre, size, align)) continue;
            st_[31] = St::Known, val_[31] = sp;
            return last_ea_ = sp + pre, 31;
        }
    }
    const uint64_t ea = random_ea(size, align);
    const int r = pin(ea - pre, avoid);
    if (r >= 0) {
        st_[r] = St::Known;  // a base may serve later accesses too
        last_ea_ = ea;
    }
    return r;
}

int Builder::base_with_offset(int64_t lo, int64_t hi, unsigned scale, unsigned size,
                              unsigned align, bool sp_ok, uint32_t avoid, int64_t& off) {
    // Prefer reusing a known base with an offset that reaches the buffer.
    for (unsigned r = 0; r < 32 && rng_.coin(); ++r) {
        const unsigned k = rng_.below(32);
        if ((k == 31 && !sp_ok) || (avoid >> k & 1) || st_[k] != St::Known) continue;
        const uint64_t ea = random_ea(size, align);
        const int64_t d = int64_t(ea - val_[k]);
        if (d % int64_t(scale) || d / int64_t(scale) < lo || d / int64_t(scale) > hi) continue;
        off = d;
        last_ea_ = ea;
        return int(k);
    }
    // Bias towards small offsets so both signs and zero are common.
    const int64_t k = rng_.coin() ? rng_.range(std::max<int64_t>(lo, -8), std::min<int64_t>(hi, 8))
                                  : rng_.range(lo, hi);
    off = k * int64_t(scale);
    return base(off, size, align, sp_ok, avoid);
}

int Builder::pin(uint64_t value, uint32_t avoid) {
    const unsigned start = rng_.below(31);
    for (unsigned k = 0; k < 31; ++k) {
        const unsigned r = (start + k) % 31;
        if (st_[r] != St::Free || (avoid >> r & 1)) continue;
        st_[r] = St::Pinned;
        val_[r] = value;
        return int(r);
    }
    return -1;
}

int Builder::pin_pair(uint64_t v0, uint64_t v1, uint32_t avoid) {
    const unsigned start = rng_.below(15);
    for (unsigned k = 0; k < 15; ++k) {
        const unsigned r = 2 * ((start + k) % 15);
        if (st_[r] != St::Free || st_[r + 1] != St::Free || (avoid >> r & 3)) continue;
        st_[r] = st_[r + 1] = St::Pinned;
        val_[r] = v0, val_[r + 1] = v1;
        return int(r);
    }
    return -1;
}

bool Builder::known_memory(uint64_t addr, unsigned size, uint64_t& value) const {
    if (fault_) return false;
    for (const Range& t : touched_)
        if (addr < t.addr + t.size && t.addr < addr + size) return false;
    value = 0;
    std::memcpy(&value, &data_[addr - kDataBase], size);
    return true;
}

int Builder::branch_reg(uint32_t avoid) {
    const int r = pin(0, avoid);  // the value is set once the target is chosen
    if (r >= 0) cur().branch_reg = r;
    return r;
}

Fields& Builder::next_in_group(const Form* form) {
    Slot& s = slots_.emplace_back();
    s.f.form = form;
    s.group_inner = true;
    return s.f;
}

// One instruction (or group) at the end of the program, from a random group
// and form; the builder's knowledge rolls back if the generator gives up.
bool Builder::gen_one() {
    // UNDEFINED and faulting forms end their case: keep them rarer than the rest.
    const std::vector<const Form*>* g = &groups_[rng_.below(groups_.size())];
    for (unsigned k = 0; k < 1 && (g->front()->group == "undef" || g->front()->group == "fault"); ++k)
        g = &groups_[rng_.below(groups_.size())];
    const Form* f = (*g)[rng_.below(g->size())];
    const auto st = st_;
    const auto val = val_;
    const size_t nslots = slots_.size(), ntouched = touched_.size();
    Slot& s = slots_.emplace_back();
    s.f.form = f;
    if (f->gen(*this, s.f) && !oracle_excluded(*this, slots_[nslots].f)) return true;
    undef_ = fault_ = false;
    fault_pc_ = 0;
    st_ = st, val_ = val;
    slots_.resize(nslots);
    touched_.resize(ntouched);
    return false;
}

// Targets are later slots (or the end). A third of the branches reach theirs
// through a landing pad before the program, so backward offsets (negative
// immediates) are exercised too without ever running an instruction twice.
void Builder::resolve_branches(std::vector<Fields>& pads) {
    const unsigned n = slots_.size();
    for (unsigned i = 0; i < n; ++i) {
        Slot& s = slots_[i];
        if (!s.branch_field && s.branch_reg < 0) continue;
        std::vector<unsigned> targets;
        for (unsigned t = i + 1; t <= n; ++t)
            if (t == n || !slots_[t].group_inner) targets.push_back(t);
        const unsigned t = targets[rng_.below(targets.size())];
        int64_t to = kPads + t;  // absolute slot the branch itself goes to
        if (pads.size() < kPads && rng_.below(3) == 0) {
            to = kPads - 1 - pads.size();
            Fields& pad = pads.emplace_back();
            pad.form = form("B");
            pad['i'] = uint32_t(kPads + t - to);
        }
        if (s.branch_field) {
            const unsigned width = pattern_of(s.f.form)->width[uint8_t(s.branch_field)];
            s.f[s.branch_field] = uint32_t(to - (kPads + i)) & ((1u << width) - 1);
        }
        if (s.branch_reg >= 0) val_[s.branch_reg] = kCodeBase + 4 * to;
    }
}

Case Builder::build() {
    const unsigned len = 1 + rng_.below(kMaxCaseLen);
    while (slots_.size() < len && !undef_) {
        unsigned t = 0;
        while (t < kTries && !gen_one()) ++t;
        if (t == kTries) break;  // nothing fits any more (no free register)
    }
    Case c;
    std::vector<Fields> pads;
    resolve_branches(pads);
    for (unsigned r = 0; r < 31; ++r) c.x[r] = st_[r] == St::Free ? random_value(rng_) : val_[r];
    // A free SP still points into the data buffer, 16-byte aligned.
    c.sp = st_[31] == St::Free ? random_ea(16, 16) : val_[31];
    c.nzcv = uint32_t(rng_.below(16)) << 28;
    c.el1t = rng_.below(4) == 0;
    // V registers: lanes of one FP size, FP-biased, or random bits.
    for (auto& v : c.v) {
        const unsigned pick = fp_rng_.below(4), esize = 16u << pick;
        for (uint64_t& half : v) {
            if (pick == 3) {
                half = random_value(fp_rng_);
                continue;
            }
            for (unsigned lane = 0; lane < 64 / esize; ++lane) half |= random_fp(fp_rng_, esize) << (lane * esize);
        }
    }
    c.fpcr = random_fpcr(fp_rng_);
    c.fpsr = fp_rng_.below(4) == 0 ? uint32_t(fp_rng_.next()) & arch::fpsr::kWritable : 0;
    c.step_len.assign(kPads + slots_.size(), 1);
    for (unsigned i = slots_.size(); i-- > 0;)
        if (slots_[i].group_inner) c.step_len[kPads + i - 1] = c.step_len[kPads + i] + 1;
    // Pads fill from the last one down; unused ones hold UDF #0.
    for (unsigned k = 0; k < kPads; ++k) {
        const size_t used = kPads - 1 - k;
        const uint32_t w = used < pads.size() ? assemble(*pattern_of(pads[used].form), pads[used]) : 0;
        c.code.push_back(w);
        c.uc_code.push_back(w);
        c.form.push_back(used < pads.size() ? pads[used].form : form("B"));
    }
    for (const Slot& s : slots_) {
        const uint32_t w = assemble(*pattern_of(s.f.form), s.f);
        c.code.push_back(w);
        c.uc_code.push_back(oracle_word(s.f, w));
        c.form.push_back(s.f.form);
    }
    if (undef_ && fault_pc_) c.fault_pc = fault_pc_, c.fault_far = fault_far_;
    else if (undef_) c.undef_pc = kEntry + 4 * (slots_.size() - 1);
    c.touched = std::move(touched_);
    c.data = std::move(data_);
    return c;
}

}  // namespace difftest
