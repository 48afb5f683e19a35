#if defined(__x86_64__)
#include "cpu/jit/tier.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "cpu/jit/emitter.h"

namespace cpu::jit {

namespace {
// A block's code before it is copied into the cache: 64 instructions of
// at most a few hundred bytes each, inline and out of line.
constexpr size_t kScratchBytes = 64 << 10;
}  // namespace

Tier::Tier() : scratch_(kScratchBytes) {}
Tier::~Tier() = default;

// One Emitter, reused: making an Xbyak CodeGenerator costs more than
// emitting a small block.
Emitter& Tier::emitter(Cpu& cpu) {
    if (!emitter_)
        emitter_ = std::make_unique<Emitter>(cpu, scratch_.data(), scratch_.size(), stubs_);
    return *emitter_;
}

// The stubs go first into an empty cache: every block jumps to them.
bool Tier::add_stubs(Cpu& cpu) {
    Emitter& e = emitter(cpu);
    const Stubs in_buf = e.stubs();
    const uint8_t* at = cache_.add({scratch_.data(), e.getSize()});
    if (!at) return false;
    const auto moved = [&](const uint8_t* p) { return at + (p - scratch_.data()); };
    stubs_ = {moved(in_buf.exit),   moved(in_buf.flow),  moved(in_buf.ended),
              moved(in_buf.lookup), moved(in_buf.chain), moved(in_buf.exit_chained)};
    perf_map_add(at, e.getSize(), "stepvisor:stubs");
    return true;
}

const Code* Tier::compile(Cpu& cpu, const Block& b) {
    if (!stubs_.exit && !add_stubs(cpu)) return nullptr;
    Code& code = codes_.emplace_back();
    Emitter& e = emitter(cpu);
    e.block(b, code, cache_.next());
    const uint8_t* at = cache_.add({scratch_.data(), e.getSize()});
    if (!at) {
        codes_.pop_back();
        return nullptr;
    }
    code.entry = reinterpret_cast<void (*)(Cpu*)>(const_cast<uint8_t*>(at));
    code.body = at + e.body_offset();
    code.chained = at + e.chained_offset();
    perf_map_add(at, e.getSize(), b.ipa);
    add_jump(b.ipa, code);
    return &code;
}

void Tier::link(const Exit& e, const Code& to) {
    const int64_t rel = static_cast<const uint8_t*>(to.chained) - (e.jump + 4);
    const int32_t rel32 = int32_t(rel);  // one 64 MiB cache: always in range
    std::memcpy(cache_.writable(e.jump), &rel32, 4);
}

void Tier::drop(uint64_t ipa) {
    if (Jump& j = jumps_[jump_slot(ipa)]; j.ipa == ipa) j = Jump{};
}

void Tier::flush() {
    codes_.clear();
    cache_.reset();
    stubs_ = {};
    std::fill(jumps_.begin(), jumps_.end(), Jump{});
}

}  // namespace cpu::jit
#endif
