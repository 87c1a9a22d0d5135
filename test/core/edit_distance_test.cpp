#include <doctest/doctest.h>

#include "core/edit_distance.h"

using hactl::core::closest_word;
using hactl::core::edit_distance;

TEST_CASE("edit distance: insertions, deletions, substitutions, a swap of neighbours is one edit") {
  CHECK(edit_distance("move", "move") == 0);
  CHECK(edit_distance("mvoe", "move") == 1);
  CHECK(edit_distance("resourc", "resource") == 1);
  CHECK(edit_distance("stpo", "stop") == 1);
  CHECK(edit_distance("", "ban") == 3);
  CHECK(edit_distance("clone", "clear") == 3);
}

TEST_CASE("closest word: close enough to be meant, or nothing") {
  const std::vector<std::string> cmds = {"move", "ban", "clear", "create", "cleanup", "delete"};
  CHECK(closest_word("mvoe", cmds) == "move");
  CHECK(closest_word("craete", cmds) == "create");
  CHECK(closest_word("clean", cmds) == "cleanup");  // a prefix typed in full
  CHECK(closest_word("frobnicate", cmds).empty());
  CHECK(closest_word("x", cmds).empty());
}
