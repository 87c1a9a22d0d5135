// Limits of the local IPC, shared by the CLI (which checks a request's size
// before sending it) and the node agent (which enforces all of them).
#pragma once

#include <cstddef>
#include <string>

namespace hactl::cmd {

// A large CIB fits; a flood does not.
inline constexpr std::size_t kMaxIpcRequestBytes = 16u << 20;
// From accept to the request's final newline; the CLI writes at once.
inline constexpr int kIpcRequestDeadlineMs = 5000;
// Connections open at once, those waiting for the DC's answer included.
inline constexpr std::size_t kMaxIpcConnections = 64;

inline std::string ipc_request_too_large(std::size_t bytes, bool at_least = false) {
  return "request too large: " + std::string(at_least ? "over " : "") + std::to_string(bytes) + " bytes, limit " +
         std::to_string(kMaxIpcRequestBytes >> 20) + " MiB";
}

}  // namespace hactl::cmd
