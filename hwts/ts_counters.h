#pragma once
// Timestamp counters a serving worker embeds: where each packet's RX and TX timestamps came
// from (daemon = read by the daemon around the system call, kernel = software timestamp from
// SO_TIMESTAMPING, hardware = NIC), and what went wrong with TX stamps and hardware
// conversion. They feed chronyc's serverstats lines ("NTP daemon RX timestamps", ...).
//
// Plain integers, owned and written by one worker only. Other threads never read a live
// instance: the worker publishes copies (the struct is trivially copyable, e.g. through
// common::SeqLock) and the reader sums them with operator+=.

#include <cstdint>
#include <type_traits>

namespace strata::hwts {

enum class TimestampSource : uint8_t { kDaemon, kKernel, kHardware };

struct TimestampCounters {
  uint64_t rx_daemon = 0;
  uint64_t rx_kernel = 0;
  uint64_t rx_hardware = 0;
  uint64_t tx_daemon = 0;
  uint64_t tx_kernel = 0;
  uint64_t tx_hardware = 0;
  uint64_t tx_requested = 0;      // TX stamps requested from the error queue
  uint64_t tx_missing = 0;        // requested, never delivered (given up on)
  uint64_t tx_late = 0;           // delivered after the reply's slot had been reused/expired
  uint64_t hw_unconvertible = 0;  // hardware stamp present, no valid PHC conversion: fell back

  void countRx(TimestampSource source) {
    switch (source) {
      case TimestampSource::kDaemon:
        ++rx_daemon;
        break;
      case TimestampSource::kKernel:
        ++rx_kernel;
        break;
      case TimestampSource::kHardware:
        ++rx_hardware;
        break;
    }
  }
  void countTx(TimestampSource source) {
    switch (source) {
      case TimestampSource::kDaemon:
        ++tx_daemon;
        break;
      case TimestampSource::kKernel:
        ++tx_kernel;
        break;
      case TimestampSource::kHardware:
        ++tx_hardware;
        break;
    }
  }

  TimestampCounters& operator+=(const TimestampCounters& o) {
    rx_daemon += o.rx_daemon;
    rx_kernel += o.rx_kernel;
    rx_hardware += o.rx_hardware;
    tx_daemon += o.tx_daemon;
    tx_kernel += o.tx_kernel;
    tx_hardware += o.tx_hardware;
    tx_requested += o.tx_requested;
    tx_missing += o.tx_missing;
    tx_late += o.tx_late;
    hw_unconvertible += o.hw_unconvertible;
    return *this;
  }

  friend bool operator==(const TimestampCounters&, const TimestampCounters&) = default;
};
static_assert(std::is_trivially_copyable_v<TimestampCounters>);

}  // namespace strata::hwts
