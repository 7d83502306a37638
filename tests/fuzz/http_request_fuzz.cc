// Fuzzes the metrics endpoint's HTTP request-head parser.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "server/control/http_request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto r = strata::server::control::parseHttpRequest(text, 1024);
  using S = strata::server::control::HttpRequest::Status;
  if (r.status == S::kComplete &&
      (r.head_length > size || r.head_length > 1024 || r.path.empty() || r.path[0] != '/')) {
    std::abort();
  }
  return 0;
}
