// The history reverse execution replays (docs/reverse.md): what gdb made
// the machine do, item by item. A run (gdb's continue) and a step each
// go from one point to another; a register or memory write gdb made
// changes the state where it stands. A Loc names a state of the history:
// the items before `next` done, the machine at `pos`.
#pragma once

#include <cstdint>
#include <vector>

#include "gdb/packets.h"
#include "vmm/machine.h"

namespace vmm::reverse {

struct Item {
    enum class Kind : uint8_t { Run, Step, WriteRegister, WriteMemory } kind = Kind::Run;
    // Run and Step: from start to end, as gdb's resume actions with the
    // step-irq policy of the time.
    Position start, end;
    std::vector<gdb::ResumeAction> actions;
    bool step_irq_enter = false;
    // The writes: thread, register number or address, the bytes.
    uint32_t thread = 1;
    unsigned regnum = 0;
    uint64_t addr = 0;
    std::vector<uint8_t> data;

    bool moves() const { return kind == Kind::Run || kind == Kind::Step; }
};

struct Loc {
    size_t next = 0;
    Position pos;
    friend bool operator==(const Loc&, const Loc&) = default;
    friend bool operator<(const Loc& a, const Loc& b) {
        const uint64_t sa = a.pos.retired + a.pos.entries, sb = b.pos.retired + b.pos.entries;
        return sa != sb ? sa < sb : a.next < b.next;
    }
    friend bool operator<=(const Loc& a, const Loc& b) { return !(b < a); }
};

}  // namespace vmm::reverse
