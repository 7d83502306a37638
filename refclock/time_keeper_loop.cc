#include "refclock/time_keeper_loop.h"

#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "common/clock.h"
#include "refclock/clock_pair.h"

namespace strata::refclock {

namespace {
constexpr int64_t kStepThresholdNs = 50'000;

// A preemption between two plain readings would look like a step (CI saw 50-190 us): read
// the pair bracketed; a reading whose bracket is still wide is not trusted (nullopt).
std::optional<int64_t> realtimeMinusMonotonicNs() {
  ClockPairReading r =
      readClockPair([] { return static_cast<int64_t>(common::monotonicNow().count()); },
                    [] { return common::nanosSinceEpoch(common::realtimeNow()); });
  if (r.bracket_ns > kStepThresholdNs / 4) return std::nullopt;
  return r.realtime_minus_monotonic_ns;
}
}  // namespace

TimeKeeperLoop::TimeKeeperLoop(TimeKeeper& tk) : tk_(tk) {}

TimeKeeperLoop::~TimeKeeperLoop() {
  stop();
  join();
}

common::Result<void> TimeKeeperLoop::init() {
  epoll_.reset(::epoll_create1(EPOLL_CLOEXEC));
  timer_.reset(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
  wake_.reset(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!epoll_ || !timer_ || !wake_) {
    return common::makeError(std::string("time keeper loop: ") + std::strerror(errno));
  }
  for (int fd : {timer_.get(), wake_.get()}) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) < 0) {
      return common::makeError(std::string("epoll_ctl: ") + std::strerror(errno));
    }
  }
  for (auto [id, fd] : tk_.pollFds()) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) < 0) {
      return common::makeError(std::string("epoll_ctl (driver): ") + std::strerror(errno));
    }
    driver_fds_[fd] = id;
  }
  return {};
}

common::Result<void> TimeKeeperLoop::addFd(int fd, std::function<void()> on_readable) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) < 0) {
    return common::makeError(std::string("epoll_ctl: ") + std::strerror(errno));
  }
  extra_[fd] = std::move(on_readable);
  return {};
}

void TimeKeeperLoop::removeFd(int fd) {
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
  extra_.erase(fd);
}

void TimeKeeperLoop::post(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(posted_mu_);
    posted_.push_back(std::move(fn));
  }
  uint64_t one = 1;
  if (wake_) (void)!::write(wake_.get(), &one, sizeof one);
}

void TimeKeeperLoop::stop() {
  stopping_.store(true);
  uint64_t one = 1;
  if (wake_) (void)!::write(wake_.get(), &one, sizeof one);
}

void TimeKeeperLoop::start() {
  thread_ = std::thread([this] { run(); });
}

void TimeKeeperLoop::join() {
  if (thread_.joinable()) thread_.join();
}

void TimeKeeperLoop::runPosted() {
  std::vector<std::function<void()>> fns;
  {
    std::lock_guard<std::mutex> lock(posted_mu_);
    fns.swap(posted_);
  }
  for (auto& fn : fns) fn();
}

void TimeKeeperLoop::armTimer(SysTime next_local) {
  int64_t ns = (next_local - common::realtimeNow()).count();
  if (ns < 1000) ns = 1000;
  itimerspec its{};
  its.it_value.tv_sec = static_cast<time_t>(ns / common::kNanosPerSecond);
  its.it_value.tv_nsec = static_cast<long>(ns % common::kNanosPerSecond);
  ::timerfd_settime(timer_.get(), 0, &its, nullptr);
}

void TimeKeeperLoop::checkExternalStep() {
  std::optional<int64_t> diff = realtimeMinusMonotonicNs();
  if (!diff) return;  // no trustworthy reading now; compare at the next wakeup
  if (have_baseline_) {
    int64_t jump = *diff - baseline_ns_;
    if (jump > kStepThresholdNs || jump < -kStepThresholdNs) {
      tk_.onExternalStep(Nanos(jump), common::realtimeNow());
    }
  }
  have_baseline_ = true;
  baseline_ns_ = *diff;
}

void TimeKeeperLoop::run() {
  if (!epoll_) return;
  while (!stopping_.load()) {
    checkExternalStep();
    SysTime next = tk_.step(common::realtimeNow());
    // Our own steps (kernel control) must not look external at the next wakeup.
    if (std::optional<int64_t> d = realtimeMinusMonotonicNs()) {
      baseline_ns_ = *d;
      have_baseline_ = true;
    } else {
      have_baseline_ = false;  // the next wakeup starts a new baseline
    }
    armTimer(next);

    epoll_event events[16];
    int n = ::epoll_wait(epoll_.get(), events, 16, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      spdlog::error("time keeper loop: epoll_wait failed: {}", std::strerror(errno));
      return;
    }
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (fd == timer_.get()) {
        uint64_t expirations;
        (void)!::read(fd, &expirations, sizeof expirations);
      } else if (fd == wake_.get()) {
        uint64_t count;
        (void)!::read(fd, &count, sizeof count);
        runPosted();
      } else if (auto it = driver_fds_.find(fd); it != driver_fds_.end()) {
        tk_.onReadable(it->second, common::realtimeNow());
      } else if (auto ex = extra_.find(fd); ex != extra_.end()) {
        ex->second();
      }
    }
  }
  runPosted();
}

}  // namespace strata::refclock
