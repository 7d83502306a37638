#include "common/anonymous_memory.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <utility>

namespace strata::common {
namespace {

TEST(AnonymousMemory, ReadsAsZerosAndKeepsWhatIsWritten) {
  AnonymousMemory m(1 << 20);
  ASSERT_EQ(m.bytes(), size_t{1} << 20);
  uint64_t* words = m.as<uint64_t>();
  ASSERT_NE(words, nullptr);
  EXPECT_EQ(words[0], 0u);
  EXPECT_EQ(words[(1 << 17) - 1], 0u);
  words[12345] = 42;
  EXPECT_EQ(words[12345], 42u);
}

TEST(AnonymousMemory, MovesOwnershipAndZeroBytesReserveNothing) {
  AnonymousMemory a(4096);
  a.as<uint8_t>()[7] = 9;
  AnonymousMemory b(std::move(a));
  EXPECT_EQ(a.as<uint8_t>(), nullptr);  // NOLINT(bugprone-use-after-move): moved-from is empty
  EXPECT_EQ(a.bytes(), 0u);
  EXPECT_EQ(b.as<uint8_t>()[7], 9);
  AnonymousMemory c;
  c = std::move(b);
  EXPECT_EQ(c.as<uint8_t>()[7], 9);
  EXPECT_EQ(AnonymousMemory(0).as<uint8_t>(), nullptr);
}

}  // namespace
}  // namespace strata::common
