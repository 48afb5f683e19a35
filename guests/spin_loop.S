// A guest that runs forever and never waits: scripts/bench gdb-step
// single-steps it on stepvisor and on QEMU (the registers after N steps are
// a function of N alone, so the two machines' must agree), and the gdb
// reconnection tests attach to it again and again while it runs.
    .section .text.start, "ax"
    .global _start
_start:
    mov     x1, xzr
    mov     x2, xzr
1:  add     x1, x1, #1
    add     x2, x2, x1
    b       1b
