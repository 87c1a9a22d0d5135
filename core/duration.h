// Pacemaker time specs: "10", "10s", "500ms", "1min", "2h", "1d" and ISO 8601
// durations such as "PT1M30S". Used for op intervals/timeouts and properties.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hactl::core {

// Milliseconds, or nullopt if the text is not a duration. A bare number is seconds.
std::optional<int64_t> parse_duration_ms(std::string_view text);

// Shortest pcs-style rendering: 0s, 10s, 1min, 90s, 500ms, 2h.
std::string format_duration(int64_t ms);

}  // namespace hactl::core
