#include "agents/builtin_util.h"

#include <unistd.h>

#include <sstream>

#include "agents/process_runner.h"

namespace hactl::agents {

std::string find_program(const BuiltinCall& call, std::initializer_list<const char*> candidates) {
  std::string root = call.root == "/" ? "" : call.root;
  for (const char* c : candidates) {
    for (const std::string& p : {root + c, std::string(c)}) {
      if (::access(p.c_str(), X_OK) == 0) return p;
    }
  }
  return "";
}

CommandOutput run_command(const std::vector<std::string>& argv, int64_t timeout_ms) {
  SpawnRequest r;
  r.argv = argv;
  r.env = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"};
  r.timeout_ms = timeout_ms;
  r.kill_grace_ms = 500;
  ProcessOutcome o = run_process_sync(std::move(r));
  CommandOutput c;
  if (o.end == ProcessOutcome::End::exited) c.exit_code = o.exit_code;
  c.out = std::move(o.out);
  c.err = o.end == ProcessOutcome::End::spawn_failed ? o.error : std::move(o.err);
  return c;
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  std::string w;
  while (in >> w) words.push_back(w);
  return words;
}

}  // namespace hactl::agents
