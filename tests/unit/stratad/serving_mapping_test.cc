// Serving directives from the configuration mapped onto the serving engine's options.
#include <gtest/gtest.h>

#include <limits>

#include "server/config/parser.h"
#include "server/stratad/config_mapping.h"

namespace strata::stratad {
namespace {

server::ServingOptions map(const std::string& text) {
  config::MemoryFileSystem fs;
  std::vector<std::string> warnings;
  auto cfg = config::parseConfigText(text, "test.conf", fs, warnings);
  EXPECT_TRUE(cfg) << cfg.error().message;
  return servingOptions(*cfg, CommandLine{});
}

TEST(ServingMapping, StampSheddingThreshold) {
  EXPECT_EQ(map("").shed_stamps_after_ns, 3'000'000);
  EXPECT_EQ(map("txstampshed 0.25\n").shed_stamps_after_ns, 250'000);
  EXPECT_EQ(map("txstampshed off\n").shed_stamps_after_ns, std::numeric_limits<int64_t>::max());
}

TEST(ServingMapping, BatchWorkersAndCalibration) {
  server::ServingOptions o = map("workers 3\nworkerbatch 64\ntxstampcal off\n");
  EXPECT_EQ(o.workers, 3u);
  EXPECT_EQ(o.batch_size, 64u);
  EXPECT_FALSE(o.tx_calibration);
  CommandLine cl;
  cl.workers = 2;
  config::MemoryFileSystem fs;
  std::vector<std::string> warnings;
  auto cfg = config::parseConfigText("workers 3\n", "test.conf", fs, warnings);
  ASSERT_TRUE(cfg);
  EXPECT_EQ(servingOptions(*cfg, cl).workers, 2u);  // the flag wins
}

}  // namespace
}  // namespace strata::stratad
