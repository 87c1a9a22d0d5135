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
// Durability: a commit that fails (the disk is full) keeps its edits, in
// order before any later ones, and is retried every `retry` until it
// succeeds; meanwhile failing() is true, and the controller schedules nothing
// on a status that says less than what happened.
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
  // True when the edited copy is durable (and now the current CIB).
  using Commit = std::function<bool(core::CibDocument doc, const std::string& why)>;

  StatusBatch(asio::io_context& io, std::chrono::milliseconds window, Current current, Commit commit,
              std::chrono::milliseconds retry = std::chrono::milliseconds(1000));

  void add(Edit edit, std::string why);
  void flush();  // commits what is pending now (nothing when none); false edits stay pending
  void drop();   // forgets what is pending (no longer the DC)
  size_t pending() const { return edits_.size(); }
  uint64_t commits() const { return commits_; }
  bool failing() const { return failures_ > 0; }
  uint64_t failures() const { return failures_; }  // consecutive failed commits

 private:
  void arm(std::chrono::milliseconds after);

  asio::steady_timer timer_;
  std::chrono::milliseconds window_;
  std::chrono::milliseconds retry_;
  uint64_t failures_ = 0;
  Current current_;
  Commit commit_;
  std::vector<Edit> edits_;
  std::vector<std::string> whys_;
  bool armed_ = false;
  uint64_t commits_ = 0;
};

}  // namespace hactl::cmd::daemon
