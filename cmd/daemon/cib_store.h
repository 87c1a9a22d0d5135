// The node's persistent CIB: <state>/cib.xml with the last N versions kept as
// cib.xml.1 (newest) .. cib.xml.N. Each file starts with a comment carrying the
// SHA-256 of the rest, so a torn or corrupted file is detected at load, and the
// file stays a valid CIB for Pacemaker's tools. A file that fails its checksum
// is never loaded silently: the newest good backup is, with a warning.
//
// Writes are atomic (staged file, fsync, rename, fsync dir) and happen before a
// change is acknowledged; backups rotate only once the new version is on disk. Single-threaded; owned by the node agent.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cmd/sys/file_io.h"
#include "core/cib_document.h"

namespace hactl::cmd::daemon {

class CibStore {
 public:
  // How the staged version is written and fsynced (renamed into place by
  // save()); tests pass one that fails (disk full).
  using FileWriter = std::function<core::Status(const std::string& path, const std::string& content, unsigned mode)>;

  explicit CibStore(std::string path, int backups = 5, FileWriter writer = write_file_synced)
      : path_(std::move(path)), backups_(backups), writer_(std::move(writer)) {}

  // Loads the newest intact version; `warnings` gets what was skipped and why.
  // A missing file gives an empty CIB.
  core::Result<core::CibDocument> load(std::vector<std::string>* warnings) const;
  // Writes `doc` durably and keeps the previous versions as backups. The new
  // file is written in full before any backup moves: a failed write (ENOSPC)
  // leaves the current file and every backup as they were.
  core::Status save(const core::CibDocument& doc) { return save_xml(doc.to_xml()); }
  // The same with the document's text already made (CibDocument::to_xml()).
  core::Status save_xml(const std::string& xml);

  const std::string& path() const { return path_; }

  // The file format, exposed for tests and tools.
  static std::string seal(const std::string& xml);
  // The XML if the checksum matches (or if there is no checksum line: a file
  // written by hand or by Pacemaker), else an error naming the problem.
  static core::Result<std::string> unseal(const std::string& content);

 private:
  std::string path_;
  int backups_;
  FileWriter writer_;
};

std::string sha256_hex(const std::string& data);

}  // namespace hactl::cmd::daemon
