#include "vmm/record/recording.h"

#include <cerrno>
#include <cstring>
#include <memory>

#include <fmt/format.h>
#include <xxhash.h>
#include <zlib.h>

namespace vmm::record {

namespace {

constexpr size_t kFrameOverhead = 1 + 4 + 4;  // kind, length, CRC-32
constexpr size_t kFileHead = sizeof kMagic + 4;

std::string_view kind_name(Kind k) {
    switch (k) {
    case Kind::Header: return "header";
    case Kind::Image: return "image";
    case Kind::Input: return "input";
    case Kind::Hash: return "hash";
    case Kind::End: return "end";
    }
    return "?";
}

// Little-endian fields, as docs/recording.md lists them.
class Out {
public:
    template <typename T>
    Out& put(T v) {
        for (size_t i = 0; i < sizeof(T); ++i) b_.push_back(uint8_t(uint64_t(v) >> (8 * i)));
        return *this;
    }
    Out& bytes(std::span<const uint8_t> s) {
        put(uint32_t(s.size()));
        b_.insert(b_.end(), s.begin(), s.end());
        return *this;
    }
    Out& str(std::string_view s) {
        return bytes({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
    }
    Out& pos(const Position& p) { return put(p.retired).put(p.entries); }
    std::vector<uint8_t>& buf() { return b_; }

private:
    std::vector<uint8_t> b_;
};

// Reads a payload; any read past its end sets bad and yields zeros.
class In {
public:
    explicit In(std::span<const uint8_t> s) : s_(s) {}
    template <typename T>
    T get() {
        if (s_.size() < sizeof(T)) return fail<T>();
        uint64_t v = 0;
        for (size_t i = 0; i < sizeof(T); ++i) v |= uint64_t(s_[i]) << (8 * i);
        s_ = s_.subspan(sizeof(T));
        return T(v);
    }
    std::vector<uint8_t> bytes() {
        const uint32_t n = get<uint32_t>();
        if (s_.size() < n) return fail<std::vector<uint8_t>>();
        std::vector<uint8_t> v(s_.begin(), s_.begin() + n);
        s_ = s_.subspan(n);
        return v;
    }
    std::string str() {
        auto b = bytes();
        return {b.begin(), b.end()};
    }
    Position pos() {
        Position p;
        p.retired = get<uint64_t>();
        p.entries = get<uint64_t>();
        return p;
    }
    // The whole payload was read, and no more.
    bool done() const { return !bad_ && s_.empty(); }
    bool failed() const { return bad_; }

private:
    template <typename T>
    T fail() {
        bad_ = true;
        s_ = {};
        return T{};
    }
    std::span<const uint8_t> s_;
    bool bad_ = false;
};

uint32_t crc(Kind kind, std::span<const uint8_t> head_and_payload) {
    (void)kind;
    return uint32_t(crc32(0, head_and_payload.data(), uInt(head_and_payload.size())));
}

// The parser's state: what came so far, and the rules between records.
struct Parser {
    Recording rec;
    bool have_header = false, have_end = false;
    Position last;

    kvm::Result<void> later(const Position& p, std::string_view what) {
        // Both counts only grow along a run (compared apart: a sum could wrap).
        if (p.retired < last.retired || p.entries < last.entries)
            return kvm::Error{fmt::format("{} at instruction {} (entry {}) comes before the previous "
                                          "record's instruction {} (entry {})",
                                          what, p.retired, p.entries, last.retired, last.entries)};
        last = p;
        return {};
    }

    // Each record's payload must hold its fields exactly, checked before
    // what the fields say: a short one reads zeros, which would otherwise
    // be blamed as an unknown source or a position going backwards.
    kvm::Result<void> take(Kind kind, In& in) {
        if (have_end) return kvm::Error{"a record after the end record"};
        if (!have_header && kind != Kind::Header) return kvm::Error{"the first record is not the header"};
        const auto malformed = [kind] {
            return kvm::Error{fmt::format("a malformed {} record", kind_name(kind))};
        };
        switch (kind) {
        case Kind::Header: {
            if (have_header) return kvm::Error{"a second header"};
            have_header = true;
            rec.header.stepvisor = in.str();
            rec.header.rtc_base = in.get<uint32_t>();
            const uint32_t n = in.get<uint32_t>();
            // Up to the first argument that is not there: a count larger
            // than the payload holds is malformed, and costs no more than it.
            for (uint32_t i = 0; i < n && !in.failed(); ++i) rec.header.args.push_back(in.str());
            if (!in.done()) return malformed();
            break;
        }
        case Kind::Image: {
            Image im;
            im.role = in.str();
            im.path = in.str();
            im.size = in.get<uint64_t>();
            im.hash = in.get<uint64_t>();
            if (!in.done()) return malformed();
            rec.images.push_back(std::move(im));
            break;
        }
        case Kind::Input: {
            Input x;
            x.pos = in.pos();
            const uint8_t src = in.get<uint8_t>(), at = in.get<uint8_t>();
            x.bytes = in.bytes();
            if (!in.done()) return malformed();
            if (src < uint8_t(Source::Serial) || src > uint8_t(Source::Net))
                return kvm::Error{fmt::format("an input from unknown source {}", src)};
            if (at > uint8_t(At::Inline)) return kvm::Error{fmt::format("an input at unknown place {}", at)};
            x.source = Source(src);
            x.at = At(at);
            if (auto r = later(x.pos, "an input"); !r) return r;
            rec.inputs.push_back(std::move(x));
            break;
        }
        case Kind::Hash: {
            Hash h;
            h.pos = in.pos();
            h.state = in.get<uint64_t>();
            if (!in.done()) return malformed();
            if (auto r = later(h.pos, "a state hash"); !r) return r;
            rec.hashes.push_back(h);
            break;
        }
        case Kind::End: {
            End& e = rec.end;
            e.pos = in.pos();
            e.reason = in.get<uint8_t>();
            e.status = in.get<int32_t>();
            e.state = in.get<uint64_t>();
            e.message = in.str();
            if (!in.done()) return malformed();
            if (e.reason > uint8_t(StopReason::Quit))
                return kvm::Error{fmt::format("an end for unknown reason {}", e.reason)};
            if (auto r = later(e.pos, "the end"); !r) return r;
            have_end = true;
            break;
        }
        }
        return {};
    }
};

}  // namespace

kvm::Result<Recording> parse_recording(std::span<const uint8_t> bytes) {
    if (bytes.size() < kFileHead || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
        return kvm::Error{"not a stepvisor recording (no STEPVREC magic at its start)"};
    In head(bytes.subspan(sizeof kMagic, 4));
    if (const uint32_t v = head.get<uint32_t>(); v != kVersion)
        return kvm::Error{fmt::format("recording format version {} (this stepvisor reads version {})",
                                      v, kVersion)};
    Parser p;
    size_t off = kFileHead, n = 0;
    while (off < bytes.size()) {
        ++n;
        auto where = [&](std::string_view what) {
            return kvm::Error{fmt::format("record {} at offset {}: {}", n, off, what)};
        };
        const auto rest = bytes.subspan(off);
        if (rest.size() < kFrameOverhead) return where("cut off (the file is truncated)");
        In fh(rest.first(5));
        const uint8_t kind = fh.get<uint8_t>();
        const uint32_t len = fh.get<uint32_t>();
        if (len > rest.size() - kFrameOverhead) return where("cut off (the file is truncated)");
        In tail(rest.subspan(5 + len, 4));
        if (crc(Kind(kind), rest.first(5 + len)) != tail.get<uint32_t>())
            return where("checksum mismatch (the file is corrupted)");
        if (kind < uint8_t(Kind::Header) || kind > uint8_t(Kind::End))
            return where(fmt::format("unknown record kind {}", kind));
        In payload(rest.subspan(5, len));
        if (auto r = p.take(Kind(kind), payload); !r) return where(r.error().message);
        off += kFrameOverhead + len;
    }
    if (!p.have_header) return kvm::Error{"the recording has no records (truncated)"};
    if (!p.have_end)
        return kvm::Error{fmt::format("the recording ends after {} records without its end record: "
                                      "it was cut short (truncated, or the run was killed)",
                                      n)};
    return std::move(p.rec);
}

kvm::Result<RecordingWriter> RecordingWriter::create(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return kvm::Error{fmt::format("--record {}: cannot create: {}", path, std::strerror(errno))};
    RecordingWriter w(f, path);
    Out head;
    head.put(uint32_t(kVersion));
    if (std::fwrite(kMagic, 1, sizeof kMagic, f) != sizeof kMagic ||
        std::fwrite(head.buf().data(), 1, 4, f) != 4)
        return kvm::Error{fmt::format("--record {}: cannot write: {}", path, std::strerror(errno))};
    return w;
}

RecordingWriter::~RecordingWriter() {
    if (f_) std::fclose(f_);
}

kvm::Result<void> RecordingWriter::frame(Kind kind, const std::vector<uint8_t>& payload) {
    Out f;
    f.put(uint8_t(kind)).put(uint32_t(payload.size()));
    f.buf().insert(f.buf().end(), payload.begin(), payload.end());
    f.put(crc(kind, f.buf()));
    if (std::fwrite(f.buf().data(), 1, f.buf().size(), f_) != f.buf().size() || std::fflush(f_) != 0)
        return kvm::Error{fmt::format("--record {}: cannot write: {}", path_, std::strerror(errno))};
    return {};
}

kvm::Result<void> RecordingWriter::header(const Header& h) {
    Out o;
    o.str(h.stepvisor).put(h.rtc_base).put(uint32_t(h.args.size()));
    for (const std::string& a : h.args) o.str(a);
    return frame(Kind::Header, o.buf());
}

kvm::Result<void> RecordingWriter::image(const Image& i) {
    Out o;
    o.str(i.role).str(i.path).put(i.size).put(i.hash);
    return frame(Kind::Image, o.buf());
}

kvm::Result<void> RecordingWriter::input(const Input& in) {
    Out o;
    o.pos(in.pos).put(uint8_t(in.source)).put(uint8_t(in.at)).bytes(in.bytes);
    return frame(Kind::Input, o.buf());
}

kvm::Result<void> RecordingWriter::hash(const Hash& h) {
    Out o;
    o.pos(h.pos).put(h.state);
    return frame(Kind::Hash, o.buf());
}

kvm::Result<void> RecordingWriter::end(const End& e) {
    Out o;
    o.pos(e.pos).put(e.reason).put(e.status).put(e.state).str(e.message);
    return frame(Kind::End, o.buf());
}

kvm::Result<uint64_t> hash_file(const std::string& path, uint64_t& size) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), std::fclose);
    if (!f) return kvm::Error{fmt::format("{}: cannot read: {}", path, std::strerror(errno))};
    std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> st(XXH3_createState(), XXH3_freeState);
    XXH3_64bits_reset(st.get());
    std::vector<uint8_t> buf(1 << 20);
    size = 0;
    while (size_t n = std::fread(buf.data(), 1, buf.size(), f.get())) {
        XXH3_64bits_update(st.get(), buf.data(), n);
        size += n;
    }
    if (std::ferror(f.get())) return kvm::Error{fmt::format("{}: cannot read: {}", path, std::strerror(errno))};
    return uint64_t(XXH3_64bits_digest(st.get()));
}

}  // namespace vmm::record
