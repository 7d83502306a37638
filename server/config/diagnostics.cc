#include "server/config/diagnostics.h"

#include <cstdio>

namespace strata::config {

void Diagnostics::error(std::string message) {
  ++error_count_;
  if (error_count_ <= kMaxErrors) {
    errors_.push_back(std::move(message));
  } else if (error_count_ == kMaxErrors + 1) {
    errors_.push_back("too many errors; the rest are not shown");
  }
}

void Diagnostics::warning(std::string message) {
  ++warning_count_;
  if (warning_count_ <= kMaxWarnings) {
    warnings_.push_back(std::move(message));
  } else if (warning_count_ == kMaxWarnings + 1) {
    warnings_.push_back("too many warnings; the rest are not shown");
  }
}

std::string quote(std::string_view word) {
  constexpr size_t kMaxShown = 64;
  std::string out = "\"";
  size_t shown = 0;
  for (unsigned char c : word) {
    if (shown == kMaxShown) {
      out += "...";
      break;
    }
    if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
    ++shown;
  }
  out += '"';
  return out;
}

}  // namespace strata::config
