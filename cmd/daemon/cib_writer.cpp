#include "cmd/daemon/cib_writer.h"

namespace hactl::cmd::daemon {

CibWriter::CibWriter(CibStore& store) : store_(store), worker_([this] { run(); }) {}

CibWriter::~CibWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  worker_.join();
}

void CibWriter::save_async(std::string xml) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queued_ = std::move(xml);
  }
  wake_.notify_one();
}

void CibWriter::flush() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [this] { return !queued_ && !writing_; });
}

core::Status CibWriter::save_now(const std::string& xml) {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [this] { return !queued_ && !writing_; });
  // The worker waits for queued_, which stays empty while we hold the lock.
  last_ = store_.save_xml(xml);
  return last_;
}

core::Status CibWriter::last_write() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_;
}

CibStore& CibWriter::store_when_idle() {
  flush();
  return store_;
}

void CibWriter::run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return queued_ || stopping_; });
    if (!queued_) return;  // stopping, nothing left
    std::string xml = std::move(*queued_);
    queued_.reset();
    writing_ = true;
    lock.unlock();
    core::Status s = store_.save_xml(xml);
    lock.lock();
    writing_ = false;
    last_ = s;
    if (!queued_) idle_.notify_all();
  }
}

}  // namespace hactl::cmd::daemon
