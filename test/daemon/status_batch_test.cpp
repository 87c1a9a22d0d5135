// StatusBatch on a real io_context: edits of a burst become one commit, in order.
#include "cmd/daemon/status_batch.h"

#include <doctest/doctest.h>

#include <chrono>

using hactl::cmd::daemon::StatusBatch;
using hactl::core::CibDocument;

namespace {

struct Fixture {
  asio::io_context io;
  CibDocument cib = CibDocument::empty();
  std::vector<std::string> whys;
  StatusBatch batch{io, std::chrono::milliseconds(5), [this]() -> const CibDocument& { return cib; },
                    [this](CibDocument doc, const std::string& why) {
                      if (refuse > 0) {
                        --refuse;
                        return false;
                      }
                      cib = std::move(doc);
                      whys.push_back(why);
                      if (reenter) batch.flush();  // a listener of the commit reading the CIB
                      return true;
                    },
                    std::chrono::milliseconds(20)};
  int refuse = 0;  // the next N commits fail (a full disk)
  bool reenter = false;
  // Appends `v` to the root's "trace" attribute: shows order and count of edits.
  StatusBatch::Edit append(const std::string& v) {
    return [v](CibDocument& d) {
      const char* old = d.root()->Attribute("trace");
      d.root()->SetAttribute("trace", ((old ? std::string(old) : std::string()) + v).c_str());
    };
  }
  std::string trace() const {
    const char* t = cib.root()->Attribute("trace");
    return t ? t : "";
  }
};

}  // namespace

TEST_CASE("status batch: a burst of edits is one commit after the window, applied in order") {
  Fixture f;
  f.batch.add(f.append("a"), "result of a");
  f.batch.add(f.append("b"), "result of b");
  f.batch.add(f.append("c"), "result of c");
  CHECK(f.trace().empty());  // nothing written before the window ends
  CHECK(f.batch.pending() == 3);
  f.io.run_for(std::chrono::milliseconds(50));
  CHECK(f.trace() == "abc");
  CHECK(f.batch.commits() == 1);
  REQUIRE(f.whys.size() == 1);
  CHECK(f.whys[0] == "3 edits (result of a, ...)");

  f.io.restart();
  f.batch.add(f.append("d"), "result of d");
  f.io.run_for(std::chrono::milliseconds(50));
  CHECK(f.trace() == "abcd");
  CHECK(f.batch.commits() == 2);
  CHECK(f.whys.back() == "result of d");
}

TEST_CASE("status batch: flush commits at once (a reader sees every result); drop forgets") {
  Fixture f;
  f.batch.add(f.append("a"), "a");
  f.batch.flush();
  CHECK(f.trace() == "a");
  f.batch.flush();  // nothing pending: no empty version
  CHECK(f.batch.commits() == 1);

  f.batch.add(f.append("b"), "b");
  f.batch.drop();
  f.io.run_for(std::chrono::milliseconds(30));
  CHECK(f.trace() == "a");
  CHECK(f.batch.commits() == 1);
  CHECK(f.batch.pending() == 0);
}

TEST_CASE("status batch: a commit that fails keeps its edits and retries them, in order, until it is durable") {
  Fixture f;
  f.refuse = 2;
  f.batch.add(f.append("a"), "a");
  f.batch.flush();
  CHECK(f.batch.failing());
  CHECK(f.batch.pending() == 1);
  CHECK(f.trace().empty());
  f.batch.add(f.append("b"), "b");  // later edits queue behind
  for (int i = 0; i < 200 && f.batch.failures() < 2; ++i) f.io.run_one_for(std::chrono::milliseconds(5));
  CHECK(f.batch.failures() == 2);  // the retry failed too
  CHECK(f.trace().empty());
  for (int i = 0; i < 200 && f.batch.failing(); ++i) f.io.run_one_for(std::chrono::milliseconds(5));
  CHECK_FALSE(f.batch.failing());
  CHECK(f.batch.pending() == 0);
  CHECK(f.trace() == "ab");
  CHECK(f.batch.commits() == 1);
}

TEST_CASE("status batch: a commit whose listener reads the CIB (flushing again) finds nothing pending") {
  Fixture f;
  f.reenter = true;  // before the fix this recursed until the stack ran out
  f.batch.add(f.append("a"), "a");
  f.batch.flush();
  CHECK(f.trace() == "a");
  CHECK(f.batch.commits() == 1);
  CHECK(f.batch.pending() == 0);
}
