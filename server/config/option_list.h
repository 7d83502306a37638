#pragma once
// Parses the "[name [value]]..." option lists of server, refclock, local, hwtimestamp,
// ratelimit and driftfile. Each option is declared once with its target field and range;
// run() then walks the words, matches names case-insensitively, checks values with the
// checkers of directive_context.h and reports
//   unknown option "ibrust"        (a word that is no declared option)
//   option minpoll needs a value   (the line ends after a value option)
// A repeated option takes its last value. Not thread-safe; build one per line.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/ntp_time.h"
#include "server/config/directive_context.h"

namespace strata::config {

class OptionList {
 public:
  // Sets `target` when the word appears.
  OptionList& flag(std::string_view name, bool& target);
  // Calls `apply` when the word appears.
  OptionList& action(std::string_view name, std::function<void()> apply);
  OptionList& integer(std::string_view name, int64_t lo, int64_t hi, int& target);
  OptionList& integer(std::string_view name, int64_t lo, int64_t hi, std::optional<int>& target);
  OptionList& integer(std::string_view name, int64_t lo, int64_t hi, uint32_t& target);
  OptionList& real(std::string_view name, double lo, double hi, double& target);
  OptionList& real(std::string_view name, double lo, double hi, std::optional<double>& target);
  OptionList& seconds(std::string_view name, common::Nanos lo, common::Nanos hi,
                      common::Nanos& target);
  OptionList& seconds(std::string_view name, common::Nanos lo, common::Nanos hi,
                      std::optional<common::Nanos>& target);
  // A value option with its own check; `apply` reports its errors through the context and
  // returns false on error.
  OptionList& custom(std::string_view name,
                     std::function<bool(DirectiveContext&, std::string_view value)> apply);

  // Parses `words`. Returns false after the first error (already reported).
  bool run(DirectiveContext& ctx, std::span<const std::string_view> words) const;

 private:
  struct Option {
    std::string name;  // lower case
    bool takes_value;
    std::function<bool(DirectiveContext&, std::string_view)> apply;
  };
  OptionList& add(std::string_view name, bool takes_value,
                  std::function<bool(DirectiveContext&, std::string_view)> apply);
  std::vector<Option> options_;
};

}  // namespace strata::config
