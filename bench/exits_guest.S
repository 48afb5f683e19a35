// The exit benchmark's guest (scripts/bench exits): x1 selects a loop of x2
// iterations, three instructions each, the first of which is
//   0: ADD (no exit, the baseline)
//   1: LDR from an IPA with no memory (a userspace MMIO round trip)
//   2: MRS ID_AA64PFR0_EL1 (trapped by HCR_EL2.TID3, emulated in hyp)
// then PSCI SYSTEM_OFF.
    .section .text.start, "ax"
    .global _start
_start:
    mov     x3, #0x0a000000
    cmp     x1, #1
    b.eq    mmio
    cmp     x1, #2
    b.eq    sysreg
plain:
    add     x4, x4, #1
    subs    x2, x2, #1
    b.ne    plain
    b       off
mmio:
    ldr     w4, [x3]
    subs    x2, x2, #1
    b.ne    mmio
    b       off
sysreg:
    mrs     x4, id_aa64pfr0_el1
    subs    x2, x2, #1
    b.ne    sysreg
off:
    movz    x0, #0x0008
    movk    x0, #0x8400, lsl #16
    hvc     #0
1:  b       1b
