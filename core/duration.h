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

// Pacemaker's crm_get_msec, which reads action timeouts (and start delays):
// optional whitespace, digits (a fraction is cut off), optional whitespace,
// then a unit matched by its first letters ("ms", "us", "s", "m", "h"; "5
// seconds" is 5 s) or nothing (seconds). No ISO 8601 and no days: such a
// timeout is invalid and Pacemaker uses its 20 s default instead.
std::optional<int64_t> parse_msec(std::string_view text);

// Shortest pcs-style rendering: 0s, 10s, 1min, 90s, 500ms, 2h.
std::string format_duration(int64_t ms);

}  // namespace hactl::core
