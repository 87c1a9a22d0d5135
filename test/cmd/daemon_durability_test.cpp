// The live CIB under crashes: the DC's agent is killed (-9) at random moments
// while another node streams configuration writes; every write acknowledged
// with exit 0 must be on every node afterwards. And a corrupted cib.xml is
// detected by its checksum at start, the newest good backup used, loudly.
#include <doctest/doctest.h>

#include <random>
#include <set>

#include "test/cmd/loopback_cluster.h"

using hactl::test::Cluster;
using hactl::test::Run;

// Under sanitizers these kill-and-retry loops outrun ctest's timeout (the
// CLI's live edits retry for up to 30 s against agents several times slower):
// they run in the real build only.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSlowSanitizedBuild = true;
#else
constexpr bool kSlowSanitizedBuild = false;
#endif

TEST_CASE("DC killed during live configuration writes: no acknowledged change is lost" * doctest::skip(kSlowSanitizedBuild)) {
  Cluster c(3);
  for (int i = 1; i <= 3; ++i) REQUIRE(c.start(i).rc == 0);
  REQUIRE(c.wait_status(2, "Online: [ n1 n2 n3 ]", true, 5000));
  REQUIRE(c.on(2, "property set stonith-enabled=false").rc == 0);

  std::mt19937 rng(12345);
  std::set<int> acknowledged;
  int kills = 0, refused = 0;
  const int writes = 60;
  for (int k = 1; k <= writes; ++k) {
    // Every 6th write, kill the current DC (n1 while it lives: lowest id wins)
    // and restart it a random moment later.
    if (k % 6 == 0) {
      int dc = 1;
      c.kill9(dc);
      ++kills;
      std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 300));
    }
    Run r = c.on(2, "resource create R" + std::to_string(k) + " ocf:pacemaker:Dummy --disabled");
    if (r.rc == 0) acknowledged.insert(k);
    else ++refused;  // no DC for a moment, or a timeout: the CLI said so, nothing was promised
    if (k % 6 == 0) REQUIRE(c.start(1).rc == 0);
  }
  // Generous: sanitizer builds start and answer several times slower.
  REQUIRE(c.wait_status(1, "Online: [ n1 n2 n3 ]", true, 30000));
  MESSAGE(writes << " writes, " << kills << " kills of the DC, " << acknowledged.size() << " acknowledged, " << refused
                 << " refused while no DC answered");
  CHECK(acknowledged.size() >= writes / 2);
  // Every node converges on a CIB holding every acknowledged resource.
  for (int node = 1; node <= 3; ++node) {
    std::string config;
    for (int attempt = 0; attempt < 200; ++attempt) {  // up to 20 s (sanitizer builds are slow)
      config = c.on(node, "resource config").out;
      bool all = true;
      for (int k : acknowledged) all = all && config.find("Resource: R" + std::to_string(k) + " ") != std::string::npos;
      if (all) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    for (int k : acknowledged) {
      INFO("node n" << node << " resource R" << k);
      CHECK(config.find("Resource: R" + std::to_string(k) + " ") != std::string::npos);
    }
  }
  for (int i = 1; i <= 3; ++i) c.on(i, "cluster stop");
}

TEST_CASE("a corrupted cib.xml is detected and the newest good backup is used, loudly") {
  Cluster c(2);
  for (int i = 1; i <= 2; ++i) REQUIRE(c.start(i).rc == 0);
  REQUIRE(c.wait_status(1, "Online: [ n1 n2 ]", true, 5000));
  REQUIRE(c.on(1, "property set stonith-enabled=false").rc == 0);
  REQUIRE(c.on(1, "resource create Keep ocf:pacemaker:Dummy --disabled").rc == 0);
  REQUIRE(c.on(1, "property set batch-limit=7").rc == 0);
  for (int i = 1; i <= 2; ++i) REQUIRE(c.on(i, "cluster stop").rc == 0);
  // Flip one byte in the middle of n2's CIB.
  std::string path = c.s.path("r2/var/lib/hactl/cib.xml");
  std::string content = hactl::test::slurp(path);
  REQUIRE(content.size() > 200);
  content[content.size() / 2] ^= 0x20;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
  REQUIRE(c.start(2).rc == 0);
  std::string log = hactl::test::slurp(c.s.path("r2/var/log/hactl/hactl.log"));
  CHECK(log.find("checksum mismatch") != std::string::npos);
  CHECK(log.find("using backup") != std::string::npos);
  // The backup holds the previous version; the DC's newer one wins once both run.
  REQUIRE(c.start(1).rc == 0);
  CHECK(c.wait_output(2, "property", "batch-limit: 7", 5000));
  CHECK(c.on(2, "resource config").out.find("Resource: Keep") != std::string::npos);
  for (int i = 1; i <= 2; ++i) c.on(i, "cluster stop");
}
