// The date side of rule evaluation (lib/pengine/rules.c date expressions,
// lib/common/iso8601.c): ISO 8601 date-times, durations added calendar-wise,
// and date_spec fields matched against the scheduler's `now`. Times are
// epoch seconds, UTC.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/cib_model.h"

namespace hactl::core::sched {

// "2024-06-01", "2024-153" (ordinal), "2024-W22-6" (week date), each with an
// optional time ("T" or " " then HH:MM[:SS]) and zone ("Z", "+02:00", "-0500").
bool parse_iso8601(std::string_view text, int64_t* epoch);

// `start` plus a <duration> (years months weeks days hours minutes seconds);
// months are calendar months, the day clamped to the month's length.
int64_t add_duration(int64_t start, const Attributes& duration);

// Whether every field of a <date_spec> (a value "N" or a range "N-M", "N-",
// "-M") holds at `now`; false when a field does not parse.
bool date_spec_matches(const Attributes& spec, int64_t now);

}  // namespace hactl::core::sched
