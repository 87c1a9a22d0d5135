// Files on disk: whole-file reads and crash-safe replacement (temp file in the
// same directory, fsync, rename, fsync of the directory), so a reader sees the
// old or the new content, never a torn one.
#pragma once

#include <string>

#include "core/status.h"

namespace hactl::cmd {

core::Result<std::string> read_file(const std::string& path);
core::Status write_file_atomic(const std::string& path, const std::string& content, unsigned mode = 0644);
// Writes `path` in place and fsyncs it (no rename; on failure the file is
// removed): the first half of an atomic replacement, for a staging name.
core::Status write_file_synced(const std::string& path, const std::string& content, unsigned mode = 0644);
// rename(2), then fsync of the directory so the new name survives a crash.
core::Status rename_durably(const std::string& from, const std::string& to);
core::Status make_dirs(const std::string& path, unsigned mode = 0755);
bool file_exists(const std::string& path);
// Joins the root prefix and an absolute path ("/" + "/etc/x" -> "/etc/x").
std::string under_root(const std::string& root, const std::string& path);

}  // namespace hactl::cmd
