// JSON result files given to --from: parse, read as a run, draw. Must never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tools/strataperf/json.h"
#include "tools/strataperf/results.h"
#include "tools/strataperf/svg_plot.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace strata::perf;
  auto doc = parseJson(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!doc) return 0;
  auto run = runFromJson(*doc);
  if (!run) return 0;
  if (run->steps.size() <= 64) (void)renderPlotSvg({*run});
  (void)toJson(*run);
  return 0;
}
