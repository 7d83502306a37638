#include "hwts/hwtstamp_options.h"

namespace strata::hwts {

std::optional<RxFilterChoice> parseRxFilterChoice(std::string_view word) {
  if (word == "all") return RxFilterChoice::kAll;
  if (word == "ntp") return RxFilterChoice::kNtp;
  if (word == "ptp") return RxFilterChoice::kPtp;
  if (word == "none") return RxFilterChoice::kNone;
  return std::nullopt;
}

std::string_view rxFilterChoiceName(RxFilterChoice choice) {
  switch (choice) {
    case RxFilterChoice::kAny:
      return "any";
    case RxFilterChoice::kAll:
      return "all";
    case RxFilterChoice::kNtp:
      return "ntp";
    case RxFilterChoice::kPtp:
      return "ptp";
    case RxFilterChoice::kNone:
      return "none";
  }
  return "?";
}

}  // namespace strata::hwts
