#include "core/edit_distance.h"

#include <algorithm>

namespace hactl::core {

size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment over three rows: bounded memory for any input.
  std::vector<size_t> prev2(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest_word(std::string_view word, const std::vector<std::string>& candidates) {
  // Half edits: a prefix typed in full ("clean" for "cleanup") beats any real edit.
  std::string best;
  size_t best_score = 6;  // at most 2 edits
  for (const auto& c : candidates) {
    size_t score = 2 * edit_distance(word, c);
    if (word.size() >= 3 && c.rfind(word, 0) == 0) score = std::min<size_t>(score, 1);
    if (score < best_score && score < std::max(word.size(), size_t{2})) {
      best_score = score;
      best = c;
    }
  }
  return best;
}

}  // namespace hactl::core
