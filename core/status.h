// Status and Result<T>: how every module reports failure to its caller.
// A failed Status carries the message shown to the user and the exit code the
// CLI ends with; library exceptions are caught where they arise and become one.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "core/exit_code.h"

namespace hactl::core {

class Status {
 public:
  Status() = default;  // success
  static Status ok() { return {}; }
  static Status error(ExitCode code, std::string message) { return Status(code, std::move(message)); }
  static Status invalid(std::string m) { return error(ExitCode::invalid_param, std::move(m)); }
  static Status usage(std::string m) { return error(ExitCode::usage, std::move(m)); }
  static Status not_found(std::string m) { return error(ExitCode::no_such, std::move(m)); }
  static Status exists(std::string m) { return error(ExitCode::exists, std::move(m)); }
  static Status config(std::string m) { return error(ExitCode::config, std::move(m)); }
  static Status io(std::string m) { return error(ExitCode::io_err, std::move(m)); }
  static Status unsafe(std::string m) { return error(ExitCode::unsafe, std::move(m)); }

  bool is_ok() const { return code_ == ExitCode::ok; }
  explicit operator bool() const { return is_ok(); }
  ExitCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(ExitCode code, std::string message) : code_(code), message_(std::move(message)) {}
  ExitCode code_ = ExitCode::ok;
  std::string message_;
};

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status error) : error_(std::move(error)) {}  // NOLINT
  bool is_ok() const { return value_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  const Status& status() const { return error_; }

 private:
  std::optional<T> value_;
  Status error_;
};

}  // namespace hactl::core
