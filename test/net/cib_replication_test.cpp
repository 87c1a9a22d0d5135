#include <doctest/doctest.h>

#include "net/cib_replication.h"
#include "net/frame_guard.h"
#include "net/stream_framing.h"

using namespace hactl::net;

TEST_CASE("cib messages round-trip and refuse truncation and trailing bytes") {
  const std::vector<CibMessage> msgs = {
      CibVersionQuery{7},
      CibVersionReport{7, CibVersion{1, 22, 3}},
      CibFetch{8},
      CibFull{8, CibVersion{0, 5, 0}, std::string("<cib epoch=\"5\"/>\0binary", 23)},
      CibFull{0, CibVersion{}, ""},
      CibChangeRequest{9, "set property x=y"},
      CibChangeReply{9, 105, "no such resource", CibVersion{0, 6, 0}},
      CibChangeReply{10, -1, "", CibVersion{-1, 0, 0}},
      CibStatusDelta{CibVersion{0, 6, 1}, CibVersion{0, 6, 2}, "<status_delta><root/></status_delta>"},
  };
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    CAPTURE(i);
    const Bytes b = encode_cib_message(msgs[i]);
    CHECK(b[0] == msgs[i].index() + 1);
    auto back = decode_cib_message(b);
    REQUIRE(back);
    CHECK(*back == msgs[i]);
    for (std::size_t cut = 0; cut < b.size(); ++cut) CHECK_FALSE(decode_cib_message(ByteView(b).first(cut)));
    Bytes longer = b;
    longer.push_back(1);
    CHECK_FALSE(decode_cib_message(longer));
  }
  CHECK_FALSE(decode_cib_message(Bytes{0}));
  CHECK_FALSE(decode_cib_message(Bytes{8, 0, 0, 0, 0, 0, 0, 0, 1}));  // no such type
  CHECK_FALSE(decode_cib_message(Bytes{7, 0, 0, 0, 0, 0, 0, 0, 1}));  // a delta cut short
  // A blob length beyond the input is refused without allocating it.
  CHECK_FALSE(decode_cib_message(Bytes{5, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 'x'}));
}

