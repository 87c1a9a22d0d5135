// Scheduler benchmark: hactl's schedule() against Pacemaker's crm_simulate on
// the same generated CIBs. For every size it writes the CIB to a temp file and
// reports the median wall time of
//   - hactl in-process: read_cib + schedule() (CIB already parsed; parse timed
//     separately and shown in its own column),
//   - hactl process:    `hactl simulate -x F <mode> -Q -t NOW` end to end,
//   - crm_simulate:     `crm_simulate -x F <mode> -Q -t NOW` end to end,
// with each process's peak memory (maximum resident set), the ratio
// crm_simulate / hactl process, and then the growth factor of both per 10x
// step in resources (linear in resources x nodes would be 10x). <mode> is -R
// (scheduler only, the default) or -S (also simulate execution; very slow in
// crm_simulate). A size whose first crm_simulate run exceeds --timeout
// seconds is reported as skipped for crm_simulate, and so is every larger one.
//
// usage: scheduler_bench --hactl PATH --crm-simulate PATH
//                        [--sizes 100x16,1000x16,10000x16,100x64,1000x64,10000x64] [--runs N]
//                        [--ext-runs N] [--mode R|S] [--timeout SECONDS] [--seed N] [--keep DIR]
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/cib_document.h"
#include "core/cib_model.h"
#include "core/scheduler/transition.h"
#include "test/core/sched_cib_generator.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct RunResult {
  bool ok = false, timed_out = false;
  int status = 0;
  double ms = 0;
  double peak_mb = 0;  // maximum resident set size of the process
};

