#pragma once
// Every directive name the parser knows, by kind:
//  - typed: a handler fills Config (directives.h groups);
//  - structural: include, confdir, sourcedir, handled by the parser itself;
//  - ignored chrony directives: known to chrony (4.3 and a few later ones) but not
//    implemented by Strata; accepted with the warning
//    "<file>:<line>: <directive> is a chrony directive that Strata does not implement; ignored".
// Any other word is an error. Names are lower case. Pure; thread-safe.

#include <span>
#include <string_view>
#include <vector>

#include "server/config/directives.h"

namespace strata::config {

// The handler of a typed directive, or nullptr.
const DirectiveDef* findTypedDirective(std::string_view lower_name);
std::vector<std::string_view> typedDirectiveNames();
std::span<const std::string_view> structuralDirectiveNames();
std::span<const std::string_view> ignoredChronyDirectiveNames();
bool isIgnoredChronyDirective(std::string_view lower_name);

}  // namespace strata::config
