// An id -> position map over a vector that only grows, built on first use and
// rebuilt when the vector's size changes. Lookups by id were linear scans,
// which made big configurations quadratic.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hactl::core {

struct LazyIndex {
  std::unordered_map<std::string, int> map;
  size_t built_for = static_cast<size_t>(-1);  // vector size the map was built for

  // Position of the first item whose key(item) == wanted, or -1.
  template <typename T, typename Key>
  int find(const std::vector<T>& items, Key key, std::string_view wanted) {
    if (built_for != items.size()) {
      map.clear();
      // emplace keeps the first of duplicate ids, as a linear scan would.
      for (size_t i = 0; i < items.size(); ++i) map.emplace(key(items[i]), static_cast<int>(i));
      built_for = items.size();
    }
    auto it = map.find(std::string(wanted));
    return it == map.end() ? -1 : it->second;
  }
};

}  // namespace hactl::core
