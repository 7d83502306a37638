#include "server/stratad/phc_refclock_reader.h"

#include <fcntl.h>
#include <linux/ptp_clock.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "hwts/phc_kernel_device.h"
#include "hwts/phc_reader.h"
#include "hwts/system_discovery.h"

namespace strata::stratad {

namespace {

class HwtsPhcReader final : public refclock::PhcReader {
 public:
  HwtsPhcReader(std::unique_ptr<hwts::KernelPhcDevice> device, const refclock::PhcOptions& options)
      : device_(std::move(device)),
        reader_(*device_, hwts::PhcReaderOptions{options.nocrossts, 10}) {}

  common::Result<void> enableExtts(const refclock::PhcOptions& o) {
    if (o.pin >= 0) {
      ptp_pin_desc pin{};
      pin.index = static_cast<unsigned>(o.pin);
      pin.func = PTP_PF_EXTTS;
      pin.chan = static_cast<unsigned>(o.channel);
      if (ioctl(device_->fd(), PTP_PIN_SETFUNC, &pin) != 0) {
        return common::makeError(device_->name() + ": PTP_PIN_SETFUNC pin " + std::to_string(o.pin) +
                                 ": " + std::strerror(errno));
      }
    }
    ptp_extts_request req{};
    req.index = static_cast<unsigned>(o.channel);
    req.flags = PTP_ENABLE_FEATURE | (o.clear ? PTP_FALLING_EDGE : PTP_RISING_EDGE);
    if (ioctl(device_->fd(), PTP_EXTTS_REQUEST, &req) != 0) {
      return common::makeError(device_->name() + ": PTP_EXTTS_REQUEST channel " +
                               std::to_string(o.channel) + ": " + std::strerror(errno));
    }
    extts_ = true;
    return {};
  }

  common::Result<std::vector<refclock::PhcOffsetSample>> readOffset(bool) override {
    auto s = reader_.read();
    if (!s) return s.error();
    const common::Nanos half = s->delay / 2;
    const common::SysTime phc = common::sysTimeFromNanos(s->phc.ns);
    return std::vector<refclock::PhcOffsetSample>{{s->sys - half, phc, s->sys + half}};
  }

  common::Result<std::vector<refclock::PhcExtts>> readExtts() override {
    std::vector<refclock::PhcExtts> events;
    if (!extts_) return events;
    for (int i = 0; i < 64; ++i) {
      pollfd p{device_->fd(), POLLIN, 0};
      if (poll(&p, 1, 0) != 1) break;
      ptp_extts_event e;
      ssize_t n = read(device_->fd(), &e, sizeof e);
      if (n != static_cast<ssize_t>(sizeof e)) break;
      events.push_back(refclock::PhcExtts{
          common::sysTimeFromNanos(e.t.sec * common::kNanosPerSecond + e.t.nsec), e.index});
    }
    return events;
  }

  int eventFd() const override { return extts_ ? device_->fd() : -1; }

 private:
  std::unique_ptr<hwts::KernelPhcDevice> device_;
  hwts::PhcReader reader_;
  bool extts_ = false;
};

}  // namespace

common::Result<std::unique_ptr<refclock::PhcReader>> openPhcRefclockReader(
    const std::string& device_or_interface, const refclock::PhcOptions& options) {
  hwts::SystemDiscovery system;
  auto device = hwts::openPhc(device_or_interface, system.discovery());
  if (!device) return common::makeError("refclock PHC: " + device.error().message);
  auto reader = std::make_unique<HwtsPhcReader>(std::move(*device), options);
  if (options.extpps) {
    if (auto r = reader->enableExtts(options); !r) return common::makeError("refclock PHC: " + r.error().message);
  }
  return std::unique_ptr<refclock::PhcReader>(std::move(reader));
}

}  // namespace strata::stratad
