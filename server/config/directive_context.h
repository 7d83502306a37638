#pragma once
// What a directive handler gets: the words of its line, the Config being built, and ways to
// report errors and warnings with the line's "file:line" prefix. Plus the value checkers
// every handler uses, which report a uniform message on bad input:
//   "<file>:<line>: <directive>: <what> must be an integer from -7 to 24, got "30""
// Not thread-safe (one per line being parsed).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/ntp_time.h"
#include "server/config/config.h"
#include "server/config/diagnostics.h"

namespace strata::config {

class DirectiveContext {
 public:
  // `location` is "file:line"; `directive` the lower-case directive name; `args` the words
  // after it. `in_sourcedir`: the line comes from a sourcedir *.sources file.
  DirectiveContext(Config& config, Diagnostics& diagnostics, std::string location,
                   std::string directive, std::span<const std::string_view> args,
                   bool in_sourcedir = false);

  Config& config() { return config_; }
  const std::string& directive() const { return directive_; }
  const std::string& location() const { return location_; }
  std::span<const std::string_view> args() const { return args_; }
  bool inSourceDir() const { return in_sourcedir_; }

  // "<location>: <directive>: <message>". Marks the line as failed.
  void error(std::string_view message);
  // "<location>: <message>".
  void warning(std::string_view message);
  bool failed() const { return failed_; }

  // Succeeds when min <= args().size() <= max; else reports
  // "expected <usage>, got <the arguments quoted, or nothing>".
  bool expectArgCount(size_t min, size_t max, std::string_view usage);
  // The arguments as one quoted string, or "nothing".
  std::string quotedArgs() const;

 private:
  Config& config_;
  Diagnostics& diagnostics_;
  std::string location_;
  std::string directive_;
  std::span<const std::string_view> args_;
  bool in_sourcedir_;
  bool failed_ = false;
};

// Value checkers: on bad or out-of-range text they report through ctx and return nullopt.
std::optional<int64_t> intValue(DirectiveContext& ctx, std::string_view what, std::string_view text,
                                int64_t lo, int64_t hi);
std::optional<double> realValue(DirectiveContext& ctx, std::string_view what, std::string_view text,
                                double lo, double hi);
std::optional<common::Nanos> secondsValue(DirectiveContext& ctx, std::string_view what,
                                          std::string_view text, common::Nanos lo,
                                          common::Nanos hi);
// "on" / "off" (case-insensitive).
std::optional<bool> onOffValue(DirectiveContext& ctx, std::string_view what, std::string_view text);
// An IPv4 or IPv6 address literal (no brackets, no host names).
std::optional<common::IpAddress> addressValue(DirectiveContext& ctx, std::string_view what,
                                              std::string_view text);

constexpr common::Nanos secondsToNanos(int64_t s) { return common::Nanos(s * 1'000'000'000); }

}  // namespace strata::config