TEST_CASE("plan_sync: the highest (admin_epoch, epoch, num_updates) wins") {
  using V = CibVersion;
  struct Case {
    const char* name;
    V own;
    std::map<NodeId, V> reported;
    SyncPlan expect;
  };
  const Case cases[] = {
      {"all equal", {0, 5, 1}, {{2, {0, 5, 1}}, {3, {0, 5, 1}}}, {std::nullopt, {0, 5, 1}, {}}},
      {"DC newest", {0, 6, 0}, {{2, {0, 5, 9}}, {3, {0, 6, 0}}}, {std::nullopt, {0, 6, 0}, {2}}},
      {"member newer", {0, 5, 0}, {{2, {0, 5, 0}}, {3, {0, 7, 0}}}, {NodeId{3}, {0, 7, 0}, {2}}},
      {"admin_epoch dominates", {0, 99, 99}, {{2, {1, 0, 0}}, {3, {0, 100, 0}}}, {NodeId{2}, {1, 0, 0}, {3}}},
      {"num_updates breaks epoch ties", {0, 5, 2}, {{4, {0, 5, 3}}}, {NodeId{4}, {0, 5, 3}, {}}},
      {"tie between members: lowest id", {0, 1, 0}, {{3, {0, 2, 0}}, {2, {0, 2, 0}}}, {NodeId{2}, {0, 2, 0}, {}}},
      {"tie with the DC: DC keeps its copy", {0, 2, 0}, {{2, {0, 2, 0}}}, {std::nullopt, {0, 2, 0}, {}}},
      {"alone", {0, 1, 0}, {}, {std::nullopt, {0, 1, 0}, {}}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(plan_sync(1, c.own, c.reported) == c.expect);
  }
}

TEST_CASE("decide_push: only from the DC, never backwards") {
  const CibVersion v5{0, 5, 0}, v6{0, 6, 0};
  CHECK(decide_push(v5, v6, 1, NodeId{1}) == PushVerdict::adopt);
  CHECK(decide_push(v5, v5, 1, NodeId{1}) == PushVerdict::same);
  CHECK(decide_push(v6, v5, 1, NodeId{1}) == PushVerdict::older);
  CHECK(decide_push(v5, v6, 2, NodeId{1}) == PushVerdict::not_from_dc);
  CHECK(decide_push(v5, v6, 2, std::nullopt) == PushVerdict::not_from_dc);
}

TEST_CASE("decide_delta: only from the DC, only on the base it names") {
  const CibStatusDelta d{CibVersion{0, 4, 2}, CibVersion{0, 4, 3}, "x"};
  CHECK(decide_delta(CibVersion{0, 4, 2}, d, 1, NodeId{1}) == DeltaVerdict::apply);
  CHECK(decide_delta(CibVersion{0, 4, 2}, d, 2, NodeId{1}) == DeltaVerdict::not_from_dc);
  CHECK(decide_delta(CibVersion{0, 4, 2}, d, 1, std::nullopt) == DeltaVerdict::not_from_dc);
  CHECK(decide_delta(CibVersion{0, 4, 3}, d, 1, NodeId{1}) == DeltaVerdict::same);
  CHECK(decide_delta(CibVersion{0, 4, 1}, d, 1, NodeId{1}) == DeltaVerdict::report);  // behind: a delta lost
  CHECK(decide_delta(CibVersion{0, 5, 0}, d, 1, NodeId{1}) == DeltaVerdict::report);  // newer: the DC fetches it
  // A delta that goes nowhere (or backwards) is never applied.
  CHECK(decide_delta(CibVersion{0, 4, 2}, CibStatusDelta{CibVersion{0, 4, 2}, CibVersion{0, 4, 2}, "x"}, 1, NodeId{1}) !=
        DeltaVerdict::apply);
  CHECK(decide_delta(CibVersion{0, 4, 2}, CibStatusDelta{CibVersion{0, 4, 2}, CibVersion{0, 3, 9}, "x"}, 1, NodeId{1}) ==
        DeltaVerdict::report);
}

TEST_CASE("stream framing: sealed CIB frames reassembled from any chunking") {
  REQUIRE(ensure_sodium().is_ok());
  KeyBytes key{};
  key.fill(5);
  FrameSealer sealer(Channel::bulk, key, 2, 1, 9);
  FrameGuard guard(Channel::bulk, key, 1, {1, 2}, kMaxBulkFrameBytes);
  std::vector<CibMessage> sent = {CibFull{0, CibVersion{0, 3, 1}, std::string(100000, 'x')},
                                  CibChangeReply{4, 0, "ok", CibVersion{0, 3, 2}}, CibVersionQuery{5}};
  Bytes stream;
  for (const auto& m : sent) {
    const Bytes f = encode_stream_frame(sealer.seal(encode_cib_message(m)));
    stream.insert(stream.end(), f.begin(), f.end());
  }
  for (std::size_t chunk : {1, 7, 4096, 1 << 20}) {
    CAPTURE(chunk);
    FrameGuard g(Channel::bulk, key, 1, {1, 2}, kMaxBulkFrameBytes);
    StreamDecoder d;
    std::vector<CibMessage> got;
    for (std::size_t pos = 0; pos < stream.size(); pos += chunk) {
      REQUIRE(d.feed(ByteView(stream).subspan(pos, std::min(chunk, stream.size() - pos))));
      while (auto frame = d.next()) {
        auto opened = g.open(*frame);
        REQUIRE(opened);
        got.push_back(*decode_cib_message(opened->payload));
      }
    }
    CHECK(got == sent);
  }
}

TEST_CASE("stream framing: an oversized or impossible length poisons the stream") {
  StreamDecoder d(1000);
  CHECK(d.feed(Bytes{0, 0, 0x10, 0}));  // 4096 > 1000
  CHECK_FALSE(d.next());
  CHECK(d.failed());
  CHECK_FALSE(d.feed(Bytes{1}));
  StreamDecoder tiny;
  tiny.feed(Bytes{0, 0, 0, 3, 1, 2, 3});  // shorter than any frame
  CHECK_FALSE(tiny.next());
  CHECK(tiny.failed());
}