// Runs argv with stdout/stderr to /dev/null; kills it after timeout_s.
RunResult run_process(const std::vector<std::string>& argv, double timeout_s) {
  RunResult r;
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  auto t0 = Clock::now();
  int rc = posix_spawn(&pid, cargv[0], &fa, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    std::cerr << "cannot start " << argv[0] << ": " << std::strerror(rc) << "\n";
    return r;
  }
  int st = 0;
  struct rusage usage {};
  for (;;) {
    pid_t w = wait4(pid, &st, WNOHANG, &usage);
    if (w == pid) break;
    if (ms_since(t0) > timeout_s * 1000) {
      kill(pid, SIGKILL);
      waitpid(pid, &st, 0);
      r.timed_out = true;
      r.ms = ms_since(t0);
      return r;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  r.ms = ms_since(t0);
  r.peak_mb = usage.ru_maxrss / 1024.0;  // kilobytes on Linux
  r.status = st;
  r.ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
  return r;
}

// Peak memory needs a small parent: a process started with posix_spawn (a
// vfork) inherits the parent's high-water mark in its ru_maxrss at exec, and
// this benchmark holds the big generated CIBs. So the runs are started by a
// child forked at the very beginning, while this process is still small,
// which receives command lines on a pipe and answers with RunResults.
class Spawner {
 public:
  Spawner() {
    int to_child[2], from_child[2];
    if (pipe(to_child) != 0 || pipe(from_child) != 0) std::exit(1);
    pid_ = fork();
    if (pid_ == 0) {
      close(to_child[1]);
      close(from_child[0]);
      serve(to_child[0], from_child[1]);
      _exit(0);
    }
    close(to_child[0]);
    close(from_child[1]);
    out_ = to_child[1];
    in_ = from_child[0];
  }
  ~Spawner() {
    close(out_);
    close(in_);
    waitpid(pid_, nullptr, 0);
  }
  RunResult run(const std::vector<std::string>& argv, double timeout_s) {
    std::string msg;
    for (const auto& a : argv) msg += a + '\0';
    uint64_t len = msg.size();
    write_all(out_, &timeout_s, sizeof timeout_s);
    write_all(out_, &len, sizeof len);
    write_all(out_, msg.data(), msg.size());
    RunResult r;
    read_all(in_, &r, sizeof r);
    return r;
  }

 private:
  static void write_all(int fd, const void* p, size_t n) {
    const char* c = static_cast<const char*>(p);
    while (n > 0) {
      ssize_t w = ::write(fd, c, n);
      if (w <= 0) std::exit(1);
      c += w;
      n -= static_cast<size_t>(w);
    }
  }
  static bool read_all(int fd, void* p, size_t n) {
    char* c = static_cast<char*>(p);
    while (n > 0) {
      ssize_t r = ::read(fd, c, n);
      if (r <= 0) return false;
      c += r;
      n -= static_cast<size_t>(r);
    }
    return true;
  }
  static void serve(int in, int out) {
    for (;;) {
      double timeout_s = 0;
      uint64_t len = 0;
      if (!read_all(in, &timeout_s, sizeof timeout_s) || !read_all(in, &len, sizeof len)) return;
      std::string msg(len, '\0');
      if (!read_all(in, msg.data(), len)) return;
      std::vector<std::string> argv;
      for (size_t i = 0; i < msg.size();) {
        size_t end = msg.find('\0', i);
        argv.push_back(msg.substr(i, end - i));
        i = end + 1;
      }
      RunResult r = run_process(argv, timeout_s);
      write_all(out, &r, sizeof r);
    }
  }
  pid_t pid_ = -1;
  int out_ = -1, in_ = -1;
};

struct Size {
  int resources, nodes;
};

std::vector<Size> parse_sizes(const std::string& s) {
  std::vector<Size> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    auto x = item.find('x');
    if (x == std::string::npos) continue;
    out.push_back({std::atoi(item.substr(0, x).c_str()), std::atoi(item.substr(x + 1).c_str())});
  }
  return out;
}

std::string fmt(double v, int prec = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", prec, v);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  Spawner spawner;  // first, while this process is small (see Spawner)
  std::string hactl, crm, sizes_arg = "100x16,1000x16,10000x16,100x64,1000x64,10000x64", mode = "R", keep;
  int runs = 5, ext_runs = 3;
  double timeout_s = 60;
  uint64_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--hactl") hactl = val();
    else if (a == "--crm-simulate") crm = val();
    else if (a == "--sizes") sizes_arg = val();
    else if (a == "--runs") runs = std::max(1, std::atoi(val().c_str()));
    else if (a == "--ext-runs") ext_runs = std::max(1, std::atoi(val().c_str()));
    else if (a == "--mode") mode = val();
    else if (a == "--timeout") timeout_s = std::atof(val().c_str());
    else if (a == "--seed") seed = std::strtoull(val().c_str(), nullptr, 10);
    else if (a == "--keep") keep = val();
    else {
      std::cerr << "usage: scheduler_bench --hactl PATH --crm-simulate PATH [--sizes 100x8,500x16]"
                   " [--runs N] [--ext-runs N] [--mode R|S] [--timeout S] [--seed N] [--keep DIR]\n";
      return 2;
    }
  }
  if (mode != "R" && mode != "S") {
    std::cerr << "--mode must be R or S\n";
    return 2;
  }
  if (hactl.empty()) std::cerr << "note: no --hactl; hactl process column skipped\n";
  if (crm.empty()) std::cerr << "note: no --crm-simulate; crm_simulate column skipped\n";

  namespace fs = std::filesystem;
  fs::path dir = keep.empty() ? fs::temp_directory_path() / ("scheduler_bench." + std::to_string(getpid())) : fs::path(keep);
  fs::create_directories(dir);

  hactl::test::GenParams base;
  const std::string now_iso = "2024-06-01 12:00:00Z";  // == GenParams::now
  std::cout << "mode -" << mode << " -Q, seed " << seed << ", in-process median of " << runs
            << ", processes median of " << ext_runs << ", crm_simulate timeout " << timeout_s << " s\n\n";
  std::printf("%-12s %8s %7s %9s %11s %11s %9s %12s %10s %8s\n", "size", "CIB KiB", "actions", "parse ms",
              "sched ms", "hactl ms", "hactl MB", "crm_sim ms", "crm_sim MB", "ratio");
  std::fflush(stdout);

  struct Measured {
    Size size;
    std::optional<double> hactl_ms, crm_ms;
  };
  std::vector<Measured> measured;
  long crm_too_slow_at = 0;  // resources x nodes of the smallest size crm_simulate timed out on

  for (const Size& sz : parse_sizes(sizes_arg)) {
    hactl::test::GenParams gp = base;
    gp.resources = sz.resources;
    gp.nodes = sz.nodes;
    gp.groups = std::max(1, sz.resources / 20);
    gp.p_standby = 0.05;
    gp.p_offline = 0.05;
    gp.p_running = 0.5;
    gp.loc_ratio = 0.5;
    gp.coloc_ratio = 0.3;
    gp.order_ratio = 0.3;
    std::string xml = hactl::test::generate_cib(seed, gp);
    fs::path file = dir / ("cib-" + std::to_string(sz.resources) + "x" + std::to_string(sz.nodes) + ".xml");
    std::ofstream(file) << xml;

    // In-process: parse once (timed), then read_cib + schedule() per run.
    std::vector<double> parse_ms, sched_ms;
    size_t actions = 0;
    for (int r = 0; r < runs; ++r) {
      auto t0 = Clock::now();
      auto doc = hactl::core::CibDocument::parse(xml);
      parse_ms.push_back(ms_since(t0));
      if (!doc) {
        std::cerr << "generated CIB does not parse: " << doc.status().message() << "\n";
        return 1;
      }
      t0 = Clock::now();
      hactl::core::Cib cib = hactl::core::read_cib(*doc);
      hactl::core::ScheduleOptions so;
      so.now = gp.now;
      hactl::core::Transition t = hactl::core::schedule(cib, so);
      sched_ms.push_back(ms_since(t0));
      actions = t.actions.size();
    }

    // Median wall time and the largest peak memory over the runs.
    auto ext = [&](const std::vector<std::string>& cmd, double* peak_mb) -> std::optional<double> {
      std::vector<double> v;
      for (int r = 0; r < ext_runs; ++r) {
        RunResult rr = spawner.run(cmd, timeout_s);
        if (rr.timed_out) return std::nullopt;
        if (!rr.ok) std::cerr << cmd[0] << " exited with status " << rr.status << " on " << file << "\n";
        v.push_back(rr.ms);
        *peak_mb = std::max(*peak_mb, rr.peak_mb);
      }
      return median(v);
    };
    std::optional<double> hactl_ms, crm_ms;
    double hactl_mb = 0, crm_mb = 0;
    bool crm_skipped = false;
    const long product = static_cast<long>(sz.resources) * sz.nodes;
    if (!hactl.empty())
      hactl_ms = ext({hactl, "simulate", "-x", file.string(), "-" + mode, "-Q", "-t", now_iso}, &hactl_mb);
    if (!crm.empty()) {
      if (crm_too_slow_at == 0 || product < crm_too_slow_at)
        crm_ms = ext({crm, "-x", file.string(), "-" + mode, "-Q", "-t", now_iso}, &crm_mb);
      crm_skipped = !crm_ms;
      if (crm_skipped && (crm_too_slow_at == 0 || product < crm_too_slow_at)) crm_too_slow_at = product;
    }
    measured.push_back({sz, hactl_ms, crm_ms});
    std::string label = std::to_string(sz.resources) + "x" + std::to_string(sz.nodes);
    std::string ratio = hactl_ms && crm_ms ? fmt(*crm_ms / *hactl_ms, 1) + "x" : "-";
    std::printf("%-12s %8s %7zu %9s %11s %11s %9s %12s %10s %8s\n", label.c_str(),
                fmt(xml.size() / 1024.0, 0).c_str(), actions, fmt(median(parse_ms), 2).c_str(),
                fmt(median(sched_ms), 2).c_str(), hactl_ms ? fmt(*hactl_ms).c_str() : "-",
                hactl_ms ? fmt(hactl_mb).c_str() : "-",
                crm_ms ? fmt(*crm_ms).c_str() : (crm_skipped ? (">" + fmt(timeout_s, 0) + "s").c_str() : "-"),
                crm_ms ? fmt(crm_mb).c_str() : "-", ratio.c_str());
    std::fflush(stdout);
  }
  if (keep.empty()) fs::remove_all(dir);
  std::cout << "\nsize = primitives x nodes; sched ms = read_cib + schedule() in-process; hactl/crm_sim ms = "
               "process wall time, MB = its peak resident memory; ratio = crm_sim / hactl process\n";

  // Growth per 10x step in resources on the same node count: a scheduler
  // linear in resources x nodes grows 10x.
  bool header = false;
  for (const Measured& a : measured) {
    for (const Measured& b : measured) {
      if (b.size.nodes != a.size.nodes || b.size.resources != a.size.resources * 10) continue;
      if (!header) {
        std::cout << "\ngrowth per 10x resources (linear = 10.0x):\n";
        header = true;
      }
      auto factor = [](const std::optional<double>& x, const std::optional<double>& y) {
        return x && y ? fmt(*y / *x) + "x" : std::string("-");
      };
      std::printf("  %dx%d -> %dx%d: hactl %s, crm_simulate %s\n", a.size.resources, a.size.nodes, b.size.resources,
                  b.size.nodes, factor(a.hactl_ms, b.hactl_ms).c_str(), factor(a.crm_ms, b.crm_ms).c_str());
    }
  }
  return 0;
}
