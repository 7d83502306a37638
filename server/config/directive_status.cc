#include "server/config/directive_status.h"

namespace strata::config {

namespace {

constexpr DirectiveStatus kActive = DirectiveStatus::kActive;
constexpr DirectiveStatus kInactive = DirectiveStatus::kInactive;
constexpr DirectiveStatus kUnsupported = DirectiveStatus::kUnsupported;

// One line per directive: change kInactive to kActive when the daemon implements it.
constexpr DirectiveState kStates[] = {
    // Serving
    {"port", kActive},
    {"bindaddress", kActive},
    {"binddevice", kActive},
    {"dscp", kActive},
    {"local", kActive},
    {"workers", kActive},
    {"workerbatch", kActive},
    {"workercpus", kActive},
    {"txstampcal", kActive},
    {"metricsport", kInactive},
    {"bindmetricsaddress", kInactive},
    // Access
    {"allow", kActive},
    {"deny", kActive},
    {"cmdallow", kInactive},
    {"cmddeny", kInactive},
    // Sources
    {"server", kInactive},
    {"pool", kInactive},
    {"peer", kInactive},
    {"sourcedir", kInactive},
    {"acquisitionport", kInactive},
    {"initstepslew", kInactive},
    // Reference clocks and hardware timestamping
    {"refclock", kInactive},
    {"hwtimestamp", kActive},
    // Discipline and selection
    {"driftfile", kInactive},
    {"makestep", kInactive},
    {"rtcsync", kInactive},
    {"minsources", kInactive},
    {"maxdistance", kInactive},
    {"maxjitter", kInactive},
    {"maxupdateskew", kInactive},
    {"maxslewrate", kInactive},
    {"maxchange", kInactive},
    {"maxdrift", kInactive},
    {"maxclockerror", kInactive},
    {"corrtimeratio", kInactive},
    {"combinelimit", kInactive},
    {"reselectdist", kInactive},
    {"stratumweight", kInactive},
    {"leapsectz", kInactive},
    {"leapsecmode", kInactive},
    {"smoothtime", kUnsupported},
    {"fallbackdrift", kInactive},
    {"manual", kInactive},
    // Logging
    {"logdir", kInactive},
    {"log", kInactive},
    // Control
    {"bindcmdaddress", kInactive},
    {"cmdport", kInactive},
    // Rate limiting and client log
    {"ratelimit", kActive},
    {"ntsratelimit", kInactive},
    {"cmdratelimit", kInactive},
    {"clientloglimit", kActive},
    {"noclientlog", kActive},
    // Keys and NTS
    {"keyfile", kInactive},
    {"ntsserverkey", kInactive},
    {"ntsservercert", kInactive},
    {"ntsport", kInactive},
    {"ntsrotate", kInactive},
    {"ntsdumpdir", kInactive},
    // Deployment
    {"pidfile", kActive},
    {"user", kActive},
    {"sched_priority", kInactive},
    {"lock_all", kInactive},
    {"dumpdir", kInactive},
    // Structure
    {"include", kActive},
    {"confdir", kActive},
};

}  // namespace

DirectiveStatus directiveStatus(std::string_view lower_name) {
  for (const DirectiveState& s : kStates) {
    if (s.name == lower_name) return s.status;
  }
  return DirectiveStatus::kInactive;
}

bool isDirectiveActive(std::string_view lower_name) {
  return directiveStatus(lower_name) == DirectiveStatus::kActive;
}

std::span<const DirectiveState> directiveStates() { return kStates; }

}  // namespace strata::config
