// Who may do what on a node: haclient members reach the agent's socket (its
// run directory included); a destroy that removes nothing fails and says so;
// -f FILE never touches the node's live configuration or its agent; the
// detached agent does not keep the caller's working directory.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "test/cmd/loopback_cluster.h"
#include "test/cmd/offline_cib.h"

using hactl::test::Cluster;
using hactl::test::Run;
using hactl::test::Scratch;

namespace {

constexpr int kHaclientGid = 4242;

// A shell prefix running what follows as nobody, with the given supplementary groups.
std::string as_nobody(const std::string& groups) {
  std::string cmd = "setpriv --reuid=65534 --regid=65534 ";
  if (groups.empty()) cmd += "--clear-groups ";
  else cmd += "--groups=" + groups + " ";
  return cmd;
}

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

}  // namespace

TEST_CASE("permissions: haclient members reach the agent through its run directory; the agent runs from /") {
  Cluster c(1);
  ::chmod(c.s.dir().c_str(), 0755);  // mkdtemp's 0700 would hide everything from the test user
  REQUIRE(c.s.sh("printf 'root:x:0:\\nhaclient:x:" + std::to_string(kHaclientGid) + ":\\n' > r1/etc/group").rc == 0);
  REQUIRE(c.start(1).rc == 0);
  REQUIRE(c.wait_status(1, "Online: [ n1 ]", 5000));

  struct stat dir {}, sock {};
  REQUIRE(::stat((c.root(1) + "/run/hactl").c_str(), &dir) == 0);
  REQUIRE(::stat((c.root(1) + "/run/hactl/hactl.sock").c_str(), &sock) == 0);
  CHECK(dir.st_gid == kHaclientGid);
  CHECK((dir.st_mode & 07777) == 0750);
  CHECK(sock.st_gid == kHaclientGid);
  CHECK((sock.st_mode & 07777) == 0660);

  // `cluster start` ran in the scratch directory; the agent must not hold it.
  std::error_code ec;
  auto cwd = std::filesystem::read_symlink("/proc/" + std::to_string(c.pid(1)) + "/cwd", ec);
  CHECK_FALSE(ec);
  CHECK(cwd == "/");

  if (!hactl::test::have("setpriv")) {
    MESSAGE("setpriv not installed: the haclient member checks were not run");
  } else {
    std::string env = "env HACTL_ROOT=" + c.root(1) + " " + hactl::test::quote(HACTL_BINARY) + " ";
    Run member = c.s.sh(as_nobody(std::to_string(kHaclientGid)) + env + "status");
    INFO(member.err);
    CHECK(member.rc == 0);
    CHECK(has(member.out, "Online: [ n1 ]"));
    Run other = c.s.sh(as_nobody("") + env + "status");
    CHECK(other.rc != 0);
    CHECK_FALSE(has(other.out, "Online"));
  }
  CHECK(c.on(1, "cluster stop").rc == 0);
}

TEST_CASE("permissions: a destroy that removes nothing fails and says so") {
  Scratch s;
  Run nothing = s.hactl("cluster destroy --force");
  CHECK(nothing.rc == 6);
  CHECK(nothing.err.rfind("Error: nothing to remove", 0) == 0);
  CHECK_FALSE(has(nothing.err, "Removed"));

  REQUIRE(s.hactl("cluster setup W n1 addr=10.0.0.1 n2 addr=10.0.0.2").rc == 0);
  ::chmod(s.dir().c_str(), 0755);
  if (!hactl::test::have("setpriv")) {
    MESSAGE("setpriv not installed: the unprivileged destroy was not run");
  } else {
    Run denied = s.sh(as_nobody("") + hactl::test::quote(HACTL_BINARY) + " cluster destroy --force");
    CHECK(denied.rc == 4);
    CHECK(denied.err.rfind("Error: ", 0) == 0);
    CHECK(has(denied.err, "nothing was removed"));
    CHECK_FALSE(has(denied.err, "Removed"));
    for (const char* f : {"root/etc/hactl/authkey", "root/etc/hactl/cluster.conf", "root/var/lib/hactl/cib.xml"})
      CHECK(std::filesystem::exists(s.path(f)));
  }
  Run removed = s.hactl("cluster destroy --force");
  CHECK(removed.rc == 0);
  CHECK(has(removed.err, "Removed"));
  CHECK_FALSE(std::filesystem::exists(s.path("root/etc/hactl/authkey")));
}

TEST_CASE("permissions: -f FILE never touches the node's live configuration or agent") {
  Scratch s;
  // pcs refuses -f for setup; so does hactl, writing neither the file nor the node's configuration.
  Run setup = s.hactl("-f cib.xml cluster setup W n1 addr=10.0.0.1 n2 addr=10.0.0.2");
  CHECK(setup.rc == 64);
  CHECK(has(setup.err, "Error: Specified option '-f'"));
  CHECK_FALSE(std::filesystem::exists(s.path("cib.xml")));
  CHECK_FALSE(std::filesystem::exists(s.path("root/etc/hactl")));
  CHECK_FALSE(std::filesystem::exists(s.path("root/var/lib/hactl")));
  REQUIRE(hactl::test::setup_cib_file(s, "W n1 addr=10.0.0.1 n2 addr=10.0.0.2", "cib.xml").rc == 0);

  // A node that is set up, to show that -f does not reach it.
  REQUIRE(s.hactl("cluster setup W n1 addr=127.0.0.1:" + std::to_string(21000 + ::getpid() % 20000) + " n2 addr=10.0.0.2").rc == 0);
  std::string key = hactl::test::slurp(s.path("root/etc/hactl/authkey"));
  REQUIRE(key.size() == 32);
  const std::string cib_before = hactl::test::slurp(s.path("cib.xml"));
  Run again = s.hactl("-f cib.xml cluster setup V n1 addr=10.0.0.1 --force");
  CHECK(again.rc == 64);
  CHECK(hactl::test::slurp(s.path("cib.xml")) == cib_before);
  CHECK(hactl::test::slurp(s.path("root/etc/hactl/authkey")) == key);
  CHECK(has(hactl::test::slurp(s.path("root/etc/hactl/cluster.conf")), "cluster_name = W"));

  for (const char* cmd : {"cluster start", "cluster stop", "cluster kill", "cluster status", "cluster destroy --force",
                          "stonith fence n2", "resource restart A", "daemon --foreground"}) {
    Run r = s.hactl(std::string("-f cib.xml ") + cmd);
    INFO(cmd << "\n" << r.err);
    CHECK(r.rc == 64);
    CHECK(r.err.rfind("Error: Specified option '-f'", 0) == 0);
  }
  CHECK_FALSE(std::filesystem::exists(s.path("root/run/hactl/hactl.sock")));
  CHECK_FALSE(std::filesystem::exists(s.path("root/run/hactl/hactl.pid")));
  CHECK(hactl::test::slurp(s.path("root/etc/hactl/authkey")) == key);
}
