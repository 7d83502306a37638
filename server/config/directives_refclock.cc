// refclock DRIVER PARAMETER[:OPTION]... [OPTION]...
#include "server/config/diagnostics.h"
#include "server/config/directives.h"
#include "server/config/numbers.h"
#include "server/config/option_list.h"
#include "server/config/tokenizer.h"

namespace strata::config {

namespace {

constexpr std::string_view kUsage = "DRIVER PARAMETER[:OPTION]... [OPTION]...";

std::optional<RefclockDriver> driverFromName(std::string_view name) {
  std::string lower = toLower(name);
  if (lower == "phc") return RefclockDriver::kPhc;
  if (lower == "pps") return RefclockDriver::kPps;
  if (lower == "shm") return RefclockDriver::kShm;
  if (lower == "sock") return RefclockDriver::kSock;
  return std::nullopt;
}

bool refIdText(DirectiveContext& ctx, std::string_view what, std::string_view text,
               std::string& target) {
  bool ok = !text.empty() && text.size() <= 4;
  for (unsigned char c : text) ok = ok && c > 0x20 && c < 0x7F;
  if (!ok) {
    ctx.error(std::string(what) + " must be 1 to 4 ASCII characters, got " + quote(text));
    return false;
  }
  target = std::string(text);
  return true;
}

// One ":"-separated driver option, "name" or "name=value".
bool driverOption(DirectiveContext& ctx, std::string_view piece, RefclockConfig& rc) {
  auto eq = piece.find('=');
  std::string name = toLower(piece.substr(0, eq));
  std::optional<std::string_view> value;
  if (eq != std::string_view::npos) value = piece.substr(eq + 1);
  std::string driver(refclockDriverName(rc.driver));

  auto flag = [&](bool& target) {
    if (value) {
      ctx.error(driver + " option " + name + " takes no value");
      return false;
    }
    target = true;
    return true;
  };
  auto integer = [&](int64_t lo, int64_t hi, int& target) {
    if (!value) {
      ctx.error(driver + " option " + name + " needs a value (" + name + "=N)");
      return false;
    }
    auto v = intValue(ctx, name, *value, lo, hi);
    if (v) target = static_cast<int>(*v);
    return v.has_value();
  };

  switch (rc.driver) {
    case RefclockDriver::kPhc:
      if (name == "nocrossts") return flag(rc.phc_nocrossts);
      if (name == "extpps") return flag(rc.phc_extpps);
      if (name == "clear") return flag(rc.clear);
      if (name == "pin") return integer(-1, 255, rc.phc_pin);
      if (name == "channel") return integer(0, 255, rc.phc_channel);
      break;
    case RefclockDriver::kPps:
      if (name == "clear") return flag(rc.clear);
      break;
    case RefclockDriver::kShm:
      if (name == "perm") {
        if (!value) {
          ctx.error("SHM option perm needs a value (perm=MODE)");
          return false;
        }
        bool octal = !value->empty() && value->size() <= 4 &&
                     value->find_first_not_of("01234567") == std::string_view::npos;
        int mode = 0;
        if (octal) {
          for (char c : *value) mode = mode * 8 + (c - '0');
        }
        if (!octal || mode > 0777) {
          ctx.error("perm must be an octal mode from 0 to 0777, got " + quote(*value));
          return false;
        }
        rc.shm_perm = mode;
        return true;
      }
      break;
    case RefclockDriver::kSock:
      break;
  }
  ctx.error("unknown " + driver + " option " + quote(piece));
  return false;
}

void refclock(DirectiveContext& ctx) {
  if (ctx.args().size() < 2) {
    ctx.expectArgCount(2, 2, kUsage);
    return;
  }
  RefclockConfig rc;
  auto driver = driverFromName(ctx.args()[0]);
  if (!driver) {
    ctx.error("DRIVER must be PHC, PPS, SHM or SOCK, got " + quote(ctx.args()[0]));
    return;
  }
  rc.driver = *driver;

  std::string_view param = ctx.args()[1];
  size_t colon = param.find(':');
  std::string_view device = param.substr(0, colon);
  if (device.empty()) {
    ctx.error("PARAMETER must not be empty, got " + quote(param));
    return;
  }
  if (rc.driver == RefclockDriver::kShm) {
    bool digits = device.find_first_not_of("0123456789") == std::string_view::npos;
    auto unit = digits ? parseInteger(device) : std::nullopt;
    if (!unit || *unit > 65535) {
      ctx.error("the SHM segment must be a number from 0 to 65535, got " + quote(device));
      return;
    }
    rc.device = std::to_string(*unit);
  } else {
    rc.device = std::string(device);
  }
  while (colon != std::string_view::npos) {
    size_t next = param.find(':', colon + 1);
    std::string_view piece = param.substr(
        colon + 1, next == std::string_view::npos ? std::string_view::npos : next - colon - 1);
    if (!driverOption(ctx, piece, rc)) return;
    colon = next;
  }

  const common::Nanos kZero(0);
  OptionList options;
  options.integer("poll", -7, 24, rc.poll_log2)
      .integer("dpoll", -7, 24, rc.dpoll_log2)
      .custom("refid", [&rc](DirectiveContext& c,
                             std::string_view v) { return refIdText(c, "refid", v, rc.refid); })
      .custom("lock", [&rc](DirectiveContext& c,
                            std::string_view v) { return refIdText(c, "lock", v, rc.lock_refid); })
      .integer("rate", 1, 1'000'000, rc.rate_hz)
      .seconds("offset", -secondsToNanos(1'000'000), secondsToNanos(1'000'000), rc.offset)
      .seconds("delay", kZero, secondsToNanos(1000), rc.delay)
      .seconds("precision", kZero, secondsToNanos(1), rc.precision)
      .seconds("maxdispersion", kZero, secondsToNanos(1000), rc.max_dispersion)
      .integer("maxlockage", 0, 1000, rc.max_lock_age)
      .integer("filter", 1, 1024, rc.filter_length)
      .flag("prefer", rc.prefer)
      .flag("noselect", rc.noselect)
      .flag("trust", rc.trust)
      .flag("require", rc.require)
      .flag("pps", rc.pps)
      .flag("tai", rc.tai)
      .flag("local", rc.local)
      .seconds("width", kZero, secondsToNanos(1), rc.width)
      .integer("stratum", 0, 15, rc.stratum)
      .integer("minsamples", 0, 1024, rc.min_samples)
      .integer("maxsamples", 0, 1024, rc.max_samples);
  if (!options.run(ctx, ctx.args().subspan(2))) return;
  ctx.config().refclocks.push_back(std::move(rc));
}

constexpr DirectiveDef kDirectives[] = {{"refclock", refclock}};

}  // namespace

std::span<const DirectiveDef> refclockDirectives() { return kDirectives; }

}  // namespace strata::config
