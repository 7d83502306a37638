// allow, deny, cmdallow, cmddeny.
#include <gtest/gtest.h>

#include "test_util.h"

namespace strata::config {
namespace {

using common::Subnet;
using testing::parseError;
using testing::parseOk;
using Action = AccessRule::Action;

AccessRule rule(Action action, bool all, std::optional<std::string> subnet) {
  AccessRule r;
  r.action = action;
  r.all = all;
  if (subnet) r.subnet = *Subnet::parse(*subnet);
  return r;
}

TEST(Access, DefaultIsNobody) {
  Config c = parseOk("");
  EXPECT_TRUE(c.access.rules.empty());
  EXPECT_TRUE(c.control.access.rules.empty());
}

TEST(Access, EveryFormInOrder) {
  Config c = parseOk(
      "allow 1.2.3.4\n"
      "allow 3.4.5.0/24\n"
      "allow 3.4.5\n"
      "allow 2001:db8::/32\n"
      "allow 0/0\n"
      "allow ::/0\n"
      "allow\n"
      "deny 1.2.3.0/24\n"
      "allow all 1.2.0.0/16\n"
      "deny all\n"
      "allow 10\n"
      "allow 1.2.3.4/24\n");
  const auto& r = c.access.rules;
  ASSERT_EQ(r.size(), 12u);
  EXPECT_EQ(r[0], rule(Action::kAllow, false, "1.2.3.4/32"));
  EXPECT_EQ(r[1], rule(Action::kAllow, false, "3.4.5.0/24"));
  EXPECT_EQ(r[2], rule(Action::kAllow, false, "3.4.5.0/24"));  // chrony's short form
  EXPECT_EQ(r[3], rule(Action::kAllow, false, "2001:db8::/32"));
  EXPECT_EQ(r[4], rule(Action::kAllow, false, "0.0.0.0/0"));
  EXPECT_EQ(r[4].subnet->base().isV4(), true);
  EXPECT_EQ(r[5], rule(Action::kAllow, false, "::/0"));
  EXPECT_FALSE(r[5].subnet->base().isV4());
  EXPECT_EQ(r[6], rule(Action::kAllow, false, std::nullopt));  // both families
  EXPECT_EQ(r[7], rule(Action::kDeny, false, "1.2.3.0/24"));
  EXPECT_EQ(r[8], rule(Action::kAllow, true, "1.2.0.0/16"));
  EXPECT_EQ(r[9], rule(Action::kDeny, true, std::nullopt));
  EXPECT_EQ(r[10], rule(Action::kAllow, false, "10.0.0.0/8"));
  EXPECT_EQ(r[11], rule(Action::kAllow, false, "1.2.3.0/24"));  // host bits cleared
}

TEST(Access, AllKeywordIsCaseInsensitive) {
  EXPECT_EQ(parseOk("allow ALL").access.rules[0], rule(Action::kAllow, true, std::nullopt));
}

TEST(Access, CommandAccessIsSeparate) {
  Config c = parseOk("cmdallow 192.168/16\ncmddeny all 192.168.100/24\nallow 10/8\n");
  ASSERT_EQ(c.control.access.rules.size(), 2u);
  EXPECT_EQ(c.control.access.rules[0], rule(Action::kAllow, false, "192.168.0.0/16"));
  EXPECT_EQ(c.control.access.rules[1], rule(Action::kDeny, true, "192.168.100.0/24"));
  ASSERT_EQ(c.access.rules.size(), 1u);
}

TEST(Access, Errors) {
  const std::string bad_subnet =
      ": SUBNET must be an address or subnet such as 192.168.1.0/24, 10.1 or 2001:db8::/32 "
      "(host names are not supported), got ";
  EXPECT_EQ(parseError("allow foo.example"),
            "/etc/strata/strata.conf:1: allow" + bad_subnet + "\"foo.example\"");
  EXPECT_EQ(parseError("deny 10."), "/etc/strata/strata.conf:1: deny" + bad_subnet + "\"10.\"");
  EXPECT_EQ(parseError("allow 10.1.2.3/33"),
            "/etc/strata/strata.conf:1: allow" + bad_subnet + "\"10.1.2.3/33\"");
  EXPECT_EQ(parseError("cmdallow [::1]"),
            "/etc/strata/strata.conf:1: cmdallow" + bad_subnet + "\"[::1]\"");
  EXPECT_EQ(parseError("allow 1.2.3.4 5.6.7.8"),
            "/etc/strata/strata.conf:1: allow: expected [all] [SUBNET], got \"1.2.3.4 5.6.7.8\"");
  EXPECT_EQ(parseError("cmddeny all 1/8 2/8"),
            "/etc/strata/strata.conf:1: cmddeny: expected [all] [SUBNET], got \"all 1/8 2/8\"");
}

}  // namespace
}  // namespace strata::config
