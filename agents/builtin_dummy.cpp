// Built-in ocf:pacemaker:Dummy: "running" while its state file exists. Used by
// tests and demos; op_sleep and fail_action make timeouts and failures on demand.
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "agents/builtin_agents.h"
#include "agents/ocf_result.h"

namespace hactl::agents {
namespace fs = std::filesystem;

namespace {

int rc(OcfRc r) { return static_cast<int>(r); }

std::string state_file(const BuiltinCall& c) {
  std::string s = c.param("state");
  if (!s.empty()) return s;
  std::string root = c.root == "/" ? "" : c.root;
  return root + "/run/hactl/Dummy-" + (c.instance.empty() ? "default" : c.instance) + ".state";
}

void sleep_seconds(double s) {
  if (s <= 0) return;
  timespec ts{static_cast<time_t>(s), static_cast<long>((s - static_cast<double>(static_cast<time_t>(s))) * 1e9)};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

}  // namespace

int run_builtin_dummy(const BuiltinCall& c) {
  if (c.action == "meta-data") {
    std::fwrite(kDummyMetadata.data(), 1, kDummyMetadata.size(), stdout);
    return rc(OcfRc::ok);
  }
  char* end = nullptr;
  std::string sleep_text = c.param("op_sleep", "0");
  double delay = std::strtod(sleep_text.c_str(), &end);
  if (end == sleep_text.c_str() || *end != '\0' || delay < 0) {
    std::fprintf(stderr, "Dummy: op_sleep '%s' is not a number of seconds\n", sleep_text.c_str());
    return rc(OcfRc::not_configured);
  }
  std::string fail_rc_text = c.param("fail_rc", "1");
  int fail_rc = std::atoi(fail_rc_text.c_str());
  if (c.action == "validate-all") return rc(OcfRc::ok);

  sleep_seconds(delay);
  if (!c.param("fail_action").empty() && c.param("fail_action") == c.action) {
    std::fprintf(stderr, "Dummy: %s fails with %d as configured (fail_action)\n", c.action.c_str(), fail_rc);
    return fail_rc;
  }
  const std::string file = state_file(c);
  std::error_code ec;
  if (c.action == "start") {
    fs::create_directories(fs::path(file).parent_path(), ec);
    std::ofstream(file) << c.instance << "\n";
    if (!fs::exists(file, ec)) {
      std::fprintf(stderr, "Dummy: cannot create state file %s\n", file.c_str());
      return rc(OcfRc::err_perm);
    }
    return rc(OcfRc::ok);
  }
  if (c.action == "stop") {
    fs::remove(file, ec);
    return ec ? rc(OcfRc::err_generic) : rc(OcfRc::ok);
  }
  if (c.action == "monitor" || c.action == "status") {
    return fs::exists(file, ec) ? rc(OcfRc::ok) : rc(OcfRc::not_running);
  }
  if (c.action == "reload" || c.action == "reload-agent" || c.action == "migrate_to" ||
      c.action == "migrate_from") {
    return rc(OcfRc::ok);
  }
  return rc(OcfRc::unimplemented);
}

}  // namespace hactl::agents
