#pragma once
// Overload shedding of precise TX timestamps. A TX timestamp costs the server 13-23 % more
// CPU per reply (the kernel's clone into the error queue, and its read back), so a server
// that stamps every reply for interleaved clients can fall behind while a basic one keeps
// up; once a queue stands in the socket, its requests arrive cold and cost more still, and
// the queue grows until the socket drops requests. The worker therefore stops asking for
// stamps when a request waited in the socket longer than a threshold (its kernel receive
// stamp to the batch's read), and starts again only when a read empties the socket (the
// batch comes back short, or a read finds nothing). Replies without a stamp are still
// sent; their clients' next requests are answered basic.
//
// Why the whole queue and not only the requests that waited: shedding only those kept a
// queue standing at the threshold, and its cold requests kept the cost high. In a third of
// a core (cgroup, 1000 µs every 3000 µs; 1000 interleaved clients, 3 s runs at 40000 req/s,
// ~0.92 x the basic saturated rate there) the interleaved share was median 76 % (29-99 %,
// 15 runs) against 55 % (9-97 %, 15 runs); requests lost 0.00-0.87 % against 0.00-0.38 %.
// Shedding a share of the clients that grows with the episode (1/64 at its start, all after
// 10 ms) did no better either: at 0.8 x the basic maximum in that budget, 52-79 % interleaved
// against 63-93 % (3 alternating runs each). Nor did other thresholds, in ladders of x 1.1
// steps (two each): the highest step still >= 95 % interleaved was 0.62-0.75 x the basic
// maximum with 3 ms, 0.68 with 10 ms, 0.75 with 30 ms and 0.75 never shedding; but never
// shedding lost 1.3-11 % of the requests one step higher, where 3 ms lost none.
//
// In a CPU-limited cgroup the limit's pauses alone make requests wait about 2 ms, so this
// trigger also fires when the worker keeps up. A trigger on the worker's own CPU time
// instead (shed once full reads in a row took more than 3 ms of CLOCK_THREAD_CPUTIME_ID,
// read on full reads only) was tried in that budget, stratad alone, 2 s runs alternating
// with this one: at 63000 req/s it shed nothing where this shed 236-1119 stamps a run
// (99.2-100 % against 99.0-99.5 % interleaved, 4 runs each); at 90000, median 98.65 against
// 98.15 % (8 runs each); at 110000-130000 it did better in some of the machine's slow
// phases and worse in others (at 125000: two runs of 8 lost 8-23 % against one losing 34 %).
// No clear gain: not adopted.
//
// Pure; single-threaded (owned by one worker). Units: nanoseconds.

#include <cstdint>

namespace strata::server {

class StampShedding {
 public:
  explicit StampShedding(int64_t threshold_ns) : threshold_ns_(threshold_ns) {}

  // A request read from the socket after waiting `waited_ns` there (negative or unknown:
  // pass 0). True if its reply must not ask for a precise TX timestamp.
  bool shed(int64_t waited_ns) {
    if (waited_ns > threshold_ns_) shedding_ = true;
    return shedding_;
  }
  // After each read of up to `asked` datagrams that returned `got` (the read's result: 0 or
  // less when nothing was waiting, or on an error). Fewer than asked means the socket is
  // empty, and that ends an episode; so does a read that found nothing, which is the only
  // way to tell with reads of one datagram.
  void afterRead(int got, unsigned asked) {
    if (got < 0 || static_cast<unsigned>(got) < asked) shedding_ = false;
  }
  bool shedding() const { return shedding_; }

 private:
  int64_t threshold_ns_;
  bool shedding_ = false;
};

}  // namespace strata::server
