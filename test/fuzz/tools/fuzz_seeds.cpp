// Writes the seed corpora that need hactl's code rather than its command line
// (test/fuzz/make_seeds.sh makes the others): membership and CIB replication
// messages as payloads (fuzz_frame_payload), the same sealed into frames and
// streams with the fuzz key (fuzz_frame_wire), and the meta-data of the
// built-in agents (fuzz_ocf_metadata). Usage: fuzz_seeds CORPUS_DIR
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "agents/builtin_agents.h"
#include "net/cib_replication.h"
#include "net/frame_guard.h"
#include "net/membership_messages.h"
#include "net/stream_framing.h"
#include "test/fuzz/fuzz_frame_support.h"

using namespace hactl;
using namespace hactl::net;

namespace {
void write(const std::filesystem::path& dir, const std::string& name, const Bytes& bytes) {
  std::filesystem::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  std::filesystem::path corpus(argv[1]);
  const KeyBytes key = fuzz::fuzz_cluster_key();

  std::vector<std::pair<std::string, MembershipMessage>> members = {
      {"ping", {MsgType::ping, 3, 17, fuzz::kSelf, {}}},
      {"ping-updates",
       {MsgType::ping, 4, 18, fuzz::kSelf,
        {{UpdateKind::alive, 3, 2, kNoNode}, {UpdateKind::suspect, 3, 2, 2}, {UpdateKind::dead, 3, 1, 2}}}},
      {"indirect-ping", {MsgType::indirect_ping, 1, 9, 3, {}}},
      {"ack", {MsgType::ack, 2, 17, kNoNode, {{UpdateKind::alive, 1, 7, kNoNode}}}},
      {"nack", {MsgType::nack, 2, 9, kNoNode, {}}},
      {"gossip", {MsgType::gossip, 5, 0, kNoNode, {{UpdateKind::suspect, 1, 2, 3}}}},
  };
  const std::string cib =
      "<cib admin_epoch=\"0\" epoch=\"3\" num_updates=\"1\"><configuration><crm_config/><nodes/>"
      "<resources/><constraints/></configuration><status/></cib>\n";
  std::vector<std::pair<std::string, CibMessage>> cibs = {
      {"cib-version-query", CibVersionQuery{7}},
      {"cib-version-report", CibVersionReport{7, {0, 3, 1}}},
      {"cib-fetch", CibFetch{8}},
      {"cib-full", CibFull{8, {0, 3, 1}, cib}},
      {"cib-change-request", CibChangeRequest{9, "resource create a ocf:heartbeat:Dummy"}},
      {"cib-change-reply", CibChangeReply{9, 0, "", {0, 4, 0}}},
  };

  FrameSealer udp(Channel::membership, key, fuzz::kPeer, fuzz::kPeerBoot, fuzz::kPeerSalt);
  FrameSealer tcp(Channel::bulk, key, fuzz::kPeer, fuzz::kPeerBoot, fuzz::kPeerSalt);
  for (const auto& [name, m] : members) {
    Bytes payload = encode_message(m);
    write(corpus / "fuzz_frame_payload", name, payload);
    write(corpus / "fuzz_frame_wire", "datagram-" + name, udp.seal(payload));
  }
  for (const auto& [name, m] : cibs) {
    Bytes payload = encode_cib_message(m);
    write(corpus / "fuzz_frame_payload", name, payload);
    // First byte: chunk size for the stream reader; the same frame twice (the second is a replay).
    Bytes framed = encode_stream_frame(tcp.seal(payload));
    write(corpus / "fuzz_frame_wire", "stream-" + name, concat({Bytes{13}, framed, framed}));
  }
  // A frame from ourselves and one with another key.
  FrameSealer self(Channel::membership, key, fuzz::kSelf, 1, 1);
  write(corpus / "fuzz_frame_wire", "datagram-from-self", self.seal(encode_message(members[0].second)));
  KeyBytes other = key;
  other[0] ^= 1;
  FrameSealer stranger(Channel::membership, other, fuzz::kPeer, 1, 1);
  write(corpus / "fuzz_frame_wire", "datagram-other-key", stranger.seal(encode_message(members[0].second)));
  for (const agents::BuiltinAgent& a : agents::builtin_agents()) {
    std::string xml(a.metadata_xml);
    write(corpus / "fuzz_ocf_metadata", std::string(a.provider) + "-" + std::string(a.type), Bytes(xml.begin(), xml.end()));
  }
  // The fence-agents layout (shortdesc as an attribute of <resource-agent>), which the parser also accepts.
  const std::string fence =
      "<?xml version=\"1.0\" ?>\n<resource-agent name=\"fence_x\" shortdesc=\"Fence agent for tests\">\n"
      "<longdesc>x</longdesc>\n<parameters>\n<parameter name=\"ip\" unique=\"0\" required=\"1\">\n"
      "<getopt mixed=\"-a, --ip=[ip]\" />\n<content type=\"string\" />\n<shortdesc lang=\"en\">IP</shortdesc>\n"
      "</parameter>\n</parameters>\n<actions>\n<action name=\"on\" automatic=\"0\"/>\n"
      "<action name=\"monitor\" timeout=\"20s\" />\n</actions>\n</resource-agent>\n";
  write(corpus / "fuzz_ocf_metadata", "fence-layout", Bytes(fence.begin(), fence.end()));
  std::printf("seeds written to %s\n", corpus.c_str());
  return 0;
}
