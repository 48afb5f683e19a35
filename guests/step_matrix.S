// The step matrix guest (DESIGN.md, "The single-step contract"): one short
// sequence per row, run one step at a time through the API by
// tests/kvm/step_matrix_test.cpp, which finds the rows by the label table
// below. Needs a GICv3 vGIC with every ICC_* class trapped. Registers x1..x28
// hold each row's results; the vectors use only x29 and x30.
    .section .text.start, "ax"
    .global _start
_start:
    b       main
    .balign 8
labels:                             // the host's Label enum, in this order
    .quad   vectors, row_tid3, row_uart_read, row_time, row_ldxr, row_brk
    .quad   row_daifclr, row_wfi, row_svc, row_udf, row_icc_fast, row_icc_decline
    .quad   row_smc, row_hvc, row_gicd, row_fp, row_fp_dp, row_fp_ld, row_virtio, vq_used
    .quad   vq_buf, data

main:
    adr     x0, vectors
    msr     vbar_el1, x0
    isb
    // executed by the CPU: an add, a taken branch, a load from RAM
    mov     x1, #5
    add     x1, x1, #1
    b       1f
    udf     #0                      // skipped by the branch
1:  adr     x2, data
    ldr     x3, [x2]
    // trapped, emulated: TVM MSR, TID3 MRS, TSC SMC, TWE WFE
    mov     x4, #25
    msr     tcr_el1, x4
row_tid3:
    mrs     x5, id_aa64pfr0_el1
    // the lazy FP/SIMD switch: with CPACR_EL1.FPEN open, the run's first
    // SIMD&FP instruction traps to EL2 (CPTR_EL2.TFP) and runs again there;
    // FPSR keeps QC and the cumulative flags (0x0800009f)
    mov     x4, #(3 << 20)
    msr     cpacr_el1, x4
    isb
    mov     w4, #0xf80000ff
row_fp:
    msr     fpsr, x4
    mrs     x4, fpsr
    // a SIMD&FP data-processing instruction and a SIMD&FP load take the
    // same trap in their runs (the load's before its address is used)
row_fp_dp:
    fmov    d0, x4
row_fp_ld:
    ldr     q1, [x2]
    movz    x0, #0x8400, lsl #16    // PSCI_VERSION
row_smc:
    smc     #0
    mov     x6, x0
    wfe
    // exception-generating: HVC (PSCI)
    movz    x0, #0x8400, lsl #16
row_hvc:
    hvc     #0
    mov     x7, x0
    // the guest's own exceptions, and its own BRK
row_svc:
    svc     #3
row_udf:
    udf     #1
row_brk:
    brk     #7
    // in-kernel MMIO: GICv3 distributor GICD_CTLR = ARE_NS | EnableGrp1NS
    movz    x8, #0x0800, lsl #16
    mov     w9, #0x12
row_gicd:
    str     w9, [x8]
    ldr     w10, [x8]
    // userspace MMIO: PL011 UARTFR read, UARTDR write
    movz    x11, #0x0900, lsl #16
