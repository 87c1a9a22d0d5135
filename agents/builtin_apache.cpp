// Built-in ocf:heartbeat:apache. Start runs `<httpd> -f <config> -k start`
// (the server detaches into its own session, so it outlives this action's
// process group) and waits until the status URL answers; monitor checks the
// pid file's process, then fetches the status URL; stop sends SIGTERM to that
// process and SIGKILL to its process group if it is still alive when the stop
// timeout is nearly used up.
#include <regex.h>
#include <signal.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "agents/builtin_agents.h"
#include "agents/builtin_util.h"
#include "agents/http_probe.h"
#include "agents/ocf_result.h"
#include "agents/process_runner.h"

namespace hactl::agents {
namespace {

int rc(OcfRc r) { return static_cast<int>(r); }

void sleep_ms(int ms) {
  timespec ts{ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

std::string unquote(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

// The first value of `directive` in the config file (case-insensitive name).
std::string directive(const std::string& file, std::string_view name) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    auto w = split_words(line);
    if (w.size() < 2) continue;
    std::string d = w[0];
    std::transform(d.begin(), d.end(), d.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string n(name);
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    if (d == n) return unquote(w[1]);
  }
  return "";
}

struct Config {
  std::string httpd, configfile, pidfile, statusurl, testregex, comm;
  std::vector<std::string> options;
  HttpUrl url;
};

std::optional<Config> read_config(const BuiltinCall& call) {
  Config c;
  c.configfile = call.param("configfile", "/etc/apache2/apache2.conf");
  c.httpd = call.param("httpd");
  if (c.httpd.empty()) c.httpd = find_program(call, {"/usr/sbin/apache2", "/usr/sbin/httpd", "/usr/local/sbin/httpd"});
  c.statusurl = call.param("statusurl", "http://127.0.0.1/server-status");
  c.testregex = call.param("testregex");
  c.options = split_words(call.param("options"));
  c.pidfile = call.param("pidfile");
  if (c.pidfile.empty()) {
    c.pidfile = directive(c.configfile, "PidFile");
    std::string server_root = directive(c.configfile, "ServerRoot");
    if (!c.pidfile.empty() && c.pidfile[0] != '/' && !server_root.empty()) c.pidfile = server_root + "/" + c.pidfile;
  }
  auto url = parse_http_url(c.statusurl);
  if (!url) {
    std::fprintf(stderr, "ocf-exit-reason:%s\n", url.status().message().c_str());
    return std::nullopt;
  }
  c.url = *url;
  if (c.pidfile.empty()) {
    std::fprintf(stderr, "ocf-exit-reason:no PidFile in %s and no pidfile parameter\n", c.configfile.c_str());
    return std::nullopt;
  }
  c.comm = c.httpd.substr(c.httpd.rfind('/') + 1);
  return c;
}

// The server's pid, if the pid file names a live process of the server binary
// (a stale pid file may name an unrelated process by now).
int server_pid(const Config& c) {
  std::ifstream in(c.pidfile);
  int pid = 0;
  if (!(in >> pid) || pid <= 0) return 0;
  // /proc/PID/stat is "pid (comm) state ...". A killed server stays a zombie
  // until its parent (init) reaps it; kill(pid, 0) would still succeed then.
  std::ifstream in_stat("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  std::getline(in_stat, stat);
  size_t open = stat.find('('), close = stat.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close + 2 >= stat.size()) return 0;
  std::string name = stat.substr(open + 1, close - open - 1);
  char state = stat[close + 2];
  if (state == 'Z' || state == 'X') return 0;
  if (!c.comm.empty() && name != c.comm.substr(0, 15)) return 0;
  return pid;
}

bool status_ok(const Config& c, int timeout_ms, bool quiet) {
  auto r = http_get(c.url, timeout_ms);
  if (!r || r->status < 200 || r->status >= 300) {
    if (!quiet) {
      std::fprintf(stderr, "status URL %s: %s\n", c.statusurl.c_str(),
                   r ? ("HTTP " + std::to_string(r->status)).c_str() : r.status().message().c_str());
    }
    return false;
  }
  regex_t re;
  std::string pattern = c.testregex.empty() ? "</html>" : c.testregex;
  if (regcomp(&re, pattern.c_str(), REG_EXTENDED | REG_NOSUB | (c.testregex.empty() ? REG_ICASE : 0)) != 0) {
    std::fprintf(stderr, "testregex '%s' is not a valid regular expression\n", pattern.c_str());
    return false;
  }
  bool match = regexec(&re, r->body.c_str(), 0, nullptr, 0) == 0;
  regfree(&re);
  if (!match && !quiet) std::fprintf(stderr, "status page does not match '%s'\n", pattern.c_str());
  return match;
}

int monitor(const Config& c) {
  if (!server_pid(c)) return rc(OcfRc::not_running);
  return status_ok(c, 5000, false) ? rc(OcfRc::ok) : rc(OcfRc::err_generic);
}

int start(const Config& c, const BuiltinCall& call) {
  if (server_pid(c) && status_ok(c, 2000, true)) return rc(OcfRc::ok);
  if (c.httpd.empty()) {
    std::fprintf(stderr, "ocf-exit-reason:no apache2/httpd binary found\n");
    return rc(OcfRc::not_installed);
  }
  std::vector<std::string> argv{c.httpd, "-f", c.configfile};
  argv.insert(argv.end(), c.options.begin(), c.options.end());
  argv.insert(argv.end(), {"-k", "start"});
  CommandOutput o = run_command(argv, call.timeout_ms);
  if (o.exit_code != 0) {
    std::fprintf(stderr, "ocf-exit-reason:%s failed (exit %d): %s\n", c.httpd.c_str(), o.exit_code, o.err.c_str());
    return rc(OcfRc::err_generic);
  }
  // Wait for the status URL until the action's own deadline (the executor
  // kills us then and reports a timeout).
  for (;;) {
    if (server_pid(c) && status_ok(c, 1000, true)) {
      std::printf("%s answers at %s\n", c.httpd.c_str(), c.statusurl.c_str());
      return rc(OcfRc::ok);
    }
    sleep_ms(100);
  }
}

int stop(const Config& c, const BuiltinCall& call) {
  int pid = server_pid(c);
  if (!pid) {
    // A killed server's worker processes may still hold the port; they are
    // in its process group, whose id cannot be reused while they live.
    std::ifstream in(c.pidfile);
    int stale = 0;
    if ((in >> stale) && stale > 1 && ::kill(-stale, 0) == 0) {
      std::fprintf(stderr, "server process %d is gone; ending what is left of its group\n", stale);
      ::kill(-stale, SIGTERM);
      sleep_ms(200);
      ::kill(-stale, SIGKILL);
    }
    std::remove(c.pidfile.c_str());
    return rc(OcfRc::ok);
  }
  ::kill(pid, SIGTERM);
  int64_t kill_at = monotonic_ms() + std::max<int64_t>(1000, call.timeout_ms - 3000);
  while (::kill(pid, 0) == 0 && monotonic_ms() < kill_at) sleep_ms(50);
  if (::kill(pid, 0) == 0) {
    std::fprintf(stderr, "%s (pid %d) ignored SIGTERM; sending SIGKILL\n", c.httpd.c_str(), pid);
    ::kill(-pid, SIGKILL);  // the server leads its own process group (it detached with setsid)
    ::kill(pid, SIGKILL);
  }
  std::remove(c.pidfile.c_str());
  return rc(OcfRc::ok);
}

}  // namespace

int run_builtin_apache(const BuiltinCall& call) {
  if (call.action == "meta-data") {
    std::fwrite(kApacheMetadata.data(), 1, kApacheMetadata.size(), stdout);
    return rc(OcfRc::ok);
  }
  auto c = read_config(call);
  if (!c) return rc(OcfRc::not_configured);
  if (call.action == "start") return start(*c, call);
  if (call.action == "stop") return stop(*c, call);
  if (call.action == "monitor" || call.action == "status") return monitor(*c);
  if (call.action == "validate-all") {
    if (c->httpd.empty()) return rc(OcfRc::not_installed);
    std::ifstream f(c->configfile);
    return f ? rc(OcfRc::ok) : rc(OcfRc::not_configured);
  }
  return rc(OcfRc::unimplemented);
}

}  // namespace hactl::agents
