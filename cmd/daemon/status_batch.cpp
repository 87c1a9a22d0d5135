#include "cmd/daemon/status_batch.h"

namespace hactl::cmd::daemon {

StatusBatch::StatusBatch(asio::io_context& io, std::chrono::milliseconds window, Current current, Commit commit,
                         std::chrono::milliseconds retry)
    : timer_(io), window_(window), retry_(retry), current_(std::move(current)), commit_(std::move(commit)) {}

void StatusBatch::add(Edit edit, std::string why) {
  edits_.push_back(std::move(edit));
  whys_.push_back(std::move(why));
  arm(failing() ? retry_ : window_);
}

void StatusBatch::arm(std::chrono::milliseconds after) {
  if (armed_) return;
  armed_ = true;
  timer_.expires_after(after);
  timer_.async_wait([this](std::error_code ec) {
    if (ec) return;  // cancelled: flushed or dropped meanwhile
    armed_ = false;
    flush();
  });
}

void StatusBatch::flush() {
  if (armed_) {
    timer_.cancel();
    armed_ = false;
  }
  if (edits_.empty()) return;
  core::CibDocument doc = current_().clone();
  for (const Edit& e : edits_) e(doc);
  std::string why =
      whys_.size() == 1 ? whys_.front() : std::to_string(whys_.size()) + " edits (" + whys_.front() + ", ...)";
  if (!commit_(std::move(doc), why)) {
    // Kept, and tried again: each edit records something that happened.
    ++failures_;
    arm(retry_);
    return;
  }
  failures_ = 0;
  ++commits_;
  edits_.clear();
  whys_.clear();
}

void StatusBatch::drop() {
  if (armed_) {
    timer_.cancel();
    armed_ = false;
  }
  edits_.clear();
  whys_.clear();
  failures_ = 0;
}

}  // namespace hactl::cmd::daemon
