#include "core/cib_patch.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "core/cib_admin_ops.h"

namespace hactl::core {

namespace {

bool is_version_attribute(std::string_view name) {
  return name == "admin_epoch" || name == "epoch" || name == "num_updates";
}

Result<Element*> one_target(const CibDocument& doc, const std::string& path) {
  auto found = select_xpath(doc, path);
  if (!found) return found.status();
  if (found->empty()) return Status::not_found("No match for " + path + " in the CIB (Application of an update diff failed)");
  return found->front();
}

Element* copy_into(Element* parent, const Element* model, int position) {
  Element* copy = model->DeepClone(parent->GetDocument())->ToElement();
  Element* before = nullptr;
  int i = 0;
  for (Element* c = parent->FirstChildElement(); c; c = c->NextSiblingElement(), ++i)
    if (i == position) {
      before = c;
      break;
    }
  if (!before) return parent->InsertEndChild(copy)->ToElement();
  if (Element* prev = before->PreviousSiblingElement()) return parent->InsertAfterChild(prev, copy)->ToElement();
  return parent->InsertFirstChild(copy)->ToElement();
}

Status apply_change(CibDocument& doc, const Element* change) {
  const std::string op = attr(change, "operation");
  const std::string path = attr(change, "path");
  const int position = std::atoi(attr(change, "position", "-1").c_str());
  if (op == "create") {
    auto parent = one_target(doc, path);
    if (!parent) return parent.status();
    const Element* model = change->FirstChildElement();
    if (!model) return Status::invalid("a create change at " + path + " carries no element");
    copy_into(*parent, model, position);
    return {};
  }
  if (op == "delete") {
    auto found = select_xpath(doc, path);
    if (!found) return found.status();
    for (Element* e : *found) {
      if (e == doc.root()) return Status::invalid("a patch cannot delete the <cib> element");
      e->Parent()->DeleteChild(e);
      break;
    }
    return {};  // already gone: the patch's end state holds
  }
  auto target = one_target(doc, path);
  if (!target) return target.status();
  if (op == "modify") {
    for (const Element* a : children(first_child(change, "change-list"), "change-attr")) {
      const std::string name = attr(a, "name");
      if (*target == doc.root() && is_version_attribute(name)) continue;
      if (attr(a, "operation") == "unset") (*target)->DeleteAttribute(name.c_str());
      else (*target)->SetAttribute(name.c_str(), attr(a, "value").c_str());
    }
    return {};
  }
  if (op == "move") {  // tinyxml2 moves a node that is already in the document
    Element* e = *target;
    Element* parent = e->Parent()->ToElement();
    std::vector<Element*> others;
    for (Element* c = parent->FirstChildElement(); c; c = c->NextSiblingElement())
      if (c != e) others.push_back(c);
    if (position <= 0) parent->InsertFirstChild(e);
    else if (static_cast<size_t>(position) >= others.size()) parent->InsertEndChild(e);
    else parent->InsertAfterChild(others[static_cast<size_t>(position) - 1], e);
    return {};
  }
  return Status::invalid("unknown change operation '" + op + "' in the patch");
}

}  // namespace

Status apply_patchset(CibDocument& doc, const Element* diff) {
  if (!diff || std::string_view(diff->Name()) != "diff") return Status::invalid("the patch is not a <diff> document");
  if (attr(diff, "format", "1") != "2")
    return Status::error(ExitCode::protocol, "only format 2 patches are supported (crm_diff's default); got format " +
                                                 attr(diff, "format", "1"));
  for (const Element* change : children(diff, "change"))
    if (Status s = apply_change(doc, change); !s) return s;
  return {};
}

bool patch_touches_status(const Element* diff) {
  for (const Element* change : children(diff, "change"))
    if (attr(change, "path").rfind("/cib/status", 0) == 0) return true;
  return false;
}

}  // namespace hactl::core
