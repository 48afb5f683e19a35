#include "arch/esr.h"

namespace arch {

namespace {
constexpr std::array<std::string_view, 64> make_ec_names() {
    std::array<std::string_view, 64> n{};
    for (auto& s : n) s = "RESERVED";
    n[0x00] = "UNKNOWN";
    n[0x01] = "WFx";
    n[0x07] = "FP_ASIMD";
    n[0x0E] = "ILLEGAL_STATE";
    n[0x15] = "SVC64";
    n[0x16] = "HVC64";
    n[0x17] = "SMC64";
    n[0x18] = "SYS64";
    n[0x20] = "IABT_LOW";
    n[0x21] = "IABT_CUR";
    n[0x22] = "PC_ALIGN";
    n[0x24] = "DABT_LOW";
    n[0x25] = "DABT_CUR";
    n[0x26] = "SP_ALIGN";
    n[0x2F] = "SERROR";
    n[0x30] = "BREAKPT_LOW";
    n[0x31] = "BREAKPT_CUR";
    n[0x32] = "SOFTSTP_LOW";
    n[0x33] = "SOFTSTP_CUR";
    n[0x34] = "WATCHPT_LOW";
    n[0x35] = "WATCHPT_CUR";
    n[0x3C] = "BRK64";
    return n;
}
constexpr auto kEcNames = make_ec_names();
}  // namespace

std::string_view ec_name(EC ec) { return kEcNames[uint8_t(ec) & 0x3F]; }

}  // namespace arch
