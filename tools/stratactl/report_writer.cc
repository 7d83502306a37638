#include "tools/stratactl/report_writer.h"

#include <cctype>
#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <ctime>

namespace strata::tools {

namespace {

std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* fmt, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  const int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return std::string(buf, n < 0 ? 0 : (n < static_cast<int>(sizeof buf) ? n : sizeof buf - 1));
}

// One of the unit ladders of chronyc's "Last sample" and "sourcestats" columns.
std::string durationText(double s, bool plus) {
  const double a = std::fabs(s);
  const double v = plus ? s : a;
  const char* f_small = plus ? "%+5.0f%s" : "%4.0f%s";
  const char* f_sec1 = plus ? "%+6.1fs" : "%5.1fs";
  const char* f_big = plus ? "%+6.0f%s" : "%5.0f%s";
  if (a < 9999.5e-9) return format(f_small, v * 1e9, "ns");
  if (a < 9999.5e-6) return format(f_small, v * 1e6, "us");
  if (a < 9999.5e-3) return format(f_small, v * 1e3, "ms");
  if (a < 999.5) return format(f_sec1, v);
  if (a < 99999.5) return format(f_big, v, "s");
  if (a < 99999.5 * 60) return format(f_big, v / 60, "m");
  if (a < 99999.5 * 3600) return format(f_big, v / 3600, "h");
  if (a < 99999.5 * 3600 * 24) return format(f_big, v / (3600 * 24), "d");
  return format(f_big, v / (3600 * 24 * 365), "y");
}

std::string intervalText(uint32_t s) {
  if (s == 0xFFFFFFFFu) return "   -";
  if (s < 1200) return format("%4" PRIu32, s);
  if (s < 36000) return format("%3" PRIu32 "m", s / 60);
  if (s < 345600) return format("%3" PRIu32 "h", s / 3600);
  const uint32_t days = s / 86400;
  if (days > 999) return format("%3" PRIu32 "y", days / 365);
  return format("%3" PRIu32 "d", days);
}

}  // namespace

std::string refIdText(uint32_t id) {
  std::string s;
  for (int i = 0; i < 4; ++i) {
    const unsigned c = (id >> (24 - 8 * i)) & 0xFF;
    if (std::isprint(static_cast<int>(c))) s += static_cast<char>(c);
  }
  return s;
}

double log2ToDouble(int l) {
  if (l > 31) l = 31;
  if (l < -31) l = -31;
  return l >= 0 ? static_cast<double>(uint32_t{1} << l)
                : 1.0 / static_cast<double>(uint32_t{1} << -l);
}

ReportWriter& ReportWriter::text(const std::string& s) {
  if (!csv_) out_ += s;
  return *this;
}

ReportWriter& ReportWriter::field(const std::string& text_form, const std::string& csv_form) {
  if (csv_) {
    if (fields_ > 0) out_ += ',';
    out_ += csv_form;
  } else {
    out_ += text_form;
  }
  ++fields_;
  return *this;
}

ReportWriter& ReportWriter::str(const std::string& s, int width, bool left) {
  return field(left ? format("%-*s", width, s.c_str()) : format("%*s", width, s.c_str()), s);
}

ReportWriter& ReportWriter::chr(char c) { return field(std::string(1, c), std::string(1, c)); }

ReportWriter& ReportWriter::integer(int64_t v, int width) {
  return field(format("%*" PRId64, width, v), format("%" PRId64, v));
}

ReportWriter& ReportWriter::unsignedInt(uint64_t v, int width) {
  return field(format("%*" PRIu64, width, v), format("%" PRIu64, v));
}

ReportWriter& ReportWriter::octal(unsigned v, int width) {
  return field(format("%*o", width, v), format("%o", v));
}

ReportWriter& ReportWriter::fixed(double v, int precision, bool plus, int width) {
  return field(format(plus ? "%+*.*f" : "%*.*f", width, precision, v),
               format("%.*f", precision, v));
}

