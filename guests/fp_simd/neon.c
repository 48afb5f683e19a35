/* Advanced SIMD through arm_neon.h: one line per intrinsic with its result
 * (high:low 64 bits) and the FPSR it left (QC from saturation, the FP
 * cumulative flags). The operands are vectors of mixed values, NaNs,
 * infinities, zeros and denormals among the floating-point ones. */
#include "fp_simd.h"

uint8_t bytes[96];
float fdata[8] = {1.5f, -0.0f, __builtin_inff(), 3.0e-39f, -2.75f, 65504.0f, 1e30f, 0.1f};
double ddata[4] = {-1e300, 2.5, -__builtin_inf(), 4.9e-324};
uint16_t out16[64];
uint8_t out8[32];

static void report(const char *name, uint8x16_t v, uint64_t fpsr)
{
    uint64x2_t d = vreinterpretq_u64_u8(v);
    puts_uart(name);
    putc_uart(' ');
    put_hex(vgetq_lane_u64(d, 1));
    putc_uart(':');
    put_hex(vgetq_lane_u64(d, 0));
    puts_uart(" fpsr ");
    put_hex(fpsr);
    putc_uart('\n');
}

/* Each intrinsic runs between FPSR := 0 and the FPSR read: the empty asm
 * statements pin its operands before it and its result after it. */
#define OPERANDS() \
    __asm__ volatile("" : "+w"(a), "+w"(b), "+w"(fa), "+w"(fb), "+w"(da), "+w"(db))
#define RUN(name, expr, wrap) \
    do { \
        fpsr_write(0); \
        OPERANDS(); \
        __typeof__(expr) r_ = (expr); \
        __asm__ volatile("" ::"w"(r_)); \
        report(name, wrap(r_), fpsr_read()); \
    } while (0)
#define AS_Q(r) ((uint8x16_t)(r))
#define AS_D(r) vcombine_u8((uint8x8_t)(r), vdup_n_u8(0))
#define AS_U64(r) vreinterpretq_u8_u64(vdupq_n_u64((uint64_t)(r)))
#define AS_F32(r) vreinterpretq_u8_f32(vdupq_n_f32(r))
#define AS_F64(r) vreinterpretq_u8_f64(vdupq_n_f64(r))
#define Q(name, expr) RUN(name, expr, AS_Q)
#define D(name, expr) RUN(name, expr, AS_D)
#define SF(name, expr) RUN(name, expr, AS_F32)
#define SD(name, expr) RUN(name, expr, AS_F64)
#define SI(name, expr) \
    do { \
        fpsr_write(0); \
        OPERANDS(); \
        uint64_t r_ = (uint64_t)(expr); \
        __asm__ volatile("" ::"r"(r_)); \
        report(name, AS_U64(r_), fpsr_read()); \
    } while (0)

