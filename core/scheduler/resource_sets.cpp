#include "core/scheduler/resource_sets.h"

#include <strings.h>

namespace hactl::core::sched {
namespace {

std::string set_attr(const ResourceSet& s, const char* name, const char* fallback) {
  auto it = s.attrs.find(name);
  return it == s.attrs.end() ? fallback : it->second;
}

bool sequential(const ResourceSet& s) { return is_true(set_attr(s, "sequential", "true")); }

// A pair ordering carrying the constraint's kind (or the set's own kind
// inside a set) and an explicit symmetry.
OrderConstraint pair(const OrderConstraint& c, const std::string& first, const std::string& first_action,
                     const std::string& then, const std::string& then_action, bool symmetric,
                     const std::string* kind) {
  OrderConstraint o;
  o.id = c.id;
  o.first = first;
  o.then = then;
  o.first_action = first_action;
  o.then_action = then_action;
  o.attrs = c.attrs;
  o.kind = c.kind;
  o.score = c.score;
  if (kind) {
    o.kind = *kind;
    o.attrs["kind"] = *kind;
  }
  o.symmetrical = symmetric;
  return o;
}

bool is_serialize(const std::string& kind) { return strcasecmp(kind.c_str(), "Serialize") == 0; }

// Pacemaker's get_ordering_symmetry: Serialize is never symmetrical.
bool symmetry_of(const Attributes& attrs, std::optional<bool> parent, const std::string& kind) {
  bool sym = parent.value_or(true);
  if (auto it = attrs.find("symmetrical"); it != attrs.end()) sym = is_true(it->second);
  return sym && !is_serialize(kind);
}

// unpack_order_set: orderings inside one set.
void order_within(const OrderConstraint& c, const ResourceSet& s, std::deque<OrderConstraint>& storage,
                  std::vector<const OrderConstraint*>& out) {
  if (s.resources.size() < 2) return;
  const std::string action = set_attr(s, "action", "start");
  std::string kind = c.attrs.count("kind") ? c.kind : (c.score && *c.score == 0 ? "Optional" : "Mandatory");
  if (s.attrs.count("kind")) kind = s.attrs.at("kind");
  const bool sym = symmetry_of(s.attrs, c.symmetrical, kind);
  const auto& r = s.resources;
  for (size_t i = 0; i < r.size(); ++i) {
    if (is_serialize(kind)) {
      for (size_t j = i + 1; j < r.size(); ++j) out.push_back(&storage.emplace_back(pair(c, r[i], action, r[j], action, false, &kind)));
    } else if (sequential(s) && i > 0) {
      out.push_back(&storage.emplace_back(pair(c, r[i - 1], action, r[i], action, sym, &kind)));
    }
  }
}

// order_rsc_sets: set1's last (all of it when not sequential) before set2's
// first (all of it when not sequential).
void order_between(const OrderConstraint& c, const ResourceSet& s1, const ResourceSet& s2,
                   std::deque<OrderConstraint>& storage, std::vector<const OrderConstraint*>& out) {
  if (s1.resources.empty() || s2.resources.empty()) return;
  const std::string a1 = set_attr(s1, "action", "start"), a2 = set_attr(s2, "action", "start");
  std::string kind = c.attrs.count("kind") ? c.kind : (c.score && *c.score == 0 ? "Optional" : "Mandatory");
  const bool sym = symmetry_of({}, c.symmetrical, kind);
  std::vector<std::string> firsts = s1.resources, thens = s2.resources;
  if (sequential(s1)) firsts = {s1.resources.back()};
  if (sequential(s2)) thens = {s2.resources.front()};
  for (const auto& f : firsts)
    for (const auto& t : thens) out.push_back(&storage.emplace_back(pair(c, f, a1, t, a2, sym, &kind)));
}

}  // namespace

std::vector<const OrderConstraint*> expand_order_sets(const std::vector<OrderConstraint>& orders,
                                                      std::deque<OrderConstraint>& storage) {
  std::vector<const OrderConstraint*> out;
  for (const auto& o : orders) {
    if (o.sets.empty()) {
      out.push_back(&o);
      continue;
    }
    for (size_t i = 0; i < o.sets.size(); ++i) {
      order_within(o, o.sets[i], storage, out);
      if (i > 0) order_between(o, o.sets[i - 1], o.sets[i], storage, out);
    }
  }
  return out;
}

std::vector<SetColocation> expand_colocation_sets(const ColocationConstraint& c) {
  std::vector<SetColocation> out;
  auto add = [&](const std::string& id, const std::string& dep, const std::string& pri, Score score) {
    out.push_back({id, dep, pri, score});
  };
  const ResourceSet* last = nullptr;
  for (const auto& s : c.sets) {
    // unpack_colocation_set: a set's own score overrides the constraint's.
    Score score = c.score;
    if (auto it = s.attrs.find("score"); it != s.attrs.end()) score = parse_score_lenient(it->second);
    const auto& r = s.resources;
    const bool listed = strcasecmp(set_attr(s, "ordering", "group").c_str(), "listed") == 0;
    if (score == 0 || !sequential(s)) {
    } else if (score > 0 && !listed) {
      for (size_t i = 1; i < r.size(); ++i) add(s.id, r[i], r[i - 1], score);  // each with the one before
    } else if (score > 0) {
      for (size_t i = 1; i < r.size(); ++i) add(s.id, r[i - 1], r[i], score);  // each with the one after
    } else {
      // Anti-colocation: every member against every one before it.
      for (size_t i = 0; i < r.size(); ++i)
        for (size_t j = 0; j < i; ++j) add(s.id, r[i], r[j], score);
    }
    // colocate_rsc_sets: the earlier set's first (all of it when not
    // sequential) with the later set's last (all of it when not sequential).
    if (last && c.score != 0 && !last->resources.empty() && !r.empty()) {
      std::vector<std::string> deps = last->resources, pris = r;
      if (sequential(*last)) deps = {last->resources.front()};
      if (sequential(s)) pris = {r.back()};
      for (const auto& d : deps)
        for (const auto& p : pris) add(c.id, d, p, c.score);
    }
    last = &s;
  }
  return out;
}

}  // namespace hactl::core::sched
