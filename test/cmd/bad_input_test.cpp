// Input that is not what the node agent expects — from a local client, from an
// agent's output, from a file or an argument — is refused or recorded, and no
// agent stops: a malformed IPC request (`{"op":5}`), a Latin-1 exit reason, a
// Latin-1 CIB value, a 0xff argument.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "test/cmd/loopback_cluster.h"

using hactl::test::Run;
using hactl::test::Scratch;

namespace {

// One request on the agent's socket exactly as given (no framing help), the
// whole answer back; empty when the agent did not answer.
std::string ipc_raw(const std::string& socket_path, const std::string& bytes) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  std::strncpy(sa.sun_path, socket_path.c_str(), sizeof sa.sun_path - 1);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0) {
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size())) {
      ::shutdown(fd, SHUT_WR);
      char buf[4096];
      ssize_t n;
      while ((n = ::read(fd, buf, sizeof buf)) > 0) answer.append(buf, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  return answer;
}

bool alive(int pid) { return pid > 1 && ::kill(pid, 0) == 0; }

}  // namespace

TEST_CASE("IPC: malformed requests get an error answer and the agent keeps running") {
  hactl::test::Cluster c(1);
  REQUIRE(c.start(1).rc == 0);
  REQUIRE(c.wait_status(1, "Online: [ n1 ]", 5000));
  const int pid = c.pid(1);
  const std::string sock = c.root(1) + "/run/hactl/hactl.sock";
  const char* requests[] = {
      "{\"op\":5}\n",
      "{\"op\":null}\n",
      "{\"op\":[\"ping\"]}\n",
      "[1,2,3]\n",
      "{\"op\":\"cib_replace\",\"cib\":5}\n",
      "{\"op\":\"cib_replace\",\"cib\":\"<cib/>\",\"base\":{\"a\":1}}\n",
      "{\"op\":\"ctl_cleanup\",\"rsc\":[1]}\n",
      "{\"op\":\"ctl_fence\",\"node\":{}}\n",
      "{\"op\":\"p\xff\"}\n",
      "{\"op\":\"status\"",  // cut short
  };
  for (const char* r : requests) {
    CAPTURE(r);
    std::string answer = ipc_raw(sock, r);
    CHECK(answer.find("\"ok\":false") != std::string::npos);
    CHECK(answer.find("\"code\":76") != std::string::npos);
    CHECK(alive(pid));
  }
  std::string pong = ipc_raw(sock, "{\"op\":\"ping\"}\n");
  CHECK(pong.find("\"ok\":true") != std::string::npos);
  CHECK(c.on(1, "property set batch-limit=5").rc == 0);
  CHECK(c.pid(1) == pid);
}

TEST_CASE("a Latin-1 exit reason is recorded as a failure, and every agent keeps running") {
  hactl::test::Cluster c(2);
  // An OCF agent in the nodes' OCF root that fails its monitor with a Latin-1
  // exit reason, as agents print it on French systems.
  for (int i = 1; i <= 2; ++i) {
    std::string dir = c.root(i) + "/usr/lib/ocf/resource.d/test";
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/latin1") << "#!/bin/sh\n"
                                      "case \"$1\" in\n"
                                      "start) touch \"" + c.root(i) + "/latin1.state\"; exit 0;;\n"
                                      "stop) rm -f \"" + c.root(i) + "/latin1.state\"; exit 0;;\n"
                                      "monitor) [ -f \"" + c.root(i) + "/latin1.state\" ] || exit 7\n"
                                      "  printf 'ocf-exit-reason:Fichier caf\\351 introuvable\\n' >&2; exit 1;;\n"
                                      "meta-data) echo '<resource-agent name=\"latin1\"><parameters/><actions/></resource-agent>'; exit 0;;\n"
                                      "*) exit 0;;\n"
                                      "esac\n";
    std::filesystem::permissions(dir + "/latin1", std::filesystem::perms::owner_all);
  }
  for (int i = 1; i <= 2; ++i) REQUIRE(c.start(i).rc == 0);
  REQUIRE(c.wait_status(1, "Online: [ n1 n2 ]", 5000));
  const int p1 = c.pid(1), p2 = c.pid(2);
  REQUIRE(c.on(1, "property set stonith-enabled=false").rc == 0);
  REQUIRE(c.on(1, "resource create L ocf:test:latin1 op monitor interval=1s meta migration-threshold=1 --force").rc == 0);
  // The failure is recorded with the reason made valid UTF-8 (U+FFFD for the byte).
  CHECK(c.wait_output(1, "status --full", "introuvable", 15000));
  Run st = c.on(2, "status --output-as json");
  CHECK(st.rc == 0);
  CHECK(alive(p1));
  CHECK(alive(p2));
  CHECK(c.log(1).find("terminate called") == std::string::npos);
  CHECK(c.log(2).find("terminate called") == std::string::npos);
}

TEST_CASE("a CIB that is not UTF-8 and a 0xff argument are refused with an Error, nothing changed") {
  Scratch s;
  Run made = s.hactl("-f cib.xml resource create D ocf:pacemaker:Dummy");
  REQUIRE(made.rc == 0);
  std::string before = hactl::test::slurp(s.path("cib.xml"));
  // A hand-edited value in Latin-1.
  REQUIRE(s.sh("sed 's/<primitive id=\"D\"/<primitive description=\"caf\\xe9\" id=\"D\"/' cib.xml > latin1.xml").rc == 0);
  REQUIRE(hactl::test::slurp(s.path("latin1.xml")).find('\xe9') != std::string::npos);
  Run cfg = s.hactl("-f latin1.xml property config --output-as json");
  CHECK(cfg.rc == 65);
  CHECK(cfg.err.find("Error: ") != std::string::npos);
  CHECK(cfg.err.find("UTF-8") != std::string::npos);
  Run push = s.hactl("-f cib.xml cluster cib-push latin1.xml");
  CHECK(push.rc == 65);
  CHECK(hactl::test::slurp(s.path("cib.xml")) == before);

  Run arg = s.sh(hactl::test::quote(HACTL_BINARY) + " -f cib.xml resource create $(printf 'X\\377') ocf:pacemaker:Dummy");
  CHECK(arg.rc == 2);
  CHECK(arg.err.find("Error: argument") != std::string::npos);
  CHECK(arg.err.find("not valid UTF-8") != std::string::npos);
  Run val = s.sh(hactl::test::quote(HACTL_BINARY) + " -f cib.xml resource update D fake=$(printf 'caf\\351')");
  CHECK(val.rc == 2);
  CHECK(hactl::test::slurp(s.path("cib.xml")) == before);
}
