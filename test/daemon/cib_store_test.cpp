// The node's CIB store under a failing disk: a write that fails (ENOSPC,
// injected through the store's writer) changes neither the current file nor
// any backup, and the next good write rotates as if nothing had happened.
// Its writer thread: coalescing, ordering with save_now, failures kept.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>

#include "cmd/daemon/cib_store.h"
#include "cmd/daemon/cib_writer.h"
#include "cmd/sys/file_io.h"
#include "test/cmd/cli_harness.h"

using hactl::cmd::daemon::CibStore;
using hactl::cmd::daemon::CibWriter;
using hactl::core::CibDocument;
using hactl::core::Status;

namespace {

CibDocument at_epoch(long epoch) {
  CibDocument doc = CibDocument::empty();
  hactl::core::CibVersion v = doc.version();
  v.epoch = epoch;
  doc.set_version(v);
  return doc;
}

long epoch_of(const std::string& file) {
  auto content = hactl::cmd::read_file(file);
  if (!content) return -1;
  auto xml = CibStore::unseal(*content);
  if (!xml) return -1;
  auto doc = CibDocument::parse(*xml);
  return doc ? doc->version().epoch : -1;
}

ino_t inode_of(const std::string& file) {
  struct stat st {};
  return ::stat(file.c_str(), &st) == 0 ? st.st_ino : 0;
}

}  // namespace

TEST_CASE("cib store: a failed write rotates no backup; distinct backups survive repeated ENOSPC") {
  hactl::test::Scratch s;
  const std::string path = s.path("cib.xml");
  bool disk_full = false;
  int writes = 0;
  CibStore store(path, 5, [&](const std::string& p, const std::string& content, unsigned mode) -> Status {
    ++writes;
    if (disk_full) return Status::io("Unable to write '" + p + "': No space left on device");
    return hactl::cmd::write_file_synced(p, content, mode);
  });
  for (long e = 1; e <= 4; ++e) REQUIRE(store.save(at_epoch(e)));
  CHECK(epoch_of(path) == 4);
  CHECK(epoch_of(path + ".1") == 3);
  CHECK(epoch_of(path + ".3") == 1);

  disk_full = true;
  for (int attempt = 0; attempt < 3; ++attempt) CHECK_FALSE(store.save(at_epoch(5)));
  CHECK(writes == 7);  // the failures did reach the writer
  // Untouched: the current file and its three backups, four distinct files.
  CHECK(epoch_of(path) == 4);
  CHECK(epoch_of(path + ".1") == 3);
  CHECK(epoch_of(path + ".2") == 2);
  CHECK(epoch_of(path + ".3") == 1);
  CHECK_FALSE(std::filesystem::exists(path + ".4"));
  std::set<ino_t> inodes;
  for (const char* f : {"", ".1", ".2", ".3"}) inodes.insert(inode_of(path + f));
  CHECK(inodes.size() == 4);
  CHECK_FALSE(std::filesystem::exists(path + ".new"));  // no half-staged version left

  std::vector<std::string> warnings;
  auto loaded = store.load(&warnings);
  REQUIRE(loaded);
  CHECK(loaded->version().epoch == 4);
  CHECK(warnings.empty());

  // Space again: the next write rotates normally.
  disk_full = false;
  REQUIRE(store.save(at_epoch(6)));
  CHECK(epoch_of(path) == 6);
  CHECK(epoch_of(path + ".1") == 4);
  CHECK(epoch_of(path + ".2") == 3);
  CHECK(epoch_of(path + ".4") == 1);
}

// The writer thread: the writer function blocks until the test lets it go,
// so what is queued, replaced and waited for is decided by the test, not by
// timing.
TEST_CASE("cib writer: queued saves coalesce to the newest; save_now is on disk after them; a failure is remembered") {
  hactl::test::Scratch s;
  const std::string path = s.path("cib.xml");
  std::mutex mu;
  std::condition_variable cv;
  bool gate_open = true, disk_full = false;
  int started = 0;
  std::vector<long> written;  // epochs handed to the writer, in order
  CibStore store(path, 5, [&](const std::string& p, const std::string& content, unsigned mode) -> Status {
    std::unique_lock<std::mutex> lock(mu);
    ++started;
    cv.notify_all();
    cv.wait(lock, [&] { return gate_open; });
    auto doc = CibDocument::parse(*CibStore::unseal(content));
    written.push_back(doc->version().epoch);
    if (disk_full) return Status::io("Unable to write '" + p + "': No space left on device");
    return hactl::cmd::write_file_synced(p, content, mode);
  });
  CibWriter writer(store);
  {
    std::unique_lock<std::mutex> lock(mu);
    gate_open = false;
  }
  writer.save_async(at_epoch(1).to_xml());
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return started == 1; });  // epoch 1 is being written, held at the gate
  }
  writer.save_async(at_epoch(2).to_xml());
  writer.save_async(at_epoch(3).to_xml());  // replaces 2, which never started
  {
    std::lock_guard<std::mutex> lock(mu);
    gate_open = true;
  }
  cv.notify_all();
  REQUIRE(writer.save_now(at_epoch(4).to_xml()));
  CHECK(written == std::vector<long>{1, 3, 4});
  CHECK(epoch_of(path) == 4);
  CHECK(epoch_of(path + ".1") == 3);

  disk_full = true;
  writer.save_async(at_epoch(5).to_xml());
  writer.flush();
  CHECK_FALSE(writer.last_write());
  CHECK(epoch_of(path) == 4);  // nothing half-written
  CHECK_FALSE(writer.save_now(at_epoch(6).to_xml()));
  CHECK_FALSE(writer.last_write());
  disk_full = false;
  REQUIRE(writer.save_now(at_epoch(7).to_xml()));
  CHECK(writer.last_write());
  CHECK(epoch_of(path) == 7);
}

TEST_CASE("cib writer: what is queued when it stops is still written") {
  hactl::test::Scratch s;
  const std::string path = s.path("cib.xml");
  CibStore store(path);
  {
    CibWriter writer(store);
    writer.save_async(at_epoch(8).to_xml());
  }
  CHECK(epoch_of(path) == 8);
}
