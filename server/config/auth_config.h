#pragma once
// Authentication: the symmetric key file and the NTS server. Values; thread-compatible.

#include <chrono>
#include <string>
#include <vector>

#include "server/config/ratelimit_config.h"

namespace strata::config {

struct AuthConfig {
  std::string keyfile;  // `keyfile`; empty = no symmetric keys
  // `ntsserverkey` / `ntsservercert`, repeatable; the Nth key belongs to the Nth certificate.
  std::vector<std::string> nts_server_keys;
  std::vector<std::string> nts_server_certs;
  int nts_port = 4460;  // `ntsport` (NTS-KE, TCP), 0..65535
  // `ntsrotate`: rotation interval of the cookie key; 0 = keys managed externally.
  std::chrono::seconds nts_rotate = std::chrono::seconds(604800);
  std::string nts_dumpdir;  // `ntsdumpdir`; empty = keys and cookies are not saved
  RateLimitConfig nts_ratelimit = kNtsRateLimitDefaults;  // `ntsratelimit`

  friend bool operator==(const AuthConfig&, const AuthConfig&) = default;
};

}  // namespace strata::config
