// Self-modifying hot loop. Phase 1 runs `add x1, x1, #1` 1000 times; then
// the guest overwrites that instruction with `add x1, x1, #3` (store, then
// the maintenance the ARM ARM asks for: DC CVAU, DSB, IC IVAU, DSB, ISB;
// B2.4.4 "Concurrent modification and execution of instructions") and runs
// the same loop 1000 times more: x1 = 1000 + 3000 = 4000.
// Phase 2 spins on an MMIO read until the host patches the loop itself.
    .section .text.start, "ax"
    .global _start
_start:
    mov     x1, #0
    mov     x2, #2              // two passes over the loop
pass:
    mov     x3, #1000
loop:
patch_me:
    add     x1, x1, #1
    subs    x3, x3, #1
    b.ne    loop
    subs    x2, x2, #1
    b.eq    phase2
    adr     x4, patch_me
    ldr     w5, new_insn
    str     w5, [x4]
    dc      cvau, x4
    dsb     ish
    ic      ivau, x4
    dsb     ish
    isb
    b       pass

// The host rewrites `host_patch` while the loop spins; each MMIO read gives
// it control. The loop ends when x6 reaches 100.
phase2:
    mov     x6, #0
    movz    x0, #0x0a00, lsl #16
spin:
    ldr     w7, [x0]            // MMIO: the host's turn
host_patch:
    add     x6, x6, #1
    cmp     x6, #100
    b.lo    spin
    movz    x0, #0x8400, lsl #16
    movk    x0, #0x0008         // PSCI SYSTEM_OFF
    hvc     #0
    b       .

new_insn:
    add     x1, x1, #3
