// A64 encoding index: Data processing -- register (ARM ARM DDI 0487 K.a,
// C4.1 "A64 instruction set encoding"). Handlers follow each instruction's
// "Operation" pseudocode in C6.2.
//
// Pattern letters (decode.h; decoders read them with field<>): f = sf,
// h = shift, N = N, o = option, c = cond, v = nzcv, z = sz, i = immediates,
// m = Rm, a = Ra, n = Rn, d = Rd.
//
// Features we do not advertise have entries that raise UNDEFINED: FEAT_MTE
// (SUBP, SUBPS, IRG, GMI), FEAT_PAuth (PACGA and the 1-source opcode2 =
// 00001 class), FEAT_CSSC (ABS, CNT, CTZ, SMAX/UMAX/SMIN/UMIN), FEAT_FlagM
// (RMIF, SETF8, SETF16). FEAT_CPA (ADDPT/SUBPT, MADDPT/MSUBPT) is not listed
// and is UNDEFINED too.
// Within this group no two patterns overlap.
#include <utility>

#include "arch/bits.h"
#include "cpu/decode.h"
#include "cpu/isa/dp_common.h"

namespace cpu {

namespace {

using namespace dp;

// The registers a row names (a class whose pattern fixes Rm or Rd, as the
// 1-source class and CCMP do, leaves that field zero).
template <Pattern P>
void decode_regs(Word<P> w, Insn& o) {
    if constexpr (P.has('d')) o.rd = uint8_t(field<'d'>(w));
    o.rn = uint8_t(field<'n'>(w));
    if constexpr (P.has('m')) o.rm = uint8_t(field<'m'>(w));
}

// Picks the 32- or 64-bit instance of a handler template. (Handlers are
// template arguments of the decoder named in the table: GCC 12 does not
// instantiate a non-dependent template-id used as such an argument inside a
// template body.)
template <ExecFn F32, ExecFn F64, Pattern P>
inline ExecFn by_sf(Word<P> w) {
    return field<'f'>(w) ? F64 : F32;
}

// Decoder for the classes whose fields are just Rd, Rn, Rm.
template <ExecFn F32, ExecFn F64, Pattern P>
void decode_rrr(Word<P> w, Insn& o) {
    decode_regs(w, o);
    o.exec = by_sf<F32, F64>(w);
}

// ---- Logical (shifted register) (C6.2 AND, BIC, ORR...) ---------------------

enum class LogicOp : uint8_t { AND, ORR, EOR, ANDS };

// op2 = ShiftReg(m, shift, imm6), inverted for BIC/ORN/EON/BICS (N = 1);
// shift = amount. All registers are XZR at 31.
template <unsigned N, LogicOp Op, bool Invert, ShiftType Sh>
Flow LOGICAL_shifted(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    T op2 = shift_reg<T, Sh>(reg<N>(c, i.rm), i.shift);
    if constexpr (Invert) op2 = T(~op2);
    const T op1 = reg<N>(c, i.rn);
    T r;
    if constexpr (Op == LogicOp::ORR)
        r = op1 | op2;
    else if constexpr (Op == LogicOp::EOR)
        r = op1 ^ op2;
    else
        r = op1 & op2;
    if constexpr (Op == LogicOp::ANDS) set_flags(c.state().pstate, logical_flags(r));
    set_reg<N>(c, i.rd, r);
    return Flow::Next;
}

// MOV (register), the ORR Rd, ZR, Rm alias with no shift: the commonest
// instruction gets its own decode target.
template <unsigned N>
Flow MOV_reg(Cpu& c, const Insn& i) {
    set_reg<N>(c, i.rd, reg<N>(c, i.rm));
    return Flow::Next;
}

template <unsigned N, LogicOp Op, bool Invert>
constexpr ExecFn kLogicalShifted[4] = {
    LOGICAL_shifted<N, Op, Invert, ShiftType::LSL>, LOGICAL_shifted<N, Op, Invert, ShiftType::LSR>,
    LOGICAL_shifted<N, Op, Invert, ShiftType::ASR>, LOGICAL_shifted<N, Op, Invert, ShiftType::ROR>};

// UNDEFINED: sf = 0 with imm6<5> = 1.
template <LogicOp Op, bool Invert, Pattern P>
void decode_LOGICAL_shifted(Word<P> w, Insn& o) {
    const bool sf = field<'f'>(w);
    const unsigned shift = field<'h'>(w), amount = field<'i'>(w);
    if (!sf && amount >= 32) return;
    decode_regs(w, o);
    o.shift = uint8_t(amount);
    if (Op == LogicOp::ORR && !Invert && o.rn == 31 && amount == 0)
        o.exec = sf ? MOV_reg<64> : MOV_reg<32>;
    else
        o.exec =
            sf ? kLogicalShifted<64, Op, Invert>[shift] : kLogicalShifted<32, Op, Invert>[shift];
}

// ---- Add/subtract (shifted register) (C6.2 ADD, ADDS, SUB, SUBS) ------------

// shift = amount. All registers are XZR at 31.
template <unsigned N, bool Sub, bool SetFlags, ShiftType Sh>
Flow ADDSUB_shifted(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    T op2 = shift_reg<T, Sh>(reg<N>(c, i.rm), i.shift);
    if constexpr (Sub) op2 = T(~op2);
    const auto [r, f] = add_with_carry<T>(reg<N>(c, i.rn), op2, Sub);
    if constexpr (SetFlags) set_flags(c.state().pstate, f);
    set_reg<N>(c, i.rd, r);
    return Flow::Next;
}

template <unsigned N, bool Sub, bool SetFlags>
constexpr ExecFn kAddSubShifted[3] = {ADDSUB_shifted<N, Sub, SetFlags, ShiftType::LSL>,
                                      ADDSUB_shifted<N, Sub, SetFlags, ShiftType::LSR>,
                                      ADDSUB_shifted<N, Sub, SetFlags, ShiftType::ASR>};

// UNDEFINED: shift = 11 (ROR reserved), sf = 0 with imm6<5> = 1.
template <bool Sub, bool SetFlags, Pattern P>
void decode_ADDSUB_shifted(Word<P> w, Insn& o) {
    const bool sf = field<'f'>(w);
    const unsigned shift = field<'h'>(w), amount = field<'i'>(w);
    if (shift == 3 || (!sf && amount >= 32)) return;
    decode_regs(w, o);
    o.shift = uint8_t(amount);
    o.exec =
        sf ? kAddSubShifted<64, Sub, SetFlags>[shift] : kAddSubShifted<32, Sub, SetFlags>[shift];
}

// ---- Add/subtract (extended register) (C6.2 ADD, ADDS, SUB, SUBS) -----------

// op2 = ExtendReg(m, option, imm3); shift = imm3. Rn may be SP; Rd is SP
// for ADD/SUB and XZR for ADDS/SUBS.
template <unsigned N, bool Sub, bool SetFlags, ExtendType E>
Flow ADDSUB_ext(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    T op2 = extend_reg<T, E>(c.x(i.rm), i.shift);
    if constexpr (Sub) op2 = T(~op2);
    const auto [r, f] = add_with_carry<T>(reg_or_sp<N>(c, i.rn), op2, Sub);
    if constexpr (SetFlags) {
        set_flags(c.state().pstate, f);
        set_reg<N>(c, i.rd, r);
    } else {
        set_reg_or_sp<N>(c, i.rd, r);
    }
    return Flow::Next;
}

template <unsigned N, bool Sub, bool SetFlags, size_t... E>
constexpr std::array<ExecFn, 8> make_addsub_ext(std::index_sequence<E...>) {
    return {ADDSUB_ext<N, Sub, SetFlags, ExtendType(E)>...};
}
template <unsigned N, bool Sub, bool SetFlags>
constexpr std::array<ExecFn, 8> kAddSubExt =
    make_addsub_ext<N, Sub, SetFlags>(std::make_index_sequence<8>{});

// UNDEFINED: imm3 > 4.
template <bool Sub, bool SetFlags, Pattern P>
void decode_ADDSUB_ext(Word<P> w, Insn& o) {
    const unsigned option = field<'o'>(w), amount = field<'i'>(w);
    if (amount > 4) return;
    decode_regs(w, o);
    o.shift = uint8_t(amount);
    o.exec = field<'f'>(w) ? kAddSubExt<64, Sub, SetFlags>[option]
                           : kAddSubExt<32, Sub, SetFlags>[option];
}

// ---- Add/subtract (with carry) (C6.2 ADC, ADCS, SBC, SBCS) ------------------

template <unsigned N, bool Sub, bool SetFlags>
Flow ADC_SBC(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    T op2 = reg<N>(c, i.rm);
    if constexpr (Sub) op2 = T(~op2);
    auto& p = c.state().pstate;
    const auto [r, f] = add_with_carry<T>(reg<N>(c, i.rn), op2, p.c());
    if constexpr (SetFlags) set_flags(p, f);
    set_reg<N>(c, i.rd, r);
    return Flow::Next;
}

template <bool Sub, bool SetFlags, Pattern P>
void decode_ADC_SBC(Word<P> w, Insn& o) {
    decode_regs(w, o);
    o.exec = by_sf<ADC_SBC<32, Sub, SetFlags>, ADC_SBC<64, Sub, SetFlags>>(w);
}

// ---- Conditional compare (C6.2 CCMN, CCMP; register, immediate) -------------

// cond, nzcv; imm = imm5 for the immediate forms. When the
// condition fails the flags become nzcv.
template <unsigned N, bool Sub, bool Imm>
Flow CCMP_CCMN(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    auto& p = c.state().pstate;
    if (condition_holds(i.cond, p)) {
        T op2 = Imm ? T(i.imm) : reg<N>(c, i.rm);
        if constexpr (Sub) op2 = T(~op2);
        set_flags(p, add_with_carry<T>(reg<N>(c, i.rn), op2, Sub).flags);
    } else {
        p.set_nzcv(i.nzcv);
    }
    return Flow::Next;
}

template <bool Sub, bool Imm, Pattern P>
void decode_CCMP_CCMN(Word<P> w, Insn& o) {
    decode_regs(w, o);
    if constexpr (Imm) o.imm = field<'i'>(w);
    o.cond = uint8_t(field<'c'>(w));
    o.nzcv = uint8_t(field<'v'>(w));
    o.exec = by_sf<CCMP_CCMN<32, Sub, Imm>, CCMP_CCMN<64, Sub, Imm>>(w);
}

// ---- Conditional select (C6.2 CSEL, CSINC, CSINV, CSNEG) --------------------

enum class CselOp : uint8_t { CSEL, CSINC, CSINV, CSNEG };

// cond: Rn if it holds, else Rm, incremented/inverted/negated.
// Both candidates are computed so the choice compiles to a conditional move.
template <unsigned N, CselOp Op>
Flow CSEL_family(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    T other = reg<N>(c, i.rm);
    if constexpr (Op == CselOp::CSINC) other = T(other + 1);
    if constexpr (Op == CselOp::CSINV) other = T(~other);
    if constexpr (Op == CselOp::CSNEG) other = T(~other + 1);
    const T r = condition_holds(i.cond, c.state().pstate) ? reg<N>(c, i.rn) : other;
    set_reg<N>(c, i.rd, r);
    return Flow::Next;
}

template <CselOp Op, Pattern P>
void decode_CSEL(Word<P> w, Insn& o) {
    decode_regs(w, o);
    o.cond = uint8_t(field<'c'>(w));
    o.exec = by_sf<CSEL_family<32, Op>, CSEL_family<64, Op>>(w);
}

// ---- Data-processing (2 source) ---------------------------------------------

// UDIV, SDIV (C6.2): RoundTowardsZero; a zero divisor gives 0,
// and the signed INT_MIN / -1 = 2^(N-1) truncates back to INT_MIN.
template <unsigned N>
Flow UDIV(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    const T a = reg<N>(c, i.rn), b = reg<N>(c, i.rm);
    set_reg<N>(c, i.rd, b == 0 ? T(0) : T(a / b));
    return Flow::Next;
}
template <unsigned N>
Flow SDIV(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    using S = SBits<N>;
    const T a = reg<N>(c, i.rn), b = reg<N>(c, i.rm);
    T r;
    if (b == 0)
        r = 0;
    else if (S(b) == -1)
        r = T(T(0) - a);  // no host overflow trap on INT_MIN
    else
        r = T(S(a) / S(b));
    set_reg<N>(c, i.rd, r);
    return Flow::Next;
}

// LSLV, LSRV, ASRV, RORV (C6.2): ShiftReg(n, type, UInt(X[m]) MOD datasize).
template <unsigned N, ShiftType Sh>
Flow SHIFTV(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    set_reg<N>(c, i.rd, shift_reg<T, Sh>(reg<N>(c, i.rn), unsigned(c.x(i.rm) & (N - 1))));
    return Flow::Next;
}

template <ShiftType Sh, Pattern P>
void decode_SHIFTV(Word<P> w, Insn& o) {
    decode_regs(w, o);
    o.exec = by_sf<SHIFTV<32, Sh>, SHIFTV<64, Sh>>(w);
}

// CRC32* / CRC32C* (C6.2). The ASL bit-reverses accumulator and
// value, reduces modulo the polynomial and reverses back: that is the
// reflected CRC, one byte at a time from the least significant, with the
// reversed polynomial, and no initial or final inversion.
constexpr std::array<uint32_t, 256> make_crc_table(uint32_t reflected_poly) {
    std::array<uint32_t, 256> t{};
    for (uint32_t b = 0; b < 256; ++b) {
        uint32_t r = b;
        for (int k = 0; k < 8; ++k) r = (r >> 1) ^ ((r & 1) ? reflected_poly : 0);
        t[b] = r;
    }
    return t;
}
constexpr auto kCrc32Table = make_crc_table(0xEDB88320);   // BitReverse(0x04C11DB7)
constexpr auto kCrc32cTable = make_crc_table(0x82F63B78);  // BitReverse(0x1EDC6F41)

// Rn is the 32-bit accumulator, Rm holds 8 << Size bits of data.
template <bool Castagnoli, unsigned Bytes>
Flow CRC32(Cpu& c, const Insn& i) {
    const auto& table = Castagnoli ? kCrc32cTable : kCrc32Table;
    uint32_t acc = uint32_t(c.x(i.rn));
    uint64_t val = c.x(i.rm);
    for (unsigned k = 0; k < Bytes; ++k, val >>= 8) acc = (acc >> 8) ^ table[(acc ^ val) & 0xFF];
    c.set_x(i.rd, acc);
    return Flow::Next;
}

template <bool Castagnoli>
constexpr ExecFn kCrc32[4] = {CRC32<Castagnoli, 1>, CRC32<Castagnoli, 2>, CRC32<Castagnoli, 4>,
                              CRC32<Castagnoli, 8>};

// UNDEFINED: sf = 1 with sz != 11, sf = 0 with sz = 11.
template <bool Castagnoli, Pattern P>
void decode_CRC32(Word<P> w, Insn& o) {
    const unsigned sz = field<'z'>(w);
    if (bool(field<'f'>(w)) != (sz == 3)) return;
    decode_regs(w, o);
    o.exec = kCrc32<Castagnoli>[sz];
}

// ---- Data-processing (1 source) ---------------------------------------------

// std::byteswap is C++23.
inline uint32_t bswap(uint32_t v) { return __builtin_bswap32(v); }
inline uint64_t bswap(uint64_t v) { return __builtin_bswap64(v); }

// RBIT (C6.2): BitReverse, by swapping ever smaller groups after a byte swap.
template <unsigned N>
Flow RBIT(Cpu& c, const Insn& i) {
    uint64_t v = bswap(uint64_t(reg<N>(c, i.rn)) << (64 - N));
    v = ((v >> 4) & 0x0F0F0F0F0F0F0F0Full) | ((v & 0x0F0F0F0F0F0F0F0Full) << 4);
    v = ((v >> 2) & 0x3333333333333333ull) | ((v & 0x3333333333333333ull) << 2);
    v = ((v >> 1) & 0x5555555555555555ull) | ((v & 0x5555555555555555ull) << 1);
    set_reg<N>(c, i.rd, Bits<N>(v));
    return Flow::Next;
}

// REV16 (C6.2): bytes swapped within each halfword.
template <unsigned N>
Flow REV16(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    constexpr T lo = T(0x00FF00FF00FF00FFull);
    const T v = reg<N>(c, i.rn);
    set_reg<N>(c, i.rd, T(((v >> 8) & lo) | ((v & lo) << 8)));
    return Flow::Next;
}

// REV32 (C6.2, 64-bit only): bytes reversed within each word.
Flow REV32(Cpu& c, const Insn& i) {
    c.set_x(i.rd, std::rotr(bswap(c.x(i.rn)), 32));
    return Flow::Next;
}

// REV (C6.2): all bytes of the datasize reversed.
template <unsigned N>
Flow REV(Cpu& c, const Insn& i) {
    set_reg<N>(c, i.rd, bswap(reg<N>(c, i.rn)));
    return Flow::Next;
}

// CLZ (C6.2): CountLeadingZeroBits; N for zero.
template <unsigned N>
Flow CLZ(Cpu& c, const Insn& i) {
    set_reg<N>(c, i.rd, Bits<N>(std::countl_zero(reg<N>(c, i.rn))));
    return Flow::Next;
}

// CLS (C6.2): CountLeadingSignBits(x) = CountLeadingZeroBits(x<N-1:1> EOR
// x<N-2:0>); that (N-1)-bit value sits below a zero top bit, hence the - 1.
template <unsigned N>
Flow CLS(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    const T v = reg<N>(c, i.rn);
    const T diff = T((v ^ (v >> 1)) & (T(~T(0)) >> 1));
    set_reg<N>(c, i.rd, T(std::countl_zero(diff) - 1));
    return Flow::Next;
}

// ---- Data-processing (3 source) ---------------------------------------------

// MADD, MSUB (C6.2): Ra +/- Rn * Rm, modulo 2^N.
template <unsigned N, bool Sub>
Flow MADD_MSUB(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    const T prod = T(reg<N>(c, i.rn) * reg<N>(c, i.rm));
    const T a = reg<N>(c, i.ra);
    set_reg<N>(c, i.rd, Sub ? T(a - prod) : T(a + prod));
    return Flow::Next;
}

// SMADDL, SMSUBL, UMADDL, UMSUBL: Xa +/- Wn * Wm, the 32-bit operands
// sign- or zero-extended.
template <bool Signed, bool Sub>
Flow MADDL_MSUBL(Cpu& c, const Insn& i) {
    uint64_t prod;
    if constexpr (Signed)
        prod = uint64_t(int64_t(int32_t(c.w(i.rn))) * int64_t(int32_t(c.w(i.rm))));
    else
        prod = c.w(i.rn) * c.w(i.rm);
    const uint64_t a = c.x(i.ra);
    c.set_x(i.rd, Sub ? a - prod : a + prod);
    return Flow::Next;
}

// SMULH, UMULH: bits 127:64 of the 128-bit product.
template <bool Signed>
Flow MULH(Cpu& c, const Insn& i) {
    uint64_t hi;
    if constexpr (Signed)
        hi = uint64_t((__int128(int64_t(c.x(i.rn))) * int64_t(c.x(i.rm))) >> 64);
    else
        hi = uint64_t((static_cast<unsigned __int128>(c.x(i.rn)) * c.x(i.rm)) >> 64);
    c.set_x(i.rd, hi);
    return Flow::Next;
}

// F32 = nullptr: the encoding has sf fixed to 1.
template <ExecFn F32, ExecFn F64, Pattern P>
void decode_3SRC(Word<P> w, Insn& o) {
    decode_regs(w, o);
    o.ra = uint8_t(field<'a'>(w));
    o.exec = by_sf<F32, F64>(w);
}

constexpr Encoding kTable[] = {
    // Data-processing (2 source), in opcode order
    encoding<"1 0 0 11010110 mmmmm 000000 nnnnn ddddd", decode_UNDEFINED>
        ("SUBP", "SUBP (FEAT_MTE: not implemented)"),
    encoding<"1 0 1 11010110 mmmmm 000000 nnnnn ddddd", decode_UNDEFINED>
        ("SUBPS", "SUBPS (FEAT_MTE: not implemented)"),
    encoding<"f 0 0 11010110 mmmmm 000010 nnnnn ddddd", decode_rrr<UDIV<32>, UDIV<64>>>
        ("UDIV", "UDIV"),
    encoding<"f 0 0 11010110 mmmmm 000011 nnnnn ddddd", decode_rrr<SDIV<32>, SDIV<64>>>
        ("SDIV", "SDIV"),
    encoding<"1 0 0 11010110 mmmmm 000100 nnnnn ddddd", decode_UNDEFINED>
        ("IRG", "IRG (FEAT_MTE: not implemented)"),
    encoding<"1 0 0 11010110 mmmmm 000101 nnnnn ddddd", decode_UNDEFINED>
        ("GMI", "GMI (FEAT_MTE: not implemented)"),
    encoding<"f 0 0 11010110 mmmmm 001000 nnnnn ddddd", decode_SHIFTV<ShiftType::LSL>>
        ("LSLV", "LSLV"),
    encoding<"f 0 0 11010110 mmmmm 001001 nnnnn ddddd", decode_SHIFTV<ShiftType::LSR>>
        ("LSRV", "LSRV"),
    encoding<"f 0 0 11010110 mmmmm 001010 nnnnn ddddd", decode_SHIFTV<ShiftType::ASR>>
        ("ASRV", "ASRV"),
    encoding<"f 0 0 11010110 mmmmm 001011 nnnnn ddddd", decode_SHIFTV<ShiftType::ROR>>
        ("RORV", "RORV"),
    encoding<"1 0 0 11010110 mmmmm 001100 nnnnn ddddd", decode_UNDEFINED>
        ("PACGA", "PACGA (FEAT_PAuth: not implemented)"),
    encoding<"f 0 0 11010110 mmmmm 0100 zz nnnnn ddddd", decode_CRC32<false>>
        ("CRC32", "CRC32B, CRC32H, CRC32W, CRC32X").needs(Feature::CRC32),
    encoding<"f 0 0 11010110 mmmmm 0101 zz nnnnn ddddd", decode_CRC32<true>>
        ("CRC32C", "CRC32CB, CRC32CH, CRC32CW, CRC32CX").needs(Feature::CRC32),
    encoding<"f 0 0 11010110 mmmmm 011000 nnnnn ddddd", decode_UNDEFINED>
        ("SMAX_reg", "SMAX (register) (FEAT_CSSC: not implemented)"),
    encoding<"f 0 0 11010110 mmmmm 011001 nnnnn ddddd", decode_UNDEFINED>
        ("UMAX_reg", "UMAX (register) (FEAT_CSSC: not implemented)"),
    encoding<"f 0 0 11010110 mmmmm 011010 nnnnn ddddd", decode_UNDEFINED>
        ("SMIN_reg", "SMIN (register) (FEAT_CSSC: not implemented)"),
    encoding<"f 0 0 11010110 mmmmm 011011 nnnnn ddddd", decode_UNDEFINED>
        ("UMIN_reg", "UMIN (register) (FEAT_CSSC: not implemented)"),
    // Data-processing (1 source)
    encoding<"f 1 0 11010110 00000 000000 nnnnn ddddd", decode_rrr<RBIT<32>, RBIT<64>>>
        ("RBIT", "RBIT"),
    encoding<"f 1 0 11010110 00000 000001 nnnnn ddddd", decode_rrr<REV16<32>, REV16<64>>>
        ("REV16", "REV16"),
    encoding<"f=0 1 0 11010110 00000 000010 nnnnn ddddd", decode_rrr<REV<32>, REV<32>>>
        ("REV_32", "REV"),
    encoding<"f=1 1 0 11010110 00000 000010 nnnnn ddddd", decode_rrr<REV32, REV32>>
        ("REV32", "REV32"),
    encoding<"f=1 1 0 11010110 00000 000011 nnnnn ddddd", decode_rrr<REV<64>, REV<64>>>
        ("REV_64", "REV"),
    encoding<"f 1 0 11010110 00000 000100 nnnnn ddddd", decode_rrr<CLZ<32>, CLZ<64>>>("CLZ", "CLZ"),
    encoding<"f 1 0 11010110 00000 000101 nnnnn ddddd", decode_rrr<CLS<32>, CLS<64>>>("CLS", "CLS"),
    encoding<"f 1 0 11010110 00000 000110 nnnnn ddddd", decode_UNDEFINED>
        ("CTZ", "CTZ (FEAT_CSSC: not implemented)"),
    encoding<"f 1 0 11010110 00000 000111 nnnnn ddddd", decode_UNDEFINED>
        ("CNT", "CNT (FEAT_CSSC: not implemented)"),
    encoding<"f 1 0 11010110 00000 001000 nnnnn ddddd", decode_UNDEFINED>
        ("ABS", "ABS (FEAT_CSSC: not implemented)"),
    encoding<"1 1 0 11010110 00001 iiiiii nnnnn ddddd", decode_UNDEFINED>
        ("PAUTH_1src", "PACIA, AUTIA, XPACI... (FEAT_PAuth: not implemented)"),
    // Logical (shifted register)
    encoding<"f 00 01010 hh 0 mmmmm iiiiii nnnnn ddddd",
             decode_LOGICAL_shifted<LogicOp::AND, false>>
        ("AND_shifted", "AND (shifted register)"),
    encoding<"f 00 01010 hh 1 mmmmm iiiiii nnnnn ddddd", decode_LOGICAL_shifted<LogicOp::AND, true>>
        ("BIC_shifted", "BIC (shifted register)"),
    encoding<"f 01 01010 hh 0 mmmmm iiiiii nnnnn ddddd",
             decode_LOGICAL_shifted<LogicOp::ORR, false>>
        ("ORR_shifted", "ORR (shifted register)"),
    encoding<"f 01 01010 hh 1 mmmmm iiiiii nnnnn ddddd", decode_LOGICAL_shifted<LogicOp::ORR, true>>
        ("ORN_shifted", "ORN (shifted register)"),
    encoding<"f 10 01010 hh 0 mmmmm iiiiii nnnnn ddddd",
             decode_LOGICAL_shifted<LogicOp::EOR, false>>
        ("EOR_shifted", "EOR (shifted register)"),
    encoding<"f 10 01010 hh 1 mmmmm iiiiii nnnnn ddddd", decode_LOGICAL_shifted<LogicOp::EOR, true>>
        ("EON_shifted", "EON (shifted register)"),
    encoding<"f 11 01010 hh 0 mmmmm iiiiii nnnnn ddddd",
             decode_LOGICAL_shifted<LogicOp::ANDS, false>>
        ("ANDS_shifted", "ANDS (shifted register)"),
    encoding<"f 11 01010 hh 1 mmmmm iiiiii nnnnn ddddd",
             decode_LOGICAL_shifted<LogicOp::ANDS, true>>
        ("BICS_shifted", "BICS (shifted register)"),
    // Add/subtract (shifted register)
    encoding<"f 0 0 01011 hh 0 mmmmm iiiiii nnnnn ddddd", decode_ADDSUB_shifted<false, false>>
        ("ADD_shifted", "ADD (shifted register)"),
    encoding<"f 0 1 01011 hh 0 mmmmm iiiiii nnnnn ddddd", decode_ADDSUB_shifted<false, true>>
        ("ADDS_shifted", "ADDS (shifted register)"),
    encoding<"f 1 0 01011 hh 0 mmmmm iiiiii nnnnn ddddd", decode_ADDSUB_shifted<true, false>>
        ("SUB_shifted", "SUB (shifted register)"),
    encoding<"f 1 1 01011 hh 0 mmmmm iiiiii nnnnn ddddd", decode_ADDSUB_shifted<true, true>>
        ("SUBS_shifted", "SUBS (shifted register)"),
    // Add/subtract (extended register); opt != 00 is unallocated
    encoding<"f 0 0 01011 00 1 mmmmm ooo iii nnnnn ddddd", decode_ADDSUB_ext<false, false>>
        ("ADD_ext", "ADD (extended register)"),
    encoding<"f 0 1 01011 00 1 mmmmm ooo iii nnnnn ddddd", decode_ADDSUB_ext<false, true>>
        ("ADDS_ext", "ADDS (extended register)"),
    encoding<"f 1 0 01011 00 1 mmmmm ooo iii nnnnn ddddd", decode_ADDSUB_ext<true, false>>
        ("SUB_ext", "SUB (extended register)"),
    encoding<"f 1 1 01011 00 1 mmmmm ooo iii nnnnn ddddd", decode_ADDSUB_ext<true, true>>
        ("SUBS_ext", "SUBS (extended register)"),
    // Add/subtract (with carry)
    encoding<"f 0 0 11010000 mmmmm 000000 nnnnn ddddd", decode_ADC_SBC<false, false>>("ADC", "ADC"),
    encoding<"f 0 1 11010000 mmmmm 000000 nnnnn ddddd", decode_ADC_SBC<false, true>>
        ("ADCS", "ADCS"),
    encoding<"f 1 0 11010000 mmmmm 000000 nnnnn ddddd", decode_ADC_SBC<true, false>>("SBC", "SBC"),
    encoding<"f 1 1 11010000 mmmmm 000000 nnnnn ddddd", decode_ADC_SBC<true, true>>("SBCS", "SBCS"),
    // Rotate right into flags, evaluate into flags
    encoding<"1 0 1 11010000 iiiiii 00001 nnnnn 0 vvvv", decode_UNDEFINED>
        ("RMIF", "RMIF (FEAT_FlagM: not implemented)"),
    encoding<"0 0 1 11010000 000000 z 0010 nnnnn 0 1101", decode_UNDEFINED>
        ("SETF", "SETF8, SETF16 (FEAT_FlagM: not implemented)"),
    // Conditional compare (register)
    encoding<"f 0 1 11010010 mmmmm cccc 0 0 nnnnn 0 vvvv", decode_CCMP_CCMN<false, false>>
        ("CCMN_reg", "CCMN (register)"),
    encoding<"f 1 1 11010010 mmmmm cccc 0 0 nnnnn 0 vvvv", decode_CCMP_CCMN<true, false>>
        ("CCMP_reg", "CCMP (register)"),
    // Conditional compare (immediate)
    encoding<"f 0 1 11010010 iiiii cccc 1 0 nnnnn 0 vvvv", decode_CCMP_CCMN<false, true>>
        ("CCMN_imm", "CCMN (immediate)"),
    encoding<"f 1 1 11010010 iiiii cccc 1 0 nnnnn 0 vvvv", decode_CCMP_CCMN<true, true>>
        ("CCMP_imm", "CCMP (immediate)"),
    // Conditional select
    encoding<"f 0 0 11010100 mmmmm cccc 0 0 nnnnn ddddd", decode_CSEL<CselOp::CSEL>>
        ("CSEL", "CSEL"),
    encoding<"f 0 0 11010100 mmmmm cccc 0 1 nnnnn ddddd", decode_CSEL<CselOp::CSINC>>
        ("CSINC", "CSINC"),
    encoding<"f 1 0 11010100 mmmmm cccc 0 0 nnnnn ddddd", decode_CSEL<CselOp::CSINV>>
        ("CSINV", "CSINV"),
    encoding<"f 1 0 11010100 mmmmm cccc 0 1 nnnnn ddddd", decode_CSEL<CselOp::CSNEG>>
        ("CSNEG", "CSNEG"),
    // Data-processing (3 source)
    encoding<"f 00 11011 000 mmmmm 0 aaaaa nnnnn ddddd",
             decode_3SRC<MADD_MSUB<32, false>, MADD_MSUB<64, false>>>
        ("MADD", "MADD"),
    encoding<"f 00 11011 000 mmmmm 1 aaaaa nnnnn ddddd",
             decode_3SRC<MADD_MSUB<32, true>, MADD_MSUB<64, true>>>
        ("MSUB", "MSUB"),
    encoding<"f=1 00 11011 001 mmmmm 0 aaaaa nnnnn ddddd",
             decode_3SRC<nullptr, MADDL_MSUBL<true, false>>>
        ("SMADDL", "SMADDL"),
    encoding<"f=1 00 11011 001 mmmmm 1 aaaaa nnnnn ddddd",
             decode_3SRC<nullptr, MADDL_MSUBL<true, true>>>
        ("SMSUBL", "SMSUBL"),
    // Ra is (1)(1)(1)(1)(1): other values are CONSTRAINED UNPREDICTABLE, and
    // we take the permitted behaviour "as if 11111" (Ra ignored).
    encoding<"f=1 00 11011 010 mmmmm 0 aaaaa nnnnn ddddd", decode_3SRC<nullptr, MULH<true>>>
        ("SMULH", "SMULH"),
    encoding<"f=1 00 11011 101 mmmmm 0 aaaaa nnnnn ddddd",
             decode_3SRC<nullptr, MADDL_MSUBL<false, false>>>
        ("UMADDL", "UMADDL"),
    encoding<"f=1 00 11011 101 mmmmm 1 aaaaa nnnnn ddddd",
             decode_3SRC<nullptr, MADDL_MSUBL<false, true>>>
        ("UMSUBL", "UMSUBL"),
    encoding<"f=1 00 11011 110 mmmmm 0 aaaaa nnnnn ddddd", decode_3SRC<nullptr, MULH<false>>>
        ("UMULH", "UMULH"),
};

}  // namespace

std::span<const Encoding> encodings_dp_reg() { return kTable; }

}  // namespace cpu