static void integer(uint8x16_t a, uint8x16_t b, float32x4_t fa, float32x4_t fb, float64x2_t da,
                    float64x2_t db)
{
    const int16x8_t sa = vreinterpretq_s16_u8(a), sb = vreinterpretq_s16_u8(b);
    const uint32x4_t ua = vreinterpretq_u32_u8(a), ub = vreinterpretq_u32_u8(b);
    Q("vaddq_u8", vaddq_u8(a, b));
    Q("vmulq_u16", vmulq_u16(vreinterpretq_u16_u8(a), vreinterpretq_u16_u8(b)));
    Q("vmlaq_u32", vmlaq_u32(ua, ub, ua));
    Q("vqaddq_s16", vqaddq_s16(sa, sb));
    Q("vqsubq_u8", vqsubq_u8(a, b));
    Q("vqdmulhq_s16", vqdmulhq_s16(sa, sb));
    Q("vqrdmulhq_s32", vqrdmulhq_s32(vreinterpretq_s32_u8(a), vreinterpretq_s32_u8(b)));
    Q("vqdmull_s16", vqdmull_s16(vget_low_s16(sa), vget_high_s16(sb)));
    Q("vabdq_s8", vabdq_s8(vreinterpretq_s8_u8(a), vreinterpretq_s8_u8(b)));
    Q("vmlal_high_s16", vmlal_high_s16(vreinterpretq_s32_u8(a), sa, sb));
    Q("vmull_u8", vmull_u8(vget_low_u8(a), vget_high_u8(b)));
    Q("vpaddq_u16", vpaddq_u16(vreinterpretq_u16_u8(a), vreinterpretq_u16_u8(b)));
    SI("vaddvq_u32", vaddvq_u32(ua));
    SI("vaddlvq_u8", vaddlvq_u8(a));
    SI("vmaxvq_u8", vmaxvq_u8(a));
    SI("vminvq_s16", vminvq_s16(sb));
    Q("vshlq_s16", vshlq_s16(sa, vdupq_n_s16(-3)));
    Q("vrshrq_n_u32", vrshrq_n_u32(ua, 7));
    Q("vsraq_n_u64", vsraq_n_u64(vreinterpretq_u64_u8(a), vreinterpretq_u64_u8(b), 13));
    Q("vqshlq_n_s8", vqshlq_n_s8(vreinterpretq_s8_u8(a), 3));
    D("vshrn_n_u16", vshrn_n_u16(vreinterpretq_u16_u8(a), 5));
    D("vqrshrun_n_s16", vqrshrun_n_s16(sb, 2));
    D("vqmovn_s32", vqmovn_s32(vreinterpretq_s32_u8(b)));
    Q("vmovl_u8", vmovl_u8(vget_high_u8(a)));
    Q("vshll_n_s8", vshll_n_s8(vget_low_s8(vreinterpretq_s8_u8(b)), 4));
    Q("vcntq_u8", vcntq_u8(a));
    Q("vclzq_u32", vclzq_u32(vshrq_n_u32(ub, 9)));
    Q("vclsq_s16", vclsq_s16(sa));
    Q("vrbitq_u8", vrbitq_u8(a));
    Q("vrev64q_u8", vrev64q_u8(a));
    Q("vbslq_u8", vbslq_u8(vcgeq_u8(a, b), a, b));
    Q("vtstq_u16", vtstq_u16(vreinterpretq_u16_u8(a), vdupq_n_u16(0x8001)));
    Q("vqabsq_s8", vqabsq_s8(vreinterpretq_s8_u8(vorrq_u8(a, vdupq_n_u8(0x80)))));
    Q("vsqaddq_u8", vsqaddq_u8(a, vreinterpretq_s8_u8(b)));
    Q("vuqaddq_s8", vuqaddq_s8(vreinterpretq_s8_u8(a), b));
    Q("vmvnq_u32 imm", vorrq_u32(vmvnq_u32(vdupq_n_u32(0x00ab0000)), ua));
    SI("vqdmullh_s16", vqdmullh_s16(vgetq_lane_s16(sa, 3), vgetq_lane_s16(sb, 5)));
}

static void permute(uint8x16_t a, uint8x16_t b, float32x4_t fa, float32x4_t fb, float64x2_t da,
                    float64x2_t db)
{
    const uint8x16_t idx = vld1q_u8(&bytes[40]);
    Q("vzip1q_u8", vzip1q_u8(a, b));
    Q("vzip2q_u16", vzip2q_u16(vreinterpretq_u16_u8(a), vreinterpretq_u16_u8(b)));
    Q("vuzp1q_u32", vuzp1q_u32(vreinterpretq_u32_u8(a), vreinterpretq_u32_u8(b)));
    Q("vtrn2q_u8", vtrn2q_u8(a, b));
    Q("vextq_u8", vextq_u8(a, b, 5));
    Q("vqtbl1q_u8", vqtbl1q_u8(a, vandq_u8(idx, vdupq_n_u8(0x1f))));
    Q("vqtbl2q_u8", vqtbl2q_u8((uint8x16x2_t){{a, b}}, vandq_u8(idx, vdupq_n_u8(0x3f))));
    Q("vqtbx1q_u8", vqtbx1q_u8(b, a, vandq_u8(idx, vdupq_n_u8(0x1f))));
    D("vtbl2_u8", vtbl2_u8((uint8x8x2_t){{vget_low_u8(a), vget_high_u8(b)}}, vget_low_u8(idx)));
    Q("vdupq_laneq_u16", vdupq_laneq_u16(vreinterpretq_u16_u8(a), 5));
    Q("vcopyq_laneq_u32", vcopyq_laneq_u32(vreinterpretq_u32_u8(a), 1, vreinterpretq_u32_u8(b), 3));
    SI("vgetq_lane_s8", vgetq_lane_s8(vreinterpretq_s8_u8(b), 9));
}

