// A64 encoding index: Advanced SIMD three same and scalar three same, the
// floating-point instructions (ARM ARM DDI 0487 K.a, C4.1.95; the Operation
// pseudocode of each in C7.2). Every lane goes through cpu::fp, the ASL's
// FP functions; the flags they raise reach FPSR once the lanes are done.
//
// Pattern letters: Q = Q, s = sz (single or double), m = Rm, n = Rn, d = Rd.
//
// Half precision arithmetic (FEAT_FP16: the three same (FP16) classes) and
// FMLAL/FMLSL (FEAT_FHM, in the three same class) are not implemented:
// their rows raise UNDEFINED.
#include "cpu/fp/fp_host_packed.h"
#include "cpu/isa/simd_three.h"

namespace cpu {

namespace {

using namespace simd;

// ---- Lane operations (C7.2, each instruction's Operation) ---------------------

struct FMAXNM {  // FMAXNM; FMAXNMP
    template <class T>
    static T op(T, T n, T m, LaneEnv& e) {
        return fp::FPMaxNum(n, m, e.fpcr, e.fpsr);
    }
};
struct FMINNM {  // FMINNM; FMINNMP
    template <class T>
    static T op(T, T n, T m, LaneEnv& e) {
        return fp::FPMinNum(n, m, e.fpcr, e.fpsr);
    }
};
struct FMAX {  // FMAX; FMAXP
    template <class T>
    static T op(T, T n, T m, LaneEnv& e) {
        return fp::FPMax(n, m, e.fpcr, e.fpsr);
    }
};
struct FMIN {  // FMIN; FMINP
    template <class T>
    static T op(T, T n, T m, LaneEnv& e) {
        return fp::FPMin(n, m, e.fpcr, e.fpsr);
    }
};
struct FADD {  // FADD; FADDP
    static constexpr fp::host::PackedOp kPacked = fp::host::PackedOp::Add;
    template <class T>
    static T op(T, T n, T m, LaneEnv& e) {
        return fp::FPAdd(n, m, e.fpcr, e.fpsr);
    }
};
struct FSUB {
    static constexpr fp::host::PackedOp kPacked = fp::host::PackedOp::Sub;
    template <class T>
    static T op(T, T n, T m, LaneEnv& e) {
        return fp::FPSub(n, m, e.fpcr, e.fpsr);
    }
};
struct FABD {  // FPAbs(FPSub(n, m)): a NaN result loses its sign too
    template <class T>
    static T op(T, T n, T m, LaneEnv& e) {
        return fp::FPAbs(fp::FPSub(n, m, e.fpcr, e.fpsr));
    }
};
struct FMUL {
    static constexpr fp::host::PackedOp kPacked = fp::host::PackedOp::Mul;
    template <class T>
    static T op(T, T n, T m, LaneEnv& e) {
        return fp::FPMul(n, m, e.fpcr, e.fpsr);
    }
};
struct FMULX {
    template <class T>
    static T op(T, T n, T m, LaneEnv& e) {
        return fp::FPMulX(n, m, e.fpcr, e.fpsr);
    }
};
struct FDIV {
    template <class T>
    static T op(T, T n, T m, LaneEnv& e) {
        return fp::FPDiv(n, m, e.fpcr, e.fpsr);
    }
};
struct FMLA {  // d + n * m, one rounding
    static constexpr fp::host::PackedOp kPacked = fp::host::PackedOp::MulAdd;
    template <class T>
    static T op(T d, T n, T m, LaneEnv& e) {
        return fp::FPMulAdd(d, n, m, e.fpcr, e.fpsr);
    }
};
struct FMLS {  // d + (-n) * m, one rounding
    static constexpr fp::host::PackedOp kPacked = fp::host::PackedOp::MulSub;
    template <class T>
    static T op(T d, T n, T m, LaneEnv& e) {
        return fp::FPMulAdd(d, fp::FPNeg(n), m, e.fpcr, e.fpsr);
    }
};
struct FRECPS {
    template <class T>
    static T op(T, T n, T m, LaneEnv& e) {
        return fp::FPRecipStepFused(n, m, e.fpcr, e.fpsr);
    }
};
struct FRSQRTS {
    template <class T>
    static T op(T, T n, T m, LaneEnv& e) {
        return fp::FPRSqrtStepFused(n, m, e.fpcr, e.fpsr);
    }
};
struct FCMEQ {
    template <class T>
    static T op(T, T n, T m, LaneEnv& e) {
        return mask_if<T>(fp::FPCompareEQ(n, m, e.fpcr, e.fpsr));
    }
};
struct FCMGE {
    template <class T>
    static T op(T, T n, T m, LaneEnv& e) {
        return mask_if<T>(fp::FPCompareGE(n, m, e.fpcr, e.fpsr));
    }
};
struct FCMGT {
    template <class T>
    static T op(T, T n, T m, LaneEnv& e) {
        return mask_if<T>(fp::FPCompareGT(n, m, e.fpcr, e.fpsr));
    }
};
struct FACGE {  // compares FPAbs of both operands
    template <class T>
    static T op(T, T n, T m, LaneEnv& e) {
        return mask_if<T>(fp::FPCompareGE(fp::FPAbs(n), fp::FPAbs(m), e.fpcr, e.fpsr));
    }
};
struct FACGT {
    template <class T>
    static T op(T, T n, T m, LaneEnv& e) {
        return mask_if<T>(fp::FPCompareGT(fp::FPAbs(n), fp::FPAbs(m), e.fpcr, e.fpsr));
    }
};

// Lanes with the host's packed fast path first (fp_host_packed.h) for the
// operations that name one (kPacked); lane by lane when it declines, out
// of line so that the packed path needs no callee-saved registers.
template <class Op, class T, unsigned Datasize>
struct PackedLanes {
    [[gnu::noinline]] static Flow by_lane(Cpu& c, const Insn& i) { return Lanes<Op, T, Datasize>::exec(c, i); }
    static Flow exec(Cpu& c, const Insn& i) {
        VReg r;
        if (!fp::host::packed<T, Datasize>(Op::kPacked, vreg(c, i.rd).bytes().data(), vreg(c, i.rn).bytes().data(),
                                           vreg(c, i.rm).bytes().data(), fpcr(c), fpsr_flags(c), r.bytes().data()))
            return by_lane(c, i);
        vreg(c, i.rd) = r;
        return Flow::Next;
    }
};

// esize = 32 << sz; sz = 1 with Q = 0 (one double) is reserved.
template <template <class, class, unsigned> class Shape, class Op, Pattern P>
void decode_3same_fp(Word<P> w, Insn& o) {
    set_registers(w, o);
    o.exec = kVector<Shape, Op, kSD>[2 + field<'s'>(w)][field<'Q'>(w)];
}

template <class Op, Pattern P>
void decode_scalar_3same_fp(Word<P> w, Insn& o) {
    set_registers(w, o);
    o.exec = kScalar<Op, kSD>[2 + field<'s'>(w)];
}

// clang-format off
constexpr Encoding kTable[] = {
    // Advanced SIMD scalar three same FP16: FEAT_FP16
    encoding<"01 u 11110 a 10 mmmmm 00 ooo 1 nnnnn ddddd", decode_UNDEFINED>
        ("asisdsamefp16", "Advanced SIMD scalar three same FP16 (FEAT_FP16: not implemented)"),
    // Advanced SIMD scalar three same
    encoding<"01 0 11110 0 s 1 mmmmm 11011 1 nnnnn ddddd", decode_scalar_3same_fp<FMULX>>
        ("FMULX_asisdsame_only", "FMULX"),
    encoding<"01 0 11110 0 s 1 mmmmm 11100 1 nnnnn ddddd", decode_scalar_3same_fp<FCMEQ>>
        ("FCMEQ_asisdsame_only", "FCMEQ (register)"),
    encoding<"01 0 11110 0 s 1 mmmmm 11111 1 nnnnn ddddd", decode_scalar_3same_fp<FRECPS>>
        ("FRECPS_asisdsame_only", "FRECPS"),
    encoding<"01 0 11110 1 s 1 mmmmm 11111 1 nnnnn ddddd", decode_scalar_3same_fp<FRSQRTS>>
        ("FRSQRTS_asisdsame_only", "FRSQRTS"),
    encoding<"01 1 11110 0 s 1 mmmmm 11100 1 nnnnn ddddd", decode_scalar_3same_fp<FCMGE>>
        ("FCMGE_asisdsame_only", "FCMGE (register)"),
    encoding<"01 1 11110 0 s 1 mmmmm 11101 1 nnnnn ddddd", decode_scalar_3same_fp<FACGE>>
        ("FACGE_asisdsame_only", "FACGE"),
    encoding<"01 1 11110 1 s 1 mmmmm 11010 1 nnnnn ddddd", decode_scalar_3same_fp<FABD>>
        ("FABD_asisdsame_only", "FABD"),
    encoding<"01 1 11110 1 s 1 mmmmm 11100 1 nnnnn ddddd", decode_scalar_3same_fp<FCMGT>>
        ("FCMGT_asisdsame_only", "FCMGT (register)"),
    encoding<"01 1 11110 1 s 1 mmmmm 11101 1 nnnnn ddddd", decode_scalar_3same_fp<FACGT>>
        ("FACGT_asisdsame_only", "FACGT"),
    // Advanced SIMD three same (FP16): FEAT_FP16
    encoding<"0 Q u 01110 a 10 mmmmm 00 ooo 1 nnnnn ddddd", decode_UNDEFINED>
        ("asimdsamefp16", "Advanced SIMD three same (FP16) (FEAT_FP16: not implemented)"),
    // Advanced SIMD three same, floating-point
    encoding<"0 Q 0 01110 0 s 1 mmmmm 11000 1 nnnnn ddddd", decode_3same_fp<Lanes, FMAXNM>>
        ("FMAXNM_asimdsame_only", "FMAXNM (vector)"),
    encoding<"0 Q 0 01110 0 s 1 mmmmm 11001 1 nnnnn ddddd", decode_3same_fp<PackedLanes, FMLA>>
        ("FMLA_asimdsame_only", "FMLA (vector)"),
    encoding<"0 Q 0 01110 0 s 1 mmmmm 11010 1 nnnnn ddddd", decode_3same_fp<PackedLanes, FADD>>
        ("FADD_asimdsame_only", "FADD (vector)"),
    encoding<"0 Q 0 01110 0 s 1 mmmmm 11011 1 nnnnn ddddd", decode_3same_fp<Lanes, FMULX>>
        ("FMULX_asimdsame_only", "FMULX"),
    encoding<"0 Q 0 01110 0 s 1 mmmmm 11100 1 nnnnn ddddd", decode_3same_fp<Lanes, FCMEQ>>
        ("FCMEQ_asimdsame_only", "FCMEQ (register)"),
    encoding<"0 Q 0 01110 0 0 1 mmmmm 11101 1 nnnnn ddddd", decode_UNDEFINED>
        ("FMLAL_asimdsame_F", "FMLAL (vector) (FEAT_FHM: not implemented)"),
    encoding<"0 Q 0 01110 0 s 1 mmmmm 11110 1 nnnnn ddddd", decode_3same_fp<Lanes, FMAX>>
        ("FMAX_asimdsame_only", "FMAX (vector)"),
    encoding<"0 Q 0 01110 0 s 1 mmmmm 11111 1 nnnnn ddddd", decode_3same_fp<Lanes, FRECPS>>
        ("FRECPS_asimdsame_only", "FRECPS"),
    encoding<"0 Q 0 01110 1 s 1 mmmmm 11000 1 nnnnn ddddd", decode_3same_fp<Lanes, FMINNM>>
        ("FMINNM_asimdsame_only", "FMINNM (vector)"),
    encoding<"0 Q 0 01110 1 s 1 mmmmm 11001 1 nnnnn ddddd", decode_3same_fp<PackedLanes, FMLS>>
        ("FMLS_asimdsame_only", "FMLS (vector)"),
    encoding<"0 Q 0 01110 1 s 1 mmmmm 11010 1 nnnnn ddddd", decode_3same_fp<PackedLanes, FSUB>>
        ("FSUB_asimdsame_only", "FSUB (vector)"),
    encoding<"0 Q 0 01110 1 0 1 mmmmm 11101 1 nnnnn ddddd", decode_UNDEFINED>
        ("FMLSL_asimdsame_F", "FMLSL (vector) (FEAT_FHM: not implemented)"),
    encoding<"0 Q 0 01110 1 s 1 mmmmm 11110 1 nnnnn ddddd", decode_3same_fp<Lanes, FMIN>>
        ("FMIN_asimdsame_only", "FMIN (vector)"),
    encoding<"0 Q 0 01110 1 s 1 mmmmm 11111 1 nnnnn ddddd", decode_3same_fp<Lanes, FRSQRTS>>
        ("FRSQRTS_asimdsame_only", "FRSQRTS"),
    encoding<"0 Q 1 01110 0 s 1 mmmmm 11000 1 nnnnn ddddd", decode_3same_fp<Pairs, FMAXNM>>
        ("FMAXNMP_asimdsame_only", "FMAXNMP (vector)"),
    encoding<"0 Q 1 01110 0 0 1 mmmmm 11001 1 nnnnn ddddd", decode_UNDEFINED>
        ("FMLAL2_asimdsame_F", "FMLAL2 (vector) (FEAT_FHM: not implemented)"),
    encoding<"0 Q 1 01110 0 s 1 mmmmm 11010 1 nnnnn ddddd", decode_3same_fp<Pairs, FADD>>
        ("FADDP_asimdsame_only", "FADDP (vector)"),
    encoding<"0 Q 1 01110 0 s 1 mmmmm 11011 1 nnnnn ddddd", decode_3same_fp<PackedLanes, FMUL>>
        ("FMUL_asimdsame_only", "FMUL (vector)"),
    encoding<"0 Q 1 01110 0 s 1 mmmmm 11100 1 nnnnn ddddd", decode_3same_fp<Lanes, FCMGE>>
        ("FCMGE_asimdsame_only", "FCMGE (register)"),
    encoding<"0 Q 1 01110 0 s 1 mmmmm 11101 1 nnnnn ddddd", decode_3same_fp<Lanes, FACGE>>
        ("FACGE_asimdsame_only", "FACGE"),
    encoding<"0 Q 1 01110 0 s 1 mmmmm 11110 1 nnnnn ddddd", decode_3same_fp<Pairs, FMAX>>
        ("FMAXP_asimdsame_only", "FMAXP (vector)"),
    encoding<"0 Q 1 01110 0 s 1 mmmmm 11111 1 nnnnn ddddd", decode_3same_fp<Lanes, FDIV>>
        ("FDIV_asimdsame_only", "FDIV (vector)"),
    encoding<"0 Q 1 01110 1 s 1 mmmmm 11000 1 nnnnn ddddd", decode_3same_fp<Pairs, FMINNM>>
        ("FMINNMP_asimdsame_only", "FMINNMP (vector)"),
    encoding<"0 Q 1 01110 1 0 1 mmmmm 11001 1 nnnnn ddddd", decode_UNDEFINED>
        ("FMLSL2_asimdsame_F", "FMLSL2 (vector) (FEAT_FHM: not implemented)"),
    encoding<"0 Q 1 01110 1 s 1 mmmmm 11010 1 nnnnn ddddd", decode_3same_fp<Lanes, FABD>>
        ("FABD_asimdsame_only", "FABD"),
    encoding<"0 Q 1 01110 1 s 1 mmmmm 11100 1 nnnnn ddddd", decode_3same_fp<Lanes, FCMGT>>
        ("FCMGT_asimdsame_only", "FCMGT (register)"),
    encoding<"0 Q 1 01110 1 s 1 mmmmm 11101 1 nnnnn ddddd", decode_3same_fp<Lanes, FACGT>>
        ("FACGT_asimdsame_only", "FACGT"),
    encoding<"0 Q 1 01110 1 s 1 mmmmm 11110 1 nnnnn ddddd", decode_3same_fp<Pairs, FMIN>>
        ("FMINP_asimdsame_only", "FMINP (vector)"),
};
// clang-format on

}  // namespace

std::span<const Encoding> encodings_simd_three_same_fp() { return kTable; }

}  // namespace cpu
