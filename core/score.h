// Pacemaker scores: integers saturating at +/-INFINITY (1,000,000), where
// -INFINITY wins over +INFINITY when added (lib/common/scores.c semantics).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hactl::core {

using Score = int;
inline constexpr Score kInfinity = 1000000;

// Strict parse for user input: integer, INFINITY, +INFINITY, -INFINITY (also
// inf/-inf, case-insensitive). Integers are clamped to +/-INFINITY.
std::optional<Score> parse_score(std::string_view text);

// Lenient parse as Pacemaker's scheduler does it (char2score): the leading
// integer of the text ("2.0" is 2), 0 when there is none.
Score parse_score_lenient(std::string_view text);

// Saturating addition: -INFINITY absorbs everything, then +INFINITY.
Score add_scores(Score a, Score b);

// "INFINITY", "-INFINITY" or the decimal number.
std::string score_to_string(Score s);

}  // namespace hactl::core
