#include "tools/stratactl/hwinfo_command.h"

#include <gtest/gtest.h>
#include <linux/net_tstamp.h>

#include <sstream>

#include "tests/unit/hwts/fakes.h"

namespace strata::stratactl {
namespace {

using hwts::Duplex;
using hwts::LinkInfo;
using hwts::TimestampingInfo;
using hwts::testing::FakeLister;
using hwts::testing::FakeSource;

class HwinfoCommand : public ::testing::Test {
 protected:
  HwinfoCommand() : source_("ethtool netlink"), discovery_(lister_, &source_, nullptr) {
    lister_.interfaces = {{"lo", 1}, {"enp1s0f0", 2}};
    TimestampingInfo lo;
    lo.so_timestamping =
        SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
    source_.ts["lo"] = lo;
    TimestampingInfo nic;
    nic.so_timestamping = SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_TX_SOFTWARE |
                          SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_RX_SOFTWARE |
                          SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_RAW_HARDWARE;
    nic.phc_index = 0;
    nic.tx_types = (1u << HWTSTAMP_TX_OFF) | (1u << HWTSTAMP_TX_ON);
    nic.rx_filters = (1u << HWTSTAMP_FILTER_NONE) | (1u << HWTSTAMP_FILTER_ALL);
    source_.ts["enp1s0f0"] = nic;
    source_.links["enp1s0f0"] = LinkInfo{25000, Duplex::kFull};
  }

  int run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    return runHwinfoCommand(args, out_, err_, discovery_);
  }

  FakeLister lister_;
  FakeSource source_;
  hwts::Discovery discovery_;
  std::ostringstream out_, err_;
};

TEST_F(HwinfoCommand, TextForOneCapableInterface) {
  EXPECT_EQ(run({"enp1s0f0"}), 0);
  EXPECT_EQ(out_.str(),
            "enp1s0f0 (ifindex 2)\n"
            "  Hardware timestamping : yes, TX and RX (RX filter all)\n"
            "  PHC                   : /dev/ptp0\n"
            "  Capabilities          : hardware-transmit software-transmit hardware-receive\n"
            "                          software-receive software-system-clock\n"
            "                          hardware-raw-clock\n"
            "  TX types              : off on\n"
            "  RX filters            : none all\n"
            "  Link                  : 25000 Mb/s, full duplex\n"
            "  Source                : ethtool netlink\n");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(HwinfoCommand, TextForEveryInterfaceWithSummary) {
  EXPECT_EQ(run({}), 0);
  const std::string out = out_.str();
  EXPECT_EQ(out.rfind("lo (ifindex 1)\n"
                      "  Hardware timestamping : no (software timestamps only)\n"
                      "  PHC                   : none\n"
                      "  Capabilities          : software-transmit software-receive\n"
                      "                          software-system-clock\n"
                      "  TX types              : none\n"
                      "  RX filters            : none\n"
                      "  Link                  : not reported by the driver\n",
                      0),
            0u)
      << out;
  EXPECT_NE(out.find("\nenp1s0f0 (ifindex 2)\n"), std::string::npos);
  EXPECT_NE(out.find("\n2 interfaces, 1 with hardware timestamping\n"), std::string::npos);
  for (size_t start = 0, end; (end = out.find('\n', start)) != std::string::npos; start = end + 1) {
    EXPECT_LE(end - start, 79u) << out.substr(start, end - start);
  }
}

TEST_F(HwinfoCommand, Json) {
  EXPECT_EQ(run({"--json", "lo"}), 0);
  EXPECT_EQ(out_.str(),
            "{\n"
            "  \"interfaces\": [\n"
            "    {\n"
            "      \"name\": \"lo\",\n"
            "      \"ifindex\": 1,\n"
            "      \"hardware_timestamping\": \"none\",\n"
            "      \"phc_index\": null,\n"
            "      \"phc\": null,\n"
            "      \"capabilities\": [\"software-transmit\", \"software-receive\", "
            "\"software-system-clock\"],\n"
            "      \"tx_types\": [],\n"
            "      \"rx_filters\": [],\n"
            "      \"source\": \"ethtool netlink\",\n"
            "      \"error\": null,\n"
            "      \"link\": {\"speed_mbps\": null, \"duplex\": null, \"error\": \"ethtool "
            "netlink: Operation not supported\"}\n"
            "    }\n"
            "  ]\n"
            "}\n");
}

TEST_F(HwinfoCommand, JsonOfCapableInterfaceAndEscaping) {
  lister_.interfaces.push_back({"we\"ird", 3});
  EXPECT_EQ(run({"--json", "enp1s0f0", "we\"ird"}), 0);
  const std::string out = out_.str();
  EXPECT_NE(out.find("\"hardware_timestamping\": \"tx-rx\""), std::string::npos);
  EXPECT_NE(out.find("\"phc_index\": 0,\n      \"phc\": \"/dev/ptp0\""), std::string::npos);
  EXPECT_NE(out.find("\"link\": {\"speed_mbps\": 25000, \"duplex\": \"full\", \"error\": null}"),
            std::string::npos);
  EXPECT_NE(out.find("\"name\": \"we\\\"ird\""), std::string::npos);
  EXPECT_NE(out.find("\"error\": \"ethtool netlink: Operation not supported\""), std::string::npos);
}

TEST_F(HwinfoCommand, UnknownInterfaceAndUsage) {
  EXPECT_EQ(run({"eth9"}), 1);
  EXPECT_EQ(err_.str(), "hwinfo: no such interface 'eth9'\n");
  EXPECT_EQ(run({"--bogus"}), 2);
  EXPECT_EQ(err_.str().rfind("hwinfo: unknown option '--bogus'\nUsage: stratactl hwinfo", 0), 0u);
  EXPECT_EQ(run({"--help"}), 0);
  EXPECT_EQ(out_.str().rfind("Usage: stratactl hwinfo [--json] [IFACE...]\n", 0), 0u);
}

TEST(HwinfoCommandReal, LoopbackOnThisMachine) {
  std::ostringstream out, err;
  EXPECT_EQ(runHwinfoCommand({"lo"}, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("lo (ifindex 1)\n  Hardware timestamping : no (software timestamps "
                           "only)\n  PHC                   : none\n"),
            std::string::npos)
      << out.str();
}

}  // namespace
}  // namespace strata::stratactl
