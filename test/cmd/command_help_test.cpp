// Help comes from the command table: every group and every command prints its
// own usage, and every command in the table is one the CLI runs.
#include <doctest/doctest.h>

#include <set>

#include "cmd/command_table.h"
#include "test/cmd/cli_harness.h"

using hactl::test::Run;
using hactl::test::Scratch;

namespace {
bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }
}  // namespace

TEST_CASE("help: each group and command prints its own usage, options and an example") {
  Scratch s;
  Run top = s.hactl("--help");
  CHECK(top.rc == 0);
  for (const char* cmd : {"restart", "why", "refresh", "debug-start", "debug-validate", "kill", "move-with-constraint"})
    CHECK_MESSAGE(has(top.out, cmd), cmd);

  Run rsc = s.hactl("resource --help");
  CHECK(rsc.rc == 0);
  CHECK(rsc.out.rfind("Usage: hactl resource COMMAND", 0) == 0);
  CHECK(rsc.out != top.out);
  Run create = s.hactl("resource create --help");
  CHECK(create.rc == 0);
  CHECK(create.out.rfind("Usage: hactl resource create RESOURCE_ID", 0) == 0);
  CHECK(has(create.out, "--no-default-ops"));
  CHECK(has(create.out, "Example:\n    hactl resource create "));
  Run setup = s.hactl("cluster setup --help");
  CHECK(setup.out.rfind("Usage: hactl cluster setup CLUSTER_NAME NODE", 0) == 0);
  CHECK(s.hactl("help cluster setup").out == setup.out);
  CHECK(s.hactl("-h cluster setup").out == setup.out);

  for (const auto& g : hactl::cmd::command_groups()) {
    Run gh = s.hactl(std::string(g.name) + " --help");
    INFO(g.name);
    CHECK(gh.rc == 0);
    CHECK(gh.out.rfind("Usage: hactl " + std::string(g.name), 0) == 0);
    for (const auto& c : g.commands) {
      std::string name = hactl::cmd::names_of(c)[0];
      Run ch = s.hactl(std::string(g.name) + " " + name + " --help");
      INFO(name);
      CHECK(ch.rc == 0);
      CHECK(ch.out.rfind("Usage: hactl " + std::string(g.name) + " " + name, 0) == 0);
      CHECK(has(ch.out, "Example:\n    hactl "));
    }
  }
}

TEST_CASE("help: a mistyped command gets 'did you mean', exit 64, and runs nothing") {
  Scratch s;
  struct Typo {
    const char* args;
    const char* guess;
  };
  for (Typo t : {Typo{"resourc status", "did you mean 'resource'?"}, Typo{"resource mvoe A", "did you mean 'resource move'?"},
                 Typo{"cluster stpo", "did you mean 'cluster stop'?"}, Typo{"constraint locaton A prefers n1", "'constraint location'"},
                 Typo{"-f cib.xml resource craete A ocf:pacemaker:Dummy", "'resource create'"}}) {
    Run r = s.hactl(t.args);
    INFO(t.args << "\n" << r.err);
    CHECK(r.rc == 64);
    CHECK(r.err.rfind("Error: unknown ", 0) == 0);
    CHECK(has(r.err, t.guess));
  }
  CHECK_FALSE(has(s.hactl("frobnicate").err, "did you mean"));
  CHECK_FALSE(hactl::test::have("test -e " + s.path("cib.xml")));
}

TEST_CASE("help: every command of the table is dispatched; man page and completion list them all") {
  Scratch s;
  Run man = s.hactl("__man"), comp = s.hactl("__complete");
  CHECK(man.out.rfind(".TH HACTL 8", 0) == 0);
  CHECK(has(comp.out, "complete -F _hactl hactl"));
  // Clone commands are another change's; the table already carries their help.
  const std::set<std::string> elsewhere = {"clone", "promotable", "unclone"};
  for (const auto& g : hactl::cmd::command_groups())
    for (const auto& c : g.commands)
      for (const std::string& name : hactl::cmd::names_of(c)) {
        std::string cmd = std::string(g.name) + " " + name;
        INFO(cmd);
        CHECK(has(comp.out, name + " "));
        if (elsewhere.count(name)) continue;
        Run r = s.hactl("-f cib.xml " + cmd);
        CHECK_FALSE(has(r.err, "unknown " + std::string(g.name) + " command"));
        CHECK_FALSE(has(r.err, "unknown command"));
      }
  CHECK(has(man.out, "resource debug\\-validate"));
}