static void loads_stores(void)
{
    const uint8x16x3_t t = vld3q_u8(&bytes[1]);
    show_q("vld3q_u8", veorq_u8(veorq_u8(t.val[0], vshlq_n_u8(t.val[1], 1)), vrev16q_u8(t.val[2])));
    const uint16x8x4_t f = vld4q_u16((const uint16_t *)&bytes[2]);
    vst4q_u16(out16, (uint16x8x4_t){{f.val[3], f.val[0], f.val[2], f.val[1]}});
    show("vld4q_u16/vst4q_u16", fnv(FNV_INIT, out16, sizeof out16));
    const uint16x4x4_t r = vld4_dup_u16((const uint16_t *)&bytes[7]);
    show_q("vld4_dup_u16", vreinterpretq_u8_u16(vcombine_u16(vadd_u16(r.val[0], r.val[1]),
                                                             vsub_u16(r.val[2], r.val[3]))));
    uint32x4x2_t l = {{vdupq_n_u32(0x11111111), vdupq_n_u32(0x22222222)}};
    l = vld2q_lane_u32((const uint32_t *)&bytes[20], l, 2);
    show_q("vld2q_lane_u32", vreinterpretq_u8_u32(veorq_u32(l.val[0], vrev64q_u32(l.val[1]))));
    const uint8x16x4_t x4 = vld1q_u8_x4(&bytes[3]);
    show_q("vld1q_u8_x4", veorq_u8(veorq_u8(x4.val[0], x4.val[1]), vaddq_u8(x4.val[2], x4.val[3])));
    vst2_u8(out8 + 1, (uint8x8x2_t){{vget_high_u8(x4.val[1]), vget_low_u8(x4.val[2])}});
    vst1q_lane_u64((uint64_t *)(out8 + 17), vreinterpretq_u64_u8(x4.val[3]), 1);
    show("vst2_u8/vst1q_lane_u64", fnv(FNV_INIT, out8, sizeof out8));
}

