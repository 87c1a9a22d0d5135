// Security of a running node agent on loopback: its membership port against
// forged, replayed, truncated and oversized frames and a bounded flood of junk
// datagrams (members kept, junk counted, memory flat); the authkey's mode and
// its absence from every log; the IPC socket closed to other users;
// `cluster destroy` with the agent running. Every wait polls against a deadline.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <sodium.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <chrono>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

#include "net/cluster_key.h"
#include "net/frame_guard.h"
#include "test/cmd/loopback_cluster.h"

using hactl::test::Cluster;
using hactl::test::now_ms;
using hactl::test::Run;
using hactl::test::Scratch;

namespace {

long rss_kb(int pid) {
  std::string st = hactl::test::slurp("/proc/" + std::to_string(pid) + "/status");
  std::smatch m;
  if (!std::regex_search(st, m, std::regex("VmRSS:\\s+(\\d+) kB"))) return -1;
  return std::stol(m[1]);
}

// The kernel's count of UDP datagrams dropped on a full receive buffer (all
// sockets; on a test machine that is this flood's). -1 when unreadable.
long long udp_receive_buffer_drops() {
  std::string snmp = hactl::test::slurp("/proc/net/snmp");
  std::smatch names, values;
  if (!std::regex_search(snmp, names, std::regex("Udp: ([A-Za-z ]+)\n"))) return -1;
  std::string rest = names.suffix();
  if (!std::regex_search(rest, values, std::regex("Udp: ([0-9 -]+)"))) return -1;
  std::istringstream n(names[1].str()), v(values[1].str());
  std::string name;
  long long value = 0;
  while (n >> name && v >> value)
    if (name == "RcvbufErrors") return value;
  return -1;
}

// Sum of N over the log lines "[security] N membership frame(s) dropped: REASON".
uint64_t dropped_in_log(const std::string& log, const std::string& reason = "") {
  uint64_t sum = 0;
  std::regex re("\\[security\\] (\\d+) membership frame\\(s\\) dropped: ([a-z_]+)");
  for (auto it = std::sregex_iterator(log.begin(), log.end(), re); it != std::sregex_iterator(); ++it)
    if (reason.empty() || (*it)[2] == reason) sum += std::stoull((*it)[1]);
  return sum;
}

struct Sender {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in to{};
  Sender(const std::string& addr, int port) {
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, addr.c_str(), &to.sin_addr);
  }
  ~Sender() { ::close(fd); }
  bool send(const std::vector<uint8_t>& b) const {
    return ::sendto(fd, b.data(), b.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) ==
           static_cast<ssize_t>(b.size());
  }
};

hactl::net::KeyBytes key_of(const std::string& path) {
  std::string raw = hactl::test::slurp(path);
  auto k = hactl::net::key_from_bytes(hactl::net::ByteView(reinterpret_cast<const uint8_t*>(raw.data()), raw.size()));
  REQUIRE(k);
  return *k;
}

}  // namespace

