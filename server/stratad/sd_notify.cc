#include "server/stratad/sd_notify.h"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

#include "common/unique_fd.h"

namespace strata::stratad {

common::Result<NotifyAddress> notifySocketAddress(std::string_view value) {
  if (value.empty()) return common::makeError("NOTIFY_SOCKET is empty");
  if (value.find('\0') != std::string_view::npos) {
    return common::makeError("NOTIFY_SOCKET contains a NUL byte");
  }
  const bool abstract = value.front() == '@';
  if (!abstract && value.front() != '/') {
    return common::makeError("NOTIFY_SOCKET \"" + std::string(value) +
                             "\" is neither an absolute path nor an abstract name (@...)");
  }
  NotifyAddress out;
  out.address.sun_family = AF_UNIX;
  // A path needs room for its terminating NUL; an abstract name is counted exactly.
  const size_t capacity = sizeof out.address.sun_path - (abstract ? 0 : 1);
  if (value.size() > capacity) {
    return common::makeError("NOTIFY_SOCKET is longer than a unix socket address allows (" +
                             std::to_string(value.size()) + " bytes)");
  }
  std::memcpy(out.address.sun_path, value.data(), value.size());
  if (abstract) out.address.sun_path[0] = '\0';
  out.length =
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + value.size() + (abstract ? 0 : 1));
  return out;
}

common::Result<bool> sdNotify(std::string_view state) {
  const char* value = std::getenv("NOTIFY_SOCKET");
  if (value == nullptr) return false;
  auto address = notifySocketAddress(value);
  if (!address) return address.error();
  common::UniqueFd fd(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd) return common::makeError(std::string("notify socket: ") + std::strerror(errno));
  const ssize_t sent =
      sendto(fd.get(), state.data(), state.size(), MSG_NOSIGNAL,
             reinterpret_cast<const sockaddr*>(&address->address), address->length);
  if (sent != static_cast<ssize_t>(state.size())) {
    return common::makeError(std::string("cannot notify the service manager at ") + value + ": " +
                             (sent < 0 ? std::strerror(errno) : "short write"));
  }
  return true;
}

void notifyServiceManager(std::string_view state) {
  if (auto r = sdNotify(state); !r) spdlog::warn("{}", r.error().message);
}

}  // namespace strata::stratad
