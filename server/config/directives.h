#pragma once
// Directive handlers, one group per file (directives_<group>.cc). A handler reads its
// context's words, stores typed values into the context's Config and reports bad input
// through the context; it never throws. Pure; thread-safe (no shared state).

#include <span>
#include <string_view>

#include "server/config/directive_context.h"

namespace strata::config {

using DirectiveHandler = void (*)(DirectiveContext&);

struct DirectiveDef {
  std::string_view name;  // lower case
  DirectiveHandler handler;
};

std::span<const DirectiveDef> servingDirectives();      // port bindaddress binddevice dscp local
std::span<const DirectiveDef> strataDirectives();       // workers workerbatch workercpus ...
std::span<const DirectiveDef> accessDirectives();       // allow deny cmdallow cmddeny
std::span<const DirectiveDef> sourceDirectives();       // server pool peer acquisitionport ...
std::span<const DirectiveDef> refclockDirectives();     // refclock
std::span<const DirectiveDef> hwtimestampDirectives();  // hwtimestamp
std::span<const DirectiveDef> disciplineDirectives();   // driftfile makestep max* leap* ...
std::span<const DirectiveDef> loggingDirectives();      // logdir log
std::span<const DirectiveDef> controlDirectives();      // bindcmdaddress cmdport
std::span<const DirectiveDef> ratelimitDirectives();    // *ratelimit clientloglimit noclientlog
std::span<const DirectiveDef> authDirectives();         // keyfile nts*
std::span<const DirectiveDef> deploymentDirectives();   // pidfile user sched_priority ...

// Shared by the groups: directives with one value or none.
void noArguments(DirectiveContext& ctx, bool& target);  // flag directives: sets target
// One word stored as is (a path, a name).
void oneWord(DirectiveContext& ctx, std::string_view usage, std::string& target);
void oneInteger(DirectiveContext& ctx, std::string_view usage, int64_t lo, int64_t hi, int& target);
void oneReal(DirectiveContext& ctx, std::string_view usage, double lo, double hi, double& target);
void oneSeconds(DirectiveContext& ctx, std::string_view usage, common::Nanos lo, common::Nanos hi,
                common::Nanos& target);

}  // namespace strata::config
