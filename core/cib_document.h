// CibDocument: the CIB as an XML tree, the single source of truth for a
// configuration. Everything hactl does not understand (clones, bundles, ACLs,
// alerts, unknown attributes) stays in the tree untouched, so reading and
// writing a CIB never loses anything. Typed views (cib_model.h) are read from
// it; edits (cib_edit.h) change it and bump the version as Pacemaker does.
//
// Not thread-safe; cheap to move, deep-copied only with clone().
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <tinyxml2.h>

#include "core/status.h"

namespace hactl::core {

// (admin_epoch, epoch, num_updates), compared lexicographically.
struct CibVersion {
  long admin_epoch = 0;
  long epoch = 0;
  long num_updates = 0;
  auto operator<=>(const CibVersion&) const = default;
  std::string to_string() const;  // "0.12.3"
};

using Element = tinyxml2::XMLElement;

class CibDocument {
 public:
  // An empty CIB as `cibadmin --empty` writes it.
  static CibDocument empty();
  // Parses and checks the basic shape (<cib> root with <configuration>).
  static Result<CibDocument> parse(std::string_view xml);

  CibDocument(CibDocument&&) noexcept = default;
  CibDocument& operator=(CibDocument&&) noexcept = default;
  CibDocument clone() const;

  std::string to_xml() const;  // pretty printed, with a trailing newline

  Element* root() const;
  Element* configuration() const;
  // configuration/<name> (crm_config, nodes, resources, constraints, rsc_defaults,
  // op_defaults...), created in Pacemaker's section order when missing.
  Element* section(std::string_view name);
  Element* find_section(std::string_view name) const;
  Element* status_section();  // created when missing

  // The element with this id anywhere in <configuration> (ids are unique there).
  Element* find_id(std::string_view id) const;
  bool id_in_use(std::string_view id) const { return find_id(id) != nullptr; }
  // `base` if unused, else base-1, base-2 ... (as pcs does); characters an
  // id cannot hold are dropped first (sanitize_id).
  std::string unique_id(std::string_view base) const;

  CibVersion version() const;
  void set_version(const CibVersion& v);
  void bump_epoch();        // a configuration change: epoch+1, num_updates=0
  void bump_num_updates();  // a status change

  tinyxml2::XMLDocument& xml() const { return *doc_; }

 private:
  explicit CibDocument(std::unique_ptr<tinyxml2::XMLDocument> doc) : doc_(std::move(doc)) {}
  std::unique_ptr<tinyxml2::XMLDocument> doc_;
};

// Small DOM helpers shared by readers and editors.
std::string attr(const Element* e, const char* name, std::string_view fallback = "");
bool has_attr(const Element* e, const char* name);
std::vector<Element*> children(const Element* e, std::string_view tag = "");
Element* first_child(const Element* e, std::string_view tag);
Element* add_child(Element* parent, const char* tag);
// Every descendant (depth-first, document order) satisfying the tag filter.
std::vector<Element*> descendants(const Element* e, std::string_view tag = "");

// Canonical text of an XML document for comparing two CIBs by substance:
// attributes sorted, whitespace-only text dropped, comments kept.
Result<std::string> canonical_xml(std::string_view xml);

}  // namespace hactl::core
