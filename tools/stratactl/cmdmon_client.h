#pragma once
// CmdmonClient: stratactl's side of chronyc's command protocol. Talks to stratad (or chronyd)
// over the unix socket or UDP, with chronyc's retry scheme (timeout 1 s, doubled per retry,
// 2 retries). Over the unix socket it binds an abstract address, so it needs only write access
// to the daemon's socket, not to its directory.
//
// Targets are tried in order until one can be opened; a transport error message names the
// target and the likely cause (daemon not running, permission). Not thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"
#include "proto/cmdmon/messages.h"

namespace strata::tools {

inline constexpr const char* kDefaultSocketPath = "/run/strata/stratad.sock";

struct CmdmonClientOptions {
  // "/path/to/socket" (unix) or a host name / address (UDP on `port`), tried in order.
  std::vector<std::string> targets = {kDefaultSocketPath, "127.0.0.1", "::1"};
  uint16_t port = 323;
  int family = 0;  // 0 any, 4 or 6: which addresses host names resolve to
  int initial_timeout_ms = 1000;
  int max_retries = 2;
};

// A reply whose status may be an error; transport failures are Result errors instead.
class CmdmonClient {
 public:
  explicit CmdmonClient(CmdmonClientOptions options) : options_(std::move(options)) {}

  // Opens the first usable target. Errors explain why none could be used.
  common::Result<void> open();
  // Sends one request and waits for its reply (matching command and sequence).
  common::Result<proto::cmdmon::Reply> request(uint16_t command,
                                               proto::cmdmon::RequestBody body = {});
  // Where the requests go ("/run/strata/stratad.sock", "127.0.0.1:323").
  const std::string& target() const { return target_; }
  bool overUnixSocket() const { return unix_; }
  // Why the targets before the one in use could not be opened ("" if it was the first).
  const std::string& skippedTargets() const { return skipped_; }

 private:
  common::Result<void> openUnix(const std::string& path);
  common::Result<void> openUdp(const std::string& host);

  CmdmonClientOptions options_;
  common::UniqueFd fd_;
  std::string target_;
  std::string skipped_;
  bool unix_ = false;
};

}  // namespace strata::tools
