// Any byte string as NOTIFY_SOCKET's value: the parser either rejects it or returns an
// address whose length stays inside sockaddr_un and whose name round-trips.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "server/stratad/sd_notify.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view value(reinterpret_cast<const char*>(data), size);
  auto a = strata::stratad::notifySocketAddress(value);
  if (!a) return 0;
  const size_t offset = offsetof(sockaddr_un, sun_path);
  if (a->length <= offset || a->length > sizeof(sockaddr_un)) std::abort();
  const size_t name_length = a->length - offset - (value[0] == '@' ? 0 : 1);
  if (name_length != size) std::abort();
  if (std::memcmp(a->address.sun_path + 1, data + 1, size - 1) != 0) std::abort();
  return 0;
}
