#include "cmd/live_controller.h"
#include "cmd/sys/json_text.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "cmd/sys/ipc_client.h"

namespace hactl::cmd {

using json = nlohmann::json;
using core::ExitCode;
using core::Status;

namespace {

constexpr int kDefaultWaitSeconds = 60;  // pcs's default is the longest op timeout; ours is fixed

using Version = std::array<long, 3>;

Version version_of(const std::string& text) {  // "admin_epoch.epoch.num_updates"
  Version v{-1, -1, -1};
  if (std::sscanf(text.c_str(), "%ld.%ld.%ld", &v[0], &v[1], &v[2]) != 3) return {-1, -1, -1};
  return v;
}

// Config edits bump the epoch, status edits (cleanup) num_updates: either way
// the DC's next schedule runs on a version above the one read before.
Version local_version(const Invocation& inv) {
  auto q = ipc_call(paths_of(inv).socket(), json{{"op", "cib_query"}}, 5000);
  return q ? version_of(q->value("version", std::string())) : Version{-1, -1, -1};
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Polls the DC until it has scheduled a CIB with epoch > `base` and has
// nothing left to do.
int wait_settled(const Invocation& inv, Version base) {
  int seconds = kDefaultWaitSeconds;
  if (inv.wait && !inv.wait->empty()) {
    seconds = std::atoi(inv.wait->c_str());
    if (seconds <= 0) return usage_error("--wait takes a positive number of seconds");
  }
  int64_t deadline = now_ms() + seconds * 1000LL;
  json last;
  while (now_ms() < deadline) {
    if (auto st = controller_state(inv)) {
      last = *st;
      if (st->value("settled", false) && version_of(st->value("cib_version", std::string())) > base) {
        auto blocked = st->value("blocked", json::array());
        if (!blocked.empty()) {
          std::string why;
          for (auto& b : blocked) why += (why.empty() ? "" : "; ") + b.get<std::string>();
          return fail(Status::error(ExitCode::error, "the cluster settled, but some actions cannot run: " + why));
        }
        return 0;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::string why = last.is_null() ? "the DC did not answer" : last.value("last_abort", std::string());
  return fail(Status::error(ExitCode::timeout, "the change was applied but the cluster did not settle within " +
                                                   std::to_string(seconds) + " s" + (why.empty() ? "" : " (last: " + why + ")")));
}

}  // namespace

std::optional<json> controller_state(const Invocation& inv) {
  auto r = ipc_call(paths_of(inv).socket(), json{{"op", "ctl_state"}}, 5000);
  if (!r) return std::nullopt;
  return *r;
}

int run_with_wait(const Invocation& inv, const std::function<int()>& command) {
  if (!inv.wait || !inv.cib_file.empty()) return command();
  Version base = local_version(inv);
  int rc = command();
  if (rc != 0) return rc;
  return wait_settled(inv, base);
}

int live_cleanup(const Invocation& inv, const std::string& rsc, const std::string& node, bool refresh) {
  json req = {{"op", "ctl_cleanup"}};
  if (refresh) req["refresh"] = true;
  if (!rsc.empty()) req["rsc"] = rsc;
  if (!node.empty()) req["node"] = node;
  auto r = ipc_call(paths_of(inv).socket(), req, 30000);
  if (!r) return fail(r.status());
  if (inv.json()) std::cout << json_text(json{{"resource", rsc.empty() ? json(nullptr) : json(rsc)}, {"node", node.empty() ? json(nullptr) : json(node)},
                                    {"cleared", r->value("cleared", 0)}}, 2) << "\n";
  else std::cout << "Cleaned up " << (rsc.empty() ? "all resources" : rsc) << (node.empty() ? " on all nodes" : " on " + node) << "\n";
  return 0;
}

int live_fence(const Invocation& inv, const std::string& node) {
  if (Status s = refuse_cib_file(inv, "stonith fence"); !s) return fail(s);
  if (node.empty()) return usage_error("stonith fence NODE");
  auto r = ipc_call(paths_of(inv).socket(), json{{"op", "ctl_fence"}, {"node", node}}, 120000);
  if (!r) return fail(r.status());
  if (inv.json()) std::cout << json_text(json{{"node", node}, {"fenced", true}}, 2) << "\n";
  else std::cout << "Node: " << node << " fenced\n";
  return 0;
}

// pcs's `resource restart`: stop (target-role Stopped) and start again,
// each step waited for, so dependants restart in order too.
int live_restart(Invocation& inv, const Args& args) {
  if (args.empty()) return usage_error("resource restart RESOURCE_ID [--wait[=SECONDS]]");
  if (Status s = refuse_cib_file(inv, "resource restart"); !s) return fail(s);
  Invocation w = inv;
  if (!w.wait) w.wait = "";
  int rc = run_with_wait(w, [&] { return run_resource(w, {"disable", args[0]}); });
  if (rc != 0) return rc;
  rc = run_with_wait(w, [&] { return run_resource(w, {"enable", args[0]}); });
  if (rc == 0 && !inv.json()) std::cout << args[0] << " successfully restarted\n";
  return rc;
}

}  // namespace hactl::cmd
