// CibWriter: the CibStore's writes off the event loop. A status save is a
// checksum, a write and an fsync of the whole CIB (megabytes at 1,000
// resources), many times a second while resources start: queued here, the
// loop goes on answering. Only the newest queued text is written (an older
// one not yet started is replaced: each file is a whole CIB).
//
// Durability: save_now() returns once its text is on disk (after whatever
// was queued before it), for what must be durable before it is answered
// (a configuration change). A queued write that failed is remembered:
// last_write() is that error until a later write succeeds, so the caller
// can save the next version with save_now() and report the error then.
//
// Threading: one worker thread; every method is called from one other
// thread (the io thread). The store is touched only by the worker, or by
// save_now()/load() while the worker is idle.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "cmd/daemon/cib_store.h"

namespace hactl::cmd::daemon {

class CibWriter {
 public:
  explicit CibWriter(CibStore& store);
  ~CibWriter();  // writes what is queued, then stops
  CibWriter(const CibWriter&) = delete;
  CibWriter& operator=(const CibWriter&) = delete;

  void save_async(std::string xml);
  core::Status save_now(const std::string& xml);
  // Waits until nothing is queued or being written.
  void flush();
  // The error of the last finished write if it failed, else ok.
  core::Status last_write() const;
  // The store itself, for load(), once idle.
  CibStore& store_when_idle();

 private:
  void run();

  CibStore& store_;
  mutable std::mutex mu_;
  std::condition_variable wake_, idle_;
  std::optional<std::string> queued_;
  bool writing_ = false, stopping_ = false;
  core::Status last_;
  std::thread worker_;
};

}  // namespace hactl::cmd::daemon