ReportWriter& ReportWriter::binary(unsigned v, int digits) {
  std::string s;
  for (int i = digits - 1; i >= 0; --i) s += (v >> i) & 1 ? '1' : '0';
  return field(s, s);
}

ReportWriter& ReportWriter::yesNo(bool v) { return field(v ? "Yes" : "No", v ? "Yes" : "No"); }

ReportWriter& ReportWriter::refId(uint32_t id) {
  const std::string hex = format("%08" PRIX32, id);
  return field(hex, hex);
}

ReportWriter& ReportWriter::interval(uint32_t seconds) {
  return field(intervalText(seconds), format("%" PRIu32, seconds));
}

ReportWriter& ReportWriter::duration(double seconds, bool plus) {
  return field(durationText(seconds, plus), format("%.9f", seconds));
}

ReportWriter& ReportWriter::ppm(double value, bool plus) {
  const bool wide = std::fabs(value) < 99999.5;
  const char* f = plus ? (wide ? "%+10.3f" : "%+10.0f") : (wide ? "%10.3f" : "%10.0f");
  return field(format(f, value), format("%.3f", value));
}

ReportWriter& ReportWriter::offsetSlowFast(double seconds, int precision) {
  return field(
      format("%.*f seconds %s", precision, std::fabs(seconds), seconds > 0 ? "slow" : "fast"),
      format("%.9f", seconds));
}

ReportWriter& ReportWriter::freqFastSlow(double ppm_value, int precision) {
  return field(
      format("%.*f ppm %s", precision, std::fabs(ppm_value), ppm_value > 0 ? "fast" : "slow"),
      format("%.3f", ppm_value));
}

ReportWriter& ReportWriter::leap(unsigned status, bool short_form) {
  const char* s;
  switch (status) {
    case 0:
      s = short_form ? "N" : "Normal";
      break;
    case 1:
      s = short_form ? "+" : "Insert second";
      break;
    case 2:
      s = short_form ? "-" : "Delete second";
      break;
    case 3:
      s = short_form ? "?" : "Not synchronised";
      break;
    default:
      s = short_form ? "?" : "Invalid";
      break;
  }
  return field(s, s);
}

ReportWriter& ReportWriter::ntpMode(unsigned mode) {
  const char* s = mode == 1   ? "Symmetric active"
                  : mode == 2 ? "Symmetric passive"
                  : mode == 4 ? "Server"
                              : "Invalid";
  return field(s, s);
}

ReportWriter& ReportWriter::stampSource(unsigned c) {
  const char* s = c == 'D' ? "Daemon" : c == 'K' ? "Kernel" : c == 'H' ? "Hardware" : "Invalid";
  return field(s, s);
}

ReportWriter& ReportWriter::clientInterval(int v) {
  return field(v >= 127 ? std::string(" -") : format("%2d", v), format("%d", v));
}

namespace {
void splitSeconds(common::SysTime t, int64_t& sec, int64_t& nsec) {
  const int64_t ns = common::nanosSinceEpoch(t);
  sec = ns / common::kNanosPerSecond;
  nsec = ns % common::kNanosPerSecond;
  if (nsec < 0) {
    nsec += common::kNanosPerSecond;
    --sec;
  }
}
}  // namespace

std::string epochSeconds(common::SysTime t) {
  int64_t sec = 0, nsec = 0;
  splitSeconds(t, sec, nsec);
  return format("%" PRId64 ".%09" PRId64, sec, nsec);
}

ReportWriter& ReportWriter::utcTime(common::SysTime t) {
  int64_t sec = 0, nsec = 0;
  splitSeconds(t, sec, nsec);
  std::string text_form;
  const time_t tt = static_cast<time_t>(sec);
  struct tm tm;
  if (gmtime_r(&tt, &tm) != nullptr) {
    char buf[64];
    const size_t n = std::strftime(buf, sizeof buf, "%a %b %d %T %Y", &tm);
    text_form.assign(buf, n);
  }
  return field(text_form, epochSeconds(t));
}

std::string ReportWriter::finish() const { return csv_ ? out_ + "\n" : out_; }

}  // namespace strata::tools