static void floating(uint8x16_t a, uint8x16_t b, float32x4_t fa, float32x4_t fb, float64x2_t da,
                     float64x2_t db)
{
    Q("vaddq_f32", vaddq_f32(fa, fb));
    Q("vmulq_f64", vmulq_f64(da, db));
    Q("vfmaq_f32", vfmaq_f32(fb, fa, fb));
    Q("vfmaq_laneq_f32", vfmaq_laneq_f32(fa, fb, fa, 2));
    Q("vfmsq_f64", vfmsq_f64(db, da, db));
    Q("vmulxq_f32", vmulxq_f32(fa, vdupq_n_f32(0.0f)));
    Q("vdivq_f64", vdivq_f64(da, db));
    Q("vsqrtq_f32", vsqrtq_f32(fb));
    Q("vrecpeq_f32", vrecpeq_f32(fa));
    Q("vrecpsq_f32", vrecpsq_f32(fa, fb));
    Q("vrsqrteq_f32", vrsqrteq_f32(fb));
    Q("vrsqrtsq_f32", vrsqrtsq_f32(fa, fb));
    Q("vrecpeq_f64", vrecpeq_f64(db));
    Q("vrsqrteq_f64", vrsqrteq_f64(vabsq_f64(da)));
    Q("vrecpeq_u32", vrecpeq_u32(vreinterpretq_u32_u8(a)));
    Q("vrsqrteq_u32", vrsqrteq_u32(vreinterpretq_u32_u8(b)));
    SF("vrecpxs_f32", vrecpxs_f32(vgetq_lane_f32(fa, 3)));
    Q("vmaxq_f32", vmaxq_f32(fa, fb));
    Q("vminnmq_f32", vminnmq_f32(fa, fb));
    Q("vpmaxq_f32", vpmaxq_f32(fa, fb));
    SF("vmaxnmvq_f32", vmaxnmvq_f32(fb));
    SF("vminvq_f32", vminvq_f32(fa));
    SD("vpaddd_f64", vpaddd_f64(db));
    Q("vabdq_f32", vabdq_f32(fa, fb));
    Q("vabsq_f64 vnegq_f64", vaddq_f64(vabsq_f64(da), vnegq_f64(db)));
    Q("vcvtq_s32_f32", vcvtq_s32_f32(fa));
    Q("vcvtnq_s32_f32", vcvtnq_s32_f32(fb));
    Q("vcvtaq_u32_f32", vcvtaq_u32_f32(fb));
    Q("vcvtmq_s64_f64", vcvtmq_s64_f64(da));
    Q("vcvtpq_u64_f64", vcvtpq_u64_f64(db));
    Q("vcvtq_n_s32_f32", vcvtq_n_s32_f32(fb, 16));
    Q("vcvtq_n_f32_s32", vcvtq_n_f32_s32(vreinterpretq_s32_u8(a), 8));
    Q("vcvtq_f64_u64", vcvtq_f64_u64(vreinterpretq_u64_u8(b)));
    SI("vcvtd_n_s64_f64", vcvtd_n_s64_f64(vgetq_lane_f64(db, 0), 40));
    D("vcvt_f32_f64", vcvt_f32_f64(da));
    Q("vcvt_high_f64_f32", vcvt_high_f64_f32(fa));
    D("vcvtx_f32_f64", vcvtx_f32_f64(db));
    D("vcvt_f16_f32", vcvt_f16_f32(fa));
    Q("vcvt_f32_f16", vcvt_f32_f16(vcvt_f16_f32(fb)));
    Q("vrndnq_f32", vrndnq_f32(fb));
    Q("vrndaq_f64", vrndaq_f64(db));
    Q("vrndxq_f32", vrndxq_f32(fa));
    Q("vrndmq_f64 vrndpq_f64", vaddq_f64(vrndmq_f64(da), vrndpq_f64(db)));
    Q("vcgtq_f32", vcgtq_f32(fa, fb));
    Q("vcageq_f32", vcageq_f32(fa, fb));
    Q("vceqzq_f64", vceqzq_f64(db));
    Q("vcltzq_f32", vcltzq_f32(fa));
}

void neon_intrinsics(void)
{
    for (unsigned i = 0; i < sizeof bytes; i++)
        bytes[i] = (uint8_t)(i * 0x9d + (i >> 3) * 0x31 + 7);
    const uint8x16_t a = vld1q_u8(&bytes[3]), b = vld1q_u8(&bytes[21]);
    const float32x4_t fa = vld1q_f32(&fdata[0]), fb = vld1q_f32(&fdata[4]);
    const float64x2_t da = vld1q_f64(&ddata[0]), db = vld1q_f64(&ddata[2]);
    integer(a, b, fa, fb, da, db);
    permute(a, b, fa, fb, da, db);
    loads_stores();
    /* RN; then RP, RM and RZ with FZ, DN with RM. */
    for (unsigned m = 0; m < 4; m++) {
        const uint64_t fpcr = m ? FPCR_RMODE(m) | FPCR_FZ | (m == 2 ? FPCR_DN : 0) : 0;
        show("FPCR", fpcr);
        fpcr_write(fpcr);
        floating(a, b, fa, fb, da, db);
    }
    fpcr_write(0);
}