TEST_CASE("membership port: forged, replayed, truncated, oversized frames and a flood of junk") {
  REQUIRE(hactl::net::ensure_sodium());
  Cluster c(3);  // n3 is configured but never started: the test speaks as n3
  for (int i = 1; i <= 2; ++i) REQUIRE(c.start(i).rc == 0);
  REQUIRE(c.wait_status(1, "Online: [ n1 n2 ]", 5000));
  REQUIRE(c.wait_status(2, "Online: [ n1 n2 ]", 5000));
  Sender to_n1(c.addr(1), c.port);
  const std::vector<uint8_t> junk_payload = {0xde, 0xad, 0xbe, 0xef};

  // Another cluster's key, as n3.
  hactl::net::KeyBytes wrong{};
  randombytes_buf(wrong.data(), wrong.size());
  hactl::net::FrameSealer forger(hactl::net::Channel::membership, wrong, 3, 1, 7);
  for (int i = 0; i < 5; ++i) CHECK(to_n1.send(forger.seal(junk_payload)));
  // The right key, as n3: the same sealed frame sent twice; the second is a replay.
  hactl::net::FrameSealer as_n3(hactl::net::Channel::membership, key_of(c.root(1) + "/etc/hactl/authkey"), 3, 1, 9);
  auto frame = as_n3.seal(junk_payload);
  CHECK(to_n1.send(frame));
  CHECK(to_n1.send(frame));
  CHECK(to_n1.send(frame));
  // Truncated and oversized.
  CHECK(to_n1.send(std::vector<uint8_t>(frame.begin(), frame.begin() + 10)));
  // A fresh frame (the replay window is checked before the costly authentication)
  // with its tag cut short: fails authentication.
  auto fresh = as_n3.seal(junk_payload);
  CHECK(to_n1.send(std::vector<uint8_t>(fresh.begin(), fresh.end() - 3)));
  std::vector<uint8_t> big(frame.begin(), frame.end());
  big.resize(4000, 0x55);
  CHECK(to_n1.send(big));

  CHECK(c.wait_log(1, "membership frame(s) dropped: bad_auth (a node with another cluster key", 3000));
  CHECK(c.wait_log(1, "membership frame(s) dropped: replayed", 3000));
  CHECK(c.wait_log(1, "membership frame(s) dropped: truncated", 3000));
  CHECK(c.wait_log(1, "membership frame(s) dropped: oversized", 3000));
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  std::string log = c.log(1);
  CHECK(dropped_in_log(log, "replayed") == 2);
  CHECK(dropped_in_log(log, "bad_auth") == 6);
  // The frame with the right key and a junk payload did not make n3 a member.
  CHECK(c.on(1, "status").out.find("OFFLINE: [ n3 ]") != std::string::npos);
  const uint64_t before_flood = dropped_in_log(log);

  // A bounded flood: 200,000 junk datagrams (random bytes, 1..1400 long) over about
  // 10 s, while both nodes are watched; n1's RSS is compared before and after.
  const int agent = c.pid(1);
  REQUIRE(agent > 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const long rss_before = rss_kb(agent);
  REQUIRE(rss_before > 0);
  const long long kernel_drops_before = udp_receive_buffer_drops();
  constexpr int kFlood = 200000;
  std::atomic<int> sent{0};
  std::thread flood([&] {
    Sender s(c.addr(1), c.port);
    std::mt19937 rng(12345);
    std::vector<uint8_t> b(1400);
    for (int i = 0; i < kFlood; ++i) {
      size_t n = 1 + rng() % 1400;
      for (size_t j = 0; j < n; ++j) b[j] = static_cast<uint8_t>(rng());
      // Half of them start like a real frame header (version 1, membership), to
      // reach the later checks rather than stop at the version byte.
      if (i % 2 == 0 && n > 2) { b[0] = 1; b[1] = 1; }
      if (::sendto(s.fd, b.data(), n, 0, reinterpret_cast<const sockaddr*>(&s.to), sizeof s.to) > 0) ++sent;
      if (i % 1000 == 999) std::this_thread::sleep_for(std::chrono::milliseconds(48));
    }
  });
  int checks = 0, lost_view = 0;
  const int64_t t0 = now_ms();
  while (sent.load() < kFlood && now_ms() - t0 < 30000) {
    for (int i = 1; i <= 2; ++i) {
      ++checks;
      if (c.on(i, "status").out.find("Online: [ n1 n2 ]") == std::string::npos) ++lost_view;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  flood.join();
  const int64_t flood_ms = now_ms() - t0;
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // the once-a-second security log
  const long rss_after = rss_kb(agent);
  const uint64_t counted = dropped_in_log(c.log(1)) - before_flood;
  const long long kernel_drops_after = udp_receive_buffer_drops();
  const uint64_t kernel_dropped = kernel_drops_before >= 0 && kernel_drops_after >= kernel_drops_before
                                      ? static_cast<uint64_t>(kernel_drops_after - kernel_drops_before)
                                      : 0;
  MESSAGE("flood: " << sent.load() << " datagrams in " << flood_ms << " ms; agent counted " << counted
                    << " dropped, the kernel " << kernel_dropped << " on a full buffer; status checks " << checks << ", member lost in " << lost_view << "; RSS " << rss_before
                    << " kB -> " << rss_after << " kB");
  CHECK(sent.load() == kFlood);
  CHECK(lost_view == 0);
  CHECK(checks >= 20);
  // Datagrams the kernel dropped on a full socket buffer never reach the agent
  // (how many depends on the machine's load); every other one must have been
  // read and counted, none accepted.
  CHECK(counted + kernel_dropped >= static_cast<uint64_t>(kFlood) * 9 / 10);
  CHECK(counted >= static_cast<uint64_t>(kFlood) / 10);
  CHECK(counted <= static_cast<uint64_t>(kFlood));
#if defined(__SANITIZE_ADDRESS__)
  // ASan's quarantine keeps freed blocks resident by design: RSS says nothing
  // about leaks there (LeakSanitizer does). The static build checks flatness.
  MESSAGE("RSS flatness not checked under ASan (quarantine); growth " << rss_after - rss_before << " kB");
#else
  CHECK(rss_after - rss_before < 1024);  // flat: under 1 MiB of growth
#endif
  CHECK(c.on(1, "status").out.find("Online: [ n1 n2 ]") != std::string::npos);
  CHECK(c.on(1, "property set batch-limit=7").rc == 0);  // and still serves its users
  for (int i = 1; i <= 2; ++i) CHECK(c.on(i, "cluster stop").rc == 0);
}

TEST_CASE("the authkey: created 0400, never in a log; the socket closed to other users; destroy with the agent running") {
  Cluster c(2);
  struct stat st {};
  REQUIRE(::stat((c.root(1) + "/etc/hactl/authkey").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0400);
  CHECK(st.st_size == 32);
  for (int i = 1; i <= 2; ++i) REQUIRE(c.start(i).rc == 0);
  REQUIRE(c.wait_status(1, "Online: [ n1 n2 ]", 5000));
  REQUIRE(c.on(1, "property set stonith-enabled=false").rc == 0);
  REQUIRE(c.on(2, "resource create D ocf:pacemaker:Dummy").rc == 0);
  REQUIRE(c.wait_status(1, "Started", 5000));

  // A user that is neither root nor in haclient: refused, for reads and writes; nothing changes.
  if (hactl::test::have("setpriv")) {
    for (const char* cmd : {"status", "property set batch-limit=3"}) {
      Run denied = c.s.sh("setpriv --reuid=65534 --regid=65534 --clear-groups env HACTL_ROOT=" + c.root(1) + " " +
                          hactl::test::quote(HACTL_BINARY) + " " + cmd);
      CHECK(denied.rc != 0);
      CHECK(denied.out.find("Online") == std::string::npos);
    }
    CHECK(c.on(1, "property").out.find("batch-limit") == std::string::npos);
  } else {
    MESSAGE("setpriv not installed: the non-root IPC check was not run");
  }

  // The key's bytes, raw or as hex (either case), appear in no log of any node.
  std::string raw = hactl::test::slurp(c.root(1) + "/etc/hactl/authkey");
  REQUIRE(raw.size() == 32);
  std::string hex, HEX;
  for (unsigned char ch : raw) {
    char b[3];
    std::snprintf(b, sizeof b, "%02x", ch);
    hex += b;
    std::snprintf(b, sizeof b, "%02X", ch);
    HEX += b;
  }
  Run logs = c.s.sh("cat r1/var/log/hactl/* r2/var/log/hactl/* 2>/dev/null");
  REQUIRE(logs.out.size() > 100);
  CHECK(logs.out.find(raw) == std::string::npos);
  CHECK(logs.out.find(hex) == std::string::npos);
  CHECK(logs.out.find(HEX) == std::string::npos);
  CHECK(logs.out.find(hex.substr(0, 16)) == std::string::npos);

  // destroy --force while n1's agent runs: the agent is stopped first, then the
  // key, configuration and CIB with its backups are gone.
  const int agent = c.pid(1);
  REQUIRE(agent > 1);
  Run d = c.on(1, "cluster destroy --force");
  CHECK(d.rc == 0);
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    gone = ::kill(agent, 0) != 0;
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(gone);
  Run left = c.s.sh("ls r1/etc/hactl r1/var/lib/hactl 2>/dev/null | grep -E 'authkey|cluster.conf|cib.xml'");
  CHECK(left.out == "");
  // The other node saw n1 leave and keeps running the resource.
  CHECK(c.wait_status(2, "OFFLINE: [ n1 ]", 5000));
  CHECK(c.wait_status(2, "Started n2", 5000));
  CHECK(c.on(2, "cluster stop").rc == 0);
}

namespace {

// Sum of N over "[security] N bulk connection(s) closed: REASON".
uint64_t bulk_refused_in_log(const std::string& log, const std::string& reason) {
  uint64_t sum = 0;
  std::regex re("\\[security\\] (\\d+) bulk connection\\(s\\) closed: ([a-z_]+)");
  for (auto it = std::sregex_iterator(log.begin(), log.end(), re); it != std::sregex_iterator(); ++it)
    if ((*it)[2] == reason) sum += std::stoull((*it)[1]);
  return sum;
}

// A TCP connection to addr:port from `from` (empty: the kernel's choice); -1 on failure.
int tcp_connect(const std::string& addr, int port, const std::string& from = "") {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, addr.c_str(), &to.sin_addr);
  if (!from.empty()) {
    sockaddr_in me{};
    me.sin_family = AF_INET;
    ::inet_pton(AF_INET, from.c_str(), &me.sin_addr);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&me), sizeof me) != 0) {
      ::close(fd);
      return -1;
    }
  }
  timeval tv{2, 0};  // never block a test for long on a peer that stops reading
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

// The bulk (TCP) port before authentication: an attacker keeps 100 idle
// anonymous connections open (10 from one address, over the per-source cap; 90
// from 30 others, over the total cap), reopening each one the node closes, and
// 15 more announce a 64 MiB frame and stream junk after it. n2 starts during
// the flood, so its connection to n1 must get in through it. n1 must answer n2
// within a second, stay within 5 MB of its idle RSS, and log the closures.
TEST_CASE("bulk port: idle and large-frame anonymous connections neither hold the node nor grow it") {
  Cluster c(2);
  REQUIRE(c.start(1).rc == 0);
  REQUIRE(c.wait_status(1, "Online: [ n1 ]", 5000));
  const int agent = c.pid(1);
  REQUIRE(agent > 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const long rss_before = rss_kb(agent);
  REQUIRE(rss_before > 0);

  auto source = [&](int i) { return i < 10 ? std::string() : "127.0." + std::to_string(c.subnet) + "." + std::to_string(100 + i % 30); };
  constexpr int kLarge = 15;
  constexpr size_t kJunkPerConnection = 60u << 20;
  std::atomic<uint64_t> junk_sent{0};
  std::atomic<int> large_cut{0}, large_connected{0};
  std::vector<std::thread> large;
  for (int i = 0; i < kLarge; ++i)
    large.emplace_back([&, i] {
      int fd = tcp_connect(c.addr(1), c.port, "127.0." + std::to_string(c.subnet) + "." + std::to_string(200 + i));
      ++large_connected;
      if (fd < 0) return;
      std::vector<uint8_t> chunk(1 << 20, 0x5a);
      const uint32_t len = htonl(64u << 20);  // a 64 MiB frame announced
      std::memcpy(chunk.data(), &len, 4);
      size_t sent = 0;
      while (sent < kJunkPerConnection) {
        ssize_t n = ::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL);
        if (n <= 0) break;  // cut off (or 2 s without progress)
        sent += static_cast<size_t>(n);
      }
      junk_sent += sent;
      if (sent < kJunkPerConnection) ++large_cut;
      ::close(fd);
    });
  // The idle flood starts once the large ones are connected, so that most of
  // those meet the length check rather than a cap.
  for (int64_t t0 = now_ms(); large_connected.load() < kLarge && now_ms() - t0 < 3000;)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::atomic<bool> stop{false};
  std::atomic<int> opened{0}, reopened{0};
  std::vector<int> fds(100, -1);  // closed by the test only at the end: every closure is n1's
  std::thread idle_flood([&] {
    while (!stop) {
      for (int i = 0; i < 100; ++i) {
        if (fds[i] >= 0) {
          pollfd p{fds[i], POLLIN, 0};
          if (::poll(&p, 1, 0) <= 0) continue;  // still held by the node
          ::close(fds[i]);
          ++reopened;
        }
        fds[i] = tcp_connect(c.addr(1), c.port, source(i));
        opened += fds[i] >= 0;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the flood in place

  // n2 starts now and edits through n1 (the DC): change requests to n1 and
  // answers back, on bulk connections made during the flood.
  REQUIRE(c.start(2).rc == 0);
  int64_t joined_ms = -1;
  CHECK(c.wait_status(2, "Online: [ n1 n2 ]", true, 10000, &joined_ms));
  int64_t slowest = 0;
  long rss_peak = rss_before;
  int edits = 0, failed = 0;
  for (int i = 0; i < 8; ++i) {
    const int64_t t0 = now_ms();
    failed += c.on(2, "property set batch-limit=" + std::to_string(10 + i)).rc != 0;
    slowest = std::max(slowest, now_ms() - t0);
    ++edits;
    rss_peak = std::max(rss_peak, rss_kb(agent));
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  }
  for (auto& t : large) t.join();
  stop = true;
  idle_flood.join();
  rss_peak = std::max(rss_peak, rss_kb(agent));
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));  // the last ones' deadline, and the once-a-second log
  const long rss_after = rss_kb(agent);
  const std::string log = c.log(1);
  for (int fd : fds)
    if (fd >= 0) ::close(fd);
  const uint64_t by_deadline = bulk_refused_in_log(log, "handshake_deadline"),
                 by_source = bulk_refused_in_log(log, "source_cap"), by_total = bulk_refused_in_log(log, "total_cap"),
                 by_length = bulk_refused_in_log(log, "unauthenticated_length");
  MESSAGE("bulk flood: " << opened.load() << " idle connections opened (" << reopened.load() << " after n1 closed one), "
                         << kLarge << " large-frame ones (" << junk_sent.load() / 1024
                         << " KiB of junk taken by the kernel); n2 online after " << joined_ms << " ms; n2's edits through n1: "
                         << edits << ", slowest " << slowest << " ms, failed " << failed << "; n1's RSS " << rss_before
                         << " kB idle, peak " << rss_peak << " kB, after " << rss_after << " kB; closed by deadline "
                         << by_deadline << ", per-source cap " << by_source << ", total cap " << by_total
                         << ", first-frame length " << by_length);
  CHECK(failed == 0);
#if defined(__SANITIZE_ADDRESS__)
  CHECK(slowest < 4000);  // the sanitized agents are several times slower; the 1 s bound holds for the real build
#else
  CHECK(slowest < 1000);
#endif
  CHECK(large_cut.load() == kLarge);  // none could stream its 60 MiB
  CHECK(opened.load() >= 100);
  // Cut at their length prefix, unless the churn made one the oldest anonymous
  // connection before its first read (then closed for a cap).
  CHECK(by_length >= 1);
  CHECK(by_source >= 1);
  CHECK(by_total >= 1);
  CHECK(by_deadline >= 1);
  // Every one closed by n1, and said.
  CHECK(by_deadline + by_source + by_total + by_length == static_cast<uint64_t>(opened.load() + kLarge));
#if defined(__SANITIZE_ADDRESS__)
  MESSAGE("RSS bound not checked under ASan (quarantine)");
#else
  CHECK(rss_peak - rss_before < 5 * 1024);
  CHECK(rss_after - rss_before < 5 * 1024);
#endif
  CHECK(c.on(1, "property").out.find("batch-limit: 17") != std::string::npos);  // on n1 too
  for (int i = 1; i <= 2; ++i) CHECK(c.on(i, "cluster stop").rc == 0);
}

namespace {

int unix_connect(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
  timeval tv{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (fd >= 0 && ::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0) return fd;
  if (fd >= 0) ::close(fd);
  return -1;
}

// Everything the agent writes on `fd` until it closes it, or timeout_ms.
std::string answer_of(int fd, int timeout_ms) {
  std::string out;
  for (int64_t t0 = now_ms(); now_ms() - t0 < timeout_ms;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char b[4096];
    ssize_t n = ::recv(fd, b, sizeof b, MSG_DONTWAIT);
    if (n <= 0) break;
    out.append(b, static_cast<size_t>(n));
  }
  return out;
}

}  // namespace

TEST_CASE("IPC: silent and half-sent clients are answered and closed, connections are capped, a too large request gets a size error") {
  Cluster c(1);
  REQUIRE(c.start(1).rc == 0);
  REQUIRE(c.wait_status(1, "Online: [ n1 ]", 5000));
  const std::string sock = c.root(1) + "/run/hactl/hactl.sock";

  // 64 connections: one sends half a request, the others nothing.
  std::vector<int> held;
  for (int i = 0; i < 64; ++i) held.push_back(unix_connect(sock));
  REQUIRE(held.back() >= 0);
  const std::string half = "{\"op\":";
  CHECK(::send(held[0], half.data(), half.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(half.size()));
  const int64_t t0 = now_ms();
  // The 65th is refused at once, and says why; so is the CLI meanwhile.
  int extra = unix_connect(sock);
  REQUIRE(extra >= 0);
  std::string refused = answer_of(extra, 2000);
  ::close(extra);
  CHECK(refused.find("connections open; try again") != std::string::npos);
  CHECK(refused.find("\"code\":75") != std::string::npos);
  Run busy = c.on(1, "status");
  CHECK(busy.rc == 75);
  CHECK(busy.err.find("Error: ") != std::string::npos);
  // The held ones are answered with a timeout after about 5 s, and closed.
  int timed_out = 0;
  for (int fd : held) {
    std::string a = answer_of(fd, 8000);
    timed_out += a.find("no complete request within 5 s") != std::string::npos && a.find("\"code\":124") != std::string::npos;
    ::close(fd);
  }
  const int64_t took = now_ms() - t0;
  MESSAGE("IPC: 64 silent connections answered and closed after " << took << " ms");
  CHECK(timed_out == 64);
  CHECK(took >= 4500);
  CHECK(took < 8000);
  CHECK(c.on(1, "status").rc == 0);

  // Over 16 MiB sent raw: the agent answers with the size error, not a dropped line.
  int big = unix_connect(sock);
  REQUIRE(big >= 0);
  std::string blob(17u << 20, 'x');
  size_t sent = 0;
  while (sent < blob.size()) {
    ssize_t n = ::send(big, blob.data() + sent, blob.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string too_large = answer_of(big, 3000);
  ::close(big);
  CHECK(too_large.find("request too large: over") != std::string::npos);
  CHECK(too_large.find("limit 16 MiB") != std::string::npos);
  CHECK(too_large.find("\"code\":65") != std::string::npos);

  // The CLI refuses such a request before sending it: a 17 MiB value in a pushed CIB.
  Run cib = c.on(1, "cluster cib");
  REQUIRE(cib.rc == 0);
  std::string xml = cib.out;
  const std::string props = "<cluster_property_set id=\"big\"><nvpair id=\"big-d\" name=\"big-d\" value=\"" +
                            std::string(17u << 20, 'y') + "\"/></cluster_property_set>";
  auto at = xml.find("<crm_config>");
  if (at != std::string::npos) {
    xml.insert(at + std::string("<crm_config>").size(), props);
  } else {
    at = xml.find("<crm_config/>");
    REQUIRE(at != std::string::npos);
    xml.replace(at, std::string("<crm_config/>").size(), "<crm_config>" + props + "</crm_config>");
  }
  {
    std::ofstream f(c.s.path("big.xml"));
    f << xml;
  }
  Run push = c.on(1, "cluster cib-push " + c.s.path("big.xml") + " --config");
  CHECK(push.rc == 65);
  CHECK(push.err.find("Error: request too large: ") != std::string::npos);
  CHECK(push.err.find("limit 16 MiB") != std::string::npos);
  CHECK(push.err.find("lost the connection") == std::string::npos);
  CHECK(c.on(1, "cluster stop").rc == 0);
}
