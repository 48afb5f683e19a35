// Errors are values: every fallible API call returns Result<T>, whose error
// message names the offending argument.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace kvm {

struct Error {
    std::string message;
};

template <typename T> class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error e) : v_(std::move(e)) {}
    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

// The error is held apart from the success flag, so the success path (a
// single-step's run() and register reads) builds and destroys no string.
template <> class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error e) : err_(std::move(e)) {}
    bool ok() const { return !err_; }
    explicit operator bool() const { return ok(); }
    const Error& error() const {
        static const Error kNone;
        return err_ ? *err_ : kNone;
    }

private:
    std::optional<Error> err_;
};

}  // namespace kvm
