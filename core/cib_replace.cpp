#include "core/cib_replace.h"

#include "core/cib_rebase.h"

namespace hactl::core {

namespace {

// Configuration edits never overwrite the status the cluster keeps.
void keep_status_of(const CibDocument& current, CibDocument& doc) {
  Element* status = first_child(current.root(), "status");
  if (Element* mine = first_child(doc.root(), "status")) doc.root()->DeleteChild(mine);
  if (status) doc.root()->InsertEndChild(status->DeepClone(&doc.xml()));
}

}  // namespace

Result<CibDocument> apply_cib_replace(const CibDocument& current, const CibReplaceRequest& request) {
  auto doc = CibDocument::parse(request.cib);
  if (!doc) return doc.status();
  const CibVersion now = current.version();
  const bool configuration_only = request.scope == "configuration";
  if (!request.base.empty() && request.base != now.to_string()) {
    const std::string moved = "the CIB changed since it was read (" + request.base + " -> " + now.to_string() + "); retry";
    // Only a configuration edit is rebased (the client sends what it read
    // only for an edit that set no version of its own, not for a push).
    if (request.base_cib.empty() || !configuration_only)
      return Status::error(ExitCode::temp_fail, moved);
    auto base = CibDocument::parse(request.base_cib);
    if (!base || base->version().to_string() != request.base) return Status::error(ExitCode::temp_fail, moved);
    auto rebased = rebase_configuration(*base, *doc, current);
    if (!rebased) return rebased.status();
    rebased->bump_epoch();
    return rebased;
  }
  if (doc->version() < now)
    return Status::error(ExitCode::old, "update " + doc->version().to_string() + " is older than the existing configuration " +
                                            now.to_string());
  if (configuration_only) keep_status_of(current, *doc);
  if (doc->version() == now) doc->bump_epoch();
  return doc;
}

}  // namespace hactl::core
