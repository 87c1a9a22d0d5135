#include "cmd/daemon/cib_store.h"

#include <sodium.h>
#include <unistd.h>

#include "cmd/sys/file_io.h"

namespace hactl::cmd::daemon {

using core::Result;
using core::Status;

namespace {
const std::string kPrefix = "<!-- hactl-sha256:";
const std::string kSuffix = " -->\n";
}  // namespace

std::string sha256_hex(const std::string& data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : digest) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

std::string CibStore::seal(const std::string& xml) { return kPrefix + sha256_hex(xml) + kSuffix + xml; }

Result<std::string> CibStore::unseal(const std::string& content) {
  if (content.rfind(kPrefix, 0) != 0) return content;  // unsealed: hand-written or Pacemaker's
  size_t end = content.find(kSuffix, kPrefix.size());
  if (end == std::string::npos) return Status::error(core::ExitCode::digest, "checksum line is truncated");
  std::string want = content.substr(kPrefix.size(), end - kPrefix.size());
  std::string xml = content.substr(end + kSuffix.size());
  if (sha256_hex(xml) != want) return Status::error(core::ExitCode::digest, "checksum mismatch (file corrupted or torn)");
  return xml;
}

Result<core::CibDocument> CibStore::load(std::vector<std::string>* warnings) const {
  std::vector<std::string> candidates = {path_};
  for (int i = 1; i <= backups_; ++i) candidates.push_back(path_ + "." + std::to_string(i));
  bool any_file = false;
  for (const std::string& file : candidates) {
    if (!file_exists(file)) continue;
    any_file = true;
    auto content = read_file(file);
    if (!content) {
      warnings->push_back(file + ": " + content.status().message());
      continue;
    }
    auto xml = unseal(*content);
    if (!xml) {
      warnings->push_back(file + ": " + xml.status().message());
      continue;
    }
    auto doc = core::CibDocument::parse(*xml);
    if (!doc) {
      warnings->push_back(file + ": " + doc.status().message());
      continue;
    }
    if (file != path_) warnings->push_back("using backup " + file + " " + doc->version().to_string());
    return doc;
  }
  if (any_file) return Status::error(core::ExitCode::digest, "no intact CIB among " + path_ + " and its backups");
  return core::CibDocument::empty();
}

Status CibStore::save_xml(const std::string& xml) {
  // 1. The new version, complete and fsynced, under a staging name. Rotating
  // first would, on each failed write, shift the same file one backup further
  // down (after three failures .1-.3 were all links to the current file).
  const std::string staged = path_ + ".new";
  if (Status s = writer_(staged, seal(xml), 0600); !s) {
    ::unlink(staged.c_str());
    return s;
  }
  // 2. Shift backups: .N-1 -> .N ... current -> .1 (hard links keep the old
  // content reachable even if we crash between the steps).
  for (int i = backups_; i >= 1; --i) {
    std::string from = i == 1 ? path_ : path_ + "." + std::to_string(i - 1);
    std::string to = path_ + "." + std::to_string(i);
    if (file_exists(from)) {
      ::unlink(to.c_str());
      if (::link(from.c_str(), to.c_str()) != 0) {
        ::unlink(staged.c_str());
        return Status::io("unable to keep backup " + to);
      }
    }
  }
  // 3. The staged file becomes the current one.
  return rename_durably(staged, path_);
}

}  // namespace hactl::cmd::daemon
