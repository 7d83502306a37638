#pragma once
// Pollable: something an event loop drives. It names the file descriptors to watch for input
// and is called back when one of them is readable. The daemon can put these descriptors into
// its own loop (e.g. the time keeper's epoll); EventThread runs them on a thread of its own.
//
// EventThread: one thread with an epoll over the descriptors of the Pollables it was given,
// until stop(). The Pollables must outlive the thread and must not change their descriptors
// while it runs. start()/stop() from one controlling thread.

#include <thread>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"

namespace strata::server::control {

class Pollable {
 public:
  virtual ~Pollable() = default;
  // Descriptors to watch for input (level-triggered). Stable after the object is opened.
  virtual std::vector<int> fds() const = 0;
  // One of fds() is readable. Does a bounded amount of work and returns.
  virtual void onReadable(int fd) = 0;
};

class EventThread {
 public:
  EventThread() = default;
  ~EventThread() { stop(); }
  EventThread(const EventThread&) = delete;
  EventThread& operator=(const EventThread&) = delete;

  common::Result<void> start(std::vector<Pollable*> sources);
  void stop();
  bool running() const { return thread_.joinable(); }

 private:
  void run();
  std::vector<Pollable*> sources_;
  common::UniqueFd epoll_;
  common::UniqueFd stop_event_;
  std::thread thread_;
};

}  // namespace strata::server::control
