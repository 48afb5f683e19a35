// The exit benchmark's guest (scripts/bench exits): x1 selects a loop of x2
// iterations, three instructions each, the first of which is
//   0: ADD (no exit, the baseline)
//   1: LDR from an IPA with no memory (a userspace MMIO round trip)
//   2: MRS ID_AA64PFR0_EL1 (trapped by HCR_EL2.TID3, emulated in hyp)
//   3: LDR of GICD_TYPER (in-kernel MMIO: the vGICv3 distributor)
//   4: MRS ICC_PMR_EL1 (trapped by ICH_HCR_EL2.TC, emulated in the fast path)
// then PSCI SYSTEM_OFF.
    .section .text.start, "ax"
    .global _start
_start:
    mov     x3, #0x0a000000
    cmp     x1, #1
    b.eq    mmio
    cmp     x1, #2
    b.eq    sysreg
    mov     x5, #0x08000000
    cmp     x1, #3
    b.eq    gicd
    cmp     x1, #4
    b.eq    icc
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
    b       off
gicd:
    ldr     w4, [x5, #4]
    subs    x2, x2, #1
    b.ne    gicd
    b       off
icc:
    mrs     x4, icc_pmr_el1
    subs    x2, x2, #1
    b.ne    icc
off:
    movz    x0, #0x0008
    movk    x0, #0x8400, lsl #16
    hvc     #0
1:  b       1b
