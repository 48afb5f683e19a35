// The interpreter loop and the pre-decoded block cache.
//
// Blocks are keyed by the IPA of their first instruction and hold up to
// kMaxBlockInsns decoded instructions, ending at a branch, an exception, a
// context-changing instruction or a 4 KiB page boundary. Any write to a
// 64-byte line that holds decoded code (guest store or invalidate_code())
// drops the whole cache at the next block boundary; the block being executed
// stops after the writing instruction, so self-modifying code sees its write.
#include <cstring>
#include <unordered_map>
#include <vector>

#include "cpu/access.h"
#include "cpu/cpu.h"
#include "cpu/decode.h"

namespace cpu {

namespace {
constexpr unsigned kMaxBlockInsns = 64;
constexpr uint64_t kPageSize = 4096;
constexpr unsigned kFrontSize = 4096;  // direct-mapped front of the cache
}  // namespace

struct Block {
    uint64_t ipa = 0;
    std::vector<Insn> insns;
};

struct Cpu::BlockCache {
    std::unordered_map<uint64_t, std::unique_ptr<Block>> by_ipa;
    struct Front {
        uint64_t ipa = ~0ull;
        Block* block = nullptr;
    };
    std::vector<Front> front = std::vector<Front>(kFrontSize);
    // One bit per 64-byte line for each 4 KiB page that holds decoded code.
    std::unordered_map<uint64_t, uint64_t> code_lines;
    bool flush_pending = false;

    void flush() {
        by_ipa.clear();
        code_lines.clear();
        std::fill(front.begin(), front.end(), Front{});
        flush_pending = false;
    }
    static uint64_t line_bits(uint64_t ipa, uint64_t size) {
        const unsigned first = (ipa & (kPageSize - 1)) >> 6;
        const unsigned last = ((ipa + size - 1) & (kPageSize - 1)) >> 6;
        const unsigned n = last - first + 1;
        return (n >= 64 ? ~0ull : ((1ull << n) - 1)) << first;
    }
    bool overlaps(uint64_t ipa, uint64_t size) const {
        if (code_lines.empty() || size == 0) return false;
        for (uint64_t page = ipa & ~(kPageSize - 1); page < ipa + size; page += kPageSize) {
            auto it = code_lines.find(page);
            if (it == code_lines.end()) continue;
            const uint64_t lo = std::max(page, ipa);
            const uint64_t hi = std::min(page + kPageSize, ipa + size);
            if (it->second & line_bits(lo, hi - lo)) return true;
        }
        return false;
    }
};

Cpu::Cpu() : blocks_(std::make_unique<BlockCache>()) {}
Cpu::~Cpu() = default;

void Cpu::note_code_write(uint64_t ipa, unsigned size) {
    auto& lines = blocks_->code_lines;
    if (lines.empty()) return;
    auto it = lines.find(ipa & ~(kPageSize - 1));
    if (it == lines.end() && ((ipa + size - 1) & ~(kPageSize - 1)) == (ipa & ~(kPageSize - 1)))
        return;
    if (blocks_->overlaps(ipa, size)) {
        blocks_->flush_pending = true;
        end_block_ = true;
    }
}

void Cpu::invalidate_code(uint64_t ipa, uint64_t size) {
    if (blocks_->overlaps(ipa, size)) blocks_->flush_pending = true;
}

void Cpu::invalidate_all_code() { blocks_->flush_pending = true; }

Stop Cpu::run(uint64_t max_insns) {
    exited_to_el2_ = false;
    exception_return_from_el2();
    return execute(max_insns);
}

Stop Cpu::execute(uint64_t max_insns) {
    BlockCache& bc = *blocks_;
    const uint64_t start = retired_;
    for (;;) {
        if (exited_to_el2_) return Stop::Trap;
        if (no_progress_) {
            no_progress_ = false;
            return Stop::NoProgress;
        }
        const uint64_t done = retired_ - start;
        if (done >= max_insns) {
            // The budget is a physical IRQ routed to EL2: the guest's state is
            // its return state, nothing else changes.
            s_.el2.elr = s_.pc;
            s_.el2.spsr = s_.pstate.to_spsr();
            return Stop::Irq;
        }
        if (bc.flush_pending) bc.flush();
        if ((s_.el2.hcr & (hcr::kVI | hcr::kVF | hcr::kVSE)) && take_pending_virtual_interrupt())
            continue;
        try {
            if (s_.pc & 3) {
                take_sync(arch::esr(arch::EC::PCAlign, 0), s_.pc, s_.pc, true);
                continue;
            }
            // Instruction fetch: MMU off means VA = IPA, Normal memory.
            const uint64_t ipa = s_.pc;
            auto& fe = bc.front[(ipa >> 2) & (kFrontSize - 1)];
            Block* b = fe.ipa == ipa ? fe.block : nullptr;
            if (!b) {
                auto it = bc.by_ipa.find(ipa);
                if (it != bc.by_ipa.end()) {
                    b = it->second.get();
                } else {
                    const uint64_t page_end = (ipa & ~(kPageSize - 1)) + kPageSize;
                    const Stage2Region* r = stage2_.lookup(ipa, 4);
                    if (!r) {
                        Fault f;
                        f.stage = 2;
                        f.level = 3;
                        f.fetch = true;
                        f.va = s_.pc;
                        f.ipa = ipa;
                        throw f;
                    }
                    auto nb = std::make_unique<Block>();
                    nb->ipa = ipa;
                    uint64_t a = ipa;
                    while (nb->insns.size() < kMaxBlockInsns && a < page_end &&
                           a - r->ipa + 4 <= r->size) {
                        uint32_t raw;
                        std::memcpy(&raw, r->host + (a - r->ipa), 4);
                        Insn& in = nb->insns.emplace_back();
                        decode(raw, in);
                        a += 4;
                        if (in.ends_block) break;
                    }
                    bc.code_lines[ipa & ~(kPageSize - 1)] |= BlockCache::line_bits(ipa, a - ipa);
                    b = nb.get();
                    bc.by_ipa.emplace(ipa, std::move(nb));
                }
                fe.ipa = ipa;
                fe.block = b;
            }
            // With PSTATE.IL set, any instruction takes an Illegal Execution
            // state exception (D1.4.4), after fetch and its aborts. IL changes
            // only at exception entry and return, which end a block, so one
            // check per block suffices.
            if (s_.pstate.il) {
                take_sync(arch::esr(arch::EC::IllegalState, 0), s_.pc);
                continue;
            }
            const size_t n = std::min<uint64_t>(b->insns.size(), max_insns - done);
            const Insn* in = b->insns.data();
            end_block_ = false;
            for (size_t i = 0; i < n; ++i) {
                const Flow fl = in[i].exec(*this, in[i]);
                if (fl == Flow::Next) {
                    s_.pc += 4;
                    ++retired_;
                    ++retired_since_entry_;
                    if (end_block_) break;
                    continue;
                }
                if (fl == Flow::EndBlock) {
                    s_.pc += 4;
                    ++retired_;
                    ++retired_since_entry_;
                } else if (fl == Flow::Branch) {
                    ++retired_;
                    ++retired_since_entry_;
                }
                break;
            }
        } catch (const Fault& f) {
            take_fault(f);
        }
    }
}

}  // namespace cpu
