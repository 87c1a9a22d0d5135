// Starting one child process (pipes, posix_spawn or fork, stdin), and a thread
// that does it off the caller's thread.
//
// posix_spawn waits until the child has exec'd (CLONE_VFORK): on a loaded
// machine the child may wait 50-250 ms for a CPU, and a node agent starting
// a few hundred monitors spent seconds blocked there (measured: 355 spawns,
// up to 234 ms each, with a CPU hog beside). SpawnerThread takes that wait
// off the event loop: requests are queued, each result is posted back and an
// eventfd becomes readable.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "agents/process_runner.h"

namespace hactl::agents {

struct SpawnedChild {
  pid_t pid = -1;  // > 0 when started
  int out_fd = -1, err_fd = -1;  // non-blocking read ends, close-on-exec
  std::string error;             // why it did not start
};

// Blocks until the child runs (exec'd, or forked for in_child).
SpawnedChild spawn_child(SpawnRequest& request);

class SpawnerThread {
 public:
  SpawnerThread();
  ~SpawnerThread();  // joins; children started but never collected are killed and reaped
  SpawnerThread(const SpawnerThread&) = delete;
  SpawnerThread& operator=(const SpawnerThread&) = delete;

  bool ok() const { return event_fd_ >= 0; }
  int event_fd() const { return event_fd_; }  // readable when collect() has results
  void submit(ProcessId id, SpawnRequest request);
  std::vector<std::pair<ProcessId, SpawnedChild>> collect();

 private:
  void run();

  int event_fd_ = -1;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::pair<ProcessId, SpawnRequest>> queue_;
  std::vector<std::pair<ProcessId, SpawnedChild>> done_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace hactl::agents
