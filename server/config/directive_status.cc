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
    {"txstampshed", kActive},
    {"metricsport", kActive},
    {"bindmetricsaddress", kActive},
    // Access
    {"allow", kActive},
    {"deny", kActive},
    {"cmdallow", kInactive},
    {"cmddeny", kInactive},
    // Sources
    {"server", kActive},
    {"pool", kActive},
    {"peer", kInactive},
    {"sourcedir", kActive},
    {"acquisitionport", kActive},
    {"initstepslew", kInactive},
    // Reference clocks and hardware timestamping
    {"refclock", kActive},
    {"hwtimestamp", kActive},
    // Discipline and selection
    {"driftfile", kActive},
    {"makestep", kActive},
    {"rtcsync", kActive},
    {"minsources", kActive},
    {"maxdistance", kActive},
    {"maxjitter", kActive},
    {"maxupdateskew", kActive},
    {"maxslewrate", kActive},
    {"maxchange", kInactive},
    {"maxdrift", kActive},
    {"maxclockerror", kActive},
    {"corrtimeratio", kActive},
    {"combinelimit", kActive},
    {"reselectdist", kActive},
    {"stratumweight", kActive},
    {"leapsectz", kActive},
    {"leapsecmode", kActive},
    {"smoothtime", kUnsupported},
    {"fallbackdrift", kInactive},
    {"manual", kInactive},
    // Logging
    {"logdir", kActive},
    {"log", kActive},
    // Control
    {"bindcmdaddress", kActive},
    {"cmdport", kActive},
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
