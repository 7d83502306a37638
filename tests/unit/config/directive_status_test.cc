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

TEST(DirectiveStatus, InitiallyActiveSet) {
  std::set<std::string_view> active;
  for (const DirectiveState& s : directiveStates()) {
    if (s.status == DirectiveStatus::kActive) active.insert(s.name);
  }
  EXPECT_EQ(active,
            (std::set<std::string_view>{"port", "bindaddress", "allow", "deny", "local", "pidfile",
                                        "include", "confdir", "workers", "workerbatch", "user"}));
  EXPECT_EQ(directiveStatus("smoothtime"), DirectiveStatus::kUnsupported);
  EXPECT_TRUE(isDirectiveActive("port"));
  EXPECT_FALSE(isDirectiveActive("server"));
  EXPECT_FALSE(isDirectiveActive("no-such-directive"));
}

}  // namespace
}  // namespace strata::config
