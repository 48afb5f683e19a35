// The optional architecture features this PE implements beyond what every
// Armv8.0 PE has (DDI 0487 K.a A2.2-A2.7, the FEAT_ names), so one
// interpreter can be a cortex-a53 that executes no Armv8.1 instruction or
// the `max` PE that executes all it knows. Decode rows and translation
// rules name the feature they need (decode.h, mmu.cpp); a PE without it
// decodes the rows' words as UNDEFINED, as any unallocated encoding.
#pragma once

#include <cstdint>
#include <string_view>

namespace cpu {

enum class Feature : uint8_t {
    None,     // every Armv8.0 PE
    AES,      // FEAT_AES: AESE, AESD, AESMC, AESIMC
    PMULL,    // FEAT_PMULL: PMULL, PMULL2 of 64-bit elements
    SHA1,     // FEAT_SHA1: SHA1C, SHA1P, SHA1M, SHA1H, SHA1SU0, SHA1SU1
    SHA256,   // FEAT_SHA256: SHA256H, SHA256H2, SHA256SU0, SHA256SU1
    CRC32,    // FEAT_CRC32: CRC32{B,H,W,X}, CRC32C{B,H,W,X}
    LSE,      // FEAT_LSE (Armv8.1): CAS, CASP, LD<op>, ST<op>, SWP
    LRCPC,    // FEAT_LRCPC (Armv8.3): LDAPR, LDAPRB, LDAPRH
    DPB,      // FEAT_DPB (Armv8.2): DC CVAP
    SB,       // FEAT_SB (Armv8.5): SB
    TGran16,  // FEAT_TGran16K: the 16 KiB translation granule
};
inline constexpr unsigned kFeatureCount = unsigned(Feature::TGran16) + 1;

// The ARM ARM name of a feature ("FEAT_LSE"; "Armv8.0" for None).
std::string_view feature_name(Feature f);

// One flag per optional feature; default-constructed, everything this PE
// implements (the `max` CPU).
struct Features {
    bool aes = true, pmull = true, sha1 = true, sha256 = true, crc32 = true;
    bool lse = true, lrcpc = true, dpb = true, sb = true;
    bool tgran16 = true;

    bool has(Feature f) const;
    void set(Feature f, bool on);  // f != None
    bool operator==(const Features&) const = default;
};

// The features the ID registers advertise, by their fields (D24.2
// ID_AA64ISAR0_EL1, ID_AA64ISAR1_EL1, ID_AA64MMFR0_EL1), so the ID registers
// a VMM gives a vCPU decide what it executes. A field value above what this
// PE implements (SHA2 = 2, SHA512) gives the feature it contains (SHA256);
// features this PE does not implement at all are not in Features and stay
// UNDEFINED whatever the registers say.
Features features_from_id(uint64_t id_aa64isar0, uint64_t id_aa64isar1, uint64_t id_aa64mmfr0);

}  // namespace cpu
