// ratelimit, ntsratelimit, cmdratelimit, clientloglimit, noclientlog, keyfile, nts*,
// pidfile, user, sched_priority, lock_all, dumpdir.
#include <gtest/gtest.h>

#include "test_util.h"

namespace strata::config {
namespace {

using testing::parseError;
using testing::parseOk;

TEST(RateLimit, OffByDefault) {
  Config c = parseOk("");
  EXPECT_FALSE(c.ratelimit.enabled);
  EXPECT_FALSE(c.auth.nts_ratelimit.enabled);
  EXPECT_FALSE(c.control.ratelimit.enabled);
}

TEST(RateLimit, BareLineEnablesWithEachDirectivesDefaults) {
  Config c = parseOk("ratelimit\nntsratelimit\ncmdratelimit\n");
  EXPECT_EQ(c.ratelimit, (RateLimitConfig{true, 3, 8, 2, 0}));
  EXPECT_EQ(c.auth.nts_ratelimit, (RateLimitConfig{true, 6, 8, 2, 0}));
  EXPECT_EQ(c.control.ratelimit, (RateLimitConfig{true, -4, 8, 2, 0}));
}

TEST(RateLimit, EveryOption) {
  Config c = parseOk(
      "ratelimit interval -19 burst 255 leak 4 kod 4\n"
      "ntsratelimit interval 12 burst 1 leak 1\n"
      "cmdratelimit interval 2\n");
  EXPECT_EQ(c.ratelimit, (RateLimitConfig{true, -19, 255, 4, 4}));
  EXPECT_EQ(c.auth.nts_ratelimit, (RateLimitConfig{true, 12, 1, 1, 0}));
  EXPECT_EQ(c.control.ratelimit, (RateLimitConfig{true, 2, 8, 2, 0}));
}

TEST(RateLimit, Errors) {
  EXPECT_EQ(parseError("ratelimit interval 13"),
            "/etc/strata/strata.conf:1: ratelimit: interval must be an integer from -19 to 12, "
            "got \"13\"");
  EXPECT_EQ(parseError("ratelimit burst 0"),
            "/etc/strata/strata.conf:1: ratelimit: burst must be an integer from 1 to 255, got "
            "\"0\"");
  EXPECT_EQ(parseError("ratelimit leak 5"),
            "/etc/strata/strata.conf:1: ratelimit: leak must be an integer from 1 to 4, got "
            "\"5\"");
  EXPECT_EQ(parseError("ratelimit kod 5"),
            "/etc/strata/strata.conf:1: ratelimit: kod must be an integer from 0 to 4, got "
            "\"5\"");
  EXPECT_EQ(parseError("cmdratelimit kod 1"),
            "/etc/strata/strata.conf:1: cmdratelimit: unknown option \"kod\"");
  EXPECT_EQ(parseError("ntsratelimit foo 1"),
            "/etc/strata/strata.conf:1: ntsratelimit: unknown option \"foo\"");
}

TEST(ClientLog, LimitAndOff) {
  Config c = parseOk("");
  EXPECT_TRUE(c.client_log.enabled);
  EXPECT_EQ(c.client_log.limit_bytes, 524288u);
  c = parseOk("clientloglimit 100000000\nnoclientlog\n");
  EXPECT_FALSE(c.client_log.enabled);
  EXPECT_EQ(c.client_log.limit_bytes, 100000000u);
  EXPECT_EQ(parseOk("clientloglimit 4294967296").client_log.limit_bytes, 4294967296u);
  EXPECT_EQ(parseError("clientloglimit -5"),
            "/etc/strata/strata.conf:1: clientloglimit: LIMIT must be an integer from 0 to "
            "4294967296, got \"-5\"");
  EXPECT_EQ(parseError("noclientlog yes"),
            "/etc/strata/strata.conf:1: noclientlog: expected no arguments, got \"yes\"");
}

TEST(Auth, DefaultsAndValues) {
  AuthConfig a = parseOk("").auth;
  EXPECT_EQ(a.keyfile, "");
  EXPECT_TRUE(a.nts_server_keys.empty());
  EXPECT_TRUE(a.nts_server_certs.empty());
  EXPECT_EQ(a.nts_port, 4460);
  EXPECT_EQ(a.nts_rotate, std::chrono::seconds(604800));
  EXPECT_EQ(a.nts_dumpdir, "");

  a = parseOk(
          "keyfile /etc/chrony.keys\nntsserverkey /k1.pem\nntsservercert /c1.pem\n"
          "ntsserverkey /k2.pem\nntsservercert /c2.pem\nntsport 4461\nntsrotate 0\n"
          "ntsdumpdir /var/lib/strata\n")
          .auth;
  EXPECT_EQ(a.keyfile, "/etc/chrony.keys");
  EXPECT_EQ(a.nts_server_keys, (std::vector<std::string>{"/k1.pem", "/k2.pem"}));
  EXPECT_EQ(a.nts_server_certs, (std::vector<std::string>{"/c1.pem", "/c2.pem"}));
  EXPECT_EQ(a.nts_port, 4461);
  EXPECT_EQ(a.nts_rotate, std::chrono::seconds(0));
  EXPECT_EQ(a.nts_dumpdir, "/var/lib/strata");
}

TEST(Auth, Errors) {
  EXPECT_EQ(parseError("ntsrotate 2147483648"),
            "/etc/strata/strata.conf:1: ntsrotate: INTERVAL must be an integer from 0 to "
            "2147483647, got \"2147483648\"");
  EXPECT_EQ(parseError("ntsserverkey"),
            "/etc/strata/strata.conf:1: ntsserverkey: expected FILE, got nothing");
  EXPECT_EQ(parseError("keyfile a b"),
            "/etc/strata/strata.conf:1: keyfile: expected FILE, got \"a b\"");
}

TEST(Deployment, DefaultsAndValues) {
  DeploymentConfig d = parseOk("").deployment;
  EXPECT_EQ(d.pidfile, "");
  EXPECT_EQ(d.user, "");
  EXPECT_EQ(d.sched_priority, 0);
  EXPECT_FALSE(d.lock_all);
  EXPECT_EQ(d.dumpdir, "");
  d = parseOk(
          "pidfile /run/strata/stratad.pid\nuser _strata\nsched_priority 50\nlock_all\n"
          "dumpdir /run/strata\n")
          .deployment;
  EXPECT_EQ(d.pidfile, "/run/strata/stratad.pid");
  EXPECT_EQ(d.user, "_strata");
  EXPECT_EQ(d.sched_priority, 50);
  EXPECT_TRUE(d.lock_all);
  EXPECT_EQ(d.dumpdir, "/run/strata");
}

TEST(Deployment, Errors) {
  EXPECT_EQ(parseError("sched_priority 101"),
            "/etc/strata/strata.conf:1: sched_priority: PRIORITY must be an integer from 0 to "
            "100, got \"101\"");
  EXPECT_EQ(parseError("pidfile"),
            "/etc/strata/strata.conf:1: pidfile: expected FILE, got nothing");
  EXPECT_EQ(parseError("pidfile a b"),
            "/etc/strata/strata.conf:1: pidfile: expected FILE, got \"a b\"");
  EXPECT_EQ(parseError("lock_all now"),
            "/etc/strata/strata.conf:1: lock_all: expected no arguments, got \"now\"");
  EXPECT_EQ(parseError("user"), "/etc/strata/strata.conf:1: user: expected USER, got nothing");
}

}  // namespace
}  // namespace strata::config
