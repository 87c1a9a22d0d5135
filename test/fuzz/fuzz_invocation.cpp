// The CLI argument vector: the input is split at NUL bytes into argv words.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cmd/invocation.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> argv(1);
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0)
      argv.emplace_back();
    else
      argv.back() += static_cast<char>(data[i]);
  }
  if (size == 0) argv.clear();
  (void)hactl::cmd::parse_invocation(argv);
  return 0;
}
