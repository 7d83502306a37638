#pragma once
// What a strataperf run measured, and its output formats: the terminal table, CSV and JSON
// (which --plot reads back). Pure (strings in and out); thread-compatible.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "tools/strataperf/json.h"
#include "tools/strataperf/reply_check.h"
#include "tools/strataperf/stats.h"

namespace strata::perf {

// Counters of one step. "Replies" are datagrams received from the server during the step
// and its grace period, except late ones (answers to requests of an earlier step).
struct StepCounters {
  uint64_t planned = 0;      // requests the rate asked for in the step's time
  uint64_t sent = 0;         // requests the kernel accepted
  uint64_t send_errors = 0;  // requests sendmmsg refused (ENOBUFS, EAGAIN, ...)
  // Times the sender was held up (preempted) past its lag allowance, and by how much its
  // schedule moved on in total (the step then lasts that much longer; no burst).
  uint64_t sender_stalls = 0;
  uint64_t sender_stall_ns = 0;
  std::array<uint64_t, kReplyVerdictCount> verdicts{};  // replies by verdict
  uint64_t late = 0;                // replies to requests of earlier steps (not counted above)
  uint64_t wrong_address = 0;       // replies to an address or from a source we did not expect
  uint64_t rx_stamp_missing = 0;    // valid replies without a kernel RX timestamp
  uint64_t tx_stamps = 0;           // kernel TX timestamps of our requests matched
  uint64_t tx_stamp_mismatch = 0;   // TX reports that did not fit the request their id named
  uint64_t low_bit_convention = 0;  // valid replies following the RFC 9769 low-bit rule
  // Valid replies to interleaved-mode requests that named an earlier reply (origin not 0),
  // and how many of them were interleaved. A client's first request names none, and every
  // server answers it in basic mode, so these measure the server, not the warm-up.
  uint64_t named_replies = 0;
  uint64_t named_interleaved = 0;

  void add(const StepCounters& o);
  uint64_t validReplies() const;
  uint64_t invalidReplies() const;
};

struct StepResult {
  double rate_per_s = 0;        // offered (asked) rate
  double duration_s = 0;        // sending time of the step
  double sent_per_s = 0;        // achieved sending rate
  // Fewer than 99 % of the planned requests sent, or the rate while sending (stalls
  // included) below 95 % of the asked rate.
  bool send_shortfall = false;
  StepCounters counters;
  Summary rx_error;              // server RX - our TX, all valid replies with both stamps
  Summary tx_error_basic;        // our RX - server TX, basic replies
  Summary tx_error_interleaved;  // our RX of the previous reply - its precise server TX

  double lostPct() const;         // requests without any reply, % of sent
  double invalidPct() const;      // invalid replies, % of sent
  double basicPct() const;        // basic replies, % of valid replies
  double interleavedPct() const;  // interleaved replies, % of valid replies
  // Interleaved replies, % of the valid replies to requests that named an earlier reply.
  double namedInterleavedPct() const;
  double replyRate() const;       // valid replies per second of sending time
};

struct RunResult {
  std::string label;   // legend name in plots (default: the server address)
  std::string server;  // ADDRESS:PORT
  std::string mode;    // basic, interleaved or mixed
  uint64_t clients = 0;
  std::string source;  // the client address subnet
  int sockets = 0;
  int threads = 0;
  double step_time_s = 0;
  std::string timestamps;  // "kernel software" or "hardware (IFACE)"
  std::string opt_id_counting;
  int tx_sample = 1;  // a TX stamp is requested for every Nth request
  std::string started_utc;
  std::string command;
  std::string stop_reason;
  std::vector<StepResult> steps;
};

// The highest asked rate whose step lost less than `max_loss_pct` with no send shortfall;
// 0 if none.
double highestRateBelowLoss(const RunResult& run, double max_loss_pct);

// Terminal table: a header (two lines) and one row per step. `mode` chooses the TX columns.
std::string tableHeader(const std::string& mode);
std::string tableRow(const StepResult& step, const std::string& mode);

std::string csvHeader();
std::string csvRow(const RunResult& run, const StepResult& step);

std::string toJson(const RunResult& run);
// Reads a result written by toJson (unknown members are ignored; missing ones default).
common::Result<RunResult> runFromJson(const JsonValue& doc);

}  // namespace strata::perf
