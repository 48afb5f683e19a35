// scripts/bench gdb-step: the loop gdb-multiarch single-steps on stepvisor
// and on QEMU. It never ends; the registers after N steps are a function of
// N alone, so the two machines' must agree.
    .section .text.start, "ax"
    .global _start
_start:
    mov     x1, xzr
    mov     x2, xzr
1:  add     x1, x1, #1
    add     x2, x2, x1
    b       1b
