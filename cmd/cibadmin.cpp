#include "cmd/cibadmin.h"

#include <iostream>
#include <iterator>

#include <tinyxml2.h>

#include "cmd/cli.h"
#include "cmd/sys/file_io.h"
#include "core/cib_admin_ops.h"
#include "core/cib_patch.h"
#include "core/printable_text.h"

namespace hactl::cmd {

using core::CibDocument;
using core::Element;
using core::ExitCode;
using core::Status;
using Op = CibadminOptions::Op;

namespace {

// Pacemaker's cibadmin prints "Call failed: <reason>" and its exit code.
int call_failed(const Status& s) {
  std::cerr << "Call failed: " << core::printable(s.message()) << "\n";
  return core::to_int(s.code() == ExitCode::ok ? ExitCode::error : s.code());
}

std::string escape(const char* v) {
  std::string out;
  for (const char* p = v; *p; ++p) switch (*p) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += *p;
    }
  return out;
}

// libxml2's layout (two spaces a level), as Pacemaker's cibadmin prints.
void print_element(std::ostream& os, const Element* e, int depth, bool no_children) {
  std::string pad(static_cast<size_t>(2 * depth), ' ');
  os << pad << "<" << e->Name();
  for (const tinyxml2::XMLAttribute* a = e->FirstAttribute(); a; a = a->Next()) os << " " << a->Name() << "=\"" << escape(a->Value()) << "\"";
  if (no_children || !e->FirstChildElement()) {
    os << "/>\n";
    return;
  }
  os << ">\n";
  for (const Element* c = e->FirstChildElement(); c; c = c->NextSiblingElement()) print_element(os, c, depth + 1, false);
  os << pad << "</" << e->Name() << ">\n";
}

core::Result<std::string> input_xml(const CibadminOptions& o) {
  if (!o.xml_text.empty()) return o.xml_text;
  if (!o.xml_file.empty()) return read_file(o.xml_file);
  if (o.xml_pipe) return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  return Status::usage("this command needs XML input: -X STRING, -x FILE or -p (standard input)");
}

int query(const Invocation& inv, const CibadminOptions& o) {
  auto loaded = load_cib(inv);
  if (!loaded) return call_failed(loaded.status());
  CibDocument& doc = *loaded;
  if (!o.xpath.empty()) {
    auto found = core::select_xpath(doc, o.xpath);
    if (!found) return call_failed(found.status());
    if (found->empty()) return call_failed(Status::not_found("No such device or address"));
    if (found->size() == 1) {
      print_element(std::cout, found->front(), 0, o.no_children);
      return 0;
    }
    std::cout << "<xpath-query>\n";
    for (const Element* e : *found) print_element(std::cout, e, 1, o.no_children);
    std::cout << "</xpath-query>\n";
    return 0;
  }
  Element* e = core::scope_element(doc, o.scope, false);
  if (!e) return call_failed(Status::not_found("No such device or address"));
  print_element(std::cout, e, 0, o.no_children);
  return 0;
}

int write(Invocation& inv, const CibadminOptions& o) {
  tinyxml2::XMLDocument input;
  const bool needs_input = o.op != Op::erase && !(o.op == Op::remove && !o.xpath.empty());
  if (needs_input) {
    auto text = input_xml(o);
    if (!text) return call_failed(text.status());
    if (input.Parse(text->c_str(), text->size()) != tinyxml2::XML_SUCCESS || !input.RootElement())
      return call_failed(Status::error(ExitCode::data_err, "the XML input does not parse: " + std::string(input.ErrorStr())));
  }
  const Element* xml = input.RootElement();
  if (o.op == Op::erase && !o.force)
    return call_failed(Status::unsafe("The supplied command is considered dangerous. To prevent accidental destruction of the "
                                      "cluster, the --force flag is required in order to proceed."));
  // Status-section and whole-CIB writes are sent as a whole CIB, not a configuration edit.
  if (o.scope == "status" || o.scope == "cib" || (xml && std::string_view(xml->Name()) == "cib") ||
      (xml && std::string_view(xml->Name()) == "status") || o.xpath.find("status") != std::string::npos ||
      (o.op == Op::patch && core::patch_touches_status(xml)))
    inv.values["status-edit"] = "1";
  inv.values["update-client"] = "cibadmin";
  int rc = edit_cib(inv, [&](CibDocument& doc) -> Status {
    if (o.op == Op::patch) return core::apply_patchset(doc, xml);
    std::vector<Element*> targets;
    if (!o.xpath.empty()) {
      auto found = core::select_xpath(doc, o.xpath);
      if (!found) return found.status();
      if (found->empty()) return Status::not_found("No such device or address");
      targets = *found;
    } else {
      Element* scope = core::scope_element(doc, o.scope, true);
      if (!scope) return Status::invalid("unknown --scope '" + o.scope + "'");
      targets.push_back(scope);
    }
    switch (o.op) {
      case Op::create: return core::create_child(doc, targets.front(), xml);
      case Op::modify:
        for (Element* t : targets)
          if (Status s = core::modify_element(doc, t, xml, o.allow_create); !s) return s;
        return {};
      case Op::replace: return core::replace_element(doc, targets.front(), xml);
      case Op::remove:
        if (!o.xpath.empty()) {  // --xpath: the matches themselves (all of them with --delete-all)
          for (Element* t : targets) {
            if (t == doc.root() || t == doc.configuration()) return Status::invalid("refusing to delete the <" + std::string(t->Name()) + "> element");
            t->Parent()->DeleteChild(t);
            if (!o.delete_all) break;
          }
          return {};
        }
        return core::delete_matching(targets.front(), xml);
      case Op::erase: {
        Element* conf = doc.configuration();
        while (Element* c = conf->FirstChildElement()) conf->DeleteChild(c);
        for (const char* s : {"crm_config", "nodes", "resources", "constraints"}) doc.section(s);
        return {};
      }
      default: return Status::usage("no operation");
    }
  });
  return rc;
}

}  // namespace

int print_cib_element(std::ostream& os, const core::Element* e) {
  print_element(os, e, 0, false);
  return 0;
}

int run_cibadmin(Invocation inv, const CibadminOptions& o) {
  switch (o.op) {
    case Op::none:
      std::cerr << "cibadmin: no operation given (e.g. --query, --create, --modify, --replace, --delete)\n";
      return core::to_int(ExitCode::usage);
    case Op::empty:
      std::cout << CibDocument::empty().to_xml();
      return 0;
    case Op::query: return query(inv, o);
    default: return write(inv, o);
  }
}

}  // namespace hactl::cmd
