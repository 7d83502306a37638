#pragma once
// Upstream NTP sources (`server`, `pool`, `peer`, and those read from `sourcedir` files) and
// the source-wide settings `acquisitionport` and `initstepslew`. Defaults are chrony's.
// Durations are common::Nanos parsed from seconds; poll intervals are log2 seconds. Values;
// thread-compatible.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ntp_time.h"

namespace strata::config {

enum class NtpSourceType : uint8_t { kServer, kPool, kPeer };

// Extension fields a source may be asked to use (`extfield TYPE`, hexadecimal in the file).
inline constexpr uint16_t kExtFieldExpMonoRoot = 0xF323;  // chrony's experimental field

struct NtpSourceConfig {
  NtpSourceType type = NtpSourceType::kServer;
  std::string address;    // host name or IP literal, as written
  int port = 123;         // 1..65535
  int minpoll_log2 = 6;   // -7..24
  int maxpoll_log2 = 10;  // -7..24; raised to minpoll_log2 when written below it (as chrony)
  bool iburst = false;
  bool burst = false;
  bool prefer = false;
  bool noselect = false;
  bool trust = false;
  bool require = false;
  bool xleave = false;
  bool offline = false;
  bool auto_offline = false;
  bool copy = false;
  uint32_t key_id = 0;  // `key ID`, 1..2^32-1; 0 = no symmetric key
  bool nts = false;
  int nts_port = 4460;                                     // `ntsport`, 1..65535
  uint32_t cert_set = 0;                                   // `certset`
  common::Nanos max_delay = common::Nanos(3'000'000'000);  // `maxdelay`, 0..1000 s
  double max_delay_ratio = 0.0;                            // `maxdelayratio`; 0 = test disabled
  double max_delay_dev_ratio = 10.0;                       // `maxdelaydevratio`
  std::optional<double> max_delay_quant;    // `maxdelayquant` 0.05..0.95; unset = off
  std::optional<common::Nanos> min_delay;   // `mindelay`; unset = minimum of the samples
  std::optional<double> asymmetry;          // `asymmetry` -0.5..0.5; unset = estimated
  common::Nanos offset = common::Nanos(0);  // `offset`, added to measured offsets
  int filter_polls = 0;                     // `filter`; 0 = no median filter
  std::optional<int> min_samples;           // unset = global default
  std::optional<int> max_samples;           // unset = global default
  int poll_target = 8;                      // `polltarget`
  std::optional<int> presend_log2;          // `presend`; unset = never
  int min_stratum = 0;                      // `minstratum`, 0..15
  std::optional<int> version;               // `version` 1..4; unset = automatic (4, or 3)
  std::vector<uint16_t> ext_fields;         // `extfield`, sorted, unique
  int max_sources = 4;                      // `maxsources` (pool only), 1..16

  friend bool operator==(const NtpSourceConfig&, const NtpSourceConfig&) = default;
};

// `initstepslew THRESHOLD [HOST]...` (deprecated in chrony in favour of makestep).
struct InitStepSlewConfig {
  common::Nanos threshold = common::Nanos(0);
  std::vector<std::string> hosts;

  friend bool operator==(const InitStepSlewConfig&, const InitStepSlewConfig&) = default;
};

struct SourcesConfig {
  std::vector<NtpSourceConfig> ntp;  // from server/pool/peer lines, in file order
  // `sourcedir DIR...`, repeatable: the directories of each line (kept so that a reload can
  // re-read them; relative paths already resolved) and the sources their *.sources files
  // held when the configuration was parsed.
  std::vector<std::vector<std::string>> source_dirs;
  std::vector<NtpSourceConfig> dir_sources;
  // `acquisitionport`: unset = a new socket with a random port per request; 0 = one socket
  // with a random port; else the source port of the one client socket.
  std::optional<int> acquisition_port;
  std::optional<InitStepSlewConfig> initstepslew;

  friend bool operator==(const SourcesConfig&, const SourcesConfig&) = default;
};

}  // namespace strata::config
