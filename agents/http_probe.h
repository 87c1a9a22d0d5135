// Minimal HTTP/1.0 GET for status URLs: numeric IPv4 only, because a static
// binary must not resolve names (no NSS), and a cluster node should not depend
// on DNS to decide whether its web server is alive.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace hactl::agents {

struct HttpUrl {
  uint32_t ip = 0;  // network byte order
  uint16_t port = 80;
  std::string host, path;  // host as written (numeric), path with leading '/'
};

core::Result<HttpUrl> parse_http_url(const std::string& url);

struct HttpResponse {
  int status = 0;
  std::string body;
};

// Connects, sends GET, reads until EOF; everything within timeout_ms. Blocking.
core::Result<HttpResponse> http_get(const HttpUrl& url, int timeout_ms);

}  // namespace hactl::agents
