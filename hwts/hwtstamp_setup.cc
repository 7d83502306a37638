#include "hwts/hwtstamp_setup.h"

#include <cerrno>
#include <cstring>

#include "hwts/ts_names.h"

namespace strata::hwts {

using common::makeError;
using common::Result;

namespace {

// What an errno from SIOCSHWTSTAMP/SIOCGHWTSTAMP means here.
std::string explainErrno(int err) {
  std::string text = std::strerror(err);
  switch (err) {
    case EOPNOTSUPP:
      return text + " (the driver has no hardware timestamping)";
    case EPERM:
    case EACCES:
      return text + " (needs CAP_NET_ADMIN)";
    case ENODEV:
      return text + " (no such interface)";
    case EBUSY:
      return text + " (the device is busy, e.g. another program owns its timestamping)";
    default:
      return text;
  }
}

bool filterRefused(int err) { return err == ERANGE || err == EINVAL; }

std::string capabilitySummary(const TimestampingInfo& info) {
  std::string text;
  for (const std::string& name : sofFlagNames(info.so_timestamping)) {
    text += (text.empty() ? "" : " ") + name;
  }
  if (text.empty()) text = "no timestamping";
  text += info.phc_index ? "; PHC " + phcPathForIndex(*info.phc_index) : "; no PHC";
  return text;
}

}  // namespace

std::vector<int> planRxFilters(RxFilterChoice choice, const std::optional<TimestampingInfo>& info) {
  auto advertised = [&](int filter) { return !info || info->hasRxFilter(filter); };
  std::vector<int> plan;
  switch (choice) {
    case RxFilterChoice::kAny:
      if (advertised(HWTSTAMP_FILTER_NTP_ALL)) plan.push_back(HWTSTAMP_FILTER_NTP_ALL);
      if (advertised(HWTSTAMP_FILTER_ALL)) plan.push_back(HWTSTAMP_FILTER_ALL);
      plan.push_back(HWTSTAMP_FILTER_NONE);
      break;
    case RxFilterChoice::kAll:
      plan.push_back(HWTSTAMP_FILTER_ALL);
      break;
    case RxFilterChoice::kNtp:
      plan.push_back(HWTSTAMP_FILTER_NTP_ALL);
      break;
    case RxFilterChoice::kPtp:
      // NTP-over-PTP travels over UDP: any PTPv2 event filter that covers layer 4 will do.
      plan.push_back(HWTSTAMP_FILTER_PTP_V2_EVENT);
      if (!info || info->hasRxFilter(HWTSTAMP_FILTER_PTP_V2_L4_EVENT)) {
        plan.push_back(HWTSTAMP_FILTER_PTP_V2_L4_EVENT);
      }
      break;
    case RxFilterChoice::kNone:
      plan.push_back(HWTSTAMP_FILTER_NONE);
      break;
  }
  return plan;
}

bool rxFilterSatisfies(RxFilterChoice choice, int rx_filter) {
  switch (choice) {
    case RxFilterChoice::kAny:
    case RxFilterChoice::kNone:
      return true;
    case RxFilterChoice::kAll:
      return rx_filter == HWTSTAMP_FILTER_ALL;
    case RxFilterChoice::kNtp:
      return rx_filter == HWTSTAMP_FILTER_NTP_ALL || rx_filter == HWTSTAMP_FILTER_ALL;
    case RxFilterChoice::kPtp:
      return rx_filter == HWTSTAMP_FILTER_PTP_V2_EVENT ||
             rx_filter == HWTSTAMP_FILTER_PTP_V2_L4_EVENT || rx_filter == HWTSTAMP_FILTER_ALL;
  }
  return false;
}

std::string HwTstampOutcome::describe() const {
  std::string text = iface + ": hardware timestamping ";
  text += already_configured ? "already configured" : "enabled";
  text += ": TX " + describeTxType(tx_type) + ", RX filter " + describeRxFilter(rx_filter);
  if (!rx_stamps_ntp) text += " (TX only: received packets get kernel timestamps)";
  if (phc_index) text += ", PHC " + phcPathForIndex(*phc_index);
  return text;
}

namespace {

// The work of enableHwTimestamping(); on failure returns nullopt and sets `reason` (without
// the interface name).
std::optional<HwTstampOutcome> tryEnable(const std::string& iface,
                                         const HwTimestampOptions& options,
                                         HwTstampControl& control,
                                         const std::optional<TimestampingInfo>& info,
                                         std::string& reason) {
  HwTstampOutcome outcome;
  outcome.iface = iface;
  if (info) outcome.phc_index = info->phc_index;

  int fatal_errno = 0;  // an error that makes further SIOCSHWTSTAMP attempts pointless
  for (int filter : planRxFilters(options.rx_filter, info)) {
    hwtstamp_config config{};
    config.tx_type = HWTSTAMP_TX_ON;
    config.rx_filter = filter;
    const int err = control.set(iface, config);
    if (err == 0) {
      const bool rx_ok =
          rxFilterSatisfies(options.rx_filter, config.rx_filter) &&
          (filter == HWTSTAMP_FILTER_NONE || config.rx_filter != HWTSTAMP_FILTER_NONE);
      if (config.tx_type == HWTSTAMP_TX_ON && rx_ok) {
        outcome.tx_type = config.tx_type;
        outcome.rx_filter = config.rx_filter;
        outcome.rx_stamps_ntp = rxFilterStampsNtp(config.rx_filter);
        return outcome;
      }
      outcome.refused.push_back(describeRxFilter(filter) + ": driver answered TX " +
                                describeTxType(config.tx_type) + ", RX " +
                                describeRxFilter(config.rx_filter));
      continue;
    }
    outcome.refused.push_back(describeRxFilter(filter) + ": " + std::strerror(err));
    if (!filterRefused(err)) {
      fatal_errno = err;
      break;
    }
  }

  // Setting failed: the NIC may already be configured (by us earlier, or by another program
  // such as ptp4l), which is good enough if TX stamping is on and RX suits the choice.
  hwtstamp_config current{};
  const int get_err = control.get(iface, current);
  if (get_err == 0 && current.tx_type == HWTSTAMP_TX_ON &&
      rxFilterSatisfies(options.rx_filter, current.rx_filter)) {
    outcome.tx_type = current.tx_type;
    outcome.rx_filter = current.rx_filter;
    outcome.rx_stamps_ntp = rxFilterStampsNtp(current.rx_filter);
    outcome.already_configured = true;
    return outcome;
  }

  std::string message = "SIOCSHWTSTAMP: ";
  if (fatal_errno != 0) {
    message += explainErrno(fatal_errno);
  } else {
    message += "every RX filter refused (";
    for (size_t i = 0; i < outcome.refused.size(); ++i) {
      message += (i ? "; " : "") + outcome.refused[i];
    }
    message += ")";
  }
  if (get_err == 0) {
    message += "; current configuration TX " + describeTxType(current.tx_type) + ", RX " +
               describeRxFilter(current.rx_filter);
  }
  if (info) message += "; ethtool reports: " + capabilitySummary(*info);
  reason = std::move(message);
  return std::nullopt;
}

}  // namespace

Result<HwTstampOutcome> enableHwTimestamping(const std::string& iface,
                                             const HwTimestampOptions& options,
                                             HwTstampControl& control,
                                             const std::optional<TimestampingInfo>& info) {
  std::string reason;
  if (auto outcome = tryEnable(iface, options, control, info, reason)) return std::move(*outcome);
  std::string message = iface + ": cannot enable hardware timestamping";
  if (options.rx_filter != RxFilterChoice::kAny) {
    message += " with rxfilter " + std::string(rxFilterChoiceName(options.rx_filter));
  }
  return makeError(message + ": " + reason);
}

std::string WildcardEntry::describe() const {
  if (outcome) return outcome->describe();
  return iface.name + ": hardware timestamping skipped: " + skipped_reason;
}

Result<std::vector<WildcardEntry>> enableHwTimestampingEverywhere(const HwTimestampOptions& options,
                                                                  HwTstampControl& control,
                                                                  Discovery& discovery) {
  auto all = discovery.lister().list();
  if (!all) return all.error();
  std::vector<WildcardEntry> entries;
  for (const InterfaceRef& iface : *all) {
    WildcardEntry entry;
    entry.iface = iface;
    std::optional<TimestampingInfo> info;
    if (auto ts = discovery.timestampingInfo(iface)) info = *ts;
    if (info && assessHardwareSupport(*info) == HardwareSupport::kNone) {
      entry.skipped_reason =
          "no hardware timestamping (ethtool reports: " + capabilitySummary(*info) + ")";
    } else {
      entry.outcome = tryEnable(iface.name, options, control, info, entry.skipped_reason);
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace strata::hwts
