// NodeAgent's CIB: the effects of replication applied (sends, adoptions,
// status deltas, replies), the DC's own commits, and the compare-and-swap
// changes members ask the DC for.
#include <ctime>
#include <optional>

#include <nlohmann/json.hpp>

#include "cmd/daemon/log.h"
#include "cmd/daemon/node_agent.h"
#include "core/cib_document_delta.h"
#include "core/cib_replace.h"
#include "core/cib_write_stamp.h"
#include "core/verify.h"
#include "net/frame_guard.h"
#include "net/tcp_transport.h"

namespace hactl::cmd::daemon {

using core::ExitCode;
using core::Status;
using json = nlohmann::json;

namespace {
std::string version_text(const core::CibVersion& v) { return v.to_string(); }
}  // namespace

void NodeAgent::apply_effects(net::CibEffects& fx) {
  for (auto& send : fx.sends) {
    if (send.to == self_) {
      // The DC answering its own request: no network hop, and CibSync ignores
      // messages from itself, so the answer is handled right here.
      if (auto* reply = std::get_if<net::CibChangeReply>(&send.message)) fx.replies.push_back(*reply);
      continue;
    }
    net::Bytes payload = net::encode_cib_message(send.message);
    net::Bytes frame = sealer_->seal(payload);
    bulk_->send(send.to, frame);
  }
  fx.sends.clear();
  if (fx.adopt) adopt(*fx.adopt);
  if (fx.apply_delta) apply_delta(*fx.apply_delta);
  for (auto& change : fx.changes) apply_change(change);
  for (auto& reply : fx.replies) {
    auto it = pending_.find(reply.request_id);
    if (it == pending_.end()) continue;
    if (reply.exit_code == 0)
      it->second({{"ok", true}, {"version", version_text(reply.version)}});
    else
      it->second(ipc_error(static_cast<ExitCode>(reply.exit_code), reply.message));
    pending_.erase(it);
  }
  for (auto& req : fx.not_sent) {
    auto it = pending_.find(req.request_id);
    if (it == pending_.end()) continue;
    it->second(ipc_error(ExitCode::unavailable, "no coordinator (DC) is reachable in this partition; change refused"));
    pending_.erase(it);
  }
}

void NodeAgent::adopt(net::CibCopy copy) {
  auto doc = core::CibDocument::parse(copy.cib);
  if (!doc) {
    log_error("replication", "refused a CIB from the DC that does not parse: " + doc.status().message());
    return;
  }
  // Written behind the loop (as a member's deltas are): kept even if the
  // disk refuses it, since CibSync already counts this version as ours.
  if (Status s = writer_->last_write(); !s) log_error("cib", "unable to persist the CIB: " + s.message());
  persist_pending_ = false;  // this text is the newest
  writer_->save_async(copy.cib);
  log_info("replication", "adopted CIB " + version_text(doc->version()) + (is_dc() ? " from a member" : " from the DC"));
  *cib_ = std::move(*doc);
  ++adoptions_;
  notify(&AgentListener::cib_changed);
}

// A member applies the DC's status edits to its copy in place: no parse of
// the whole CIB. Edits that do not fit (the copy is not their base) change
// nothing, and the DC is asked for the whole CIB.
void NodeAgent::apply_delta(const net::DeltaToApply& d) {
  Status applied = cib_->version() == d.base ? core::apply_status_delta(*cib_, d.delta)
                                             : Status::error(ExitCode::data_err, "the local CIB is " + version_text(cib_->version()));
  if (applied && cib_->version() != d.version)
    applied = Status::error(ExitCode::data_err, "it made version " + version_text(cib_->version()) + ", not " + version_text(d.version));
  if (!applied) {
    log_warn("replication", "status delta " + version_text(d.base) + " -> " + version_text(d.version) +
                                " not applied (" + applied.message() + "): asking the DC for the whole CIB");
    if (cib_->version() != d.base && cib_->version() != d.version) {
      // Half applied would be a bug of apply_status_delta; the copy is not
      // trusted then: reload what is on disk.
      std::vector<std::string> warnings;
      if (auto doc = writer_->store_when_idle().load(&warnings)) *cib_ = std::move(*doc);
    }
    net::CibEffects fx;
    sync_->delta_failed(cib_->version(), fx);
    apply_effects(fx);
    return;
  }
  // Written behind the loop; kept in memory even if the disk refuses it
  // (CibSync already counts this version as ours): the next save writes all.
  if (Status s = writer_->last_write(); !s) log_error("cib", "unable to persist the CIB: " + s.message());
  persist_soon();
  notify(&AgentListener::cib_changed);
}

// The DC's CIB becomes `doc`; members get only the status edits (`delta`)
// when nothing else changed, else the whole CIB (its text made once).
void NodeAgent::publish(core::CibDocument doc, std::optional<std::string> delta, std::string xml) {
  const core::CibVersion base = cib_->version();
  *cib_ = std::move(doc);
  net::CibEffects fx;
  if (delta)
    sync_->local_status_changed(base, cib_->version(), std::move(*delta), fx);
  else
    sync_->local_changed({cib_->version(), std::move(xml)}, fx);
  apply_effects(fx);
}

// Status commits are written behind the loop's back (CibWriter), the text
// made once per kPersistDelay: status is rebuilt by probes on any new DC,
// and a failed write is seen at the next commit, which is then saved in
// place and refused if it fails too (the controller keeps its edits and
// retries). A configuration change is on disk before this returns.
Status NodeAgent::commit_local(core::CibDocument doc) {
  if (!is_dc()) return Status::error(ExitCode::unavailable, "not the DC");
  std::optional<std::string> delta = core::status_delta(*cib_, doc);
  const bool in_place = !delta || !writer_->last_write();
  std::string xml;
  if (in_place) {
    xml = doc.to_xml();
    if (Status s = writer_->save_now(xml); !s) return s;
    persist_pending_ = false;  // this version includes whatever was pending
  }
  publish(std::move(doc), std::move(delta), std::move(xml));
  if (!in_place) persist_soon();
  notify(&AgentListener::cib_changed);
  return {};
}

// The DC applies a compare-and-swap replacement: {"cib", "base", "scope"}.
void NodeAgent::apply_change(const net::IncomingChange& change) {
  auto reply = [&](ExitCode code, const std::string& message) {
    net::CibEffects fx;
    sync_->reply(change.from, {change.request_id, core::to_int(code), message, cib_->version()}, fx);
    apply_effects(fx);
  };
  json req = json::parse(change.change, nullptr, false);
  auto is_text = [&](const char* key) { return !req.contains(key) || req.at(key).is_string(); };
  if (req.is_discarded() || !req.is_object() || !req.contains("cib") || !is_text("cib") || !is_text("base") || !is_text("scope") ||
      !is_text("base_cib") || !is_text("client") || !is_text("user"))
    return reply(ExitCode::protocol, "malformed change request");
  core::CibReplaceRequest request;
  request.cib = req.value("cib", std::string());
  request.base = req.value("base", std::string());
  request.base_cib = req.value("base_cib", std::string());
  request.scope = req.value("scope", std::string("all"));
  const core::CibVersion current = cib_->version();
  // As Pacemaker's CIB manager validates every update: whatever client sent
  // it, a configuration the CLI's own checks refuse is refused here too, and
  // so is what a merge with the current CIB would make of it.
  auto first_error = [](const core::CibDocument& d) -> std::optional<std::string> {
    for (const core::Finding& f : core::verify(d, true))
      if (f.severity == core::Finding::Severity::error) return f.text;
    return std::nullopt;
  };
  if (auto sent = core::CibDocument::parse(request.cib); !sent) return reply(sent.status().code(), sent.status().message());
  else if (auto e = first_error(*sent)) return reply(ExitCode::config, *e);
  auto doc = core::apply_cib_replace(*cib_, request);
  if (!doc) return reply(doc.status().code(), doc.status().message());
  if (auto e = first_error(*doc)) return reply(ExitCode::config, *e);
  // A configuration change carries who made it, as Pacemaker's CIB manager records it.
  const core::CibVersion next = doc->version();
  if (next.admin_epoch != current.admin_epoch || next.epoch != current.epoch)
    core::stamp_cib_write(*doc, {name_of(change.from), req.value("client", std::string("hactl")), req.value("user", std::string())},
                          std::time(nullptr));
  // Durable before it is answered: the writer's queue first, then this.
  std::string xml = doc->to_xml();
  if (Status s = writer_->save_now(xml); !s) return reply(ExitCode::io_err, s.message());
  persist_pending_ = false;
  log_info("cib", "applied change from node " + std::to_string(change.from) + ": " + version_text(current) + " -> " +
                      version_text(doc->version()));
  std::optional<std::string> delta = core::status_delta(*cib_, *doc);
  publish(std::move(*doc), std::move(delta), std::move(xml));
  reply(ExitCode::ok, "");
  notify(&AgentListener::cib_changed);
}

}  // namespace hactl::cmd::daemon
