// cluster.conf as an operator may edit it: parse, and check that what
// format_cluster_conf writes parses back to the same configuration.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/cluster_conf.h"
#include "test/fuzz/fuzz_check.h"

using namespace hactl::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto conf = parse_cluster_conf(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!conf.is_ok()) return 0;
  for (const ClusterNode& n : conf->nodes) FUZZ_CHECK(conf->find(n.name) != nullptr);

  std::string text = format_cluster_conf(*conf);
  auto again = parse_cluster_conf(text);
  FUZZ_CHECK(again.is_ok());
  FUZZ_CHECK(format_cluster_conf(*again) == text);
  FUZZ_CHECK(again->nodes.size() == conf->nodes.size());
  return 0;
}
