#pragma once
// TimeKeeperLoop: the thread shell around a TimeKeeper in the daemon. One epoll loop with
//  - a timerfd (CLOCK_MONOTONIC) armed for the time TimeKeeper::step() asks for,
//  - the refclock drivers' descriptors (SOCK sockets, PHC event fds),
//  - descriptors the daemon adds (the control socket: chronyc requests are served here, on
//    the TimeKeeper's thread, so report accessors need no locking),
//  - an eventfd for post(): other threads run code on the loop thread (e.g. makestep).
// Before every step it compares CLOCK_REALTIME - CLOCK_MONOTONIC with the previous wakeup; a
// change of more than 50 us means someone else stepped the system clock, and the TimeKeeper
// is told (TimeKeeper::onExternalStep) so that raw time and schedules stay consistent.
//
// Thread-safety: post() and stop() from any thread; everything else from the thread that
// owns the loop (before run()) or from callbacks on the loop thread.

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"
#include "refclock/time_keeper.h"

namespace strata::refclock {

class TimeKeeperLoop {
 public:
  // `tk` must outlive the loop.
  explicit TimeKeeperLoop(TimeKeeper& tk);
  ~TimeKeeperLoop();

  // Creates epoll/timerfd/eventfd and registers the TimeKeeper's driver descriptors.
  common::Result<void> init();
  // An extra descriptor whose readability runs `on_readable` on the loop thread.
  common::Result<void> addFd(int fd, std::function<void()> on_readable);
  void removeFd(int fd);
  // Runs `fn` on the loop thread soon (thread-safe).
  void post(std::function<void()> fn);
  // Runs until stop(); returns at once if init() was not called successfully.
  void run();
  void stop();
  // run() on a new thread / wait for it.
  void start();
  void join();

 private:
  void armTimer(SysTime next_local);
  void checkExternalStep();
  void runPosted();

  TimeKeeper& tk_;
  common::UniqueFd epoll_;
  common::UniqueFd timer_;
  common::UniqueFd wake_;
  std::unordered_map<int, std::function<void()>> extra_;
  std::unordered_map<int, SourceId> driver_fds_;
  std::mutex posted_mu_;
  std::vector<std::function<void()>> posted_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  bool have_baseline_ = false;
  int64_t baseline_ns_ = 0;  // CLOCK_REALTIME - CLOCK_MONOTONIC at the last wakeup
};

}  // namespace strata::refclock
