#include "agents/http_probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "agents/process_runner.h"

namespace hactl::agents {

core::Result<HttpUrl> parse_http_url(const std::string& url) {
  const std::string scheme = "http://";
  if (!url.starts_with(scheme)) return core::Status::invalid("status URL must start with http://: " + url);
  std::string rest = url.substr(scheme.size());
  size_t slash = rest.find('/');
  std::string hostport = rest.substr(0, slash);
  HttpUrl u;
  u.path = slash == std::string::npos ? "/" : rest.substr(slash);
  size_t colon = hostport.find(':');
  u.host = hostport.substr(0, colon);
  if (colon != std::string::npos) {
    char* end = nullptr;
    long port = std::strtol(hostport.c_str() + colon + 1, &end, 10);
    if (*end != '\0' || port <= 0 || port > 65535) return core::Status::invalid("bad port in URL: " + url);
    u.port = static_cast<uint16_t>(port);
  }
  in_addr a{};
  if (u.host == "localhost") u.host = "127.0.0.1";
  if (::inet_pton(AF_INET, u.host.c_str(), &a) != 1) {
    return core::Status::invalid("status URL host must be a numeric IPv4 address (no name lookups): " + url);
  }
  u.ip = a.s_addr;
  return u;
}

core::Result<HttpResponse> http_get(const HttpUrl& url, int timeout_ms) {
  int64_t deadline = monotonic_ms() + timeout_ms;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return core::Status::io(std::string("socket: ") + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  auto wait_for = [&](short events) -> bool {
    pollfd p{fd, events, 0};
    int64_t left = deadline - monotonic_ms();
    return left > 0 && ::poll(&p, 1, static_cast<int>(left)) == 1;
  };
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(url.port);
  sa.sin_addr.s_addr = url.ip;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    if (errno != EINPROGRESS) return core::Status::io(std::string("connect: ") + std::strerror(errno));
    if (!wait_for(POLLOUT)) return core::Status::io("connect: timed out");
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) return core::Status::io(std::string("connect: ") + std::strerror(err));
  }
  std::string req = "GET " + url.path + " HTTP/1.0\r\nHost: " + url.host + "\r\nUser-Agent: hactl\r\n\r\n";
  size_t sent = 0;
  while (sent < req.size()) {
    ssize_t n = ::send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n > 0) sent += static_cast<size_t>(n);
    else if (errno == EAGAIN && wait_for(POLLOUT)) continue;
    else return core::Status::io("send failed");
  }
  std::string raw;
  char buf[8192];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      raw.append(buf, static_cast<size_t>(n));
      if (raw.size() > (4 << 20)) break;
    } else if (n == 0) {
      break;
    } else if (errno == EAGAIN || errno == EINTR) {
      if (!wait_for(POLLIN)) return core::Status::io("reading the response: timed out");
    } else {
      return core::Status::io(std::string("recv: ") + std::strerror(errno));
    }
  }
  HttpResponse r;
  if (!raw.starts_with("HTTP/") || raw.find(' ') == std::string::npos) return core::Status::io("not an HTTP response");
  r.status = std::atoi(raw.c_str() + raw.find(' ') + 1);
  size_t body = raw.find("\r\n\r\n");
  r.body = body == std::string::npos ? "" : raw.substr(body + 4);
  return r;
}

}  // namespace hactl::agents
