#include "server/stratad/config_mapping.h"

#include <limits>

namespace strata::stratad {

std::vector<common::SocketAddress> servingAddresses(const config::Config& config,
                                                    const CommandLine& cl) {
  std::vector<common::IpAddress> ips = config.serving.bind_addresses;
  if (ips.empty()) ips = {common::IpAddress::anyV4(), common::IpAddress::anyV6()};
  std::vector<common::SocketAddress> out;
  for (const common::IpAddress& ip : ips) {
    if (cl.ipv4_only && !ip.isV4()) continue;
    if (cl.ipv6_only && ip.isV4()) continue;
    out.push_back(common::SocketAddress{ip, static_cast<uint16_t>(config.serving.port)});
  }
  return out;
}

server::RateLimitParams rateLimitParams(const config::RateLimitConfig& r) {
  return server::RateLimitParams{r.enabled, r.interval_log2, r.burst, r.leak, r.kod};
}

server::ServingOptions servingOptions(const config::Config& config, const CommandLine& cl) {
  server::ServingOptions o;
  o.bind = servingAddresses(config, cl);
  o.bind_device = config.serving.bind_device;
  o.dscp = config.serving.dscp;
  o.workers = static_cast<unsigned>(cl.workers.value_or(config.serving.workers));
  o.worker_cpus = config.serving.worker_cpus;
  o.batch_size = static_cast<unsigned>(config.serving.worker_batch);
  o.tx_calibration = config.serving.tx_stamp_calibration;
  o.shed_stamps_after_ns = config.serving.tx_stamp_shed_after
                               ? config.serving.tx_stamp_shed_after->count()
                               : std::numeric_limits<int64_t>::max();
  o.rate_limit = rateLimitParams(config.ratelimit);
  // noclientlog: keep the smallest table (one bucket per worker): rate limiting and
  // interleaved mode then hardly work, as in chrony where they need the client log.
  o.client_log_bytes = config.client_log.enabled ? config.client_log.limit_bytes : 0;
  return o;
}

server::AccessTable accessTable(const config::AccessConfig& access) {
  server::AccessTable table;
  for (const config::AccessRule& rule : access.rules) {
    const bool allow = rule.action == config::AccessRule::Action::kAllow;
    if (!rule.subnet) {
      allow ? table.allowEverything(rule.all) : table.denyEverything(rule.all);
    } else {
      allow ? table.allow(*rule.subnet, rule.all) : table.deny(*rule.subnet, rule.all);
    }
  }
  return table;
}

}  // namespace strata::stratad
