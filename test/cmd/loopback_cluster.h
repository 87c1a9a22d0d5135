// A cluster of real node agents on loopback for tests: separate roots under a
// scratch directory, a 127.0.N.x subnet and a port of its own.
#pragma once

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include <doctest/doctest.h>

#include "test/cmd/cli_harness.h"

namespace hactl::test {

inline int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Cluster {
  Scratch s;
  // A subnet and port of its own per cluster, so clusters of one test run
  // (and agents of a previous case still exiting) never share an address;
  // each test binary passes its own subnet base, as ctest runs them side by side.
  static inline int instances = 0;
  int subnet;
  int port = 20000 + ::getpid() % 20000;
  int nodes;
  explicit Cluster(int n, int subnet_base = 10) : subnet(subnet_base + instances++), nodes(n) {
    std::string setup = "cluster setup Lab";
    for (int i = 1; i <= n; ++i) setup += " n" + std::to_string(i) + " addr=" + addr(i) + ":" + std::to_string(port);
    REQUIRE(on(1, setup).rc == 0);
    for (int i = 2; i <= n; ++i)
      REQUIRE(s.sh("mkdir -p r" + std::to_string(i) + "/etc && cp -a r1/etc/hactl r" + std::to_string(i) + "/etc/").rc == 0);
  }
  ~Cluster() {
    for (int i = 1; i <= nodes; ++i) kill9(i);
  }
  std::string addr(int i) const { return "127.0." + std::to_string(subnet) + "." + std::to_string(i); }
  std::string root(int i) const { return s.path("r" + std::to_string(i)); }
  Run on(int i, const std::string& args) const {
    return s.sh("HACTL_ROOT=" + root(i) + " " + hactl::test::quote(HACTL_BINARY) + " " + args);
  }
  Run start(int i) const { return on(i, "cluster start --node=n" + std::to_string(i)); }
  int pid(int i) const { return std::atoi(hactl::test::slurp(root(i) + "/run/hactl/hactl.pid").c_str()); }
  std::string log(int i) const { return hactl::test::slurp(root(i) + "/var/log/hactl/hactl.log"); }
  void kill9(int i) const {
    int p = pid(i);
    if (p > 1) ::kill(p, SIGKILL);
    ::unlink((root(i) + "/run/hactl/hactl.pid").c_str());
  }
  // Polls `cond` until it holds; `took` gets how long that took.
  bool wait_for(const std::function<bool()>& cond, int64_t timeout_ms, int64_t* took = nullptr) const {
    for (int64_t t0 = now_ms(); now_ms() - t0 < timeout_ms;) {
      if (cond()) {
        if (took) *took = now_ms() - t0;
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  // Polls `hactl status` on node i until `text` appears (or disappears).
  bool wait_status(int i, const std::string& text, bool present, int64_t timeout_ms, int64_t* took = nullptr) const {
    return wait_for([&] { return (on(i, "status").out.find(text) != std::string::npos) == present; }, timeout_ms, took);
  }
  bool wait_status(int i, const std::string& text, int64_t timeout_ms) const {
    return wait_status(i, text, true, timeout_ms);
  }
  bool wait_output(int i, const std::string& args, const std::string& text, int64_t timeout_ms) const {
    return wait_for([&] { return on(i, args).out.find(text) != std::string::npos; }, timeout_ms);
  }
  // Node i's log (the security log is written once a second) until `text` appears.
  bool wait_log(int i, const std::string& text, int64_t timeout_ms) const {
    return wait_for([&] { return log(i).find(text) != std::string::npos; }, timeout_ms);
  }
};

}  // namespace hactl::test
