// The GICv3 virtual CPU interface as hardware has it (GIC architecture
// specification IHI 0069, "Virtual CPU interface" and the ICH_*/ICV_*
// register descriptions; ARM ARM DDI 0487 K.a for the encodings). The EL2
// state lives in State::ich (cpu/state.h); this file derives ICH_MISR_EL2,
// ICH_EISR_EL2 and ICH_ELRSR_EL2, the virtual IRQ/FIQ the interface signals,
// and the behaviour of the guest's ICC_* accesses when HCR_EL2.IMO/FMO route
// them to the virtual interface (the ICV_* registers).
#pragma once

#include <cstdint>

#include "cpu/cpu.h"

namespace cpu::gic {

// ICH_LR<n>_EL2 (IHI 0069 ICH_LR<n>_EL2).
namespace lr {
inline constexpr uint64_t kVintid = 0xFFFFFFFF;
inline constexpr uint64_t kEoi = 1ull << 41;  // pINTID[9] with HW = 0: maintenance on deactivation
inline constexpr unsigned kPriorityShift = 48;
inline constexpr uint64_t kGroup = 1ull << 60;
inline constexpr uint64_t kHW = 1ull << 61;
inline constexpr unsigned kStateShift = 62;
// vINTID, pINTID, Priority (5 implemented bits), Group, HW, State.
inline constexpr uint64_t kWritable = kVintid | 0x1FFFull << 32 | 0xF8ull << kPriorityShift |
                                      kGroup | kHW | 3ull << kStateShift;
}  // namespace lr
enum class LrState : uint8_t { Invalid = 0, Pending = 1, Active = 2, PendingActive = 3 };

// ICH_HCR_EL2.
namespace ich_hcr {
inline constexpr uint64_t kEn = 1ull << 0;
inline constexpr uint64_t kUIE = 1ull << 1;
inline constexpr uint64_t kLRENPIE = 1ull << 2;
inline constexpr uint64_t kNPIE = 1ull << 3;
inline constexpr uint64_t kVGrp0EIE = 1ull << 4;
inline constexpr uint64_t kVGrp0DIE = 1ull << 5;
inline constexpr uint64_t kVGrp1EIE = 1ull << 6;
inline constexpr uint64_t kVGrp1DIE = 1ull << 7;
inline constexpr uint64_t kTC = 1ull << 10;
inline constexpr uint64_t kTALL0 = 1ull << 11;
inline constexpr uint64_t kTALL1 = 1ull << 12;
inline constexpr uint64_t kTDIR = 1ull << 14;
inline constexpr unsigned kEOIcountShift = 27;
// TSEI is RES0 (ICH_VTR_EL2.SEIS = 0).
inline constexpr uint64_t kWritable = 0xFF | kTC | kTALL0 | kTALL1 | kTDIR | 0x1Full << 27;
}  // namespace ich_hcr

// ICH_VMCR_EL2 (the guest's ICV_CTLR/PMR/BPR/IGRPEN state).
namespace vmcr {
inline constexpr uint64_t kVENG0 = 1ull << 0;
inline constexpr uint64_t kVENG1 = 1ull << 1;
inline constexpr uint64_t kVFIQEn = 1ull << 3;  // RES1: no legacy operation
inline constexpr uint64_t kVCBPR = 1ull << 4;
inline constexpr uint64_t kVEOIM = 1ull << 9;
inline constexpr unsigned kVBPR1Shift = 18;
inline constexpr unsigned kVBPR0Shift = 21;
inline constexpr unsigned kVPMRShift = 24;
inline constexpr uint64_t kWritable = kVENG0 | kVENG1 | kVCBPR | kVEOIM | 7ull << kVBPR1Shift |
                                      7ull << kVBPR0Shift | 0xF8ull << kVPMRShift;
}  // namespace vmcr

// ICH_MISR_EL2.
namespace ich_misr {
inline constexpr uint64_t kEOI = 1 << 0, kU = 1 << 1, kLRENP = 1 << 2, kNP = 1 << 3;
inline constexpr uint64_t kVGrp0E = 1 << 4, kVGrp0D = 1 << 5, kVGrp1E = 1 << 6, kVGrp1D = 1 << 7;
}  // namespace ich_misr

// ICH_VTR_EL2: ListRegs = 3 (4 LRs), TDS = 1 (TDIR), nV4 = 1 (no GICv4),
// A3V = 1, SEIS = 0, IDbits = 0 (16-bit vINTIDs), PREbits = PRIbits = 4
// (5 bits: 32 preemption levels).
inline constexpr uint64_t kVtr = (kListRegs - 1) | 1ull << 19 | 1ull << 20 | 1ull << 21 |
                                 4ull << 26 | 4ull << 29;
inline constexpr uint64_t kPriorityMask = 0xF8;  // 5 implemented priority bits
inline constexpr uint32_t kSpurious = 1023;

// Derived EL2 registers and lines.
uint64_t misr(const State& s);
uint64_t eisr(const State& s);
uint64_t elrsr(const State& s);
// hcr::kVI and/or hcr::kVF when the interface signals a virtual IRQ (the
// highest-priority pending interrupt is Group 1) or FIQ (Group 0).
uint64_t pending_lines(const State& s);

// ICV_* behaviour; g is the interrupt group (0 or 1). Accessors that change
// state end the block and recompute the signalled lines.
uint64_t iar_peek(const State& s, unsigned g);  // what an IAR read would return
uint64_t acknowledge(Cpu& c, unsigned g);       // ICV_IAR<g>_EL1 read
void eoi(Cpu& c, unsigned g, uint64_t v);       // ICV_EOIR<g>_EL1 write
void dir(Cpu& c, uint64_t v);                   // ICV_DIR_EL1 write
uint64_t hppir(const State& s, unsigned g);
uint64_t rpr(const State& s);
uint64_t ctlr(const State& s);
void set_ctlr(Cpu& c, uint64_t v);
uint64_t pmr(const State& s);
void set_pmr(Cpu& c, uint64_t v);
uint64_t bpr(const State& s, unsigned g);
void set_bpr(Cpu& c, unsigned g, uint64_t v);
uint64_t igrpen(const State& s, unsigned g);
void set_igrpen(Cpu& c, unsigned g, uint64_t v);
uint64_t& apr(State& s, unsigned g);  // ICH_AP<g>R0_EL2 = ICV_AP<g>R0_EL1
void set_apr(Cpu& c, unsigned g, uint64_t v);

}  // namespace cpu::gic
