// Seeded random CIB generator for the scheduler's differential tests and the
// bench: nodes (some standby/offline), primitives, groups, location /
// colocation / order constraints, stickiness, fail counts with
// migration-threshold and failure-timeout, target-role, priorities and
// existing placement in the status section. Deterministic per seed.
// The op-digest is Pacemaker's digest of a parameterless ocf:pacemaker:Dummy
// start: without it crm_simulate restarts every running resource. A 10s
// monitor records its own digest (it covers the interval): with the start's,
// a failed monitor would look reconfigured and Pacemaker would clear its fail
// count (check_operation_expiry, "resource parameters have changed").
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace hactl::test {

struct GenParams {
  int nodes = 5, resources = 12, groups = 2;
  double p_standby = 0.1, p_offline = 0.1, p_running = 0.5, p_failcount = 0.15, p_stopped = 0.08;
  double loc_ratio = 0.5, coloc_ratio = 0.3, order_ratio = 0.3, p_sticky = 0.3, p_priority = 0.1;
  bool monitors = true;
  // Operation history beyond plain starts: failed monitors/starts/stops with
  // rc 1/2/5/6/7, probe results, expired failures, and on-fail on the ops.
  double p_history = 0.0, p_onfail = 0.0, p_fencing = 0.0;
  int64_t now = 1717243200;  // 2024-06-01 12:00:00Z
};

inline std::string generate_cib(uint64_t seed, const GenParams& gp) {
  std::mt19937_64 rng(seed);
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto coin = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  auto score = [&]() -> std::string {
    int k = uni(0, 9);
    if (k < 3) return "INFINITY";
    if (k < 5) return "-INFINITY";
    static const int vals[] = {-500, -100, -10, 5, 10, 50, 100, 200, 1000, 3};
    return std::to_string(vals[uni(0, 9)]);
  };
  std::string x;
  x += "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" validate-with=\"pacemaker-3.7\" "
       "crm_feature_set=\"3.16.1\" have-quorum=\"1\" dc-uuid=\"1\">\n<configuration>\n<crm_config>\n"
       "<cluster_property_set id=\"cib-bootstrap-options\">\n"
       "";
  const bool fencing = coin(gp.p_fencing);
  x += std::string("<nvpair id=\"opt-stonith\" name=\"stonith-enabled\" value=\"") + (fencing ? "true" : "false") +
       "\"/>\n";
  const bool start_fatal = !coin(gp.p_history * 0.5);
  if (!start_fatal) x += "<nvpair id=\"opt-sff\" name=\"start-failure-is-fatal\" value=\"false\"/>\n";
  if (coin(0.2)) x += "<nvpair id=\"opt-sym\" name=\"symmetric-cluster\" value=\"false\"/>\n";
  x += "</cluster_property_set>\n</crm_config>\n<nodes>\n";
  int N = gp.nodes, M = gp.resources;
  std::vector<bool> offline(N), standby(N);
  for (int i = 0; i < N; ++i) {
    offline[i] = i > 0 && coin(gp.p_offline);
    standby[i] = coin(gp.p_standby);
    x += "<node id=\"" + std::to_string(i + 1) + "\" uname=\"n" + std::to_string(i + 1) + "\"";
    if (coin(0.1)) x += " score=\"" + std::to_string(uni(-2, 2) * 10) + "\"";
    x += ">";
    if (standby[i])
      x += "<instance_attributes id=\"na-" + std::to_string(i + 1) + "\"><nvpair id=\"na-" + std::to_string(i + 1) +
           "-s\" name=\"standby\" value=\"on\"/></instance_attributes>";
    x += "</node>\n";
  }
  x += "</nodes>\n<resources>\n";
  // Resource names r1..rM; groups take consecutive runs.
  std::vector<std::string> names, tops;
  std::vector<int> group_of(M, -1);
  int next = 0;
  std::vector<int> fail_timeout(M, 0), mig(M, 0);
  auto primitive = [&](int i) {
    std::string id = "r" + std::to_string(i + 1);
    std::string s = "<primitive id=\"" + id + "\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\">";
    std::string meta;
    auto nv = [&](const std::string& n, const std::string& v) {
      meta += "<nvpair id=\"" + id + "-m-" + n + "\" name=\"" + n + "\" value=\"" + v + "\"/>";
    };
    if (coin(gp.p_sticky)) nv("resource-stickiness", std::to_string(uni(1, 4) * 50));
    if (coin(gp.p_stopped)) nv("target-role", "Stopped");
    if (coin(gp.p_priority)) nv("priority", std::to_string(uni(1, 10)));
    if (coin(0.3)) {
      mig[i] = uni(1, 3);
      nv("migration-threshold", std::to_string(mig[i]));
    }
    if (coin(0.2)) {
      fail_timeout[i] = uni(1, 3) * 60;
      nv("failure-timeout", std::to_string(fail_timeout[i]) + "s");
    }
    if (!meta.empty()) s += "<meta_attributes id=\"" + id + "-meta\">" + meta + "</meta_attributes>";
    static const char* on_fails[] = {"ignore", "block", "stop", "restart", "standby", "fence"};
    auto on_fail = [&]() -> std::string {
      if (!coin(gp.p_onfail)) return "";
      return std::string(" on-fail=\"") + on_fails[uni(0, 5)] + "\"";
    };
    std::string ops;
    if (gp.monitors) ops += "<op id=\"" + id + "-mon\" name=\"monitor\" interval=\"10s\"" + on_fail() + "/>";
    if (std::string f = on_fail(); !f.empty())
      ops += "<op id=\"" + id + "-start\" name=\"start\" interval=\"0\"" + f + "/>";
    if (coin(gp.p_onfail * 0.5))
      ops += std::string("<op id=\"") + id + "-stop\" name=\"stop\" interval=\"0\" on-fail=\"" +
             (coin(0.5) ? "block" : "ignore") + "\"/>";
    if (!ops.empty()) s += "<operations>" + ops + "</operations>";
    s += "</primitive>\n";
    names.push_back(id);
    return s;
  };
  int G = gp.groups;
  for (int gi = 0; gi < G && next + 2 <= M; ++gi) {
    int size = uni(2, 3);
    if (next + size > M) size = M - next;
    std::string gid = "g" + std::to_string(gi + 1);
    x += "<group id=\"" + gid + "\">";
    if (coin(0.3))
      x += "<meta_attributes id=\"" + gid + "-meta\"><nvpair id=\"" + gid +
           "-st\" name=\"resource-stickiness\" value=\"100\"/></meta_attributes>";
    x += "\n";
    for (int k = 0; k < size; ++k) {
      group_of[next] = gi;
      x += primitive(next++);
    }
    x += "</group>\n";
    tops.push_back(gid);
  }
  while (next < M) {
    tops.push_back("r" + std::to_string(next + 1));
    x += primitive(next++);
  }
  if (fencing)
    x += "<primitive id=\"fence1\" class=\"stonith\" type=\"fence_dummy\"/>\n";
  x += "</resources>\n<constraints>\n";
  auto any_rsc = [&]() { return coin(0.2) && G > 0 ? tops[uni(0, (int)tops.size() - 1)] : names[uni(0, M - 1)]; };
  int nloc = static_cast<int>(M * gp.loc_ratio), ncol = static_cast<int>(M * gp.coloc_ratio),
      nord = static_cast<int>(M * gp.order_ratio);
  for (int i = 0; i < nloc; ++i)
    x += "<rsc_location id=\"loc" + std::to_string(i) + "\" rsc=\"" + any_rsc() + "\" node=\"n" +
         std::to_string(uni(1, N)) + "\" score=\"" + score() + "\"/>\n";
  for (int i = 0; i < ncol; ++i) {
    // DAG over the resource list: dependent has the higher index.
    int a = uni(0, M - 1), b = uni(0, M - 1);
    if (a == b) continue;
    if (a < b) std::swap(a, b);
    std::string ra = names[a], rb = names[b];
    if (group_of[a] >= 0 && group_of[a] == group_of[b]) continue;
    x += "<rsc_colocation id=\"col" + std::to_string(i) + "\" rsc=\"" + ra + "\" with-rsc=\"" + rb + "\" score=\"" +
         score() + "\"/>\n";
  }
  for (int i = 0; i < nord; ++i) {
    int a = uni(0, M - 1), b = uni(0, M - 1);
    if (a == b) continue;
    if (a > b) std::swap(a, b);
    if (group_of[a] >= 0 && group_of[a] == group_of[b]) continue;
    static const char* kinds[] = {"Mandatory", "Optional", "Mandatory"};
    x += "<rsc_order id=\"ord" + std::to_string(i) + "\" first=\"" + names[a] + "\" then=\"" + names[b] +
         "\" kind=\"" + kinds[uni(0, 2)] + "\"/>\n";
  }
  x += "</constraints>\n</configuration>\n<status>\n";
  // Existing placement: running resources on online nodes.
  std::vector<std::vector<int>> on_node(N);
  for (int i = 0; i < M; ++i) {
    if (!coin(gp.p_running)) continue;
    int n = uni(0, N - 1);
    if (group_of[i] >= 0 && i > 0 && group_of[i - 1] == group_of[i] && !on_node.empty()) {
      // keep group members together most of the time
      for (int k = 0; k < N; ++k)
        for (int r : on_node[k])
          if (r == i - 1 && coin(0.9)) n = k;
    }
    if (offline[n]) continue;
    on_node[n].push_back(i);
  }
  int call = 10;
  for (int n = 0; n < N; ++n) {
    std::string id = std::to_string(n + 1), un = "n" + id;
    if (offline[n]) {
      x += "<node_state id=\"" + id + "\" uname=\"" + un +
           "\" in_ccm=\"false\" crmd=\"offline\" join=\"down\" expected=\"down\"/>\n";
      continue;
    }
    x += "<node_state id=\"" + id + "\" uname=\"" + un +
         "\" in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\">\n";
    std::string attrs;
    for (int i = 0; i < M; ++i) {
      if (!coin(gp.p_failcount)) continue;
      std::string r = names[i];
      int count = uni(1, 3);
      int64_t age = uni(0, 1) ? 30 : 600;
      attrs += "<nvpair id=\"st-" + id + "-fc-" + r + "\" name=\"fail-count-" + r + "#monitor_10000\" value=\"" +
               std::to_string(count) + "\"/>";
      attrs += "<nvpair id=\"st-" + id + "-lf-" + r + "\" name=\"last-failure-" + r + "#monitor_10000\" value=\"" +
               std::to_string(gp.now - age) + "\"/>";
    }
    // Operation history entries, shaped as the controller records them.
    std::string lrm, fails = attrs;
    auto op = [&](const std::string& r, const std::string& id_suffix, const std::string& task, int interval, int rc,
                  int status, int expected, int64_t changed) {
      std::string key = r + "_" + task + "_" + std::to_string(interval);
      const char* digest = interval == 10000 ? "4811cef7f7f94e3a35a70be7916cb2fd" : "f2317cad3d54cec5d7d7aa7d0bf35cf8";
      std::string tk = "1:1:" + std::to_string(expected) + ":gen";
      return "<lrm_rsc_op id=\"" + r + id_suffix + "\" operation_key=\"" + key + "\" operation=\"" + task +
             "\" crm-debug-origin=\"gen\" crm_feature_set=\"3.16.1\" transition-key=\"" + tk +
             "\" transition-magic=\"" + std::to_string(status) + ":" + std::to_string(rc) + ";" + tk +
             "\" exit-reason=\"\" on_node=\"" + un + "\" call-id=\"" + std::to_string(call++) + "\" rc-code=\"" +
             std::to_string(rc) + "\" op-status=\"" + std::to_string(status) + "\" interval=\"" +
             std::to_string(interval) + "\" last-rc-change=\"" + std::to_string(changed) +
             "\" exec-time=\"1\" queue-time=\"0\" op-digest=\"" + digest + "\"/>";
    };
    auto failcount = [&](const std::string& r, const std::string& opkey, const std::string& value, int64_t when) {
      if (fails.find("\"fail-count-" + r + "#" + opkey + "\"") != std::string::npos) return;  // one value per name
      fails += "<nvpair id=\"st-" + id + "-fc-" + r + "-" + opkey + "\" name=\"fail-count-" + r + "#" + opkey +
               "\" value=\"" + value + "\"/>";
      fails += "<nvpair id=\"st-" + id + "-lf-" + r + "-" + opkey + "\" name=\"last-failure-" + r + "#" + opkey +
               "\" value=\"" + std::to_string(when) + "\"/>";
    };
    static const int bad_rcs[] = {1, 7, 2, 5, 6, 1, 7};
    for (int i = 0; i < M; ++i) {
      bool running = std::find(on_node[n].begin(), on_node[n].end(), i) != on_node[n].end();
      int kind = 0;  // 0: plain start (running) or nothing
      if (coin(gp.p_history)) kind = running ? uni(1, 5) : uni(6, 9);
      if (!running && kind == 0) continue;
      std::string r = names[i], h;
      // Failures are either recent or an hour old (expired when failure-timeout is set).
      int64_t when = gp.now - (coin(0.3) ? 3600 : 20);
      int status_of_failure = coin(0.5) ? 0 : 4;
      switch (kind) {
        case 0: h = op(r, "_last_0", "start", 0, 0, 0, 0, gp.now - 3600); break;
        case 1: {  // failed recurring monitor
          int rc = bad_rcs[uni(0, 6)];
          h = op(r, "_last_0", "start", 0, 0, 0, 0, gp.now - 7200);
              h += op(r, "_monitor_10000", "monitor", 10000, rc, rc == 7 ? 0 : status_of_failure, 0, when);
              h += op(r, "_last_failure_0", "monitor", 10000, rc, rc == 7 ? 0 : status_of_failure, 0, when);
          failcount(r, "monitor_10000", std::to_string(uni(1, 3)), when);
          break;
        }
        case 2: {  // failed start where it was meant to run
          int rc = bad_rcs[uni(0, 6)];
          h = op(r, "_last_0", "start", 0, rc, status_of_failure, 0, when);
              h += op(r, "_last_failure_0", "start", 0, rc, status_of_failure, 0, when);
          failcount(r, "start_0", start_fatal ? "INFINITY" : "1", when);
          break;
        }
        case 3: {  // failed stop
          int rc = coin(0.7) ? 1 : 5;
          h = op(r, "_last_0", "stop", 0, rc, status_of_failure, 0, when);
              h += op(r, "_last_failure_0", "stop", 0, rc, status_of_failure, 0, when);
          failcount(r, "stop_0", "INFINITY", when);
          break;
        }
        case 4:  // a probe found it running
          h = op(r, "_last_0", "monitor", 0, 0, 0, 7, gp.now - 3600);
          break;
        case 5: {  // a probe failed
          int rc = coin(0.5) ? 1 : 6;
          h = op(r, "_last_0", "monitor", 0, rc, status_of_failure, 7, when);
              h += op(r, "_last_failure_0", "monitor", 0, rc, status_of_failure, 7, when);
          failcount(r, "monitor_0", "1", when);
          break;
        }
        case 6:  // probed, not running
          h = op(r, "_last_0", "monitor", 0, 7, 0, 7, gp.now - 3600);
          break;
        case 7:  // probe: not installed / invalid parameters here
          h = op(r, "_last_0", "monitor", 0, coin(0.7) ? 5 : 2, 0, 7, gp.now - 3600);
          break;
        case 8: {  // failed start, recovered by a stop
          int rc = bad_rcs[uni(0, 6)];
          h = op(r, "_last_failure_0", "start", 0, rc, status_of_failure, 0, when);
              h += op(r, "_last_0", "stop", 0, 0, 0, 0, when + 1);
          failcount(r, "start_0", start_fatal ? "INFINITY" : "1", when);
          break;
        }
        case 9: {  // failed monitor, recovered by a stop
          int rc = bad_rcs[uni(0, 6)];
          h = op(r, "_last_failure_0", "monitor", 10000, rc, status_of_failure, 0, when);
              h += op(r, "_last_0", "stop", 0, 0, 0, 0, when + 1);
          failcount(r, "monitor_10000", "1", when);
          break;
        }
      }
      lrm += "<lrm_resource id=\"" + r + "\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\">" + h +
             "</lrm_resource>\n";
    }
    if (!fails.empty())
      x += "<transient_attributes id=\"" + id + "\"><instance_attributes id=\"status-" + id + "\">" + fails +
           "</instance_attributes></transient_attributes>\n";
    x += "<lrm id=\"" + id + "\"><lrm_resources>\n" + lrm;
    x += "</lrm_resources></lrm>\n</node_state>\n";
  }
  x += "</status>\n</cib>\n";
  return x;
}

}  // namespace hactl::test
