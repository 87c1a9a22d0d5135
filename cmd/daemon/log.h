// The node agent's log: one line per event, "TIME LEVEL [area] message", to
// stderr (systemd's journal, or the log file `cluster start` redirects to).
#pragma once

#include <string_view>

namespace hactl::cmd::daemon {

enum class Level { debug, info, warning, error };
void log(Level level, std::string_view area, std::string_view message);
inline void log_info(std::string_view area, std::string_view m) { log(Level::info, area, m); }
inline void log_warn(std::string_view area, std::string_view m) { log(Level::warning, area, m); }
inline void log_error(std::string_view area, std::string_view m) { log(Level::error, area, m); }

}  // namespace hactl::cmd::daemon
