#include "cmd/cli.h"
#include "cmd/sys/print_error.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <optional>
#include <random>
#include <iostream>
#include <set>
#include <thread>

#include "cmd/sys/file_io.h"
#include "cmd/sys/ipc_client.h"
#include "core/cib_rebase.h"
#include "core/cib_write_stamp.h"
#include "core/printable_text.h"
#include "core/xml_id.h"

#include <nlohmann/json.hpp>
#include <tinyxml2.h>

namespace hactl::cmd {

using core::CibDocument;
using core::ExitCode;
using core::Result;
using core::Status;

int fail(const Status& s) { return print_error(s); }

int usage_error(std::string_view message) { return fail(Status::usage(std::string(message))); }

void warn(std::string_view message) { std::cerr << "Warning: " << core::printable(message) << "\n"; }

void legacy_note(std::string_view old_form, std::string_view modern_form) {
  std::cerr << "Deprecation Warning: '" << old_form << "' is the old form of '" << modern_form << "'\n";
}

NodePaths paths_of(const Invocation& inv) { return NodePaths{inv.root}; }

Status refuse_cib_file(const Invocation& inv, std::string_view command) {
  if (inv.cib_file.empty()) return {};
  return Status::usage("Specified option '-f' (or CIB_file) is not supported in this command: '" + std::string(command) +
                       "' acts on the running node, not on a CIB file");
}

Result<CibDocument> load_cib(const Invocation& inv) {
  if (inv.cib_file.empty()) {
    auto r = ipc_call(paths_of(inv).socket(), nlohmann::json{{"op", "cib_query"}}, 10000);
    if (!r) {
      if (r.status().code() == ExitCode::disconnect)
        return Status::error(ExitCode::disconnect, r.status().message() + "; or use -f FILE to work on a CIB file");
      return r.status();
    }
    return CibDocument::parse(r->value("cib", std::string()));
  }
  auto text = read_file(inv.cib_file);
  if (!text) return text.status();
  if (text->find_first_not_of(" \t\r\n") == std::string::npos) return CibDocument::empty();  // like pcs -f on a new file
  auto doc = CibDocument::parse(*text);
  if (!doc) return Status::error(doc.status().code(), doc.status().message() + " (in '" + inv.cib_file + "')");
  return doc;
}

namespace {

// update-client of a write: the crm_* personalities name themselves.
std::string client_name(const Invocation& inv) {
  std::string c = inv.value("update-client");
  return c.empty() ? "hactl" : c;
}

// The configuration section as text, to tell whether a CIB already holds an edit.
std::string configuration_text(const CibDocument& doc) {
  tinyxml2::XMLPrinter printer(nullptr, true);
  if (const core::Element* c = doc.configuration()) c->Accept(&printer);
  return printer.CStr();
}

// Full jitter (sleep a random time up to an exponentially growing cap): many
// clients refused at once spread out instead of colliding again in step.
std::chrono::milliseconds retry_pause(int attempt, std::mt19937& rng) {
  const int cap = std::min(1000, 20 << std::min(attempt, 6));
  return std::chrono::milliseconds(std::uniform_int_distribution<int>(cap / 4, cap)(rng));
}

// Runs `edit` and refuses its result if it created an id Pacemaker's schema
// would reject: the one check behind every command that makes an id
// (resources, groups, fence devices, constraints, operations, nvsets...).
Status edit_with_valid_ids(CibDocument& doc, const std::function<Status(CibDocument&)>& edit) {
  std::set<std::string> before = core::config_ids(doc);
  if (Status s = edit(doc); !s) return s;
  return core::check_new_ids(before, doc);
}
// Without -f: read from the agent, edit, and hand the result back with the
// version it was based on; the DC refuses it if the CIB moved meanwhile, and
// we redo the edit on the fresh CIB (compare-and-swap, never a blind overwrite),
// for as long as kRetryFor (30 s): under many concurrent writers every edit lands.
// A try whose answer was lost (the DC changed in flight) may have landed: if
// the configuration already holds that try's change, it did, and the command
// succeeded (a retried create does not answer "already exists" for itself).
int edit_live(const Invocation& inv, const std::function<Status(CibDocument&)>& edit) {
  constexpr auto kRetryFor = std::chrono::seconds(30);
  const auto deadline = std::chrono::steady_clock::now() + kRetryFor;
  std::mt19937 rng(std::random_device{}());
  // A try whose outcome is unknown: what it read and what it wrote.
  std::optional<std::pair<CibDocument, CibDocument>> maybe_applied;
  for (int attempt = 0;; ++attempt) {
    if (attempt > 0) {
      if (std::chrono::steady_clock::now() >= deadline) break;
      std::this_thread::sleep_for(retry_pause(attempt, rng));  // also: a new DC takes a moment to be elected
    }
    auto loaded = load_cib(inv);
    if (!loaded) {
      // A busy or re-electing cluster: reading again is harmless.
      const ExitCode c = loaded.status().code();
      if (c == ExitCode::temp_fail || c == ExitCode::unavailable || c == ExitCode::timeout) continue;
      return fail(loaded.status());
    }
    CibDocument& doc = *loaded;
    if (maybe_applied) {
      // That try landed if replaying it onto what is there now changes nothing.
      auto replayed = core::rebase_configuration(maybe_applied->first, maybe_applied->second, doc);
      if (replayed && configuration_text(*replayed) == configuration_text(doc)) return 0;
    }
    const core::CibVersion base_version = doc.version();
    std::string base = base_version.to_string();
    std::string before = doc.to_xml();
    if (Status s = edit_with_valid_ids(doc, edit); !s) return fail(s);
    if (doc.to_xml() == before) return 0;
    bool status_edit = inv.values.count("status-edit") > 0;
    nlohmann::json req = {{"op", "cib_replace"}, {"base", base}, {"scope", status_edit ? "all" : "configuration"},
                          {"client", client_name(inv)}};
    if (doc.version() == base_version) {  // an edit that set no version of its own
      doc.bump_epoch();
      // What it read: if the CIB moved meanwhile, the DC replays this edit
      // onto the new CIB when they touch different elements.
      req["base_cib"] = before;
    }
    req["cib"] = doc.to_xml();
    auto r = ipc_call(paths_of(inv).socket(), req, 60000);
    if (r) return 0;
    // A timeout may or may not have been applied: retried as unknown below.
    if (r.status().code() != ExitCode::temp_fail && r.status().code() != ExitCode::timeout) return fail(r.status());
    // "the CIB changed ..." (moved, and could not be rebased) was refused
    // before anything was applied; any other temporary failure may have been.
    if (r.status().message().rfind("the CIB changed", 0) != 0) {
      auto read = CibDocument::parse(before);
      if (read) maybe_applied.emplace(std::move(*read), std::move(doc));
    }
  }
  return fail(Status::error(ExitCode::temp_fail, "the CIB kept changing while this command ran (30 s); try again"));
}
}  // namespace

int edit_cib(const Invocation& inv, const std::function<Status(CibDocument&)>& edit) {
  if (inv.cib_file.empty()) return edit_live(inv, edit);
  bool created = !inv.cib_file.empty() && !file_exists(inv.cib_file);
  Result<CibDocument> loaded = [&]() -> Result<CibDocument> {
    // A file that does not exist yet is started empty, as `pcs -f` does.
    if (created) return CibDocument::empty();
    return load_cib(inv);
  }();
  if (!loaded) return fail(loaded.status());
  CibDocument& doc = *loaded;
  const core::CibVersion before_version = doc.version();
  std::string before = doc.to_xml();
  if (Status s = edit_with_valid_ids(doc, edit); !s) return fail(s);
  bool changed = doc.to_xml() != before;
  if (!changed && !created) return 0;  // nothing changed: no write, no epoch bump
  // An edit is stamped with its time and tool (the node and user fields
  // belong to a live cluster's writes); a pushed CIB brings its own version
  // and is written as it came, so it round-trips unchanged.
  if (changed && doc.version() == before_version) {
    doc.bump_epoch();
    core::stamp_cib_write(doc, {"", client_name(inv), ""}, std::time(nullptr));
  }
  if (Status s = write_file_atomic(inv.cib_file, doc.to_xml()); !s) return fail(s);
  return 0;
}

bool split_kv(const std::string& arg, std::string* key, std::string* value) {
  auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  *key = arg.substr(0, eq);
  *value = arg.substr(eq + 1);
  return true;
}

Result<core::KeyValues> parse_kvs(const Args& args, size_t from, size_t to) {
  core::KeyValues out;
  for (size_t i = from; i < args.size() && i < to; ++i) {
    std::string k, v;
    if (!split_kv(args[i], &k, &v)) return Status::usage("missing value of '" + args[i] + "' option, use name=value");
    out.emplace_back(k, v);
  }
  return out;
}

}  // namespace hactl::cmd
