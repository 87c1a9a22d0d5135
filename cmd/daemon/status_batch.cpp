#include "cmd/daemon/status_batch.h"

#include <iterator>

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
  // Taken out first: a commit notifies listeners, which may read the CIB and
  // so flush again (re-entrantly); they must find nothing pending.
  std::vector<Edit> edits;
  edits.swap(edits_);
  std::vector<std::string> whys;
  whys.swap(whys_);
  core::CibDocument doc = current_().clone();
  for (const Edit& e : edits) e(doc);
  std::string why = whys.size() == 1 ? whys.front() : std::to_string(whys.size()) + " edits (" + whys.front() + ", ...)";
  if (!commit_(std::move(doc), why)) {
    // Kept, before any added meanwhile, and tried again: each edit records
    // something that happened.
    edits.insert(edits.end(), std::make_move_iterator(edits_.begin()), std::make_move_iterator(edits_.end()));
    whys.insert(whys.end(), std::make_move_iterator(whys_.begin()), std::make_move_iterator(whys_.end()));
    edits_.swap(edits);
    whys_.swap(whys);
    ++failures_;
    arm(retry_);
    return;
  }
  failures_ = 0;
  ++commits_;
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
