#pragma once
// Host-name resolution off the time-keeping thread. One worker thread takes requests from a
// queue, calls a blocking resolve function (getaddrinfo by default) and hands each result
// back through a post function (TimeKeeperLoop::post in the daemon), so the completion
// callback runs on the time-keeping thread.
//
// Thread-safety: resolve() and stop() from the owning thread; the resolve function runs on
// the worker thread; callbacks run wherever `post` puts them. After stop() (also called by
// the destructor) no callback is posted any more; requests still queued are dropped. A
// lookup still blocked in the resolve function at stop() does not delay shutdown: the
// worker is detached and its result thrown away (its state is shared, not owned by this).

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/net_address.h"
#include "common/result.h"

namespace strata::refclock::ntp {

using Addresses = std::vector<common::IpAddress>;
using ResolveFn = std::function<common::Result<Addresses>(const std::string& name)>;
using PostFn = std::function<void(std::function<void()>)>;

// getaddrinfo(name, UDP): every distinct address, IPv4 first, in the resolver's order.
common::Result<Addresses> systemResolve(const std::string& name);

class Resolver {
 public:
  explicit Resolver(PostFn post, ResolveFn resolve = systemResolve);
  ~Resolver();
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;

  // Resolves `name`; `done` is posted with the result. The worker thread starts on first use.
  void resolve(std::string name, std::function<void(common::Result<Addresses>)> done);
  void stop();
  // Requests waiting or running (for tests and reports).
  size_t pending() const;

 private:
  struct Request {
    std::string name;
    std::function<void(common::Result<Addresses>)> done;
  };
  struct Shared {
    PostFn post;
    ResolveFn resolve;
    std::mutex mu;
    std::condition_variable cv;
    std::deque<Request> queue;
    size_t running = 0;
    bool stopping = false;
  };
  static void run(std::shared_ptr<Shared> shared);

  std::shared_ptr<Shared> shared_;
  std::thread thread_;
};

}  // namespace strata::refclock::ntp
