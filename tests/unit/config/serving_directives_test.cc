// port, bindaddress, binddevice, dscp, local, and Strata's workers, workerbatch, workercpus,
// txstampcal, txstampshed, metricsport, bindmetricsaddress.
#include <gtest/gtest.h>

#include "server/config/cpu_list.h"
#include "test_util.h"

namespace strata::config {
namespace {

using common::IpAddress;
using common::Nanos;
using testing::parseError;
using testing::parseOk;

TEST(ServingDefaults, AreChronysAndStratas) {
  ServingConfig s = parseOk("").serving;
  EXPECT_EQ(s.port, 123);
  EXPECT_TRUE(s.bind_addresses.empty());
  EXPECT_EQ(s.bind_device, "");
  EXPECT_EQ(s.dscp, 0);
  EXPECT_FALSE(s.local.enabled);
  EXPECT_EQ(s.workers, 0);
  EXPECT_EQ(s.worker_batch, 32);
  EXPECT_TRUE(s.worker_cpus.empty());
  EXPECT_TRUE(s.tx_stamp_calibration);
  EXPECT_EQ(s.metrics_port, 0);
  EXPECT_EQ(s.metrics_bind_address, IpAddress::loopbackV4());
}

TEST(Port, TakesLastValue) {
  EXPECT_EQ(parseOk("port 11123").serving.port, 11123);
  EXPECT_EQ(parseOk("port 0").serving.port, 0);
  EXPECT_EQ(parseOk("port 1\nport 2\n").serving.port, 2);
  EXPECT_EQ(parseOk("PORT 7").serving.port, 7);
}

TEST(Port, ReportsBadValuesWithFileAndLine) {
  EXPECT_EQ(parseError("\nport 70000"),
            "/etc/strata/strata.conf:2: port: PORT must be an integer from 0 to 65535, got "
            "\"70000\"");
  EXPECT_EQ(parseError("port -1"),
            "/etc/strata/strata.conf:1: port: PORT must be an integer from 0 to 65535, got "
            "\"-1\"");
  EXPECT_EQ(parseError("port 12abc"),
            "/etc/strata/strata.conf:1: port: PORT must be an integer from 0 to 65535, got "
            "\"12abc\"");
  EXPECT_EQ(parseError("port"), "/etc/strata/strata.conf:1: port: expected PORT, got nothing");
  EXPECT_EQ(parseError("port 1 2"), "/etc/strata/strata.conf:1: port: expected PORT, got \"1 2\"");
}

TEST(BindAddress, CollectsV4AndV6WithoutDuplicates) {
  auto s = parseOk(
               "bindaddress 192.0.2.1\nbindaddress 2001:db8::1\nbindaddress 192.0.2.1\n"
               "bindaddress ::\n")
               .serving;
  ASSERT_EQ(s.bind_addresses.size(), 3u);
  EXPECT_EQ(s.bind_addresses[0], *IpAddress::parse("192.0.2.1"));
  EXPECT_EQ(s.bind_addresses[1], *IpAddress::parse("2001:db8::1"));
  EXPECT_EQ(s.bind_addresses[2], IpAddress::anyV6());
}

TEST(BindAddress, RefusesNamesAndBrackets) {
  EXPECT_EQ(parseError("bindaddress eth0"),
            "/etc/strata/strata.conf:1: bindaddress: ADDRESS must be an IPv4 or IPv6 address, "
            "got \"eth0\"");
  EXPECT_NE(parseError("bindaddress [::1]"), "");
  EXPECT_NE(parseError("bindaddress 1.2.3.4/24"), "");
  EXPECT_EQ(parseError("bindaddress"),
            "/etc/strata/strata.conf:1: bindaddress: expected ADDRESS, got nothing");
}

TEST(BindDevice, StoresTheName) {
  EXPECT_EQ(parseOk("binddevice eth0").serving.bind_device, "eth0");
  EXPECT_EQ(parseError("binddevice"),
            "/etc/strata/strata.conf:1: binddevice: expected INTERFACE, got nothing");
}

TEST(Dscp, RangeIsSixBits) {
  EXPECT_EQ(parseOk("dscp 46").serving.dscp, 46);
  EXPECT_EQ(parseError("dscp 64"),
            "/etc/strata/strata.conf:1: dscp: POINT must be an integer from 0 to 63, got "
            "\"64\"");
}

TEST(Local, BareLineEnablesWithChronyDefaults) {
  LocalReferenceConfig l = parseOk("local").serving.local;
  EXPECT_TRUE(l.enabled);
  EXPECT_EQ(l.stratum, 10);
  EXPECT_EQ(l.distance, Nanos(1'000'000'000));
  EXPECT_FALSE(l.orphan);
  EXPECT_EQ(l.activate, Nanos(0));
  EXPECT_EQ(l.wait_synced, Nanos(0));
  EXPECT_FALSE(l.wait_unsynced);
}

TEST(Local, EveryOption) {
  LocalReferenceConfig l =
      parseOk("local stratum 5 distance 0.5 orphan activate 0.01 waitsynced 60 waitunsynced 300")
          .serving.local;
  EXPECT_EQ(l.stratum, 5);
  EXPECT_EQ(l.distance, Nanos(500'000'000));
  EXPECT_TRUE(l.orphan);
  EXPECT_EQ(l.activate, Nanos(10'000'000));
  EXPECT_EQ(l.wait_synced, Nanos(60'000'000'000));
  EXPECT_EQ(l.wait_unsynced, Nanos(300'000'000'000));
}

TEST(Local, LastLineReplacesTheWholeSetting) {
  LocalReferenceConfig l = parseOk("local stratum 3 orphan\nlocal distance 2\n").serving.local;
  EXPECT_EQ(l.stratum, 10);
  EXPECT_FALSE(l.orphan);
  EXPECT_EQ(l.distance, Nanos(2'000'000'000));
}

TEST(Local, Errors) {
  EXPECT_EQ(parseError("local stratum 16"),
            "/etc/strata/strata.conf:1: local: stratum must be an integer from 1 to 15, got "
            "\"16\"");
  EXPECT_EQ(parseError("local stratum 0"),
            "/etc/strata/strata.conf:1: local: stratum must be an integer from 1 to 15, got "
            "\"0\"");
  EXPECT_EQ(parseError("local foo"), "/etc/strata/strata.conf:1: local: unknown option \"foo\"");
  EXPECT_EQ(parseError("local stratum"),
            "/etc/strata/strata.conf:1: local: option stratum needs a value");
  EXPECT_EQ(parseError("local distance -1"),
            "/etc/strata/strata.conf:1: local: distance must be a number of seconds from 0 to "
            "1000000000, got \"-1\"");
}

TEST(Workers, RangeAndDefault) {
  EXPECT_EQ(parseOk("workers 4").serving.workers, 4);
  EXPECT_EQ(parseOk("workers 0").serving.workers, 0);
  EXPECT_EQ(parseError("workers 1025"),
            "/etc/strata/strata.conf:1: workers: N must be an integer from 0 to 1024, got "
            "\"1025\"");
}

TEST(WorkerBatch, Range) {
  EXPECT_EQ(parseOk("workerbatch 1").serving.worker_batch, 1);
  EXPECT_EQ(parseOk("workerbatch 1024").serving.worker_batch, 1024);
  EXPECT_EQ(parseError("workerbatch 0"),
            "/etc/strata/strata.conf:1: workerbatch: N must be an integer from 1 to 1024, got "
            "\"0\"");
}

TEST(WorkerCpus, ParsesRangesAndLists) {
  EXPECT_EQ(parseOk("workercpus 0-3,6").serving.worker_cpus, (std::vector<int>{0, 1, 2, 3, 6}));
  EXPECT_EQ(parseOk("workercpus 7,2,2-3").serving.worker_cpus, (std::vector<int>{2, 3, 7}));
  EXPECT_EQ(parseOk("workercpus 4095").serving.worker_cpus, (std::vector<int>{4095}));
  for (const char* bad : {"3-1", "a", "1,", ",1", "1-", "-1", "4096", "1--2", "+1", "0-3,x"}) {
    EXPECT_EQ(parseError(std::string("workercpus ") + bad),
              std::string("/etc/strata/strata.conf:1: workercpus: LIST must be CPU numbers and "
                          "ranges from 0 to 4095 such as 0-3,6, got \"") +
                  bad + "\"");
  }
}

TEST(WorkerCpus, FormatsAsRanges) {
  EXPECT_EQ(formatCpuList({0, 1, 2, 3, 6}), "0-3,6");
  EXPECT_EQ(formatCpuList({5}), "5");
  EXPECT_EQ(formatCpuList({1, 3, 4, 9, 10, 11}), "1,3-4,9-11");
}

TEST(TxStampCal, OnOff) {
  EXPECT_FALSE(parseOk("txstampcal off").serving.tx_stamp_calibration);
  EXPECT_TRUE(parseOk("txstampcal off\ntxstampcal ON").serving.tx_stamp_calibration);
  EXPECT_EQ(parseError("txstampcal yes"),
            "/etc/strata/strata.conf:1: txstampcal: the value must be on or off, got \"yes\"");
  EXPECT_EQ(parseError("txstampcal"),
            "/etc/strata/strata.conf:1: txstampcal: expected on|off, got nothing");
}

TEST(TxStampShed, MillisecondsOrOff) {
  EXPECT_EQ(parseOk("").serving.tx_stamp_shed_after, common::Nanos(3'000'000));
  EXPECT_EQ(parseOk("txstampshed 0.5").serving.tx_stamp_shed_after, common::Nanos(500'000));
  EXPECT_EQ(parseOk("txstampshed 30").serving.tx_stamp_shed_after, common::Nanos(30'000'000));
  EXPECT_FALSE(parseOk("txstampshed OFF").serving.tx_stamp_shed_after.has_value());
  EXPECT_EQ(parseOk("txstampshed off\ntxstampshed 2").serving.tx_stamp_shed_after,
            common::Nanos(2'000'000));
  EXPECT_NE(parseError("txstampshed 0").find("txstampshed: MS must be"), std::string::npos);
  EXPECT_NE(parseError("txstampshed never").find("txstampshed: MS"), std::string::npos);
  EXPECT_EQ(parseError("txstampshed"),
            "/etc/strata/strata.conf:1: txstampshed: expected MS|off, got nothing");
}

TEST(Metrics, PortAndAddress) {
  auto s = parseOk("metricsport 9123\nbindmetricsaddress ::1").serving;
  EXPECT_EQ(s.metrics_port, 9123);
  EXPECT_EQ(s.metrics_bind_address, *IpAddress::parse("::1"));
  EXPECT_EQ(parseError("metricsport 65536"),
            "/etc/strata/strata.conf:1: metricsport: PORT must be an integer from 0 to 65535, "
            "got \"65536\"");
  EXPECT_EQ(parseError("bindmetricsaddress localhost"),
            "/etc/strata/strata.conf:1: bindmetricsaddress: ADDRESS must be an IPv4 or IPv6 "
            "address, got \"localhost\"");
}

}  // namespace
}  // namespace strata::config
