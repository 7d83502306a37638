#include "tests/unit/cmdmon/golden.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

namespace strata::proto::cmdmon::testing {

std::vector<uint8_t> readGolden(const std::string& name) {
  const std::string path = std::string(STRATA_TEST_DATA_DIR) + "/cmdmon/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing golden file " << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace strata::proto::cmdmon::testing
