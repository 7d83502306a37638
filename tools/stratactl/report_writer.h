#pragma once
// ReportWriter: builds chronyc-shaped report text, or chronyc's CSV (-c) for the same report.
// A report is a sequence of literal text and typed fields. In text mode both are printed with
// chronyc's formats; in CSV mode literal text is left out and the fields are printed bare,
// separated by commas, with one newline at the end of the report.
// Pure (formats into a string); thread-compatible.

#include <cstdint>
#include <string>

#include "common/ntp_time.h"

namespace strata::tools {

class ReportWriter {
 public:
  explicit ReportWriter(bool csv) : csv_(csv) {}

  // Literal text (labels, padding, newlines): text mode only.
  ReportWriter& text(const std::string& s);

  // Plain fields. `width` pads on the left (or on the right with `left`), text mode only.
  ReportWriter& str(const std::string& s, int width = 0, bool left = false);
  ReportWriter& chr(char c);
  ReportWriter& integer(int64_t v, int width = 0);
  ReportWriter& unsignedInt(uint64_t v, int width = 0);
  ReportWriter& octal(unsigned v, int width = 0);
  // `precision` digits after the point; `plus` forces a sign.
  ReportWriter& fixed(double v, int precision, bool plus = false, int width = 0);
  // The lowest `digits` bits, most significant first ("111").
  ReportWriter& binary(unsigned v, int digits);
  ReportWriter& yesNo(bool v);

  // chronyc's special fields.
  // Reference ID as 8 hex digits.
  ReportWriter& refId(uint32_t id);
  // Seconds ago/interval: "  12", " 25m", "  3h", "  4d", "  2y"; "   -" for never (0xFFFFFFFF).
  // CSV: the raw number.
  ReportWriter& interval(uint32_t seconds);
  // A duration with a unit chosen by magnitude (ns, us, ms, s, m, h, d, y), as in "sources":
  // 6 columns unsigned, 7 with `plus`. CSV: seconds with 9 decimals.
  ReportWriter& duration(double seconds, bool plus);
  // Frequency in ppm, 10 columns, 3 decimals (none above 99999.5). CSV: 3 decimals.
  ReportWriter& ppm(double value, bool plus);
  // "0.000986114 seconds slow" (positive = slow). CSV: the signed value, 9 decimals.
  ReportWriter& offsetSlowFast(double seconds, int precision);
  // "96.481 ppm fast" (positive = fast). CSV: the signed value, 3 decimals.
  ReportWriter& freqFastSlow(double ppm, int precision);
  // Leap status: "Normal", "Insert second", ... (`short_form`: "N", "+", "-", "?").
  ReportWriter& leap(unsigned status, bool short_form = false);
  // NTP mode of a peer: "Server", "Symmetric active", "Symmetric passive", else "Invalid".
  ReportWriter& ntpMode(unsigned mode);
  // Timestamping source: 'D' Daemon, 'K' Kernel, 'H' Hardware, else "Invalid".
  ReportWriter& stampSource(unsigned c);
  // Client-log interval (log2 seconds); 127 or more prints " -". CSV: the number.
  ReportWriter& clientInterval(int v);
  // UTC date as "Sat Sep 29 11:46:08 2018". CSV: seconds.nanoseconds since the epoch.
  ReportWriter& utcTime(common::SysTime t);

  // The report so far; in CSV mode terminated by a newline.
  std::string finish() const;

 private:
  ReportWriter& field(const std::string& text_form, const std::string& csv_form);
  bool csv_;
  std::string out_;
  int fields_ = 0;
};

// chronyc's renderings used by several commands.
// Printable characters of a reference ID ("GPS"); others are skipped.
std::string refIdText(uint32_t id);
// "1538221568.250000000": seconds since the epoch with nanoseconds (chronyc's CSV form).
std::string epochSeconds(common::SysTime t);
// 2^log2 as a double, with chronyc's clamp to +-31.
double log2ToDouble(int log2);

}  // namespace strata::tools