row_uart_read:
    ldr     w12, [x11, #0x18]
    mov     w13, #'S'
    strb    w13, [x11]
    // redistributor awake, SGI 1 in Group 1 and enabled
    movz    x14, #0x080A, lsl #16
    str     wzr, [x14, #0x14]       // GICR_WAKER
    add     x15, x14, #0x10000
    mov     w16, #2
    str     w16, [x15, #0x80]       // GICR_IGROUPR0
    str     w16, [x15, #0x100]      // GICR_ISENABLER0
    // hyp fast path: ICC_PMR_EL1, ICC_IGRPEN1_EL1
    mov     x17, #0xF0
row_icc_fast:
    msr     icc_pmr_el1, x17
    mrs     x18, icc_pmr_el1
    mov     x17, #1
    msr     icc_igrpen1_el1, x17
    // fast path declines: SGI generation (SGI 1 to self)
    mrs     x19, icc_sre_el1
    movz    x17, #0x0100, lsl #16
    orr     x17, x17, #1
row_icc_decline:
    msr     icc_sgi1r_el1, x17
    isb
    // interrupt pending: unmasked for two instructions
row_daifclr:
    msr     daifclr, #2
    nop
    msr     daifset, #2
    mrs     x20, icc_iar1_el1       // the SGI under `mask`, 1023 under `enter`
    msr     icc_eoir1_el1, x20
    // userspace MMIO that does device work: virtio-rng on the last
    // transport (0x0a003e00, SPI 47 = INTID 79), one request queued; the
    // QueueNotify write completes it and raises the SPI before the step ends
    movz    x8, #0x0800, lsl #16
    mov     w9, #(1 << 15)
    str     w9, [x8, #0x88]         // GICD_IGROUPR2: INTID 79 in Group 1
    str     w9, [x8, #0x108]        // GICD_ISENABLER2: INTID 79 enabled
    mov     w9, #(1 << 31)
    str     w9, [x8, #0xc10]        // GICD_ICFGR4: edge-triggered, as the DT says
    movz    x8, #0x0a00, lsl #16
    movk    x8, #0x3e00
    mov     w9, #3
    str     w9, [x8, #0x70]         // Status: ACKNOWLEDGE | DRIVER
    mov     w9, #1
    str     w9, [x8, #0x24]         // DriverFeaturesSel 1
    str     w9, [x8, #0x20]         // DriverFeatures: VERSION_1 (bit 32)
    mov     w9, #11
    str     w9, [x8, #0x70]         // | FEATURES_OK
    str     wzr, [x8, #0x30]        // QueueSel 0
    mov     w9, #1
    str     w9, [x8, #0x38]         // QueueNum 1
    adr     x9, vq_desc
    str     w9, [x8, #0x80]         // QueueDescLow (RAM is below 4 GiB)
    adr     x9, vq_avail
    str     w9, [x8, #0x90]         // QueueDriverLow
    adr     x9, vq_used
    str     w9, [x8, #0xa0]         // QueueDeviceLow
    mov     w9, #1
    str     w9, [x8, #0x44]         // QueueReady
    mov     w9, #15
    str     w9, [x8, #0x70]         // | DRIVER_OK
    msr     daifclr, #2
row_virtio:
    str     wzr, [x8, #0x50]        // QueueNotify 0
    nop
    msr     daifset, #2
    mrs     x13, icc_iar1_el1       // INTID 79 under `mask`, 1023 under `enter`
    msr     icc_eoir1_el1, x13
    ldr     w14, [x8, #0x60]        // InterruptStatus: the used buffer
    str     w14, [x8, #0x64]        // InterruptACK
    adr     x9, vq_used
    ldr     w15, [x9, #8]           // used.ring[0].len: the bytes the device wrote
    // load-exclusive: an LL/SC increment
    adr     x21, data + 8
row_ldxr:
    ldxr    x22, [x21]
    add     x22, x22, #1
    stxr    w23, x22, [x21]
    cbnz    w23, row_ldxr
    // WFI with nothing pending until the virtual timer fires
    mrs     x24, cntvct_el0
    add     x24, x24, #64
    msr     cntv_cval_el0, x24
    mov     x25, #1
    msr     cntv_ctl_el0, x25
row_wfi:
    wfi
    mrs     x26, cntvct_el0
    msr     cntv_ctl_el0, xzr
    // the host holds the vcpu between these two reads
row_time:
    mrs     x27, cntvct_el0
    mrs     x28, cntvct_el0
    movz    x0, #0x8400, lsl #16
    movk    x0, #0x0008             // PSCI SYSTEM_OFF
    hvc     #0
    b       .

    .balign 0x800
vectors:
    .balign 0x200
    .fill   0x200 / 4, 4, 0
    // current EL with SP_ELx, synchronous: step over the UDF or BRK (SVC's
    // ELR is already past it)
    mrs     x29, esr_el1
    mrs     x30, elr_el1
    lsr     x29, x29, #26
    cmp     x29, #0x15
    b.eq    1f
    add     x30, x30, #4
    msr     elr_el1, x30
1:  eret
    .balign 0x80
    // IRQ: acknowledge and end the SGI
    mrs     x29, icc_iar1_el1
    msr     icc_eoir1_el1, x29
    mov     x30, x29
    eret
    .balign 0x80
    .fill   0x100 / 4, 4, 0

    .balign 8
data:
    .quad   0x1122334455667788
    .quad   0
    // virtio-rng's queue of one: a 16-byte device-writable buffer, offered
    .balign 16
vq_desc:
    .quad   vq_buf
    .word   16
    .hword  2, 0                    // VIRTQ_DESC_F_WRITE, next
vq_avail:
    .hword  0, 1, 0, 0              // flags, idx, ring[0], used_event
    .balign 4
vq_used:
    .hword  0, 0                    // flags, idx
    .word   0, 0                    // ring[0]: id, len
    .hword  0                       // avail_event
    .balign 8
vq_buf:
    .fill   16, 1, 0
