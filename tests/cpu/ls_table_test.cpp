// The Loads and Stores decode table: patterns stay inside the group
// (op0 = x1x0), no two of them overlap, and words find the right entry.
#include <gtest/gtest.h>

#include <string_view>

#include "cpu/decode.h"
#include "cpu/isa/loadstore.h"

namespace cpu::test {
namespace {

TEST(LoadStoreTable, PatternsStayInTheGroup) {
    constexpr uint32_t kGroupMask = (1u << 27) | (1u << 25);
    constexpr uint32_t kGroupMatch = 1u << 27;
    for (const Encoding& e : encodings_loadstore()) {
        EXPECT_EQ(e.mask & kGroupMask, kGroupMask) << e.name;
        EXPECT_EQ(e.match & kGroupMask, kGroupMatch) << e.name;
    }
}

// The SIMD&FP rows (simd_ls.cpp) fix V = 1 as well.
TEST(LoadStoreTable, SimdPatternsStayInTheGroupWithV) {
    constexpr uint32_t kGroupMask = (1u << 27) | (1u << 26) | (1u << 25);
    constexpr uint32_t kGroupMatch = (1u << 27) | (1u << 26);
    for (const Encoding& e : encodings_simd_ls()) {
        EXPECT_EQ(e.mask & kGroupMask, kGroupMask) << e.name;
        EXPECT_EQ(e.match & kGroupMask, kGroupMatch) << e.name;
    }
}

TEST(LoadStoreTable, NoTwoPatternsOverlap) {
    const auto t = encodings_loadstore();
    for (size_t i = 0; i < t.size(); ++i)
        for (size_t j = i + 1; j < t.size(); ++j) {
            const uint32_t common = t[i].mask & t[j].mask;
            EXPECT_NE((t[i].match ^ t[j].match) & common, 0u)
                << t[i].name << " overlaps " << t[j].name;
        }
}

TEST(LoadStoreTable, WordsFindTheirEntry) {
    const struct {
        uint32_t word;
        std::string_view name;  // assembly in the comment
    } cases[] = {
        {0xf9400020, "LDR_uimm"},      // ldr x0, [x1]
        {0x39c00020, "LDRSB_uimm"},    // ldrsb w0, [x1]
        {0xf9800020, "PRFM_uimm"},     // prfm pldl1keep, [x1]
        {0xf8410c20, "LDR_pre"},       // ldr x0, [x1, #16]!
        {0xf8410420, "LDR_post"},      // ldr x0, [x1], #16
        {0xf85f8020, "LDUR"},          // ldur x0, [x1, #-8]
        {0xf89ff020, "PRFUM"},         // prfum pldl1keep, [x1, #-1]
        {0x38800820, "LDTRSB"},        // ldtrsb x0, [x1]
        {0xf8626820, "LDR_reg"},       // ldr x0, [x1, x2]
        {0x98000080, "LDRSW_lit"},     // ldrsw x0, .+16
        {0xa9400440, "LDP_off"},       // ldp x0, x1, [x2]
        {0x69400440, "LDPSW_off"},     // ldpsw x0, x1, [x2]
        {0xa8400440, "LDNP"},          // ldnp x0, x1, [x2]
        {0xc85f7c20, "LDXR"},          // ldxr x0, [x1]
        {0x08037c22, "STXRB"},         // stxrb w3, w2, [x1]
        {0xc87f1020, "LDXP"},          // ldxp x0, x4, [x1]
        {0xc8dffc20, "LDAR"},          // ldar x0, [x1]
        {0xc8df7c20, "LDLAR"},         // ldlar x0, [x1]
        {0xf8bfc020, "LDAPR"},         // ldapr x0, [x1]
        {0xc8a27c23, "CAS"},           // cas x2, x3, [x1]
        {0x48227c24, "CASP"},          // casp x2, x3, x4, x5, [x1]
        {0xf8220020, "LDADD"},         // ldadd x2, x0, [x1]
        {0x38228020, "SWP"},           // swpb w2, w0, [x1]
        {0x3dc00020, "LDR_STR_fp_uimm"},  // ldr q0, [x1]
        {0x3cdf0025, "LDUR_STUR_fp"},     // ldur q5, [x1, #-16]
        {0xfc5f8427, "LDR_STR_fp_post"},  // ldr d7, [x1], #-8
        {0x3ce37828, "LDR_STR_fp_reg"},   // ldr q8, [x1, x3, lsl #4]
        {0x9c0000cc, "LDR_lit_fp"},       // ldr q12, .+24
        {0x6dc10c22, "LDP_STP_fp_pre"},   // ldp d2, d3, [x1, #16]!
        {0x6c421c26, "LDNP_STNP_fp"},     // ldnp d6, d7, [x1, #32]
        {0x4c407020, "LDST1_mult1"},      // ld1 {v0.16b}, [x1]
        {0x4cc44820, "LDST3_mult_post"},  // ld3 {v0.4s-v2.4s}, [x1], x4
        {0x0d60b020, "LDST4_single_sd"},  // ld4 {v0.s-v3.s}[1], [x1]
        {0x4dbf0440, "LDST2_single_b_post"},  // st2 {v0.b, v1.b}[9], [x2], #2
        {0x0de4c420, "LD2R_post"},        // ld2r {v0.4h, v1.4h}, [x1], x4
        {0xf83f9020, "ST64B"},         // st64b x0, [x1]
    };
    for (const auto& c : cases) {
        const Encoding* e = find_encoding(c.word);
        ASSERT_NE(e, nullptr) << std::hex << c.word;
        EXPECT_EQ(e->name, c.name) << std::hex << c.word;
    }
}

TEST(LoadStoreTable, LoadExclusiveClassification) {
    for (uint32_t w : {
             0xc85f7c20u,  // ldxr x0, [x1]
             0x885ffc20u,  // ldaxr w0, [x1]
             0x085f7c20u,  // ldxrb w0, [x1]
             0x485ffc20u,  // ldaxrh w0, [x1]
             0xc87f1020u,  // ldxp x0, x4, [x1]
             0x887f9e79u,  // ldaxp w25, w7, [x19]
         })
        EXPECT_TRUE(is_load_exclusive(w)) << std::hex << w;
    for (uint32_t w : {
             0xc8037c22u,  // stxr w3, x2, [x1]
             0xc8231422u,  // stxp w3, x2, x5, [x1]
             0xc8dffc20u,  // ldar x0, [x1]
             0x4862fc24u,  // caspal x2, x3, x4, x5, [x1]
             0x08e2fc23u,  // casalb w2, w3, [x1]
             0xf8bfc020u,  // ldapr x0, [x1]
             0xf9400020u,  // ldr x0, [x1]
         })
        EXPECT_FALSE(is_load_exclusive(w)) << std::hex << w;
}

}  // namespace
}  // namespace cpu::test
