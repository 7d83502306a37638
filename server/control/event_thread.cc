#include "server/control/event_thread.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace strata::server::control {

namespace {
// epoll_event.data.u64 layout: source index in the high half, descriptor in the low half.
constexpr uint64_t kStopTag = ~uint64_t{0};
}  // namespace

common::Result<void> EventThread::start(std::vector<Pollable*> sources) {
  if (running()) return common::makeError("event thread already running");
  sources_ = std::move(sources);
  epoll_.reset(epoll_create1(EPOLL_CLOEXEC));
  stop_event_.reset(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!epoll_ || !stop_event_) {
    return common::makeError(std::string("event thread: ") + std::strerror(errno));
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kStopTag;
  if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, stop_event_.get(), &ev) != 0) {
    return common::makeError(std::string("event thread: epoll_ctl: ") + std::strerror(errno));
  }
  for (size_t i = 0; i < sources_.size(); ++i) {
    for (int fd : sources_[i]->fds()) {
      ev.events = EPOLLIN;
      ev.data.u64 = (uint64_t{i} << 32) | static_cast<uint32_t>(fd);
      if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) {
        return common::makeError(std::string("event thread: epoll_ctl: ") + std::strerror(errno));
      }
    }
  }
  thread_ = std::thread([this] { run(); });
  return {};
}

void EventThread::stop() {
  if (!thread_.joinable()) return;
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(stop_event_.get(), &one, sizeof one);
  thread_.join();
}

void EventThread::run() {
  epoll_event events[16];
  for (;;) {
    const int n = epoll_wait(epoll_.get(), events, 16, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (int i = 0; i < n; ++i) {
      const uint64_t tag = events[i].data.u64;
      if (tag == kStopTag) return;
      const size_t index = tag >> 32;
      const int fd = static_cast<int>(static_cast<uint32_t>(tag));
      if (index < sources_.size()) sources_[index]->onReadable(fd);
    }
  }
}

}  // namespace strata::server::control
