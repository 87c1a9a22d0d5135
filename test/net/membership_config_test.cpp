#include <doctest/doctest.h>

#include "net/membership_config.h"

using namespace hactl::net;

TEST_CASE("cluster members validation") {
  ClusterMembers ok;
  ok.nodes = {{1, "a", "10.0.0.1", 0}, {2, "b", "fe80::2", 0}, {3, "c", "10.0.0.1", 5411}};
  CHECK(validate(ok).is_ok());
  struct Case {
    const char* name;
    std::vector<NodeAddress> nodes;
    const char* needle;
  };
  const Case cases[] = {
      {"empty", {}, "no nodes"},
      {"id 0", {{0, "a", "10.0.0.1", 0}}, "1 or more"},
      {"dup id", {{1, "a", "10.0.0.1", 0}, {1, "b", "10.0.0.2", 0}}, "used twice"},
      {"dup name", {{1, "a", "10.0.0.1", 0}, {2, "a", "10.0.0.2", 0}}, "unique"},
      {"hostname", {{1, "a", "node-a.example", 0}}, "not a numeric"},
      {"same endpoint", {{1, "a", "10.0.0.1", 5410}, {2, "b", "10.0.0.1", 0}}, "another node"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    ClusterMembers m;
    m.nodes = c.nodes;
    const auto st = validate(m);
    CHECK_FALSE(st.is_ok());
    CHECK(st.message().find(c.needle) != std::string::npos);
  }
}

TEST_CASE("membership config validation") {
  CHECK(validate(MembershipConfig{}).is_ok());
  MembershipConfig c;
  c.probe_timeout = c.probe_interval;
  CHECK_FALSE(validate(c).is_ok());
  c = MembershipConfig{};
  c.gossip_fanout = 0;
  CHECK_FALSE(validate(c).is_ok());
  c = MembershipConfig{};
  c.suspicion_base = Millis(0);
  CHECK_FALSE(validate(c).is_ok());
}
