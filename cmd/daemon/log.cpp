#include "cmd/daemon/log.h"

#include <sys/time.h>

#include <cstdio>
#include <ctime>

namespace hactl::cmd::daemon {

void log(Level level, std::string_view area, std::string_view message) {
  timeval tv{};
  ::gettimeofday(&tv, nullptr);
  tm t{};
  ::gmtime_r(&tv.tv_sec, &t);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &t);
  static const char* names[] = {"debug", "info", "warning", "error"};
  std::fprintf(stderr, "%s.%03ldZ %s [%.*s] %.*s\n", stamp, static_cast<long>(tv.tv_usec / 1000),
               names[static_cast<int>(level)], static_cast<int>(area.size()), area.data(), static_cast<int>(message.size()),
               message.data());
  std::fflush(stderr);
}

}  // namespace hactl::cmd::daemon
