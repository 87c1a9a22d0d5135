// Shared plumbing of the command groups: error reporting with Pacemaker exit
// codes, loading a CIB (-f FILE / CIB_file), and the edit transaction that
// guarantees a refused command leaves the file byte for byte unchanged.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cmd/invocation.h"
#include "cmd/sys/node_paths.h"
#include "core/cib_document.h"
#include "core/resource_edit.h"

namespace hactl::cmd {

using Args = std::vector<std::string>;

// Prints "Error: <message>" on stderr and returns the status's exit code.
int fail(const core::Status& s);
int usage_error(std::string_view message);
void warn(std::string_view message);
// One line telling a pcs 0.9/0.10 user the modern form of what they typed.
void legacy_note(std::string_view old_form, std::string_view modern_form);

NodePaths paths_of(const Invocation& inv);

// Commands that act on the running node (start, stop, destroy, fence...) have
// no meaning on a CIB file: with -f (or CIB_file) they are refused, as pcs
// refuses them, so a file user never touches the node's live configuration.
core::Status refuse_cib_file(const Invocation& inv, std::string_view command);

core::Result<core::CibDocument> load_cib(const Invocation& inv);
// Load, apply, and (only if the edit succeeded and changed something) bump the
// epoch and write atomically. A failing edit returns its error; the file is untouched.
int edit_cib(const Invocation& inv, const std::function<core::Status(core::CibDocument&)>& edit);

// "name=value" -> (name, value); false if there is no '='.
bool split_kv(const std::string& arg, std::string* key, std::string* value);
// Every argument must be name=value.
core::Result<core::KeyValues> parse_kvs(const Args& args, size_t from = 0, size_t to = std::string::npos);

// Command groups (one file each).
int run_cluster(Invocation& inv, Args args);
int run_property(Invocation& inv, Args args);
int run_resource(Invocation& inv, Args args);
int run_constraint(Invocation& inv, Args args);
int run_node(Invocation& inv, Args args);
int run_config(Invocation& inv, Args args);
int run_status(Invocation& inv, Args args);
int run_stonith(Invocation& inv, Args args);
int run_daemon_entry(Invocation& inv);  // `hactl daemon`: the node agent in this process

}  // namespace hactl::cmd
