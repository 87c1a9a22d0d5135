// "Did you mean": the closest of a set of words to a mistyped one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hactl::core {

// Levenshtein distance, with a swap of two neighbours counted as one edit.
size_t edit_distance(std::string_view a, std::string_view b);
// The candidate closest to `word`, if it is close enough to be what was meant
// (at most 2 edits, and fewer than half the word); "" otherwise.
std::string closest_word(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace hactl::core
