#include "vmm/gunzip.h"

#include <algorithm>
#include <limits>

#include <fmt/format.h>
#include <zlib.h>

namespace vmm {

namespace {

constexpr size_t kStep = 1u << 20;  // output grows by this much at a time
constexpr int kGzipWindow = 16 + MAX_WBITS;  // zlib: a gzip wrapper, 32 KiB window

struct Inflater {
    z_stream zs{};
    bool open = false;
    ~Inflater() {
        if (open) inflateEnd(&zs);
    }
};

// zlib's avail_in/avail_out are uInt: spans are fed in pieces that fit.
uInt piece(uint64_t n) { return uInt(std::min<uint64_t>(n, std::numeric_limits<uInt>::max())); }

}  // namespace

bool is_gzip(std::span<const uint8_t> bytes) {
    return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

kvm::Result<std::vector<uint8_t>> gunzip(const std::string& name, std::span<const uint8_t> bytes,
                                         uint64_t limit) {
    Inflater in;
    if (inflateInit2(&in.zs, kGzipWindow) != Z_OK)
        return kvm::Error{fmt::format("{}: cannot inflate: zlib would not start", name)};
    in.open = true;
    std::vector<uint8_t> out;
    size_t fed = 0;
    auto too_large = [&] {
        return kvm::Error{fmt::format("{}: gzip stream inflates to more than {:#x} bytes (QEMU's "
                                      "cap of 256 MiB, or the RAM given)",
                                      name, limit)};
    };
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        // Room for one byte past the limit tells "exactly limit" from "more".
        if (out.size() == in.zs.total_out) {
            if (in.zs.total_out > limit) return too_large();
            out.resize(std::min<uint64_t>(out.size() + kStep, limit + 1));
        }
        in.zs.next_out = out.data() + in.zs.total_out;
        in.zs.avail_out = piece(out.size() - in.zs.total_out);
        if (in.zs.avail_in == 0 && fed < bytes.size()) {
            in.zs.next_in = const_cast<Bytef*>(bytes.data() + fed);
            in.zs.avail_in = piece(bytes.size() - fed);
            fed += in.zs.avail_in;
        }
        rc = inflate(&in.zs, Z_NO_FLUSH);
        if (rc == Z_MEM_ERROR) return kvm::Error{fmt::format("{}: cannot inflate: out of memory", name)};
        if (rc == Z_BUF_ERROR && in.zs.avail_in == 0 && fed == bytes.size())
            return kvm::Error{fmt::format("{}: truncated gzip stream: the file ends after {:#x} "
                                          "bytes inflated",
                                          name, in.zs.total_out)};
        if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END)
            return kvm::Error{fmt::format("{}: bad gzip stream after {} bytes: {}", name,
                                          in.zs.total_in, in.zs.msg ? in.zs.msg : "corrupt data")};
    }
    if (in.zs.total_out > limit) return too_large();
    out.resize(in.zs.total_out);
    return out;
}

}  // namespace vmm
