// InboundAdmission on injected time: which bulk connections are closed, and
// why, as anonymous connections arrive, authenticate, idle and expire.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "net/inbound_admission.h"

using namespace hactl::net;

namespace {

const TimePoint t0{};
TimePoint at(int ms) { return t0 + Millis(ms); }

AdmissionLimits small() {
  AdmissionLimits l;
  l.per_source = 2;
  l.unauthenticated = 3;
  l.per_peer = 2;
  l.handshake_deadline = Millis(100);
  l.idle = Millis(1000);
  return l;
}

}  // namespace

TEST_CASE("admission: the caps close the oldest anonymous connection, of the source or overall") {
  struct Step {
    ConnectionId id;
    std::string source;
    std::vector<InboundClosure> closed;
  };
  struct Case {
    const char* name;
    std::vector<Step> steps;
    std::size_t unauthenticated_after;
  };
  const std::vector<Case> cases = {
      {"under the caps: nothing closed", {{1, "a", {}}, {2, "b", {}}}, 2},
      {"third from one source: its oldest goes",
       {{1, "a", {}}, {2, "a", {}}, {3, "a", {{1, InboundRefusal::source_cap}}}},
       2},
      {"fourth overall: the oldest of any source goes",
       {{1, "a", {}}, {2, "b", {}}, {3, "c", {}}, {4, "d", {{1, InboundRefusal::total_cap}}}},
       3},
      {"the per-source cap spares other sources",
       {{1, "b", {}}, {2, "a", {}}, {3, "a", {}}, {4, "a", {{2, InboundRefusal::source_cap}}}},
       3},
      {"both caps at once",
       {{1, "a", {}}, {2, "b", {}}, {3, "b", {}}, {4, "b", {{2, InboundRefusal::source_cap}}}, {5, "c", {{1, InboundRefusal::total_cap}}}},
       3},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    InboundAdmission a(small());
    for (const auto& s : c.steps) {
      CAPTURE(s.id);
      CHECK(a.accepted(s.id, s.source, t0) == s.closed);
    }
    CHECK(a.unauthenticated_count() == c.unauthenticated_after);
  }
}

TEST_CASE("admission: authenticated connections leave the anonymous places; a peer's oldest extra is closed") {
  InboundAdmission a(small());
  CHECK(a.accepted(1, "peer", t0).empty());
  CHECK(a.authenticated(1, 7, at(1)).empty());
  CHECK(a.is_authenticated(1));
  // The anonymous places are all free again: three junk connections fit.
  for (ConnectionId id = 2; id <= 3; ++id) CHECK(a.accepted(id, "junk", t0).empty());
  CHECK(a.accepted(4, "peer", t0).empty());
  CHECK(a.unauthenticated_count() == 3);
  CHECK(a.authenticated_count() == 1);
  // Two per peer: the third connection of node 7 closes its first.
  CHECK(a.authenticated(4, 7, at(2)).empty());
  CHECK(a.accepted(5, "peer", t0).empty());
  CHECK(a.authenticated(5, 7, at(3)) == std::vector<InboundClosure>{{1, InboundRefusal::peer_cap}});
  CHECK(a.authenticated_count() == 2);
  // Another node's connection is not affected.
  CHECK(a.accepted(6, "other", t0).empty());
  CHECK(a.authenticated(6, 8, at(4)).empty());
  CHECK(a.authenticated_count() == 3);
  // Unknown ids and kNoNode change nothing.
  CHECK(a.authenticated(99, 7, at(5)).empty());
  CHECK(a.accepted(7, "x", t0).empty());
  CHECK(a.authenticated(7, kNoNode, at(5)).empty());
  CHECK_FALSE(a.is_authenticated(7));
}

TEST_CASE("admission: the handshake deadline and the idle limit, on injected time") {
  InboundAdmission a(small());
  CHECK_FALSE(a.next_expiry());
  a.accepted(1, "a", at(0));
  a.accepted(2, "b", at(50));
  a.accepted(3, "c", at(60));
  CHECK(a.authenticated(3, 5, at(70)).empty());
  CHECK(a.next_expiry() == at(100));
  CHECK(a.expire(at(99)).empty());
  CHECK(a.expire(at(100)) == std::vector<InboundClosure>{{1, InboundRefusal::handshake_deadline}});
  CHECK(a.next_expiry() == at(150));
  CHECK(a.expire(at(200)) == std::vector<InboundClosure>{{2, InboundRefusal::handshake_deadline}});
  // Authenticated at 70: idle from then; a frame at 900 moves it to 1900.
  CHECK(a.next_expiry() == at(1070));
  a.active(3, at(900));
  CHECK(a.next_expiry() == at(1900));
  CHECK(a.expire(at(1899)).empty());
  CHECK(a.expire(at(1900)) == std::vector<InboundClosure>{{3, InboundRefusal::idle}});
  CHECK_FALSE(a.next_expiry());
  CHECK(a.unauthenticated_count() + a.authenticated_count() == 0);
}

TEST_CASE("admission: closed connections are forgotten; an anonymous one is never kept active") {
  InboundAdmission a(small());
  a.accepted(1, "a", at(0));
  a.active(1, at(90));  // frames before authentication do not extend the deadline
  CHECK(a.next_expiry() == at(100));
  a.closed(1);
  a.closed(1);
  CHECK_FALSE(a.next_expiry());
  CHECK(a.accepted(2, "a", at(0)).empty());
  CHECK(a.accepted(3, "a", at(0)).empty());
  a.closed(2);
  CHECK(a.accepted(4, "a", at(0)).empty());  // the place freed by the close
  CHECK(inbound_refusal_name(InboundRefusal::failed_authentication) == "failed_authentication");
  CHECK(inbound_refusal_name(InboundRefusal::count_) == "unknown");
}
