#include "cmd/daemon/status_batch.h"

namespace hactl::cmd::daemon {

StatusBatch::StatusBatch(asio::io_context& io, std::chrono::milliseconds window, Current current, Commit commit)
    : timer_(io), window_(window), current_(std::move(current)), commit_(std::move(commit)) {}

void StatusBatch::add(Edit edit, std::string why) {
  edits_.push_back(std::move(edit));
  whys_.push_back(std::move(why));
  if (armed_) return;
  armed_ = true;
  timer_.expires_after(window_);
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
  std::vector<Edit> edits;
  edits.swap(edits_);
  std::vector<std::string> whys;
  whys.swap(whys_);
  core::CibDocument doc = current_().clone();
  for (const Edit& e : edits) e(doc);
  std::string why = whys.size() == 1 ? whys.front() : std::to_string(whys.size()) + " edits (" + whys.front() + ", ...)";
  ++commits_;
  commit_(std::move(doc), why);
}

void StatusBatch::drop() {
  if (armed_) {
    timer_.cancel();
    armed_ = false;
  }
  edits_.clear();
  whys_.clear();
}

}  // namespace hactl::cmd::daemon
