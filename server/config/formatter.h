#pragma once
// Prints a Config as chrony.conf-syntax text with every default written out (`stratad -p`).
// Settings that are off or unset (no driftfile, no ratelimit, ...) appear as comment lines
// saying so, because chrony's syntax has no way to switch them off explicitly. Parsing the
// output gives back an equal Config (include/confdir are already expanded; sourcedir lines
// are kept and their files re-read). Pure; thread-safe.

#include <string>
#include <string_view>

#include "server/config/config.h"

namespace strata::config {

std::string formatConfig(const Config& config);

// Single lines, without the newline, also used by formatConfig.
std::string formatNtpSource(const NtpSourceConfig& source);  // "server HOST port 123 ..."
std::string formatRefclock(const RefclockConfig& refclock);  // "refclock PHC /dev/ptp0:..."
std::string formatHwTimestamp(const HwTimestampConfig& hw);  // "hwtimestamp eth0 minpoll 0 ..."
// "allow all 10.0.0.0/8", "cmddeny", ... `directive` is "allow" or "cmdallow": the deny
// form is derived from it.
std::string formatAccessRule(std::string_view allow_directive, const AccessRule& rule);
// "ratelimit interval 3 burst 8 leak 2 kod 0" (kod only for "ratelimit").
std::string formatRateLimit(std::string_view directive, const RateLimitConfig& limit);

}  // namespace strata::config
