// Errors are values in the RSP layer: parsers and the framing return
// Result<T>, whose error names the offending input so a log line is enough
// to see what gdb (or a fuzzer) sent.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace gdb {

// One enum for the whole RSP layer (STYLE: one error enum per layer).
enum class ErrorKind {
    Empty,       // a field that must be present is missing
    OddLength,   // hex byte string with an odd number of digits
    NotHex,      // a character that is not a hex digit
    Overflow,    // a hex number wider than its field
    Malformed,   // wrong separators, trailing junk, unknown sub-command
    OutOfRange,  // a well-formed value the protocol does not allow
};

const char* error_kind_name(ErrorKind k);

struct Error {
    ErrorKind kind;
    std::string message;  // names the offending input
};

Error make_error(ErrorKind kind, std::string_view what, std::string_view input);

// T or an error; E defaults to the RSP layer's Error, the Target interface
// uses its own small enum.
template <typename T, typename E = Error>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(E e) : v_(std::move(e)) {}
    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    const E& error() const { return std::get<1>(v_); }

private:
    std::variant<T, E> v_;
};

}  // namespace gdb
