#include "refclock/ntp/resolver.h"

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>

namespace strata::refclock::ntp {

common::Result<Addresses> systemResolve(const std::string& name) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* res = nullptr;
  int rc = ::getaddrinfo(name.c_str(), nullptr, &hints, &res);
  if (rc != 0) {
    return common::makeError("cannot resolve " + name + ": " + ::gai_strerror(rc));
  }
  Addresses v4, v6;
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    auto a = common::SocketAddress::fromSockaddr(ai->ai_addr, ai->ai_addrlen);
    if (!a) continue;
    Addresses& list = a->ip.isV4() ? v4 : v6;
    if (std::find(list.begin(), list.end(), a->ip) == list.end()) list.push_back(a->ip);
  }
  ::freeaddrinfo(res);
  v4.insert(v4.end(), v6.begin(), v6.end());
  if (v4.empty()) return common::makeError("cannot resolve " + name + ": no usable address");
  return v4;
}

Resolver::Resolver(PostFn post, ResolveFn resolve) : shared_(std::make_shared<Shared>()) {
  shared_->post = std::move(post);
  shared_->resolve = std::move(resolve);
}

Resolver::~Resolver() { stop(); }

void Resolver::resolve(std::string name, std::function<void(common::Result<Addresses>)> done) {
  std::lock_guard lock(shared_->mu);
  if (shared_->stopping) return;
  shared_->queue.push_back({std::move(name), std::move(done)});
  if (!thread_.joinable()) thread_ = std::thread(&Resolver::run, shared_);
  shared_->cv.notify_one();
}

void Resolver::stop() {
  bool busy;
  {
    std::lock_guard lock(shared_->mu);
    shared_->stopping = true;
    shared_->queue.clear();
    busy = shared_->running > 0;
  }
  shared_->cv.notify_all();
  if (!thread_.joinable()) return;
  if (busy) {
    thread_.detach();  // blocked in a lookup: it exits when that returns, posting nothing
  } else {
    thread_.join();
  }
}

size_t Resolver::pending() const {
  std::lock_guard lock(shared_->mu);
  return shared_->queue.size() + shared_->running;
}

void Resolver::run(std::shared_ptr<Shared> shared) {
  std::unique_lock lock(shared->mu);
  for (;;) {
    shared->cv.wait(lock, [&] { return shared->stopping || !shared->queue.empty(); });
    if (shared->stopping) return;
    Request req = std::move(shared->queue.front());
    shared->queue.pop_front();
    ++shared->running;
    lock.unlock();
    common::Result<Addresses> result = shared->resolve(req.name);
    lock.lock();
    --shared->running;
    if (shared->stopping) return;
    // Posted under the lock so that stop() cannot return while a post is half done.
    shared->post([done = std::move(req.done), result = std::move(result)]() mutable {
      done(std::move(result));
    });
  }
}

}  // namespace strata::refclock::ntp
