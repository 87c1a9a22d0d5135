#include "cmd/command_help.h"

#include <iostream>
#include <sstream>

#include "core/edit_distance.h"
#include "core/printable_text.h"

namespace hactl::cmd {

namespace {

void print_lines(std::ostream& os, std::string_view text, const char* indent) {
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) os << indent << line << "\n";
}

std::string usage_line(const CommandGroup& g, const CommandHelp& c) {
  std::string line = "hactl " + std::string(g.name);
  if (!c.names.empty()) line += " " + names_of(c)[0];
  if (!c.usage.empty()) line += " " + std::string(c.usage);
  return line;
}

void print_command(std::ostream& os, const CommandGroup& g, const CommandHelp& c) {
  os << "Usage: " << usage_line(g, c) << "\n";
  print_lines(os, c.summary, "    ");
  auto names = names_of(c);
  if (names.size() > 1) {
    os << "Also spelled:";
    for (size_t i = 1; i < names.size(); ++i) os << " " << names[i];
    os << "\n";
  }
  if (!c.options.empty()) {
    os << "Options:\n";
    print_lines(os, c.options, "    ");
  }
  if (!c.example.empty()) os << "Example:\n    hactl " << c.example << "\n";
}

void print_group(std::ostream& os, const CommandGroup& g) {
  if (g.commands.empty()) return print_command(os, g, g.self);
  os << "Usage: hactl " << g.name << " COMMAND ...\n    " << g.summary << "\n";
  if (!g.self.summary.empty()) os << "    " << g.self.summary << "\n";
  os << "\nCommands:\n";
  for (const auto& c : g.commands) {
    os << "  " << usage_line(g, c) << "\n";
    print_lines(os, c.summary, "      ");
  }
  os << "\n'hactl " << g.name << " COMMAND --help' shows a command's options and an example.\n";
}

std::vector<std::string> group_names() {
  std::vector<std::string> out;
  for (const auto& g : command_groups()) out.emplace_back(g.name);
  return out;
}

std::vector<std::string> command_names(const CommandGroup& g) {
  std::vector<std::string> out;
  for (const auto& c : g.commands)
    for (auto& n : names_of(c)) out.push_back(n);
  return out;
}

}  // namespace

void print_summary(std::ostream& os) {
  os << "Usage: hactl [-f FILE] [--root DIR] [--force] [--output-as text|json] COMMAND ...\n"
        "High availability cluster manager with pcs's command grammar.\n\nCommands:\n";
  for (const auto& g : command_groups()) {
    std::string line = "  " + std::string(g.name);
    line.resize(14, ' ');
    std::string words;
    for (const auto& c : g.commands) {
      std::string next = (words.empty() ? "" : ", ") + names_of(c)[0];
      if (words.size() + next.size() + line.size() > 110 - 14 && !words.empty()) {
        os << line << words << ",\n";
        line = std::string(14, ' ');
        words.clear();
        next = names_of(c)[0];
      }
      words += next;
    }
    os << line << (words.empty() ? std::string(g.summary) : words) << "\n";
  }
  os << "\n'hactl COMMAND --help' (or 'hactl COMMAND SUBCOMMAND --help') shows its usage, options and an example.\n"
        "Invoked as crm_resource, crm_node, crm_verify, crm_mon, crm_simulate or\n"
        "crm_attribute, hactl takes that tool's options instead.\n";
}

int print_help_for(const Args& words) {
  if (words.empty()) {
    print_summary(std::cout);
    return 0;
  }
  const CommandGroup* g = find_group(words[0]);
  if (!g) return unknown_command(nullptr, words[0]);
  if (words.size() == 1 || g->commands.empty()) {
    print_group(std::cout, *g);
    return 0;
  }
  const CommandHelp* c = find_command(*g, words[1]);
  if (!c) return unknown_command(g, words[1]);
  print_command(std::cout, *g, *c);
  return 0;
}

