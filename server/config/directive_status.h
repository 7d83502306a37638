#pragma once
// Which directives the daemon acts on today: the one place to change when a feature lands.
// For a typed directive that is not active, parsing succeeds with the warning
//   "<file>:<line>: <directive> is parsed but not active yet in this version"
// and for an unsupported one (parsed so that chrony configurations load, but Strata will not
// implement it)
//   "<file>:<line>: <directive> is parsed but not supported by Strata; ignored".
// Pure; thread-safe.

#include <span>
#include <string_view>

namespace strata::config {

enum class DirectiveStatus { kActive, kInactive, kUnsupported };

struct DirectiveState {
  std::string_view name;  // lower case
  DirectiveStatus status;
};

// Status of a typed or structural directive; kInactive for names not in the table.
DirectiveStatus directiveStatus(std::string_view lower_name);
bool isDirectiveActive(std::string_view lower_name);
// The whole table (one entry per typed and structural directive).
std::span<const DirectiveState> directiveStates();

}  // namespace strata::config
