#include <doctest/doctest.h>

#include "net/replay_window.h"

using namespace hactl::net;

TEST_CASE("replay window: table of (boot, seq) after a history") {
  struct Case {
    std::uint64_t boot, seq;
    ReplayVerdict expect;
  };
  // History accepted: boot 5, seqs 1..10 except 7, then 200.
  ReplayWindow w;
  for (std::uint64_t s = 1; s <= 10; ++s)
    if (s != 7) w.commit(5, s);
  CHECK(w.check(5, 7) == ReplayVerdict::fresh);  // reordered, still in window
  w.commit(5, 200);
  const Case cases[] = {
      {5, 200, ReplayVerdict::replayed},   {5, 10, ReplayVerdict::replayed},  {5, 7, ReplayVerdict::fresh},
      {5, 201, ReplayVerdict::fresh},      {4, 999, ReplayVerdict::stale_boot}, {6, 1, ReplayVerdict::fresh},
      {5, 0, ReplayVerdict::too_old},      {6, 0, ReplayVerdict::too_old},
  };
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    CAPTURE(i);
    CHECK(w.check(cases[i].boot, cases[i].seq) == cases[i].expect);
  }
  w.commit(5, 300);  // moves the window: seq 10 now 290 behind
  CHECK(w.check(5, 10) == ReplayVerdict::too_old);
  CHECK(w.check(5, 300 - ReplayWindow::kWindow + 1) == ReplayVerdict::fresh);
  CHECK(w.check(5, 300 - ReplayWindow::kWindow) == ReplayVerdict::too_old);
  CHECK(w.check(5, 200) == ReplayVerdict::replayed);  // bit survived the shift
}

TEST_CASE("replay window: a new boot resets, an old boot is refused forever") {
  ReplayWindow w;
  w.commit(1, 50);
  w.commit(2, 1);
  CHECK(w.boot() == 2);
  CHECK(w.highest() == 1);
  CHECK(w.check(2, 50) == ReplayVerdict::fresh);
  CHECK(w.check(1, 51) == ReplayVerdict::stale_boot);
  CHECK(w.check(2, 1) == ReplayVerdict::replayed);
}

TEST_CASE("replay window: a jump larger than the window clears the bitmap") {
  ReplayWindow w;
  w.commit(1, 1);
  w.commit(1, 1 + 10 * ReplayWindow::kWindow);
  CHECK(w.check(1, 1 + 10 * ReplayWindow::kWindow) == ReplayVerdict::replayed);
  CHECK(w.check(1, 10 * ReplayWindow::kWindow) == ReplayVerdict::fresh);  // never seen, in window
  CHECK(w.check(1, 1) == ReplayVerdict::too_old);
}
