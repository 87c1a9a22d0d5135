// StatusBatch: the DC's status edits of one burst become one CIB version.
//
// Recording every action result as its own version cost a clone of the whole
// CIB, a serialise + fsync of cib.xml and a full push to every member per
// result: with a few hundred actions the loop did little else. Edits queued
// with add() are applied in order to one copy of the current CIB and
// committed once, `window` after the first of them (or at flush()).
//
// Ordering contract: pending edits are older than anything a caller edits or
// decides from the CIB next, so every read-modify-write of the status and
// every scheduling run must flush() first (Controller::cib() does). What an
// edit captures must stay valid until then (capture by value).
//
// Threading: the io_context thread only. Owned by the Controller.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <asio.hpp>

#include "core/cib_document.h"

namespace hactl::cmd::daemon {

class StatusBatch {
 public:
  using Edit = std::function<void(core::CibDocument&)>;
  // Reads the current CIB; commits the edited copy (one version per call).
  using Current = std::function<const core::CibDocument&()>;
  using Commit = std::function<void(core::CibDocument doc, const std::string& why)>;

  StatusBatch(asio::io_context& io, std::chrono::milliseconds window, Current current, Commit commit);

  void add(Edit edit, std::string why);
  void flush();  // commits what is pending now (nothing when none)
  void drop();   // forgets what is pending (no longer the DC)
  size_t pending() const { return edits_.size(); }
  uint64_t commits() const { return commits_; }

 private:
  asio::steady_timer timer_;
  std::chrono::milliseconds window_;
  Current current_;
  Commit commit_;
  std::vector<Edit> edits_;
  std::vector<std::string> whys_;
  bool armed_ = false;
  uint64_t commits_ = 0;
};

}  // namespace hactl::cmd::daemon
