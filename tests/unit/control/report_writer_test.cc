// stratactl's chronyc-format fields at the edges of chronyc's unit ladders. The middle of the
// ranges is checked against the real chronyc by tests/integration/test_control.py.
#include "tools/stratactl/report_writer.h"

#include <gtest/gtest.h>

#include "tools/stratactl/json_writer.h"

namespace strata::tools {
namespace {

TEST(ReportWriter, DurationUnitsSwitchWhereChronycSwitchesThem) {
  auto d = [](double s, bool plus) { return ReportWriter(false).duration(s, plus).finish(); };
  EXPECT_EQ(d(9999.4e-9, true), "+9999ns");
  EXPECT_EQ(d(9999.6e-9, true), "  +10us");
  EXPECT_EQ(d(-9999.6e-6, true), "  -10ms");
  EXPECT_EQ(d(9.9994, false), "9999ms");
  EXPECT_EQ(d(9.9996, false), " 10.0s");
  EXPECT_EQ(d(999.4, true), "+999.4s");
  EXPECT_EQ(d(999.6, true), " +1000s");
  EXPECT_EQ(d(99999.6, false), " 1667m");
  EXPECT_EQ(d(99999.6 * 60, false), " 1667h");
  EXPECT_EQ(d(99999.6 * 3600, false), " 4167d");
  EXPECT_EQ(d(99999.6 * 86400, false), "  274y");
  EXPECT_EQ(d(0.0, true), "   +0ns");
  EXPECT_EQ(d(-0.0, false), "   0ns");
}

TEST(ReportWriter, IntervalsAndNever) {
  auto i = [](uint32_t s) { return ReportWriter(false).interval(s).finish(); };
  EXPECT_EQ(i(0), "   0");
  EXPECT_EQ(i(1199), "1199");
  EXPECT_EQ(i(1200), " 20m");
  EXPECT_EQ(i(35999), "599m");
  EXPECT_EQ(i(36000), " 10h");
  EXPECT_EQ(i(345599), " 95h");
  EXPECT_EQ(i(345600), "  4d");
  EXPECT_EQ(i(999 * 86400), "999d");
  EXPECT_EQ(i(1000 * 86400), "  2y");
  EXPECT_EQ(i(0xFFFFFFFF), "   -");
  EXPECT_EQ(ReportWriter(true).interval(0xFFFFFFFF).finish(), "4294967295\n");
}

TEST(ReportWriter, FrequenciesAndSlowFast) {
  EXPECT_EQ(ReportWriter(false).ppm(99999.4, true).finish(), "+99999.400");
  EXPECT_EQ(ReportWriter(false).ppm(-123456.0, false).finish(), "   -123456");
  EXPECT_EQ(ReportWriter(false).offsetSlowFast(0.0, 9).finish(), "0.000000000 seconds fast");
  EXPECT_EQ(ReportWriter(false).offsetSlowFast(1e-6, 9).finish(), "0.000001000 seconds slow");
  EXPECT_EQ(ReportWriter(false).freqFastSlow(0.0, 3).finish(), "0.000 ppm slow");
  EXPECT_EQ(ReportWriter(false).freqFastSlow(1.5, 3).finish(), "1.500 ppm fast");
}

TEST(ReportWriter, CsvDropsTextAndJoinsBareFields) {
  ReportWriter w(true);
  w.text("Label : ").refId(0xC0000201).text(" (").str("x", 27, true).text(")\n");
  w.duration(-1.5e-6, true)
      .clientInterval(127)
      .leap(3)
      .utcTime(common::sysTimeFromNanos(1'500'000'000));
  EXPECT_EQ(w.finish(), "C0000201,x,-0.000001500,127,Not synchronised,1.500000000\n");
}

TEST(ReportWriter, ChronycRenderings) {
  EXPECT_EQ(ReportWriter(false).utcTime(common::SysTime{}).finish(), "Thu Jan 01 00:00:00 1970");
  EXPECT_EQ(ReportWriter(false).leap(1, true).finish(), "+");
  EXPECT_EQ(ReportWriter(false).ntpMode(2).finish(), "Symmetric passive");
  EXPECT_EQ(ReportWriter(false).ntpMode(3).finish(), "Invalid");
  EXPECT_EQ(ReportWriter(false).stampSource('H').finish(), "Hardware");
  EXPECT_EQ(ReportWriter(false).binary(0x5, 4).finish(), "0101");
  EXPECT_EQ(refIdText(0x47505300), "GPS");
  EXPECT_EQ(refIdText(0x7F7F0101), "");  // chronyd's local reference: nothing printable
  EXPECT_EQ(log2ToDouble(-3), 0.125);
  EXPECT_EQ(log2ToDouble(40), 2147483648.0);
}

TEST(JsonWriter, NestsEscapesAndWritesNumbers) {
  JsonWriter j;
  j.beginObject()
      .field("a", "q\"\n\x01")
      .key("b")
      .beginArray()
      .value(1.5)
      .value(uint64_t{18446744073709551615u})
      .null()
      .endArray()
      .field("c", true)
      .endObject();
  EXPECT_EQ(j.finish(),
            "{\"a\":\"q\\\"\\n\\u0001\",\"b\":[1.5,18446744073709551615,null],\"c\":true}\n");
}

}  // namespace
}  // namespace strata::tools
