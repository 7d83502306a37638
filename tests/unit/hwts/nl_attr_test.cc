#include "hwts/nl_attr.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include "tests/unit/hwts/nl_builder.h"

namespace strata::hwts {
namespace {

using testing::NlBuilder;

TEST(NlAttrReader, WalksAttributesWithPadding) {
  NlBuilder b;
  b.u8(1, 7).u32(2, 0xDEADBEEF).str(3, "eth0").flag(4);
  NlAttrReader r(b.data());
  auto a = r.next();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->type, 1);
  EXPECT_EQ(a->u8(), 7);
  EXPECT_FALSE(a->u32());  // wrong size
  a = r.next();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->u32(), 0xDEADBEEFu);
  a = r.next();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->str(), "eth0");
  a = r.next();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->type, 4);
  EXPECT_TRUE(a->payload.empty());
  EXPECT_FALSE(r.next());
  EXPECT_FALSE(r.malformed());
}

TEST(NlAttrReader, NestedFlagIsSeparatedFromType) {
  NlBuilder b;
  b.begin(5).u32(1, 42).end();
  NlAttrReader r(b.data());
  auto a = r.next();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->type, 5);
  EXPECT_TRUE(a->nested);
  NlAttrReader inner(a->payload);
  auto i = inner.next();
  ASSERT_TRUE(i);
  EXPECT_EQ(i->u32(), 42u);
}

TEST(NlAttrReader, NetworkByteOrderIsHonoured) {
  NlBuilder b;
  const uint32_t be = htonl(0x01020304);
  b.raw(static_cast<uint16_t>(1 | NLA_F_NET_BYTEORDER), &be, 4);
  NlAttrReader r(b.data());
  auto a = r.next();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->u32(), 0x01020304u);
}

TEST(NlAttrReader, LastAttributeMayOmitPadding) {
  NlBuilder b;
  b.u8(1, 9);
  std::vector<uint8_t> bytes = b.data();
  bytes.resize(5);  // header + 1 byte, no padding
  NlAttrReader r(bytes);
  auto a = r.next();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->u8(), 9);
  EXPECT_FALSE(r.next());
  EXPECT_FALSE(r.malformed());
}

TEST(NlAttrReader, RejectsLengthBeyondBuffer) {
  NlBuilder b;
  b.u32(1, 1);
  std::vector<uint8_t> bytes = b.data();
  bytes[0] = 200;  // nla_len larger than what is there
  NlAttrReader r(bytes);
  EXPECT_FALSE(r.next());
  EXPECT_TRUE(r.malformed());
}

TEST(NlAttrReader, RejectsLengthBelowHeaderAndTruncatedHeader) {
  std::vector<uint8_t> tiny = {2, 0, 1, 0};  // nla_len 2 < 4
  NlAttrReader r(tiny);
  EXPECT_FALSE(r.next());
  EXPECT_TRUE(r.malformed());
  std::vector<uint8_t> three = {8, 0, 1};
  NlAttrReader r3(three);
  EXPECT_FALSE(r3.next());
  EXPECT_TRUE(r3.malformed());
}

TEST(NlAttrReader, StringWithoutNulIsRejected) {
  NlBuilder b;
  b.raw(1, "abcd", 4);
  NlAttrReader r(b.data());
  auto a = r.next();
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->str());
}

}  // namespace
}  // namespace strata::hwts
