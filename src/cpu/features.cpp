// Feature flags by name, and the ID register fields that advertise them.
#include "cpu/features.h"

#include "arch/bits.h"

namespace cpu {

namespace {

struct FeatureDesc {
    std::string_view name;
    bool Features::*flag;  // null for None
};

constexpr FeatureDesc kFeatures[kFeatureCount] = {
    {"Armv8.0", nullptr},
    {"FEAT_AES", &Features::aes},
    {"FEAT_PMULL", &Features::pmull},
    {"FEAT_SHA1", &Features::sha1},
    {"FEAT_SHA256", &Features::sha256},
    {"FEAT_CRC32", &Features::crc32},
    {"FEAT_LSE", &Features::lse},
    {"FEAT_LRCPC", &Features::lrcpc},
    {"FEAT_DPB", &Features::dpb},
    {"FEAT_SB", &Features::sb},
    {"FEAT_TGran16K", &Features::tgran16},
};

// An ID register field (4 bits, unsigned: a higher value includes the
// lower ones, the ARM ARM's "Principles of the ID scheme for fields in ID
// registers").
constexpr unsigned id_field(uint64_t reg, unsigned lo) { return unsigned(arch::bits(reg, lo + 3, lo)); }

}  // namespace

std::string_view feature_name(Feature f) { return kFeatures[unsigned(f)].name; }

bool Features::has(Feature f) const {
    const auto flag = kFeatures[unsigned(f)].flag;
    return !flag || this->*flag;
}

void Features::set(Feature f, bool on) { this->*kFeatures[unsigned(f)].flag = on; }

Features features_from_id(uint64_t isar0, uint64_t isar1, uint64_t mmfr0) {
    Features f;
    f.aes = id_field(isar0, 4) >= 1;     // AES: 1 AES, 2 AES and PMULL
    f.pmull = id_field(isar0, 4) >= 2;
    f.sha1 = id_field(isar0, 8) >= 1;    // SHA1
    f.sha256 = id_field(isar0, 12) >= 1; // SHA2: 1 SHA256, 2 SHA256 and SHA512
    f.crc32 = id_field(isar0, 16) >= 1;  // CRC32
    f.lse = id_field(isar0, 20) >= 2;    // Atomic: 2 FEAT_LSE, 3 FEAT_LSE128
    f.dpb = id_field(isar1, 0) >= 1;     // DPB: 1 DC CVAP, 2 DC CVADP too
    f.lrcpc = id_field(isar1, 20) >= 1;  // LRCPC: 1 LDAPR, 2 LDAPUR too
    f.sb = id_field(isar1, 36) >= 1;     // SB
    f.tgran16 = id_field(mmfr0, 20) >= 1;  // TGran16: 1 supported, 2 with 52-bit addresses
    return f;
}

}  // namespace cpu
