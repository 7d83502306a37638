#pragma once
// Golden data captured from Debian's real chronyc/chronyd 4.3 (tests/data/cmdmon, see the
// capture_*.py scripts there).

#include <cstdint>
#include <string>
#include <vector>

namespace strata::proto::cmdmon::testing {

// The bytes of tests/data/cmdmon/<name>; fails the current test if the file is missing.
std::vector<uint8_t> readGolden(const std::string& name);

}  // namespace strata::proto::cmdmon::testing