int unknown_command(const CommandGroup* group, const std::string& word) {
  std::string where = group ? std::string(group->name) + " " : "";
  std::string guess = core::closest_word(word, group ? command_names(*group) : group_names());
  std::string msg = "unknown " + (group ? std::string(group->name) + " " : "") + "command '" + core::printable(word) + "'";
  if (!guess.empty()) msg += ", did you mean '" + where + guess + "'?";
  msg += (guess.empty() ? "; see" : " See") + std::string(" 'hactl ") + where + "--help'";
  return usage_error(msg);
}

void print_man_page(std::ostream& os) {
  auto esc = [](std::string_view t) {
    std::string out;
    for (char ch : t) {
      if (ch == '\\') out += "\\e";
      else if (ch == '-') out += "\\-";
      else out += ch;
    }
    if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
    return out;
  };
  os << ".TH HACTL 8 \"\" \"hactl\" \"System Administration\"\n.SH NAME\nhactl \\- high availability cluster manager "
        "with pcs's command grammar\n.SH SYNOPSIS\n.B hactl\n[\\-f FILE] [\\-\\-root DIR] [\\-\\-force] "
        "[\\-\\-output\\-as text|json] COMMAND ...\n.SH DESCRIPTION\nhactl runs a high availability cluster: membership, "
        "the CIB, the scheduler and the node agent in one binary. Its command line follows pcs; invoked as crm_resource, "
        "crm_node, crm_verify, crm_mon, crm_simulate or crm_attribute it takes that Pacemaker tool's options.\n"
        ".SH GLOBAL OPTIONS\n.TP\n\\-f FILE\nwork on a CIB file instead of the running cluster (also CIB_file)\n"
        ".TP\n\\-\\-root DIR\nprefix of every path hactl uses (also HACTL_ROOT)\n.TP\n\\-\\-force\noverride a refusal\n"
        ".TP\n\\-\\-output\\-as text|json\nthe output format\n";
  for (const auto& g : command_groups()) {
    os << ".SH " << esc(std::string(g.name)) << "\n" << esc(g.summary) << "\n";
    std::vector<const CommandHelp*> cmds;
    for (const auto& c : g.commands) cmds.push_back(&c);
    if (cmds.empty()) cmds.push_back(&g.self);
    for (const CommandHelp* c : cmds) {
      os << ".TP\n.B " << esc(usage_line(g, *c)) << "\n" << esc(c->summary) << "\n";
      std::istringstream in{std::string(c->options)};
      for (std::string line; std::getline(in, line);) os << ".br\n" << esc(line) << "\n";
      if (!c->example.empty()) os << ".br\nExample: " << esc("hactl " + std::string(c->example)) << "\n";
    }
  }
  os << ".SH EXIT STATUS\nPacemaker's exit codes (0 success, 64 usage, 105 no such object, ...).\n"
        ".SH SEE ALSO\npcs(8), crm_mon(8), crm_resource(8)\n";
}

void print_bash_completion(std::ostream& os) {
  os << "# bash completion for hactl, generated by 'hactl __complete'\n_hactl() {\n"
        "  local cur=${COMP_WORDS[COMP_CWORD]} words=() i w\n"
        "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
        "    w=${COMP_WORDS[i]}\n"
        "    case $w in -f|--root|--output-as) ((i++)) ;; -*) ;; *) words+=(\"$w\") ;; esac\n"
        "  done\n  local list\n  case ${#words[@]} in\n    0) list=\"";
  for (const auto& g : command_groups()) os << g.name << " ";
  os << "\" ;;\n    1)\n      case ${words[0]} in\n";
  for (const auto& g : command_groups()) {
    if (g.commands.empty()) continue;
    os << "        " << g.name << ") list=\"";
    for (auto& n : command_names(g)) os << n << " ";
    os << "\" ;;\n";
  }
  os << "      esac ;;\n  esac\n"
        "  [[ $cur == -* ]] && list=\"--help --force -f --root --output-as --wait --full --all\"\n"
        "  COMPREPLY=($(compgen -W \"$list\" -- \"$cur\"))\n}\ncomplete -F _hactl hactl\n";
}

}  // namespace hactl::cmd
