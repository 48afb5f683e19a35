// A guest that makes no progress: VBAR_EL1 points at a vector table whose
// current-EL synchronous entry is itself UNDEFINED, so every entry faults
// back to the same vector without retiring an instruction.
    .section .text.start, "ax"
    .global _start
_start:
    adr     x0, vectors
    msr     vbar_el1, x0
    isb
    udf     #0
    .balign 0x800
vectors:
    .fill   0x800 / 4, 4, 0     // 0x00000000 is UDF #0 everywhere
