#include "server/config/directive_table.h"

#include <algorithm>
#include <array>

namespace strata::config {

namespace {

using GroupFn = std::span<const DirectiveDef> (*)();
constexpr std::array<GroupFn, 12> kGroups = {
    servingDirectives,  strataDirectives,      accessDirectives,     sourceDirectives,
    refclockDirectives, hwtimestampDirectives, disciplineDirectives, loggingDirectives,
    controlDirectives,  ratelimitDirectives,   authDirectives,       deploymentDirectives,
};

constexpr std::string_view kStructural[] = {"include", "confdir", "sourcedir"};

// chrony 4.3's directives that Strata does not implement (from chrony.conf(5) of 4.3), its
// obsolete ones that 4.3 still accepts with a warning, and leapseclist (chrony 4.5+, found in
// current distribution configs).
constexpr std::string_view kIgnoredChrony[] = {
    "authselectmode", "bindacqaddress",     "bindacqdevice",
    "bindcmddevice",  "broadcast",          "clockprecision",
    "hwclockfile",    "logbanner",          "logchange",
    "mailonchange",   "maxntsconnections",  "maxsamples",
    "minsamples",     "nocerttimecheck",    "nosystemcert",
    "ntpsigndsocket", "ntsntpserver",       "ntsprocesses",
    "ntsrefresh",     "ntstrustedcerts",    "ptpport",
    "rtcautotrim",    "rtcdevice",          "rtcfile",
    "rtconutc",       "tempcomp",           "dumponexit",
    "commandkey",     "generatecommandkey", "linux_freq_scale",
    "linux_hz",       "leapseclist",
};

}  // namespace

const DirectiveDef* findTypedDirective(std::string_view lower_name) {
  for (GroupFn group : kGroups) {
    for (const DirectiveDef& d : group()) {
      if (d.name == lower_name) return &d;
    }
  }
  return nullptr;
}

std::vector<std::string_view> typedDirectiveNames() {
  std::vector<std::string_view> names;
  for (GroupFn group : kGroups) {
    for (const DirectiveDef& d : group()) names.push_back(d.name);
  }
  return names;
}

std::span<const std::string_view> structuralDirectiveNames() { return kStructural; }

std::span<const std::string_view> ignoredChronyDirectiveNames() { return kIgnoredChrony; }

bool isIgnoredChronyDirective(std::string_view lower_name) {
  return std::find(std::begin(kIgnoredChrony), std::end(kIgnoredChrony), lower_name) !=
         std::end(kIgnoredChrony);
}

}  // namespace strata::config
