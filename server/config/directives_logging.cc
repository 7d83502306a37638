// logdir, log.
#include "server/config/diagnostics.h"
#include "server/config/directives.h"
#include "server/config/tokenizer.h"

namespace strata::config {

namespace {

void logDir(DirectiveContext& ctx) { oneWord(ctx, "DIRECTORY", ctx.config().logging.logdir); }

// `log [OPTION]...`: several lines add up; a bare `log` is accepted and does nothing.
void log(DirectiveContext& ctx) {
  LogSelection selection = ctx.config().logging.log;
  for (std::string_view word : ctx.args()) {
    std::string name = toLower(word);
    if (name == "measurements") {
      selection.measurements = true;
    } else if (name == "rawmeasurements") {
      selection.raw_measurements = true;
    } else if (name == "selection") {
      selection.selection = true;
    } else if (name == "statistics") {
      selection.statistics = true;
    } else if (name == "tracking") {
      selection.tracking = true;
    } else if (name == "rtc") {
      selection.rtc = true;
    } else if (name == "refclocks") {
      selection.refclocks = true;
    } else if (name == "tempcomp") {
      selection.tempcomp = true;
    } else {
      ctx.error("unknown option " + quote(word) +
                " (expected measurements, rawmeasurements, selection, statistics, tracking, "
                "rtc, refclocks or tempcomp)");
      return;
    }
  }
  ctx.config().logging.log = selection;
}

constexpr DirectiveDef kDirectives[] = {{"logdir", logDir}, {"log", log}};

}  // namespace

std::span<const DirectiveDef> loggingDirectives() { return kDirectives; }

}  // namespace strata::config
