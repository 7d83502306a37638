#include "server/config/directive_status.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "server/config/directive_table.h"

namespace strata::config {
namespace {

TEST(DirectiveStatus, TableCoversExactlyTheTypedAndStructuralDirectives) {
  std::set<std::string_view> expected;
  for (std::string_view n : typedDirectiveNames()) expected.insert(n);
  for (std::string_view n : structuralDirectiveNames()) expected.insert(n);
  std::set<std::string_view> table;
  for (const DirectiveState& s : directiveStates()) {
    EXPECT_TRUE(table.insert(s.name).second) << "listed twice: " << s.name;
  }
  EXPECT_EQ(table, expected);
}

// The directives the daemon acts on today. When a feature lands, its directive moves here
// and in directive_status.cc together.
TEST(DirectiveStatus, ActiveSet) {
  std::set<std::string_view> active;
  for (const DirectiveState& s : directiveStates()) {
    if (s.status == DirectiveStatus::kActive) active.insert(s.name);
  }
  EXPECT_EQ(active,
            (std::set<std::string_view>{
                "acquisitionport",
                "allow", "bindaddress", "bindcmdaddress", "binddevice", "bindmetricsaddress",
                "clientloglimit", "cmdport", "combinelimit", "confdir", "corrtimeratio", "deny",
                "driftfile", "dscp", "hwtimestamp", "include", "leapsecmode", "leapsectz",
                "local", "log", "logdir", "makestep", "maxclockerror", "maxdistance", "maxdrift",
                "maxjitter", "maxslewrate", "maxupdateskew", "metricsport", "minsources",
                "noclientlog", "pidfile", "pool", "port", "ratelimit", "refclock", "reselectdist",
                "rtcsync", "server", "sourcedir", "stratumweight", "txstampcal", "txstampshed", "user",
                "workerbatch", "workercpus",
                "workers"}));
  EXPECT_EQ(directiveStatus("smoothtime"), DirectiveStatus::kUnsupported);
  EXPECT_TRUE(isDirectiveActive("port"));
  EXPECT_TRUE(isDirectiveActive("server"));
  EXPECT_FALSE(isDirectiveActive("peer"));
  EXPECT_FALSE(isDirectiveActive("no-such-directive"));
}

}  // namespace
}  // namespace strata::config
