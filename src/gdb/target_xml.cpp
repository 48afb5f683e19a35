#include "gdb/target_xml.h"

#include <utility>
#include <vector>

#include <fmt/format.h>

namespace gdb {

namespace {

// cpsr_flags: the SPSR_ELx fields gdb names (ARM ARM DDI 0487 C5.2.18,
// "SPSR_EL1" AArch64 format; the names are gdb's).
struct FlagField {
    const char* name;
    unsigned start, end;
};
constexpr FlagField kCpsrFields[] = {
    {"SP", 0, 0},   {"EL", 2, 3},    {"nRW", 4, 4},     {"F", 6, 6},      {"I", 7, 7},
    {"A", 8, 8},    {"D", 9, 9},     {"BTYPE", 10, 11}, {"SSBS", 12, 12}, {"IL", 20, 20},
    {"SS", 21, 21}, {"PAN", 22, 22}, {"UAO", 23, 23},   {"DIT", 24, 24},  {"TCO", 25, 25},
    {"V", 28, 28},  {"C", 29, 29},   {"Z", 30, 30},     {"N", 31, 31},
};

// The type attribute per core register, as aarch64-core.xml gives it; the
// x registers have none (gdb's default: an integer of bitsize bits).
std::string core_type(unsigned regnum) {
    if (regnum == regnum::kSp) return " type=\"data_ptr\"";
    if (regnum == regnum::kPc) return " type=\"code_ptr\"";
    if (regnum == regnum::kCpsr) return " type=\"cpsr_flags\"";
    return {};
}

void append_core(std::string& xml, const RegisterMap& regs) {
    xml += fmt::format("  <feature name=\"{}\">\n", kCoreFeature);
    xml += "    <flags id=\"cpsr_flags\" size=\"4\">\n";
    for (const FlagField& f : kCpsrFields) {
        xml += fmt::format("      <field name=\"{}\" start=\"{}\" end=\"{}\"/>\n", f.name, f.start,
                           f.end);
    }
    xml += "    </flags>\n";
    for (const RegisterInfo& r : regs.core()) {
        xml += fmt::format("    <reg name=\"{}\" bitsize=\"{}\" regnum=\"{}\"{}/>\n", r.name,
                           r.bits, r.regnum, core_type(r.regnum));
    }
    xml += "  </feature>\n";
}

// The vector type of gdb's aarch64-fpu.xml (and QEMU's): `aarch64v`, a
// union of per-lane-size unions, so that gdb users write $v3.d.u[1].
constexpr const char* kFpuTypes[] = {
    "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>",
    "<vector id=\"v2u\" type=\"uint64\" count=\"2\"/>",
    "<vector id=\"v2i\" type=\"int64\" count=\"2\"/>",
    "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>",
    "<vector id=\"v4u\" type=\"uint32\" count=\"4\"/>",
    "<vector id=\"v4i\" type=\"int32\" count=\"4\"/>",
    "<vector id=\"v8u\" type=\"uint16\" count=\"8\"/>",
    "<vector id=\"v8i\" type=\"int16\" count=\"8\"/>",
    "<vector id=\"v16u\" type=\"uint8\" count=\"16\"/>",
    "<vector id=\"v16i\" type=\"int8\" count=\"16\"/>",
    "<vector id=\"v1u\" type=\"uint128\" count=\"1\"/>",
    "<vector id=\"v1i\" type=\"int128\" count=\"1\"/>",
};
struct UnionType {
    const char* id;
    std::vector<std::pair<const char*, const char*>> fields;  // name, type
};
const UnionType kFpuUnions[] = {
    {"vnd", {{"f", "v2d"}, {"u", "v2u"}, {"s", "v2i"}}},
    {"vns", {{"f", "v4f"}, {"u", "v4u"}, {"s", "v4i"}}},
    {"vnh", {{"u", "v8u"}, {"s", "v8i"}}},
    {"vnb", {{"u", "v16u"}, {"s", "v16i"}}},
    {"vnq", {{"u", "v1u"}, {"s", "v1i"}}},
    {"aarch64v", {{"d", "vnd"}, {"s", "vns"}, {"h", "vnh"}, {"b", "vnb"}, {"q", "vnq"}}},
};

void append_fpu(std::string& xml, const RegisterMap& regs) {
    if (regs.fpu().empty()) return;
    xml += fmt::format("  <feature name=\"{}\">\n", kFpuFeature);
    for (const char* t : kFpuTypes) xml += fmt::format("    {}\n", t);
    for (const UnionType& u : kFpuUnions) {
        xml += fmt::format("    <union id=\"{}\">\n", u.id);
        for (const auto& [name, type] : u.fields)
            xml += fmt::format("      <field name=\"{}\" type=\"{}\"/>\n", name, type);
        xml += "    </union>\n";
    }
    for (const RegisterInfo& r : regs.fpu()) {
        const bool vector = r.bits == 128;
        xml += fmt::format("    <reg name=\"{}\" bitsize=\"{}\" regnum=\"{}\"{}/>\n", r.name, r.bits,
                           r.regnum, vector ? " type=\"aarch64v\"" : "");
    }
    xml += "  </feature>\n";
}

void append_extras(std::string& xml, const RegisterMap& regs) {
    if (regs.extras().empty()) return;
    xml += fmt::format("  <feature name=\"{}\">\n", kSysregFeature);
    for (const RegisterInfo& r : regs.extras()) {
        // Names were checked to be identifier characters: no escaping needed.
        xml += fmt::format(
            "    <reg name=\"{}\" bitsize=\"{}\" regnum=\"{}\" type=\"uint64\" "
            "group=\"system\"/>\n",
            r.name, r.bits, r.regnum);
    }
    xml += "  </feature>\n";
}

}  // namespace

std::string build_target_xml(const RegisterMap& regs) {
    std::string xml =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
        "<target version=\"1.0\">\n"
        "  <architecture>aarch64</architecture>\n";
    append_core(xml, regs);
    append_fpu(xml, regs);
    append_extras(xml, regs);
    xml += "</target>\n";
    return xml;
}

std::string xfer_chunk(std::string_view document, uint64_t offset, uint64_t length) {
    if (offset >= document.size()) return "l";
    const std::string_view rest = document.substr(offset);
    if (length >= rest.size()) return "l" + std::string(rest);
    return "m" + std::string(rest.substr(0, length));
}

}  // namespace gdb
