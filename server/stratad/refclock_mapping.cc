#include "server/stratad/refclock_mapping.h"

#include "proto/refid.h"

namespace strata::stratad {

common::Result<refclock::RefclockConfig> refclockConfigFor(const config::RefclockConfig& c,
                                                           int index) {
  refclock::RefclockConfig r;
  r.parameter = c.device;
  switch (c.driver) {
    case config::RefclockDriver::kPhc: r.driver = refclock::RefclockDriverKind::kPhc; break;
    case config::RefclockDriver::kPps: r.driver = refclock::RefclockDriverKind::kPps; break;
    case config::RefclockDriver::kShm: r.driver = refclock::RefclockDriverKind::kShm; break;
    case config::RefclockDriver::kSock: r.driver = refclock::RefclockDriverKind::kSock; break;
  }
  const std::string refid_text =
      !c.refid.empty() ? c.refid
                       : std::string(config::refclockDriverName(c.driver).substr(0, 3)) +
                             std::to_string(index);
  if (c.local) {
    return common::makeError("refclock " + refid_text + ": the `local` option is not supported");
  }

  refclock::SourceOptions& s = r.source;
  s.name = refid_text;
  s.kind = refclock::SourceKind::kRefclock;
  s.refid = proto::refIdFromText(refid_text);
  s.prefer = c.prefer;
  s.noselect = c.noselect;
  s.trust = c.trust;
  s.require = c.require;
  s.poll_log2 = c.poll_log2;
  s.filter_length = c.filter_length;
  s.offset = c.offset;
  s.delay = c.delay;
  s.precision = c.precision.value_or(common::Nanos(0));
  s.max_dispersion = c.max_dispersion.value_or(common::Nanos(0));
  s.stratum = c.stratum;
  s.min_samples = c.min_samples.value_or(0);
  s.max_samples = c.max_samples.value_or(0);
  s.pps = c.pps || c.driver == config::RefclockDriver::kPps ||
          (c.driver == config::RefclockDriver::kPhc && c.phc_extpps);
  s.lock_refid = c.lock_refid.empty() ? 0 : proto::refIdFromText(c.lock_refid);
  s.max_lock_age = c.max_lock_age;
  s.rate_hz = c.rate_hz;
  s.width_s = common::toSeconds(c.width);
  s.tai = c.tai;
  if (s.lock_refid != 0 && s.lock_refid == s.refid) {
    return common::makeError("refclock " + refid_text + ": cannot lock to itself");
  }
  r.dpoll_log2 = c.dpoll_log2;

  r.shm.perm = c.shm_perm;
  if (c.driver == config::RefclockDriver::kShm) {
    int unit = 0;
    for (char ch : c.device) {
      if (ch < '0' || ch > '9' || unit > 0xFFFF) {
        return common::makeError("refclock SHM: invalid unit \"" + c.device + "\"");
      }
      unit = unit * 10 + (ch - '0');
    }
    if (c.device.empty() || unit > 0xFFFF) {
      return common::makeError("refclock SHM: invalid unit \"" + c.device + "\"");
    }
    r.shm.unit = unit;
  }
  r.sock.path = c.device;
  r.pps.clear = c.clear;
  r.pps.rate_hz = c.rate_hz;
  r.phc.nocrossts = c.phc_nocrossts;
  r.phc.extpps = c.phc_extpps;
  r.phc.pin = c.phc_pin;
  r.phc.channel = c.phc_channel;
  r.phc.clear = c.clear;
  r.phc.rate_hz = c.rate_hz;
  return r;
}

}  // namespace strata::stratad
