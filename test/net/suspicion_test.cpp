#include <doctest/doctest.h>

#include "net/suspicion.h"

using namespace hactl::net;

TEST_CASE("suspicion arithmetic: min timeout, retransmit limit, expected confirmations") {
  struct MinCase {
    std::size_t n;
    long expect_ms;
  };
  const MinCase mins[] = {{0, 200}, {1, 200}, {2, 200}, {10, 200}, {100, 400}, {500, 539}, {1000, 600}};
  for (const auto& c : mins) {
    CAPTURE(c.n);
    CHECK(suspicion_min_timeout(Millis(200), c.n).count() == c.expect_ms);
  }
  struct LimitCase {
    std::size_t n;
    int expect;
  };
  const LimitCase limits[] = {{1, 4}, {2, 4}, {9, 4}, {10, 8}, {99, 8}, {100, 12}, {500, 12}};
  for (const auto& c : limits) {
    CAPTURE(c.n);
    CHECK(retransmit_limit(4, c.n) == c.expect);
  }
  CHECK(expected_confirmations(2, 2) == 0);
  CHECK(expected_confirmations(2, 3) == 0);
  CHECK(expected_confirmations(2, 4) == 2);
  CHECK(expected_confirmations(3, 100) == 3);
}

TEST_CASE("suspicion timeout shrinks logarithmically with confirmations, never below min") {
  struct Case {
    int c, k;
    long expect_ms;
  };
  // min 200, max 600: 600 - 400 * ln(c+1)/ln(k+1)
  const Case cases[] = {{0, 3, 600}, {1, 3, 400}, {2, 3, 283}, {3, 3, 200}, {5, 3, 200},
                        {0, 0, 200}, {0, 1, 600}, {1, 1, 200}, {1, 2, 347}, {2, 2, 200}};
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    CAPTURE(i);
    CHECK(suspicion_timeout(cases[i].c, cases[i].k, Millis(200), Millis(600)).count() == cases[i].expect_ms);
  }
}

TEST_CASE("suspicion counts each confirmer once and moves its deadline") {
  const TimePoint t0{};
  Suspicion s(7, 2, Millis(200), Millis(600), t0);
  CHECK(s.deadline() == t0 + Millis(600));
  CHECK_FALSE(s.confirm(7));  // the accuser does not confirm itself
  CHECK(s.confirm(8));
  CHECK_FALSE(s.confirm(8));
  CHECK(s.deadline() == t0 + Millis(347));
  CHECK(s.confirm(9));
  CHECK(s.deadline() == t0 + Millis(200));
  CHECK_FALSE(s.confirm(10));  // k reached
  CHECK(s.confirmations() == 2);
}

TEST_CASE("awareness scales timeouts and stays within [0, max-1]") {
  Awareness a(8);
  CHECK(a.scale(Millis(100)) == Millis(100));
  a.apply(3);
  CHECK(a.scale(Millis(100)) == Millis(400));
  a.apply(100);
  CHECK(a.score() == 7);
  a.apply(-100);
  CHECK(a.score() == 0);
}
